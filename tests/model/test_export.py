"""Dyad exports: counts, GraphML round trip, time series."""

import csv

import networkx as nx

from model.export import dyads, time_series, write_edges_csv, write_graphml
from model.schema import Actor, Article, Claim, Mention, Mode, Stance

TEXT = "Iran praised Russia. Russia thanked Iran. Iran criticised Russia. He met someone."
IRN, RUS = Actor("Iran", "IRN", "GOV"), Actor("Russia", "RUS", "GOV")


def claim(source, target, stance, score=0.9):
    def mention(word, actor, after=0):
        start = TEXT.index(word, after)
        return Mention(word, start, start + len(word), actor)

    return Claim(
        source=mention(*source),
        target=mention(*target),
        stance=stance,
        mode=Mode.VERBAL,
        score=score,
    )


def articles():
    return [
        Article(
            "a1",
            TEXT,
            meta={"date": "2020-09-24"},
            claims=(
                claim(("Iran", IRN), ("Russia", RUS), Stance.COOPERATIVE, 0.8),
                claim(("Russia", RUS, 20), ("Iran", IRN, 20), Stance.COOPERATIVE),
                claim(("He", None), ("Russia", RUS), Stance.NEUTRAL),
            ),
        ),
        Article(
            "a2",
            TEXT,
            meta={"date": "2020-10-02"},
            claims=(claim(("Iran", IRN, 40), ("Russia", RUS, 40), Stance.ADVERSARIAL, 0.6),),
        ),
    ]


def test_dyads_count_and_skip_unresolved():
    table, skipped = dyads(articles())
    first = table[0]
    assert (first.source, first.target, first.count) == ("Iran|IRN|GOV", "Russia|RUS|GOV", 2)
    assert first.row()["cooperative"] == 1 and first.row()["adversarial"] == 1
    assert first.row()["mean_confidence"] == 0.7
    assert (first.row()["first_date"], first.row()["last_date"]) == ("2020-09-24", "2020-10-02")
    assert skipped == {"unresolved actor": 1}
    country_table, _ = dyads(articles(), level="country")
    assert [(d.source, d.target) for d in country_table] == [("IRN", "RUS"), ("RUS", "IRN")]


def test_graphml_and_csv_round_trip(tmp_path):
    table, _ = dyads(articles())
    write_graphml(table, tmp_path / "g.graphml")
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert graph.number_of_edges() == 2
    assert graph.edges["Iran|IRN|GOV", "Russia|RUS|GOV"]["claims"] == 2
    assert graph.nodes["Iran|IRN|GOV"]["country"] == "IRN"
    write_edges_csv(table, tmp_path / "e.csv")
    rows = list(csv.DictReader((tmp_path / "e.csv").open()))
    assert [int(r["claims"]) for r in rows] == [2, 1]


def test_monthly_series():
    series = time_series(articles(), level="country", period="month")
    assert [(r["period"], r["source"], r["cooperative"], r["adversarial"]) for r in series] == [
        ("2020-09", "IRN", 1, 0),
        ("2020-09", "RUS", 1, 0),
        ("2020-10", "IRN", 0, 1),
    ]


def test_country_dyads_skip_the_journalists_evaluations():
    authored = claim(("Iran", Actor("AUTHOR")), ("Russia", RUS), Stance.ADVERSARIAL)
    article = Article("a3", TEXT, claims=(authored,))
    edges, skipped = dyads([article], level="country")
    assert edges == [] and skipped["journalist's evaluation (AUTHOR)"] == 1
    edges, _ = dyads([article], level="actor")
    assert [(e.source, e.target) for e in edges] == [("AUTHOR||", "Russia|RUS|GOV")]
