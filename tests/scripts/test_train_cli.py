"""scripts/train.py reports a bad setting in one line and exits 1, before training."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def train_cli(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_a_bad_config_value_names_the_file_and_key(tmp_path):
    result = train_cli(
        "--config", ROOT / "configs" / "quick.yaml", "--output", tmp_path / "run",
        "--set", "train.distill_weight=2",
    )  # fmt: skip
    assert result.returncode == 1
    assert "quick.yaml: train.distill_weight" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_teacher_from_another_dev_split_is_refused_before_training(tiny_checkpoint, tmp_path):
    result = train_cli(
        "--config", ROOT / "configs" / "quick.yaml", "--output", tmp_path / "run",
        "--set", f"train.distill_from={tiny_checkpoint}",
    )  # fmt: skip
    assert result.returncode == 1
    assert "train.distill_from: the teacher was trained on other data" in " ".join(
        result.stdout.split()
    )
    assert not (tmp_path / "run" / "dataset").exists()  # refused before building the data
