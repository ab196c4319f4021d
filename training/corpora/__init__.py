"""Corpus converters: pure functions from a file to an iterator of schema Articles.

`CORPORA` names every corpus the project reads, where its files lie for each split and
where the public original lives. External corpora are read from the data directory
(`CLAIMSTANCE_DATA`); the project's own corpus from `data/claims/` in the repository.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from model.schema import Article
from training.corpora.aw import read_aw
from training.corpora.cameo import read_cameo
from training.corpora.claims_jsonl import read_claims_jsonl
from training.corpora.directed_sentiment import read_directed_sentiment
from training.corpora.plv import read_plv
from training.corpora.polnear import read_polnear

PROJECT_DATA = Path(__file__).resolve().parents[2] / "data"


class MissingData(FileNotFoundError):
    """A corpus split whose files are not where the data directory says."""


@dataclass(frozen=True)
class Corpus:
    name: str
    read: Callable[..., Iterator[Article]]
    files: dict[str, tuple[str, ...]]
    origin: str
    licence: str
    external: bool = True
    notes: str = field(default="")
    carve_dev: bool = True
    """Without a dev file, carve dev sentences from train; False keeps every sentence for
    training (machine-labelled corpora, whose dev checks would score the teacher)."""
    needs_path: bool = False
    """Read only from the folder the config's `path` names (no default location)."""

    def paths(self, split: str, root: str | Path | None = None) -> tuple[Path, ...]:
        """Files of a split under `root`; by default the data directory for external corpora
        and the repository's data/ for the project's own."""
        if split not in self.files:
            raise KeyError(
                f"corpus {self.name!r} has no split {split!r} (it has {', '.join(self.files)})"
            )
        if root is None and self.needs_path:
            raise MissingData(
                f"corpus {self.name!r} has no default location: set "
                f"data.corpora.{self.name}.path to the folder holding {self.files[split][0]}"
            )
        if root is None:
            root = resolve_data_dir() if self.external else PROJECT_DATA
        return tuple(Path(root) / relative for relative in self.files[split])

    def root_for(self, data_dir: str | Path | None) -> str | Path | None:
        """The data directory applies to external corpora only."""
        return data_dir if self.external else None

    def load(self, split: str, root: str | Path | None = None) -> Iterator[Article]:
        paths = self.paths(split, root)
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise MissingData(f"{self.name} {split}: not found: {', '.join(missing)}")
        return self.read(*paths)


def resolve_data_dir(override: str | Path | None = None) -> Path:
    """The external-corpus directory: an explicit setting, else `$CLAIMSTANCE_DATA`."""
    value = override or os.environ.get("CLAIMSTANCE_DATA")
    if not value:
        raise MissingData(
            "no data directory: set CLAIMSTANCE_DATA (or data.data_dir in the "
            "config) to the folder holding the external corpora"
        )
    return Path(value).expanduser()


CORPORA: dict[str, Corpus] = {
    corpus.name: corpus
    for corpus in (
        Corpus(
            "claims",
            read_claims_jsonl,
            {split: (f"claims/{split}.jsonl",) for split in ("train", "dev", "test")},
            origin="this repository, data/claims/",
            licence="project licence (Apache-2.0)",
            external=False,
        ),
        Corpus(
            "cameo",
            read_cameo,
            {
                "train": ("cameo/class_train.tsv", "cameo/spans_train.txt"),
                "test": ("cameo/class_test.tsv", "cameo/spans_test.txt"),
            },
            origin="github.com/eventdata/ConfliBERT data/cameo_class, data/cameo_ner",
            licence="GPL-3.0 repository; sentences copyright their publishers",
        ),
        Corpus(
            "plv",
            read_plv,
            {"train": ("plv/train.tsv",), "test": ("plv/test.tsv",)},
            origin="github.com/snowood1/Zero-Shot-PLOVER datasets/PLV_*.tsv",
            licence="no licence file; research use",
        ),
        Corpus(
            "aw",
            read_aw,
            {"train": ("aw/train.tsv",), "test": ("aw/test.tsv",)},
            origin="github.com/snowood1/Zero-Shot-PLOVER datasets/AW_*.tsv (ACE 2005, WikiEvents)",
            licence="no licence file; ACE 2005 is LDC-licensed; research use",
        ),
        Corpus(
            "directed_sentiment",
            read_directed_sentiment,
            {
                "train": ("directed_sentiment/train.txt",),
                "dev": ("directed_sentiment/valid.txt",),
                "test": ("directed_sentiment/test.txt",),
            },
            origin="github.com/bywords/directed_sentiment_analysis dataset/",
            licence="research use; cite Park, Pan & Joo, Findings of ACL 2021",
        ),
        Corpus(
            "polnear",
            read_polnear,
            {"train": ("polnear/train",), "dev": ("polnear/dev",), "test": ("polnear/test",)},
            origin="github.com/networkdynamics/PolNeAR data/",
            licence="research use; cite Newell, Margolin & Ruths, LREC 2018",
        ),
        Corpus(
            "pseudo",
            read_claims_jsonl,
            {"train": ("train.jsonl",)},
            origin="scripts/pseudo_label.py: a checkpoint's claims on unlabeled articles",
            licence="that of the labelled articles' texts",
            external=False,
            notes="self-training; the own corpus's format and tag scheme, no dev split",
            carve_dev=False,
            needs_path=True,
        ),
    )
}
