"""Per-stance decision thresholds, tuned on the own corpus's dev articles for claim F1.

The extractor keeps a pair as a claim of its likeliest stance when that stance's probability
reaches the stance's threshold. Tuning runs the extractor once with every threshold at zero
(all scored pairs, with their scores) and then searches the thresholds offline, one stance
at a time, twice round. Thresholds tuned on the articles they are then scored on flatter the
score a little, so the tuning also reports a cross-fitted claim F1: each fold of articles is
counted with thresholds tuned on the other folds.

The mode decision has one setting too: how much the PLOVER type head's implied mode counts
(`model.decoding.pair_mode`), chosen from `MODE_WEIGHTS` by the mean pair-label macro-F1 of
the dev corpora that label modes (the own corpus, PLV).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from transformers import AutoTokenizer

from model.ensemble import load_network
from model.extractor import ClaimExtractor
from model.schema import Article, Claim
from training.dataset import SentenceExample
from training.evaluation import ExamplePrediction, network_unit, predict_examples, summarize
from training.metrics import claim_counts, prf

GRID = [round(0.05 * i, 2) for i in range(4, 19)]  # 0.20 .. 0.90
FOLDS = 5
MODE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
MODED_CORPORA = ("claims", "plv")
"""The corpora whose pairs carry the pentaclass (stance and mode) that the weight is tuned on."""


@dataclass
class Tuning:
    thresholds: dict[str, float]
    claim_f1: float
    """Claim F1 of the tuning articles with the thresholds tuned on them (a little optimistic)."""
    claim_f1_cross_fitted: float
    """Claim F1 with each fold of articles counted under thresholds tuned on the other folds."""


def claim_tally(
    gold: list[Article], scored: list[list[Claim]], thresholds: dict[str, float]
) -> tuple[int, int, int]:
    """(true positives, predicted, gold) claims summed over the articles."""
    tp = n_pred = n_gold = 0
    for article, claims in zip(gold, scored):
        kept = tuple(c for c in claims if c.score >= thresholds[c.stance.value])
        counts = claim_counts(article, Article(article.id, article.text, claims=kept))
        tp, n_pred, n_gold = tp + counts[0], n_pred + counts[1], n_gold + counts[2]
    return tp, n_pred, n_gold


def claim_f1(gold: list[Article], scored: list[list[Claim]], thresholds: dict[str, float]) -> float:
    tp, n_pred, n_gold = claim_tally(gold, scored, thresholds)
    return prf(tp, n_pred - tp, n_gold - tp)[2]


def search_thresholds(
    gold: list[Article], scored: list[list[Claim]], stances: list[str]
) -> dict[str, float]:
    """Coordinate search over GRID, one stance at a time, twice round; ties go to 0.5."""
    thresholds = dict.fromkeys(stances, 0.5)
    for _ in range(2):
        for stance in thresholds:
            thresholds[stance] = max(
                GRID,
                key=lambda t: (claim_f1(gold, scored, {**thresholds, stance: t}), -abs(t - 0.5)),
            )
    return thresholds


def fold_of(article: Article, folds: int = FOLDS) -> int:
    return int(hashlib.sha1(f"fold:{article.id}".encode()).hexdigest()[:8], 16) % folds


def cross_fitted_f1(
    gold: list[Article], scored: list[list[Claim]], stances: list[str], folds: int = FOLDS
) -> float:
    tp = n_pred = n_gold = 0
    for fold in range(folds):
        held = [i for i, article in enumerate(gold) if fold_of(article, folds) == fold]
        rest = [i for i, article in enumerate(gold) if fold_of(article, folds) != fold]
        if not held or not rest:
            continue
        thresholds = search_thresholds([gold[i] for i in rest], [scored[i] for i in rest], stances)
        counts = claim_tally([gold[i] for i in held], [scored[i] for i in held], thresholds)
        tp, n_pred, n_gold = tp + counts[0], n_pred + counts[1], n_gold + counts[2]
    return prf(tp, n_pred - tp, n_gold - tp)[2]


def tune_thresholds(extractor: ClaimExtractor, dev: list[Article]) -> Tuning:
    """Thresholds tuned on `dev`, with the claim F1 they reach there and a cross-fitted one."""
    saved = extractor.thresholds
    extractor.thresholds = dict.fromkeys(saved, 0.0)
    try:
        scored = [
            list(a.claims)
            for a in extractor.predict_many([Article(a.id, a.text, a.meta) for a in dev])
        ]
    finally:
        extractor.thresholds = saved
    stances = list(saved)
    thresholds = search_thresholds(dev, scored, stances)
    return Tuning(
        thresholds, claim_f1(dev, scored, thresholds), cross_fitted_f1(dev, scored, stances)
    )


def tune_event_mode_weight(
    dev: dict[str, tuple[list[SentenceExample], list[ExamplePrediction]]],
) -> tuple[float, dict[float, dict[str, float]]]:
    """(the best weight, per weight: each corpus's pair-label macro-F1 and their "mean") over
    the dev corpora given as (examples, network predictions); ties go to the smaller weight."""
    table = {}
    for weight in MODE_WEIGHTS:
        scores = {
            corpus: summarize([network_unit(e, p, weight) for e, p in zip(examples, predictions)])
            for corpus, (examples, predictions) in dev.items()
        }
        row = {c: s["pair_label/macro_f1"] for c, s in scores.items() if "pair_label/macro_f1" in s}
        row["mean"] = sum(row.values()) / len(row) if row else 0.0
        table[weight] = row
    return max(MODE_WEIGHTS, key=lambda w: (round(table[w]["mean"], 6), -w)), table


def choose_event_mode_weight(
    checkpoint: Path, dev: dict[str, list[SentenceExample]], max_length: int, device: str = "cpu"
) -> tuple[float, dict[float, dict[str, float]]]:
    """Tune a checkpoint's `event_mode_weight` on the dev examples of the corpora that label
    modes, store it in the checkpoint, and return it with the table it was chosen from."""
    network = load_network(checkpoint, device=device)
    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
    scored = {
        name: (examples, predict_examples(network, tokenizer, examples, max_length))
        for name, examples in dev.items()
    }
    weight, table = tune_event_mode_weight(scored)
    store_settings(checkpoint, event_mode_weight=weight)
    return weight, table


def store_tuning(checkpoint: Path, tuning: Tuning) -> None:
    """Write tuned thresholds into a checkpoint and the scores they reached into its
    metrics.json (`claims_dev_end_to_end`), as training does at its end."""
    store_settings(checkpoint, thresholds=tuning.thresholds)
    path = Path(checkpoint) / "metrics.json"
    metrics = json.loads(path.read_text()) if path.exists() else {}
    metrics["claims_dev_end_to_end"] = asdict(tuning)
    path.write_text(json.dumps(metrics, indent=2))


def store_settings(checkpoint: Path, **settings) -> None:
    """Write tuned decision settings (`NetworkConfig` fields) into a checkpoint's
    model_config.json, where inference reads them."""
    path = Path(checkpoint) / "model_config.json"
    config = json.loads(path.read_text())
    config.update(settings)
    path.write_text(json.dumps(config, indent=2))
