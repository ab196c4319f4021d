"""From schema Articles to sentence examples for the multi-task network.

Every corpus becomes `SentenceExample`s: one sentence, the role spans it annotates (for the
tagger), its sentence label if any, and labelled ordered mention pairs. What a corpus does not
annotate stays None and is masked out of the loss. Dev splits are carved by sentence text
(normalised, hashed with the seed), so a sentence shared by two corpora (CAMEO and PLV share
hundreds) falls on the same side in both and dev never leaks into train.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import torch

from model.features import (
    AUTHOR_SPAN,
    EncodedSentence,
    PairInput,
    build_batch,
    encode_sentences,
    mention_type,
    pair_pieces,
)
from model.mentions import candidate_spans, load_ner, load_nlp
from model.network import BIO, EVENT_TYPES, IGNORE, MODES, PAIR_STANCES, SENTENCE_LABELS, TAG_ROLES
from model.schema import Article, Claim
from training.config import RunConfig
from training.corpora import CORPORA

Span = tuple[int, int]
CLAIM_STANCES = ("cooperative", "adversarial", "neutral")

# What each corpus annotates. Tags: which roles are exhaustively marked in a sentence.
CORPUS_TAGS = {
    "claims": TAG_ROLES,
    "pseudo": TAG_ROLES,
    "cameo": ("SOURCE", "TARGET"),
    "polnear": ("SOURCE", "CUE", "CLAIM"),
}
# Corpora annotated the own corpus's way (a teacher's claims on unlabeled text): they train
# its tagger output and get its sampled negative pairs.
LIKE_OWN_CORPUS = {"claims", "pseudo"}
# Corpora whose tags are the converter's `meta["roles"]`, not the claims' spans (CAMEO marks
# actors that take part in no claim); their articles without `roles` have no tag supervision.
ROLES_IN_META = {"cameo"}
# Whether the reverse direction of an annotated pair is a known non-claim.
REVERSE_IS_NEGATIVE = {"claims": True, "pseudo": True, "cameo": True, "directed_sentiment": True}


@dataclass
class PairExample:
    source: Span
    target: Span
    stances: tuple[str, ...]
    """Allowed pair classes (one for a known stance; several for a partial label)."""
    mode: str | None = None
    event_type: str | None = None
    types: tuple[int, int] | None = None
    """`MENTION_TYPES` of source and target; filled from spaCy's NER the first time a
    `mention_types` network's batch holds the pair (`add_mention_types`)."""


@dataclass
class SentenceExample:
    corpus: str
    article_id: str
    text: str
    roles: dict[str, list[Span]] | None = None
    """Role -> character spans, for the roles this corpus marks; None = no tag supervision."""
    sentence_label: str | None = None
    pairs: list[PairExample] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def text_hash(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def in_dev(text: str, fraction: float, seed: int) -> bool:
    digest = hashlib.sha1(f"{seed}:{normalise(text)}".encode()).hexdigest()
    return int(digest[:8], 16) / 0xFFFFFFFF < fraction


# -- articles -> sentence examples ---------------------------------------------------------


def sentence_spans(article: Article) -> list[Span]:
    if article.sentences is not None:
        return list(article.sentences)
    doc = load_nlp(fast=True)(article.text)
    return [(sent.start_char, sent.end_char) for sent in doc.sents if sent.text.strip()]


def marked_spans(article: Article, corpus: str) -> list[tuple[str, Span]] | None:
    """(role, character span) of every tag the article's annotation marks; None when its
    spans were never annotated (a CAMEO class-only sentence)."""
    if corpus in ROLES_IN_META:
        roles = article.meta.get("roles")
        if roles is None:
            return None
        return [(role, (a, b)) for role, spans in roles.items() for a, b in spans]
    return [
        (role, (mention.start, mention.end))
        for claim in article.claims
        for role, mention in (
            # the journalist's evaluative phrase names no actor: not a SOURCE span
            ("SOURCE", None if claim.source and claim.source.is_author else claim.source),
            ("TARGET", claim.target),
            ("CUE", claim.cue),
            ("CLAIM", claim.claim),
        )
        if mention is not None
    ]


def examples_from_article(
    article: Article, corpus: str, negatives_per_sentence: int = 6, rng: random.Random | None = None
) -> Iterator[SentenceExample]:
    """One example per sentence; offsets become sentence-relative."""
    rng = rng or random.Random(0)
    spans = sentence_spans(article)
    by_sentence: dict[int, list[Claim]] = {}
    for claim in article.claims:
        anchor = claim.source or claim.target or claim.cue or claim.claim
        if anchor is None:
            continue
        index = (
            claim.sentence
            if article.sentences is not None and claim.sentence is not None
            else _sentence_index(spans, anchor.start)
        )
        by_sentence.setdefault(index, []).append(claim)
    roles = CORPUS_TAGS.get(corpus)
    marked = marked_spans(article, corpus) if roles else None
    for index, (start, end) in enumerate(spans):
        text = article.text[start:end]
        claims = by_sentence.get(index, [])
        example = SentenceExample(
            corpus=corpus,
            article_id=article.id,
            text=text,
            sentence_label=article.meta.get("sentence_label"),
            meta={"label": article.meta.get("label")},
        )
        if marked is not None:
            found: dict[str, set[Span]] = {role: set() for role in roles}
            for role, (span_start, span_end) in marked:
                # clipped to the sentence: a cue may lie in another sentence
                clipped = (max(span_start, start) - start, min(span_end, end) - start)
                if role in found and clipped[1] > clipped[0]:
                    found[role].add(clipped)
            example.roles = {role: sorted(hits) for role, hits in found.items()}
        mentions = [
            (m.start - start, m.end - start)
            for m in article.mentions
            if start <= m.start and m.end <= end
        ]
        if mentions:
            example.meta["first_mention"] = mentions[0]
        example.pairs = _pairs(claims, mentions, start, end, corpus)
        if corpus in LIKE_OWN_CORPUS and negatives_per_sentence:
            example.pairs += _candidate_negatives(
                article.text, start, end, example.pairs, negatives_per_sentence, rng
            )
        yield example


def _sentence_index(spans: list[Span], offset: int) -> int:
    for index, (start, end) in enumerate(spans):
        if start <= offset < end:
            return index
    return max(0, len(spans) - 1)


def _pairs(
    claims: list[Claim], mentions: list[Span], start: int, end: int, corpus: str
) -> list[PairExample]:
    pairs: dict[tuple[Span, Span], PairExample] = {}
    for claim in claims:
        if claim.source is None or claim.target is None:
            continue
        by_author = claim.source.is_author  # its pairs take AUTHOR_SPAN as source
        sides = (claim.target,) if by_author else (claim.source, claim.target)
        if not all(start <= side.start and side.end <= end for side in sides):
            continue
        source = (
            AUTHOR_SPAN if by_author else (claim.source.start - start, claim.source.end - start)
        )
        target = (claim.target.start - start, claim.target.end - start)
        if claim.stance is not None:
            stances = (claim.stance.value,)
        elif claim.stance_options is not None:
            stances = ("none", *(stance.value for stance in claim.stance_options))
        else:
            stances = CLAIM_STANCES
        pairs[(source, target)] = PairExample(
            source,
            target,
            stances,
            mode=claim.mode.value if claim.mode else None,
            event_type=claim.event_type.value if claim.event_type else None,
        )
    if REVERSE_IS_NEGATIVE.get(corpus):
        known = {span for pair in pairs for span in pair} | set(mentions)
        for source in known:
            for target in known - {AUTHOR_SPAN}:
                if not _overlap(source, target) and (source, target) not in pairs:
                    pairs[(source, target)] = PairExample(source, target, ("none",))
    return list(pairs.values())


def _candidate_negatives(
    text: str, start: int, end: int, pairs: list[PairExample], limit: int, rng: random.Random
) -> list[PairExample]:
    """Non-claim pairs among the spaCy candidates the extractor will meet at inference,
    the journalist (`AUTHOR_SPAN`) among the sources."""
    doc = load_nlp(lemmas=False)(text[start:end])
    candidates = [span for sent in doc.sents for span in candidate_spans(sent)]
    gold = [span for pair in pairs for span in (pair.source, pair.target)]

    def overlaps_gold_pair(source: Span, target: Span) -> bool:
        return any(_overlap(source, p.source) and _overlap(target, p.target) for p in pairs)

    mentions = candidates + [
        span for span in set(gold) - {AUTHOR_SPAN} if not any(_overlap(span, c) for c in candidates)
    ]
    options = [
        (s, t)
        for s in [AUTHOR_SPAN, *mentions]
        for t in mentions
        if not _overlap(s, t) and not overlaps_gold_pair(s, t)
    ]
    rng.shuffle(options)
    return [PairExample(s, t, ("none",)) for s, t in options[:limit]]


def _overlap(a: Span, b: Span) -> bool:
    return a == b or (a[0] < b[1] and b[0] < a[1])


# -- loading the configured mixture --------------------------------------------------------


@dataclass
class Splits:
    train: dict[str, list[SentenceExample]]
    dev: dict[str, list[SentenceExample]]
    cameo_modes_from_plv: int = 0
    """CAMEO pairs whose mode was taken from their PLV twin (see `reconcile_modes`)."""


def dedupe(examples: Iterable[SentenceExample]) -> list[SentenceExample]:
    """Drop exact duplicates (same text and same labels), keep the first."""
    seen, kept = set(), []
    for example in examples:
        key = (
            example.text,
            example.sentence_label,
            tuple((p.source, p.target, p.stances) for p in example.pairs),
        )
        if key not in seen:
            seen.add(key)
            kept.append(example)
    return kept


def load_splits(config: RunConfig, progress=None) -> Splits:
    """Train and dev examples of every configured corpus."""
    rng = random.Random(config.seed)
    train, dev = {}, {}
    for name, options in config.data.corpora.items():
        corpus = CORPORA[name]

        def build(articles, name=name) -> list[SentenceExample]:
            return [
                example
                for article in articles
                for example in examples_from_article(
                    article, name, config.data.negatives_per_sentence, rng
                )
            ]

        root = options.path or corpus.root_for(config.data.data_dir)
        if "dev" in corpus.files:
            train_examples = build(corpus.load("train", root))
            dev_examples = build(corpus.load("dev", root))
        elif not corpus.carve_dev:
            train_examples, dev_examples = build(corpus.load("train", root)), []
        else:
            everything = build(corpus.load("train", root))
            held = [in_dev(e.text, config.data.dev_fraction, config.split_seed) for e in everything]
            train_examples = [e for e, dev in zip(everything, held) if not dev]
            dev_examples = [e for e, dev in zip(everything, held) if dev]
        train_examples = dedupe(train_examples)
        if options.max_examples is not None and len(train_examples) > options.max_examples:
            train_examples = rng.sample(train_examples, options.max_examples)
        dev_examples = dedupe(dev_examples)
        cap = config.data.max_dev_sentences
        if cap is not None and len(dev_examples) > cap:
            dev_examples = random.Random(config.split_seed).sample(dev_examples, cap)
        train[name], dev[name] = train_examples, dev_examples
        if progress:
            progress(name, len(train[name]), len(dev[name]))
    relabelled = 0
    if "cameo" in train and "plv" in train:
        relabelled = reconcile_modes(train["cameo"] + dev["cameo"], train["plv"] + dev["plv"])
    return Splits(train, dev, relabelled)


def reconcile_modes(cameo: list[SentenceExample], plv: list[SentenceExample]) -> int:
    """Give CAMEO claim pairs the mode PLV codes for the same sentence; returns how many
    pairs changed.

    The two corpora share hundreds of sentences and disagree on mode: PLV codes imposed
    sanctions (and some coercion) as material conflict, as the guidelines do, CAMEO as
    verbal conflict. The pair head follows the guidelines, so where a CAMEO sentence has a
    PLV twin whose claims agree on one mode, CAMEO's pairs of the same stance take it. The
    sentence head keeps CAMEO's own labels: the CAMEO benchmark measures CAMEO's codebook.
    """
    twins: dict[str, set[tuple[str, str]]] = {}
    for example in plv:
        for pair in example.pairs:
            if len(pair.stances) == 1 and pair.mode:
                twins.setdefault(normalise(example.text), set()).add((pair.stances[0], pair.mode))
    changed = 0
    for example in cameo:
        coded = twins.get(normalise(example.text), set())
        for pair in example.pairs:
            modes = {mode for stance, mode in coded if (stance,) == pair.stances}
            if len(modes) == 1 and pair.mode and pair.mode not in modes:
                pair.mode = modes.pop()
                changed += 1
    return changed


# -- tensors ------------------------------------------------------------------------------


def collate(
    examples: list[SentenceExample],
    tokenizer,
    max_length: int,
    pair_encoding: str,
    marker_ids: tuple[int, int, int, int],
    tasks: set[str] | None = None,
    encoded: list[EncodedSentence] | None = None,
    tag_schemes: tuple[str, ...] = ("claims",),
    mention_types: bool = False,
    marker_type_ids: tuple[tuple[int, ...], ...] = (),
) -> tuple[dict[str, torch.Tensor], list[tuple[int, PairExample]]]:
    """A labelled batch, and which example each kept pair came from (pairs whose mentions
    were truncated away are dropped). `encoded`: the examples already tokenized;
    `tag_schemes`: the network's, so each corpus's spans train its own tagger output;
    `mention_types` / `marker_type_ids`: the network reads each side's type (as an embedding /
    as a word after each marker)."""
    if encoded is None:
        encoded = encode_sentences(tokenizer, [e.text for e in examples], max_length)
    if mention_types or marker_type_ids:
        add_mention_types(examples)
    pairs, kept = [], []
    for index, (example, sentence) in enumerate(zip(examples, encoded)):
        for pair in example.pairs:
            source, target = pair_pieces(sentence, pair.source), pair_pieces(sentence, pair.target)
            if source and target:
                pairs.append(PairInput(index, source, target, pair.types or (0, 0)))
                kept.append((index, pair))
    batch = build_batch(encoded, pairs, pair_encoding, marker_ids, marker_type_ids)
    width = batch["input_ids"].size(1)
    use = tasks or {"tags", "pairs", "events", "sentence"}
    tag_labels = torch.full((len(examples), width, len(TAG_ROLES)), IGNORE, dtype=torch.long)
    if "tags" in use:
        for index, (example, sentence) in enumerate(zip(examples, encoded)):
            if example.roles is not None:
                tag_labels[index] = word_tags(sentence, example.roles, width)
    batch["tag_labels"] = tag_labels
    batch["tag_scheme"] = torch.tensor(
        [tag_schemes.index(e.corpus) if e.corpus in tag_schemes else 0 for e in examples],
        dtype=torch.long,
    )  # corpora without a scheme of their own (pseudo) train the own corpus's, index 0
    batch["sentence_labels"] = torch.tensor(
        [
            SENTENCE_LABELS.index(e.sentence_label)
            if e.sentence_label and "sentence" in use
            else IGNORE
            for e in examples
        ],
        dtype=torch.long,
    )
    if pairs:
        allowed = torch.zeros(len(kept), len(PAIR_STANCES))
        if "pairs" in use:
            for row, (_, pair) in enumerate(kept):
                for stance in pair.stances:
                    allowed[row, PAIR_STANCES.index(stance)] = 1.0
        batch["pair_stance"] = allowed
        batch["pair_mode"] = torch.tensor(
            [MODES.index(p.mode) if p.mode and "pairs" in use else IGNORE for _, p in kept],
            dtype=torch.long,
        )
        batch["pair_event"] = torch.tensor(
            [
                EVENT_TYPES.index(p.event_type) if p.event_type and "events" in use else IGNORE
                for _, p in kept
            ],
            dtype=torch.long,
        )
    return batch, kept


def add_mention_types(examples: list[SentenceExample]) -> None:
    """Give every pair of the examples its sides' `MENTION_TYPES`, from spaCy's NER on the
    sentence, as the extractor types them from the article's; done once per example."""
    untyped = [e for e in examples if any(pair.types is None for pair in e.pairs)]
    if not untyped:
        return
    for example, doc in zip(untyped, load_ner().pipe(e.text for e in untyped)):
        entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for pair in example.pairs:
            pair.types = (
                mention_type(pair.source, entities, example.text),
                mention_type(pair.target, entities, example.text),
            )


def word_tags(sentence: EncodedSentence, roles: dict[str, list[Span]], width: int) -> torch.Tensor:
    """BIO labels [width, roles] on each word's first piece (other pieces are ignored, as
    decoding reads first pieces); roles the corpus does not mark stay ignored."""
    labels = torch.full((width, len(TAG_ROLES)), IGNORE, dtype=torch.long)
    starts = sentence.word_starts()
    for r, role in enumerate(TAG_ROLES):
        if role not in roles:
            continue
        labels[starts, r] = BIO.index("O")
        for start, end in roles[role]:
            inside = [
                piece
                for piece in starts
                if start <= sentence.offsets[piece][0] < end
                or sentence.offsets[piece][0] < start < sentence.word_end(piece)
            ]
            if inside:
                labels[inside[0], r] = BIO.index("B")
                labels[inside[1:], r] = BIO.index("I")
    return labels


def tag_schemes_for(corpora: Iterable[str]) -> tuple[str, ...]:
    """The own corpus's scheme first (inference reads it), then every other corpus that
    marks spans."""
    return (
        "claims",
        *(name for name in CORPUS_TAGS if name not in LIKE_OWN_CORPUS and name in corpora),
    )


def stance_class_weights(examples: Iterable[SentenceExample]) -> torch.Tensor:
    """Inverse square-root frequency of single-stance pair labels (rare classes count more)."""
    counts = torch.ones(len(PAIR_STANCES))
    for example in examples:
        for pair in example.pairs:
            if len(pair.stances) == 1:
                counts[PAIR_STANCES.index(pair.stances[0])] += 1
    weights = counts.sum() / counts
    weights = weights.sqrt()
    return weights / weights.mean()
