"""Self-training: a trained checkpoint labels unlabeled articles, and a student trains on
its claims beside the gold corpora (the `pseudo` corpus of a config).

The teacher's claims become the articles' annotation in the own corpus's format:
- a claim scored at least `min_score` keeps its stance, mode and event type;
- a claim scored lower keeps its spans but no label (`stance_options`: any stance or none),
  so its pair adds no stance loss: on the own dev set 76% of the default model's claims
  scored 0.98 or more are right, 37-62% of lower-scored ones, too few to teach either a
  claim or a non-claim (reports/sweeps/self-training-summary.md);
- only sentences holding a confident claim are kept: where the teacher found nothing it
  may have missed a claim (its recall is under its precision), and an all-negative sentence
  would teach the student to miss it too. Inside a kept sentence every other actor pair is a
  negative, as in the gold corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from model.extractor import check_text
from model.schema import Article, Claim, Stance


def pseudo_label(
    extractor,
    articles: Iterable[Article],
    min_score: float = 0.0,
    batch_size: int = 8,
    errors: list[ValueError] | None = None,
    progress: Callable[[Article], None] | None = None,
) -> Iterator[Article]:
    """Training articles from the extractor's claims; articles with no confident claim are
    left out. An article the extractor cannot read is skipped and its error appended to
    `errors` (raised when `errors` is None); the others go on. `progress` sees every article
    the extractor read."""

    def readable(items: Iterable[Article]) -> Iterator[Article]:
        for article in items:
            try:
                check_text(article)
            except ValueError as error:  # check_text: empty, binary, too long
                if errors is None:
                    raise
                errors.append(error)
                continue
            yield replace(article, claims=())

    for predicted in extractor.predict_many(readable(articles), batch_size=batch_size):
        if progress:
            progress(predicted)
        training = as_training_article(predicted, min_score)
        if training.claims:
            yield training


def as_training_article(predicted: Article, min_score: float = 0.0) -> Article:
    """A prediction as an annotated article: the sentences holding a claim scored at least
    `min_score`, renumbered; lower-scored claims in them kept unlabelled."""
    sentences = list(predicted.sentences or ())
    kept = sorted(
        {c.sentence for c in predicted.claims if c.sentence is not None and _score(c) >= min_score}
    )
    index = {old: new for new, old in enumerate(kept)}
    return Article(
        id=predicted.id,
        text=predicted.text,
        meta={**predicted.meta, "corpus": "pseudo"},
        claims=tuple(
            replace(
                claim if _score(claim) >= min_score else unlabelled(claim),
                sentence=index[claim.sentence],
            )
            for claim in predicted.claims
            if claim.sentence in index
        ),
        sentences=tuple(sentences[old] for old in kept),
    )


def unlabelled(claim: Claim) -> Claim:
    """The claim's spans with any stance allowed, no claim included (no pair loss)."""
    return replace(claim, stance=None, mode=None, event_type=None, stance_options=tuple(Stance))


def _score(claim: Claim) -> float:
    return claim.score if claim.score is not None else 1.0
