"""claimstance inference: schema, network, extraction, actor resolution, export."""
