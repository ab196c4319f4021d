"""Coverage of the project's own corpus: the counts its datasheet promises, measured by rule.

Every hard case is counted by a rule stated here, so the numbers can be checked rather
than trusted. `REQUIREMENTS` holds the minimums the corpus must meet (issue #3).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

from model.gazetteer import Gazetteer
from model.mentions import PRONOUNS, candidate_spans, load_nlp
from model.schema import AUTHOR, IGO, SECTORS, Article, EventType, Label, Mode

QUOTES = re.compile('[\u201c\u201d"]')
SPEECH_VERBS = {
    "say",
    "tell",
    "state",
    "argue",
    "insist",
    "warn",
    "claim",
    "add",
    "note",
    "announce",
    "declare",
    "assert",
    "stress",
    "allege",
    "write",
    "reply",
    "respond",
    "remark",
    "explain",
    "acknowledge",
    "admit",
    "contend",
    "maintain",
    "suggest",
    "predict",
    "reiterate",
    "repeat",
    "emphasise",
    "emphasize",
    "caution",
    "quote",
}
NEGATION = re.compile(r"\b(not|n't|never|no|without)\b", re.IGNORECASE)
REFUSAL = re.compile(r"\b(refus|reject|declin|den(y|ie)|veto|rebuff|dismiss|boycott)", re.I)
DETERMINERS = ("the ", "this ", "that ", "these ", "those ", "its ", "their ")
HARD_CASES = (
    "direct quote",
    "indirect quote",
    "pronoun or title source",
    "nested attribution",
    "negation or refusal",
    "hypothetical or threat",
    "one source, several targets",
    "metonym",
    "AUTHOR evaluation",
)

REQUIREMENTS = {
    "articles": 400,
    "claims": 3000,
    "per label": 300,
    "per event type": 40,
    "countries": 60,
    "per hard case": 100,
    "true-negative sentence share": 0.20,
    "cue lemmas": 120,
    "sentences per article": (3, 15),
}


def hard_cases(article: Article, gazetteer: Gazetteer) -> Counter:
    """Claims of an article per hard case (a claim may count in several)."""
    counts: Counter = Counter()
    text = article.text
    by_source: Counter = Counter()
    for claim in article.claims:
        if claim.source is not None and claim.target is not None:
            by_source[(claim.sentence, claim.source.start, claim.source.end)] += 1
    for claim in article.claims:
        start, end = article.sentences[claim.sentence] if article.sentences else (0, len(text))
        sentence = text[start:end]
        cue = claim.cue.text if claim.cue else ""
        verbal = claim.mode is Mode.VERBAL
        source, target = claim.source, claim.target
        cue_lemmas = _lemmas(cue)
        if verbal and QUOTES.search(sentence):
            counts["direct quote"] += 1
        if verbal and not QUOTES.search(sentence) and cue_lemmas & SPEECH_VERBS:
            counts["indirect quote"] += 1
        if source is not None and source.actor is not None and _refers_back(source, text):
            counts["pronoun or title source"] += 1
        if claim.attributed_by is not None:
            counts["nested attribution"] += 1
        if NEGATION.search(cue) or REFUSAL.search(cue):
            counts["negation or refusal"] += 1
        if claim.modality == "hypothetical" or claim.event_type is EventType.THREATEN:
            counts["hypothetical or threat"] += 1
        if source is not None and by_source[(claim.sentence, source.start, source.end)] > 1:
            counts["one source, several targets"] += 1
        if any(_is_metonym(m, gazetteer, article.meta.get("date")) for m in (source, target)):
            counts["metonym"] += 1
        if source is not None and source.actor is not None and source.actor.name == AUTHOR:
            counts["AUTHOR evaluation"] += 1
    return counts


@cache
def _lemmas(text: str) -> frozenset[str]:
    return frozenset(token.lemma_.lower() for token in load_nlp()(text)) if text else frozenset()


def _refers_back(mention, text: str) -> bool:
    """A pronoun, or a determiner phrase that does not name its actor, whose actor was
    named earlier in the article."""
    words = mention.text.lower()
    if mention.actor.name == AUTHOR:
        return False
    if words not in PRONOUNS and not words.startswith(DETERMINERS):
        return False
    name_words = [w for w in re.findall(r"\w+", mention.actor.name) if len(w) > 3]
    if any(w.lower() in words for w in name_words):
        return False
    earlier = text[: mention.start]
    return any(w in earlier for w in name_words)


def _is_metonym(mention, gazetteer: Gazetteer, date) -> bool:
    if mention is None or mention.actor is None:
        return False
    return gazetteer.kind_of(mention.text, date) == "metonym"


def coverage(splits: dict[str, list[Article]], gazetteer: Gazetteer | None = None) -> dict:
    """All counts of the corpus (every split together, and articles per split)."""
    gazetteer = gazetteer or Gazetteer.load()
    articles = [a for split in splits.values() for a in split]
    claims = [c for a in articles for c in a.claims]
    labels = Counter(c.label.value for c in claims if c.label)
    events = Counter(c.event_type.value for c in claims if c.event_type)
    countries, sectors, cases = Counter(), Counter(), Counter()
    for claim in claims:
        for mention in (claim.source, claim.target):
            actor = mention.actor if mention else None
            if actor is None:
                continue
            if actor.country and actor.country != IGO:
                countries[actor.country] += 1
            if actor.country == IGO:
                sectors["IGO"] += 1
            if actor.sector:
                sectors[actor.sector] += 1
    for article in articles:
        cases.update(hard_cases(article, gazetteer))
    cue_lemmas = _cue_lemmas(c.cue.text for c in claims if c.cue)
    negatives, sentences = _true_negative_sentences(articles)
    lengths = [len(a.sentences or ()) for a in articles]
    return {
        "articles": len(articles),
        "articles per split": {name: len(split) for name, split in splits.items()},
        "styles": dict(Counter(a.meta.get("style", "?") for a in articles)),
        "sentences": sentences,
        "sentences per article (min, max)": (min(lengths), max(lengths)) if lengths else (0, 0),
        "claims": len(claims),
        "labels": {label.value: labels[label.value] for label in Label},
        "event types": {event.value: events[event.value] for event in EventType},
        "countries": len(countries),
        "sectors": {sector: sectors[sector] for sector in sorted(SECTORS | {"IGO"})},
        "hard cases": {case: cases[case] for case in HARD_CASES},
        "true-negative sentences": negatives,
        "true-negative sentence share": negatives / sentences if sentences else 0.0,
        "cue lemmas": len(cue_lemmas),
    }


def _cue_lemmas(cues: Iterable[str]) -> set[str]:
    """Distinct lemmas of the main word of each cue (its first verb, else its last noun or
    adjective), so "praised" and "praising" count once."""
    lemmas = set()
    for doc in load_nlp().pipe(set(cues)):
        verbs = [t for t in doc if t.pos_ in {"VERB"} and t.lemma_.lower() not in {"be", "have"}]
        content = verbs or [t for t in doc if t.pos_ in {"NOUN", "ADJ", "PROPN"}]
        if content:
            lemmas.add(content[0].lemma_.lower())
    return lemmas


def _true_negative_sentences(articles: list[Article]) -> tuple[int, int]:
    """(sentences with two or more actor candidates and no claim, all sentences)."""
    nlp = load_nlp()
    texts, claimed = [], []
    for article in articles:
        with_claims = {c.sentence for c in article.claims}
        for index, (start, end) in enumerate(article.sentences or ()):
            texts.append(article.text[start:end])
            claimed.append(index in with_claims)
    negatives = 0
    for doc, has_claim in zip(nlp.pipe(texts, batch_size=64), claimed):
        if not has_claim and sum(len(candidate_spans(s)) for s in doc.sents) >= 2:
            negatives += 1
    return negatives, len(texts)


def check(stats: dict) -> list[tuple[str, str, bool]]:
    """(requirement, measured, met) rows against `REQUIREMENTS`."""
    need = REQUIREMENTS
    rows = [
        (
            "articles",
            f"{stats['articles']} >= {need['articles']}",
            stats["articles"] >= need["articles"],
        ),
        ("claims", f"{stats['claims']} >= {need['claims']}", stats["claims"] >= need["claims"]),
    ]
    rows += [
        (f"label {k}", f"{v} >= {need['per label']}", v >= need["per label"])
        for k, v in stats["labels"].items()
    ]
    rows += [
        (f"event {k}", f"{v} >= {need['per event type']}", v >= need["per event type"])
        for k, v in stats["event types"].items()
    ]
    rows.append(
        (
            "countries",
            f"{stats['countries']} >= {need['countries']}",
            stats["countries"] >= need["countries"],
        )
    )
    rows += [(f"sector {k}", f"{v} >= 1", v >= 1) for k, v in stats["sectors"].items()]
    rows += [
        (f"hard case: {k}", f"{v} >= {need['per hard case']}", v >= need["per hard case"])
        for k, v in stats["hard cases"].items()
    ]
    share = stats["true-negative sentence share"]
    rows.append(
        (
            "true-negative sentences",
            f"{share:.1%} >= 20%",
            share >= need["true-negative sentence share"],
        )
    )
    rows.append(
        (
            "cue lemmas",
            f"{stats['cue lemmas']} >= {need['cue lemmas']}",
            stats["cue lemmas"] >= need["cue lemmas"],
        )
    )
    low, high = stats["sentences per article (min, max)"]
    rows.append(("sentences per article", f"{low}-{high} within 3-15", 3 <= low and high <= 15))
    return rows
