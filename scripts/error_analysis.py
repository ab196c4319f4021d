"""Count where end-to-end claim errors come from on annotated articles (default: the own
corpus's dev split) and write the table to reports/ERRORS.md."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402

from model.extractor import ClaimExtractor  # noqa: E402
from model.schema import read_jsonl  # noqa: E402
from training.corpora import CORPORA  # noqa: E402
from training.errors import claim_errors, markdown  # noqa: E402


def main(
    model: Path = typer.Option(Path("runs/default"), help="Checkpoint folder."),
    gold: Path = typer.Option(None, help="Annotated JSONL (default: data/claims/dev.jsonl)."),
    out: Path = typer.Option(Path("reports/ERRORS.md"), help="Where the table goes."),
):
    articles = list(read_jsonl(gold)) if gold else list(CORPORA["claims"].load("dev"))
    extractor = ClaimExtractor.load(model, device="cpu")
    predicted = list(extractor.predict_many(articles))
    extractor.thresholds = dict.fromkeys(extractor.thresholds, 0.0)
    scored = list(extractor.predict_many(articles))
    counts = claim_errors(articles, predicted, scored)
    header = (
        f"# End-to-end claim errors\n\nCheckpoint `{model}` on {len(articles)} articles "
        f"({gold or 'the own corpus dev split'}), {date.today().isoformat()}. "
        f"Command: `python scripts/error_analysis.py --model {model}`."
    )
    table = markdown(counts, header)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table)
    Console().print(table)


if __name__ == "__main__":
    typer.run(main)
