"""Score a checkpoint or a baseline on a benchmark split, with bootstrap 95% intervals.

    python scripts/evaluate.py --model runs/default --benchmark plv --split dev
    python scripts/evaluate.py --model baseline:tfidf --benchmark cameo-class --split dev
    python scripts/evaluate.py --model runs/default --benchmark plv --split test \\
        --file /path/to/PLV_test.tsv      # a withheld test file, in the train file's format
    python scripts/evaluate.py --all --model runs/default --out reports   # reports/ACCURACY.md
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import json  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from training.baselines import BASELINES  # noqa: E402
from training.benchmarks import (  # noqa: E402
    BENCHMARKS,
    LeakageError,
    actor_resolution,
    behaviour,
    run_benchmark,
)
from training.corpora import MissingData  # noqa: E402
from training.report import build_report, write_result  # noqa: E402


def show(console: Console, result: dict) -> None:
    table = Table(
        title=f"{result['system']} on {result['benchmark']} ({result['split']}, "
        f"{result['units']} {result['unit']}s)"
    )
    table.add_column("metric")
    table.add_column("value")
    table.add_column("95% CI")
    for metric, value in result["scores"].items():
        if "/" in metric and metric.split("/")[1] in {
            "macro_f1",
            "accuracy",
            "f1",
            "exact_f1",
            "overlap_f1",
            "precision",
            "recall",
        }:
            ci = result["ci95"].get(metric)
            table.add_row(metric, f"{value:.4f}", f"[{ci[0]:.4f}, {ci[1]:.4f}]" if ci else "")
    console.print(table)
    if result.get("seen_excluded"):
        console.print(f"{result['seen_excluded']} sentences seen in training were left out")
    if result["seen_in_training"]:
        console.print(
            f"[yellow]{result['seen_in_training']} evaluated sentences were seen in "
            f"training (--allow-overlap)[/]"
        )


def main(
    model: str = typer.Option(
        "runs/default",
        help="Checkpoint folder or baseline:majority|baseline:tfidf|baseline:lexicon.",
    ),
    benchmark: str = typer.Option(None, help=f"One of {', '.join(BENCHMARKS)}, behaviour, actors."),
    split: str = typer.Option("dev", help="dev | test"),
    data_dir: Path = typer.Option(None, help="External corpora (default $CLAIMSTANCE_DATA)."),
    file: list[Path] = typer.Option([], help="Evaluate this file (benchmark's format)."),
    out: Path = typer.Option(Path("reports"), help="Folder for results/ and ACCURACY.md."),
    allow_overlap: bool = typer.Option(False, help="Score even if texts were seen in training."),
    exclude_seen: bool = typer.Option(
        False, help="Score only texts not seen in training (--all always does)."
    ),
    petrarch_verbs: Path = typer.Option(
        None, help="PETRARCH verb dictionary for baseline:lexicon."
    ),
    device: str = typer.Option("cpu", help="cpu | cuda"),
    precision: str = typer.Option(
        "auto", help="auto | fp32 | bf16 (bf16 where the CPU or GPU has it natively)."
    ),
    all_: bool = typer.Option(
        False,
        "--all",
        help="Every benchmark, the model and all baselines, dev split; write ACCURACY.md.",
    ),
):
    console = Console()
    if all_:
        commands = {}
        for name in BENCHMARKS:
            for system in (model, *BASELINES):
                if name in {"cameo-spans", "polnear"} and system in BASELINES:
                    continue  # the text baselines do not tag spans
                try:
                    result = run_benchmark(
                        system,
                        name,
                        "dev",
                        data_dir,
                        petrarch_verbs=petrarch_verbs,
                        device=device,
                        exclude_seen=True,
                        precision=precision,
                    )
                except MissingData as missing:
                    console.print(f"[yellow]{name}: {missing}[/]")
                    break
                write_result(out, result)
                show(console, result)
            commands[name] = (
                f"python scripts/evaluate.py --model SYSTEM --benchmark {name} --split dev "
                "--exclude-seen"
            )
        write_result(out, behaviour(Path(model), "dev", device, precision=precision))
        write_result(out, actor_resolution("dev"))
        commands["all"] = "python " + " ".join(shlex.quote(a) for a in sys.argv)
        build_report(out, commands)
        console.print(f"wrote {out / 'ACCURACY.md'}")
        return
    if benchmark is None:
        raise typer.BadParameter("give --benchmark NAME or --all")
    if benchmark == "actors":
        result = actor_resolution(split)
        console.print_json(json.dumps(result))
        write_result(out, result)
        return
    if benchmark == "behaviour":
        result = behaviour(Path(model), split, device, precision=precision)
        console.print_json(json.dumps(result))
        write_result(out, result)
        return
    if benchmark not in BENCHMARKS:
        raise typer.BadParameter(f"unknown benchmark {benchmark!r}")
    try:
        result = run_benchmark(
            model,
            benchmark,
            split,
            data_dir,
            files=list(file) or None,
            allow_overlap=allow_overlap,
            petrarch_verbs=petrarch_verbs,
            device=device,
            exclude_seen=exclude_seen,
            precision=precision,
        )
    except (LeakageError, MissingData) as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    show(console, result)
    console.print(f"written to {write_result(out, result)}")


if __name__ == "__main__":
    typer.run(main)
