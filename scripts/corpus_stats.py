"""Print per-corpus counts for every corpus under the data directory and the own corpus."""

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from training.corpus_stats import all_stats


def main(
    data_dir: Path = typer.Option(None, help="External corpora (default $CLAIMSTANCE_DATA)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
):
    stats = all_stats(data_dir)
    if as_json:
        print(json.dumps(stats, indent=2))
        return
    table = Table(title="claimstance corpora")
    for column in (
        "corpus",
        "split",
        "source records",
        "articles",
        "sentences",
        "claims",
        "claims by label",
        "skipped",
        "notes",
    ):
        table.add_column(column, overflow="fold")
    for row in stats:
        if "missing" in row:
            table.add_row(
                row["corpus"], row["split"], f"[yellow]{row['missing']}[/]", "", "", "", "", "", ""
            )
            continue
        fmt = lambda d: "\n".join(f"{k}: {v}" for k, v in d.items()) or "0"  # noqa: E731
        table.add_row(
            row["corpus"],
            row["split"],
            fmt(row["source"]),
            str(row["articles"]),
            str(row["sentences"]),
            str(row["claims"]),
            fmt(row["labels"]),
            fmt(row["skipped"]),
            fmt(row["notes"]),
        )
    Console(width=200).print(table)


if __name__ == "__main__":
    typer.run(main)
