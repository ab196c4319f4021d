"""Agreement on hand-made annotations."""

from model.schema import Article, Claim, Mention, Mode, Stance
from training.agreement import agreement

TEXT = "Iran praised Russia. China warned Japan."


def claim(source, target, stance, sentence, mode=Mode.VERBAL):
    s, t = TEXT.index(source), TEXT.index(target)
    return Claim(
        source=Mention(source, s, s + len(source)),
        target=Mention(target, t, t + len(target)),
        stance=stance,
        mode=mode,
        sentence=sentence,
    )


def test_agreement_by_hand():
    first = Article(
        "a",
        TEXT,
        claims=(
            claim("Iran", "Russia", Stance.COOPERATIVE, 0),
            claim("China", "Japan", Stance.ADVERSARIAL, 1),
        ),
    )
    second = Article(
        "a",
        TEXT,
        claims=(
            claim("Iran", "Russia", Stance.COOPERATIVE, 0),
            claim("China", "Japan", Stance.NEUTRAL, 1),
            claim("Japan", "China", Stance.NEUTRAL, 1),
        ),
    )
    scores, rows = agreement([first], [second])
    assert scores["matched"] == 2
    assert abs(scores["pair_f1"] - 0.8) < 1e-9  # P 2/3, R 2/2
    assert abs(scores["claim_f1"] - 0.4) < 1e-9  # P 1/3, R 1/2
    assert scores["stance_agreement"] == 0.5
    assert sorted(r["kind"] for r in rows) == ["label", "only second"]
