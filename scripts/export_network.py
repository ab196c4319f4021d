"""Claims JSONL (predicted or gold) -> dyad edge list CSV, GraphML, optional time series.

python scripts/export_network.py predictions.jsonl --out network/ --level country
"""

import csv
from pathlib import Path

import typer
from rich.console import Console

from model.export import dyads, time_series, write_edges_csv, write_graphml
from model.schema import RecordError, read_jsonl


def main(
    inputs: list[Path] = typer.Argument(..., help="JSONL files of articles with claims."),
    out: Path = typer.Option(Path("network"), help="Output folder."),
    level: str = typer.Option("actor", help="actor | country"),
    series: str = typer.Option(None, help="Also write a per-dyad time series: day | month."),
    min_confidence: float = typer.Option(0.0, help="Drop predicted claims scored below this."),
):
    console = Console()
    errors: list[RecordError] = []
    articles = []
    for path in inputs:
        for article in read_jsonl(path, errors):
            claims = tuple(
                c for c in article.claims if c.score is None or c.score >= min_confidence
            )
            articles.append(
                type(article)(article.id, article.text, article.meta, claims, article.sentences)
            )
    for error in errors:
        console.print(f"[yellow]skipped[/] {error}")
    table, skipped = dyads(articles, level)
    out.mkdir(parents=True, exist_ok=True)
    write_edges_csv(table, out / "edges.csv")
    write_graphml(table, out / "network.graphml")
    written = ["edges.csv", "network.graphml"]
    if series:
        rows = time_series(articles, level, series)
        with (out / f"series_{series}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["period"])
            writer.writeheader()
            writer.writerows(rows)
        written.append(f"series_{series}.csv")
    console.print(
        f"{len(articles)} articles, {len(table)} dyads ({level} level); skipped claims: "
        f"{dict(skipped) or 'none'}; bad records: {len(errors)}; wrote "
        f"{', '.join(str(out / name) for name in written)}"
    )


if __name__ == "__main__":
    typer.run(main)
