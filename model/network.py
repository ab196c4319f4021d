"""The claim network: one shared encoder, four small heads.

- tagger: BIO per role (SOURCE, TARGET, CUE, CLAIM) on each word's first piece; roles may
  overlap (a target inside a claim span), so each role has its own O/B/I decision. Corpora
  mark spans by different conventions (CAMEO's "target" is often an event or a policy,
  PolNeAR's source any attributed speaker), so each tag scheme has its own output layer
  over the shared encoder; scheme 0 is the project's own, the one inference reads;
- pair head: an ordered (source, target) mention pair -> stance {none, cooperative,
  adversarial, neutral}, mode {verbal, material} and a PLOVER event type; the pentaclass
  follows from stance and mode;
- sentence head: a sentence-level pentaclass (the CAMEO sentence benchmark).

Pairs are encoded one of two ways (`pair_encoding`): "pooled" pools each mention's word
pieces from one pass per sentence (cheap: all pairs of a sentence share the pass), and with
`pair_context` also the pieces between the two mentions (where the cue usually is: "X
accused Y", "Y, X said") and an embedding of their order and distance;
"markers" re-encodes the sentence once per pair with marker tokens around source and target
and reads the marker states; with `marker_type_ids` each opener is followed by the side's
type as a word ("[unused1] person obama [unused2]"): typed entity markers. With
`mention_types` either encoding also embeds what each side is (PERSON, ORG, GPE, NORP,
pronoun, the journalist, other; `model.features.MENTION_TYPES`): typed entity markers as a
feature instead of extra tokens. Losses are computed only where labels are given (-100 or
an all-zero stance mask means "not annotated"), so each corpus teaches only what it labels.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn
from torch.nn import functional as F
from transformers import BertConfig, BertModel

from model.features import MENTION_TYPES
from model.schema import EventType, Label

TAG_ROLES = ("SOURCE", "TARGET", "CUE", "CLAIM")
PAIR_ENCODINGS = ("pooled", "markers")
BIO = ("O", "B", "I")
PAIR_STANCES = ("none", "cooperative", "adversarial", "neutral")
MODES = ("verbal", "material")
EVENT_TYPES = tuple(event.value for event in EventType)
SENTENCE_LABELS = tuple(label.value for label in Label)
# Unused vocabulary entries mark a pair: [unused1] source [unused2] .. [unused3] target [unused4]
MARKER_TOKENS = ("[unused1]", "[unused2]", "[unused3]", "[unused4]")
IGNORE = -100
# Word-piece gaps between two mentions, bucketed (0, 1, 2, 3-4, 5-8, 9-16, 17-32, 33+) and
# doubled for which comes first: the order/distance embedding of `pair_context`.
GAP_BUCKETS = (0, 1, 2, 3, 5, 9, 17, 33)
ORDER_WIDTH = 32
TYPE_WIDTH = 16


LOSS_TERMS = ("tags", "sentence", "stance", "mode", "event")
"""The loss terms a batch can carry; `train.loss_weights` scales them by name."""


@dataclass
class NetworkConfig:
    encoder: dict
    """The encoder's BertConfig as a dict, so a checkpoint rebuilds without the source package."""
    pair_encoding: str = "pooled"
    dropout: float = 0.1
    head_hidden: int = 256
    pair_context: bool = False
    """Pooled pairs also see the words between the mentions and their order and distance
    (False in checkpoints written before the option existed)."""
    mention_types: bool = False
    """Pairs also see an embedding of each side's `MENTION_TYPES` (False in older checkpoints)."""
    author_source: bool = False
    """Trained on AUTHOR claims as pairs whose source is the [CLS] piece (`AUTHOR_SPAN`), so
    inference also scores the journalist as a source (False in older checkpoints)."""
    marker_ids: tuple[int, int, int, int] = (2, 3, 4, 5)
    marker_type_ids: tuple[tuple[int, ...], ...] = ()
    """Word pieces of each `MENTION_TYPES` word (`MARKER_TYPE_WORDS`), written after each
    marker opener: typed entity markers (empty: plain markers; only with "markers")."""
    tag_roles: tuple[str, ...] = TAG_ROLES
    tag_schemes: tuple[str, ...] = ("claims",)
    """One tagger output per span convention (a corpus name); the first is inference's."""
    stances: tuple[str, ...] = PAIR_STANCES
    modes: tuple[str, ...] = MODES
    event_types: tuple[str, ...] = EVENT_TYPES
    sentence_labels: tuple[str, ...] = SENTENCE_LABELS
    thresholds: dict[str, float] = field(default_factory=dict)
    """Decision thresholds tuned on dev (e.g. the minimum claim probability per stance)."""
    event_mode_weight: float = 0.0
    """How much the PLOVER type head's implied mode counts in the mode decision
    (`model.decoding.pair_mode`; 0 in older checkpoints: the mode head alone)."""

    def __post_init__(self) -> None:
        if self.pair_encoding not in PAIR_ENCODINGS:
            raise ValueError(
                f"pair_encoding must be {' or '.join(map(repr, PAIR_ENCODINGS))}, "
                f"not {self.pair_encoding!r}"
            )
        if self.marker_type_ids and self.pair_encoding != "markers":
            raise ValueError("marker_type_ids need pair_encoding 'markers'")
        self.marker_ids = tuple(self.marker_ids)
        self.marker_type_ids = tuple(tuple(ids) for ids in self.marker_type_ids)
        for name in (
            "tag_roles",
            "tag_schemes",
            "stances",
            "modes",
            "event_types",
            "sentence_labels",
        ):
            setattr(self, name, tuple(getattr(self, name)))


@dataclass
class NetworkOutput:
    tag_logits: torch.Tensor
    """[sentences, word pieces, roles, 3 (O/B/I)], each sentence in its own tag scheme"""
    sentence_logits: torch.Tensor
    stance_logits: torch.Tensor | None = None
    mode_logits: torch.Tensor | None = None
    event_logits: torch.Tensor | None = None
    loss: torch.Tensor | None = None
    losses: dict[str, float] = field(default_factory=dict)


def head(in_features: int, hidden: int, out_features: int, dropout: float) -> nn.Sequential:
    return nn.Sequential(
        nn.Dropout(dropout),
        nn.Linear(in_features, hidden),
        nn.GELU(),
        nn.Dropout(dropout),
        nn.Linear(hidden, out_features),
    )


class ClaimNetwork(nn.Module):
    def __init__(self, config: NetworkConfig, encoder: BertModel | None = None):
        super().__init__()
        self.config = config
        self.encoder = encoder or BertModel(BertConfig(**config.encoder), add_pooling_layer=False)
        width = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(config.dropout)
        self.tagger = nn.Linear(width, len(config.tag_schemes) * len(config.tag_roles) * len(BIO))
        self.sentence_head = head(
            width, config.head_hidden, len(config.sentence_labels), config.dropout
        )
        pair_width = width * (4 if config.pair_encoding == "pooled" else 3)
        if config.pair_context and config.pair_encoding == "pooled":
            self.order_embedding = nn.Embedding(2 * len(GAP_BUCKETS), ORDER_WIDTH)
            pair_width += width + ORDER_WIDTH
        if config.mention_types:
            self.type_embedding = nn.Embedding(len(MENTION_TYPES), TYPE_WIDTH)
            pair_width += 2 * TYPE_WIDTH
        self.pair_body = head(pair_width, config.head_hidden, config.head_hidden, config.dropout)
        self.stance_head = nn.Linear(config.head_hidden, len(config.stances))
        self.mode_head = nn.Linear(config.head_hidden, len(config.modes))
        self.event_head = nn.Linear(config.head_hidden, len(config.event_types))
        self.register_buffer("stance_weights", torch.ones(len(config.stances)), persistent=False)
        self.loss_weights: dict[str, float] = {}  # per loss term, set by the trainer; default 1

    # -- encoding -------------------------------------------------------------------------

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    def pair_features(self, batch: dict[str, torch.Tensor], states: torch.Tensor) -> torch.Tensor:
        if self.config.pair_encoding == "markers":
            pair_states = self.encode(batch["pair_input_ids"], batch["pair_attention_mask"])
            rows = torch.arange(pair_states.size(0), device=pair_states.device)
            markers = batch["pair_markers"]
            features = [
                pair_states[:, 0],
                pair_states[rows, markers[:, 0]],
                pair_states[rows, markers[:, 1]],
            ]
        else:
            index = batch["pair_index"]
            # float32 sums: a bfloat16 running sum over a long sentence loses the span means
            prefix_sums = F.pad(states.float().cumsum(1), (0, 0, 1, 0))
            source = span_mean(prefix_sums, index, batch["pair_source"])
            target = span_mean(prefix_sums, index, batch["pair_target"])
            features = [states[index, 0], source, target, source * target]
            if self.config.pair_context:
                between, order = gap_between(batch["pair_source"], batch["pair_target"])
                features += [span_mean(prefix_sums, index, between), self.order_embedding(order)]
        if self.config.mention_types:
            features.append(self.type_embedding(batch["pair_types"]).flatten(1))
        return torch.cat(features, dim=-1)

    # -- forward --------------------------------------------------------------------------

    def forward(self, batch: dict[str, torch.Tensor]) -> NetworkOutput:
        """Logits for every head; `loss` when the batch carries any labels."""
        output = head_outputs(self, batch)
        self._add_losses(output, batch)
        return output

    def sentence_outputs(
        self, states: torch.Tensor, tag_scheme: torch.Tensor | None = None
    ) -> NetworkOutput:
        """Tag and sentence-label logits from encoded sentences; `tag_scheme` [sentences]
        picks each sentence's tag scheme (default: scheme 0)."""
        tag_logits = self.tagger(self.dropout(states)).view(
            *states.shape[:2], len(self.config.tag_schemes), len(self.config.tag_roles), len(BIO)
        )
        if tag_scheme is None:
            tag_logits = tag_logits[:, :, 0]
        else:
            rows = torch.arange(states.size(0), device=states.device)
            tag_logits = tag_logits[rows, :, tag_scheme]
        return NetworkOutput(
            tag_logits=tag_logits.float(), sentence_logits=self.sentence_head(states[:, 0]).float()
        )

    def pair_logits(
        self, batch: dict[str, torch.Tensor], states: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Stance, mode and event logits of the batch's pairs (inference calls this after
        choosing candidates from the tags of the same pass)."""
        body = self.pair_body(self.pair_features(batch, states))
        # float32 logits whatever the autocast precision, for the losses and probabilities
        return (
            self.stance_head(body).float(),
            self.mode_head(body).float(),
            self.event_head(body).float(),
        )

    def _add_losses(self, output: NetworkOutput, batch: dict[str, torch.Tensor]) -> None:
        terms: dict[str, torch.Tensor] = {}
        if "tag_labels" in batch and (batch["tag_labels"] != IGNORE).any():
            terms["tags"] = F.cross_entropy(
                output.tag_logits.reshape(-1, len(BIO)),
                batch["tag_labels"].reshape(-1),
                ignore_index=IGNORE,
            )
        if "sentence_labels" in batch and (batch["sentence_labels"] != IGNORE).any():
            terms["sentence"] = F.cross_entropy(
                output.sentence_logits, batch["sentence_labels"], ignore_index=IGNORE
            )
        if output.stance_logits is not None:
            if "pair_stance" in batch:
                allowed = batch["pair_stance"]
                known = allowed.sum(-1) > 0
                if known.any():
                    terms["stance"] = allowed_set_loss(
                        output.stance_logits[known], allowed[known], self.stance_weights
                    )
            for name, logits in (("mode", output.mode_logits), ("event", output.event_logits)):
                labels = batch.get(f"pair_{name}")
                if labels is not None and (labels != IGNORE).any():
                    terms[name] = F.cross_entropy(logits, labels, ignore_index=IGNORE)
        if terms:
            output.loss = sum(
                self.loss_weights.get(name, 1.0) * term for name, term in terms.items()
            )
            output.losses = {name: float(value.detach()) for name, value in terms.items()}

    # -- checkpoints ----------------------------------------------------------------------

    @classmethod
    def from_encoder(cls, encoder_path: str | Path, **options) -> ClaimNetwork:
        """A fresh network on pretrained encoder weights from a local folder."""
        encoder = BertModel.from_pretrained(str(encoder_path), add_pooling_layer=False)
        config = NetworkConfig(encoder=encoder.config.to_diff_dict(), **options)
        return cls(config, encoder)

    def save_pretrained(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "model_config.json").write_text(json.dumps(asdict(self.config), indent=2))
        state = {
            name: tensor.detach().cpu().contiguous() for name, tensor in self.state_dict().items()
        }
        save_file(state, str(directory / "model.safetensors"))

    @classmethod
    def from_pretrained(cls, directory: str | Path, device: str = "cpu") -> ClaimNetwork:
        directory = Path(directory)
        config = NetworkConfig(**json.loads((directory / "model_config.json").read_text()))
        network = cls(config)
        network.load_state_dict(load_file(str(directory / "model.safetensors"), device=device))
        return network.to(device).eval()


def head_outputs(network, batch: dict[str, torch.Tensor]) -> NetworkOutput:
    """Every head's logits from one encoding of the batch, for anything with `encode`,
    `sentence_outputs` and `pair_logits` (a `ClaimNetwork`, or `model.ensemble.ClaimEnsemble`)."""
    states = network.encode(batch["input_ids"], batch["attention_mask"])
    output = network.sentence_outputs(states, batch.get("tag_scheme"))
    if "pair_index" in batch and batch["pair_index"].numel():
        output.stance_logits, output.mode_logits, output.event_logits = network.pair_logits(
            batch, states
        )
    return output


def span_mean(prefix_sums: torch.Tensor, index: torch.Tensor, spans: torch.Tensor) -> torch.Tensor:
    """Mean state of word pieces [start, end) of sentence `index[i]`, for each pair i, from
    the sentences' prefix sums [sentences, pieces + 1, width] (no per-pair copy of states)."""
    start, end = spans[:, 0], spans[:, 1]
    total = prefix_sums[index, end] - prefix_sums[index, start]
    return total / (end - start).clamp(min=1).unsqueeze(-1).to(total.dtype)


def gap_between(source: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The word pieces strictly between two spans [pairs, 2] (empty when they touch or
    overlap), and an order/distance bucket: gap bucket, plus len(GAP_BUCKETS) when the target
    comes first."""
    target_first = target[:, 0] < source[:, 0]
    left_end = torch.where(target_first, target[:, 1], source[:, 1])
    right_start = torch.where(target_first, source[:, 0], target[:, 0])
    gap = (right_start - left_end).clamp(min=0)
    between = torch.stack([left_end, left_end + gap], dim=-1)
    buckets = torch.tensor(GAP_BUCKETS, device=gap.device)
    bucket = torch.bucketize(gap, buckets, right=True) - 1
    return between, bucket + target_first.long() * len(GAP_BUCKETS)


def allowed_set_loss(
    logits: torch.Tensor, allowed: torch.Tensor, class_weights: torch.Tensor
) -> torch.Tensor:
    """-log P(class in allowed set): a one-hot set is plain cross-entropy, a wider set is
    a partial label (AW's 'not conflict' allows none, cooperative or neutral)."""
    log_probs = logits.log_softmax(-1)
    in_set = log_probs.masked_fill(allowed <= 0, float("-inf")).logsumexp(-1)
    weights = (allowed * class_weights).sum(-1) / allowed.sum(-1)
    return -(in_set * weights).sum() / weights.sum()
