"""Save a run's final training state (RUN/checkpoint-last) as a checkpoint folder of its own."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402

from training.trainer import export_last_state  # noqa: E402


def main(
    run: Path = typer.Argument(..., help="A training run's folder (runs/NAME)."),
    output: Path = typer.Option(..., help="Checkpoint folder to write."),
):
    step = export_last_state(run, output)
    Console().print(
        f"final state (step {step}) written to {output}; its thresholds are untuned: "
        f"python scripts/tune_thresholds.py --model {output}"
    )


if __name__ == "__main__":
    typer.run(main)
