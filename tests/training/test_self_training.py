import json
import random
from dataclasses import replace

import pytest
from conftest import FIXTURES, tiny_config

from model.schema import Article, write_jsonl
from training.corpora import CORPORA, MissingData
from training.corpora.authoring import read_authoring
from training.dataset import examples_from_article, load_splits, tag_schemes_for
from training.self_training import as_training_article, pseudo_label


def predicted_article() -> Article:
    """fx-1 as a teacher would return it: sentence 0 confident, 1 doubtful, 2 confident."""
    gold = next(a for a in read_authoring(FIXTURES / "claims" / "articles.authoring.jsonl"))
    scores = {0: 0.95, 1: 0.6, 2: 0.92}
    claims = [replace(c, score=scores[c.sentence]) for c in gold.claims]
    claims[1] = replace(claims[1], score=0.5)  # Zarif -> China: doubtful in a kept sentence
    return replace(gold, claims=tuple(claims))


class FakeTeacher:
    def __init__(self, predictions: dict[str, Article]):
        self.predictions = predictions

    def predict_many(self, articles, batch_size=8):
        for article in articles:
            assert not article.claims  # the teacher never sees a gold annotation
            yield self.predictions[article.id]


def test_confident_claims_keep_their_labels_and_doubtful_ones_only_their_spans():
    predicted = predicted_article()
    training = as_training_article(predicted, min_score=0.9)
    # sentence 1 holds only a 0.6 claim: dropped; sentences 0 and 2 renumbered 0 and 1
    assert training.sentences == (predicted.sentences[0], predicted.sentences[2])
    assert [c.sentence for c in training.claims] == [0, 0, 1]
    russia, china, remarks = training.claims
    assert (russia.stance.value, russia.mode.value) == ("cooperative", "verbal")
    assert china.stance is None and china.mode is None and len(china.stance_options) == 3
    assert (china.source, china.target) == (predicted.claims[1].source, predicted.claims[1].target)
    assert remarks.target.text == "the remarks"
    assert training.meta["corpus"] == "pseudo"


def test_pseudo_corpus_trains_the_own_tagger_and_ignores_doubtful_pairs(tmp_path):
    write_jsonl([as_training_article(predicted_article(), 0.9)], tmp_path / "train.jsonl")
    (article,) = CORPORA["pseudo"].load("train", tmp_path)
    first = next(examples_from_article(article, "pseudo", 4, random.Random(0)))
    zarif = predicted_article().claims[0].source
    by_target = {
        first.text[p.target[0] : p.target[1]]: p
        for p in first.pairs
        if first.text[p.source[0] : p.source[1]] == zarif.text
    }
    assert by_target["Russia"].stances == ("cooperative",)
    assert set(by_target["China"].stances) == {"none", "cooperative", "adversarial", "neutral"}
    assert any(p.stances == ("none",) for p in first.pairs)  # sampled negatives
    assert "China" in {first.text[a:b] for a, b in first.roles["TARGET"]}
    assert tag_schemes_for(["claims", "pseudo", "cameo"]) == ("claims", "cameo")


def test_pseudo_label_skips_unreadable_articles_and_those_without_a_confident_claim():
    predicted = predicted_article()
    doubtful = replace(
        predicted, id="doubtful", claims=tuple(replace(c, score=0.5) for c in predicted.claims)
    )
    teacher = FakeTeacher({predicted.id: predicted, "doubtful": doubtful})
    unlabeled = [
        replace(predicted, claims=()),
        Article(id="empty", text="   "),
        replace(doubtful, claims=()),
    ]
    errors, seen = [], []
    kept = list(pseudo_label(teacher, unlabeled, 0.9, errors=errors, progress=seen.append))
    assert [a.id for a in kept] == [predicted.id]
    assert [a.id for a in seen] == [predicted.id, "doubtful"]
    assert len(errors) == 1 and "empty" in str(errors[0])
    with pytest.raises(ValueError, match="empty text"):
        list(pseudo_label(teacher, unlabeled, 0.9))


def test_pseudo_corpus_is_train_only_and_needs_its_path(own_corpus, tmp_path):
    write_jsonl([as_training_article(predicted_article(), 0.9)], tmp_path / "train.jsonl")
    config = tiny_config(own_corpus)
    config.data.corpora["pseudo"] = replace(config.data.corpora["claims"], path=str(tmp_path))
    splits = load_splits(config)
    assert splits.train["pseudo"] and splits.dev["pseudo"] == []
    config.data.corpora["pseudo"] = replace(config.data.corpora["claims"], path=None)
    with pytest.raises(MissingData, match="data.corpora.pseudo.path"):
        load_splits(config)


def test_a_student_trains_on_gold_and_pseudo_labels(own_corpus, tmp_path):
    from training.trainer import train

    write_jsonl([as_training_article(predicted_article(), 0.9)], tmp_path / "train.jsonl")
    config = tiny_config(own_corpus)
    config.data.corpora["pseudo"] = replace(config.data.corpora["claims"], path=str(tmp_path))
    metrics = train(config, tmp_path / "student", report=lambda message: None)
    meta = json.loads((tmp_path / "student" / "meta.json").read_text())
    assert meta["train_sentences"]["pseudo"] == 2 and meta["dev_sentences"]["pseudo"] == 0
    assert "pseudo" not in metrics["dev"]
