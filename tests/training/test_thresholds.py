"""Threshold search, its cross-fitted claim F1 and the mode weight, on hand-computed cases."""

from dataclasses import replace

import pytest

from model.network import EVENT_TYPES
from model.schema import Article, Stance
from tests.training.test_metrics import IRN, RUS, TEXT, claim
from training.dataset import PairExample, SentenceExample
from training.evaluation import ExamplePrediction
from training.thresholds import (
    claim_f1,
    cross_fitted_f1,
    fold_of,
    search_thresholds,
    tune_event_mode_weight,
)

STANCES = ["cooperative", "adversarial", "neutral"]


def scored(true_score: float, false_score: float) -> list:
    """The gold claim (Iran praised Russia) and a spurious one, with their scores."""
    right = claim((0, 4), (13, 19), IRN, RUS, Stance.COOPERATIVE, 0)
    spurious = claim((21, 27), (36, 40), RUS, IRN, Stance.COOPERATIVE, 1)
    return [replace(right, score=true_score), replace(spurious, score=false_score)]


def gold(article_id: str) -> Article:
    return Article(
        article_id, TEXT, claims=(claim((0, 4), (13, 19), IRN, RUS, Stance.COOPERATIVE, 0),)
    )


def test_cross_fitting_exposes_thresholds_that_do_not_carry_over():
    # Two folds that need opposite thresholds: in fold 0 the right claim scores 0.85 and
    # the spurious one 0.6, in fold 1 they score 0.55 and 0.3.
    ids = {0: ["a0", "a6"], 1: ["a1", "a2"]}
    assert all(fold_of(Article(i, ""), 2) == fold for fold, group in ids.items() for i in group)
    articles = [gold(i) for group in ids.values() for i in group]
    claims = [scored(0.85, 0.6)] * 2 + [scored(0.55, 0.3)] * 2
    # In sample, one threshold in (0.3, 0.55] keeps all 4 right and 2 spurious: F1 0.8.
    thresholds = search_thresholds(articles, claims, STANCES)
    assert thresholds["cooperative"] == 0.5
    assert claim_f1(articles, claims, thresholds) == pytest.approx(0.8)
    # Tuned on fold 1 (0.5), fold 0 keeps 2 right and 2 spurious; tuned on fold 0 (0.65),
    # fold 1 keeps nothing: 2 right of 4 predicted and 4 gold, F1 0.5.
    assert cross_fitted_f1(articles, claims, STANCES, folds=2) == pytest.approx(0.5)


def test_cross_fitting_matches_in_sample_when_one_threshold_fits_all():
    articles = [gold(f"a{i}") for i in range(8)]
    claims = [scored(0.8, 0.3)] * 8
    thresholds = search_thresholds(articles, claims, STANCES)
    assert claim_f1(articles, claims, thresholds) == 1.0
    assert cross_fitted_f1(articles, claims, STANCES, folds=2) == 1.0


def test_mode_weight_is_chosen_where_the_type_head_fixes_the_mode():
    # Two adversarial pairs, one verbal (an accusation), one material (an attack). The mode
    # head calls both verbal; the type head is right on both. Weights from 0.5 up label both
    # right (macro-F1 1.0), smaller ones only the accusation; the smallest best weight wins.
    def typed(name: str) -> list[float]:
        return [float(event == name) for event in EVENT_TYPES]

    adversarial = [0.0, 0.05, 0.9, 0.05]  # none, cooperative, adversarial, neutral
    pairs = [("verbal", "ACCUSE"), ("material", "ASSAULT")]
    examples = [
        SentenceExample(
            "plv",
            f"s{i}",
            "X hit Y.",
            pairs=[PairExample((0, 1), (6, 7), ("adversarial",), mode, event)],
        )
        for i, (mode, event) in enumerate(pairs)
    ]
    predictions = [
        ExamplePrediction(
            {}, [], [(e.pairs[0], adversarial, [0.8, 0.2], typed(e.pairs[0].event_type))]
        )
        for e in examples
    ]
    weight, table = tune_event_mode_weight({"plv": (examples, predictions)})
    assert weight == 0.5
    assert table[0.0] == {"plv": pytest.approx(1 / 3), "mean": pytest.approx(1 / 3)}
    assert table[0.5]["mean"] == table[1.0]["mean"] == 1.0
