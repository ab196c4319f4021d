"""Benchmarks: which corpus split, which metrics, which systems, with what uncertainty.

`run_benchmark` scores one system (a checkpoint folder, or `baseline:majority|tfidf|lexicon`)
on one benchmark split and returns the metrics with bootstrap 95% intervals (1,000 resamples
of articles, or of sentences where a corpus has no articles, fixed seed) and a leakage count:
how many evaluated texts the system saw in training.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import torch
import yaml

from model.features import AUTHOR_SPAN
from model.precision import resolve_precision
from model.schema import Article
from training.baselines import BASELINES, LexiconBaseline, baseline_units, read_petrarch_verbs
from training.config import split_seed_of
from training.corpora import CORPORA
from training.dataset import (
    PairExample,
    SentenceExample,
    dedupe,
    examples_from_article,
    in_dev,
    text_hash,
)
from training.evaluation import UnitResult, group_units, network_unit, predict_examples, summarize
from training.metrics import bootstrap, claim_counts, dyads


@dataclass(frozen=True)
class Benchmark:
    name: str
    corpus: str
    headline: tuple[str, ...]
    """Metrics reported with confidence intervals, the first one leading."""
    tasks: tuple[str, ...]
    """Label tasks and span roles kept from the units."""
    by_article: bool = False
    test_files: tuple[str, ...] = ()


BENCHMARKS = {
    b.name: b
    for b in (
        Benchmark(
            "claims",
            "claims",
            (
                "pair_label/macro_f1",
                "pair_stance/macro_f1",
                "claim/f1",
                "dyad/f1",
                "SOURCE/overlap_f1",
                "TARGET/overlap_f1",
                "CUE/overlap_f1",
                "CLAIM/overlap_f1",
                "event/macro_f1",
            ),
            ("pair_label", "pair_stance", "event", "detection", "SOURCE", "TARGET", "CUE", "CLAIM"),
            by_article=True,
        ),
        Benchmark(
            "cameo-class",
            "cameo",
            ("sentence/macro_f1", "sentence/accuracy"),
            ("sentence",),
            test_files=("cameo/class_test.tsv", "cameo/spans_test.txt"),
        ),
        Benchmark(
            "cameo-spans",
            "cameo",
            ("SOURCE/exact_f1", "TARGET/exact_f1", "SOURCE/overlap_f1", "TARGET/overlap_f1"),
            ("SOURCE", "TARGET"),
            test_files=("cameo/class_test.tsv", "cameo/spans_test.txt"),
        ),
        Benchmark(
            "plv",
            "plv",
            ("pair_label/macro_f1", "event/macro_f1", "pair_stance/macro_f1"),
            ("pair_label", "pair_stance", "event"),
            test_files=("plv/test.tsv",),
        ),
        Benchmark("aw", "aw", ("binary/macro_f1",), ("binary",), test_files=("aw/test.tsv",)),
        Benchmark(
            "directed-sentiment",
            "directed_sentiment",
            ("five_class/macro_f1",),
            ("five_class",),
            test_files=("directed_sentiment/test.txt",),
        ),
        Benchmark(
            "polnear",
            "polnear",
            ("SOURCE/overlap_f1", "CUE/overlap_f1", "CLAIM/overlap_f1", "SOURCE/exact_f1"),
            ("SOURCE", "CUE", "CLAIM"),
            by_article=True,
            test_files=("polnear/test",),
        ),
    )
}
SYSTEMS = ("model", *BASELINES)


class LeakageError(RuntimeError):
    """Evaluated texts were seen in training and --allow-overlap was not given."""


def benchmark_articles(
    benchmark: Benchmark, split: str, data_dir: str | Path | None, files: list[Path] | None
) -> list[Article]:
    corpus = CORPORA[benchmark.corpus]
    if files:
        return list(corpus.read(*files))
    source = "train" if split == "dev" and "dev" not in corpus.files else split
    return list(corpus.load(source, corpus.root_for(data_dir)))


def load_examples(
    benchmark: Benchmark,
    split: str,
    data_dir=None,
    files=None,
    seed: int = 13,
    dev_fraction: float = 0.1,
) -> tuple[list[SentenceExample], list[SentenceExample], list[Article]]:
    """(train examples for baselines, evaluation examples, evaluation articles).

    A dev split that a corpus lacks is carved from train exactly as training carves it
    (same seed and fraction), so the checkpoint never trained on it.
    """
    corpus = CORPORA[benchmark.corpus]

    def to_examples(articles: list[Article]) -> list[SentenceExample]:
        return [e for a in articles for e in examples_from_article(a, benchmark.corpus, 0)]

    articles = benchmark_articles(benchmark, split, data_dir, files)
    if split == "dev" and "dev" not in corpus.files and not files:
        train_articles = [a for a in articles if not in_dev(a.text, dev_fraction, seed)]
        articles = [a for a in articles if in_dev(a.text, dev_fraction, seed)]
    else:
        train_articles = list(corpus.load("train", corpus.root_for(data_dir)))
    evaluation = to_examples(articles)
    if benchmark.by_article:
        return dedupe(to_examples(train_articles)), evaluation, articles
    return dedupe(to_examples(train_articles)), dedupe(evaluation), articles


def keep_tasks(unit: UnitResult, tasks: tuple[str, ...]) -> UnitResult:
    return UnitResult(
        labels={k: v for k, v in unit.labels.items() if k in tasks},
        spans={k: v for k, v in unit.spans.items() if k in tasks},
        counts=unit.counts,
    )


def model_units(
    path: Path,
    benchmark: Benchmark,
    examples: list[SentenceExample],
    articles: list[Article],
    device: str,
    precision: str = "auto",
) -> list[UnitResult]:
    from transformers import AutoTokenizer

    from model.ensemble import load_network

    network = load_network(path, device=device)
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    max_length = yaml.safe_load((path / "config.yaml").read_text())["data"]["max_length"]
    predictions = predict_examples(
        network, tokenizer, examples, max_length, batch_size=64, precision=precision
    )
    weight = network.config.event_mode_weight
    units = [network_unit(e, p, weight) for e, p in zip(examples, predictions)]
    units = group_units(examples, units, benchmark.by_article)
    if benchmark.name == "claims":  # end to end: the whole extractor on raw text
        from model.extractor import ClaimExtractor

        extractor = ClaimExtractor.load(path, device=device, precision=precision)
        predicted = extractor.predict_many([Article(a.id, a.text, a.meta) for a in articles])
        by_id = {
            article_id: i
            for i, article_id in enumerate(dict.fromkeys(e.article_id for e in examples))
        }
        for gold, pred in zip(articles, predicted):
            tp, n_pred, n_gold = claim_counts(gold, pred)
            gold_dyads, pred_dyads = dyads(gold), dyads(pred)
            units[by_id[gold.id]].counts.update(
                {
                    "claim_tp": tp,
                    "claim_pred": n_pred,
                    "claim_gold": n_gold,
                    "dyad_tp": len(gold_dyads & pred_dyads),
                    "dyad_pred": len(pred_dyads),
                    "dyad_gold": len(gold_dyads),
                }
            )
    return units


def run_benchmark(
    system: str,
    benchmark_name: str,
    split: str,
    data_dir=None,
    files=None,
    allow_overlap: bool = False,
    petrarch_verbs: Path | None = None,
    device: str = "cpu",
    resamples: int = 1000,
    exclude_seen: bool = False,
    precision: str = "auto",
) -> dict:
    """Score `system` on a benchmark split. Texts the system trained on make it refuse,
    unless `allow_overlap` (score them anyway, and say so) or `exclude_seen` (score only the
    unseen ones, and say how many were left out)."""
    benchmark = BENCHMARKS[benchmark_name]
    seed, fraction, seen = 13, 0.1, set()
    if system not in BASELINES:
        checkpoint = Path(system)
        config = yaml.safe_load((checkpoint / "config.yaml").read_text())
        seed, fraction = split_seed_of(config), config["data"]["dev_fraction"]
        seen = set(json.loads((checkpoint / "meta.json").read_text())["training_text_hashes"])
    train, examples, articles = load_examples(benchmark, split, data_dir, files, seed, fraction)
    if system in BASELINES:
        seen = {text_hash(e.text) for e in train}
    overlap = sum(text_hash(e.text) in seen for e in examples)
    excluded = 0
    if overlap and exclude_seen:
        kept = [e for e in examples if text_hash(e.text) not in seen]
        excluded, overlap, examples = len(examples) - len(kept), 0, kept
        kept_ids = {e.article_id for e in examples}
        articles = [a for a in articles if a.id in kept_ids]
    if overlap and not allow_overlap:
        raise LeakageError(
            f"{overlap} of {len(examples)} evaluated sentences were seen in "
            f"training by {system}; rerun with --allow-overlap to score anyway"
        )
    if system in BASELINES:
        baseline = (
            LexiconBaseline(read_petrarch_verbs(petrarch_verbs))
            if (system == "baseline:lexicon" and petrarch_verbs)
            else BASELINES[system]()
        )
        units = group_units(
            examples, baseline_units(baseline.fit(train), examples), benchmark.by_article
        )
    else:
        units = model_units(Path(system), benchmark, examples, articles, device, precision)
    units = [keep_tasks(unit, benchmark.tasks) for unit in units]
    scores = summarize(units)
    intervals = {
        metric: bootstrap(
            units,
            lambda sample, m=metric: summarize(sample).get(m, 0.0),
            resamples=resamples,
            seed=13,
        )
        for metric in benchmark.headline
        if metric in scores
    }
    return {
        "system": system,
        "benchmark": benchmark_name,
        "split": split,
        "units": len(units),
        "unit": "article" if benchmark.by_article else "sentence",
        "sentences": len(examples),
        "seen_in_training": overlap,
        "seen_excluded": excluded,
        "precision": (
            "fp32" if system in BASELINES else resolve_precision(precision, torch.device(device))
        ),
        "date": date.today().isoformat(),
        "scores": scores,
        "ci95": {k: list(v) for k, v in intervals.items()},
        "files": [str(f) for f in files] if files else None,
    }


# -- behavioural tests ----------------------------------------------------------------------


def edited(text: str, pair, start: int, end: int, replacement: str) -> SentenceExample:
    """The sentence with text[start:end] replaced, holding the pair at its moved offsets."""
    delta = len(replacement) - (end - start)
    return SentenceExample(
        "claims",
        "",
        text[:start] + replacement + text[end:],
        pairs=[
            PairExample(
                shifted(pair.source, start, end, delta),
                shifted(pair.target, start, end, delta),
                pair.stances,
            )
        ],
    )


def shifted(span: tuple[int, int], start: int, end: int, delta: int) -> tuple[int, int]:
    """Where `span` lies after text[start:end] is replaced by text `delta` characters longer."""
    if span[0] >= end:
        return span[0] + delta, span[1] + delta
    if span == (start, end):
        return span[0], span[1] + delta
    return span


OTHER_NAMES = {
    "PERSON": ["Amara Okafor", "Lena Virtanen", "Tomas Herrera", "Mei Tanaka"],
    "GPE": ["Norway", "Chile", "Kenya", "Vietnam", "Portugal"],
    "ORG": ["the Northern Alliance Council", "Unity Bank", "the Coastal League"],
}


def behaviour(
    path: Path, split: str = "dev", device: str = "cpu", seed: int = 13, precision: str = "auto"
) -> dict:
    """Pass rates of three perturbations on the own corpus's gold claims:
    direction (swap source and target words: the claim must follow them), negation
    ("praised" -> "did not praise": the stance must leave cooperative), names (replace
    actor names: the predicted label must hold)."""
    from transformers import AutoTokenizer

    from model.ensemble import load_network
    from model.mentions import load_nlp
    from training.evaluation import pair_label

    network = load_network(path, device=device)
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    max_length = yaml.safe_load((path / "config.yaml").read_text())["data"]["max_length"]
    rng = random.Random(seed)
    nlp = load_nlp()
    examples = [
        e for a in CORPORA["claims"].load(split) for e in examples_from_article(a, "claims", 0)
    ]
    cases = {"direction": [], "negation": [], "names": []}
    for example in examples:
        doc = None
        for pair in example.pairs:
            stance = pair.stances[0]
            if stance in ("none", "neutral") or len(pair.stances) != 1:
                continue
            if pair.source == AUTHOR_SPAN:  # no words to swap, rename or negate around
                continue
            (s0, s1), (t0, t1) = pair.source, pair.target
            if not (s1 <= t0 or t1 <= s0):
                continue
            text = example.text
            a, b = sorted([(s0, s1), (t0, t1)])
            swapped = (
                text[: a[0]]
                + text[b[0] : b[1]]
                + text[a[1] : b[0]]
                + text[a[0] : a[1]]
                + text[b[1] :]
            )
            shift = (b[1] - b[0]) - (a[1] - a[0])
            new_a, new_b = (a[0], a[0] + b[1] - b[0]), (b[0] + shift, b[1])
            # roles stay with the positions, so the actors' direction flips with the words
            new_source = new_a if (s0, s1) == a else new_b
            new_target = new_b if new_source == new_a else new_a
            cases["direction"].append(
                (
                    SentenceExample(
                        "claims",
                        "",
                        swapped,
                        pairs=[
                            PairExample(new_source, new_target, (stance,)),
                            PairExample(new_target, new_source, ("none",)),
                        ],
                    ),
                    "direction",
                    None,
                )
            )
            doc = doc or nlp(text)
            cue = next(
                (
                    t
                    for t in doc
                    if t.pos_ == "VERB" and t.tag_ in {"VBD", "VBZ"} and s1 <= t.idx < t0
                ),
                None,
            )
            if stance == "cooperative" and cue is not None:
                negation = ("does not " if cue.tag_ == "VBZ" else "did not ") + cue.lemma_
                cases["negation"].append(
                    (edited(text, pair, cue.idx, cue.idx + len(cue), negation), "negation", None)
                )
            ents = {(ent.start_char, ent.end_char): ent.label_ for ent in doc.ents}
            for span in (pair.source, pair.target):
                kind = ents.get(span)
                if kind in OTHER_NAMES:
                    renamed = edited(text, pair, *span, rng.choice(OTHER_NAMES[kind]))
                    cases["names"].append(
                        (SentenceExample("claims", "", text, pairs=[pair]), "names", renamed)
                    )
                    break
    results = {}
    for name, items in cases.items():
        if not items:
            continue
        if name == "names":
            before = predict_examples(
                network, tokenizer, [e for e, _, _ in items], max_length, precision=precision
            )
            after = predict_examples(
                network, tokenizer, [r for _, _, r in items], max_length, precision=precision
            )
            passed = sum(
                1
                for b, a in zip(before, after)
                if b.pairs
                and a.pairs
                and pair_label(*b.pairs[0][1:], network.config.event_mode_weight)
                == pair_label(*a.pairs[0][1:], network.config.event_mode_weight)
            )
        else:
            predictions = predict_examples(
                network, tokenizer, [e for e, _, _ in items], max_length, precision=precision
            )
            passed = 0
            for prediction in predictions:
                probs = {p[0].stances[0]: p[1] for p in prediction.pairs}
                if name == "direction" and len(prediction.pairs) == 2:
                    forward = next(p[1] for p in prediction.pairs if p[0].stances[0] != "none")
                    backward = next(p[1] for p in prediction.pairs if p[0].stances[0] == "none")
                    passed += (1 - forward[0]) > (1 - backward[0])
                elif name == "negation" and probs:
                    stance_probs = next(iter(probs.values()))
                    passed += max(range(4), key=stance_probs.__getitem__) != 1
        results[name] = {"cases": len(items), "passed": passed, "pass_rate": passed / len(items)}
    return {
        "system": str(path),
        "precision": resolve_precision(precision, torch.device(device)),
        "benchmark": "behaviour",
        "split": split,
        "date": date.today().isoformat(),
        "results": results,
    }


# -- actor resolution -----------------------------------------------------------------------


def actor_resolution(split: str = "dev") -> dict:
    """How often the resolver (gazetteer + coreference) gives a gold mention its gold actor.

    Each article's gold source and target mentions are resolved in text order together with
    the spaCy candidates (the antecedents the extractor also sees). Scored: the exact actor
    (name, country, sector; name variants such as "el-Sisi"/"al-Sisi" count as wrong), the
    CAMEO-style code (country and sector, what event data aggregates), and the country;
    overall, for pronoun and bare-title mentions (coreference), and for the rest.
    """
    from model.actors import ActorResolver, is_pronoun, title_word
    from model.gazetteer import Gazetteer
    from model.mentions import candidate_spans, load_nlp
    from model.schema import AUTHOR

    gazetteer = Gazetteer.load()
    nlp = load_nlp()
    tallies = {
        kind: {"mentions": 0, "exact": 0, "code": 0, "country": 0, "unresolved": 0}
        for kind in ("all", "pronoun or title", "named")
    }
    for article in CORPORA["claims"].load(split):
        doc = nlp(article.text)
        labels = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
        gold = {
            (m.start, m.end): m
            for c in article.claims
            for m in (c.source, c.target)
            if m is not None and m.actor is not None and m.actor.name != AUTHOR
        }
        spans = sorted(set(gold) | {s for sent in doc.sents for s in candidate_spans(sent)})
        persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
        resolver = ActorResolver(gazetteer, article.meta.get("date"), persons)
        for span in spans:
            actor = resolver.resolve(*span, article.text[span[0] : span[1]], labels.get(span))
            if span not in gold:
                continue
            mention = gold[span]
            corefers = is_pronoun(mention.text) or title_word(mention.text) is not None
            for kind in ("all", "pronoun or title" if corefers else "named"):
                tally = tallies[kind]
                tally["mentions"] += 1
                tally["unresolved"] += actor is None
                tally["exact"] += actor == mention.actor
                tally["code"] += actor is not None and actor.code() == mention.actor.code()
                tally["country"] += actor is not None and actor.country == mention.actor.country
    results = {
        kind: {
            **t,
            **{
                f"{key}_accuracy": t[key] / max(t["mentions"], 1)
                for key in ("exact", "code", "country")
            },
        }
        for kind, t in tallies.items()
    }
    return {
        "system": "resolver",
        "benchmark": "actors",
        "split": split,
        "date": date.today().isoformat(),
        "results": results,
    }
