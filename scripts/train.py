"""Train a claim network from one YAML config; the checkpoint folder is the output."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from training.config import ConfigError, load_config  # noqa: E402
from training.trainer import train  # noqa: E402


def main(
    config: Path = typer.Option(..., help="YAML run config (configs/*.yaml)."),
    output: Path = typer.Option(..., help="Checkpoint folder to write (runs/NAME)."),
    device: str = typer.Option(None, help="auto | cpu | cuda (overrides train.device)."),
    resume: bool = typer.Option(False, help="Continue from OUTPUT/checkpoint-last."),
    set_: list[str] = typer.Option([], "--set", help="Override a config key: a.b=value."),
):
    console = Console()
    overrides = list(set_) + ([f"train.device={device}"] if device else [])
    try:
        run_config = load_config(config, overrides)
    except ConfigError as error:  # names the file and the bad key
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    with Progress(
        TextColumn("[bold]train"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TextColumn("{task.fields[losses]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("train", total=None, losses="")

        def progress(step, steps, losses):
            bar.update(
                task,
                completed=step,
                total=steps,
                losses=" ".join(f"{k}={v:.3f}" for k, v in losses.items()),
            )

        try:
            metrics = train(
                run_config, output, resume=resume, report=bar.console.print, progress=progress
            )
        except ConfigError as error:  # a setting only training can check (e.g. the teacher)
            bar.stop()
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from error
    console.print(
        f"best dev {metrics['dev'].get('overall', {}).get('primary', 0):.4f} at step "
        f"{metrics['best_step']} ({metrics['wall_minutes']} min on {metrics['device']}); "
        f"checkpoint in {output}"
    )


if __name__ == "__main__":
    typer.run(main)
