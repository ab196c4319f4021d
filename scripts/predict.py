"""Label articles with claims: .txt files, folders or JSONL in; JSONL, CSV or a table out.

A bad record (empty, not text, not UTF-8, too long) becomes an error row with its id and
reason and the run goes on; `--resume` skips ids already in the output file.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import sys  # noqa: E402
from itertools import islice  # noqa: E402
from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: E402
from rich.table import Table  # noqa: E402

from model.extractor import ClaimExtractor  # noqa: E402
from model.output import Writer, done_ids, drop_torn_tail  # noqa: E402
from model.records import iter_records  # noqa: E402
from model.schema import Article  # noqa: E402


def batched(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def show_table(console: Console, article: Article, gold: Article | None) -> None:
    table = Table(title=f"{article.id}  ({len(article.claims)} claims)", show_lines=False)
    for column in ("source", "→ target", "stance", "mode", "type", "cue", "conf"):
        table.add_column(column)
    for claim in article.claims:

        def who(mention):
            actor = mention.actor
            code = (
                f" [dim]{actor.country or ''}{(' ' + actor.sector) if actor.sector else ''}[/]"
                if actor and (actor.country or actor.sector)
                else ""
            )
            name = actor.name if actor and actor.name.lower() != mention.text.lower() else ""
            return f"{mention.text}" + (f" [dim]({name})[/]" if name else "") + code

        color = {"cooperative": "green", "adversarial": "red"}.get(claim.stance.value, "yellow")
        table.add_row(
            who(claim.source),
            who(claim.target),
            f"[{color}]{claim.stance.value}[/]",
            claim.mode.value,
            claim.event_type.value if claim.event_type else "",
            claim.cue.text if claim.cue else "",
            f"{claim.score:.2f}",
        )
    console.print(table)
    if gold is not None:
        from training.metrics import claim_counts

        tp, n_pred, n_gold = claim_counts(gold, article)
        console.print(
            f"  against the gold annotation: {tp} of {n_gold} gold claims found, "
            f"{n_pred - tp} predicted claims not in gold\n"
        )


def main(
    inputs: list[Path] = typer.Argument(
        ..., help=".txt files, folders of .txt, or JSONL (id, text, optional meta.date)."
    ),
    model: Path = typer.Option(
        None, help="Checkpoint folder (default: $CLAIMSTANCE_MODEL or runs/default)."
    ),
    output: Path = typer.Option(None, "--output", "-o", help="Output file (JSONL or CSV)."),
    fmt: str = typer.Option("table", "--format", help="jsonl | csv | table"),
    min_confidence: float = typer.Option(0.0, help="Drop claims scored below this."),
    batch_size: int = typer.Option(8, help="Articles per batch."),
    device: str = typer.Option("auto", help="auto | cpu | cuda"),
    precision: str = typer.Option(
        "auto", help="auto | fp32 | bf16 (bf16 where the CPU or GPU has it natively)."
    ),
    resume: bool = typer.Option(False, help="Skip ids already in --output."),
    gold: bool = typer.Option(False, help="Table: compare with claims in the input JSONL."),
):
    console = Console(stderr=fmt != "table")
    if fmt not in {"jsonl", "csv", "table"}:
        raise typer.BadParameter("--format must be jsonl, csv or table")
    if resume and output is None:
        raise typer.BadParameter("--resume needs --output")
    extractor = ClaimExtractor.load(model, device=device, precision=precision)
    skip = done_ids(output, fmt) if resume and output else set()
    if resume and output:
        drop_torn_tail(output)
    handle = None
    writer = None
    if fmt != "table":
        if output:
            append = resume and output.exists()
            handle = output.open("a" if append else "w", encoding="utf-8", newline="")
            writer = Writer(handle, fmt, write_header=not append or output.stat().st_size == 0)
        else:
            writer = Writer(sys.stdout, fmt, write_header=True)
    counts = {"articles": 0, "claims": 0, "errors": 0, "skipped": 0}
    records = [r for r in iter_records(inputs)]
    with Progress(
        TextColumn("[bold]predict"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("predict", total=len(records))
        for chunk in batched(records, batch_size):
            todo = [r for r in chunk if r.id not in skip and not r.error]
            predicted = dict(
                zip(
                    (r.id for r in todo),
                    extractor.predict_many([r.article for r in todo], batch_size=batch_size),
                )
            )
            for record in chunk:  # output in input order
                if record.id in skip:
                    counts["skipped"] += 1
                    continue
                if record.error:
                    counts["errors"] += 1
                    console.print(f"[red]skipped[/] {record.where}: {record.error}")
                    if writer:
                        writer.error(record)
                    continue
                article = predicted[record.id]
                claims = tuple(c for c in article.claims if (c.score or 0) >= min_confidence)
                article = Article(article.id, article.text, article.meta, claims, article.sentences)
                counts["articles"] += 1
                counts["claims"] += len(claims)
                if writer:
                    writer.article(article)
                else:
                    show_table(console, article, record.article if gold else None)
            bar.advance(task, len(chunk))
    if handle:
        handle.close()
    Console(stderr=True).print(", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    typer.run(main)
