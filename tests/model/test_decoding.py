"""Tag decoding: whole words, valid BIO, on the packaged tokenizer."""

import pytest
import torch
from transformers import AutoTokenizer

from model.decoding import decode_tags, pair_mode, viterbi, whole_abbreviations
from model.features import encode_sentences
from model.network import BIO, EVENT_TYPES
from training.config import ModelConfig
from training.dataset import word_tags
from training.trainer import encoder_path

OUT, BEGIN, INSIDE = (BIO.index(tag) for tag in "OBI")


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(str(encoder_path(ModelConfig())))


@pytest.fixture(scope="module")
def sentence(tokenizer):
    (encoded,) = encode_sentences(tokenizer, ["Ayatollah Khamenei rebuked Washington."], 32)
    return encoded


def logits_for(sentence, tags_by_piece):
    """One-hot-ish logits [pieces, 1 role, 3] from a tag per piece."""
    logits = torch.zeros(len(sentence.input_ids), 1, 3)
    for piece, tag in enumerate(tags_by_piece):
        logits[piece, 0, tag] = 5.0
    return logits


def test_words_group_word_pieces(sentence):
    words = [
        sentence.text[sentence.offsets[p][0] : sentence.word_end(p)] for p in sentence.word_starts()
    ]
    assert words == ["Ayatollah", "Khamenei", "rebuked", "Washington", "."]
    assert len(sentence.input_ids) > len(words) + 2  # some words are several pieces


def test_span_covers_whole_words_read_on_first_pieces(sentence):
    # B on "Khamenei"'s first piece, O on its continuation pieces: still the whole word
    tags = [OUT] * len(sentence.input_ids)
    second_word = sentence.word_starts()[1]
    tags[second_word] = BEGIN
    found = decode_tags(sentence, logits_for(sentence, tags), ("SOURCE",))["SOURCE"]
    assert [sentence.text[a:b] for a, b, _ in found] == ["Khamenei"]


def test_decoding_never_starts_with_inside():
    # O I I: the best valid path starts the span at the first I (O B I), not at O
    log_probs = torch.tensor([[0.9, 0.05, 0.05], [0.2, 0.3, 0.5], [0.2, 0.1, 0.7]]).log()
    assert viterbi(log_probs) == [OUT, BEGIN, INSIDE]
    assert viterbi(torch.tensor([[0.1, 0.2, 0.7]]).log()) == [BEGIN]


def test_word_tags_label_first_pieces_only(sentence):
    start = sentence.text.index("Ayatollah")
    labels = word_tags(sentence, {"SOURCE": [(start, start + len("Ayatollah Khamenei"))]}, 16)
    starts = sentence.word_starts()
    source = labels[:, 0].tolist()
    assert [source[p] for p in starts] == [BEGIN, INSIDE, OUT, OUT, OUT]
    others = [p for p in range(len(sentence.input_ids)) if p not in starts]
    assert all(source[p] == -100 for p in others)  # continuation pieces and [CLS]/[SEP]
    assert (labels[:, 1:] == -100).all()  # roles the corpus does not mark


def test_actor_spans_do_not_abut(sentence):
    # B on "Ayatollah" and B again on "Khamenei": one SOURCE span, but two CUE spans
    tags = [OUT] * len(sentence.input_ids)
    first, second = sentence.word_starts()[:2]
    tags[first] = tags[second] = BEGIN
    logits = logits_for(sentence, tags)
    logits[second, 0, INSIDE] = 3.0  # I is the runner-up on the second word
    for role, expected in (
        ("SOURCE", ["Ayatollah Khamenei"]),
        ("CUE", ["Ayatollah", "Khamenei"]),
    ):
        found = decode_tags(sentence, logits, (role,))[role]
        assert [sentence.text[a:b] for a, b, _ in found] == expected


def test_spans_do_not_stop_inside_a_dotted_abbreviation(tokenizer):
    (sentence,) = encode_sentences(tokenizer, ["Aid went to the U.N. agency."], 32)
    words = [
        sentence.text[sentence.offsets[p][0] : sentence.word_end(p)] for p in sentence.word_starts()
    ]
    assert words[3:8] == ["the", "U", ".", "N", "."]  # the abbreviation is four words
    tags = [OUT] * len(sentence.input_ids)
    the, u, dot = sentence.word_starts()[3:6]
    tags[the], tags[u], tags[dot] = BEGIN, INSIDE, INSIDE  # "the U." and no further
    found = decode_tags(sentence, logits_for(sentence, tags), ("TARGET",))["TARGET"]
    assert [sentence.text[a:b] for a, b, _ in found] == ["the U.N."]


def test_whole_abbreviations_widens_both_ends_and_leaves_other_spans():
    text = "The U.S. and Iran met; Mr. Li spoke."
    n = text.index("S.")
    assert whole_abbreviations(text, n, n + 2) == (text.index("U.S."), n + 2)  # "S." -> "U.S."
    assert whole_abbreviations(text, 0, n) == (0, n + 2)  # "The U." -> "The U.S."
    assert whole_abbreviations(text, 0, n + 2) == (0, n + 2)
    mr = text.index("Mr.")
    assert whole_abbreviations(text, mr, mr + 2) == (mr, mr + 2)  # not a dotted run


def test_mode_follows_the_type_head_only_as_far_as_weighted():
    assault = [float(name == "ASSAULT") for name in EVENT_TYPES]  # a material type
    leaning_verbal = [0.7, 0.3]
    assert pair_mode(leaning_verbal, assault, 0.0) == "verbal"
    assert pair_mode(leaning_verbal, assault, 0.5) == "material"  # 0.5 * 0.3 + 0.5 * 1.0
    assert pair_mode(leaning_verbal, assault, 0.25) == "verbal"  # 0.75 * 0.3 + 0.25 * 1.0
    accuse = [float(name == "ACCUSE") for name in EVENT_TYPES]
    assert pair_mode([0.2, 0.8], accuse, 1.0) == "verbal"


def test_no_span_ends_on_a_word_that_cannot_end_one():
    # B, O, O would end a span on word 0; with word 0 barred from ending one the best
    # valid path either extends the span (B, I) or drops it, whichever scores higher.
    log_probs = torch.tensor([[0.2, 0.8, 0.0], [0.7, 0.0, 0.3], [0.9, 0.1, 0.0]]).log()
    assert viterbi(log_probs) == [BEGIN, OUT, OUT]
    assert viterbi(log_probs, may_end=[False, True, True]) == [BEGIN, INSIDE, OUT]
    log_probs[1] = torch.tensor([0.9, 0.0, 0.1]).log()  # the extension is unlikely
    assert viterbi(log_probs, may_end=[False, True, True]) == [OUT, OUT, OUT]
    last_word_barred = torch.tensor([[0.9, 0.1, 0.0], [0.2, 0.8, 0.0]]).log()
    assert viterbi(last_word_barred, may_end=[True, False]) == [OUT, OUT]


def test_actor_span_is_not_a_lone_article(tokenizer):
    (sentence,) = encode_sentences(tokenizer, ["Mogadishu declared the deal void."], 32)
    tags = [OUT] * len(sentence.input_ids)
    the, deal = sentence.word_starts()[2:4]
    tags[the] = BEGIN
    logits = logits_for(sentence, tags)
    for role, expected in (("TARGET", []), ("CLAIM", []), ("CUE", ["the"])):
        found = decode_tags(sentence, logits, (role,))[role]
        assert [sentence.text[a:b] for a, b, _ in found] == expected
    logits[deal, 0, INSIDE] = 4.0  # I a close runner-up on "deal": the span reaches it
    found = decode_tags(sentence, logits, ("TARGET",))["TARGET"]
    assert [sentence.text[a:b] for a, b, _ in found] == ["the deal"]
