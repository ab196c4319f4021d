"""Converters on team-written fixtures, and on the real corpora when the data directory exists."""

from collections import Counter

import pytest

from model.schema import Label, RecordError, Stance, validate
from training.corpora import CORPORA
from training.corpora.aw import read_aw
from training.corpora.cameo import read_cameo, read_cameo_class, read_cameo_spans
from training.corpora.directed_sentiment import read_directed_sentiment
from training.corpora.plv import read_plv
from training.corpora.polnear import read_polnear


def pairs(article):
    return [
        (c.source.text if c.source else None, c.target.text if c.target else None)
        for c in article.claims
    ]


def test_cameo_joins_class_and_spans(fixtures):
    articles = list(
        read_cameo(fixtures / "cameo/class_train.tsv", fixtures / "cameo/spans_train.txt")
    )
    by_case = Counter(a.meta["joined"] for a in articles)
    assert by_case == {"class+spans": 2, "spans-only": 1, "class-only": 1}
    police = articles[0]
    assert police.text.startswith("Kenyan police arrested")
    assert pairs(police) == [("Kenyan police", "twelve protesters")]
    assert police.claims[0].label is Label.MATERIAL_CONFLICT
    pact = articles[1]
    assert (
        pact.meta["joined"] == "spans-only"
        and pact.text == "Japan and Vietnam signed a maritime pact ."
    )
    assert sorted(pairs(pact)) == [("Japan", "Vietnam"), ("Vietnam", "Japan")]
    assert all(c.stance is None for c in pact.claims)
    envoy = articles[2]  # curly apostrophe in the class file, "'s" token in the span file
    assert envoy.meta["sentence_label"] == "neutral"
    assert [m.text for m in envoy.mentions] == ["Colombia’s rebels"]
    assert articles[3].meta == {
        "corpus": "cameo",
        "joined": "class-only",
        "sentence_label": "verbal_cooperation",
    }
    for article in articles:
        validate(article)


def test_cameo_bad_line_names_file_and_line(tmp_path):
    bad = tmp_path / "class.tsv"
    bad.write_text("A sentence.\t1\nNo label here\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"class.tsv:2"):
        list(read_cameo_class(bad))
    spans = tmp_path / "spans.txt"
    spans.write_text("Word B-S\nbroken\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"spans.txt:2"):
        list(read_cameo_spans(spans))


def test_plv_groups_rows_and_keeps_missing_target(fixtures):
    articles = list(read_plv(fixtures / "plv/train.tsv"))
    assert [len(a.claims) for a in articles] == [1, 2, 1]
    ghana = articles[0].claims[0]
    assert (ghana.source.text, ghana.target.text) == ("Ghana's president", "China")
    assert ghana.label is Label.VERBAL_COOPERATION and ghana.event_type.value == "SUPPORT"
    assert pairs(articles[1]) == [
        ("Chilean riot police", "students"),
        ("Chilean riot police", "striking miners"),
    ]
    relief = articles[2].claims[0]
    assert relief.target is None and relief.source.text == "the agency"


def test_aw_binary_leaves_unknowns_unknown(fixtures):
    articles = list(read_aw(fixtures / "aw/train.tsv"))
    assert len(articles) == 2
    ambush, merger = articles
    assert [c.stance for c in ambush.claims] == [Stance.ADVERSARIAL, Stance.ADVERSARIAL]
    assert all(c.mode is None for c in ambush.claims)
    assert len(ambush.mentions) == 3
    (claim,) = merger.claims
    assert claim.stance is None and claim.stance_options == (Stance.COOPERATIVE, Stance.NEUTRAL)


def test_directed_sentiment_direction_and_broken_brackets(fixtures):
    articles = list(read_directed_sentiment(fixtures / "directed_sentiment/train.txt"))
    peru, senator, reporters, oslo = articles
    assert [m.text for m in peru.mentions] == ["Peru", "the World Bank"]
    assert pairs(peru) == [("Peru", "the World Bank")]
    assert peru.claims[0].stance is Stance.COOPERATIVE and peru.claims[0].mode is None
    assert senator.claims[0].stance is Stance.ADVERSARIAL
    assert reporters.claims == () and len(reporters.mentions) == 2
    assert pairs(oslo) == [("Reykjavik", "Oslo")]  # label 4: e2 is the source


def test_polnear_picks_the_fullest_annotator_and_outer_ranges(fixtures):
    (article,) = read_polnear(fixtures / "polnear/train")
    assert article.meta["annotator"] == "bb22"
    sources = [c.source.text for c in article.claims]
    assert sources == ["Senator Mara Quill", "Her spokesman"]
    assert article.claims[1].claim.text == 'that the\nvote was "a formality."'
    assert all(c.target is None and c.stance is None for c in article.claims)
    validate(article)


def test_registry_names_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="plv/test.tsv"):
        CORPORA["plv"].load("test", tmp_path)


# The real corpora (present in CI beside the repository): counts and offsets.


def test_real_corpora_counts_and_offsets(data_dir):
    cameo = CORPORA["cameo"]
    class_path, spans_path = cameo.paths("train", data_dir)
    assert sum(1 for _ in read_cameo_class(class_path)) == 1349
    assert sum(1 for _ in read_cameo_spans(spans_path)) == 1153
    for article in cameo.load("train", data_dir):
        validate(article)
    assert sum(len(a.claims) for a in CORPORA["plv"].load("train", data_dir)) == 1050
    assert sum(len(a.claims) for a in CORPORA["aw"].load("train", data_dir)) == 802
    ds = CORPORA["directed_sentiment"]
    assert sum(1 for _ in ds.load("train", data_dir)) == 12740
    assert sum(1 for _ in ds.load("dev", data_dir)) == 1418
    polnear = CORPORA["polnear"]
    assert sum(1 for _ in polnear.load("train", data_dir)) == 840
    assert sum(1 for _ in polnear.load("dev", data_dir)) == 84
    for name in ("plv", "aw", "directed_sentiment", "polnear"):
        for article in CORPORA[name].load("train", data_dir):
            validate(article)
