"""Train every variant of a sweep file and write their dev numbers (JSON and a table)."""

import json
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402

from training.sweep import load_sweep, markdown, run_sweep  # noqa: E402


def main(
    sweep: Path = typer.Option(Path("configs/sweeps/levers.yaml"), help="Sweep YAML."),
    out: Path = typer.Option(Path("reports/sweeps"), help="Folder for NAME.json and NAME.md."),
    runs: Path = typer.Option(Path("runs"), help="Where each variant's checkpoint goes."),
    only: list[str] = typer.Option([], help="Run only these variants."),
):
    console = Console()
    spec = load_sweep(sweep)
    results = run_sweep(spec, runs, f"sweep-{sweep.stem}", only or None, console.print)
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"{sweep.stem}.json"
    previous = json.loads(json_path.read_text()) if json_path.exists() else {}
    results = {**previous, **results}  # --only adds to earlier variants' rows
    json_path.write_text(json.dumps(results, indent=2))
    command = f"python scripts/sweep.py --sweep {sweep}"
    (out / f"{sweep.stem}.md").write_text(markdown(spec, results, command))
    console.print(f"written to {out / sweep.stem}.md")


if __name__ == "__main__":
    typer.run(main)
