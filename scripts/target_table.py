"""Tabulate `scripts/evaluate.py` result files against issue #4's dev targets
(LABEL=FILE_OR_FOLDER ...; systems sharing a label are averaged): seeds, variants and
ensembles side by side."""

import json
import shlex
import sys
from pathlib import Path

import typer
from rich.console import Console

from training.report import target_markdown, target_rows


def main(
    results: list[str] = typer.Argument(..., help="LABEL=RESULT_FILE_OR_FOLDER."),
    out: Path = typer.Option(..., help="Writes OUT.json and OUT.md."),
):
    labelled = []
    for item in results:
        label, sep, path = item.partition("=")
        if not sep or not label or not Path(path).exists():
            raise typer.BadParameter(f"{item!r}: expected LABEL=EXISTING_FILE_OR_FOLDER")
        labelled.append((label, Path(path)))
    rows = target_rows(labelled)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(rows, indent=2))
    command = "python scripts/target_table.py " + shlex.join(sys.argv[1:])
    out.with_suffix(".md").write_text(target_markdown(rows, command))
    Console().print(f"{len(rows)} rows written to {out.with_suffix('.md')}")


if __name__ == "__main__":
    typer.run(main)
