"""`ClaimExtractor`: load a checkpoint folder, predict claims in articles.

Pipeline per batch of articles: spaCy sentences and actor candidates -> one encoder pass per
sentence (tags) -> candidates plus the tagger's SOURCE/TARGET spans -> every ordered pair
scored by the pair head, except a mention and its own restatement, and the journalist
(AUTHOR) as source of each mention when the checkpoint learnt it -> pairs above the claim
threshold become claims, written on the named phrase where a side is a relative pronoun or
an appositive ("who" -> "Uribe"), with the nearest CUE/CLAIM spans and actors resolved
through the gazetteer and coreference.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import torch
from transformers import AutoTokenizer

from model.actors import DETERMINERS, ActorResolver
from model.decoding import decode_tags, pair_mode
from model.ensemble import ClaimEnsemble, is_ensemble, load_network
from model.features import (
    AUTHOR_SPAN,
    PairInput,
    build_batch,
    encode_sentences,
    mention_type,
    pair_pieces,
)
from model.mentions import doc_candidates, load_nlp, restated_mentions, select
from model.network import EVENT_TYPES, PAIR_STANCES, ClaimNetwork
from model.precision import autocast, resolve_precision
from model.records import text_problem
from model.schema import AUTHOR, Actor, Article, Claim, EventType, Mention, Mode, Span, Stance

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "runs" / "default"


class ModelNotFound(FileNotFoundError):
    pass


class ClaimExtractor:
    def __init__(
        self,
        network: ClaimNetwork | ClaimEnsemble,
        tokenizer,
        max_length: int = 96,
        gazetteer=None,
        device: str = "cpu",
        precision: str = "auto",
    ):
        self.network = network.to(device).eval()
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.gazetteer = gazetteer
        self.device = torch.device(device)
        self.precision = resolve_precision(precision, self.device)
        """"fp32" or "bf16": the encoder's and heads' matrix products (`model.precision`)."""
        self.thresholds = {
            stance: network.config.thresholds.get(stance, 0.5) for stance in PAIR_STANCES[1:]
        }
        """A pair is a claim of its likeliest stance when that stance's probability reaches
        the stance's threshold (tuned on dev, stored in the checkpoint)."""
        self.pairs_scored = 0
        """Candidate pairs scored so far (for throughput measurements)."""

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        device: str = "auto",
        gazetteer=None,
        precision: str = "auto",
    ) -> ClaimExtractor:
        """A checkpoint folder; with no path, `$CLAIMSTANCE_MODEL` or `runs/default`.
        `precision` "auto" (the default) runs the network in bfloat16 where the hardware has
        it natively (`model.precision`: 1.5x the articles/s at the same claim F1), "fp32" never."""
        path = checkpoint_path(path)
        if not ((path / "model.safetensors").exists() or is_ensemble(path)):
            raise ModelNotFound(
                f"no checkpoint at {path}: train one with `make train` (runs/default) or "
                f"`python scripts/train.py --config configs/quick.yaml --output {path}`"
            )
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        network = load_network(path, device=device)
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        max_length = 96
        if (path / "config.yaml").exists():
            import yaml

            max_length = yaml.safe_load((path / "config.yaml").read_text())["data"]["max_length"]
        if gazetteer is None:
            from model.gazetteer import Gazetteer

            gazetteer = Gazetteer.load()
        return cls(network, tokenizer, max_length, gazetteer, device, precision)

    # -- public API -----------------------------------------------------------------------

    def predict(self, text_or_article: str | Article, date: str | None = None) -> list[Claim]:
        """Claims in one text or Article."""
        article = (
            text_or_article
            if isinstance(text_or_article, Article)
            else Article(id="text", text=text_or_article, meta={"date": date} if date else {})
        )
        return list(next(self.predict_many([article])).claims)

    def predict_many(
        self, articles: Iterable[str | Article], batch_size: int = 8
    ) -> Iterator[Article]:
        """Stream articles back with their predicted claims, `batch_size` articles at a time."""
        batch: list[Article] = []
        for index, item in enumerate(articles):
            batch.append(item if isinstance(item, Article) else Article(id=str(index), text=item))
            if len(batch) == batch_size:
                yield from self._predict_batch(batch)
                batch = []
        if batch:
            yield from self._predict_batch(batch)

    # -- pipeline -------------------------------------------------------------------------

    @torch.no_grad()
    def _predict_batch(self, articles: list[Article]) -> list[Article]:
        for article in articles:
            check_text(article)
        docs = list(load_nlp(lemmas=False).pipe([a.text for a in articles]))
        candidates = [doc_candidates(doc, gazetteer=self.gazetteer) for doc in docs]
        units = [
            (a, spans, sentence)
            for a, d, per_sentence in zip(articles, docs, candidates)
            for sentence, spans in zip(d.sents, per_sentence)
            if sentence.text.strip()
        ]
        encoded = encode_sentences(self.tokenizer, [s.text for _, _, s in units], self.max_length)
        results: dict[str, list[Claim]] = {a.id: [] for a in articles}
        # batches of similar length waste little on padding; claims are re-sorted per article
        order = sorted(range(len(units)), key=lambda i: len(encoded[i].input_ids))
        for offset in range(0, len(order), 64):
            chunk = order[offset : offset + 64]
            with autocast(self.precision, self.device):
                self._predict_sentences(
                    [units[i] for i in chunk], [encoded[i] for i in chunk], results
                )
        out = []
        for article, doc, per_sentence in zip(articles, docs, candidates):
            spans = [span for sentence_spans in per_sentence for span in sentence_spans]
            claims = self._resolve(article, doc, spans, results[article.id])
            sentences = tuple((s.start_char, s.end_char) for s in doc.sents)
            out.append(
                Article(
                    id=article.id,
                    text=article.text,
                    meta=article.meta,
                    claims=tuple(claims),
                    sentences=sentences,
                )
            )
        return out

    def _predict_sentences(self, units, encoded, results) -> None:
        batch = build_batch(
            encoded, [], self.network.config.pair_encoding, self.network.config.marker_ids
        )
        batch = {k: v.to(self.device) for k, v in batch.items()}
        states = self.network.encode(batch["input_ids"], batch["attention_mask"])
        tag_logits = self.network.sentence_outputs(states).tag_logits.cpu()
        pairs, context = [], []
        for i, ((article, spans, sentence), enc) in enumerate(zip(units, encoded)):
            base = sentence.start_char
            tags = decode_tags(enc, tag_logits[i], self.network.config.tag_roles)
            mentions = [(a - base, b - base) for a, b in spans]
            tagged = [  # tagger spans where no candidate is, if they hold a real word
                (a, b)
                for role in ("SOURCE", "TARGET")
                for a, b, _ in tags[role]
                if not any(a < end and start < b for start, end in mentions)
                and holds_a_word(enc.text[a:b])
            ]
            mentions = sorted(mentions + select(tagged, limit=10))[:12]
            author = [AUTHOR_SPAN] if self.network.config.author_source else []
            pieces = {span: pair_pieces(enc, span) for span in author + mentions}
            mentions = [span for span in mentions if pieces[span]]
            named = restated_mentions(sentence, mentions)
            types = self._mention_types(sentence, author + mentions)
            for source in author + mentions:
                for target in mentions:
                    sides = (named.get(source, source), named.get(target, target))
                    if source != target and sides[0] != sides[1]:
                        pairs.append(
                            PairInput(
                                i, pieces[source], pieces[target], (types[source], types[target])
                            )
                        )
                        context.append((article, sentence, source, target, sides, tags))
        self.pairs_scored += len(pairs)
        if not pairs:
            return
        config = self.network.config
        pair_batch = build_batch(
            encoded, pairs, config.pair_encoding, config.marker_ids, config.marker_type_ids
        )
        pair_batch = {k: v.to(self.device) for k, v in pair_batch.items()}
        stance, mode, event = (t.cpu() for t in self.network.pair_logits(pair_batch, states))
        stance_probs = stance.softmax(-1)
        mode_probs, event_probs = mode.softmax(-1).tolist(), event.softmax(-1).tolist()
        event_weight = self.network.config.event_mode_weight
        for row, (article, sentence, source, target, sides, tags) in enumerate(context):
            probs = stance_probs[row]
            best = 1 + int(probs[1:].argmax())
            if float(probs[best]) < self.thresholds[PAIR_STANCES[best]]:
                continue
            base = sentence.start_char
            text = article.text
            (source_start, source_end), (target_start, target_end) = sides
            if source == AUTHOR_SPAN:
                source_mention = author_mention(tags["CUE"], target, sentence, text)
            else:
                source_mention = Mention(
                    text[base + source_start : base + source_end],
                    base + source_start,
                    base + source_end,
                )
            results[article.id].append(
                Claim(
                    source=source_mention,
                    target=Mention(
                        text[base + target_start : base + target_end],
                        base + target_start,
                        base + target_end,
                    ),
                    stance=Stance(PAIR_STANCES[best]),
                    mode=Mode(pair_mode(mode_probs[row], event_probs[row], event_weight)),
                    event_type=EventType(EVENT_TYPES[int(event[row].argmax())])
                    if PAIR_STANCES[best] != "neutral"
                    else None,
                    cue=_nearest(tags["CUE"], sides[0], target, base, text),
                    claim=_nearest(tags["CLAIM"], sides[0], target, base, text),
                    score=float(probs[best]),
                )
            )

    def _mention_types(self, sentence, spans: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
        """`MENTION_TYPES` of sentence-relative spans, from the article's NER (all "other"
        for a network that reads no types)."""
        if not (self.network.config.mention_types or self.network.config.marker_type_ids):
            return dict.fromkeys(spans, 0)
        base = sentence.start_char
        entities = [(e.start_char - base, e.end_char - base, e.label_) for e in sentence.ents]
        return {span: mention_type(span, entities, sentence.text) for span in spans}

    def _resolve(
        self, article: Article, doc, candidates: list[tuple[int, int]], claims: list[Claim]
    ) -> list[Claim]:
        """Attach actors (gazetteer + coreference, in text order); number sentences; drop
        claims whose two sides resolve to the same actor, and keep one claim (the likeliest)
        per sentence and pair of resolved actors, as the annotation counts pairs by actor
        ("Iran's foreign minister" and "Javad Zarif" in one phrase are one source)."""
        persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
        resolver = ActorResolver(self.gazetteer, article.meta.get("date"), persons)
        labels = {(ent.start_char, ent.end_char): ent.label_ for ent in doc.ents}
        spans = sorted(
            {
                (m.start, m.end)
                for c in claims
                for m in (c.source, c.target)
                if m.actor is None  # the journalist's evaluative phrase is already AUTHOR
            }
            | set(candidates)
        )
        actors = {
            span: resolver.resolve(*span, article.text[span[0] : span[1]], labels.get(span))
            for span in spans
        }
        starts = [s.start_char for s in doc.sents]
        resolved = []
        for claim in sorted(claims, key=lambda c: (c.source.start, c.target.start)):
            source_actor = claim.source.actor or actors[(claim.source.start, claim.source.end)]
            target_actor = actors[(claim.target.start, claim.target.end)]
            if source_actor is not None and source_actor == target_actor:
                continue
            sentence = max(i for i, start in enumerate(starts) if start <= claim.target.start)
            resolved.append(
                Claim(
                    source=Mention(
                        claim.source.text, claim.source.start, claim.source.end, source_actor
                    ),
                    target=Mention(
                        claim.target.text, claim.target.start, claim.target.end, target_actor
                    ),
                    stance=claim.stance,
                    mode=claim.mode,
                    sentence=sentence,
                    event_type=claim.event_type,
                    cue=claim.cue,
                    claim=claim.claim,
                    score=claim.score,
                )
            )
        best: dict[tuple, Claim] = {}
        for claim in resolved:
            key = (claim.sentence, claim.source.actor, claim.target.actor)
            if claim.source.actor is None or claim.target.actor is None:
                key = (claim.sentence, claim.source.start, claim.target.start)
            if key not in best or claim.score > best[key].score:
                best[key] = claim
        return sorted(best.values(), key=lambda c: (c.source.start, c.target.start))


def checkpoint_path(path: str | Path | None = None) -> Path:
    """The checkpoint a run uses: `path`, else `$CLAIMSTANCE_MODEL`, else `runs/default`."""
    return Path(path or os.environ.get("CLAIMSTANCE_MODEL") or DEFAULT_MODEL)


def holds_a_word(text: str) -> bool:
    """A word of two letters or more that is not a determiner ("an" alone names nobody)."""
    return any(w.lower() not in DETERMINERS for w in re.findall(r"[^\W\d_]{2,}", text))


def author_mention(cues, target, sentence, text: str) -> Mention:
    """The journalist's side of an AUTHOR claim: the evaluative phrase, read as the tagged cue
    nearest the target outside it ("a master of stalling"), else the whole sentence."""
    base = sentence.start_char
    outside = [cue for cue in cues if cue[1] <= target[0] or target[1] <= cue[0]]
    nearest = _nearest(outside, target, target, base, text)
    if nearest is None:
        return Mention(sentence.text, base, sentence.end_char, Actor(AUTHOR))
    return Mention(nearest.text, nearest.start, nearest.end, Actor(AUTHOR))


def _nearest(spans, source, target, base, text) -> Span | None:
    """The tagged span closest to the pair (cue and claim spans); an AUTHOR source counts as
    its target."""
    if not spans:
        return None
    if source == AUTHOR_SPAN:
        source = target
    middle = (min(source[0], target[0]) + max(source[1], target[1])) / 2
    start, end, _ = min(spans, key=lambda s: abs((s[0] + s[1]) / 2 - middle))
    return Span(text[base + start : base + end], base + start, base + end)


def check_text(article: Article) -> None:
    """Refuse input that cannot be an article, with the reason (batch runs report it)."""
    problem = text_problem(article.text)
    if problem:
        raise ValueError(f"{article.id}: {problem}")
