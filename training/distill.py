"""Distillation: a teacher's probabilities as soft labels beside the gold ones.

A seed ensemble beats every single network on the own corpus and on AW
(`reports/sweeps/ensemble.md`), but each member costs an encoder pass: 3 seeds run at two
thirds of a single network's speed. Training one network to match the ensemble's output
distributions (`train.distill_from`) aims to keep part of that gain at a single network's
speed. The teacher reads every training sentence once before training (the mixture is
small: one pass costs minutes, while a teacher pass per step would cost more than the
student's own); each step then adds, for every head, the KL divergence from the teacher's
distribution to the student's, on exactly the rows and positions that carry gold labels,
so each corpus still teaches only the fields it labels.

Measured (`reports/sweeps/distill.md`): no gain from the 3-seed ensemble, because on its
own training sentences it has learnt the gold labels (`gold_agreement`), so its soft labels
there say little more than they do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
import yaml
from torch.nn import functional as F

from model.ensemble import load_network
from model.network import IGNORE, ClaimNetwork
from training.config import ConfigError, RunConfig, split_seed_of
from training.dataset import SentenceExample
from training.evaluation import forward_batches

BATCH_FIELDS = ("pair_encoding", "marker_ids", "marker_type_ids", "mention_types")
LABEL_FIELDS = ("tag_roles", "tag_schemes", "stances", "modes", "event_types", "sentence_labels")
"""Network config fields a teacher must share with its student: the first decide what a
batch holds, the second what each output row means."""


@dataclass
class SoftLabels:
    """One sentence's teacher log-probabilities, per head."""

    tags: torch.Tensor
    """[word pieces, roles, 3]"""
    sentence: torch.Tensor
    stance: torch.Tensor
    """[pairs kept by `collate`, stances], in the sentence's pair order"""
    mode: torch.Tensor
    event: torch.Tensor


def load_teacher(directory: str | Path, config: RunConfig, student: ClaimNetwork, device):
    """The teacher network (one checkpoint or an ensemble) in eval mode, after checking that
    it reads the student's batches alike and saw none of the student's dev texts: it must
    have been trained on the same data settings and dev split."""
    check_teacher_data(directory, config)
    teacher = load_network(directory, device=str(device))
    for name in BATCH_FIELDS + LABEL_FIELDS:
        if getattr(teacher.config, name) != getattr(student.config, name):
            raise ConfigError(
                f"train.distill_from: the teacher's {name} differs from the student's "
                f"({getattr(teacher.config, name)!r} vs {getattr(student.config, name)!r})"
            )
    return teacher


def check_teacher_data(directory: str | Path, config: RunConfig) -> None:
    """Refuse a teacher folder that is no checkpoint or was trained on other data settings
    or another dev split (cheap: the trainer calls it before building the data)."""
    directory = Path(directory)
    if not (directory / "model_config.json").exists():
        raise ConfigError(f"train.distill_from: {directory} is not a checkpoint folder")
    saved = yaml.safe_load((directory / "config.yaml").read_text())
    teacher_data = {**saved["data"], "split_seed": split_seed_of(saved)}
    student_data = {**config.to_dict()["data"], "split_seed": config.split_seed}
    if teacher_data != student_data:
        raise ConfigError(
            "train.distill_from: the teacher was trained on other data settings or another "
            "dev split, so its soft labels could carry the student's dev texts"
        )


def teacher_labels(
    teacher,
    tokenizer,
    examples: list[SentenceExample],
    max_length: int,
    precision: str,
    batch_size: int = 64,
) -> list[SoftLabels]:
    """The teacher's soft labels for each example, in order (one pass, batched by length)."""
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].text))
    by_length = [examples[i] for i in order]
    labels: list[SoftLabels | None] = [None] * len(examples)
    offset = 0
    for encoded, batch, kept, output in forward_batches(
        teacher, tokenizer, by_length, max_length, batch_size, precision
    ):
        rows = torch.tensor([index for index, _ in kept], dtype=torch.long)
        lengths = batch["attention_mask"].sum(1).tolist()
        for i in range(len(encoded)):
            mine = (rows == i).nonzero().flatten().to(output.tag_logits.device)
            labels[order[offset + i]] = SoftLabels(
                tags=output.tag_logits[i, : lengths[i]].log_softmax(-1).half().cpu(),
                sentence=output.sentence_logits[i].log_softmax(-1).cpu(),
                **{
                    name: (
                        logits.index_select(0, mine).log_softmax(-1).cpu()
                        if logits is not None
                        else torch.zeros(0)
                    )
                    for name, logits in (
                        ("stance", output.stance_logits),
                        ("mode", output.mode_logits),
                        ("event", output.event_logits),
                    )
                },
            )
        offset += len(encoded)
    return labels


def soft_batch(labels: list[SoftLabels], width: int) -> dict[str, torch.Tensor]:
    """A batch's soft labels, shaped like its logits: tags padded to `width` pieces, pair
    rows concatenated in `collate`'s order."""
    roles, classes = labels[0].tags.shape[1:]
    tags = torch.zeros(len(labels), width, roles, classes)
    for row, label in enumerate(labels):
        tags[row, : len(label.tags)] = label.tags.float()
    batch = {"tags": tags, "sentence": torch.stack([label.sentence for label in labels])}
    for name in ("stance", "mode", "event"):
        rows = [getattr(label, name) for label in labels if getattr(label, name).numel()]
        batch[name] = torch.cat(rows) if rows else torch.zeros(0)
    return batch


def distillation_terms(
    output, batch: dict[str, torch.Tensor], soft: dict[str, torch.Tensor], temperature: float
) -> dict[str, torch.Tensor]:
    """Per loss term, the mean KL(teacher || student) at temperature T (scaled by T^2, so
    its gradients keep their size as T changes), over the rows with gold labels."""
    pairs = [
        ("tags", output.tag_logits, soft["tags"], batch["tag_labels"] != IGNORE),
        ("sentence", output.sentence_logits, soft["sentence"], batch["sentence_labels"] != IGNORE),
    ]
    if output.stance_logits is not None:
        pairs += [
            ("stance", output.stance_logits, soft["stance"], batch["pair_stance"].sum(-1) > 0),
            ("mode", output.mode_logits, soft["mode"], batch["pair_mode"] != IGNORE),
            ("event", output.event_logits, soft["event"], batch["pair_event"] != IGNORE),
        ]
    terms = {}
    for name, logits, teacher, mask in pairs:
        if mask.any():
            terms[name] = kl_divergence(logits[mask], teacher[mask], temperature)
    return terms


def kl_divergence(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    target = (teacher.float() / temperature).log_softmax(-1)
    predicted = (student.float() / temperature).log_softmax(-1)
    return temperature**2 * F.kl_div(predicted, target, log_target=True, reduction="batchmean")


def teacher_summary(directory: str | Path) -> dict:
    """What meta.json records about the teacher: its folder and, for an ensemble, members."""
    meta = json.loads((Path(directory) / "meta.json").read_text())
    return {"path": str(directory), "members": [m["path"] for m in meta.get("members", [])]}


def gold_agreement(
    teacher,
    tokenizer,
    examples: list[SentenceExample],
    max_length: int,
    precision: str,
    claims_only: bool = False,
) -> dict[str, float]:
    """How closely a teacher's stance distributions follow the gold labels: over the pairs
    with a gold stance (`claims_only`: only those whose gold excludes "none"), the mean
    probability it gives the gold set and the share whose top stance is in it. Near 1 on the
    sentences a teacher trained on means its soft labels there carry little beyond gold."""
    probability, top_in_gold, pairs = 0.0, 0, 0
    for _, batch, kept, output in forward_batches(
        teacher, tokenizer, examples, max_length, 64, precision
    ):
        if not kept:
            continue
        gold = batch["pair_stance"] > 0
        chosen = gold.any(-1) & ~(claims_only & gold[:, 0])
        stance = output.stance_logits.softmax(-1).cpu()[chosen]
        gold = gold[chosen]
        probability += float((stance * gold).sum())
        top_in_gold += int(gold.gather(1, stance.argmax(-1, keepdim=True)).sum())
        pairs += int(chosen.sum())
    return {
        "pairs": pairs,
        "gold_probability": probability / pairs if pairs else float("nan"),
        "top_in_gold": top_in_gold / pairs if pairs else float("nan"),
    }
