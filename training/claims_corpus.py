"""Build the project's own corpus: authoring files -> `data/claims/{train,dev,test}.jsonl`
(and the demo articles, `data/examples/samples.jsonl`).

Articles are split 70/15/15 within each source file (so every region and annotator is in
every split), by a seeded hash of the article id: adding articles never moves old ones
between splits... unless the proportions shift, which the hash order keeps small.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from model.schema import Article, write_jsonl
from training.corpora import PROJECT_DATA
from training.corpora.authoring import read_authoring

SPLITS = (("train", 0.70), ("dev", 0.15), ("test", 0.15))


def split_articles(articles: list[Article], seed: int = 13) -> dict[str, list[Article]]:
    ordered = sorted(articles, key=lambda a: hashlib.sha1(f"{seed}:{a.id}".encode()).hexdigest())
    n = len(ordered)
    n_dev = round(n * SPLITS[1][1])
    n_test = round(n * SPLITS[2][1])
    return {
        "test": ordered[:n_test],
        "dev": ordered[n_test : n_test + n_dev],
        "train": ordered[n_test + n_dev :],
    }


def build(
    source_dir: Path = PROJECT_DATA / "claims" / "source",
    out_dir: Path = PROJECT_DATA / "claims",
    seed: int = 13,
    samples: bool = True,
) -> dict[str, int]:
    """Convert and split every authoring file (and, with `samples`, the demo articles);
    returns articles per split."""
    splits: dict[str, list[Article]] = {name: [] for name, _ in SPLITS}
    for path in sorted(source_dir.glob("*.jsonl")):
        for name, articles in split_articles(list(read_authoring(path)), seed).items():
            splits[name].extend(articles)
    counts = {}
    for name, articles in splits.items():
        articles.sort(key=lambda a: a.id)
        counts[name] = write_jsonl(articles, out_dir / f"{name}.jsonl")
    demo = PROJECT_DATA / "examples" / "samples.authoring.jsonl"
    if samples and demo.exists():
        counts["samples"] = write_jsonl(read_authoring(demo), demo.with_name("samples.jsonl"))
    return counts
