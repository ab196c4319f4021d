"""Shared test setup: offline hub, fixture paths, and the external data directory if present."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The external corpora (CLAIMSTANCE_DATA, else ../shared/datasets); skip if absent."""
    default = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
    path = Path(os.environ.get("CLAIMSTANCE_DATA") or default)
    if not path.is_dir():
        pytest.skip(f"external corpora not found at {path}")
    return path
