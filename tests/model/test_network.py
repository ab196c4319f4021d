"""The network on a tiny random-init BERT built from the packaged tokenizer (seconds)."""

import copy

import pytest
import torch
from transformers import AutoTokenizer

from model.features import (
    MARKER_TYPE_WORDS,
    MENTION_TYPES,
    PairInput,
    build_batch,
    encode_sentences,
    marked_ids,
)
from model.network import (
    GAP_BUCKETS,
    IGNORE,
    PAIR_STANCES,
    ClaimNetwork,
    NetworkConfig,
    allowed_set_loss,
    gap_between,
    span_mean,
)
from training.config import ModelConfig
from training.trainer import build_network, encoder_path


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(str(encoder_path(ModelConfig())))


def tiny(tokenizer, pair_encoding="pooled", pair_context=False) -> ClaimNetwork:
    torch.manual_seed(0)
    config = ModelConfig(
        random_init=True,
        tiny=True,
        head_hidden=16,
        pair_encoding=pair_encoding,
        pair_context=pair_context,
    )
    return build_network(config, tokenizer)


def toy_batch(tokenizer, pair_encoding="pooled", labels=True):
    sentences = encode_sentences(
        tokenizer, ["Kenya sent food aid to Somalia.", "Rebels shelled the base."], 32
    )
    pairs = [PairInput(0, (1, 2), (6, 7)), PairInput(1, (1, 2), (3, 5))]
    batch = build_batch(sentences, pairs, pair_encoding, (2, 3, 4, 5))
    if labels:
        batch["pair_stance"] = torch.tensor([[0, 1.0, 0, 0], [0, 0, 1.0, 0]])
        batch["pair_mode"] = torch.tensor([1, 1])
        batch["pair_event"] = torch.tensor([4, 14])
        batch["sentence_labels"] = torch.tensor([2, 4])
        tags = torch.full((2, batch["input_ids"].size(1), 4), IGNORE)
        tags[:, 1:6] = 0
        batch["tag_labels"] = tags
    return batch


@pytest.mark.parametrize(
    "encoding, context", [("pooled", False), ("pooled", True), ("markers", False)]
)
def test_shapes_and_loss_falls(tokenizer, encoding, context):
    network = tiny(tokenizer, encoding, context)
    batch = toy_batch(tokenizer, encoding)
    optimizer = torch.optim.AdamW(network.parameters(), lr=3e-3)
    first = None
    for _ in range(25):
        output = network(batch)
        first = first if first is not None else output.loss.item()
        output.loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    assert output.tag_logits.shape[:3] == (2, batch["input_ids"].size(1), 4)
    assert output.stance_logits.shape == (2, len(PAIR_STANCES))
    assert set(output.losses) == {"tags", "sentence", "stance", "mode", "event"}
    assert output.loss.item() < 0.5 * first


def test_unlabelled_heads_get_no_gradient(tokenizer):
    network = tiny(tokenizer)
    batch = toy_batch(tokenizer)
    batch["pair_stance"] = torch.zeros(2, 4)  # stance not annotated
    batch["pair_mode"] = torch.tensor([IGNORE, IGNORE])
    batch["pair_event"] = torch.tensor([IGNORE, IGNORE])
    output = network(batch)
    output.loss.backward()
    assert set(output.losses) == {"tags", "sentence"}
    for head in (network.stance_head, network.mode_head, network.event_head, network.pair_body):
        assert all(p.grad is None or not p.grad.any() for p in head.parameters())
    assert network.sentence_head[-1].weight.grad.abs().sum() > 0


def test_partial_label_is_cross_entropy_when_one_hot():
    logits = torch.tensor([[2.0, 0.5, -1.0, 0.0]])
    one_hot = torch.tensor([[0, 1.0, 0, 0]])
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([1]))
    assert torch.isclose(allowed_set_loss(logits, one_hot, torch.ones(4)), expected)
    wider = torch.tensor([[1.0, 1.0, 0, 1.0]])  # "not adversarial"
    probs = logits.softmax(-1)[0]
    assert torch.isclose(
        allowed_set_loss(logits, wider, torch.ones(4)), -torch.log(probs[0] + probs[1] + probs[3])
    )


def test_markers_surround_source_and_target(tokenizer):
    (sentence,) = encode_sentences(tokenizer, ["Kenya sent food aid to Somalia."], 32)
    ids, (source_at, target_at) = marked_ids(sentence, PairInput(0, (1, 2), (6, 7)), (2, 3, 4, 5))
    tokens = tokenizer.convert_ids_to_tokens(ids)
    assert tokens[source_at : source_at + 3] == ["[unused1]", "kenya", "[unused2]"]
    assert tokens[target_at : target_at + 3] == ["[unused3]", "somalia", "[unused4]"]


def test_typed_markers_write_each_sides_type_after_its_opener(tokenizer):
    (sentence,) = encode_sentences(tokenizer, ["Kenya sent food aid to Somalia."], 32)
    type_ids = tuple(
        tuple(tokenizer(word, add_special_tokens=False)["input_ids"]) for word in MARKER_TYPE_WORDS
    )
    gpe, pronoun = MENTION_TYPES.index("GPE"), MENTION_TYPES.index("pronoun")
    pair = PairInput(0, (6, 7), (1, 2), (gpe, pronoun))  # the target comes first
    ids, (source_at, target_at) = marked_ids(sentence, pair, (2, 3, 4, 5), type_ids)
    tokens = tokenizer.convert_ids_to_tokens(ids)
    typed_target = ["[unused3]", "pro", "##no", "##un", "kenya", "[unused4]"]
    assert tokens[target_at : target_at + 6] == typed_target
    assert tokens[source_at : source_at + 4] == ["[unused1]", "country", "somalia", "[unused2]"]
    plain, _ = marked_ids(sentence, pair, (2, 3, 4, 5))
    assert len(ids) == len(plain) + 4


def test_typed_markers_need_the_markers_encoding():
    with pytest.raises(ValueError, match="marker_type_ids need pair_encoding 'markers'"):
        NetworkConfig(encoder={}, marker_type_ids=((1,),))


@pytest.mark.parametrize("context", [False, True])
def test_save_load_round_trip(tokenizer, tmp_path, context):
    network = tiny(tokenizer, pair_context=context).eval()
    network.config.thresholds = {"claim": 0.4}
    batch = toy_batch(tokenizer, labels=False)
    network.save_pretrained(tmp_path)
    loaded = ClaimNetwork.from_pretrained(tmp_path)
    assert loaded.config == network.config
    with torch.no_grad():
        a, b = network(batch), loaded(copy.deepcopy(batch))
    for name in ("tag_logits", "sentence_logits", "stance_logits", "mode_logits", "event_logits"):
        assert torch.equal(getattr(a, name), getattr(b, name))


def test_pooled_span_mean_matches_explicit_mean():
    torch.manual_seed(0)
    states = torch.randn(2, 7, 5)
    index = torch.tensor([0, 1, 1])
    spans = torch.tensor([[1, 3], [2, 6], [4, 5]])
    prefix = torch.nn.functional.pad(states.cumsum(1), (0, 0, 1, 0))
    expected = torch.stack([states[i, a:b].mean(0) for i, (a, b) in zip(index, spans.tolist())])
    assert torch.allclose(span_mean(prefix, index, spans), expected, atol=1e-6)


def test_gap_between_spans_and_order_bucket():
    source = torch.tensor([[1, 3], [10, 12], [0, 2]])
    target = torch.tensor([[3, 5], [2, 4], [1, 4]])
    between, bucket = gap_between(source, target)
    # touching spans: nothing between; target first: the gap 4..10 (6 pieces: "5-8");
    # overlapping spans: nothing between
    assert between.tolist() == [[3, 3], [4, 10], [2, 2]]
    assert bucket.tolist() == [0, len(GAP_BUCKETS) + GAP_BUCKETS.index(5), 0]


def test_pair_context_separates_pairs_with_the_same_mentions_and_other_words(tokenizer):
    """With pair_context the words between the mentions reach the pair head."""
    network = tiny(tokenizer, pair_context=True).eval()
    sentences = encode_sentences(
        tokenizer, ["Kenya praised Somalia .", "Kenya attacked Somalia ."], 16
    )
    pairs = [PairInput(0, (1, 2), (3, 4)), PairInput(1, (1, 2), (3, 4))]
    batch = build_batch(sentences, pairs, "pooled", (2, 3, 4, 5))
    states = torch.zeros(2, batch["input_ids"].size(1), 32)
    states[:, 2] = torch.tensor([1.0, -1.0]).unsqueeze(-1)  # only the cue word differs
    features = network.pair_features(batch, states)
    assert not torch.equal(features[0], features[1])
    assert torch.equal(features[0, : 4 * 32], features[1, : 4 * 32])


def test_each_tag_scheme_learns_only_from_its_corpus(tokenizer):
    torch.manual_seed(0)
    network = build_network(
        ModelConfig(random_init=True, tiny=True, head_hidden=16), tokenizer, ("claims", "cameo")
    )
    batch = toy_batch(tokenizer)
    batch["tag_scheme"] = torch.tensor([1, 1])  # both sentences tagged by CAMEO's convention
    network(batch).loss.backward()
    grad = network.tagger.weight.grad.view(2, 4, 3, -1)  # [schemes, roles, BIO, width]
    assert not grad[0].any() and grad[1].abs().sum() > 0
    output = network(toy_batch(tokenizer, labels=False))  # no scheme given: scheme 0
    assert output.tag_logits.shape[2:] == (4, 3)


def test_loss_weights_scale_their_terms(tokenizer):
    network = tiny(tokenizer).eval()
    batch = toy_batch(tokenizer)
    plain = network(batch)
    network.loss_weights = {"tags": 3.0, "event": 0.0}
    weighted = network(batch)
    terms = plain.losses
    expected = sum(terms.values()) + 2.0 * terms["tags"] - terms["event"]
    assert set(terms) == {"tags", "sentence", "stance", "mode", "event"}
    assert weighted.loss.item() == pytest.approx(expected, rel=1e-5)
