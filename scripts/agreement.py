"""Agreement between two independent annotations of the same articles (authoring format),
and the list of disagreements to adjudicate.

Both annotations are kept frozen in data/claims/agreement/ as they were before adjudication
(the gold in data/claims/source/ has since been corrected), so the figures reproduce.
"""

import csv
import json
from pathlib import Path

import typer
from rich.console import Console

from training.agreement import agreement
from training.corpora import PROJECT_DATA
from training.corpora.authoring import read_authoring
from training.report import agreement_markdown, fill_section

AGREEMENT = PROJECT_DATA / "claims" / "agreement"


def main(
    second: Path = typer.Option(
        AGREEMENT / "second_annotation.authoring.jsonl", help="The second annotator's file."
    ),
    first: Path = typer.Option(
        AGREEMENT / "first_annotation.authoring.jsonl",
        help="The first annotator's file, as it was before adjudication.",
    ),
    out: Path = typer.Option(AGREEMENT, help="Folder for agreement.json, disagreements.csv."),
):
    seconds = list(read_authoring(second))
    firsts = list(read_authoring(first))
    scores, rows = agreement(firsts, seconds)
    out.mkdir(parents=True, exist_ok=True)
    (out / "agreement.json").write_text(json.dumps(scores, indent=2) + "\n")
    with (out / "disagreements.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["article", "sentence", "kind", "first", "second"]
        )
        writer.writeheader()
        writer.writerows(rows)
    fill_section(PROJECT_DATA / "claims" / "DATASHEET.md", "agreement", agreement_markdown(scores))
    Console().print_json(json.dumps(scores))
    Console().print(f"{len(rows)} disagreements written to {out / 'disagreements.csv'}")


if __name__ == "__main__":
    typer.run(main)
