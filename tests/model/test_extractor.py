"""The inference API on a tiny random checkpoint: contract, not accuracy."""

import pytest
import torch

import model
from model.extractor import ClaimExtractor, ModelNotFound
from model.precision import resolve_precision
from model.schema import AUTHOR, Actor, Article, Claim, validate

TEXT = (
    "Iran's foreign minister Javad Zarif praised Russia and China on Thursday. "
    "He said the United States had no leverage. Washington rejected the remarks."
)


@pytest.fixture(scope="module")
def extractor(tiny_checkpoint):
    extractor = ClaimExtractor.load(tiny_checkpoint, device="cpu")
    extractor.thresholds = dict.fromkeys(extractor.thresholds, 0.0)  # keep every scored pair
    return extractor


def test_predict_returns_valid_claims(extractor):
    claims = extractor.predict(TEXT, date="2020-09-24")
    assert claims and all(isinstance(c, Claim) for c in claims)
    article = Article("a", TEXT, claims=tuple(claims))
    validate(article)
    for claim in claims:
        assert 0 <= claim.score <= 1 and claim.stance is not None and claim.mode is not None
        assert claim.source.start != claim.target.start
    zarif = [c for c in claims if c.source.text == "He"]
    assert zarif and zarif[0].source.actor.name == "Mohammad Javad Zarif"


def test_identical_input_gives_identical_output(extractor):
    assert extractor.predict(TEXT) == extractor.predict(TEXT)


def test_predict_many_streams_articles(extractor):
    articles = [Article(str(i), TEXT) for i in range(3)]
    out = list(extractor.predict_many(articles, batch_size=2))
    assert [a.id for a in out] == ["0", "1", "2"]
    assert out[0].claims == out[2].claims and out[0].sentences


def test_bad_input_is_refused_with_a_reason(extractor):
    with pytest.raises(ValueError, match="empty text"):
        extractor.predict("   ")


def test_missing_checkpoint_names_the_command(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAIMSTANCE_MODEL", raising=False)
    with pytest.raises(ModelNotFound, match="scripts/train.py --config configs/quick.yaml"):
        ClaimExtractor.load(tmp_path / "nothing")
    assert model.ClaimExtractor is ClaimExtractor


def test_one_claim_per_sentence_and_actor_pair(extractor):
    claims = extractor.predict(TEXT, date="2020-09-24")
    keys = [
        (c.sentence, c.source.actor, c.target.actor)
        for c in claims
        if c.source.actor and c.target.actor
    ]
    assert len(keys) == len(set(keys))


def test_claims_are_written_on_the_phrase_a_restatement_names(extractor):
    text = (
        "Kampala blames the ADF, an Islamic State-linked group, for the bombings. "
        "Former president Alvaro Uribe, who led the No campaign, denounced Santos."
    )
    claims = extractor.predict(text)
    sides = {(c.source.text, c.target.text) for c in claims if c.source.actor != Actor(AUTHOR)}
    sides |= {("AUTHOR", c.target.text) for c in claims if c.source.actor == Actor(AUTHOR)}
    assert ("Kampala", "the ADF") in sides and ("Former president Alvaro Uribe", "Santos") in sides
    assert not any("group" in side or side == "who" for pair in sides for side in pair)


def test_the_journalist_is_a_source_when_the_checkpoint_learnt_it(extractor):
    text = "Erdogan's gamble may yet backfire if Assad pockets the legitimacy."
    authored = [c for c in extractor.predict(text) if c.source.actor == Actor(AUTHOR)]
    # thresholds at 0: every mention is scored as the target of the journalist, once
    assert {c.target.text for c in authored} >= {"Assad"}
    assert len({c.target.start for c in authored}) == len(authored)
    for claim in authored:
        assert 0 <= claim.source.start < claim.source.end <= len(text)
        assert claim.source.text == text[claim.source.start : claim.source.end]
    assert not any(c.target.actor == Actor(AUTHOR) for c in extractor.predict(text))
    extractor.network.config.author_source = False  # a checkpoint from before AUTHOR pairs
    try:
        assert not any(c.source.actor == Actor(AUTHOR) for c in extractor.predict(text))
    finally:
        extractor.network.config.author_source = True


def test_bf16_inference_finds_the_same_pairs_with_close_scores(tiny_checkpoint):
    exact = ClaimExtractor.load(tiny_checkpoint, device="cpu", precision="fp32")
    rounded = ClaimExtractor.load(tiny_checkpoint, device="cpu", precision="bf16")
    default = ClaimExtractor.load(tiny_checkpoint, device="cpu")
    assert default.precision == resolve_precision("auto", torch.device("cpu"))
    assert (exact.precision, rounded.precision) == ("fp32", "bf16")
    for one in (exact, rounded):
        one.thresholds = dict.fromkeys(one.thresholds, 0.0)
    a, b = exact.predict(TEXT), rounded.predict(TEXT)
    assert [(c.source, c.target) for c in a] == [(c.source, c.target) for c in b]
    assert max(abs(x.score - y.score) for x, y in zip(a, b)) < 0.05
