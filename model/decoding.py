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


def decode_tags(
    sentence: EncodedSentence, tag_logits: torch.Tensor, roles: tuple[str, ...]
) -> dict[str, list[tuple[int, int, float]]]:
    """BIO logits [pieces, roles, 3] -> role -> [(char start, char end, mean probability)].

    Tags are read on each word's first piece (the pieces the tagger is trained on) and
    decoded per role as the likeliest valid BIO sequence (I only after B or I; for actor
    roles, no B right after B or I), so a span is whole words, and whole dotted
    abbreviations, and never starts in the middle of one.
    """
    starts = sentence.word_starts()
    found: dict[str, list[tuple[int, int, float]]] = {role: [] for role in roles}
    if not starts:
        return found
    probs = tag_logits[starts].float().softmax(-1)  # [words, roles, 3]
    for r, role in enumerate(roles):
        path = viterbi(probs[:, r].clamp_min(1e-9).log(), role not in NO_ABUTTING_SPANS)
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


def viterbi(log_probs: torch.Tensor, spans_may_abut: bool = True) -> list[int]:
    """The best O/B/I path [words] under log-probabilities [words, 3], with I forbidden at
    the start and after O (and B after B or I unless `spans_may_abut`)."""
    allowed = torch.zeros(3, 3)
    allowed[_O, _I] = float("-inf")  # from O to I
    if not spans_may_abut:
        allowed[_B, _B] = allowed[_I, _B] = float("-inf")
    score = log_probs[0].clone()
    score[_I] = float("-inf")
    back = []
    for emission in log_probs[1:]:
        total = score[:, None] + allowed  # [from, to]
        best, previous = total.max(0)
        back.append(previous)
        score = best + emission
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
