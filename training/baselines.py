"""Baselines scored by the same script as the network: majority class, TF-IDF + logistic
regression, and a cue lexicon.

Each labelled item of a benchmark is a (task, gold, input text) triple; pair tasks see the
sentence with the pair marked (`[S] ... [/S]`, `[T] ... [/T]`), so the text models can tell
pairs of one sentence apart. The lexicon is the team's own short list of cue words, not a
copy of any dictionary; PETRARCH-format verb dictionaries can extend it.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from model.features import AUTHOR_SPAN
from training.dataset import PairExample, SentenceExample
from training.evaluation import UnitResult, gold_label

# Team-written cue lexicon: stems -> pentaclass. Checked longest first; negation flips to neutral.
LEXICON = {
    "verbal_cooperation": [
        "prais",
        "welcom",
        "thank",
        "hail",
        "endors",
        "back",
        "support",
        "agree",
        "urg",
        "appeal",
        "invit",
        "met ",
        "meet",
        "talks",
        "visit",
        "congratulat",
        "pledg",
        "promis",
        "offer",
        "call for",
        "discuss",
        "host",
        "consult",
        "applaud",
        "commend",
        "reassur",
    ],
    "material_cooperation": [
        "deliver",
        "donat",
        "aid",
        "sign",
        "ratif",
        "releas",
        "freed",
        "free ",
        "lift",
        "eas",
        "reopen",
        "withdr",
        "ship",
        "fund",
        "loan",
        "lent",
        "grant",
        "evacuat",
        "exchang",
        "train",
        "joint exercise",
    ],
    "verbal_conflict": [
        "accus",
        "blam",
        "condemn",
        "denounc",
        "critic",
        "slam",
        "reject",
        "refus",
        "deni",
        "warn",
        "threat",
        "demand",
        "vow",
        "rebuk",
        "attack on",
        "insult",
        "protest",
        "summon",
        "veto",
        "dismiss",
        "decr",
    ],
    "material_conflict": [
        "kill",
        "attack",
        "shell",
        "bomb",
        "strik",
        "struck",
        "raid",
        "arrest",
        "detain",
        "seiz",
        "sanction",
        "embargo",
        "expel",
        "deploy",
        "invad",
        "fire",
        "shot",
        "shoot",
        "ambush",
        "clash",
        "blockad",
        "march",
        "ban ",
        "freez",
        "mobiliz",
        "mobilis",
        "captur",
        "execut",
    ],
}
NEGATION = re.compile(r"\b(not|n't|never|no)\b")
PENTA_TO_FIVE_CLASS = {
    "verbal_cooperation": "1",
    "material_cooperation": "1",
    "verbal_conflict": "3",
    "material_conflict": "3",
    "neutral": "0",
}


def marked(text: str, pair: PairExample) -> str:
    """The sentence with [S] .. [/S] and [T] .. [/T] around the pair's sides; an AUTHOR
    source (no words of its own) is one [AUTHOR] mark at the start."""
    source = (
        [(0, " [AUTHOR] ")]
        if pair.source == AUTHOR_SPAN
        else [(pair.source[0], " [S] "), (pair.source[1], " [/S] ")]
    )
    inserts = sorted(
        [*source, (pair.target[0], " [T] "), (pair.target[1], " [/T] ")],
        reverse=True,
    )
    for position, marker in inserts:
        text = text[:position] + marker + text[position:]
    return text


def task_items(example: SentenceExample) -> list[tuple[str, str, str]]:
    """(task, gold, input) for everything the example labels that a text baseline can do."""
    items = []
    if example.sentence_label:
        items.append(("sentence", example.sentence_label, example.text))
    for pair in example.pairs:
        label = gold_label(pair)
        text = None
        if label:
            text = marked(example.text, pair)
            items.append(("pair_label", label, text))
            items.append(("pair_stance", pair.stances[0], text))
        if pair.event_type:
            items.append(("event", pair.event_type, text or marked(example.text, pair)))
        if example.corpus == "aw":
            items.append(
                (
                    "binary",
                    "conflict" if "adversarial" in pair.stances else "other",
                    text or marked(example.text, pair),
                )
            )
    if example.corpus == "directed_sentiment" and example.meta.get("label") is not None:
        items.append(("five_class", str(example.meta["label"]), example.text))
    return items


class MajorityBaseline:
    name = "baseline:majority"

    def fit(self, examples: list[SentenceExample]) -> MajorityBaseline:
        counts: dict[str, Counter] = {}
        for example in examples:
            for task, gold, _ in task_items(example):
                counts.setdefault(task, Counter())[gold] += 1
        self.majority = {task: c.most_common(1)[0][0] for task, c in counts.items()}
        return self

    def predict(self, task: str, texts: list[str]) -> list[str]:
        return [self.majority.get(task, "")] * len(texts)


class TfidfBaseline:
    """Word (1-2) and character (2-5) n-grams, logistic regression, balanced class weights."""

    name = "baseline:tfidf"

    def fit(self, examples: list[SentenceExample]) -> TfidfBaseline:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        data: dict[str, tuple[list[str], list[str]]] = {}
        for example in examples:
            for task, gold, text in task_items(example):
                texts, labels = data.setdefault(task, ([], []))
                texts.append(text)
                labels.append(gold)
        self.models, self.constant = {}, {}
        for task, (texts, labels) in data.items():
            if len(set(labels)) < 2:
                self.constant[task] = labels[0]
                continue
            features = make_union(
                TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True),
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
                ),
            )
            model = make_pipeline(
                features, LogisticRegression(max_iter=2000, class_weight="balanced")
            )
            self.models[task] = model.fit(texts, labels)
        return self

    def predict(self, task: str, texts: list[str]) -> list[str]:
        if task in self.models:
            return list(self.models[task].predict(texts))
        return [self.constant.get(task, "")] * len(texts)


class LexiconBaseline:
    """The first cue stem found in the sentence decides the label; a negation before it
    makes it neutral. Extra stems come from `extra` (e.g. a PETRARCH verb dictionary)."""

    name = "baseline:lexicon"

    def __init__(self, extra: dict[str, list[str]] | None = None):
        self.entries = sorted(
            (
                (stem, label)
                for label, stems in LEXICON.items()
                for stem in stems + (extra or {}).get(label, [])
            ),
            key=lambda entry: -len(entry[0]),
        )

    def fit(self, examples: list[SentenceExample]) -> LexiconBaseline:
        return self

    def label(self, text: str) -> str:
        lowered = re.sub(r"\[/?[ST]\]", " ", text.lower())
        best = None
        for stem, label in self.entries:
            position = lowered.find(stem)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, label)
        if best is None:
            return "neutral"
        if NEGATION.search(lowered[max(0, best[0] - 20) : best[0]]):
            return "neutral"
        return best[1]

    def predict(self, task: str, texts: list[str]) -> list[str]:
        labels = [self.label(text) for text in texts]
        if task == "pair_stance":
            return [
                {"neutral": "neutral"}.get(
                    label, "cooperative" if "cooperation" in label else "adversarial"
                )
                for label in labels
            ]
        if task == "binary":
            return ["conflict" if "conflict" in label else "other" for label in labels]
        if task == "five_class":
            return [PENTA_TO_FIVE_CLASS[label] for label in labels]
        if task == "event":
            return ["" for _ in labels]  # the lexicon codes no event types
        return labels


BASELINES = {
    "baseline:majority": MajorityBaseline,
    "baseline:tfidf": TfidfBaseline,
    "baseline:lexicon": LexiconBaseline,
}


def baseline_units(baseline, examples: list[SentenceExample]) -> list[UnitResult]:
    """Run a fitted baseline on examples, task by task in batches, one UnitResult each."""
    items = [task_items(example) for example in examples]
    by_task: dict[str, list[tuple[int, int]]] = {}
    for e, example_items in enumerate(items):
        for i, (task, _, _) in enumerate(example_items):
            by_task.setdefault(task, []).append((e, i))
    predictions: dict[tuple[int, int], str] = {}
    for task, keys in by_task.items():
        outputs = baseline.predict(task, [items[e][i][2] for e, i in keys])
        predictions.update(zip(keys, outputs))
    units = []
    for e, example_items in enumerate(items):
        unit = UnitResult()
        for i, (task, gold, _) in enumerate(example_items):
            unit.add(task, gold, predictions[(e, i)])
        units.append(unit)
    return units


def read_petrarch_verbs(path: str | Path) -> dict[str, list[str]]:
    """Cue words per pentaclass from a PETRARCH/CAMEO verb dictionary.

    Each `---  VERB  [CODE]  ---` block lists synonyms (one per line, inflections in braces)
    and patterns (`- * WORDS  [CODE]`). A block's class is its header code's CAMEO quad
    class, or else the most common quad class of its patterns' codes; the synonyms and their
    inflections become cue words of that class.
    """

    def quad(code: str) -> str | None:
        root = int(code[:2]) if code[:2].isdigit() else -1
        return (
            "verbal_cooperation"
            if 2 <= root <= 5
            else "material_cooperation"
            if 6 <= root <= 8
            else "verbal_conflict"
            if 9 <= root <= 13
            else "material_conflict"
            if 14 <= root <= 20
            else None
        )

    stems: dict[str, list[str]] = {}
    header = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
    code = re.compile(r"\[(\d{3,4})")

    def close(block: dict) -> None:
        classes = Counter(filter(None, (quad(c) for c in block["codes"])))
        label = quad(block["header"]) or (classes.most_common(1)[0][0] if classes else None)
        if label:
            stems.setdefault(label, []).extend(block["words"])

    block = None
    with Path(path).open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            line = line.split("#", 1)[0].rstrip()
            match = header.match(line)
            if match:
                if block:
                    close(block)
                block = {"header": match.group(2), "codes": [], "words": []}
            elif block is not None and line.startswith("-"):
                block["codes"].extend(code.findall(line))
            elif block is not None and line.strip():
                words = re.findall(r"[A-Z][A-Z_]+", line)
                block["words"].extend(w.lower().replace("_", " ") + " " for w in words)
    if block:
        close(block)
    return stems
