"""Input records for batch prediction: .txt files, folders of them, or JSONL.

Each record comes with the article or with the reason it is unusable, so a batch run can
report a bad record and go on; every record carries a stable id for `--resume`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from model.schema import Article, RecordError

MAX_CHARS = 200_000
"""Longest article accepted, in characters: longer input is refused, not silently cut."""


@dataclass(frozen=True)
class InputRecord:
    id: str
    where: str
    """file, or file:line"""
    article: Article | None = None
    error: str | None = None


def iter_records(paths: Iterable[str | Path]) -> Iterator[InputRecord]:
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*.txt")):
                yield _text_file(child)
        elif path.suffix == ".jsonl":
            yield from _jsonl(path)
        elif path.exists():
            yield _text_file(path)
        else:
            yield InputRecord(str(path), str(path), error="no such file")


def _text_file(path: Path) -> InputRecord:
    record_id = path.stem
    data = path.read_bytes()
    if b"\x00" in data:
        return InputRecord(record_id, str(path), error="binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return InputRecord(
            record_id, str(path), error=f"not UTF-8 ({error.reason} at byte {error.start})"
        )
    problem = text_problem(text)
    if problem:
        return InputRecord(record_id, str(path), error=problem)
    return InputRecord(record_id, str(path), Article(id=record_id, text=text))


def text_problem(text) -> str | None:
    """Why a text cannot be processed, or None."""
    if not isinstance(text, str):
        return f"text is {type(text).__name__}, not a string"
    if not text.strip():
        return "empty text"
    if len(text) > MAX_CHARS:
        return f"{len(text)} characters, over the {MAX_CHARS}-character limit"
    return None


def _jsonl(path: Path) -> Iterator[InputRecord]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            record_id = f"{path.stem}:{number}"
            try:
                data = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield InputRecord(record_id, where, error="not UTF-8")
                continue
            except json.JSONDecodeError as error:
                yield InputRecord(record_id, where, error=f"not valid JSON ({error.msg})")
                continue
            if not isinstance(data, dict):
                yield InputRecord(record_id, where, error="not a JSON object")
                continue
            record_id = str(data.get("id") or record_id)
            problem = text_problem(data.get("text"))
            if problem:
                yield InputRecord(record_id, where, error=f"field 'text': {problem}")
            elif data.get("claims"):  # annotated input: keep the gold claims, validated
                try:
                    yield InputRecord(record_id, where, Article.from_dict(data))
                except RecordError as error:
                    yield InputRecord(record_id, where, error=str(error))
            else:
                meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
                yield InputRecord(
                    record_id, where, Article(id=record_id, text=data["text"], meta=meta)
                )
