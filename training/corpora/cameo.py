"""CAMEO (ConfliBERT `data/cameo_class` and `data/cameo_ner`): sentence labels and actor spans.

`class_*.tsv` is `sentence<TAB>label` (the pentaclass 0-4); `spans_*.txt` has one `token TAG`
per line (B/I-S source, B/I-T target, B/I-R an actor on both sides), sentences separated by
blank lines. `read_cameo` joins the two by sentence text (compared without white space and
with quote marks folded): a joined sentence gets a claim from every source-side mention
(S or R) to every target-side mention (T or R), labelled with the sentence label. Class-only
sentences keep their label in `meta["sentence_label"]`; span-only sentences keep their
claims with the stance unknown. `meta["joined"]` says which case a sentence is.

Every sentence of the span file also keeps its tags as `meta["roles"]` ({"SOURCE": [[start,
end], ...], "TARGET": [...]}, R on both sides): a sentence that marks only a source has no
claim, yet its source is still marked. Class-only sentences have no `roles`: their spans
were never annotated, so they say nothing about where actors are.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

from model.schema import Article, Claim, Label, Mention, RecordError, stance_mode_for

PENTA = {
    "0": Label.NEUTRAL,
    "1": Label.VERBAL_COOPERATION,
    "2": Label.MATERIAL_COOPERATION,
    "3": Label.VERBAL_CONFLICT,
    "4": Label.MATERIAL_CONFLICT,
}
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)

TaggedSentence = list[tuple[str, str]]


def read_cameo_class(path: str | Path) -> Iterator[tuple[int, str, Label]]:
    """(line, sentence, label) rows of a CAMEO class file."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            sentence, _, label = line.rpartition("\t")
            if label not in PENTA or not sentence.strip():
                raise RecordError(
                    f"expected 'sentence<TAB>0-4', got label {label!r}", path=str(path), line=number
                )
            yield number, sentence, PENTA[label]


def read_cameo_spans(path: str | Path) -> Iterator[tuple[int, TaggedSentence]]:
    """(first line, [(token, tag), ...]) sentences of a CAMEO span file."""
    path = Path(path)
    sentence: TaggedSentence = []
    first = 1
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if not fields:
                if sentence:
                    yield first, sentence
                sentence = []
                continue
            if not sentence:
                first = number
            if len(fields) != 2 or fields[1][:2] not in {"B-", "I-", "O"}:
                raise RecordError(
                    f"expected 'token TAG', got {line.strip()!r}", path=str(path), line=number
                )
            sentence.append((fields[0], fields[1]))
    if sentence:
        yield first, sentence


def read_cameo(class_path: str | Path, spans_path: str | Path) -> Iterator[Article]:
    """Join the class and span files into one Article per distinct sentence."""
    class_rows = list(read_cameo_class(class_path))
    by_key: dict[str, tuple[int, str, Label]] = {}
    for row in class_rows:
        by_key.setdefault(sentence_key(row[1]), row)
    joined: set[str] = set()
    for line, tagged in read_cameo_spans(spans_path):
        key = sentence_key("".join(token for token, _ in tagged))
        row = by_key.get(key)
        text, offsets = None, None
        if row is not None:
            offsets = _align([token for token, _ in tagged], row[1])
            text = row[1] if offsets is not None else None
        if text is None:
            text = " ".join(token for token, _ in tagged)
            offsets = _token_offsets([token for token, _ in tagged])
            row = None
        label = row[2] if row else None
        mentions = _mentions(tagged, offsets, text)
        sources = [m for role, m in mentions if role in "SR"]
        targets = [m for role, m in mentions if role in "TR"]
        stance, mode = stance_mode_for(label) if label else (None, None)
        claims = tuple(
            Claim(source=s, target=t, stance=stance, mode=mode, sentence=0)
            for s in sources
            for t in targets
            if s != t
        )
        meta = {
            "corpus": "cameo",
            "joined": "class+spans" if row else "spans-only",
            "roles": {
                "SOURCE": [[m.start, m.end] for m in sources],
                "TARGET": [[m.start, m.end] for m in targets],
            },
        }
        if label:
            meta["sentence_label"] = label.value
            joined.add(key)
        yield Article(
            id=f"cameo-spans-{line}",
            text=text,
            meta=meta,
            claims=claims,
            sentences=((0, len(text)),),
            mentions=tuple(m for _, m in mentions),
        )
    for line, sentence, label in class_rows:
        key = sentence_key(sentence)
        if key in joined:
            continue
        joined.add(key)
        yield Article(
            id=f"cameo-class-{line}",
            text=sentence,
            meta={"corpus": "cameo", "joined": "class-only", "sentence_label": label.value},
            sentences=((0, len(sentence)),),
        )


def _fold(text: str) -> str:
    """Lower-case, fold quotes and dashes, strip accents; one character for one character."""
    return (
        "".join(unicodedata.normalize("NFKD", char)[:1] for char in text).translate(_FOLD).lower()
    )


def sentence_key(text: str) -> str:
    """How class and span sentences are matched: folded, without white space."""
    return "".join(_fold(text).split())


def _align(tokens: list[str], text: str) -> list[tuple[int, int]] | None:
    """Character offsets of each token in `text`, or None if they do not line up."""
    folded = _fold(text)
    offsets, position = [], 0
    for token in tokens:
        token = _fold(token)
        while position < len(folded) and folded[position].isspace():
            position += 1
        if not folded.startswith(token, position):
            return None
        offsets.append((position, position + len(token)))
        position += len(token)
    return offsets


def _token_offsets(tokens: list[str]) -> list[tuple[int, int]]:
    offsets, position = [], 0
    for token in tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    return offsets


def _mentions(
    tagged: TaggedSentence, offsets: list[tuple[int, int]], text: str
) -> list[tuple[str, Mention]]:
    """BIO runs to (role, Mention); an I- tag that does not continue its role starts a run."""
    runs: list[list] = []
    previous_role = None
    for (_, tag), (start, end) in zip(tagged, offsets):
        role = tag[2:] if tag != "O" else None
        if role is not None and tag.startswith("I-") and role == previous_role:
            runs[-1][2] = end
        elif role is not None:
            runs.append([role, start, end])
        previous_role = role
    return [(role, Mention(text[start:end], start, end)) for role, start, end in runs]
