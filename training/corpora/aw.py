"""AW (Zero-Shot-PLOVER `datasets/AW_train.tsv`, from ACE 2005 and WikiEvents): binary conflict.

One row per marked argument pair; rows of the same sentence become one Article. `gold_binary`
1 = conflict: an adversarial claim with unknown mode. 0 = not conflict: the stance is left
unknown and `stance_options` says it is cooperative or neutral (or there is no claim at all);
nothing is guessed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from model.schema import Article, Claim, Mention, RecordError, Stance
from training.corpora.markup import trim, unmark

NOT_CONFLICT = (Stance.COOPERATIVE, Stance.NEUTRAL)


def read_aw(path: str | Path) -> Iterator[Article]:
    path = Path(path)
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    groups: dict[tuple[str, str, str], list[tuple[int, dict[str, str]]]] = {}
    for line, row in enumerate(rows, start=2):
        key = (row["dataset"], row["doc_id"], row["sent_id"])
        groups.setdefault(key, []).append((line, row))
    for (dataset, doc_id, sent_id), members in groups.items():
        text, claims, mentions = None, [], {}
        for line, row in members:
            plain, spans = unmark(row["marked_sentence"])
            if text is not None and plain != text:
                raise RecordError(
                    "rows of one sentence disagree on its text",
                    path=str(path),
                    line=line,
                    field="marked_sentence",
                )
            text = plain
            if "s" not in spans or "t" not in spans:
                raise RecordError(
                    "a source or target marker is missing",
                    path=str(path),
                    line=line,
                    field="marked_sentence",
                )
            source, target = (_mention(plain, spans[tag]) for tag in ("s", "t"))
            mentions.update({(m.start, m.end): m for m in (source, target)})
            if row["gold_binary"] == "1":
                claims.append(
                    Claim(source=source, target=target, stance=Stance.ADVERSARIAL, sentence=0)
                )
            elif row["gold_binary"] == "0":
                claims.append(
                    Claim(source=source, target=target, sentence=0, stance_options=NOT_CONFLICT)
                )
            else:
                raise RecordError(
                    f"gold_binary {row['gold_binary']!r} is not 0 or 1",
                    path=str(path),
                    line=line,
                    field="gold_binary",
                )
        yield Article(
            id=f"aw-{dataset}-{doc_id}-{sent_id}",
            text=text,
            meta={"corpus": "aw", "event_type": members[0][1]["event_type"]},
            claims=tuple(claims),
            sentences=((0, len(text)),),
            mentions=tuple(mentions[key] for key in sorted(mentions)),
        )


def _mention(text: str, span: tuple[int, int]) -> Mention:
    start, end = trim(text, *span)
    return Mention(text[start:end], start, end)
