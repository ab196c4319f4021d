"""Config loading: unknown keys and wrong types are named; overrides apply."""

import pytest

from training.config import (
    ConfigError,
    RunConfig,
    from_dict,
    load_config,
    save_config,
    split_seed_of,
)


def write(tmp_path, text):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    return path


def test_unknown_key_is_named(tmp_path):
    path = write(tmp_path, "train:\n  learnig_rate: 0.1\n")
    with pytest.raises(ConfigError, match=r"c.yaml: unknown key train.learnig_rate"):
        load_config(path)


def test_wrong_type_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"train.batch_size: expected int"):
        load_config(write(tmp_path, "train:\n  batch_size: many\n"))
    with pytest.raises(ConfigError, match=r"data.corpora.plv.weight: expected float"):
        load_config(write(tmp_path, "data:\n  corpora:\n    plv: {weight: heavy}\n"))


def test_overrides_and_round_trip(tmp_path):
    config = load_config(
        write(tmp_path, "name: x\n"),
        ["train.steps=7", "data.corpora.aw.weight=0.5", "model.pair_encoding=markers"],
    )
    assert config.train.steps == 7 and config.data.corpora["aw"].weight == 0.5
    assert config.model.pair_encoding == "markers"
    save_config(config, tmp_path / "saved.yaml")
    assert load_config(tmp_path / "saved.yaml") == config
    with pytest.raises(ConfigError, match="not key=value"):
        load_config(write(tmp_path, "name: x\n"), ["train.steps"])


def test_shipped_configs_load():
    for name in ("quick", "default", "gpu"):
        load_config(f"configs/{name}.yaml")


def test_keep_must_name_best_or_last(tmp_path):
    with pytest.raises(ConfigError, match=r"train.keep: expected 'best' or 'last'"):
        load_config(write(tmp_path, "train:\n  keep: newest\n"))


def test_loss_weights_name_known_terms(tmp_path):
    config = load_config(write(tmp_path, "train:\n  loss_weights: {tags: 3.0}\n"))
    assert config.train.loss_weights == {"tags": 3.0}
    with pytest.raises(ConfigError, match=r"train.loss_weights: unknown term 'tag'"):
        load_config(write(tmp_path, "train:\n  loss_weights: {tag: 3.0}\n"))


def test_split_seed_fixes_the_dev_carve_across_training_seeds():
    assert from_dict(RunConfig, {"seed": 7}).split_seed == 7
    fixed = from_dict(RunConfig, {"seed": 7, "data": {"split_seed": 13}})
    assert fixed.split_seed == 13 and fixed.seed == 7
    assert split_seed_of(fixed.to_dict()) == 13
    assert split_seed_of({"seed": 7, "data": {"dev_fraction": 0.1}}) == 7  # older configs
    assert split_seed_of({"seed": 7, "data": {"split_seed": 0}}) == 0


def test_precision_names_its_choices(tmp_path):
    assert load_config(write(tmp_path, "train:\n  precision: auto\n")).train.precision == "auto"
    with pytest.raises(ConfigError, match=r"train.precision: expected one of auto, fp32, bf16"):
        load_config(write(tmp_path, "train:\n  precision: half\n"))


def test_pair_encoding_and_typed_markers_are_checked(tmp_path):
    with pytest.raises(ConfigError, match=r"model.pair_encoding: expected 'pooled' or 'markers'"):
        load_config(write(tmp_path, "model:\n  pair_encoding: marker\n"))
    with pytest.raises(ConfigError, match=r"model.typed_markers: needs model.pair_encoding"):
        load_config(write(tmp_path, "model:\n  typed_markers: true\n"))
    typed = "model:\n  pair_encoding: markers\n  typed_markers: true\n"
    assert load_config(write(tmp_path, typed)).model.typed_markers
