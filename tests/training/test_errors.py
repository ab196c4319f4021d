"""Error causes of end-to-end claims on a hand-built article."""

from model.schema import AUTHOR, Actor, Article, Claim, Mention, Stance
from training.errors import claim_errors, markdown

TEXT = "Iran praised Russia. China condemned Japan. Chile thanked Peru. Oman met Qatar."


def mention(word: str) -> Mention:
    start = TEXT.index(word)
    return Mention(word, start, start + len(word))


def claim(source: str, target: str, stance: Stance) -> Claim:
    return Claim(mention(source), mention(target), stance)


def test_each_error_gets_one_cause():
    coop, adv = Stance.COOPERATIVE, Stance.ADVERSARIAL
    gold = Article(
        "a",
        TEXT,
        claims=(
            claim("Iran", "Russia", coop),  # found
            claim("China", "Japan", adv),  # predicted with the wrong stance
            claim("Chile", "Peru", coop),  # scored below threshold
            claim("Oman", "Qatar", coop),  # never scored
        ),
    )
    predicted = Article(
        "a",
        TEXT,
        claims=(
            claim("Iran", "Russia", coop),
            claim("China", "Japan", coop),  # wrong stance
            claim("Russia", "Iran", coop),  # wrong direction
            claim("Iran", "Japan", coop),  # gold sides not paired
            Claim(mention("Iran"), Mention("praised", 5, 12), coop),  # side in no gold claim
        ),
    )
    scored = Article("a", TEXT, claims=(*predicted.claims, claim("Chile", "Peru", coop)))
    counts = claim_errors([gold], [predicted], [scored])
    assert counts["gold"] == 4 and counts["predicted"] == 5 and counts["right"] == 1
    assert counts["missed: other stance"] == 1
    assert counts["missed: below threshold"] == 1
    assert counts["missed: never scored"] == 1
    assert counts["wrong: wrong stance"] == 1
    assert counts["wrong: wrong direction"] == 1
    assert counts["wrong: gold sides not paired"] == 1
    assert counts["wrong: side in no gold claim"] == 1
    assert "| never scored | 1 |" in markdown(counts, "# t")


def test_the_journalists_claims_are_counted_apart():
    author = Mention("praised", 5, 12, Actor(AUTHOR))
    gold = Article("a", TEXT, claims=(Claim(author, mention("Russia"), Stance.ADVERSARIAL),))
    found = Claim(
        Mention("Iran praised", 0, 12, Actor(AUTHOR)), mention("Russia"), Stance.ADVERSARIAL
    )
    wrong = Claim(Mention("met", 69, 72, Actor(AUTHOR)), mention("Qatar"), Stance.COOPERATIVE)
    predicted = Article("a", TEXT, claims=(found, wrong))
    counts = claim_errors([gold], [predicted], [predicted])
    assert (counts["AUTHOR gold"], counts["AUTHOR predicted"], counts["AUTHOR right"]) == (1, 2, 1)
    assert "AUTHOR) as source: 1 gold, 2 predicted, 1 right" in markdown(counts, "# t")
