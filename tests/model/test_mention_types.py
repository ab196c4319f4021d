"""Typed pair sides (`mention_types`): the type rules, the network reading them, training
batches typed from spaCy's NER, and inference passing the same types."""

import pytest
import torch
from transformers import AutoTokenizer

from model.extractor import ClaimExtractor
from model.features import (
    AUTHOR_SPAN,
    MENTION_TYPES,
    PairInput,
    build_batch,
    encode_sentences,
    mention_type,
)
from model.network import ClaimNetwork
from tests.conftest import tiny_config
from training.config import ModelConfig
from training.dataset import PairExample, SentenceExample, collate
from training.trainer import build_network, encoder_path, train

TYPE = {name: index for index, name in enumerate(MENTION_TYPES)}


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(str(encoder_path(ModelConfig())))


def test_a_side_takes_the_entity_it_overlaps_most():
    text = "He said Prime Minister Imran Khan met Chinese officials."
    entities = [(23, 33, "PERSON"), (38, 45, "NORP")]
    assert mention_type((8, 33), entities, text) == TYPE["PERSON"]
    assert mention_type((38, 55), entities, text) == TYPE["NORP"]
    assert mention_type((0, 2), entities, text) == TYPE["pronoun"]
    assert mention_type(AUTHOR_SPAN, entities, text) == TYPE["author"]
    assert mention_type((8, 22), [(8, 22, "DATE")], text) == TYPE["other"]  # not an actor label


@pytest.mark.parametrize("encoding", ["pooled", "markers"])
def test_the_network_reads_types_only_when_configured(tokenizer, encoding):
    sentences = encode_sentences(tokenizer, ["Kenya sent food aid to Somalia."], 32)

    def logits(network, types):
        batch = build_batch(
            sentences, [PairInput(0, (1, 2), (6, 7), types)], encoding, (2, 3, 4, 5)
        )
        with torch.no_grad():
            return network.eval()(batch).stance_logits

    for typed in (True, False):
        torch.manual_seed(0)
        config = ModelConfig(random_init=True, tiny=True, head_hidden=16, pair_encoding=encoding)
        config.mention_types = typed
        network = build_network(config, tokenizer)
        gpe, other = logits(network, (TYPE["GPE"], TYPE["GPE"])), logits(network, (0, 0))
        assert torch.equal(gpe, other) is not typed


def test_training_batches_are_typed_from_ner_once(tokenizer, monkeypatch):
    text = "Iran accused the United States of lawlessness, and he agreed."
    example = SentenceExample(
        "claims",
        "a",
        text,
        pairs=[
            PairExample((0, 4), (13, 30), ("adversarial",)),
            PairExample((51, 53), (0, 4), ("none",)),
            PairExample(AUTHOR_SPAN, (0, 4), ("none",)),
        ],
    )
    batch, kept = collate([example], tokenizer, 48, "pooled", (2, 3, 4, 5), mention_types=True)
    assert [pair.types for _, pair in kept] == [
        (TYPE["GPE"], TYPE["GPE"]),
        (TYPE["pronoun"], TYPE["GPE"]),
        (TYPE["author"], TYPE["GPE"]),
    ]
    assert batch["pair_types"].tolist() == [list(pair.types) for _, pair in kept]

    def no_second_pass():
        raise AssertionError("types are computed once per example")

    monkeypatch.setattr("training.dataset.load_ner", no_second_pass)
    collate([example], tokenizer, 48, "pooled", (2, 3, 4, 5), mention_types=True)


def test_a_typed_checkpoint_trains_saves_and_types_its_pairs_at_inference(
    own_corpus, tmp_path, monkeypatch
):
    config = tiny_config(own_corpus)
    config.model.mention_types = True
    train(config, tmp_path / "typed", report=lambda message: None)
    assert ClaimNetwork.from_pretrained(tmp_path / "typed").config.mention_types

    extractor = ClaimExtractor.load(tmp_path / "typed", device="cpu")
    seen = []
    original = extractor.network.pair_logits

    def spy(batch, states):
        seen.extend(map(tuple, batch["pair_types"].tolist()))
        return original(batch, states)

    monkeypatch.setattr(extractor.network, "pair_logits", spy)
    extractor.predict("Iran's foreign minister Javad Zarif praised Russia. He thanked China.")
    sides = {side for pair in seen for side in pair}
    assert {TYPE["GPE"], TYPE["pronoun"], TYPE["author"]} <= sides


def test_a_typed_marker_checkpoint_writes_types_into_its_pair_inputs(own_corpus, tmp_path):
    config = tiny_config(own_corpus)
    config.model.pair_encoding, config.model.typed_markers = "markers", True
    train(config, tmp_path / "typed", report=lambda message: None)
    loaded = ClaimNetwork.from_pretrained(tmp_path / "typed").config
    assert len(loaded.marker_type_ids) == len(MENTION_TYPES) and not loaded.mention_types

    extractor = ClaimExtractor.load(tmp_path / "typed", device="cpu")
    tokenizer = extractor.tokenizer
    country, journalist = (tokenizer.convert_tokens_to_ids(w) for w in ("country", "journalist"))
    seen = []
    original = extractor.network.pair_logits

    def spy(batch, states):
        seen.extend(batch["pair_input_ids"].tolist())
        return original(batch, states)

    extractor.network.pair_logits = spy
    extractor.predict("Iran's foreign minister Javad Zarif praised Russia.")
    after_openers = {row[row.index(2) + 1] for row in seen} | {
        row[row.index(4) + 1] for row in seen
    }
    assert {country, journalist} <= after_openers
