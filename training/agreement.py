"""Inter-annotator agreement on the own corpus: two independent annotations of the same
articles.

Claims are matched one-to-one within a sentence when their source and target spans overlap
(the stance is not part of the match). Reported: claim-level F1 on those matches (pair F1),
the same requiring the stance to agree too (claim F1, as the guidelines score a system), and
Cohen's kappa on stance and on the pentaclass over matched claims. Every disagreement is
listed, for adjudication.
"""

from __future__ import annotations

from model.schema import Article, Claim
from training.metrics import prf


def _overlaps(a, b) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def match(
    first: Article, second: Article
) -> tuple[list[tuple[Claim, Claim]], list[Claim], list[Claim]]:
    """(matched pairs, claims only in first, claims only in second)."""
    unmatched = list(second.claims)
    pairs, only_first = [], []
    for claim in first.claims:
        hit = next(
            (
                other
                for other in unmatched
                if other.sentence == claim.sentence
                and _overlaps(claim.source, other.source)
                and _overlaps(claim.target, other.target)
            ),
            None,
        )
        if hit is None:
            only_first.append(claim)
        else:
            unmatched.remove(hit)
            pairs.append((claim, hit))
    return pairs, only_first, unmatched


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two label sequences."""
    from sklearn.metrics import cohen_kappa_score

    if not first:
        return 0.0
    return float(cohen_kappa_score(first, second))


def agreement(firsts: list[Article], seconds: list[Article]) -> tuple[dict, list[dict]]:
    """Scores and disagreement rows for articles aligned by id."""
    by_id = {a.id: a for a in seconds}
    matched, only_a, only_b, rows = [], 0, 0, []
    for article in firsts:
        other = by_id.get(article.id)
        if other is None:
            continue
        if other.text != article.text:
            raise ValueError(f"{article.id}: the two annotations have different texts")
        pairs, first_only, second_only = match(article, other)
        matched += pairs
        only_a += len(first_only)
        only_b += len(second_only)

        def describe(claim: Claim | None) -> str:
            if claim is None:
                return "-"
            label = claim.label.value if claim.label else claim.stance.value
            return f"{claim.source.text} -> {claim.target.text}: {label}"

        for a, b in pairs:
            if a.label != b.label:
                rows.append(
                    {
                        "article": article.id,
                        "sentence": a.sentence,
                        "kind": "label",
                        "first": describe(a),
                        "second": describe(b),
                    }
                )
        rows += [
            {
                "article": article.id,
                "sentence": c.sentence,
                "kind": "only first",
                "first": describe(c),
                "second": "-",
            }
            for c in first_only
        ]
        rows += [
            {
                "article": article.id,
                "sentence": c.sentence,
                "kind": "only second",
                "first": "-",
                "second": describe(c),
            }
            for c in second_only
        ]
    n_first, n_second = len(matched) + only_a, len(matched) + only_b
    _, _, pair_f1 = prf(len(matched), n_second - len(matched), n_first - len(matched))
    same_stance = sum(a.stance == b.stance for a, b in matched)
    _, _, claim_f1 = prf(same_stance, n_second - same_stance, n_first - same_stance)
    scores = {
        "articles": len([a for a in firsts if a.id in by_id]),
        "claims_first": n_first,
        "claims_second": n_second,
        "matched": len(matched),
        "pair_f1": pair_f1,
        "claim_f1": claim_f1,
        "stance_kappa": kappa(
            [a.stance.value for a, _ in matched], [b.stance.value for _, b in matched]
        ),
        "label_kappa": kappa(
            [a.label.value for a, _ in matched], [b.label.value for _, b in matched]
        ),
        "stance_agreement": same_stance / len(matched) if matched else 0.0,
    }
    return scores, rows
