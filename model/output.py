"""Writers for batch prediction: JSONL in the schema, CSV one row per claim, a rich table.

Every input record appears exactly once in JSONL output: as its article with claims, or as
`{"id", "error", "where"}`. In CSV an article without claims still gets one row, and a bad
record an error row, so nothing disappears silently.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TextIO

from model.records import InputRecord
from model.schema import Article, Claim

CSV_FIELDS = [
    "id",
    "date",
    "status",
    "sentence",
    "source",
    "source_actor",
    "source_country",
    "source_sector",
    "target",
    "target_actor",
    "target_country",
    "target_sector",
    "stance",
    "mode",
    "label",
    "event_type",
    "cue",
    "claim",
    "confidence",
    "error",
]


def claim_row(article: Article, claim: Claim | None) -> dict[str, object]:
    row: dict[str, object] = {
        "id": article.id,
        "date": article.meta.get("date", ""),
        "status": "ok",
    }
    if claim is None:
        return row
    for side in ("source", "target"):
        mention = getattr(claim, side)
        actor = mention.actor if mention else None
        row[side] = mention.text if mention else ""
        row[f"{side}_actor"] = actor.name if actor else ""
        row[f"{side}_country"] = (actor.country or "") if actor else ""
        row[f"{side}_sector"] = (actor.sector or "") if actor else ""
    row.update(
        {
            "sentence": claim.sentence,
            "stance": claim.stance.value if claim.stance else "",
            "mode": claim.mode.value if claim.mode else "",
            "label": claim.label.value if claim.label else "",
            "event_type": claim.event_type.value if claim.event_type else "",
            "cue": claim.cue.text if claim.cue else "",
            "claim": claim.claim.text if claim.claim else "",
            "confidence": round(claim.score, 4) if claim.score is not None else "",
        }
    )
    return row


class Writer:
    """Append-only writer for one output file in `jsonl` or `csv` format."""

    def __init__(self, handle: TextIO, fmt: str, write_header: bool):
        self.handle, self.fmt = handle, fmt
        self.csv = csv.DictWriter(handle, fieldnames=CSV_FIELDS) if fmt == "csv" else None
        if self.csv and write_header:
            self.csv.writeheader()

    def article(self, article: Article) -> None:
        if self.csv:
            rows = [claim_row(article, claim) for claim in article.claims] or [
                claim_row(article, None)
            ]
            self.csv.writerows(rows)
        else:
            self.handle.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        self.handle.flush()

    def error(self, record: InputRecord) -> None:
        if self.csv:
            self.csv.writerow(
                {"id": record.id, "status": "error", "error": f"{record.where}: {record.error}"}
            )
        else:
            self.handle.write(
                json.dumps(
                    {"id": record.id, "error": record.error, "where": record.where},
                    ensure_ascii=False,
                )
                + "\n"
            )
        self.handle.flush()


def done_ids(path: Path, fmt: str) -> set[str]:
    """Ids already written to an output file (for --resume); a torn last line is ignored."""
    if not path.exists():
        return set()
    ids = set()
    with path.open(encoding="utf-8", newline="") as handle:
        if fmt == "csv":
            ids = {row["id"] for row in csv.DictReader(handle) if row.get("id")}
        else:
            for line in handle:
                try:
                    ids.add(json.loads(line)["id"])
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue
    return ids


def drop_torn_tail(path: Path) -> None:
    """Cut an interrupted run's half-written last line, so resumed output appends cleanly."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        path.write_bytes(data[: data.rfind(b"\n") + 1])
