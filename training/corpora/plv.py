"""PLV (Zero-Shot-PLOVER, `datasets/PLV_train.tsv`): marked source/target pairs with PLOVER labels.

Rows sharing a `sentence_id` become one single-sentence Article. `gold_penta` gives the label
(PLV has no neutral class) and `gold_root` the PLOVER type. Rows whose target is the
placeholder "a recipient" (no target marked) or that mark no source are kept, with that
mention left None: they still teach the event type and the source span, not the pair.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from model.schema import Article, Claim, EventType, Mention, RecordError, stance_mode_for
from training.corpora.cameo import PENTA  # PLV numbers the pentaclass as CAMEO does
from training.corpora.markup import trim, unmark


def read_plv(path: str | Path) -> Iterator[Article]:
    path = Path(path)
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in enumerate(rows, start=2):
        groups.setdefault(row["sentence_id"], []).append((line, row))
    for sentence_id, members in groups.items():
        text, claims = None, []
        for line, row in members:
            plain, spans = unmark(row["marked_sentence"])
            if plain != row["sentence"]:
                raise RecordError(
                    "marked_sentence does not match sentence",
                    path=str(path),
                    line=line,
                    field="marked_sentence",
                )
            text = plain
            try:
                stance, mode = stance_mode_for(PENTA[row["gold_penta"]])
                event_type = EventType(row["gold_root"]) if row["gold_root"] else None
            except (KeyError, ValueError) as error:
                raise RecordError(f"bad label: {error}", path=str(path), line=line) from None
            claims.append(
                Claim(
                    source=_mention(plain, spans.get("s")),
                    target=_mention(plain, spans.get("t")),
                    stance=stance,
                    mode=mode,
                    sentence=0,
                    event_type=event_type,
                )
            )
        yield Article(
            id=f"plv-{sentence_id}",
            text=text,
            meta={"corpus": "plv"},
            claims=tuple(claims),
            sentences=((0, len(text)),),
        )


def _mention(text: str, span: tuple[int, int] | None) -> Mention | None:
    if span is None:
        return None
    start, end = trim(text, *span)
    return Mention(text[start:end], start, end) if end > start else None
