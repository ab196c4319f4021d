"""The authoring format: how people write annotated claims without counting characters.

An annotator writes an article as paragraphs of sentences and names each mention by its
words; this converter finds the offsets. One article per JSON line:

    {"id": "own-0001", "date": "2020-09-24", "style": "wire",
     "paragraphs": [["Iran's foreign minister praised Russia on Thursday.", "He ..."]],
     "claims": [{"s": 0, "source": "Iran's foreign minister",
                 "source_actor": "Mohammad Javad Zarif|IRN|GOV",
                 "target": "Russia", "target_actor": "Russia|RUS|GOV",
                 "cue": "praised", "stance": "cooperative", "mode": "verbal",
                 "event_type": "SUPPORT"}]}

`s` is the sentence index counted across paragraphs. A mention's words must occur in
sentence `s`; when they occur more than once, `<field>_at` (0-based) says which. Actors are
"name|ISO3|SECTOR" strings (empty parts allowed: "United Nations|IGO|", "AUTHOR") or
objects. Optional claim keys: `claim` (content span), `attributed_by` (+ `_actor`),
`modality`. Sentences are joined by one space, paragraphs by a blank line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from model.schema import (
    Actor,
    Article,
    Claim,
    EventType,
    Mention,
    Mode,
    RecordError,
    Span,
    Stance,
    label_for,
    validate,
)

CLAIM_KEYS = {
    "s",
    "source",
    "source_actor",
    "source_at",
    "target",
    "target_actor",
    "target_at",
    "cue",
    "cue_at",
    "claim",
    "claim_at",
    "stance",
    "mode",
    "event_type",
    "attributed_by",
    "attributed_by_actor",
    "attributed_by_at",
    "modality",
    "note",
}
ARTICLE_KEYS = {"id", "date", "style", "paragraphs", "claims", "annotator", "title"}


def parse_actor(value: str | dict[str, Any]) -> Actor:
    """'name|ISO3|SECTOR' (trailing parts optional) or an actor object."""
    if isinstance(value, dict):
        return Actor.from_dict(value)
    name, country, sector = (value.split("|") + ["", ""])[:3]
    return Actor(name=name.strip(), country=country.strip() or None, sector=sector.strip() or None)


def locate(sentence: str, words: str, occurrence: int | None, field: str) -> tuple[int, int]:
    """Offsets of `words` in `sentence`, on word boundaries; ambiguity is an error."""
    pattern = (
        (r"\b" if words[:1].isalnum() else "")
        + re.escape(words)
        + (r"\b" if words[-1:].isalnum() else "")
    )
    hits = [match.span() for match in re.finditer(pattern, sentence)]
    if not hits:
        raise RecordError(f"{words!r} does not occur in sentence {sentence!r}", field=field)
    if occurrence is None:
        if len(hits) > 1:
            raise RecordError(
                f"{words!r} occurs {len(hits)} times in the sentence; set {field}_at", field=field
            )
        return hits[0]
    if not 0 <= occurrence < len(hits):
        raise RecordError(
            f"{field}_at={occurrence} but {words!r} occurs {len(hits)} times", field=field
        )
    return hits[occurrence]


def article_from_draft(draft: dict[str, Any]) -> Article:
    """Turn one authoring record into a validated `Article`."""
    record_id = draft.get("id")
    try:
        unknown = set(draft) - ARTICLE_KEYS
        if unknown:
            raise RecordError(f"unknown keys {sorted(unknown)}")
        paragraphs = draft["paragraphs"]
        pieces, sentences, offset = [], [], 0
        for p_index, paragraph in enumerate(paragraphs):
            if p_index:
                pieces.append("\n\n")
                offset += 2
            for s_index, sentence in enumerate(paragraph):
                if s_index:
                    pieces.append(" ")
                    offset += 1
                pieces.append(sentence)
                sentences.append((offset, offset + len(sentence)))
                offset += len(sentence)
        text = "".join(pieces)
        claims = [
            _claim_from_draft(raw, text, sentences, index)
            for index, raw in enumerate(draft.get("claims") or [])
        ]
        meta = {"date": draft.get("date"), "source": "team-written", "style": draft.get("style")}
        meta.update({k: draft[k] for k in ("annotator", "title") if k in draft})
        article = Article(
            id=record_id,
            text=text,
            meta={k: v for k, v in meta.items() if v},
            claims=tuple(claims),
            sentences=tuple(sentences),
        )
    except RecordError as error:
        raise RecordError(error.message, field=error.field, record_id=record_id) from None
    except (KeyError, TypeError, ValueError) as error:
        raise RecordError(f"{type(error).__name__}: {error}", record_id=record_id) from None
    validate(article)
    return article


def _claim_from_draft(
    raw: dict[str, Any], text: str, sentences: list[tuple[int, int]], index: int
) -> Claim:
    prefix = f"claims[{index}]"
    unknown = set(raw) - CLAIM_KEYS
    if unknown:
        raise RecordError(f"unknown keys {sorted(unknown)}", field=prefix)
    s = raw["s"]
    if not isinstance(s, int) or not 0 <= s < len(sentences):
        raise RecordError(f"sentence index {s!r} out of range", field=f"{prefix}.s")
    start = sentences[s][0]
    sentence = text[sentences[s][0] : sentences[s][1]]

    def span(name: str) -> tuple[int, int] | None:
        words = raw.get(name)
        if not words:
            return None
        a, b = locate(sentence, words, raw.get(f"{name}_at"), f"{prefix}.{name}")
        return start + a, start + b

    def mention(name: str) -> Mention | None:
        offsets = span(name)
        if offsets is None:
            return None
        actor = raw.get(f"{name}_actor")
        if actor is None:
            raise RecordError("missing", field=f"{prefix}.{name}_actor")
        return Mention(text[offsets[0] : offsets[1]], *offsets, actor=parse_actor(actor))

    def plain(name: str) -> Span | None:
        offsets = span(name)
        return Span(text[offsets[0] : offsets[1]], *offsets) if offsets else None

    try:
        stance = Stance(raw["stance"])
        mode = Mode(raw["mode"]) if raw.get("mode") else None
        event_type = EventType(raw["event_type"]) if raw.get("event_type") else None
    except ValueError as error:
        raise RecordError(str(error), field=prefix) from None
    if label_for(stance, mode) is None:
        raise RecordError(f"stance {stance.value} needs a mode", field=f"{prefix}.mode")
    return Claim(
        source=mention("source"),
        target=mention("target"),
        stance=stance,
        mode=mode,
        sentence=s,
        event_type=event_type,
        cue=plain("cue"),
        claim=plain("claim"),
        attributed_by=mention("attributed_by"),
        modality=raw.get("modality"),
    )


def read_authoring(path: str | Path) -> Iterator[Article]:
    """Articles from an authoring-format JSONL file; a bad record raises with its line."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield article_from_draft(json.loads(line))
            except json.JSONDecodeError as error:
                raise RecordError(
                    f"not valid JSON ({error.msg})", path=str(path), line=number
                ) from None
            except RecordError as error:
                raise RecordError(
                    error.message,
                    path=str(path),
                    line=number,
                    field=error.field,
                    record_id=error.record_id,
                ) from None
