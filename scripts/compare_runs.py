"""Tabulate the dev numbers of finished runs (LABEL=RUN_FOLDER ...), with each label's mean."""

import json
import shlex
import sys
from pathlib import Path

import typer
from rich.console import Console

from training.sweep import compare_runs, comparison_markdown


def main(
    runs: list[str] = typer.Argument(
        ..., help="LABEL=RUN_FOLDER; runs sharing a label are averaged."
    ),
    out: Path = typer.Option(..., help="Writes OUT.json and OUT.md."),
):
    labelled = []
    for item in runs:
        label, sep, folder = item.partition("=")
        if not sep or not label or not folder:
            raise typer.BadParameter(f"{item!r}: expected LABEL=RUN_FOLDER")
        labelled.append((label, Path(folder)))
    try:
        rows = compare_runs(labelled)
    except FileNotFoundError as error:
        raise typer.BadParameter(str(error)) from error
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(rows, indent=2))
    command = "python scripts/compare_runs.py " + shlex.join(sys.argv[1:])
    out.with_suffix(".md").write_text(comparison_markdown(rows, command))
    Console().print(f"{len(labelled)} runs written to {out.with_suffix('.md')}")


if __name__ == "__main__":
    typer.run(main)
