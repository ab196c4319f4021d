"""claimstance inference: schema, network, extraction, actor resolution, export.

    from model import ClaimExtractor
    extractor = ClaimExtractor.load("runs/default")
    claims = extractor.predict("Iran's foreign minister praised Russia on Thursday.")

Heavy modules (torch, spaCy) load on first use, not at import.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from model.schema import Actor, Article, Claim, Label, Mention, Mode, Span, Stance

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never fetch weights from a hub

if TYPE_CHECKING:
    from model.extractor import ClaimExtractor

_default: ClaimExtractor | None = None


def __getattr__(name: str):
    if name == "ClaimExtractor":
        from model.extractor import ClaimExtractor

        return ClaimExtractor
    raise AttributeError(f"module 'model' has no attribute {name!r}")


def predict(text: str, date: str | None = None) -> list[Claim]:
    """Claims in `text` with the default checkpoint (loaded once)."""
    global _default
    if _default is None:
        from model.extractor import ClaimExtractor

        _default = ClaimExtractor.load()
    return _default.predict(text, date=date)


__all__ = [
    "Actor",
    "Article",
    "Claim",
    "ClaimExtractor",
    "Label",
    "Mention",
    "Mode",
    "Span",
    "Stance",
    "predict",
]
