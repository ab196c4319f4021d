"""Re-tune a checkpoint's per-stance claim thresholds on annotated dev articles (JSONL in the
schema; default: the own corpus's dev split) and store them in its model_config.json."""

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.console import Console

from model.extractor import ClaimExtractor
from model.schema import read_jsonl
from training.corpora import CORPORA
from training.thresholds import FOLDS, store_thresholds, tune_thresholds


def main(
    model: Path = typer.Option(Path("runs/default"), help="Checkpoint folder."),
    dev: Path = typer.Option(None, help="Annotated JSONL (default: data/claims/dev.jsonl)."),
):
    articles = list(read_jsonl(dev)) if dev else list(CORPORA["claims"].load("dev"))
    tuning = tune_thresholds(ClaimExtractor.load(model, device="cpu"), articles)
    store_thresholds(model, tuning.thresholds)
    metrics_path = model / "metrics.json"
    metrics = json.loads(metrics_path.read_text()) if metrics_path.exists() else {}
    metrics["claims_dev_end_to_end"] = asdict(tuning)
    metrics_path.write_text(json.dumps(metrics, indent=2))
    Console().print(
        f"thresholds {tuning.thresholds}; claim F1 on the tuning articles {tuning.claim_f1:.4f}, "
        f"cross-fitted ({FOLDS} folds) {tuning.claim_f1_cross_fitted:.4f}; "
        f"written to {model / 'model_config.json'}"
    )


if __name__ == "__main__":
    typer.run(main)
