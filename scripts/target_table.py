"""Tabulate `scripts/evaluate.py` result files against issue #4's dev targets
(LABEL=FILE_OR_FOLDER ...; systems sharing a label are averaged): seeds, variants and
ensembles side by side."""

import shlex
import sys
from pathlib import Path

import typer
from rich.console import Console

from training.report import labelled_paths, target_markdown, target_rows, write_table


def main(
    results: list[str] = typer.Argument(..., help="LABEL=RESULT_FILE_OR_FOLDER."),
    out: Path = typer.Option(..., help="Writes OUT.json and OUT.md."),
):
    try:
        rows = target_rows(labelled_paths(results, must_exist=True))
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    command = "python scripts/target_table.py " + shlex.join(sys.argv[1:])
    written = write_table(out, rows, target_markdown(rows, command))
    Console().print(f"{len(rows)} rows written to {written}")


if __name__ == "__main__":
    typer.run(main)
