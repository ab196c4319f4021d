"""Sweeps: variants are overrides of one base config; each trains and lands in the table."""

import json

import pytest
import yaml

from tests.conftest import tiny_config
from training.config import ConfigError
from training.sweep import compare_runs, comparison_markdown, load_sweep, markdown, run_sweep


def test_sweep_trains_each_variant_and_tabulates(own_corpus, tmp_path):
    base = tmp_path / "tiny.yaml"
    base.write_text(yaml.safe_dump(tiny_config(own_corpus, steps=2, eval_every=2).to_dict()))
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        yaml.safe_dump(
            {
                "base": str(base),
                "overrides": ["train.batch_size=2"],
                "variants": {"plain": [], "no-weights": ["train.class_weighting=false"]},
            },
            sort_keys=False,
        )
    )
    sweep = load_sweep(spec)
    results = run_sweep(sweep, tmp_path / "runs", "t", report=lambda m: None)
    assert list(results) == ["plain", "no-weights"]
    assert all(
        row["steps"] == 2 and row["claim_f1_end_to_end"] is not None for row in results.values()
    )
    assert (tmp_path / "runs" / "t-no-weights" / "model.safetensors").exists()
    table = markdown(sweep, results, "cmd")
    assert "| no-weights | `train.class_weighting=false` |" in table
    assert "claim_f1_cross_fitted" in table and "cameo_target_exact_f1" not in table  # no CAMEO
    # a finished run of the same config is read back, not retrained
    marker = tmp_path / "runs" / "t-plain" / "model.safetensors"
    before = marker.stat().st_mtime_ns
    again = run_sweep(sweep, tmp_path / "runs", "t", only=["plain"], report=lambda m: None)
    assert again["plain"] == results["plain"] and marker.stat().st_mtime_ns == before


def test_sweep_file_errors_name_the_problem(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("base: x.yaml\nvariant: {}\n")
    with pytest.raises(ConfigError, match="unknown keys: variant"):
        load_sweep(spec)


def _finished_run(folder, pair_label, target_exact, steps):
    folder.mkdir(parents=True)
    dev = {
        "claims": {
            "primary": pair_label,
            "pair_label/macro_f1": pair_label,
            "TARGET/exact_f1": target_exact,
        },
        "overall": {"primary": pair_label},
    }
    (folder / "metrics.json").write_text(json.dumps({"dev": dev, "steps_run": steps}))
    return folder


def test_compare_runs_tabulates_finished_runs_and_averages_each_label(tmp_path):
    a7 = _finished_run(tmp_path / "s7-a", 0.70, 0.40, 100)
    a21 = _finished_run(tmp_path / "s21-a", 0.80, 0.50, 100)
    b7 = _finished_run(tmp_path / "s7-b", 0.75, 0.60, 120)
    rows = compare_runs([("a", a7), ("a", a21), ("b", b7)])
    assert list(rows) == [str(a7), str(a21), str(b7), "mean of a"]  # one run: no mean row
    assert rows["mean of a"]["runs"] == 2
    assert rows["mean of a"]["own_target_exact_f1"] == pytest.approx(0.45)
    assert rows["mean of a"]["pair_label_macro_f1"] == pytest.approx(0.75)
    table = comparison_markdown(rows, "cmd")
    assert "own_target_exact_f1" in table and "cameo_target_exact_f1" not in table
    assert "| **mean of a** (2) | a |" in table
    with pytest.raises(FileNotFoundError, match="no metrics.json"):
        compare_runs([("a", tmp_path / "missing")])
