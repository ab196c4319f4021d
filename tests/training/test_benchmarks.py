"""Baselines on tiny fixtures, and the leakage guard."""

import pytest

from training.baselines import LexiconBaseline, TfidfBaseline, baseline_units, read_petrarch_verbs
from training.benchmarks import LeakageError, run_benchmark
from training.corpora.authoring import read_authoring
from training.dataset import examples_from_article
from training.evaluation import summarize


def fixture_examples(fixtures):
    return [
        e
        for a in read_authoring(fixtures / "claims" / "articles.authoring.jsonl")
        for e in examples_from_article(a, "claims", 0)
    ]


def test_tfidf_baseline_fits_and_scores(fixtures):
    examples = fixture_examples(fixtures)
    scores = summarize(baseline_units(TfidfBaseline().fit(examples), examples))
    assert scores["pair_label/accuracy"] > 0.8  # it has seen these very sentences
    assert "event/macro_f1" in scores


def test_lexicon_reads_cues_and_negation():
    lexicon = LexiconBaseline()
    assert lexicon.label("Kenya [S] praised [/S] Somalia") == "verbal_cooperation"
    assert lexicon.label("Rebels shelled the base") == "material_conflict"
    assert lexicon.label("The minister did not criticise Beijing") == "neutral"


def test_petrarch_verb_reader(tmp_path):
    path = tmp_path / "verbs.txt"
    path.write_text(
        "---  APPLAUD   [041]  ---\nAPPLAUD {APPLAUDS APPLAUDED }\n\n"
        "---  PUMMEL   [---]  ---\nPUMMEL \n- * &CITY   [190]  # pummel\n"
    )
    stems = read_petrarch_verbs(path)
    assert "applauded " in stems["verbal_cooperation"]
    assert stems["material_conflict"] == ["pummel "]


def test_leakage_guard_refuses_overlap(tiny_checkpoint, monkeypatch, own_corpus):
    # the tiny checkpoint trained on the fixture corpus; evaluating on the same articles leaks
    from training import corpora

    monkeypatch.setattr(corpora, "PROJECT_DATA", own_corpus)
    with pytest.raises(LeakageError, match="seen in training"):
        run_benchmark(str(tiny_checkpoint), "claims", "dev", resamples=10)
    result = run_benchmark(str(tiny_checkpoint), "claims", "dev", allow_overlap=True, resamples=10)
    assert result["seen_in_training"] > 0 and "claim/f1" in result["scores"]
    assert set(result["ci95"]) <= set(result["scores"])
