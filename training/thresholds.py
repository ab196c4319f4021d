"""Per-stance decision thresholds, tuned on the own corpus's dev articles for claim F1.

The extractor keeps a pair as a claim of its likeliest stance when that stance's probability
reaches the stance's threshold. Tuning runs the extractor once with every threshold at zero
(all scored pairs, with their scores) and then searches the thresholds offline, one stance
at a time, twice round.
"""

from __future__ import annotations

from model.extractor import ClaimExtractor
from model.schema import Article, Claim
from training.metrics import claim_counts, prf

GRID = [round(0.05 * i, 2) for i in range(4, 19)]  # 0.20 .. 0.90


def claim_f1(gold: list[Article], scored: list[list[Claim]], thresholds: dict[str, float]) -> float:
    tp = n_pred = n_gold = 0
    for article, claims in zip(gold, scored):
        kept = tuple(c for c in claims if c.score >= thresholds[c.stance.value])
        counts = claim_counts(article, Article(article.id, article.text, claims=kept))
        tp, n_pred, n_gold = tp + counts[0], n_pred + counts[1], n_gold + counts[2]
    return prf(tp, n_pred - tp, n_gold - tp)[2]


def tune_thresholds(
    extractor: ClaimExtractor, dev: list[Article]
) -> tuple[dict[str, float], float]:
    """(thresholds, dev claim F1 with them)."""
    saved = extractor.thresholds
    extractor.thresholds = dict.fromkeys(saved, 0.0)
    try:
        scored = [
            list(a.claims)
            for a in extractor.predict_many([Article(a.id, a.text, a.meta) for a in dev])
        ]
    finally:
        extractor.thresholds = saved
    thresholds = dict.fromkeys(saved, 0.5)
    for _ in range(2):
        for stance in thresholds:
            thresholds[stance] = max(
                GRID,
                key=lambda t: (claim_f1(dev, scored, {**thresholds, stance: t}), -abs(t - 0.5)),
            )
    return thresholds, claim_f1(dev, scored, thresholds)
