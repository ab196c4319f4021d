"""Generated report sections."""

import json
from pathlib import Path

import pytest

from training.report import fill_section


def test_fill_section_replaces_only_its_region(tmp_path):
    path = tmp_path / "sheet.md"
    path.write_text("# T\n<!-- counts:start -->\nold\n<!-- counts:end -->\ntail\n")
    fill_section(path, "counts", "new\nlines")
    assert path.read_text() == "# T\n<!-- counts:start -->\nnew\nlines\n<!-- counts:end -->\ntail\n"
    with pytest.raises(ValueError, match="no <!-- agreement:start -->"):
        fill_section(path, "agreement", "x")


def test_accuracy_report_names_the_training_and_scoring_precision(tmp_path):
    import json

    from training.report import build_report

    checkpoint = tmp_path / "run"
    checkpoint.mkdir()
    meta = {"name": "r", "git_sha": "abc", "step": 9, "train_minutes": 1.0, "device": "cpu"}
    (checkpoint / "meta.json").write_text(json.dumps({**meta, "precision": "bf16"}))
    result = {
        "system": str(checkpoint),
        "benchmark": "aw",
        "split": "dev",
        "units": 2,
        "unit": "sentence",
        "sentences": 2,
        "seen_in_training": 0,
        "seen_excluded": 0,
        "precision": "bf16",
        "date": "2026-11-29",
        "scores": {"binary/macro_f1": 0.5},
        "ci95": {"binary/macro_f1": [0.4, 0.6]},
    }
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "aw.json").write_text(json.dumps(result))
    build_report(tmp_path, {"aw": "python scripts/evaluate.py --benchmark aw"})
    report = (tmp_path / "ACCURACY.md").read_text()
    assert "1.0 minutes of training on cpu in bf16; scored in bf16." in report
    assert "0.500 [0.400, 0.600]" in report


def test_target_table_lines_up_systems_and_averages_a_label(tmp_path):
    import json

    from training.report import target_markdown, target_rows

    def result(system, benchmark, scores):
        path = tmp_path / system / f"{benchmark}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps({"system": system, "benchmark": benchmark, "scores": scores}))

    result("a", "aw", {"binary/macro_f1": 0.8})
    result("a", "plv", {"pair_label/macro_f1": 0.9, "event/macro_f1": 0.7})
    result("b", "aw", {"binary/macro_f1": 0.9})
    result("c", "aw", {"binary/macro_f1": 0.95, "binary/accuracy": 0.5})
    rows = target_rows(
        [("seed", tmp_path / "a"), ("seed", tmp_path / "b"), ("ens", tmp_path / "c" / "aw.json")]
    )
    assert rows["a"] == {
        "label": "seed",
        "AW binary": 0.8,
        "PLV pentaclass": 0.9,
        "PLOVER type": 0.7,
    }
    assert rows["mean of seed"]["AW binary"] == pytest.approx(0.85)
    assert "PLV pentaclass" not in rows["mean of seed"]  # b was not scored on PLV
    assert "mean of ens" not in rows  # one system: no mean
    table = target_markdown(rows, "cmd")
    assert "| AW binary | 0.800 | 0.900 | 0.950 | 0.850 | 0.92 |" in table
    assert "| PLV pentaclass | 0.900 | – | – | – | 0.93 |" in table


def test_labelled_paths_reads_label_path_pairs_and_names_a_bad_one(tmp_path):
    from training.report import labelled_paths

    pairs = labelled_paths([f"a={tmp_path}", "b=x=y"])
    assert pairs == [("a", tmp_path), ("b", Path("x=y"))]
    for bad in ("no-label", "=path", "label="):
        with pytest.raises(ValueError, match=repr(bad)):
            labelled_paths([bad])
    with pytest.raises(ValueError, match="EXISTING"):
        labelled_paths([f"a={tmp_path / 'missing'}"], must_exist=True)


def test_write_table_writes_rows_and_markdown(tmp_path):
    from training.report import write_table

    written = write_table(tmp_path / "deep" / "table", {"row": {"x": 1}}, "| x |\n")
    assert written.read_text() == "| x |\n"
    assert json.loads((tmp_path / "deep" / "table.json").read_text()) == {"row": {"x": 1}}


def test_target_table_passes_over_other_json_in_a_folder_and_refuses_it_by_name(tmp_path):
    from training.report import target_rows

    result = {"system": "runs/x", "benchmark": "aw", "scores": {"binary/macro_f1": 0.9}}
    (tmp_path / "runs_x__aw__dev.json").write_text(json.dumps(result))
    (tmp_path / "metrics.json").write_text(json.dumps({"dev": {}, "wall_minutes": 30}))
    assert target_rows([("x", tmp_path)])["runs/x"]["AW binary"] == 0.9
    with pytest.raises(ValueError, match="metrics.json: not a scripts/evaluate.py result"):
        target_rows([("x", tmp_path / "metrics.json")])
