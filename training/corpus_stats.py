"""Per-corpus counts: records read, skipped (with reasons), claims by label, sentences, articles."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from model.schema import RecordError, validate
from training.corpora import CORPORA, MissingData
from training.corpora.cameo import read_cameo_class, read_cameo_spans, sentence_key


def raw_records(name: str, paths: tuple[Path, ...]) -> dict[str, int]:
    """What the source files hold before conversion (rows, lines, files)."""
    if name == "cameo":
        rows = [sentence_key(sentence) for _, sentence, _ in read_cameo_class(paths[0])]
        return {
            "class rows": len(rows),
            "class rows repeating a sentence": len(rows) - len(set(rows)),
            "span sentences": sum(1 for _ in read_cameo_spans(paths[1])),
        }
    if name == "claims":
        with paths[0].open(encoding="utf-8") as handle:
            return {"lines": sum(1 for line in handle if line.strip())}
    if name in {"plv", "aw"}:
        with paths[0].open(encoding="utf-8") as handle:
            return {"rows": sum(1 for line in handle if line.strip()) - 1}
    if name == "directed_sentiment":
        with paths[0].open(encoding="utf-8") as handle:
            lines = [line for line in handle if line.strip()]
        return {"lines": len(lines), "duplicate lines": len(lines) - len(set(lines))}
    if name == "polnear":
        return {
            "text files": len(list((paths[0] / "text").glob("*.txt"))),
            "annotation files": len(list((paths[0] / "attributions").glob("*.ann"))),
        }
    return {}


def corpus_stats(name: str, split: str, data_dir: str | Path | None = None) -> dict:
    corpus = CORPORA[name]
    paths = corpus.paths(split, corpus.root_for(data_dir))
    stats: dict = {"corpus": name, "split": split, "source": raw_records(name, paths)}
    articles, sentences, claims = 0, 0, 0
    labels, skipped, extra = Counter(), Counter(), Counter()
    errors: list[RecordError] = []
    iterator = corpus.read(*paths, errors) if name == "claims" else corpus.read(*paths)
    for article in iterator:
        try:
            validate(article)
        except RecordError as error:
            skipped[f"invalid: {error.field}"] += 1
            continue
        articles += 1
        sentences += len(article.sentences) if article.sentences is not None else 0
        for claim in article.claims:
            claims += 1
            labels[
                claim.label.value
                if claim.label
                else "stance unknown"
                if claim.stance is None
                else f"{claim.stance.value}, mode unknown"
            ] += 1
            if claim.source is None:
                extra["claims without source"] += 1
            if claim.target is None:
                extra["claims without target"] += 1
        if "joined" in article.meta:
            extra[f"sentences {article.meta['joined']}"] += 1
        if name == "directed_sentiment" and not article.claims:
            extra["pairs with no directed stance (label 0)"] += 1
    for error in errors:
        skipped[f"{error.path}:{error.line}: {error.message}"] += 1
    stats.update(
        {
            "articles": articles,
            "sentences": sentences or "split at training time",
            "claims": claims,
            "labels": dict(sorted(labels.items())),
            "skipped": dict(skipped),
            "notes": dict(sorted(extra.items())),
        }
    )
    return stats


def all_stats(data_dir: str | Path | None = None) -> list[dict]:
    results = []
    for name, corpus in CORPORA.items():
        if corpus.needs_path:
            continue  # machine-labelled (pseudo): no corpus of record to describe
        for split in corpus.files:
            if split == "test" and corpus.external:
                continue  # withheld: never read here
            try:
                results.append(corpus_stats(name, split, data_dir))
            except MissingData as missing:
                results.append({"corpus": name, "split": split, "missing": str(missing)})
    return results
