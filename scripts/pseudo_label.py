"""Self-training data: a checkpoint's claims on unlabeled articles, as a `pseudo` corpus.

Writes OUT/train.jsonl (the own corpus's format) and OUT/report.json (counts, skipped
records). A config trains on it with `data.corpora.pseudo: {weight: W, path: OUT}`.
Unreadable records are reported and skipped; the run goes on.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: E402

from model.extractor import ClaimExtractor, checkpoint_path  # noqa: E402
from model.records import iter_records  # noqa: E402
from model.schema import write_jsonl  # noqa: E402
from training.self_training import pseudo_label  # noqa: E402


def main(
    inputs: list[Path] = typer.Argument(
        ..., help="Unlabeled articles: .txt files, folders of .txt, or JSONL (id, text)."
    ),
    out: Path = typer.Option(..., help="Folder for train.jsonl and report.json."),
    model: Path = typer.Option(None, help="Teacher checkpoint (default: runs/default)."),
    min_score: float = typer.Option(
        0.98, help="Claims scored lower keep their spans but no label (no stance loss)."
    ),
    limit: int = typer.Option(None, help="Label at most this many articles."),
    batch_size: int = typer.Option(8, help="Articles per batch."),
    device: str = typer.Option("auto", help="auto | cpu | cuda"),
):
    console = Console(stderr=True)
    extractor = ClaimExtractor.load(model, device=device)
    records = list(iter_records(inputs))[:limit]
    bad = [f"{r.where}: {r.error}" for r in records if r.error]
    errors: list[ValueError] = []
    counts = {"read": 0}
    with Progress(
        TextColumn("[bold]pseudo-label"), BarColumn(), MofNCompleteColumn(), console=console
    ) as bar:
        task = bar.add_task("label", total=len(records) - len(bad))

        def advance(_article) -> None:
            counts["read"] += 1
            bar.advance(task)

        articles = [r.article for r in records if not r.error]
        labelled = list(pseudo_label(extractor, articles, min_score, batch_size, errors, advance))
    bad += [str(error) for error in errors]
    for problem in bad:
        console.print(f"[red]skipped[/] {problem}")
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(labelled, out / "train.jsonl")
    claims = [claim for article in labelled for claim in article.claims]
    report = {
        "teacher": str(checkpoint_path(model)),
        "inputs": [str(path) for path in inputs],
        "min_score": min_score,
        "articles_read": counts["read"],
        "articles_kept": len(labelled),
        "sentences_kept": sum(len(article.sentences or ()) for article in labelled),
        "claims_labelled": sum(claim.stance is not None for claim in claims),
        "claims_unlabelled": sum(claim.stance is None for claim in claims),
        "skipped": bad,
    }
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    console.print(
        f"{report['articles_kept']} of {report['articles_read']} articles kept, "
        f"{report['claims_labelled']} labelled and {report['claims_unlabelled']} unlabelled "
        f"claims, {len(bad)} records skipped -> {out / 'train.jsonl'}"
    )


if __name__ == "__main__":
    typer.run(main)
