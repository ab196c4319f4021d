"""Directed sentiment (Park, Pan & Joo, ACL Findings 2021): `sentence<TAB>e1<TAB>e2<TAB>label`.

The two entities are bracketed in the sentence. About a third of the brackets cut a word
(`[Breitbart New]s`), so each span is extended to the word boundary. Labels 1-4 are directed:
1/3 = e1 positive/negative toward e2, 2/4 = e2 toward e1 (e2 is the source). Positive is
cooperative, negative adversarial; the crowd labels say nothing of mode, so mode stays None.
`mentions` lists e1 then e2. Label 0 (no directed stance) yields no claim: both entities are
listed as mentions, so the pair is a known negative in both directions. Exact duplicate
lines are kept here (a converter reads faithfully); the dataset builder removes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from model.schema import Article, Claim, Mention, RecordError, Stance

DIRECTED = {
    "1": (0, Stance.COOPERATIVE),
    "2": (1, Stance.COOPERATIVE),
    "3": (0, Stance.ADVERSARIAL),
    "4": (1, Stance.ADVERSARIAL),
}
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


def read_directed_sentiment(path: str | Path) -> Iterator[Article]:
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) != 4:
                raise RecordError(
                    f"expected 4 tab-separated fields, got {len(fields)}",
                    path=str(path),
                    line=number,
                )
            sentence, e1, _, label = fields
            text, spans = _unbracket(sentence)
            if len(spans) != 2 or label not in {"0", *DIRECTED}:
                raise RecordError(
                    f"expected two [entities] and a label 0-4, got {len(spans)} "
                    f"entities and label {label!r}",
                    path=str(path),
                    line=number,
                )
            if _BRACKETED.findall(sentence)[0] != e1:  # e1 is not always the first bracket
                spans.reverse()
            mentions = tuple(Mention(text[a:b], a, b) for a, b in spans)
            claims: tuple[Claim, ...] = ()
            if label in DIRECTED:
                source_index, stance = DIRECTED[label]
                claims = (
                    Claim(
                        source=mentions[source_index],
                        target=mentions[1 - source_index],
                        stance=stance,
                        sentence=0,
                    ),
                )
            yield Article(
                id=f"{path.stem}-{number}",
                text=text,
                meta={"corpus": "directed_sentiment", "label": int(label)},
                claims=claims,
                sentences=((0, len(text)),),
                mentions=mentions,
            )


def _unbracket(sentence: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove the entity brackets; extend each span to whole words and trim spaces."""
    text = _BRACKETED.sub(lambda match: match.group(1), sentence)
    spans, removed = [], 0
    for match in _BRACKETED.finditer(sentence):
        start = match.start() - removed
        end = start + len(match.group(1))
        removed += 2
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum() and end > start and text[end - 1].isalnum():
            end += 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return text, spans
