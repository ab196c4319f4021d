"""Sweeps: one base config, named variants of `--set` overrides, one table of dev numbers.

Each variant trains into `runs/<prefix>-<variant>` with the normal trainer and is scored by
what training itself measures on dev (the mean primary metric, each corpus's primary metric,
the own corpus's pair-label macro-F1 and, after threshold tuning, its end-to-end claim F1).
A variant whose folder already holds a finished run of the identical config is read, not
trained again, so a long sweep can be continued and a finished run can join a sweep.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from training.config import ConfigError, RunConfig, load_config
from training.trainer import train


@dataclass
class Sweep:
    base: Path
    overrides: list[str]
    variants: dict[str, list[str]]


def load_sweep(path: str | Path) -> Sweep:
    data = yaml.safe_load(Path(path).read_text())
    unknown = set(data) - {"base", "overrides", "variants"}
    if unknown or "base" not in data or not data.get("variants"):
        raise ConfigError(
            f"{path}: a sweep has 'base', 'variants' and optional 'overrides'"
            + (f"; unknown keys: {', '.join(sorted(unknown))}" if unknown else "")
        )
    return Sweep(
        Path(data["base"]),
        list(data.get("overrides") or []),
        {name: list(values or []) for name, values in data["variants"].items()},
    )


def summary(metrics: dict) -> dict[str, float | None]:
    dev = metrics.get("dev", {})
    claims = dev.get("claims", {})
    return {
        "dev_primary": dev.get("overall", {}).get("primary"),
        **{
            f"{corpus}_primary": scores.get("primary")
            for corpus, scores in dev.items()
            if corpus not in {"overall", "claims"}
        },
        "cameo_source_exact_f1": dev.get("cameo", {}).get("SOURCE/exact_f1"),
        "cameo_target_exact_f1": dev.get("cameo", {}).get("TARGET/exact_f1"),
        "pair_label_macro_f1": claims.get("pair_label/macro_f1"),
        "own_source_exact_f1": claims.get("SOURCE/exact_f1"),
        "own_target_exact_f1": claims.get("TARGET/exact_f1"),
        "own_cue_overlap_f1": claims.get("CUE/overlap_f1"),
        "detection_f1": claims.get("detection/claim/f1"),
        "claim_f1_end_to_end": metrics.get("claims_dev_end_to_end", {}).get("claim_f1"),
        "claim_f1_cross_fitted": metrics.get("claims_dev_end_to_end", {}).get(
            "claim_f1_cross_fitted"
        ),
        "seconds_per_step": metrics.get("seconds_per_step"),
        "steps": metrics.get("steps_run"),
        "minutes": metrics.get("wall_minutes"),
    }


def finished_metrics(folder: Path, config: RunConfig) -> dict | None:
    """The metrics of a finished run in `folder` trained from exactly `config`, if any."""
    if not (folder / "metrics.json").exists() or not (folder / "config.yaml").exists():
        return None
    if load_config(folder / "config.yaml").to_dict() != config.to_dict():
        return None
    return json.loads((folder / "metrics.json").read_text())


def run_sweep(
    sweep: Sweep, runs: Path, prefix: str, only: list[str] | None = None, report=print
) -> dict[str, dict]:
    results = {}
    for name, overrides in sweep.variants.items():
        if only and name not in only:
            continue
        config = load_config(sweep.base, sweep.overrides + overrides)
        folder = runs / f"{prefix}-{name}"
        metrics = finished_metrics(folder, config)
        report(f"{name}: {' '.join(overrides) or '(base config)'}" + (" (read)" if metrics else ""))
        if metrics is None:
            metrics = train(config, folder, report=lambda message: None)
        results[name] = {"overrides": overrides, **summary(metrics)}
        report(f"{name}: {json.dumps(results[name])}")
    return results


OPTIONAL_COLUMNS = {
    "cameo_source_exact_f1",
    "cameo_target_exact_f1",
    "own_source_exact_f1",
    "own_target_exact_f1",
    "own_cue_overlap_f1",
    "claim_f1_end_to_end",
    "claim_f1_cross_fitted",
    "seconds_per_step",
}


def columns(results: dict[str, dict]) -> list[str]:
    """The table's score columns; an optional one that no run measured is left out."""
    per_corpus = sorted(
        {c for row in results.values() for c in row if c.endswith("_primary")} - {"dev_primary"}
    )
    wanted = [
        "dev_primary",
        *per_corpus,
        "cameo_source_exact_f1",
        "cameo_target_exact_f1",
        "pair_label_macro_f1",
        "own_source_exact_f1",
        "own_target_exact_f1",
        "own_cue_overlap_f1",
        "detection_f1",
        "claim_f1_end_to_end",
        "claim_f1_cross_fitted",
        "seconds_per_step",
    ]
    return [
        c
        for c in wanted
        if c not in OPTIONAL_COLUMNS or any(row.get(c) is not None for row in results.values())
    ]


def _cells(row: dict, names: list[str]) -> str:
    return " | ".join(f"{row[c]:.3f}" if row.get(c) is not None else "n/a" for c in names)


def markdown(sweep: Sweep, results: dict[str, dict], command: str) -> str:
    names = columns(results)
    shared = ", ".join(f"`{o}`" for o in sweep.overrides) or "no overrides"
    lines = [
        f"Base `{sweep.base}` with {shared}.",
        "",
        "| variant | overrides | " + " | ".join(names) + " | steps | minutes |",
        "|---|---|" + "---|" * (len(names) + 2),
    ]
    for name, row in results.items():
        lines.append(
            f"| {name} | {' '.join(f'`{o}`' for o in row['overrides']) or '-'} | "
            + _cells(row, names)
            + f" | {row['steps']} | {row['minutes']} |"
        )
    lines += ["", f"Command: `{command}`"]
    return "\n".join(lines) + "\n"


def compare_runs(labelled: list[tuple[str, Path]]) -> dict[str, dict]:
    """Finished runs (label, folder) -> one summary row each, plus the mean of each label's
    runs: how runs trained elsewhere (another machine, seeds of one variant) join a table."""
    rows: dict[str, dict] = {}
    for label, folder in labelled:
        metrics_path = Path(folder) / "metrics.json"
        if not metrics_path.exists():
            raise FileNotFoundError(f"{folder}: no metrics.json, so not a finished run")
        rows[str(folder)] = {"label": label, **summary(json.loads(metrics_path.read_text()))}
    for label in dict.fromkeys(label for label, _ in labelled):
        group = [row for row in rows.values() if row["label"] == label]
        if len(group) < 2:
            continue
        mean = {"label": label, "runs": len(group)}
        for key, value in group[0].items():
            values = [row.get(key) for row in group]
            if isinstance(value, (int, float)) and all(isinstance(v, (int, float)) for v in values):
                mean[key] = sum(values) / len(values)
        rows[f"mean of {label}"] = mean
    return rows


def comparison_markdown(rows: dict[str, dict], command: str) -> str:
    names = columns(rows)
    lines = [
        "| run | label | " + " | ".join(names) + " | steps |",
        "|---|---|" + "---|" * (len(names) + 1),
    ]
    for name, row in rows.items():
        steps = f"{row['steps']:.0f}" if row.get("steps") is not None else "n/a"
        title = f"**{name}** ({row['runs']})" if "runs" in row else f"`{name}`"
        lines.append(f"| {title} | {row['label']} | " + _cells(row, names) + f" | {steps} |")
    lines += ["", f"Command: `{command}`"]
    return "\n".join(lines) + "\n"
