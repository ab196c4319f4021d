"""Sentences and mention pairs -> tensors for the network, shared by training and inference.

Word pieces keep their character offsets, so mention spans (characters) map to word-piece
spans and tagged word pieces map back to characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from model.mentions import PRONOUNS


@dataclass(frozen=True, slots=True)
class EncodedSentence:
    text: str
    input_ids: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]
    """Character span of each word piece in `text`; (0, 0) for [CLS] and [SEP]."""
    word_ids: tuple[int | None, ...] = ()
    """The word (tokenizer pre-token: split at spaces and punctuation) of each piece; None
    for [CLS] and [SEP]. Tags are learnt and read on a word's first piece."""

    def word_starts(self) -> list[int]:
        """Indices of the first piece of every word."""
        starts, previous = [], None
        for index, word in enumerate(self.word_ids):
            if word is not None and word != previous:
                starts.append(index)
            previous = word
        return starts

    def word_end(self, piece: int) -> int:
        """Character end of the word that `piece` starts."""
        word, end = self.word_ids[piece], self.offsets[piece][1]
        for index in range(piece + 1, len(self.word_ids)):
            if self.word_ids[index] != word:
                break
            end = self.offsets[index][1]
        return end


@dataclass(frozen=True, slots=True)
class PairInput:
    sentence: int
    """Index of the sentence in the batch."""
    source: tuple[int, int]
    target: tuple[int, int]
    """Word-piece spans [start, end)."""
    types: tuple[int, int] = (0, 0)
    """`MENTION_TYPES` indices of source and target (read only by a `mention_types` network
    or typed markers)."""


def encode_sentences(tokenizer, texts: list[str], max_length: int) -> list[EncodedSentence]:
    encoded = tokenizer(
        texts,
        truncation=True,
        max_length=max_length,
        return_offsets_mapping=True,
        add_special_tokens=True,
    )
    return [
        EncodedSentence(text, tuple(ids), tuple(map(tuple, offsets)), tuple(encoded.word_ids(i)))
        for i, (text, ids, offsets) in enumerate(
            zip(texts, encoded["input_ids"], encoded["offset_mapping"])
        )
    ]


AUTHOR_SPAN = (-1, -1)
"""A pair side that stands for the journalist's own voice (the guidelines' AUTHOR source:
"Erdogan's gamble may yet backfire"). It has no words in the sentence; the pair pools the
[CLS] piece for it, so an AUTHOR claim is a pair like any other."""


MENTION_TYPES = ("other", "PERSON", "ORG", "GPE", "NORP", "pronoun", "author")
"""What a pair side is, for a network with `mention_types` (the pooled counterpart of typed
entity markers): the actor entity spaCy's cased NER finds on it, a personal pronoun, the
journalist (`AUTHOR_SPAN`), or another phrase ("the foreign minister", "rebel fighters").
The encoder is uncased, so the type is a signal its states may lack."""

MARKER_TYPE_WORDS = ("other", "person", "organization", "country", "group", "pronoun", "journalist")
"""Each `MENTION_TYPES` entry as the word a typed marker writes after its opener: words the
pretrained encoder already knows, as in Zhou & Chen's typed markers ("@ * person * Bill @")."""


def mention_type(span: tuple[int, int], entities: list[tuple[int, int, str]], text: str) -> int:
    """`MENTION_TYPES` index of a side (sentence-relative characters), from the sentence's
    entities (start, end, label): the actor label overlapping it most."""
    if span == AUTHOR_SPAN:
        return MENTION_TYPES.index("author")
    best, most = "other", 0
    for start, end, label in entities:
        shared = min(end, span[1]) - max(start, span[0])
        if label in MENTION_TYPES and shared > most:
            best, most = label, shared
    if best == "other" and text[span[0] : span[1]].strip().lower() in PRONOUNS:
        best = "pronoun"
    return MENTION_TYPES.index(best)


def pair_pieces(sentence: EncodedSentence, span: tuple[int, int]) -> tuple[int, int] | None:
    """Word pieces of a pair side: the [CLS] piece for `AUTHOR_SPAN`, else `token_span`."""
    return (0, 1) if span == AUTHOR_SPAN else token_span(sentence, *span)


def token_span(sentence: EncodedSentence, start: int, end: int) -> tuple[int, int] | None:
    """Word pieces overlapping characters [start, end); None if truncated away."""
    pieces = [
        index for index, (a, b) in enumerate(sentence.offsets) if b > a and a < end and start < b
    ]
    return (pieces[0], pieces[-1] + 1) if pieces else None


def marked_ids(
    sentence: EncodedSentence,
    pair: PairInput,
    marker_ids: tuple[int, int, int, int],
    type_ids: tuple[tuple[int, ...], ...] = (),
) -> tuple[list[int], tuple[int, int]]:
    """The sentence with markers around source and target; positions of the two openers.
    With `type_ids` (word pieces per `MENTION_TYPES` entry) each opener is followed by its
    side's type word."""
    source_type = type_ids[pair.types[0]] if type_ids else ()
    target_type = type_ids[pair.types[1]] if type_ids else ()
    inserts = sorted(
        [
            (pair.source[0], 0, (marker_ids[0], *source_type)),
            (pair.source[1], 1, (marker_ids[1],)),
            (pair.target[0], 0, (marker_ids[2], *target_type)),
            (pair.target[1], 1, (marker_ids[3],)),
        ],
        key=lambda item: (item[0], -item[1]),
    )
    ids, positions, cursor = [], {}, 0
    for position, _, marker in inserts:
        ids.extend(sentence.input_ids[cursor:position])
        cursor = position
        positions[marker[0]] = len(ids)
        ids.extend(marker)
    ids.extend(sentence.input_ids[cursor:])
    return ids, (positions[marker_ids[0]], positions[marker_ids[2]])


def pad(rows: list[list[int]], value: int = 0) -> torch.Tensor:
    width = max(len(row) for row in rows)
    return torch.tensor(
        [list(row) + [value] * (width - len(row)) for row in rows], dtype=torch.long
    )


def build_batch(
    sentences: list[EncodedSentence],
    pairs: list[PairInput],
    pair_encoding: str,
    marker_ids: tuple[int, int, int, int],
    marker_type_ids: tuple[tuple[int, ...], ...] = (),
) -> dict[str, torch.Tensor]:
    """Input tensors (no labels) for a list of sentences and the pairs to score in them."""
    ids = [list(sentence.input_ids) for sentence in sentences]
    batch = {"input_ids": pad(ids), "attention_mask": pad([[1] * len(row) for row in ids])}
    if not pairs:
        return batch
    batch["pair_index"] = torch.tensor([pair.sentence for pair in pairs], dtype=torch.long)
    batch["pair_types"] = torch.tensor([list(pair.types) for pair in pairs], dtype=torch.long)
    if pair_encoding == "markers":
        marked = [
            marked_ids(sentences[pair.sentence], pair, marker_ids, marker_type_ids)
            for pair in pairs
        ]
        batch["pair_input_ids"] = pad([row for row, _ in marked])
        batch["pair_attention_mask"] = pad([[1] * len(row) for row, _ in marked])
        batch["pair_markers"] = torch.tensor(
            [list(markers) for _, markers in marked], dtype=torch.long
        )
    else:
        batch["pair_source"] = torch.tensor([list(pair.source) for pair in pairs], dtype=torch.long)
        batch["pair_target"] = torch.tensor([list(pair.target) for pair in pairs], dtype=torch.long)
    return batch
