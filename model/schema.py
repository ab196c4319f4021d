"""The one data model every part of claimstance speaks.

An `Article` owns its text; `Mention`s and `Span`s are half-open character offsets into it;
a `Claim` links a source mention to a target mention with a stance and a mode.
Everything follows ../shared/ANNOTATION_GUIDELINES.md. Validation happens here, at the
edge, when records are read: a bad record raises `RecordError` naming file, line and field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class Stance(str, Enum):
    COOPERATIVE = "cooperative"
    ADVERSARIAL = "adversarial"
    NEUTRAL = "neutral"


class Mode(str, Enum):
    VERBAL = "verbal"
    MATERIAL = "material"


class Label(str, Enum):
    """The pentaclass: stance x mode, with neutral standing alone (CAMEO quad classes + 0)."""

    NEUTRAL = "neutral"
    VERBAL_COOPERATION = "verbal_cooperation"
    MATERIAL_COOPERATION = "material_cooperation"
    VERBAL_CONFLICT = "verbal_conflict"
    MATERIAL_CONFLICT = "material_conflict"


class EventType(str, Enum):
    """PLOVER event types (the optional, finer label)."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    COOPERATE = "COOPERATE"
    AID = "AID"
    YIELD = "YIELD"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


EVENT_MODES = {
    **dict.fromkeys(
        (EventType.AGREE, EventType.CONSULT, EventType.SUPPORT, EventType.REQUEST)
        + (EventType.ACCUSE, EventType.REJECT, EventType.THREATEN),
        Mode.VERBAL,
    ),
    **dict.fromkeys(
        (EventType.COOPERATE, EventType.AID, EventType.YIELD, EventType.PROTEST)
        + (EventType.SANCTION, EventType.MOBILIZE, EventType.COERCE, EventType.ASSAULT),
        Mode.MATERIAL,
    ),
}
"""The mode a PLOVER type usually has: PLOVER's verbal (say, appeal, accuse, threaten) and
material (act) types. PLV labels agree for 1,043 of its 1,050 training pairs, the own corpus
for 4,045 of 4,167 typed claims ("pledged aid" is verbal AID), so this is a prior, not a rule."""


SECTORS = frozenset(
    {"GOV", "MIL", "LEG", "JUD", "COP", "OPP", "REB", "BUS", "MED", "NGO", "CVL", "REL", "EDU"}
)
AUTHOR = "AUTHOR"
IGO = "IGO"


def label_for(stance: Stance, mode: Mode | None) -> Label | None:
    """The pentaclass of a stance and mode; None when a non-neutral stance lacks its mode."""
    if stance is Stance.NEUTRAL:
        return Label.NEUTRAL
    if mode is None:
        return None
    return {
        (Stance.COOPERATIVE, Mode.VERBAL): Label.VERBAL_COOPERATION,
        (Stance.COOPERATIVE, Mode.MATERIAL): Label.MATERIAL_COOPERATION,
        (Stance.ADVERSARIAL, Mode.VERBAL): Label.VERBAL_CONFLICT,
        (Stance.ADVERSARIAL, Mode.MATERIAL): Label.MATERIAL_CONFLICT,
    }[(stance, mode)]


def stance_mode_for(label: Label) -> tuple[Stance, Mode | None]:
    """Inverse of `label_for`; a neutral label does not fix the mode."""
    return {
        Label.NEUTRAL: (Stance.NEUTRAL, None),
        Label.VERBAL_COOPERATION: (Stance.COOPERATIVE, Mode.VERBAL),
        Label.MATERIAL_COOPERATION: (Stance.COOPERATIVE, Mode.MATERIAL),
        Label.VERBAL_CONFLICT: (Stance.ADVERSARIAL, Mode.VERBAL),
        Label.MATERIAL_CONFLICT: (Stance.ADVERSARIAL, Mode.MATERIAL),
    }[label]


class RecordError(ValueError):
    """A record that breaks the schema: where it is and what is wrong."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
        record_id: str | None = None,
    ):
        self.message, self.path, self.line, self.field, self.record_id = (
            message,
            path,
            line,
            field,
            record_id,
        )
        where = ":".join(str(part) for part in (path, line) if part is not None)
        parts = [
            where,
            f"record {record_id!r}" if record_id else "",
            f"field {field!r}" if field else "",
            message,
        ]
        super().__init__(": ".join(part for part in parts if part))


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor: name, ISO3 country (or IGO) and sector, as the guidelines code them."""

    name: str
    country: str | None = None
    sector: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (("name", self.name), ("country", self.country), ("sector", self.sector))
            if v is not None
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        return cls(
            name=_require(data, "name", str), country=data.get("country"), sector=data.get("sector")
        )

    def code(self) -> str:
        """A CAMEO-style code ("IRNGOV", "IGO"), the unit dyad scoring aggregates on."""
        return (self.country or "") + (self.sector or "") or self.name


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character offsets into an article's text (cue and claim spans)."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return cls(
            text=_require(data, "text", str),
            start=_require(data, "start", int),
            end=_require(data, "end", int),
        )

    def overlaps(self, other: Span | Mention) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor mention: a span of the text plus the canonical actor it refers to."""

    text: str
    start: int
    end: int
    actor: Actor | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.actor is not None:
            data["actor"] = self.actor.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        actor = data.get("actor")
        return cls(
            text=_require(data, "text", str),
            start=_require(data, "start", int),
            end=_require(data, "end", int),
            actor=Actor.from_dict(actor) if actor is not None else None,
        )

    def overlaps(self, other: Span | Mention) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def is_author(self) -> bool:
        """The journalist's own voice (actor AUTHOR): an evaluative phrase, not an actor."""
        return self.actor is not None and self.actor.name == AUTHOR


@dataclass(frozen=True, slots=True)
class Claim:
    """Who (source) asserts or does what (cue, claim) about whom (target), with what stance.

    Fields a corpus does not annotate stay None (PolNeAR has no target or stance, AW no
    mode). `stance_options` narrows an unknown stance where a corpus says only what it is
    not (AW's "not conflict" = cooperative or neutral). `score` is set on predictions only.
    """

    source: Mention | None
    target: Mention | None = None
    stance: Stance | None = None
    mode: Mode | None = None
    sentence: int | None = None
    event_type: EventType | None = None
    cue: Span | None = None
    claim: Span | None = None
    attributed_by: Mention | None = None
    modality: str | None = None
    stance_options: tuple[Stance, ...] | None = None
    score: float | None = None

    @property
    def label(self) -> Label | None:
        return label_for(self.stance, self.mode) if self.stance is not None else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.sentence is not None:
            data["sentence"] = self.sentence
        for name in ("source", "target"):
            mention = getattr(self, name)
            if mention is not None:
                data[name] = mention.to_dict()
        if self.stance is not None:
            data["stance"] = self.stance.value
        if self.mode is not None:
            data["mode"] = self.mode.value
        if self.label is not None:
            data["label"] = self.label.value
        if self.event_type is not None:
            data["event_type"] = self.event_type.value
        for name in ("cue", "claim", "attributed_by"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value.to_dict()
        if self.modality is not None:
            data["modality"] = self.modality
        if self.stance_options is not None:
            data["stance_options"] = [stance.value for stance in self.stance_options]
        if self.score is not None:
            data["score"] = round(self.score, 4)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        def optional(name: str, parse):
            value = data.get(name)
            if value is None:
                return None
            try:
                return parse(value)
            except RecordError:
                raise
            except (ValueError, TypeError, KeyError) as error:
                raise RecordError(f"invalid value {value!r} ({error})", field=name) from None

        claim = cls(
            source=optional("source", Mention.from_dict),
            target=optional("target", Mention.from_dict),
            stance=optional("stance", Stance),
            mode=optional("mode", Mode),
            sentence=optional("sentence", int),
            event_type=optional("event_type", EventType),
            cue=optional("cue", Span.from_dict),
            claim=optional("claim", Span.from_dict),
            attributed_by=optional("attributed_by", Mention.from_dict),
            modality=optional("modality", str),
            stance_options=optional("stance_options", lambda v: tuple(Stance(s) for s in v)),
            score=optional("score", float),
        )
        given = data.get("label")
        if given is not None:
            if given not in {label.value for label in Label}:
                raise RecordError(f"unknown label {given!r}", field="label")
            if claim.stance is None or given != getattr(claim.label, "value", None):
                raise RecordError(
                    f"label {given!r} does not follow from stance {data.get('stance')!r} "
                    f"and mode {data.get('mode')!r}",
                    field="label",
                )
        return claim


@dataclass(frozen=True, slots=True)
class Article:
    """A news text and what is annotated or predicted in it.

    `sentences` are optional (start, end) offsets of the sentence split that `Claim.sentence`
    indexes; `mentions` optionally lists annotated actor mentions, so that pairs of them
    without a claim are known negatives (corpora that mark entity pairs).
    """

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    claims: tuple[Claim, ...] = ()
    sentences: tuple[tuple[int, int], ...] | None = None
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "meta": self.meta,
            "claims": [claim.to_dict() for claim in self.claims],
        }
        if self.sentences is not None:
            data["sentences"] = [list(pair) for pair in self.sentences]
        if self.mentions:
            data["mentions"] = [mention.to_dict() for mention in self.mentions]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        if not isinstance(data, dict):
            raise RecordError("a record must be a JSON object")
        record_id = _require(data, "id", str)
        try:
            claims = []
            for index, claim in enumerate(data.get("claims") or []):
                try:
                    claims.append(Claim.from_dict(claim))
                except RecordError as error:
                    raise RecordError(
                        error.message,
                        field=f"claims[{index}].{error.field}"
                        if error.field
                        else f"claims[{index}]",
                    ) from None
                except AttributeError:
                    raise RecordError(
                        "a claim must be a JSON object", field=f"claims[{index}]"
                    ) from None
            sentences = data.get("sentences")
            article = cls(
                id=record_id,
                text=_require(data, "text", str),
                meta=data.get("meta") or {},
                claims=tuple(claims),
                sentences=tuple((int(a), int(b)) for a, b in sentences) if sentences else None,
                mentions=tuple(Mention.from_dict(m) for m in data.get("mentions") or ()),
            )
        except RecordError as error:
            raise RecordError(error.message, field=error.field, record_id=record_id) from None
        except (TypeError, ValueError) as error:
            raise RecordError(str(error), record_id=record_id) from None
        validate(article)
        return article

    def sentence_of(self, offset: int) -> int | None:
        """Index of the sentence holding a character offset (needs `sentences`)."""
        for index, (start, end) in enumerate(self.sentences or ()):
            if start <= offset < end:
                return index
        return None


def _require(data: dict[str, Any], name: str, kind: type):
    if name not in data:
        raise RecordError("missing", field=name)
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordError(f"expected {kind.__name__}, got {type(value).__name__}", field=name)
    return value


def validate(article: Article) -> None:
    """Check offsets, sentence indices and actor codes; raise `RecordError` on the first fault."""
    text = article.text

    def check_span(span: Span | Mention, where: str) -> None:
        if not 0 <= span.start < span.end <= len(text):
            raise RecordError(
                f"offsets [{span.start}, {span.end}) outside the text (length {len(text)})",
                field=where,
                record_id=article.id,
            )
        if text[span.start : span.end] != span.text:
            raise RecordError(
                f"text[{span.start}:{span.end}] is "
                f"{text[span.start : span.end]!r}, not {span.text!r}",
                field=where,
                record_id=article.id,
            )
        actor = getattr(span, "actor", None)
        if actor is not None:
            check_actor(actor, where)

    def check_actor(actor: Actor, where: str) -> None:
        country = actor.country
        if country is not None and not (
            country == IGO or (len(country) == 3 and country.isalpha() and country.isupper())
        ):
            raise RecordError(
                f"country {country!r} is neither ISO3 nor IGO",
                field=f"{where}.actor.country",
                record_id=article.id,
            )
        if actor.sector is not None and actor.sector not in SECTORS:
            raise RecordError(
                f"unknown sector {actor.sector!r}",
                field=f"{where}.actor.sector",
                record_id=article.id,
            )

    if not text.strip():
        raise RecordError("empty text", field="text", record_id=article.id)
    for index, (start, end) in enumerate(article.sentences or ()):
        if not 0 <= start < end <= len(text):
            raise RecordError(
                f"sentence offsets [{start}, {end}) outside the text",
                field=f"sentences[{index}]",
                record_id=article.id,
            )
    for index, mention in enumerate(article.mentions):
        check_span(mention, f"mentions[{index}]")
    for index, claim in enumerate(article.claims):
        prefix = f"claims[{index}]"
        for name in ("source", "target", "cue", "claim", "attributed_by"):
            span = getattr(claim, name)
            if span is not None:
                check_span(span, f"{prefix}.{name}")
        if article.sentences is not None and claim.sentence is not None:
            if not 0 <= claim.sentence < len(article.sentences):
                raise RecordError(
                    f"sentence {claim.sentence} out of range ({len(article.sentences)} sentences)",
                    field=f"{prefix}.sentence",
                    record_id=article.id,
                )
            start, end = article.sentences[claim.sentence]
            for name in ("source", "target", "cue"):
                span = getattr(claim, name)
                if span is not None and not (start <= span.start and span.end <= end):
                    raise RecordError(
                        f"{name} {span.text!r} lies outside sentence {claim.sentence}",
                        field=f"{prefix}.{name}",
                        record_id=article.id,
                    )


def read_jsonl(path: str | Path, errors: list[RecordError] | None = None) -> Iterator[Article]:
    """Read articles from JSON Lines.

    With `errors=None` the first bad record raises; with a list, bad records are appended to
    it (with file and line) and reading goes on, so a batch run loses nothing else.
    """
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield Article.from_dict(json.loads(line))
            except json.JSONDecodeError as error:
                failure = RecordError(f"not valid JSON ({error.msg})", path=str(path), line=number)
            except RecordError as error:
                failure = RecordError(
                    error.message,
                    path=str(path),
                    line=number,
                    field=error.field,
                    record_id=error.record_id,
                )
            else:
                continue
            if errors is None:
                raise failure
            errors.append(failure)


def write_jsonl(articles: Iterable[Article], path: str | Path) -> int:
    """Write articles as JSON Lines; returns how many were written."""
    count = 0
    with Path(path).open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    return count
