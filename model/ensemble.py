"""`ClaimEnsemble`: several checkpoints of one architecture, read as one network.

Runs trained from the same config at different seeds err on different pairs and spans; the
mean of their log-probabilities is steadier than any one of them (`reports/sweeps/ensemble.md`)
at the price of one encoder pass per member. The ensemble speaks `ClaimNetwork`'s inference
interface (`encode`, `sentence_outputs`, `pair_logits`, `forward`, `config`), so the extractor,
the benchmarks and threshold tuning take either. Its "logits" are mean log-probabilities:
softmax turns them back into (renormalised geometric-mean) probabilities.

A folder holds `members/0`, `members/1`, ... (each a full checkpoint) and its own
`model_config.json`: the first member's, with the ensemble's tuned thresholds.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, fields
from pathlib import Path

import torch
import yaml
from torch import nn

from model.network import ClaimNetwork, NetworkConfig, NetworkOutput, head_outputs

DECISION_FIELDS = ("thresholds", "event_mode_weight")
"""Config fields that are decisions tuned on dev, not architecture: members may differ."""
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")


class ClaimEnsemble(nn.Module):
    def __init__(self, members: list[ClaimNetwork], config: NetworkConfig | None = None):
        super().__init__()
        if len(members) < 2:
            raise ValueError(f"an ensemble needs two members or more, got {len(members)}")
        first = asdict(members[0].config)
        for index, member in enumerate(members[1:], start=1):
            other = asdict(member.config)
            differ = [
                f.name
                for f in fields(NetworkConfig)
                if f.name not in DECISION_FIELDS and first[f.name] != other[f.name]
            ]
            if differ:
                raise ValueError(
                    f"ensemble member {index} differs from member 0 in {', '.join(differ)}"
                )
        self.members = nn.ModuleList(members)
        self.config = config or NetworkConfig(**first)

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Every member's states, stacked: [members, sentences, pieces, width]."""
        return torch.stack([m.encode(input_ids, attention_mask) for m in self.members])

    def sentence_outputs(
        self, states: torch.Tensor, tag_scheme: torch.Tensor | None = None
    ) -> NetworkOutput:
        outputs = [m.sentence_outputs(s, tag_scheme) for m, s in zip(self.members, states)]
        return NetworkOutput(
            tag_logits=mean_log_probs([o.tag_logits for o in outputs]),
            sentence_logits=mean_log_probs([o.sentence_logits for o in outputs]),
        )

    def pair_logits(
        self, batch: dict[str, torch.Tensor], states: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        outputs = [m.pair_logits(batch, s) for m, s in zip(self.members, states)]
        return tuple(mean_log_probs(list(head)) for head in zip(*outputs))

    def forward(self, batch: dict[str, torch.Tensor]) -> NetworkOutput:
        """Every head's mean log-probabilities (no loss: an ensemble is not trained)."""
        return head_outputs(self, batch)

    def save_pretrained(self, directory: str | Path) -> None:
        directory = Path(directory)
        for index, member in enumerate(self.members):
            member.save_pretrained(directory / "members" / str(index))
        (directory / "model_config.json").write_text(json.dumps(asdict(self.config), indent=2))

    @classmethod
    def from_pretrained(cls, directory: str | Path, device: str = "cpu") -> ClaimEnsemble:
        directory = Path(directory)
        paths = sorted((directory / "members").iterdir(), key=lambda p: int(p.name))
        members = [ClaimNetwork.from_pretrained(path, device=device) for path in paths]
        config = NetworkConfig(**json.loads((directory / "model_config.json").read_text()))
        return cls(members, config).to(device).eval()


def mean_log_probs(logits: list[torch.Tensor]) -> torch.Tensor:
    return torch.stack([x.float().log_softmax(-1) for x in logits]).mean(0)


def is_ensemble(directory: str | Path) -> bool:
    return (Path(directory) / "members").is_dir()


def load_network(directory: str | Path, device: str = "cpu") -> ClaimNetwork | ClaimEnsemble:
    """A checkpoint folder's network: one `ClaimNetwork`, or a `ClaimEnsemble` of several."""
    if is_ensemble(directory):
        return ClaimEnsemble.from_pretrained(directory, device=device)
    return ClaimNetwork.from_pretrained(directory, device=device)


def assemble(members: list[str | Path], output: str | Path) -> ClaimEnsemble:
    """Write an ensemble folder from checkpoint folders trained alike. Its thresholds start as
    the members' mean; tune them on dev afterwards (`scripts/tune_thresholds.py`). Its
    meta.json lists the members and the union of their training-text hashes, so the leakage
    guard still knows every text any member saw."""
    members, output = [Path(m) for m in members], Path(output)
    if output.exists():
        raise FileExistsError(f"{output} exists: choose a new folder for the ensemble")
    for member in members:
        if is_ensemble(member):
            raise ValueError(f"{member} is an ensemble itself: list the runs it was built from")
    for name in TOKENIZER_FILES:
        if len({(m / name).read_text() for m in members}) > 1:
            raise ValueError(f"ensemble members differ in {name}: {', '.join(map(str, members))}")
    configs = [yaml.safe_load((m / "config.yaml").read_text()) for m in members]
    data = [{**c["data"], "split_seed": c["data"].get("split_seed") or c["seed"]} for c in configs]
    if any(d != data[0] for d in data):
        raise ValueError("ensemble members were trained on different data settings or dev splits")
    networks = [ClaimNetwork.from_pretrained(m) for m in members]
    config = NetworkConfig(**asdict(networks[0].config))
    stances = {s for n in networks for s in n.config.thresholds}
    config.thresholds = {
        s: sum(n.config.thresholds.get(s, 0.5) for n in networks) / len(networks)
        for s in sorted(stances)
    }
    ensemble = ClaimEnsemble(networks, config)
    ensemble.save_pretrained(output)
    for name in TOKENIZER_FILES:
        shutil.copy(members[0] / name, output / name)
    # the first member's training config, with the dev split the members share made explicit
    (output / "config.yaml").write_text(
        yaml.safe_dump({**configs[0], "data": data[0]}, sort_keys=False)
    )
    metas = [json.loads((m / "meta.json").read_text()) for m in members]
    hashes = sorted({h for meta in metas for h in meta.get("training_text_hashes", [])})
    meta = {
        "name": output.name,
        "members": [
            {"path": str(m), "seed": c["seed"], "git_sha": meta.get("git_sha")}
            for m, c, meta in zip(members, configs, metas)
        ],
        "training_text_hashes": hashes,
    }
    (output / "meta.json").write_text(json.dumps(meta, indent=2))
    return ensemble
