"""Scorers: `score_*(gold, pred) -> dict[str, float]`, as the guidelines' scoring section defines.

- pair level (gold mentions given): accuracy and macro-F1 over labels, per-class P/R/F1;
- span level: exact and overlap F1;
- claim level (end to end): a predicted claim matches a gold claim in the same sentence when
  source and target overlap (or resolve to the same actor) and the stance matches;
- dyad level: (source country, target country, stance) triples per article.
`bootstrap` gives 95% intervals by resampling units (articles, or sentences).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence

from model.schema import IGO, Article, Claim

Span = tuple[int, int]


def classification(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] | None = None
) -> dict[str, float]:
    """Accuracy, macro-F1 over `labels` (default: those in gold), and per-class P/R/F1."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    labels = list(labels) if labels is not None else sorted(set(gold))
    scores: dict[str, float] = {
        "n": float(len(gold)),
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1),
    }
    f1s = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        precision, recall, f1 = prf(tp, fp, fn)
        scores.update(
            {f"{label}/precision": precision, f"{label}/recall": recall, f"{label}/f1": f1}
        )
        f1s.append(f1)
    scores["macro_f1"] = sum(f1s) / len(f1s) if f1s else 0.0
    return scores


def confusion(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, int]]:
    """gold label -> predicted label -> count."""
    table: dict[str, Counter] = {}
    for g, p in zip(gold, pred):
        table.setdefault(g, Counter())[p] += 1
    return {g: dict(counts) for g, counts in sorted(table.items())}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def span_scores(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]) -> dict[str, float]:
    """Exact and overlap P/R/F1 over per-unit span lists (one list per sentence or article).

    Overlap matching is one-to-one: each gold span can be matched by one predicted span.
    """
    counts = Counter()
    for gold_spans, pred_spans in zip(gold, pred):
        gold_set, pred_set = set(gold_spans), set(pred_spans)
        exact = len(gold_set & pred_set)
        counts["exact_tp"] += exact
        unmatched = list(gold_set)
        overlap = 0
        for start, end in sorted(pred_set):
            hit = next((g for g in unmatched if g[0] < end and start < g[1]), None)
            if hit is not None:
                unmatched.remove(hit)
                overlap += 1
        counts["overlap_tp"] += overlap
        counts["gold"] += len(gold_set)
        counts["pred"] += len(pred_set)
    scores = {}
    for kind in ("exact", "overlap"):
        tp = counts[f"{kind}_tp"]
        p, r, f = prf(tp, counts["pred"] - tp, counts["gold"] - tp)
        scores.update({f"{kind}_precision": p, f"{kind}_recall": r, f"{kind}_f1": f})
    return scores


def same_mention(gold, pred) -> bool:
    if gold is None or pred is None:
        return False
    if gold.start < pred.end and pred.start < gold.end:
        return True
    return (
        gold.actor is not None
        and pred.actor is not None
        and gold.actor.name == pred.actor.name
        and gold.actor.country == pred.actor.country
    )


def same_sides(gold: Claim, pred: Claim) -> bool:
    """Same source and same target (by overlap or resolved actor), in the same sentence."""
    same_sentence = (
        gold.sentence == pred.sentence
        if gold.sentence is not None and pred.sentence is not None
        else True
    )
    return (
        same_sentence
        and same_mention(gold.source, pred.source)
        and same_mention(gold.target, pred.target)
    )


def claims_match(gold: Claim, pred: Claim, article: Article) -> bool:
    return gold.stance == pred.stance and same_sides(gold, pred)


def match_claims(gold: Article, pred: Article) -> tuple[list[Claim], list[Claim], list[Claim]]:
    """(scorable gold claims, unmatched predictions, unmatched gold claims) of one article,
    matched one-to-one in prediction order."""
    gold_claims = [c for c in gold.claims if c.source and c.target and c.stance]
    unmatched, wrong = list(gold_claims), []
    for claim in pred.claims:
        hit = next((g for g in unmatched if claims_match(g, claim, gold)), None)
        if hit is None:
            wrong.append(claim)
        else:
            unmatched.remove(hit)
    return gold_claims, wrong, unmatched


def claim_counts(gold: Article, pred: Article) -> tuple[int, int, int]:
    """(true positives, predicted, gold) for end-to-end claims of one article; one-to-one."""
    gold_claims, wrong, _ = match_claims(gold, pred)
    return len(pred.claims) - len(wrong), len(pred.claims), len(gold_claims)


def dyads(article: Article) -> set[tuple[str, str, str]]:
    """(source country or IGO name, target country or IGO name, stance) triples."""

    def unit(mention) -> str | None:
        actor = mention.actor if mention else None
        if actor is None or not actor.country:
            return None
        return f"IGO:{actor.name}" if actor.country == IGO else actor.country

    triples = set()
    for claim in article.claims:
        source, target = unit(claim.source), unit(claim.target)
        if source and target and source != target and claim.stance:
            triples.add((source, target, claim.stance.value))
    return triples


def score_claims(gold: Sequence[Article], pred: Sequence[Article]) -> dict[str, float]:
    """End-to-end claim P/R/F1 and article dyad P/R/F1 (articles aligned by position)."""
    totals = Counter()
    for g, p in zip(gold, pred):
        tp, n_pred, n_gold = claim_counts(g, p)
        totals.update({"tp": tp, "pred": n_pred, "gold": n_gold})
        gold_dyads, pred_dyads = dyads(g), dyads(p)
        totals.update(
            {
                "dyad_tp": len(gold_dyads & pred_dyads),
                "dyad_pred": len(pred_dyads),
                "dyad_gold": len(gold_dyads),
            }
        )
    p, r, f = prf(totals["tp"], totals["pred"] - totals["tp"], totals["gold"] - totals["tp"])
    dp, dr, df = prf(
        totals["dyad_tp"],
        totals["dyad_pred"] - totals["dyad_tp"],
        totals["dyad_gold"] - totals["dyad_tp"],
    )
    return {
        "claim_precision": p,
        "claim_recall": r,
        "claim_f1": f,
        "dyad_precision": dp,
        "dyad_recall": dr,
        "dyad_f1": df,
    }


def bootstrap(
    units: Sequence, metric: Callable[[Sequence], float], resamples: int = 1000, seed: int = 13
) -> tuple[float, float]:
    """95% percentile interval of `metric` over `resamples` resamples of `units` (fixed seed)."""
    if not units:
        return (0.0, 0.0)
    rng = random.Random(seed)
    values = sorted(
        metric([units[rng.randrange(len(units))] for _ in units]) for _ in range(resamples)
    )
    return values[int(0.025 * (resamples - 1))], values[int(0.975 * (resamples - 1))]
