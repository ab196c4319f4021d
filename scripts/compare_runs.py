"""Tabulate the dev numbers of finished runs (LABEL=RUN_FOLDER ...), with each label's mean."""

import shlex
import sys
from pathlib import Path

import typer
from rich.console import Console

from training.report import labelled_paths, write_table
from training.sweep import compare_runs, comparison_markdown


def main(
    runs: list[str] = typer.Argument(
        ..., help="LABEL=RUN_FOLDER; runs sharing a label are averaged."
    ),
    out: Path = typer.Option(..., help="Writes OUT.json and OUT.md."),
):
    try:
        rows = compare_runs(labelled_paths(runs))
    except (ValueError, FileNotFoundError) as error:
        raise typer.BadParameter(str(error)) from error
    command = "python scripts/compare_runs.py " + shlex.join(sys.argv[1:])
    written = write_table(out, rows, comparison_markdown(rows, command))
    Console().print(f"{len(runs)} runs written to {written}")


if __name__ == "__main__":
    typer.run(main)
