"""Shared test setup: offline hub, fixture paths, and the external data directory if present."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The external corpora (CLAIMSTANCE_DATA, else ../shared/datasets); skip if absent."""
    default = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
    path = Path(os.environ.get("CLAIMSTANCE_DATA") or default)
    if not path.is_dir():
        pytest.skip(f"external corpora not found at {path}")
    return path


@pytest.fixture(scope="session")
def own_corpus(tmp_path_factory) -> Path:
    """The team-written fixture articles as a tiny own corpus: claims/{train,dev,test}.jsonl."""
    from model.schema import write_jsonl
    from training.corpora.authoring import read_authoring

    root = tmp_path_factory.mktemp("own")
    (root / "claims").mkdir()
    articles = list(read_authoring(FIXTURES / "claims" / "articles.authoring.jsonl"))
    for split in ("train", "dev", "test"):
        write_jsonl(articles, root / "claims" / f"{split}.jsonl")
    return root


def tiny_config(own_corpus: Path, **train):
    """A run config for a tiny random-init network on the fixture corpus (seconds on a CPU)."""
    from training.config import RunConfig, from_dict

    return from_dict(
        RunConfig,
        {
            "name": "tiny",
            "seed": 3,
            "data": {
                "corpora": {"claims": {"path": str(own_corpus)}},
                "max_length": 48,
                "negatives_per_sentence": 2,
            },
            "model": {"random_init": True, "tiny": True, "head_hidden": 32},
            "train": {
                "steps": 6,
                "batch_size": 4,
                "eval_every": 3,
                "patience": 10,
                "learning_rate": 1e-3,
                "device": "cpu",
                **train,
            },
        },
    )


@pytest.fixture(scope="session")
def tiny_checkpoint(own_corpus, tmp_path_factory) -> Path:
    """A tiny random-init checkpoint trained for a few steps on the fixture corpus."""
    from training.trainer import train

    out = tmp_path_factory.mktemp("ckpt") / "tiny"
    train(tiny_config(own_corpus), out, report=lambda message: None)
    return out
