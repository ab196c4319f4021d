"""Network outputs -> spans and labels, outside the network (as GLiNER and flair do)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import torch

from model.features import EncodedSentence
from model.network import BIO, EVENT_TYPES, MODES
from model.schema import EVENT_MODES, EventType, Mode

_O, _B, _I = (BIO.index(tag) for tag in "OBI")
# Actor spans of one role never directly follow each other in the annotated corpora (CAMEO:
# 0 of 1,119 span starts; the own corpus: none of its SOURCE/TARGET spans), so a new actor
# span may not start on the word right after one: "The" + "British government" is one span.
NO_ABUTTING_SPANS = {"SOURCE", "TARGET"}
# The tokenizer splits a dotted abbreviation ("U.N.", "U.S.") into a word per letter and dot,
# so a decoded span can stop inside one ("the U." for "the U.N. agency"). Spans are widened
# to whole abbreviations.
ABBREVIATION = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}")
# Words that (almost) never end an annotated span of a role. In the training splits, actor
# spans end on an article, preposition or conjunction 0 times in 7,888 (own corpus), once in
# 2,264 (CAMEO) and 10 times in 17,310 (PolNeAR sources); claim contents end on an article,
# conjunction or "of" 3 times in 26,934. The tagger still emits such stubs: a lone "the"
# where it is sure a target starts but not where it ends (33 of 975 predicted own-corpus dev
# targets, none right). Decoding forbids them: the span reaches a content word or is dropped.
_ARTICLES_AND_CONJUNCTIONS = frozenset({"the", "a", "an", "and", "or", "but"})
_PREPOSITIONS = frozenset(
    "of in on at to for from by with into about against over under as".split()
)
_CANNOT_END_ACTOR = _ARTICLES_AND_CONJUNCTIONS | _PREPOSITIONS
CANNOT_END_SPAN = {
    "SOURCE": _CANNOT_END_ACTOR,
    "TARGET": _CANNOT_END_ACTOR,
    "CLAIM": _ARTICLES_AND_CONJUNCTIONS | {"of"},
}


def decode_tags(
    sentence: EncodedSentence, tag_logits: torch.Tensor, roles: tuple[str, ...]
) -> dict[str, list[tuple[int, int, float]]]:
    """BIO logits [pieces, roles, 3] -> role -> [(char start, char end, mean probability)].

    Tags are read on each word's first piece (the pieces the tagger is trained on) and
    decoded per role as the likeliest valid BIO sequence (I only after B or I; for actor
    roles, no B right after B or I; no span ending on a word in `CANNOT_END_SPAN`), so a
    span is whole words, and whole dotted abbreviations, and never starts in the middle of one.
    """
    starts = sentence.word_starts()
    found: dict[str, list[tuple[int, int, float]]] = {role: [] for role in roles}
    if not starts:
        return found
    probs = tag_logits[starts].float().softmax(-1)  # [words, roles, 3]
    words = [sentence.text[sentence.offsets[p][0] : sentence.word_end(p)].lower() for p in starts]
    for r, role in enumerate(roles):
        final = CANNOT_END_SPAN.get(role, frozenset())
        path = viterbi(
            probs[:, r].clamp_min(1e-9).log(),
            role not in NO_ABUTTING_SPANS,
            may_end=[word not in final for word in words],
        )
        current: list | None = None
        for word, (piece, tag) in enumerate(zip(starts, path)):
            if tag == _O:
                current = None
                continue
            end = sentence.word_end(piece)
            score = float(probs[word, r, tag])
            if tag == _I and current is not None:
                current[1] = end
                current[2].append(score)
            else:
                current = [sentence.offsets[piece][0], end, [score]]
                found[role].append(current)
        found[role] = [
            (*whole_abbreviations(sentence.text, a, b), sum(s) / len(s)) for a, b, s in found[role]
        ]
    return found


def whole_abbreviations(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened so that neither end falls inside a dotted abbreviation."""
    for match in ABBREVIATION.finditer(text):
        if match.start() < start < match.end():
            start = match.start()
        if match.start() < end < match.end():
            end = match.end()
    return start, end


def viterbi(
    log_probs: torch.Tensor, spans_may_abut: bool = True, may_end: Sequence[bool] | None = None
) -> list[int]:
    """The best O/B/I path [words] under log-probabilities [words, 3], with I forbidden at
    the start and after O (and B after B or I unless `spans_may_abut`), and no span ending
    on a word whose `may_end` is False."""
    allowed = torch.zeros(3, 3)
    allowed[_O, _I] = float("-inf")  # from O to I
    if not spans_may_abut:
        allowed[_B, _B] = allowed[_I, _B] = float("-inf")
    no_end = allowed.clone()
    for inside_a_span in (_B, _I):  # from B or I, nothing but I
        no_end[inside_a_span, _O] = no_end[inside_a_span, _B] = float("-inf")
    may_end = may_end or [True] * len(log_probs)
    score = log_probs[0].clone()
    score[_I] = float("-inf")
    back = []
    for word, emission in enumerate(log_probs[1:], start=1):
        total = score[:, None] + (allowed if may_end[word - 1] else no_end)  # [from, to]
        best, previous = total.max(0)
        back.append(previous)
        score = best + emission
    if not may_end[-1]:
        score[_B] = score[_I] = float("-inf")
    path = [int(score.argmax())]
    for previous in reversed(back):
        path.append(int(previous[path[-1]]))
    return path[::-1]


_MATERIAL_TYPES = [
    i for i, name in enumerate(EVENT_TYPES) if EVENT_MODES[EventType(name)] is Mode.MATERIAL
]


def pair_mode(
    mode_probs: Sequence[float], event_probs: Sequence[float], event_weight: float = 0.0
) -> str:
    """Verbal or material: the mode head's material probability, blended with weight
    `event_weight` with the material share of the PLOVER type head (`EVENT_MODES`). The type
    head learns finer classes (an attack, a sanction, an aid delivery), so its implied mode
    can be surer than the two-way head's. The weight is kept in the checkpoint: 0 (the mode
    head alone) unless tuned on dev (`train.tune_event_mode_weight`)."""
    material = sum(event_probs[i] for i in _MATERIAL_TYPES)
    blended = (1 - event_weight) * mode_probs[MODES.index("material")] + event_weight * material
    return "material" if blended > 0.5 else "verbal"
