"""Distillation: the teacher's soft labels line up with the student's logits, a student
learns to match its teacher, and a teacher that could leak dev texts is refused."""

import json

import pytest
import torch
from transformers import AutoTokenizer

from model.network import ClaimNetwork
from tests.conftest import tiny_config
from training.config import ConfigError
from training.dataset import collate, load_splits
from training.distill import (
    distillation_terms,
    gold_agreement,
    load_teacher,
    soft_batch,
    teacher_labels,
)
from training.trainer import train


def fixture_examples(own_corpus):
    return load_splits(tiny_config(own_corpus)).train["claims"]


def batch_of(network, tokenizer, examples):
    batch, _ = collate(
        examples,
        tokenizer,
        48,
        network.config.pair_encoding,
        network.config.marker_ids,
        tag_schemes=network.config.tag_schemes,
    )
    return batch


def test_soft_labels_line_up_with_a_batch_in_any_order(tiny_checkpoint, own_corpus):
    teacher = ClaimNetwork.from_pretrained(tiny_checkpoint)
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_checkpoint))
    examples = fixture_examples(own_corpus)
    labels = teacher_labels(teacher, tokenizer, examples, 48, "fp32", batch_size=3)
    chosen = [examples[i] for i in (4, 0, 2, 1)]  # another order and batch than the teacher's
    batch = batch_of(teacher, tokenizer, chosen)
    assert batch["pair_index"].numel()
    with torch.no_grad():
        output = teacher(batch)
    soft = soft_batch([labels[i] for i in (4, 0, 2, 1)], batch["input_ids"].size(1))
    real = batch["attention_mask"].bool()
    assert torch.allclose(
        soft["tags"][real], output.tag_logits.log_softmax(-1)[real], atol=5e-3
    )  # tags are stored in half precision
    for name, logits in (
        ("sentence", output.sentence_logits),
        ("stance", output.stance_logits),
        ("mode", output.mode_logits),
        ("event", output.event_logits),
    ):
        assert torch.allclose(soft[name], logits.log_softmax(-1), atol=1e-5), name
    # the network's own distributions as teacher: nothing to learn
    terms = distillation_terms(output, batch, soft, temperature=2.0)
    assert {"tags", "stance"} <= set(terms)
    assert all(float(term) < 1e-4 for term in terms.values())


def test_a_distilled_student_ends_closer_to_its_teacher(tiny_checkpoint, own_corpus, tmp_path):
    teacher = ClaimNetwork.from_pretrained(tiny_checkpoint)
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_checkpoint))
    examples = fixture_examples(own_corpus)
    batch = batch_of(teacher, tokenizer, examples)
    with torch.no_grad():
        soft = soft_batch(teacher_labels(teacher, tokenizer, examples, 48, "fp32"), 48)
        soft["tags"] = soft["tags"][:, : batch["input_ids"].size(1)]

    def distance(run):
        student = ClaimNetwork.from_pretrained(run)
        with torch.no_grad():
            terms = distillation_terms(student(batch), batch, soft, temperature=1.0)
        return sum(float(term) for term in terms.values())

    plain, distilled = tmp_path / "plain", tmp_path / "distilled"
    for out, extra in ((plain, {}), (distilled, {"distill_from": str(tiny_checkpoint)})):
        config = tiny_config(own_corpus, steps=12, tune_thresholds=False, **extra)
        config.seed, config.data.split_seed = 5, 3  # another seed, the teacher's dev split
        config.train.distill_weight = 1.0
        messages = []
        train(config, out, report=messages.append)
    assert any(m.startswith("teacher ") for m in messages)
    assert json.loads((distilled / "meta.json").read_text())["teacher"]["path"] == str(
        tiny_checkpoint
    )
    assert distance(distilled) < distance(plain)


def test_a_teacher_with_another_dev_split_is_refused(tiny_checkpoint, own_corpus, tmp_path):
    config = tiny_config(own_corpus, distill_from=str(tiny_checkpoint))
    config.seed = 5  # dev split carved by seed 5, the teacher's by seed 3
    with pytest.raises(ConfigError, match="train.distill_from: .*dev split"):
        train(config, tmp_path / "run", report=lambda m: None)


def test_a_folder_that_is_no_checkpoint_is_refused(own_corpus, tmp_path):
    config = tiny_config(own_corpus, distill_from=str(tmp_path))
    student = ClaimNetwork.__new__(ClaimNetwork)
    with pytest.raises(ConfigError, match="not a checkpoint folder"):
        load_teacher(tmp_path, config, student, "cpu")


def test_distill_weight_outside_zero_to_one_names_the_key(own_corpus):
    with pytest.raises(ConfigError, match="train.distill_weight"):
        tiny_config(own_corpus, distill_weight=1.5)


def test_gold_agreement_reads_the_teachers_stance_on_gold_pairs(tiny_checkpoint, own_corpus):
    teacher = ClaimNetwork.from_pretrained(tiny_checkpoint)
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_checkpoint))
    examples = fixture_examples(own_corpus)
    batch = batch_of(teacher, tokenizer, examples)
    with torch.no_grad():
        stance = teacher(batch).stance_logits.softmax(-1)
    gold = batch["pair_stance"] > 0
    claims = gold.any(-1) & ~gold[:, 0]  # gold excludes "none"
    scores = gold_agreement(teacher, tokenizer, examples, 48, "fp32", claims_only=True)
    assert scores["pairs"] == int(claims.sum()) > 0
    expected = (stance * gold)[claims].sum(-1).mean()
    assert scores["gold_probability"] == pytest.approx(float(expected), abs=1e-5)
    top = gold[claims].gather(1, stance[claims].argmax(-1, keepdim=True)).float().mean()
    assert scores["top_in_gold"] == pytest.approx(float(top))
    everything = gold_agreement(teacher, tokenizer, examples, 48, "fp32")
    assert everything["pairs"] == int(gold.any(-1).sum()) > scores["pairs"]
