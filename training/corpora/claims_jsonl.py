"""The project's own format: JSON Lines of Articles as the annotation guidelines define them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from model.schema import Article, RecordError, read_jsonl


def read_claims_jsonl(
    path: str | Path, errors: list[RecordError] | None = None
) -> Iterator[Article]:
    """Validated articles; bad records raise, or are collected in `errors` and skipped."""
    yield from read_jsonl(path, errors)
