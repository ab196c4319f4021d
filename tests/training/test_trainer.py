"""Training end to end on the fixture corpus with a tiny random network."""

import json

import pytest
import torch
import yaml
from transformers import AutoTokenizer

from model.network import ClaimNetwork
from tests.conftest import tiny_config
from training import trainer
from training.config import ConfigError
from training.corpora.authoring import read_authoring
from training.corpora.cameo import read_cameo
from training.dataset import SentenceExample, examples_from_article, in_dev
from training.thresholds import MODE_WEIGHTS
from training.trainer import (
    CorpusSampler,
    WeightAverage,
    build_network,
    encoder_groups,
    freeze_lower_encoder,
    learning_rate_factor,
    seed_everything,
    train,
)


def test_checkpoint_folder_is_complete(tiny_checkpoint):
    names = {p.name for p in tiny_checkpoint.iterdir()}
    assert {
        "model.safetensors",
        "model_config.json",
        "config.yaml",
        "meta.json",
        "metrics.json",
        "tokenizer.json",
        "checkpoint-last",
        "dataset",
    } <= names
    meta = json.loads((tiny_checkpoint / "meta.json").read_text())
    assert meta["training_text_hashes"] and meta["dev"]["claims"]
    assert yaml.safe_load((tiny_checkpoint / "config.yaml").read_text())["name"] == "tiny"
    network = ClaimNetwork.from_pretrained(tiny_checkpoint)
    assert network.config.pair_encoding == "pooled"


def test_resume_continues_where_it_stopped(own_corpus, tmp_path):
    out = tmp_path / "run"
    train(tiny_config(own_corpus, steps=3), out, report=lambda m: None)
    messages = []
    metrics = train(tiny_config(own_corpus, steps=6), out, resume=True, report=messages.append)
    assert any(m.startswith("resumed at step 3") for m in messages)
    assert any(m.startswith("read the mixed dataset") for m in messages)  # not re-parsed
    assert metrics["steps_run"] == 6


def test_mixed_dataset_round_trips_every_example(tiny_checkpoint, own_corpus):
    from datasets import load_from_disk

    from training.dataset import load_splits
    from training.mixture import built_from, to_splits

    config = tiny_config(own_corpus)
    mixture = load_from_disk(str(tiny_checkpoint / "dataset"))
    assert set(mixture) == {"train", "dev"} and set(mixture["train"]["corpus"]) == {"claims"}
    assert built_from(mixture) == config.to_dict()["data"]
    rebuilt = load_splits(config)
    read_back = to_splits(mixture, ["claims"])
    assert read_back.train == rebuilt.train and read_back.dev == rebuilt.dev
    assert any(e.roles for e in read_back.train["claims"])
    assert any(p.event_type for e in read_back.train["claims"] for p in e.pairs)


def test_examples_mask_what_a_corpus_does_not_label(fixtures):
    article = next(read_authoring(fixtures / "claims" / "articles.authoring.jsonl"))
    examples = list(examples_from_article(article, "claims", negatives_per_sentence=0))
    assert [len(e.pairs) for e in examples][0] >= 2
    praise = examples[0]
    assert set(praise.roles) == {"SOURCE", "TARGET", "CUE", "CLAIM"}
    positives = [p for p in praise.pairs if p.stances != ("none",)]
    assert {praise.text[slice(*p.target)] for p in positives} == {"Russia", "China"}
    # the reverse direction of an annotated pair is a known non-claim in the own corpus
    assert any(
        praise.text[slice(*p.source)] == "Russia" and p.stances == ("none",) for p in praise.pairs
    )
    aw_style = list(examples_from_article(article, "aw", 0))[0]
    assert aw_style.roles is None


def test_cameo_tags_come_from_its_span_file_only(fixtures):
    articles = list(
        read_cameo(fixtures / "cameo/class_train.tsv", fixtures / "cameo/spans_train.txt")
    )
    police, pact, envoy, class_only = (next(examples_from_article(a, "cameo", 0)) for a in articles)
    assert police.roles == {"SOURCE": [(0, 13)], "TARGET": [(23, 40)]}
    # R marks an actor on both sides
    assert pact.roles["SOURCE"] == pact.roles["TARGET"] == [(0, 5), (10, 17)]
    # a target without any source makes no claim, but is still a marked target
    assert not articles[2].claims
    assert [envoy.text[slice(*s)] for s in envoy.roles["TARGET"]] == ["Colombia’s rebels"]
    assert envoy.roles["SOURCE"] == []
    # class-only sentences were never span-annotated: no tag supervision, not "no actors"
    assert class_only.roles is None and class_only.sentence_label == "verbal_cooperation"


def test_dev_carving_is_by_text_and_seeded():
    text = "Japan and Vietnam signed a maritime pact."
    assert in_dev(text, 0.5, 1) == in_dev(text.upper() + "  ", 0.5, 1)
    picks = [in_dev(f"sentence {i}", 0.2, 7) for i in range(1000)]
    assert 150 < sum(picks) < 250


def test_cameo_modes_follow_plv_twins():
    from training.dataset import PairExample, SentenceExample, reconcile_modes

    text = "The EU imposed sanctions on Minsk."
    cameo = SentenceExample(
        "cameo", "c", text, pairs=[PairExample((0, 6), (28, 33), ("adversarial",), "verbal")]
    )
    plv = SentenceExample(
        "plv",
        "p",
        text + " ",
        pairs=[PairExample((0, 6), (28, 33), ("adversarial",), "material", "SANCTION")],
    )
    other = SentenceExample(
        "cameo",
        "d",
        "Minsk denounced the EU.",
        pairs=[PairExample((0, 5), (16, 22), ("adversarial",), "verbal")],
    )
    assert reconcile_modes([cameo, other], [plv]) == 1
    assert cameo.pairs[0].mode == "material" and other.pairs[0].mode == "verbal"


def test_thresholds_are_tuned_and_stored(tiny_checkpoint):
    metrics = json.loads((tiny_checkpoint / "metrics.json").read_text())
    tuned = metrics["claims_dev_end_to_end"]["thresholds"]
    assert set(tuned) == {"cooperative", "adversarial", "neutral"}
    assert 0.0 <= metrics["claims_dev_end_to_end"]["claim_f1_cross_fitted"] <= 1.0
    stored = ClaimNetwork.from_pretrained(tiny_checkpoint).config.thresholds
    assert stored == tuned and all(0.2 <= t <= 0.9 for t in tuned.values())


def test_learning_rate_warms_up_then_anneals_to_zero():
    factors = [learning_rate_factor(p / 100, 0.1) for p in range(101)]
    assert factors[0] < 0.05 and factors[10] == 1.0 and factors[100] == 0.0
    assert factors[:11] == sorted(factors[:11]) and factors[10:] == sorted(factors[10:])[::-1]


def test_sampler_batches_similar_lengths_and_covers_each_pass():
    window = 10
    texts = ["w " * length for length in range(1, 3 * 8 * window + 1)]
    examples = [
        SentenceExample(corpus="claims", article_id=str(i), text=t) for i, t in enumerate(texts)
    ]
    sampler = CorpusSampler(
        {"claims": examples}, {"claims": 1.0}, batch_size=8, seed=0, sort_window=window
    )
    one_pass = [sampler.next()[1] for _ in range(3 * window)]
    assert sorted(e.text for batch in one_pass for e in batch) == sorted(texts)
    # sorted inside a window: a batch spans a small share of the length range
    spread = [len(b[-1].text) - len(b[0].text) for b in one_pass]
    assert max(spread) < len(texts[-1]) / 4
    # ...and the batches do not come in length order
    firsts = [len(b[0].text) for b in one_pass]
    assert firsts != sorted(firsts)


def test_author_claims_pair_the_journalist_with_the_target(tiny_checkpoint):
    from transformers import AutoTokenizer

    from model.features import AUTHOR_SPAN
    from model.schema import AUTHOR, Actor, Article, Claim, Mention, Mode, Span, Stance
    from training.dataset import collate

    text = "Erdogan's gamble may yet backfire if Assad offers nothing on refugees."

    def at(words: str) -> tuple[int, int]:
        return text.index(words), text.index(words) + len(words)

    evaluation = Claim(
        source=Mention("may yet backfire", *at("may yet backfire"), Actor(AUTHOR)),
        target=Mention("Erdogan's", *at("Erdogan's"), Actor("Recep Tayyip Erdogan", "TUR")),
        stance=Stance.ADVERSARIAL,
        mode=Mode.VERBAL,
        sentence=0,
        cue=Span("backfire", *at("backfire")),
    )
    article = Article("editorial", text, claims=(evaluation,))
    example = next(examples_from_article(article, "claims", negatives_per_sentence=50))
    claim_pairs = [p for p in example.pairs if p.stances != ("none",)]
    assert [(p.source, p.target, p.stances) for p in claim_pairs] == [
        (AUTHOR_SPAN, at("Erdogan's"), ("adversarial",))
    ]
    # the journalist is never a target, and is a known non-source of other mentions
    assert all(p.target != AUTHOR_SPAN for p in example.pairs)
    assert any(p.source == AUTHOR_SPAN and p.target == at("Assad") for p in example.pairs)
    # the evaluative phrase is not an actor span for the tagger
    assert example.roles["SOURCE"] == [] and example.roles["CUE"] == [at("backfire")]
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_checkpoint))
    batch, kept = collate([example], tokenizer, 96, "pooled", (1, 2, 3, 4))
    row = next(i for i, (_, pair) in enumerate(kept) if pair.source == AUTHOR_SPAN)
    assert batch["pair_source"][row].tolist() == [0, 1]  # the [CLS] piece


def test_frozen_lower_layers_keep_their_weights(own_corpus, tmp_path):
    out = tmp_path / "frozen"
    train(tiny_config(own_corpus, freeze_layers=1), out, report=lambda m: None)
    seed_everything(3)  # tiny_config's seed: the same initial weights as the run
    start = build_network(tiny_config(own_corpus).model, AutoTokenizer.from_pretrained(out))
    trained = ClaimNetwork.from_pretrained(out)
    before, after = start.encoder.state_dict(), trained.encoder.state_dict()
    frozen = [k for k in before if k.startswith(("embeddings.", "encoder.layer.0."))]
    tuned = [k for k in before if k.startswith("encoder.layer.1.")]
    assert frozen and tuned
    assert all(torch.equal(before[k], after[k]) for k in frozen)
    assert not all(torch.equal(before[k], after[k]) for k in tuned)


def test_freezing_more_layers_than_the_encoder_has_names_the_key(own_corpus, tmp_path):
    with pytest.raises(ConfigError, match="train.freeze_layers"):
        train(tiny_config(own_corpus, freeze_layers=3), tmp_path / "x", report=lambda m: None)


def test_layer_decay_gives_each_lower_layer_a_smaller_rate(own_corpus, tiny_checkpoint):
    network = build_network(
        tiny_config(own_corpus).model, AutoTokenizer.from_pretrained(tiny_checkpoint)
    )
    layers = network.encoder.encoder.layer
    groups = encoder_groups(network, 1e-3, 0.5)
    assert [g["lr"] for g in groups] == pytest.approx([1e-3, 5e-4, 2.5e-4])  # top, lower, emb
    assert [id(p) for p in groups[0]["params"]] == [id(p) for p in layers[-1].parameters()]
    grouped = sorted(id(p) for g in groups for p in g["params"])
    assert grouped == sorted(id(p) for p in network.encoder.parameters())
    (whole,) = encoder_groups(network, 1e-3, 1.0)
    assert len(whole["params"]) == len(grouped) and whole["lr"] == 1e-3
    freeze_lower_encoder(network, 1)  # frozen layers get no group
    assert [g["lr"] for g in encoder_groups(network, 1e-3, 0.5)] == pytest.approx([1e-3])
    with pytest.raises(ConfigError, match="train.layer_decay"):
        encoder_groups(network, 1e-3, 0.0)


def test_a_layer_decayed_run_trains_end_to_end(own_corpus, tmp_path):
    out = tmp_path / "decayed"
    train(tiny_config(own_corpus, layer_decay=0.8), out, report=lambda m: None)
    assert yaml.safe_load((out / "config.yaml").read_text())["train"]["layer_decay"] == 0.8
    assert (out / "model.safetensors").exists()


@pytest.mark.parametrize("keep, kept_step", [("best", 3), ("last", 6)])
def test_keep_chooses_the_best_check_or_the_final_state(
    own_corpus, tmp_path, monkeypatch, keep, kept_step
):
    falling = iter([0.9, 0.5])  # dev gets worse after the first check at step 3

    def dev_scores(*args):
        return {"overall": {"primary": next(falling)}}

    monkeypatch.setattr(trainer, "dev_scores", dev_scores)
    metrics = train(tiny_config(own_corpus, keep=keep), tmp_path / keep, report=lambda m: None)
    assert metrics["steps_run"] == 6 and metrics["best_step"] == kept_step
    meta = json.loads((tmp_path / keep / "meta.json").read_text())
    assert meta["step"] == kept_step


def test_threshold_tuning_can_be_left_for_later(own_corpus, tmp_path, monkeypatch):
    def no_tuning(*args):
        raise AssertionError("tune_thresholds ran although train.tune_thresholds is false")

    monkeypatch.setattr(trainer, "tune_thresholds", no_tuning)
    out = tmp_path / "untuned"
    metrics = train(tiny_config(own_corpus, tune_thresholds=False), out, report=lambda m: None)
    assert "claims_dev_end_to_end" not in metrics
    assert json.loads((out / "model_config.json").read_text())["thresholds"] == {}
    assert ClaimNetwork.from_pretrained(out).config.pair_encoding == "pooled"


def test_the_final_state_exports_as_a_checkpoint(own_corpus, tmp_path, monkeypatch):
    from training.trainer import export_last_state

    falling = iter([0.9, 0.5])  # the run keeps step 3; its final state is step 6
    monkeypatch.setattr(trainer, "dev_scores", lambda *a: {"overall": {"primary": next(falling)}})
    run = tmp_path / "run"
    train(tiny_config(own_corpus, keep="best"), run, report=lambda m: None)
    assert export_last_state(run, tmp_path / "last") == 6
    state = torch.load(run / "checkpoint-last" / "trainer_state.pt", weights_only=False)
    exported = ClaimNetwork.from_pretrained(tmp_path / "last").state_dict()
    assert all(torch.equal(exported[k], v) for k, v in state["network"].items())
    kept = ClaimNetwork.from_pretrained(run).state_dict()
    assert not all(torch.equal(exported[k], v) for k, v in kept.items())
    assert exported.keys() == kept.keys()
    assert json.loads((tmp_path / "last" / "meta.json").read_text())["step"] == 6
    assert ClaimNetwork.from_pretrained(tmp_path / "last").config.thresholds == {}


def test_weight_average_follows_the_decay_and_swaps_back():
    layer = torch.nn.Linear(1, 1, bias=False)
    torch.nn.init.zeros_(layer.weight)
    average = WeightAverage(layer, decay=0.2)
    with torch.no_grad():
        layer.weight.fill_(1.0)
    average.update()  # first update: decay min(0.2, 2/11) = 2/11, so 0 -> 9/11
    with torch.no_grad():
        layer.weight.fill_(3.0)
    average.update()  # then min(0.2, 3/12) = 0.2: 9/11 -> 0.2 * 9/11 + 0.8 * 3
    with average.applied():
        assert layer.weight.item() == pytest.approx(0.2 * 9 / 11 + 0.8 * 3)
    assert layer.weight.item() == 3.0


def test_the_checkpoint_holds_the_weight_average_and_the_last_state_the_raw_weights(
    own_corpus, tmp_path
):
    run = tmp_path / "run"
    train(tiny_config(own_corpus, ema_decay=0.9, keep="last"), run, report=lambda m: None)
    state = torch.load(run / "checkpoint-last" / "trainer_state.pt", weights_only=False)
    kept = ClaimNetwork.from_pretrained(run).state_dict()
    averaged = dict(
        zip(
            (n for n, _ in ClaimNetwork.from_pretrained(run).named_parameters()),
            state["average"]["average"],
        )
    )
    assert state["average"]["updates"] == 6
    assert all(torch.equal(kept[name], value) for name, value in averaged.items())
    assert not all(torch.equal(kept[name], state["network"][name]) for name in averaged)
    resumed = train(
        tiny_config(own_corpus, ema_decay=0.9, keep="last", steps=8),
        run,
        resume=True,
        report=lambda m: None,
    )
    assert resumed["steps_run"] == 8
    again = torch.load(run / "checkpoint-last" / "trainer_state.pt", weights_only=False)
    assert again["average"]["updates"] == 8


def test_resuming_a_run_without_an_average_starts_one_and_says_so(own_corpus, tmp_path):
    run = tmp_path / "run"
    train(tiny_config(own_corpus, steps=3), run, report=lambda m: None)
    messages = []
    config = tiny_config(own_corpus, steps=6, ema_decay=0.9)
    assert train(config, run, resume=True, report=messages.append)["steps_run"] == 6
    assert any("no weight average" in m for m in messages)
    state = torch.load(run / "checkpoint-last" / "trainer_state.pt", weights_only=False)
    assert state["average"]["updates"] == 3


def test_ema_decay_outside_zero_to_one_names_the_key(own_corpus):
    with pytest.raises(ConfigError, match=r"train.ema_decay: expected a number in \(0, 1\)"):
        tiny_config(own_corpus, ema_decay=1.5)


def test_mode_weight_is_tuned_and_stored_when_asked(own_corpus, tmp_path):
    out = tmp_path / "moded"
    config = tiny_config(own_corpus, tune_thresholds=False, tune_event_mode_weight=True)
    metrics = train(config, out, report=lambda m: None)
    chosen = metrics["event_mode_weight"]["chosen"]
    table = metrics["event_mode_weight"]["pair_label_macro_f1"]
    assert set(table) == set(MODE_WEIGHTS) and set(table[chosen]) == {"claims", "mean"}
    assert chosen == max(MODE_WEIGHTS, key=lambda w: (round(table[w]["mean"], 6), -w))
    assert ClaimNetwork.from_pretrained(out).config.event_mode_weight == chosen


def test_mode_weight_is_left_alone_by_default(tiny_checkpoint):
    assert ClaimNetwork.from_pretrained(tiny_checkpoint).config.event_mode_weight == 0.0


def test_bf16_training_runs_and_records_its_precision(own_corpus, tmp_path):
    out = tmp_path / "bf16"
    metrics = train(tiny_config(own_corpus, precision="bf16"), out, report=lambda m: None)
    assert metrics["steps_run"] == 6 and metrics["precision"] == "bf16"
    assert metrics["seconds_per_step"] > 0
    assert json.loads((out / "meta.json").read_text())["precision"] == "bf16"
    assert yaml.safe_load((out / "config.yaml").read_text())["train"]["precision"] == "bf16"
