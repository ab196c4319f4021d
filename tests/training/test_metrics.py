"""Metric functions against small cases computed by hand."""

from model.schema import Actor, Article, Claim, Mention, Stance
from training.evaluation import UnitResult, summarize
from training.metrics import bootstrap, claim_counts, classification, dyads, span_scores


def test_classification_by_hand():
    gold = ["a", "a", "b", "b", "c"]
    pred = ["a", "b", "b", "b", "a"]
    scores = classification(gold, pred, ["a", "b", "c"])
    # a: P 1/2 R 1/2 F 1/2; b: P 2/3 R 1 F 0.8; c: F 0
    assert abs(scores["a/f1"] - 0.5) < 1e-9
    assert abs(scores["b/f1"] - 0.8) < 1e-9
    assert scores["c/f1"] == 0.0
    assert abs(scores["macro_f1"] - 1.3 / 3) < 1e-9
    assert scores["accuracy"] == 3 / 5


def test_span_scores_exact_and_overlap():
    gold = [[(0, 5), (10, 15)], [(3, 8)]]
    pred = [[(0, 5), (11, 14), (20, 22)], []]
    scores = span_scores(gold, pred)
    # exact: tp 1, pred 3, gold 3; overlap: tp 2
    assert abs(scores["exact_f1"] - 1 / 3) < 1e-9
    assert abs(scores["overlap_precision"] - 2 / 3) < 1e-9
    assert abs(scores["overlap_recall"] - 2 / 3) < 1e-9


TEXT = "Iran praised Russia. Russia thanked Iran."
IRN, RUS = Actor("Iran", "IRN", "GOV"), Actor("Russia", "RUS", "GOV")


def claim(s, t, source_actor, target_actor, stance, sentence):
    return Claim(
        source=Mention(TEXT[s[0] : s[1]], *s, source_actor),
        target=Mention(TEXT[t[0] : t[1]], *t, target_actor),
        stance=stance,
        sentence=sentence,
    )


def test_end_to_end_claims_and_dyads():
    gold = Article(
        "g",
        TEXT,
        claims=(
            claim((0, 4), (13, 19), IRN, RUS, Stance.COOPERATIVE, 0),
            claim((21, 27), (36, 40), RUS, IRN, Stance.COOPERATIVE, 1),
        ),
    )
    pred = Article(
        "p",
        TEXT,
        claims=(
            claim((0, 4), (13, 19), IRN, RUS, Stance.COOPERATIVE, 0),  # right
            claim((21, 27), (36, 40), RUS, IRN, Stance.ADVERSARIAL, 1),  # wrong stance
            claim((36, 40), (21, 27), IRN, RUS, Stance.COOPERATIVE, 1),
        ),
    )  # wrong direction
    assert claim_counts(gold, pred) == (1, 3, 2)
    assert dyads(gold) == {("IRN", "RUS", "cooperative"), ("RUS", "IRN", "cooperative")}
    assert dyads(pred) & dyads(gold) == {("IRN", "RUS", "cooperative")}


def test_summarize_and_bootstrap_are_deterministic():
    units = []
    for i in range(30):
        unit = UnitResult()
        unit.add(
            "pair_stance",
            "cooperative" if i % 3 else "neutral",
            "cooperative" if i % 4 else "neutral",
        )
        units.append(unit)
    metric = lambda sample: summarize(sample)["pair_stance/macro_f1"]  # noqa: E731
    first = bootstrap(units, metric, resamples=200, seed=5)
    assert first == bootstrap(units, metric, resamples=200, seed=5)
    assert first != bootstrap(units, metric, resamples=200, seed=6)
    low, high = first
    assert low <= metric(units) <= high
