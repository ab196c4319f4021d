"""Coreference and actor resolution on team-written sentences."""

import pytest

from model.actors import ActorResolver
from model.gazetteer import Gazetteer
from model.mentions import candidate_spans, load_nlp


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


def resolve_all(gazetteer, text, date):
    doc = load_nlp()(text)
    persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    resolver = ActorResolver(gazetteer, date, persons)
    labels = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
    return {
        text[a:b]: resolver.resolve(a, b, text[a:b], labels.get((a, b)))
        for sentence in doc.sents
        for a, b in candidate_spans(sentence)
    }


def test_pronoun_and_title_follow_the_minister(gazetteer):
    actors = resolve_all(
        gazetteer,
        "Iran's foreign minister Javad Zarif arrived in Moscow. "
        "He praised Russia. The minister criticised Washington.",
        "2020-09-24",
    )
    zarif = actors["Iran's foreign minister"]
    assert (zarif.name, zarif.country, zarif.sector) == ("Mohammad Javad Zarif", "IRN", "GOV")
    assert actors["He"] == zarif and actors["The minister"] == zarif
    assert actors["Moscow"].country == "RUS" and actors["Washington"].country == "USA"


def test_short_name_and_demonym_and_unknowns(gazetteer):
    actors = resolve_all(
        gazetteer,
        "Mohammad Javad Zarif met Iranian officials. Zarif left. "
        "Officials from Eldoria Corp declined to comment.",
        "2019-05-01",
    )
    assert actors["Zarif"].name == "Mohammad Javad Zarif"
    assert actors["Iranian officials"].country == "IRN"
    unknown = [actor for text, actor in actors.items() if "Eldoria" in text]
    assert all(actor is None or actor.country is None for actor in unknown)


def test_pronoun_without_antecedent_stays_unresolved(gazetteer):
    actors = resolve_all(gazetteer, "He said the talks had failed.", None)
    assert actors["He"] is None
