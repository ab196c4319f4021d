"""PETRARCH-format readers on team-written fixtures (tests/fixtures/petrarch/)."""

from datetime import date
from pathlib import Path

import pytest

from model.gazetteer import Gazetteer
from model.schema import IGO, Actor, RecordError
from training.corpora.petrarch_dictionaries import read_petrarch_actors, read_petrarch_agents

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "petrarch"


def test_actor_codes_names_and_dates():
    entries = list(read_petrarch_actors(FIXTURES / "actors.txt"))
    summary = [
        (e.actor.name, e.actor.country, e.actor.sector, e.start, e.end, e.kind) for e in entries
    ]
    assert summary == [
        ("Island Republic Of Northland", "NLX", "GOV", None, None, "country"),
        ("Mara Quellin", "NLX", "GOV", date(2015, 3, 1), date(2019, 6, 30), "organization"),
        ("Mara Quellin", "NLX", "OPP", date(2019, 7, 1), None, "organization"),
        ("Northern Liberation Front", "NLX", "REB", None, date(2019, 12, 31), "organization"),
        ("Northern Liberation Front", "NLX", "GOV", date(2020, 1, 1), None, "organization"),
        (
            "Mohammad Javad Zarif",
            "IRN",
            "GOV",
            date(2013, 8, 15),
            date(2021, 8, 25),
            "organization",
        ),
        ("World Organisation Of Nations", IGO, None, None, None, "organization"),
        ("Harbour Relief Society", None, "NGO", None, None, "organization"),
    ]
    assert entries[0].names == ("ISLAND REPUBLIC OF NORTHLAND", "NORTHLAND", "NORTHLANDER")


def test_agents_expand_sets_and_plurals_and_skip_roles_without_a_sector():
    assert list(read_petrarch_agents(FIXTURES / "agents.txt")) == [
        ("harbour pilot", "BUS"),
        ("customsman", "COP"),
        ("customsmen", "COP"),
        ("customswoman", "COP"),
        ("customswomen", "COP"),
        ("coast watcher", "MIL"),
        ("coast watchers", "MIL"),
        ("peace campaigner", "NGO"),
    ]


def test_bad_actor_lines_raise_with_file_and_line():
    with pytest.raises(RecordError, match=r"bad_actors\.txt:3: alias or code before any entry"):
        list(read_petrarch_actors(FIXTURES / "bad_actors.txt"))


def test_bad_actor_lines_can_be_collected():
    errors: list[RecordError] = []
    entries = list(read_petrarch_actors(FIXTURES / "bad_actors.txt", errors=errors))
    assert [error.line for error in errors] == [3, 5, 6]
    assert [e.actor.name for e in entries] == ["Good Entry", "Last Entry"]


def test_bad_agent_lines():
    with pytest.raises(RecordError, match=r"bad_agents\.txt:4"):
        list(read_petrarch_agents(FIXTURES / "bad_agents.txt"))
    errors: list[RecordError] = []
    pairs = list(read_petrarch_agents(FIXTURES / "bad_agents.txt", errors=errors))
    assert pairs == [("ferry captain", "BUS"), ("harbour guard", "COP")]
    assert [error.line for error in errors] == [4, 5]


def test_gazetteer_extend_with_petrarch_entries():
    gazetteer = Gazetteer.load()
    gazetteer.extend(
        read_petrarch_actors(FIXTURES / "actors.txt"),
        agents=read_petrarch_agents(FIXTURES / "agents.txt"),
    )
    assert gazetteer.lookup("Northlander") == Actor("Island Republic Of Northland", "NLX", "GOV")
    assert gazetteer.lookup("Quellin", "2016-05-01") == Actor("Mara Quellin", "NLX", "GOV")
    assert gazetteer.lookup("Quellin", "2020-05-01") == Actor("Mara Quellin", "NLX", "OPP")
    assert gazetteer.lookup("NLF", "2021-01-01").sector == "GOV"
    # Entries that name a known actor become it: the team data stays canonical.
    assert gazetteer.lookup("Javad Zarif") == Actor("Mohammad Javad Zarif", "IRN", "GOV")
    assert gazetteer.lookup("UN") == Actor("United Nations", IGO)
    assert gazetteer.resolve("Northland customsmen") == Actor(
        "Island Republic Of Northland", "NLX", "COP"
    )
