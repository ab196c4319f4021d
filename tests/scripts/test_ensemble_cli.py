"""scripts/ensemble.py and scripts/tune_thresholds.py --no-store on tiny checkpoints."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(script, *args):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_assembled_ensemble_is_tuned_and_no_store_leaves_a_checkpoint_alone(
    tiny_checkpoint, own_corpus, tmp_path
):
    dev = own_corpus / "claims" / "dev.jsonl"
    out = tmp_path / "ens"
    printed = run("ensemble.py", tiny_checkpoint, tiny_checkpoint, "--output", out, "--dev", dev)
    assert "2 members written" in printed and "cross-fitted" in printed
    tuned = json.loads((out / "metrics.json").read_text())["claims_dev_end_to_end"]["thresholds"]
    assert json.loads((out / "model_config.json").read_text())["thresholds"] == tuned
    copy = tmp_path / "copy"
    shutil.copytree(tiny_checkpoint, copy)
    before = (copy / "model_config.json").read_text()
    printed = run("tune_thresholds.py", "--model", copy, "--dev", dev, "--no-store")
    assert "cross-fitted" in printed
    assert (copy / "model_config.json").read_text() == before
