"""Re-tune a checkpoint's decision settings and store them in its model_config.json: the
per-stance claim thresholds on annotated dev articles (JSONL in the schema; default: the own
corpus's dev split) and, with --mode-weight, the PLOVER type head's weight in the mode
decision on the dev splits of the corpora that label modes (carved as training carved them)."""

import json
from pathlib import Path

import typer
import yaml
from rich.console import Console
from rich.table import Table

from model.extractor import ClaimExtractor
from model.schema import read_jsonl
from training.benchmarks import BENCHMARKS, load_examples
from training.config import split_seed_of
from training.corpora import CORPORA, MissingData
from training.thresholds import (
    FOLDS,
    MODED_CORPORA,
    choose_event_mode_weight,
    store_tuning,
    tune_thresholds,
)


def main(
    model: Path = typer.Option(Path("runs/default"), help="Checkpoint folder."),
    dev: Path = typer.Option(None, help="Annotated JSONL (default: data/claims/dev.jsonl)."),
    mode_weight: bool = typer.Option(
        False, help="Also tune the type head's weight in the mode decision (off by default)."
    ),
    data_dir: Path = typer.Option(None, help="External corpora (default: $CLAIMSTANCE_DATA)."),
    store: bool = typer.Option(
        True, help="Write the settings into the checkpoint (--no-store: print the thresholds only)."
    ),
    precision: str = typer.Option("auto", help="auto | fp32 | bf16, as at inference."),
):
    console = Console()
    articles = list(read_jsonl(dev)) if dev else list(CORPORA["claims"].load("dev"))
    extractor = ClaimExtractor.load(model, device="cpu", precision=precision)
    tuning = tune_thresholds(extractor, articles)
    console.print(
        f"thresholds {tuning.thresholds}; claim F1 on the tuning articles {tuning.claim_f1:.4f}, "
        f"cross-fitted ({FOLDS} folds) {tuning.claim_f1_cross_fitted:.4f}"
    )
    if not store:
        return
    store_tuning(model, tuning)
    if mode_weight:
        weight, table = tune_mode_weight(model, data_dir, console)
        metrics_path = model / "metrics.json"
        metrics = json.loads(metrics_path.read_text())
        metrics["event_mode_weight"] = {"chosen": weight, "pair_label_macro_f1": table}
        metrics_path.write_text(json.dumps(metrics, indent=2))
        console.print(weight_table(table, weight))
    console.print(f"written to {model / 'model_config.json'}")


def weight_table(table: dict[float, dict[str, float]], chosen: float) -> Table:
    corpora = list(next(iter(table.values())))
    out = Table(
        title=f"dev pair-label macro-F1 by the type head's weight in the mode (chosen {chosen})"
    )
    for column in ("weight", *corpora):
        out.add_column(column)
    for weight, row in table.items():
        out.add_row(str(weight), *(f"{row[c]:.4f}" for c in corpora))
    return out


def tune_mode_weight(model: Path, data_dir: Path | None, console: Console):
    """`choose_event_mode_weight` on the dev splits the checkpoint's training carved."""
    config = yaml.safe_load((model / "config.yaml").read_text())
    seed, fraction = split_seed_of(config), config["data"]["dev_fraction"]
    dev = {}
    for corpus in MODED_CORPORA:
        try:
            _, dev[corpus], _ = load_examples(
                BENCHMARKS[corpus], "dev", data_dir, None, seed, fraction
            )
        except MissingData as error:
            console.print(f"[yellow]{corpus} left out of the mode weight: {error}[/yellow]")
    return choose_event_mode_weight(model, dev, config["data"]["max_length"])


if __name__ == "__main__":
    typer.run(main)
