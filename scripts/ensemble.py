"""Assemble trained checkpoints (same config, different seeds) into one ensemble folder that
`ClaimExtractor.load`, `scripts/predict.py` and `scripts/evaluate.py` read like a checkpoint,
then tune its claim thresholds on the own corpus's dev split."""

from pathlib import Path

import typer
from rich.console import Console

from model.ensemble import assemble
from model.extractor import ClaimExtractor
from model.schema import read_jsonl
from training.corpora import CORPORA
from training.thresholds import FOLDS, store_tuning, tune_thresholds


def main(
    members: list[Path] = typer.Argument(..., help="Checkpoint folders, two or more."),
    output: Path = typer.Option(..., help="New folder for the ensemble."),
    tune: bool = typer.Option(True, help="Tune the claim thresholds on dev afterwards."),
    dev: Path = typer.Option(None, help="Annotated JSONL (default: data/claims/dev.jsonl)."),
):
    console = Console()
    try:
        ensemble = assemble(members, output)
    except (ValueError, OSError) as error:  # members that differ, a missing file, a used folder
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    console.print(f"{len(ensemble.members)} members written to {output}")
    if tune:
        extractor = ClaimExtractor.load(output, device="cpu")
        articles = list(read_jsonl(dev)) if dev else list(CORPORA["claims"].load("dev"))
        tuning = tune_thresholds(extractor, articles)
        store_tuning(output, tuning)
        console.print(
            f"thresholds {tuning.thresholds}; dev claim F1 {tuning.claim_f1:.4f}, "
            f"cross-fitted ({FOLDS} folds) {tuning.claim_f1_cross_fitted:.4f}"
        )


if __name__ == "__main__":
    typer.run(main)
