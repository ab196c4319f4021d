"""Score systems on labelled sentence examples: one path for training dev checks, the
benchmark script, the baselines and the bootstrap.

A system's output on one unit (a sentence, or an article's sentences) becomes a
`UnitResult`: (gold, predicted) label pairs per task and (gold, predicted) spans per role;
`summarize` turns any list of units into the metrics, so resampling units for confidence
intervals reuses the same code. Pair-level tasks use the gold mentions (the guidelines' pair
level); end-to-end claims are added by `scripts/evaluate.py` with the whole extractor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import torch

from model.decoding import decode_tags, pair_mode
from model.features import EncodedSentence, encode_sentences
from model.network import (
    EVENT_TYPES,
    PAIR_STANCES,
    SENTENCE_LABELS,
    ClaimNetwork,
    NetworkOutput,
)
from model.precision import autocast, resolve_precision
from model.schema import Mode, Stance, label_for
from training.dataset import PairExample, SentenceExample, collate
from training.metrics import classification, prf, span_scores

Span = tuple[int, int]
# The metric that early stopping and the report headline use for each corpus.
PRIMARY = {
    "claims": "pair_label/macro_f1",
    "cameo": "sentence/macro_f1",
    "plv": "pair_label/macro_f1",
    "aw": "binary/macro_f1",
    "directed_sentiment": "five_class/macro_f1",
    "polnear": "SOURCE/overlap_f1",
}
LABEL_SETS = {
    "sentence": SENTENCE_LABELS,
    "binary": ("conflict", "other"),
    "five_class": ("0", "1", "2", "3", "4"),
}


@dataclass
class UnitResult:
    labels: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    spans: dict[str, list[tuple[list[Span], list[Span]]]] = field(default_factory=dict)
    """role -> one (gold, predicted) pair of span lists per sentence"""
    counts: Counter = field(default_factory=Counter)
    """end-to-end tallies: claim_tp/claim_pred/claim_gold, dyad_tp/dyad_pred/dyad_gold"""

    def add(self, task: str, gold: str, pred: str) -> None:
        self.labels.setdefault(task, []).append((gold, pred))

    def merge(self, other: UnitResult) -> None:
        for task, pairs in other.labels.items():
            self.labels.setdefault(task, []).extend(pairs)
        for role, pairs in other.spans.items():
            self.spans.setdefault(role, []).extend(pairs)
        self.counts.update(other.counts)


def summarize(units: list[UnitResult]) -> dict[str, float]:
    """All metrics the units support, keyed `task/metric`."""
    scores: dict[str, float] = {}
    labels: dict[str, list[tuple[str, str]]] = {}
    spans: dict[str, list[tuple[list[Span], list[Span]]]] = {}
    counts: Counter = Counter()
    for unit in units:
        for task, pairs in unit.labels.items():
            labels.setdefault(task, []).extend(pairs)
        for role, pairs in unit.spans.items():
            spans.setdefault(role, []).extend(pairs)
        counts.update(unit.counts)
    for task, pairs in sorted(labels.items()):
        gold, pred = [g for g, _ in pairs], [p for _, p in pairs]
        label_set = LABEL_SETS.get(task) or sorted(set(gold))
        if task == "detection":
            label_set = ["claim"]
        result = classification(gold, pred, label_set)
        scores.update({f"{task}/{key}": value for key, value in result.items()})
    for role, pairs in sorted(spans.items()):
        result = span_scores([g for g, _ in pairs], [p for _, p in pairs])
        scores.update({f"{role}/{key}": value for key, value in result.items()})
    for kind in ("claim", "dyad"):
        if counts[f"{kind}_gold"] or counts[f"{kind}_pred"]:
            tp = counts[f"{kind}_tp"]
            p, r, f = prf(tp, counts[f"{kind}_pred"] - tp, counts[f"{kind}_gold"] - tp)
            scores.update({f"{kind}/precision": p, f"{kind}/recall": r, f"{kind}/f1": f})
    return scores


def gold_label(pair: PairExample) -> str | None:
    """The pentaclass of a fully labelled claim pair, else None."""
    if len(pair.stances) != 1 or pair.stances[0] == "none":
        return None
    if pair.stances[0] != "neutral" and pair.mode is None:
        return None
    return label_for(Stance(pair.stances[0]), Mode(pair.mode) if pair.mode else None).value


# -- the network ----------------------------------------------------------------------------


@dataclass
class ExamplePrediction:
    roles: dict[str, list[tuple[int, int, float]]]
    sentence_probs: list[float]
    pairs: list[tuple[PairExample, list[float], list[float], list[float]]]
    """(gold pair, stance, mode and event-type probabilities)"""


INPUTS = (
    "input_ids",
    "attention_mask",
    "pair_index",
    "pair_source",
    "pair_target",
    "pair_types",
    "pair_input_ids",
    "pair_attention_mask",
    "pair_markers",
    "tag_scheme",
)
"""The batch fields a forward pass reads; the label fields stay out, so no loss is computed."""


@torch.no_grad()
def forward_batches(
    network, tokenizer, examples: list[SentenceExample], max_length: int, batch_size: int, precision
) -> Iterator[tuple[list[EncodedSentence], dict, list[tuple[int, PairExample]], NetworkOutput]]:
    """The network's outputs over `examples` in order, `batch_size` at a time, in eval mode
    (restored after): each batch's encoded sentences, its collated tensors (labels included),
    which example each pair row came from, and the output."""
    was_training = network.training
    network.eval()
    device = next(network.parameters()).device
    precision = resolve_precision(precision, device)
    try:
        for offset in range(0, len(examples), batch_size):
            chunk = examples[offset : offset + batch_size]
            encoded = encode_sentences(tokenizer, [e.text for e in chunk], max_length)
            batch, kept = collate(
                chunk,
                tokenizer,
                max_length,
                network.config.pair_encoding,
                network.config.marker_ids,
                encoded=encoded,
                tag_schemes=network.config.tag_schemes,
                mention_types=network.config.mention_types,
                marker_type_ids=network.config.marker_type_ids,
            )
            with autocast(precision, device):
                output = network({k: v.to(device) for k, v in batch.items() if k in INPUTS})
            yield encoded, batch, kept, output
    finally:
        network.train(was_training)


def predict_examples(
    network: ClaimNetwork,
    tokenizer,
    examples: list[SentenceExample],
    max_length: int,
    batch_size: int = 32,
    precision: str = "auto",
) -> list[ExamplePrediction]:
    predictions = []
    for encoded, _, kept, output in forward_batches(
        network, tokenizer, examples, max_length, batch_size, precision
    ):
        rows = [
            ExamplePrediction(
                roles=decode_tags(sentence, output.tag_logits[i].cpu(), network.config.tag_roles),
                sentence_probs=output.sentence_logits[i].softmax(-1).tolist(),
                pairs=[],
            )
            for i, sentence in enumerate(encoded)
        ]
        if kept:
            stance = output.stance_logits.softmax(-1).cpu().tolist()
            mode = output.mode_logits.softmax(-1).cpu().tolist()
            event = output.event_logits.softmax(-1).cpu().tolist()
            for row, (index, pair) in enumerate(kept):
                rows[index].pairs.append((pair, stance[row], mode[row], event[row]))
        predictions.extend(rows)
    return predictions


def argmax(values: list[float]) -> int:
    return max(range(len(values)), key=values.__getitem__)


def pair_label(
    stance_probs: list[float],
    mode_probs: list[float],
    event_probs: list[float],
    event_mode_weight: float = 0.0,
) -> str:
    """Label of a pair known to be a claim: best non-none stance, with the predicted mode."""
    best = max(range(1, len(PAIR_STANCES)), key=lambda i: stance_probs[i])
    mode = pair_mode(mode_probs, event_probs, event_mode_weight)
    return label_for(Stance(PAIR_STANCES[best]), Mode(mode)).value


def network_unit(
    example: SentenceExample, prediction: ExamplePrediction, event_mode_weight: float = 0.0
) -> UnitResult:
    """What the network got right and wrong on one sentence, task by task."""
    unit = UnitResult()
    if example.sentence_label:
        probs = prediction.sentence_probs
        unit.add(
            "sentence",
            example.sentence_label,
            SENTENCE_LABELS[argmax(probs)],
        )
    if example.roles is not None:
        for role, gold in example.roles.items():
            unit.spans[role] = [(gold, [(a, b) for a, b, _ in prediction.roles[role]])]
    for pair, probs, mode, event in prediction.pairs:
        label = gold_label(pair)
        if label:
            unit.add("pair_label", label, pair_label(probs, mode, event, event_mode_weight))
            unit.add(
                "pair_stance",
                pair.stances[0],
                PAIR_STANCES[max(range(1, 4), key=probs.__getitem__)],
            )
        if pair.event_type:
            unit.add("event", pair.event_type, EVENT_TYPES[argmax(event)])
        if len(pair.stances) == 1 and example.corpus in {"claims", "cameo"}:
            unit.add(
                "detection",
                "none" if pair.stances[0] == "none" else "claim",
                "claim" if probs[0] < 0.5 else "none",
            )
        if example.corpus == "aw":
            unit.add(
                "binary",
                "conflict" if "adversarial" in pair.stances else "other",
                "conflict" if probs[2] > 0.5 else "other",
            )
    if example.corpus == "directed_sentiment" and example.meta.get("label") is not None:
        unit.add("five_class", str(example.meta["label"]), directed_class(example, prediction))
    return unit


def directed_class(example: SentenceExample, prediction: ExamplePrediction) -> str:
    """The directed-sentiment class of an (e1, e2) sentence from both directions' scores."""
    e1 = example.meta.get("first_mention")
    directions = [item for item in prediction.pairs if e1 in (item[0].source, item[0].target)]
    if not directions:
        return "0"
    best_direction = max(directions, key=lambda item: 1 - item[1][0])
    probs = best_direction[1]
    if max(probs[1], probs[2]) < max(probs[0], probs[3]):
        return "0"
    forward = best_direction[0].source == e1
    cooperative = probs[1] >= probs[2]
    return {(True, True): "1", (False, True): "2", (True, False): "3", (False, False): "4"}[
        (forward, cooperative)
    ]


def group_units(
    examples: list[SentenceExample], units: list[UnitResult], by_article: bool
) -> list[UnitResult]:
    """Sentences as units, or merged per article (the bootstrap resamples articles)."""
    if not by_article:
        return units
    merged: dict[str, UnitResult] = {}
    for example, unit in zip(examples, units):
        merged.setdefault(example.article_id, UnitResult()).merge(unit)
    return list(merged.values())


def score_examples(
    corpus: str, examples: list[SentenceExample], predictions: list[ExamplePrediction]
) -> dict[str, float]:
    scores = summarize([network_unit(e, p) for e, p in zip(examples, predictions)])
    if PRIMARY.get(corpus) in scores:
        scores["primary"] = scores[PRIMARY[corpus]]
    return scores
