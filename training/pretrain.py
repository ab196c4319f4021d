"""Continued masked-language-model pretraining of the encoder on unlabeled news text.

ConfliBERT's gain came from pretraining on political news; here the same idea at the scale a
CPU allows: the train-side text of the configured corpora (PolNeAR's whole articles, every
other corpus's sentences outside the carved dev split, the own corpus's train split) is cut
into windows of `max_length` word pieces and the encoder learns to fill 15% masked pieces.
The packaged sentence-transformers checkpoint carries no MLM head, so a fresh one is trained
with it. The output folder is an encoder (weights and tokenizer) that a run config names as
`model.encoder`.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from pathlib import Path

import torch
from torch.nn import functional as F
from transformers import AutoTokenizer, BertForMaskedLM, DataCollatorForLanguageModeling

from model.precision import autocast, resolve_precision
from training.config import RunConfig
from training.corpora import CORPORA
from training.dataset import in_dev


def unlabeled_texts(config: RunConfig) -> list[str]:
    """Train-side texts of the config's corpora (never dev or test text), deduplicated."""
    texts: dict[str, None] = {}
    for name, options in config.data.corpora.items():
        corpus = CORPORA[name]
        carved = "dev" not in corpus.files  # dev is carved from train by sentence text
        root = options.path or corpus.root_for(config.data.data_dir)
        for article in corpus.load("train", root):
            if carved and in_dev(article.text, config.data.dev_fraction, config.split_seed):
                continue
            texts.setdefault(article.text.strip(), None)
    return [text for text in texts if text]


def windows(tokenizer, texts: list[str], max_length: int) -> list[list[int]]:
    """Word-piece windows of at most `max_length` (with [CLS]/[SEP]) covering every text."""
    size = max_length - 2
    out = []
    for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]:
        for start in range(0, len(ids), size):
            piece = ids[start : start + size]
            if len(piece) >= 8:
                out.append([tokenizer.cls_token_id, *piece, tokenizer.sep_token_id])
    return out


def masked_loss(model: BertForMaskedLM, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """MLM loss with vocabulary logits for the masked pieces only: the full [pieces x 30,522]
    logits of `BertForMaskedLM.forward` cost most of a CPU step."""
    states = model.bert(
        input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]
    ).last_hidden_state
    masked = batch["labels"] != -100
    logits = model.cls(states[masked]).float()  # float32 loss under a bf16 autocast
    return F.cross_entropy(logits, batch["labels"][masked])


def pretrain_mlm(
    texts: list[str],
    encoder_dir: str | Path,
    out_dir: str | Path,
    minutes: float,
    max_length: int = 128,
    batch_size: int = 32,
    learning_rate: float = 5e-5,
    seed: int = 13,
    device: str = "cpu",
    precision: str = "fp32",
    progress: Callable[[int, int, float], None] | None = None,
) -> dict:
    """Train for `minutes` (or one pass over the windows, whichever ends first); save the
    encoder to `out_dir`; return steps, windows, the last smoothed loss and the precision
    (`model.precision`: "bf16" autocasts the forward pass, as in `train.precision`)."""
    random.seed(seed)
    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(encoder_dir))
    device = torch.device(device)
    model = BertForMaskedLM.from_pretrained(str(encoder_dir)).to(device).train()
    precision = resolve_precision(precision, device)
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15)
    examples = windows(tokenizer, texts, max_length)
    random.shuffle(examples)
    steps = math.ceil(len(examples) / batch_size)
    head = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
    body = [p for n, p in model.named_parameters() if n.startswith("bert.")]
    optimizer = torch.optim.AdamW(
        [{"params": body, "lr": learning_rate}, {"params": head, "lr": 1e-3}],
        weight_decay=0.01,
        fused=True,
    )
    started, loss_avg, step = time.time(), None, 0
    for step in range(1, steps + 1):
        rows = examples[(step - 1) * batch_size : step * batch_size]
        batch = {k: v.to(device) for k, v in collator([{"input_ids": r} for r in rows]).items()}
        with autocast(precision, device):
            loss = masked_loss(model, batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        value = loss.item()
        loss_avg = value if loss_avg is None else 0.95 * loss_avg + 0.05 * value
        if progress:
            progress(step, steps, loss_avg)
        if time.time() - started > 60 * minutes:
            break
    out_dir = Path(out_dir)
    model.bert.save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    return {
        "steps": step,
        "windows": len(examples),
        "texts": len(texts),
        "loss": loss_avg,
        "precision": precision,
        "minutes": round((time.time() - started) / 60, 2),
    }
