"""scripts/predict.py: bad records become error rows, every record appears once, resume."""

import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "predict.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result


def inputs(tmp_path):
    good = tmp_path / "in.jsonl"
    lines = [
        json.dumps(
            {
                "id": "ok-1",
                "text": "Kenya sent food aid to Somalia.",
                "meta": {"date": "2022-01-02"},
            }
        ),
        json.dumps({"id": "empty", "text": "  "}),
        "{not json",
        json.dumps({"id": "number", "text": 42}),
        json.dumps({"id": "ok-2", "text": "Rebels shelled a base. The army condemned them."}),
    ]
    good.write_text("\n".join(lines) + "\n")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owners protested.".encode("latin-1"))
    return good


def test_jsonl_output_keeps_every_record_once(tmp_path, tiny_checkpoint):
    source = inputs(tmp_path)
    out = tmp_path / "out.jsonl"
    run(source, tmp_path / "latin1.txt", "--model", tiny_checkpoint, "--format", "jsonl", "-o", out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["ok-1", "empty", "in:3", "number", "ok-2", "latin1"]
    errors = {r["id"]: r["error"] for r in rows if "error" in r}
    assert errors["empty"] == "field 'text': empty text"
    assert "not valid JSON" in errors["in:3"] and "not UTF-8" in errors["latin1"]
    assert rows[0]["meta"]["date"] == "2022-01-02" and "claims" in rows[0]


def test_resume_skips_done_records_and_mends_a_torn_line(tmp_path, tiny_checkpoint):
    source = inputs(tmp_path)
    out = tmp_path / "out.jsonl"
    first = json.dumps({"id": "ok-1", "text": "x", "meta": {}, "claims": []})
    out.write_text(first + "\n" + '{"id": "empty", "err')  # interrupted mid-line
    run(source, "--model", tiny_checkpoint, "--format", "jsonl", "-o", out, "--resume")
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == ["ok-1", "empty", "in:3", "number", "ok-2"]


def test_csv_has_a_row_for_every_article(tmp_path, tiny_checkpoint):
    source = inputs(tmp_path)
    out = tmp_path / "out.csv"
    run(
        source, "--model", tiny_checkpoint, "--format", "csv", "-o", out, "--min-confidence", "0.99"
    )
    rows = list(csv.DictReader(out.open()))
    assert {r["id"] for r in rows} == {"ok-1", "empty", "in:3", "number", "ok-2"}
    assert {r["status"] for r in rows if r["id"] == "empty"} == {"error"}
