"""Check the own corpus: schema, offsets, labels, split files in sync with the authoring
sources, and every coverage minimum; print the counts (exit 1 if anything fails).
`--drafts FILE...` checks authoring drafts only (the words of each mention must be found)."""

import json
import tempfile
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from model.schema import RecordError, read_jsonl
from training.claims_corpus import build
from training.claims_coverage import check, coverage
from training.corpora import PROJECT_DATA
from training.corpora.authoring import read_authoring
from training.report import coverage_markdown, fill_section


def main(
    write: Path = typer.Option(
        PROJECT_DATA / "claims" / "coverage.json",
        help="Where to save the counts (the datasheet quotes them).",
    ),
    drafts: list[Path] = typer.Option([], help="Check these authoring drafts only."),
):
    console = Console()
    if drafts:
        for draft in drafts:
            articles = list(read_authoring(draft))
            labels = Counter(c.label.value for a in articles for c in a.claims)
            console.print(
                f"{draft}: {len(articles)} articles, {sum(labels.values())} claims, "
                f"{dict(sorted(labels.items()))}"
            )
        return
    errors: list[RecordError] = []
    splits = {
        split: list(read_jsonl(PROJECT_DATA / "claims" / f"{split}.jsonl", errors))
        for split in ("train", "dev", "test")
    }
    for error in errors:
        console.print(f"[red]invalid[/] {error}")
    with tempfile.TemporaryDirectory() as scratch:
        build(out_dir=Path(scratch), samples=False)
        stale = [
            split
            for split in splits
            if (Path(scratch) / f"{split}.jsonl").read_bytes()
            != (PROJECT_DATA / "claims" / f"{split}.jsonl").read_bytes()
        ]
    stats = coverage(splits)
    rows = check(stats)
    rows.insert(0, ("schema and offsets", f"{len(errors)} invalid records", not errors))
    rows.insert(
        1,
        (
            "split files match data/claims/source",
            f"stale: {', '.join(stale)}" if stale else "in sync",
            not stale,
        ),
    )
    table = Table(title="data/claims coverage")
    for column in ("requirement", "measured", "met"):
        table.add_column(column)
    for name, measured, met in rows:
        table.add_row(name, measured, "[green]yes[/]" if met else "[red]NO[/]")
    console.print(table)
    console.print(
        f"articles per split: {stats['articles per split']}; styles: {stats['styles']}; "
        f"sentences: {stats['sentences']}"
    )
    write.write_text(json.dumps(stats, indent=2) + "\n")
    fill_section(PROJECT_DATA / "claims" / "DATASHEET.md", "counts", coverage_markdown(stats))
    failed = [name for name, _, met in rows if not met]
    if failed:
        console.print(f"[red]{len(failed)} requirement(s) not met[/]")
        raise typer.Exit(1)
    console.print("[green]all requirements met[/]")


if __name__ == "__main__":
    typer.run(main)
