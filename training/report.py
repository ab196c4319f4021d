"""reports/ACCURACY.md from the result files that `scripts/evaluate.py` writes."""

from __future__ import annotations

import json
from pathlib import Path

ANCHORS = """\
Published anchors, for context only (other test data, other models; not comparable to
the dev numbers above):

| source | benchmark | metric | value |
|---|---|---|---|
| ConfliBERT paper (Hu et al., 2022): BERT-base-uncased | CAMEO test | macro-F1 | 86.44 |
| ConfliBERT paper: ConfliBERT | CAMEO test | pentaclass macro-F1 | 87.88 |
| ConfliBERT paper | CAMEO test | source / target span F1 | 74.45 / 72.29 |
| Zero-shot PLOVER (roberta-large-mnli) | PLV test | PLOVER type macro-F1 | 0.824 |
"""


def slug(system: str) -> str:
    return system.replace("baseline:", "baseline-").replace("/", "_").strip("_.")


def result_path(out_dir: Path, result: dict) -> Path:
    return (
        out_dir
        / "results"
        / f"{slug(result['system'])}__{result['benchmark']}__{result['split']}.json"
    )


def write_result(out_dir: Path, result: dict) -> Path:
    path = result_path(out_dir, result)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))
    return path


def fmt(value: float, interval: list[float] | None) -> str:
    text = f"{value:.3f}"
    return f"{text} [{interval[0]:.3f}, {interval[1]:.3f}]" if interval else text


def build_report(out_dir: Path, commands: dict[str, str]) -> str:
    from training.benchmarks import BENCHMARKS

    results = [json.loads(p.read_text()) for p in sorted((out_dir / "results").glob("*.json"))]
    lines = [
        "# Accuracy",
        "",
        "Written by `make evaluate` (`scripts/evaluate.py --all`). Every number is measured "
        "on a dev split carved from the public train data (the standard test splits are "
        "withheld from this project); values are point estimates with bootstrap 95% "
        "intervals (1,000 resamples of articles, or of sentences where a corpus has no "
        "articles, seed 13). A dev split is not the test split: expect test numbers to be "
        "lower, and the CAMEO test split in particular, which leans on codebook-style "
        "sentences.",
        "",
    ]
    for system in sorted({r["system"] for r in results}):
        meta_path = Path(system) / "meta.json"
        if not system.startswith("baseline:") and meta_path.exists():
            meta = json.loads(meta_path.read_text())
            scored_in = sorted(
                {r.get("precision", "fp32") for r in results if r.get("system") == system}
            )
            lines += [
                f"Checkpoint `{system}`: run `{meta.get('name')}`, git {meta.get('git_sha')}, "
                f"kept step {meta.get('step')}, {meta.get('train_minutes')} minutes "
                f"of training on {meta.get('device')} in {meta.get('precision', 'fp32')}; "
                f"scored in {' and '.join(scored_in)}.",
                "",
            ]
    for name, benchmark in BENCHMARKS.items():
        rows = [r for r in results if r["benchmark"] == name]
        if not rows:
            continue
        metrics = list(benchmark.headline)
        lines += [
            f"## {name}",
            "",
            "| system | split | units | seen in training (left out) | "
            + " | ".join(metrics)
            + " |",
            "|---|---|---|---|" + "---|" * len(metrics),
        ]
        for r in rows:
            cells = [
                fmt(r["scores"][m], r["ci95"].get(m)) if m in r["scores"] else "n/a"
                for m in metrics
            ]
            lines.append(
                f"| `{r['system']}` | {r['split']} | {r['units']} {r['unit']}s | "
                f"{r['seen_in_training']} ({r.get('seen_excluded', 0)}) | "
                + " | ".join(cells)
                + " |"
            )
        lines += ["", f"Date {rows[0]['date']}. Command: `{commands.get(name, '')}`", ""]
    behaviour = [r for r in results if r["benchmark"] == "behaviour"]
    for r in behaviour:
        lines += ["## behaviour", "", "| test | cases | passed | pass rate |", "|---|---|---|---|"]
        for test, v in r["results"].items():
            lines.append(f"| {test} | {v['cases']} | {v['passed']} | {v['pass_rate']:.3f} |")
        lines += ["", f"System `{r['system']}`, {r['split']} split, {r['date']}.", ""]
    for r in [r for r in results if r["benchmark"] == "actors"]:
        lines += [
            "## actor resolution (gazetteer + coreference)",
            "",
            "Gold source and target mentions of the own corpus, resolved in text order; "
            "`pronoun or title` mentions need coreference.",
            "",
            "| mentions | n | exact actor | country + sector | country | unresolved |",
            "|---|---|---|---|---|---|",
        ]
        for kind, v in r["results"].items():
            lines.append(
                f"| {kind} | {v['mentions']} | {v['exact_accuracy']:.3f} | "
                f"{v['code_accuracy']:.3f} | {v['country_accuracy']:.3f} | {v['unresolved']} |"
            )
        lines += ["", f"{r['split']} split, {r['date']}.", ""]
    lines += [ANCHORS]
    report = "\n".join(lines)
    (out_dir / "ACCURACY.md").write_text(report)
    return report


def fill_section(path: Path, name: str, markdown: str) -> None:
    """Replace the text between `<!-- name:start -->` and `<!-- name:end -->` in a file."""
    text = path.read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"{path} has no {start} ... {end} section")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{markdown.strip()}\n{end}{tail}", encoding="utf-8")


def coverage_markdown(stats: dict) -> str:
    """The datasheet's counts section."""

    def table(title: str, counts: dict) -> str:
        rows = " | ".join(f"{k} {v}" for k, v in counts.items())
        return f"- **{title}**: {rows}"

    low, high = stats["sentences per article (min, max)"]
    split = stats["articles per split"]
    return "\n".join(
        [
            f"- **Articles** {stats['articles']} (train {split['train']}, "
            f"dev {split['dev']}, test {split['test']}); "
            f"styles: {', '.join(f'{k} {v}' for k, v in stats['styles'].items())}; "
            f"{stats['sentences']} sentences ({low}-{high} per article).",
            f"- **Claims** {stats['claims']}; {stats['countries']} countries as source or target; "
            f"{stats['cue lemmas']} distinct cue lemmas.",
            table("Labels", stats["labels"]),
            table("PLOVER types", stats["event types"]),
            table(
                "Sectors (mentions as source or target; IGO = international organisations)",
                stats["sectors"],
            ),
            table("Hard cases (claims)", stats["hard cases"]),
            f"- **True negatives**: {stats['true-negative sentences']} sentences "
            f"({stats['true-negative sentence share']:.1%}) hold two or more actor candidates "
            f"and no claim.",
        ]
    )


def agreement_markdown(scores: dict) -> str:
    """The datasheet's agreement section."""
    return "\n".join(
        [
            "| measure | value |",
            "|---|---|",
            f"| articles annotated twice | {scores['articles']} |",
            f"| claims: first / second annotator / matched pairs | {scores['claims_first']} / "
            f"{scores['claims_second']} / {scores['matched']} |",
            f"| pair F1 (source and target agree) | {scores['pair_f1']:.3f} |",
            f"| claim F1 (pair and stance agree) | {scores['claim_f1']:.3f} |",
            f"| Cohen's kappa, stance, matched pairs | {scores['stance_kappa']:.3f} |",
            f"| Cohen's kappa, pentaclass, matched pairs | {scores['label_kappa']:.3f} |",
        ]
    )


TARGETS = {
    ("claims", "claim/f1"): ("own claim F1", 0.75),
    ("claims", "pair_label/macro_f1"): ("own pair label", 0.85),
    ("cameo-class", "sentence/macro_f1"): ("CAMEO sentences", 0.89),
    ("cameo-spans", "SOURCE/exact_f1"): ("CAMEO source spans", 0.77),
    ("cameo-spans", "TARGET/exact_f1"): ("CAMEO target spans", 0.77),
    ("plv", "pair_label/macro_f1"): ("PLV pentaclass", 0.93),
    ("plv", "event/macro_f1"): ("PLOVER type", 0.84),
    ("aw", "binary/macro_f1"): ("AW binary", 0.92),
    ("directed-sentiment", "five_class/macro_f1"): ("directed sentiment", 0.50),
}
"""Issue #4's dev targets: (benchmark, metric) -> (name, target)."""


def target_rows(labelled: list[tuple[str, Path]]) -> dict[str, dict]:
    """Evaluation result files (label, file or folder of `scripts/evaluate.py` JSONs) -> one
    row per scored system with its value for each target, plus each label's mean over its
    systems: how separate runs (seeds, variants, ensembles) line up against the targets.
    Other JSON files in a folder (a run's metrics.json beside its results) are passed over;
    a named file that is no result file is a ValueError."""
    rows: dict[str, dict] = {}
    for label, path in labelled:
        folder = Path(path).is_dir()
        for file in sorted(Path(path).glob("*.json")) if folder else [Path(path)]:
            result = json.loads(file.read_text())
            if not {"system", "benchmark"} <= set(result):
                if folder:
                    continue
                raise ValueError(f"{file}: not a scripts/evaluate.py result file")
            row = rows.setdefault(result["system"], {"label": label})
            for (benchmark, metric), (name, _) in TARGETS.items():
                if result.get("benchmark") == benchmark and metric in result.get("scores", {}):
                    row[name] = result["scores"][metric]
    for label in dict.fromkeys(label for label, _ in labelled):
        group = [row for row in rows.values() if row["label"] == label]
        if len(group) > 1:
            mean = {"label": label, "runs": len(group)}
            for name, _ in TARGETS.values():
                values = [row[name] for row in group if name in row]
                if len(values) == len(group):
                    mean[name] = sum(values) / len(values)
            rows[f"mean of {label}"] = mean
    return rows


def target_markdown(rows: dict[str, dict], command: str) -> str:
    """Targets as rows, systems as columns, the target itself last."""
    systems = list(rows)
    header = " | ".join(
        f"**{s}** ({rows[s]['runs']})" if "runs" in rows[s] else f"`{s}` ({rows[s]['label']})"
        for s in systems
    )
    lines = [f"| target | {header} | target |", "|---|" + "---|" * (len(systems) + 1)]
    for name, goal in TARGETS.values():
        cells = [f"{rows[s][name]:.3f}" if name in rows[s] else "–" for s in systems]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {goal} |")
    return "\n".join(lines + ["", f"Command: `{command}`"]) + "\n"


def labelled_paths(items: list[str], must_exist: bool = False) -> list[tuple[str, Path]]:
    """`LABEL=PATH` arguments as (label, path) pairs; a ValueError quotes a malformed one
    (or, with `must_exist`, one whose path is missing)."""
    labelled = []
    for item in items:
        label, sep, path = item.partition("=")
        if not sep or not label or not path or (must_exist and not Path(path).exists()):
            raise ValueError(f"{item!r}: expected LABEL={'EXISTING_' if must_exist else ''}PATH")
        labelled.append((label, Path(path)))
    return labelled


def write_table(out: Path, rows: dict, markdown: str) -> Path:
    """A comparison as OUT.json (the rows) and OUT.md; returns the markdown file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(rows, indent=2))
    out.with_suffix(".md").write_text(markdown)
    return out.with_suffix(".md")
