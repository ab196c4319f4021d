"""How much a distillation teacher's soft labels say beyond the gold ones: its stance
distributions' agreement with gold on training sentences (what a student distils from)
against dev sentences (what it never saw), per corpus (reports/sweeps/distill.md)."""

import json
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from transformers import AutoTokenizer  # noqa: E402

from model.ensemble import load_network  # noqa: E402
from model.precision import resolve_precision  # noqa: E402
from training.config import load_config  # noqa: E402
from training.dataset import load_splits  # noqa: E402
from training.distill import gold_agreement  # noqa: E402


def main(
    teacher: Path = typer.Argument(..., help="Checkpoint or ensemble folder."),
    out: Path = typer.Option(..., help="JSON file to write."),
    sentences: int = typer.Option(800, help="First N sentences of each split per corpus."),
    precision: str = typer.Option("auto", help="auto | fp32 | bf16."),
):
    config = load_config(teacher / "config.yaml")
    splits = load_splits(config)
    network = load_network(teacher)
    tokenizer = AutoTokenizer.from_pretrained(str(teacher))
    precision = resolve_precision(precision, "cpu")
    rows = {}
    table = Table("corpus", "split", "pairs", "P(gold)", "top stance in gold")
    with Console().status("teacher labelling"):
        for corpus in splits.train:
            for claims_only in (False, True) if corpus == "claims" else (False,):
                name = f"{corpus} (claim pairs)" if claims_only else corpus
                for split, examples in (("train", splits.train), ("dev", splits.dev)):
                    chosen = examples[corpus][:sentences]
                    scores = gold_agreement(
                        network, tokenizer, chosen, config.data.max_length, precision, claims_only
                    )
                    if not scores["pairs"]:
                        continue
                    rows.setdefault(name, {})[split] = scores
                    table.add_row(
                        name,
                        split,
                        str(scores["pairs"]),
                        f"{scores['gold_probability']:.3f}",
                        f"{scores['top_in_gold']:.3f}",
                    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"teacher": str(teacher), "sentences": sentences, **rows}, indent=2))
    Console().print(table)


if __name__ == "__main__":
    typer.run(main)
