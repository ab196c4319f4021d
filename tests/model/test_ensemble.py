"""Seed ensembles on tiny random checkpoints: the averaging, the folder, the refusals."""

import json

import pytest
import torch
import yaml

from model.ensemble import ClaimEnsemble, assemble, load_network
from model.extractor import ClaimExtractor
from model.network import ClaimNetwork, NetworkConfig
from tests.conftest import tiny_config
from training.benchmarks import LeakageError, run_benchmark
from training.evaluation import predict_examples
from training.trainer import train

TEXT = (
    "Iran's foreign minister Javad Zarif praised Russia and China on Thursday. "
    "He said the United States had no leverage. Washington rejected the remarks."
)


@pytest.fixture(scope="module")
def second_checkpoint(own_corpus, tmp_path_factory):
    """The tiny config at another seed, on the first checkpoint's dev split."""
    config = tiny_config(own_corpus)
    config.seed, config.data.split_seed = 5, 3
    out = tmp_path_factory.mktemp("ckpt") / "tiny-seed5"
    train(config, out, report=lambda message: None)
    return out


@pytest.fixture(scope="module")
def ensemble_dir(tiny_checkpoint, second_checkpoint, tmp_path_factory):
    out = tmp_path_factory.mktemp("ens") / "pair"
    assemble([tiny_checkpoint, second_checkpoint], out)
    return out


def test_an_ensemble_of_one_network_twice_predicts_what_it_predicts(tiny_checkpoint, tmp_path):
    assemble([tiny_checkpoint, tiny_checkpoint], tmp_path / "twice")
    single = ClaimExtractor.load(tiny_checkpoint, device="cpu", precision="fp32")
    double = ClaimExtractor.load(tmp_path / "twice", device="cpu", precision="fp32")
    assert isinstance(double.network, ClaimEnsemble)
    for extractor in (single, double):
        extractor.thresholds = dict.fromkeys(extractor.thresholds, 0.0)
    a, b = single.predict(TEXT), double.predict(TEXT)
    assert a and [(c.source, c.target, c.stance, c.mode) for c in a] == [
        (c.source, c.target, c.stance, c.mode) for c in b
    ]
    assert max(abs(x.score - y.score) for x, y in zip(a, b)) < 1e-5


def test_heads_average_the_members_log_probabilities(ensemble_dir, own_corpus):
    from transformers import AutoTokenizer

    from model.schema import read_jsonl
    from training.dataset import examples_from_article

    ensemble = load_network(ensemble_dir)
    tokenizer = AutoTokenizer.from_pretrained(str(ensemble_dir))
    examples = [
        e
        for a in read_jsonl(own_corpus / "claims" / "dev.jsonl")
        for e in examples_from_article(a, "claims", 2)
    ][:6]
    assert any(e.pairs for e in examples)
    combined = predict_examples(ensemble, tokenizer, examples, 48, precision="fp32")
    members = [
        predict_examples(m, tokenizer, examples, 48, precision="fp32") for m in ensemble.members
    ]
    for i, prediction in enumerate(combined):
        probs = [torch.tensor(m[i].sentence_probs) for m in members]
        expected = torch.stack([p.log() for p in probs]).mean(0).softmax(-1)
        assert torch.allclose(torch.tensor(prediction.sentence_probs), expected, atol=1e-5)
        for row, (_, stance, _, _) in enumerate(prediction.pairs):
            probs = [torch.tensor(m[i].pairs[row][1]) for m in members]
            expected = torch.stack([p.log() for p in probs]).mean(0).softmax(-1)
            assert torch.allclose(torch.tensor(stance), expected, atol=1e-5)
            assert not torch.allclose(probs[0], probs[1])  # two seeds really differ


def test_the_folder_loads_as_a_checkpoint_and_keeps_every_members_training_texts(
    ensemble_dir, tiny_checkpoint, second_checkpoint
):
    meta = json.loads((ensemble_dir / "meta.json").read_text())
    members = [
        json.loads((c / "meta.json").read_text()) for c in (tiny_checkpoint, second_checkpoint)
    ]
    assert set(meta["training_text_hashes"]) == {
        h for m in members for h in m["training_text_hashes"]
    }
    assert [m["seed"] for m in meta["members"]] == [3, 5]
    config = yaml.safe_load((ensemble_dir / "config.yaml").read_text())
    assert config["data"]["split_seed"] == 3 and config["data"]["max_length"] == 48
    extractor = ClaimExtractor.load(ensemble_dir, device="cpu")
    extractor.thresholds = dict.fromkeys(extractor.thresholds, 0.0)
    assert extractor.predict(TEXT)
    with pytest.raises(ValueError, match="is an ensemble itself"):
        assemble([ensemble_dir, tiny_checkpoint], ensemble_dir.parent / "nested")


def test_benchmarks_score_an_ensemble_and_its_leakage_guard_holds(
    ensemble_dir, own_corpus, monkeypatch
):
    from training import corpora

    monkeypatch.setattr(corpora, "PROJECT_DATA", own_corpus)
    with pytest.raises(LeakageError, match="seen in training"):
        run_benchmark(str(ensemble_dir), "claims", "dev", resamples=10)
    result = run_benchmark(str(ensemble_dir), "claims", "dev", allow_overlap=True, resamples=10)
    assert result["seen_in_training"] > 0
    assert {"claim/f1", "pair_label/macro_f1"} <= set(result["scores"])


def test_members_of_another_architecture_are_refused(tiny_checkpoint):
    network = ClaimNetwork.from_pretrained(tiny_checkpoint)
    fields = json.loads((tiny_checkpoint / "model_config.json").read_text())
    other = ClaimNetwork(NetworkConfig(**{**fields, "head_hidden": 16}))
    with pytest.raises(ValueError, match="member 1 differs from member 0 in head_hidden"):
        ClaimEnsemble([network, other])
    with pytest.raises(ValueError, match="two members or more"):
        ClaimEnsemble([network])


def test_members_on_different_dev_splits_are_refused(tiny_checkpoint, own_corpus, tmp_path):
    config = tiny_config(own_corpus)
    config.seed = 5  # split seed follows the seed: another dev split
    train(config, tmp_path / "other-split", report=lambda message: None)
    with pytest.raises(ValueError, match="different data settings or dev splits"):
        assemble([tiny_checkpoint, tmp_path / "other-split"], tmp_path / "ens")
    assert not (tmp_path / "ens").exists()
