"""scripts/pseudo_label.py: a teacher labels a folder; bad records are reported, not fatal."""

import json
import subprocess
import sys
from pathlib import Path

from model.schema import read_jsonl

ROOT = Path(__file__).resolve().parents[2]


def test_pseudo_label_writes_a_corpus_and_reports_skipped_records(tiny_checkpoint, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Kenya sent food aid to Somalia. The army condemned rebels.")
    (articles / "b.txt").write_bytes("Caf\xe9 owners protested.".encode("latin-1"))
    out = tmp_path / "pseudo"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "pseudo_label.py"),
            str(articles),
            "--out",
            str(out),
            "--model",
            str(tiny_checkpoint),
            "--min-score",
            "0",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["articles_read"] == 1 and report["min_score"] == 0.0
    assert len(report["skipped"]) == 1 and "b.txt" in report["skipped"][0]
    kept = list(read_jsonl(out / "train.jsonl"))  # valid own-format records
    assert len(kept) == report["articles_kept"] <= 1
    assert sum(len(a.claims) for a in kept) == report["claims_labelled"]
