"""The mixed multi-task dataset as a Hugging Face `DatasetDict` ("train", "dev").

One row per sentence example of any corpus (a `corpus` column says which), so the whole
training mixture can be inspected, filtered, exported (`to_parquet`, `to_json`) or shared with
the `datasets` API. The trainer saves it in the run folder (`dataset/`) and a resumed run reads
it back instead of re-parsing the corpora. Free-form fields (role spans, meta) are JSON
strings; pairs are a list of structs.
"""

from __future__ import annotations

import json

from datasets import Dataset, DatasetDict, Features, List, Value

from training.dataset import PairExample, SentenceExample, Splits

PAIR = {
    "source": List(Value("int32")),
    "target": List(Value("int32")),
    "stances": List(Value("string")),
    "mode": Value("string"),
    "event_type": Value("string"),
}
FEATURES = Features(
    {
        "corpus": Value("string"),
        "article_id": Value("string"),
        "text": Value("string"),
        "roles": Value("string"),
        "sentence_label": Value("string"),
        "pairs": List(PAIR),
        "meta": Value("string"),
    }
)


def to_row(example: SentenceExample) -> dict:
    return {
        "corpus": example.corpus,
        "article_id": example.article_id,
        "text": example.text,
        "roles": json.dumps(example.roles) if example.roles is not None else None,
        "sentence_label": example.sentence_label,
        "pairs": [
            {
                "source": list(p.source),
                "target": list(p.target),
                "stances": list(p.stances),
                "mode": p.mode,
                "event_type": p.event_type,
            }
            for p in example.pairs
        ],
        "meta": json.dumps(example.meta),
    }


def from_row(row: dict) -> SentenceExample:
    roles = json.loads(row["roles"]) if row["roles"] is not None else None
    meta = json.loads(row["meta"])
    if meta.get("first_mention") is not None:
        meta["first_mention"] = tuple(meta["first_mention"])
    return SentenceExample(
        corpus=row["corpus"],
        article_id=row["article_id"],
        text=row["text"],
        roles={role: [tuple(span) for span in spans] for role, spans in roles.items()}
        if roles is not None
        else None,
        sentence_label=row["sentence_label"],
        pairs=[
            PairExample(
                tuple(p["source"]),
                tuple(p["target"]),
                tuple(p["stances"]),
                mode=p["mode"],
                event_type=p["event_type"],
            )
            for p in row["pairs"]
        ],
        meta=meta,
    )


def to_dataset_dict(splits: Splits, data_config: dict | None = None) -> DatasetDict:
    """Every corpus's train and dev examples in one mixed DatasetDict; `data_config` (the
    run config's data section) is stored with it, so a reader can tell what built it."""
    parts = {}
    for split, by_corpus in (("train", splits.train), ("dev", splits.dev)):
        rows = [to_row(e) for examples in by_corpus.values() for e in examples]
        parts[split] = Dataset.from_list(rows, features=FEATURES)
    mixture = DatasetDict(parts)
    mixture["train"].info.description = json.dumps(
        {"cameo_modes_from_plv": splits.cameo_modes_from_plv, "data": data_config}
    )
    return mixture


def to_splits(mixture: DatasetDict, corpora: list[str]) -> Splits:
    """Back to per-corpus example lists, in the config's corpus order."""
    train = {name: [] for name in corpora}
    dev = {name: [] for name in corpora}
    for split, by_corpus in (("train", train), ("dev", dev)):
        for row in mixture[split]:
            by_corpus.setdefault(row["corpus"], []).append(from_row(row))
    return Splits(train, dev, _description(mixture).get("cameo_modes_from_plv", 0))


def built_from(mixture: DatasetDict) -> dict | None:
    """The data config a saved mixture was built from."""
    return _description(mixture).get("data")


def _description(mixture: DatasetDict) -> dict:
    return json.loads(mixture["train"].info.description or "{}")
