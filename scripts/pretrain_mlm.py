"""Continued masked-LM pretraining of the encoder on the corpora's unlabeled train-side text."""

import json
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from training.config import load_config  # noqa: E402
from training.pretrain import pretrain_mlm, unlabeled_texts  # noqa: E402
from training.trainer import encoder_path, pick_device  # noqa: E402


def main(
    config: Path = typer.Option(
        Path("configs/default.yaml"), help="Run config: its corpora give the text."
    ),
    output: Path = typer.Option(..., help="Encoder folder to write (name it as model.encoder)."),
    minutes: float = typer.Option(10.0, help="Time budget (at most one pass over the text)."),
    max_length: int = typer.Option(128, help="Word pieces per window."),
    batch_size: int = typer.Option(32),
    device: str = typer.Option("auto", help="auto | cpu | cuda"),
    precision: str = typer.Option(
        "auto", help="fp32 | bf16 | auto (bf16 where the CPU or GPU has it natively)"
    ),
):
    console = Console()
    run_config = load_config(config)
    texts = unlabeled_texts(run_config)
    console.print(f"{len(texts)} unlabeled texts from {', '.join(run_config.data.corpora)}")
    with Progress(
        TextColumn("[bold]mlm"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} loss {task.fields[loss]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("mlm", total=None, loss="")
        summary = pretrain_mlm(
            texts,
            encoder_path(run_config.model),
            output,
            minutes,
            max_length=max_length,
            batch_size=batch_size,
            device=str(pick_device(device)),
            precision=precision,
            progress=lambda step, steps, loss: bar.update(
                task, completed=step, total=steps, loss=f"{loss:.3f}"
            ),
        )
    (output / "pretraining.json").write_text(json.dumps(summary, indent=2))
    console.print(f"{summary} -> {output}")


if __name__ == "__main__":
    typer.run(main)
