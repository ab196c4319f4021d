"""End-to-end speed on a CPU: articles/s, sentences/s and peak memory, model loaded once.

python scripts/benchmark.py --model runs/default --out reports/BENCHMARK.md
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
import typer  # noqa: E402
from rich.console import Console  # noqa: E402

from model.extractor import ClaimExtractor  # noqa: E402
from model.records import iter_records  # noqa: E402
from training.corpora import PROJECT_DATA  # noqa: E402


def main(
    model: Path = typer.Option(Path("runs/default"), help="Checkpoint folder."),
    articles: Path = typer.Option(
        PROJECT_DATA / "benchmark" / "articles.jsonl",
        help="JSONL articles (team-written, ~600 words each).",
    ),
    batch_size: int = typer.Option(8, help="Articles per batch."),
    threads: int = typer.Option(None, help="torch threads (default: all cores)."),
    limit: int = typer.Option(None, help="Only the first N articles (slow configurations)."),
    precision: str = typer.Option(
        "auto", help="auto | fp32 | bf16 (bf16 where the CPU has it natively)."
    ),
    out: Path = typer.Option(Path("reports/BENCHMARK.md"), help="Markdown report to write."),
):
    console = Console()
    if threads:
        torch.set_num_threads(threads)
    records = [r.article for r in iter_records([articles]) if r.article is not None][:limit]
    words = sum(len(a.text.split()) for a in records)
    started = time.perf_counter()
    extractor = ClaimExtractor.load(model, device="cpu", precision=precision)
    list(extractor.predict_many(records[:2], batch_size=2))  # warm up spaCy and torch
    load_seconds = time.perf_counter() - started
    extractor.pairs_scored = 0
    started = time.perf_counter()
    predicted = list(extractor.predict_many(records, batch_size=batch_size))
    seconds = time.perf_counter() - started
    sentences = sum(len(a.sentences or ()) for a in predicted)
    result = {
        "date": date.today().isoformat(),
        "model": str(model),
        "articles": len(records),
        "words": words,
        "sentences": sentences,
        "claims": sum(len(a.claims) for a in predicted),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(records) / seconds, 2),
        "sentences_per_second": round(sentences / seconds, 1),
        "pairs_scored": extractor.pairs_scored,
        "pairs_per_second": round(extractor.pairs_scored / seconds, 1),
        "pair_encoding": extractor.network.config.pair_encoding,
        "networks": len(getattr(extractor.network, "members", [extractor.network])),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_and_warmup_seconds": round(load_seconds, 1),
        "torch_threads": torch.get_num_threads(),
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "batch_size": batch_size,
        "precision": extractor.precision,
    }
    console.print_json(json.dumps(result))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    out.write_text(
        "# Speed\n\nWritten by `scripts/benchmark.py` (`make benchmark`): the whole pipeline "
        "(spaCy, encoder, pair scoring, actor resolution) on the team-written benchmark "
        "articles, model loaded once, on the CPU at the precision below.\n\n"
        "| measure | value |\n|---|---|\n"
        + "\n".join(f"| {key} | {value} |" for key, value in result.items())
        + "\n\n"
        f"Command: `python scripts/benchmark.py --model {model} --batch-size {batch_size}"
        + (f" --limit {limit}" if limit else "")
        + "`\n"
    )


if __name__ == "__main__":
    typer.run(main)
