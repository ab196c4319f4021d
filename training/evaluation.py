"""Score a network on labelled sentence examples: each benchmark's own metric.

Pair-level scores use the gold mentions (the guidelines' pair level); the end-to-end claim
and dyad scores, which need the whole extraction pipeline, live in `scripts/evaluate.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from model.decoding import decode_tags
from model.features import encode_sentences
from model.network import EVENT_TYPES, MODES, PAIR_STANCES, SENTENCE_LABELS, ClaimNetwork
from model.schema import Mode, Stance, label_for
from training.dataset import PairExample, SentenceExample, collate
from training.metrics import classification, span_scores

PENTA = tuple(SENTENCE_LABELS)
# The metric early stopping and the report use for each corpus.
PRIMARY = {"claims": "pair_label_macro_f1", "cameo": "sentence_macro_f1",
           "plv": "pair_label_macro_f1", "aw": "binary_macro_f1",
           "directed_sentiment": "five_class_macro_f1", "polnear": "SOURCE_overlap_f1"}


@dataclass
class ExamplePrediction:
    roles: dict[str, list[tuple[int, int, float]]]
    sentence_probs: list[float]
    pairs: list[tuple[PairExample, list[float], int, int]]
    """(gold pair, stance probabilities, mode index, event index)"""


@torch.no_grad()
def predict_examples(network: ClaimNetwork, tokenizer, examples: list[SentenceExample],
                     max_length: int, batch_size: int = 32) -> list[ExamplePrediction]:
    network.eval()
    device = next(network.parameters()).device
    predictions = []
    for offset in range(0, len(examples), batch_size):
        chunk = examples[offset:offset + batch_size]
        batch, kept = collate(chunk, tokenizer, max_length, network.config.pair_encoding,
                              network.config.marker_ids)
        output = network({k: v.to(device) for k, v in batch.items()
                          if not k.startswith(("tag_", "sentence_labels", "pair_stance",
                                               "pair_mode", "pair_event"))})
        encoded = encode_sentences(tokenizer, [e.text for e in chunk], max_length)
        rows = [ExamplePrediction(
            roles=decode_tags(sentence, output.tag_logits[i].cpu(), network.config.tag_roles),
            sentence_probs=output.sentence_logits[i].softmax(-1).tolist(), pairs=[])
            for i, sentence in enumerate(encoded)]
        if kept:
            stance = output.stance_logits.softmax(-1).cpu().tolist()
            mode = output.mode_logits.argmax(-1).tolist()
            event = output.event_logits.argmax(-1).tolist()
            for row, (index, pair) in enumerate(kept):
                rows[index].pairs.append((pair, stance[row], mode[row], event[row]))
        predictions.extend(rows)
    network.train()
    return predictions


def pair_label(stance_probs: list[float], mode_index: int) -> str:
    """Label of a pair known to be a claim: best non-none stance, with the predicted mode."""
    best = max(range(1, len(PAIR_STANCES)), key=lambda i: stance_probs[i])
    return label_for(Stance(PAIR_STANCES[best]), Mode(MODES[mode_index])).value


def score_examples(corpus: str, examples: list[SentenceExample],
                   predictions: list[ExamplePrediction]) -> dict[str, float]:
    scores: dict[str, float] = {}
    # sentence label
    gold_sent = [(e.sentence_label, p) for e, p in zip(examples, predictions) if e.sentence_label]
    if gold_sent:
        result = classification([g for g, _ in gold_sent],
                                [PENTA[max(range(len(PENTA)), key=p.sentence_probs.__getitem__)]
                                 for _, p in gold_sent], PENTA)
        scores.update({"sentence_macro_f1": result["macro_f1"],
                       "sentence_accuracy": result["accuracy"], "sentence_n": result["n"]})
    # spans
    tagged = [(e, p) for e, p in zip(examples, predictions) if e.roles is not None]
    for role in ("SOURCE", "TARGET", "CUE", "CLAIM"):
        units = [(e, p) for e, p in tagged if role in e.roles]
        if units:
            result = span_scores([e.roles[role] for e, _ in units],
                                 [[(a, b) for a, b, _ in p.roles[role]] for _, p in units])
            scores[f"{role}_exact_f1"] = result["exact_f1"]
            scores[f"{role}_overlap_f1"] = result["overlap_f1"]
    # pairs with a known label
    labelled = [(pair, probs, mode, event) for p in predictions for pair, probs, mode, event
                in p.pairs]
    full = [(pair, probs, mode) for pair, probs, mode, _ in labelled
            if len(pair.stances) == 1 and pair.stances[0] != "none"
            and (pair.mode or pair.stances[0] == "neutral")]
    if full:
        gold = [label_for(Stance(p.stances[0]), Mode(p.mode) if p.mode else None).value
                for p, _, _ in full]
        pred = [pair_label(probs, mode) for _, probs, mode in full]
        result = classification(gold, pred, sorted(set(gold)))
        scores.update({"pair_label_macro_f1": result["macro_f1"],
                       "pair_label_accuracy": result["accuracy"], "pair_n": result["n"]})
        stance_gold = [p.stances[0] for p, _, _ in full]
        stance_pred = [PAIR_STANCES[max(range(1, 4), key=probs.__getitem__)] for _, probs, _ in full]
        scores["pair_stance_macro_f1"] = classification(stance_gold, stance_pred,
                                                        sorted(set(stance_gold)))["macro_f1"]
    events = [(pair.event_type, EVENT_TYPES[event]) for pair, _, _, event in labelled
              if pair.event_type]
    if events:
        result = classification([g for g, _ in events], [p for _, p in events],
                                sorted({g for g, _ in events}))
        scores["event_macro_f1"] = result["macro_f1"]
    single = [(pair, probs) for pair, probs, _, _ in labelled if len(pair.stances) == 1]
    if single and any(p.stances[0] == "none" for p, _ in single):
        gold = ["claim" if p.stances[0] != "none" else "none" for p, _ in single]
        pred = ["claim" if probs[0] < 0.5 else "none" for _, probs in single]
        scores["pair_detection_f1"] = classification(gold, pred, ["claim"])["claim/f1"]
    if corpus == "aw":
        gold = ["conflict" if "adversarial" in p.stances else "other" for p, _, _, _ in labelled]
        pred = ["conflict" if probs[2] > 0.5 else "other" for _, probs, _, _ in labelled]
        scores["binary_macro_f1"] = classification(gold, pred, ["conflict", "other"])["macro_f1"]
    if corpus == "directed_sentiment":
        gold, pred = [], []
        for example, prediction in zip(examples, predictions):
            if example.meta.get("label") is None:
                continue
            gold.append(str(example.meta["label"]))
            pred.append(directed_class(example, prediction))
        scores["five_class_macro_f1"] = classification(gold, pred, list("01234"))["macro_f1"]
    if corpus in PRIMARY and PRIMARY[corpus] in scores:
        scores["primary"] = scores[PRIMARY[corpus]]
    return scores


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
    return {(True, True): "1", (False, True): "2", (True, False): "3",
            (False, False): "4"}[(forward, cooperative)]
