"""Network outputs -> spans and labels, outside the network (as GLiNER and flair do)."""

from __future__ import annotations

import torch

from model.features import EncodedSentence
from model.network import BIO


def decode_tags(
    sentence: EncodedSentence, tag_logits: torch.Tensor, roles: tuple[str, ...]
) -> dict[str, list[tuple[int, int, float]]]:
    """BIO logits [pieces, roles, 3] -> role -> [(char start, char end, mean probability)].

    A span starts at B (or at an I that follows O) and grows over I; spans end on word
    boundaries because word pieces carry their character offsets.
    """
    probs = tag_logits.softmax(-1)
    best = probs.argmax(-1)
    found: dict[str, list[tuple[int, int, float]]] = {role: [] for role in roles}
    for r, role in enumerate(roles):
        current: list | None = None
        for index, (start, end) in enumerate(sentence.offsets):
            if end <= start:
                continue
            tag = BIO[int(best[index, r])]
            if tag == "O":
                current = None
                continue
            score = float(probs[index, r, best[index, r]])
            continuing = tag == "I" and current is not None
            if continuing or (current is not None and start == current[1]):  # word piece of a word
                current[1] = end
                current[2].append(score)
            else:
                current = [start, end, [score]]
                found[role].append(current)
        found[role] = [(a, b, sum(s) / len(s)) for a, b, s in found[role]]
    return found
