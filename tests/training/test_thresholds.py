"""Threshold search and its cross-fitted claim F1, on hand-computed cases."""

from dataclasses import replace

import pytest

from model.schema import Article, Stance
from tests.training.test_metrics import IRN, RUS, TEXT, claim
from training.thresholds import claim_f1, cross_fitted_f1, fold_of, search_thresholds

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
