"""Where end-to-end claim errors come from: each missed gold claim and each wrong prediction
gets one cause, so the README's error analysis is a measurement anyone can rerun.

Misses are explained with a second prediction at threshold 0 (every scored pair keeps its
likeliest stance): a gold claim that this run pairs on its two sides with its own stance was
scored but fell below the threshold; paired only with another stance, it got the wrong
stance; not paired at all, a side was never a candidate. (The extractor keeps one claim per
sentence and pair of resolved actors, so a few scored pairs can hide behind a likelier one.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from model.schema import Article, Claim
from training.metrics import match_claims, same_mention, same_sides

MISS_CAUSES = ("below threshold", "other stance", "never scored")
WRONG_CAUSES = ("side in no gold claim", "gold sides not paired", "wrong stance", "wrong direction")


def miss_cause(gold: Claim, scored: Sequence[Claim]) -> str:
    """Why a gold claim was missed, from the threshold-0 predictions of its article."""
    on_sides = [p for p in scored if same_sides(gold, p)]
    if any(p.stance == gold.stance for p in on_sides):
        return "below threshold"
    return "other stance" if on_sides else "never scored"


def wrong_cause(pred: Claim, gold_claims: Sequence[Claim]) -> str:
    """Why a prediction matches no gold claim."""
    if any(same_sides(g, pred) for g in gold_claims):
        return "wrong stance"
    reverse = replace(pred, source=pred.target, target=pred.source)
    if any(same_sides(g, reverse) for g in gold_claims):
        return "wrong direction"
    sides = [m for g in gold_claims for m in (g.source, g.target)]
    if all(any(same_mention(m, side) for m in sides) for side in (pred.source, pred.target)):
        return "gold sides not paired"
    return "side in no gold claim"


def claim_errors(
    gold: Sequence[Article], predicted: Sequence[Article], scored: Sequence[Article]
) -> Counter:
    """Counts of matched claims and of each cause (articles aligned by position; `scored` is
    the same extractor's output at threshold 0)."""
    counts: Counter = Counter()
    for gold_article, pred_article, scored_article in zip(gold, predicted, scored):
        gold_claims, wrong, missed = match_claims(gold_article, pred_article)
        counts["gold"] += len(gold_claims)
        counts["predicted"] += len(pred_article.claims)
        counts["right"] += len(pred_article.claims) - len(wrong)
        authored = [c for c in pred_article.claims if by_author(c)]
        counts["AUTHOR gold"] += sum(map(by_author, gold_claims))
        counts["AUTHOR predicted"] += len(authored)
        counts["AUTHOR right"] += len(authored) - sum(map(by_author, wrong))
        for pred in wrong:
            counts[f"wrong: {wrong_cause(pred, gold_claims)}"] += 1
        for claim in missed:
            counts[f"missed: {miss_cause(claim, scored_article.claims)}"] += 1
    return counts


def by_author(claim: Claim) -> bool:
    """The journalist's own evaluation (source actor AUTHOR)."""
    return claim.source is not None and claim.source.is_author


def markdown(counts: Counter, header: str) -> str:
    lines = [
        header,
        "",
        f"{counts['gold']} gold claims, {counts['predicted']} predicted, {counts['right']} right.",
        f"With the journalist (AUTHOR) as source: {counts['AUTHOR gold']} gold, "
        f"{counts['AUTHOR predicted']} predicted, {counts['AUTHOR right']} right.",
        "",
        "| missed gold claims | count |",
        "|---|---|",
        *(f"| {cause} | {counts[f'missed: {cause}']} |" for cause in MISS_CAUSES),
        "",
        "| wrong predictions | count |",
        "|---|---|",
        *(f"| {cause} | {counts[f'wrong: {cause}']} |" for cause in WRONG_CAUSES),
    ]
    return "\n".join(lines) + "\n"
