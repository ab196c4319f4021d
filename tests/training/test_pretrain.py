"""Continued MLM pretraining on a tiny random BERT: runs, saves an encoder training can use."""

import math

import torch
from transformers import AutoTokenizer, BertConfig, BertModel

from model.schema import read_jsonl
from tests.conftest import tiny_config
from training.config import ModelConfig
from training.pretrain import pretrain_mlm, unlabeled_texts, windows
from training.trainer import build_network, encoder_path


def tiny_encoder(folder):
    packaged = encoder_path(ModelConfig())
    config = BertConfig.from_pretrained(str(packaged))
    config.update(
        {
            "hidden_size": 32,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "intermediate_size": 64,
        }
    )
    BertModel(config, add_pooling_layer=False).save_pretrained(str(folder))
    AutoTokenizer.from_pretrained(str(packaged)).save_pretrained(str(folder))
    return folder


def test_unlabeled_text_is_train_side_only(own_corpus):
    texts = unlabeled_texts(tiny_config(own_corpus))
    train = [a.text.strip() for a in read_jsonl(own_corpus / "claims" / "train.jsonl")]
    assert texts == list(dict.fromkeys(train))


def test_windows_cover_long_texts_in_pieces():
    tokenizer = AutoTokenizer.from_pretrained(str(encoder_path(ModelConfig())))
    long_text = " ".join(["Ministers met in Doha to discuss a ceasefire."] * 40)
    rows = windows(tokenizer, [long_text, "Too short."], 64)
    assert len(rows) > 1 and all(len(row) <= 64 for row in rows)
    assert all(
        row[0] == tokenizer.cls_token_id and row[-1] == tokenizer.sep_token_id for row in rows
    )


def test_pretrained_encoder_loads_into_a_claim_network(own_corpus, tmp_path):
    source = tiny_encoder(tmp_path / "tiny")
    texts = unlabeled_texts(tiny_config(own_corpus))
    summary = pretrain_mlm(texts, source, tmp_path / "mlm", minutes=1, max_length=32, batch_size=8)
    assert summary["steps"] >= 1 and summary["loss"] > 0
    tokenizer = AutoTokenizer.from_pretrained(str(tmp_path / "mlm"))
    network = build_network(ModelConfig(encoder=str(tmp_path / "mlm"), head_hidden=16), tokenizer)
    assert network.encoder.config.hidden_size == 32


def test_masked_only_loss_equals_the_full_mlm_loss(tmp_path):
    from transformers import BertForMaskedLM, DataCollatorForLanguageModeling

    from training.pretrain import masked_loss

    folder = tiny_encoder(tmp_path / "tiny")
    torch.manual_seed(0)
    model = BertForMaskedLM.from_pretrained(str(folder)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    rows = windows(
        tokenizer, ["Rebels shelled the base and the army answered with strikes."] * 4, 32
    )
    batch = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.3)(
        [{"input_ids": row} for row in rows]
    )
    assert torch.allclose(masked_loss(model, batch), model(**batch).loss, atol=1e-5)


def test_bf16_pretraining_keeps_float32_weights_and_says_so(own_corpus, tmp_path):
    """bf16 autocasts the forward pass only: the saved encoder is float32, the loss finite."""
    source = tiny_encoder(tmp_path / "tiny")
    texts = unlabeled_texts(tiny_config(own_corpus))
    summary = pretrain_mlm(
        texts, source, tmp_path / "mlm", minutes=1, max_length=32, batch_size=8, precision="bf16"
    )
    assert summary["precision"] == "bf16" and math.isfinite(summary["loss"])
    encoder = BertModel.from_pretrained(str(tmp_path / "mlm"))
    assert all(p.dtype == torch.float32 for p in encoder.parameters())
