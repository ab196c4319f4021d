"""The gazetteer on team-written cases, and the team-written data files it loads."""

import csv
from datetime import date

import pycountry
import pytest

from model.gazetteer import DATA_DIR, ActorEntry, Gazetteer, normalize
from model.schema import IGO, SECTORS, Actor

ZARIF = Actor("Mohammad Javad Zarif", "IRN", "GOV")
IRAN = Actor("Iran", "IRN", "GOV")
RUSSIA = Actor("Russia", "RUS", "GOV")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    "phrase",
    [
        "Iran's foreign minister",
        "the Iranian foreign minister",
        "Iran’s top diplomat",
        "the foreign minister of Iran",
        "Foreign Minister Mohammad Javad Zarif",
        "Zarif",
    ],
)
def test_role_phrases_resolve_to_the_holder_on_the_date(gazetteer, phrase):
    assert gazetteer.resolve(phrase, "2020-09-24") == ZARIF


def test_the_date_picks_the_holder(gazetteer):
    assert (
        gazetteer.resolve("Iran's foreign minister", "2022-03-01").name
        == "Hossein Amir-Abdollahian"
    )
    assert gazetteer.office_holder("IRN", "foreign minister", date(2020, 9, 24)) == ZARIF
    assert gazetteer.office_holder("USA", "secretary of state", "2019-05-01").name == "Mike Pompeo"
    assert gazetteer.resolve("the US president", "2019-05-01").name == "Donald Trump"
    assert gazetteer.resolve("UN secretary-general", "2015-06-01").name == "Ban Ki-moon"
    assert gazetteer.resolve("Hamas leader", "2020-01-01") == Actor("Ismail Haniyeh", "PSE", "REB")


def test_without_a_date_a_role_stays_at_country_level(gazetteer):
    assert gazetteer.resolve("the US president") == Actor("United States", "USA", "GOV")


def test_a_named_holder_wins_over_the_role(gazetteer):
    assert gazetteer.resolve("Russian President Vladimir Putin") == Actor(
        "Vladimir Putin", "RUS", "GOV"
    )
    assert gazetteer.resolve("US Secretary of State Antony Blinken").name == "Antony Blinken"


@pytest.mark.parametrize("phrase", ["He", "the minister", "officials", "a spokesman", ""])
def test_unknown_or_ownerless_phrases_give_none(gazetteer, phrase):
    assert gazetteer.resolve(phrase, "2020-09-24") is None


@pytest.mark.parametrize(
    "name, actor",
    [
        ("Moscow", RUSSIA),
        ("the Kremlin", RUSSIA),
        ("Russia", RUSSIA),
        ("Russian Federation", RUSSIA),
        ("the Pentagon", Actor("United States", "USA", "MIL")),
        ("U.S.", Actor("United States", "USA", "GOV")),
        ("Élysée", Actor("France", "FRA", "GOV")),
        ("Elysee", Actor("France", "FRA", "GOV")),
        ("Iranian", IRAN),
        ("Tehran", IRAN),
        ("NATO", Actor("NATO", IGO)),
        ("the UN", Actor("United Nations", IGO)),
        ("al Shabab", Actor("al-Shabaab", "SOM", "REB")),
        ("Xinhua", Actor("Xinhua", "CHN", "GOV")),
    ],
)
def test_lookup_names_seats_demonyms_and_acronyms(gazetteer, name, actor):
    assert gazetteer.lookup(name) == actor


@pytest.mark.parametrize(
    "phrase, actor",
    [
        ("Iranian officials", IRAN),
        ("Russian troops", Actor("Russia", "RUS", "MIL")),
        ("Ukrainian forces", Actor("Ukraine", "UKR", "MIL")),
        ("Sudanese protesters", Actor("Sudan", "SDN", "CVL")),
        ("Syrian rebels", Actor("Syria", "SYR", "REB")),
        ("Kremlin officials", RUSSIA),
        ("Pentagon officials", Actor("United States", "USA", "MIL")),
        ("NATO troops", Actor("NATO", IGO)),
    ],
)
def test_demonym_plus_agent_noun(gazetteer, phrase, actor):
    assert gazetteer.resolve(phrase) == actor


def test_taliban_status_changes_in_august_2021(gazetteer):
    assert gazetteer.lookup("Taliban", "2021-08-14") == Actor("Taliban", "AFG", "REB")
    assert gazetteer.lookup("the Taliban", date(2021, 8, 15)) == Actor("Taliban", "AFG", "GOV")


def test_ambiguous_names_are_not_guessed(gazetteer):
    assert gazetteer.lookup("Congo") is None
    assert gazetteer.lookup("DRC").country == "COD"


def test_agent_sector(gazetteer):
    assert gazetteer.agent_sector("troops") == "MIL"
    assert gazetteer.agent_sector("envoys") == "GOV"
    assert gazetteer.agent_sector("Rights groups") == "NGO"
    assert gazetteer.agent_sector("banana") is None


def test_find_spans_on_a_team_written_sentence(gazetteer):
    text = (
        "On Thursday the Kremlin said Russian troops had left, but Foreign Minister "
        "Mohammad Javad Zarif told us that the WHO and U.S. envoys in Vienna, who were "
        "in turkey talks with al-Shabaab, disagreed."
    )
    found = [(text[start:end], actor) for start, end, actor in gazetteer.find(text)]
    assert found == [
        ("Kremlin", RUSSIA),
        ("Russian", RUSSIA),
        ("Mohammad Javad Zarif", ZARIF),
        ("WHO", Actor("World Health Organization", IGO)),
        ("U.S.", Actor("United States", "USA", "GOV")),
        ("Vienna", Actor("Austria", "AUT", "GOV")),
        ("al-Shabaab", Actor("al-Shabaab", "SOM", "REB")),
    ]


def test_find_scans_long_text(gazetteer):
    text = "Iran's foreign minister met NATO envoys in Brussels and Kyiv. " * 200
    assert len(gazetteer.find(text)) == 800


def test_from_entries_and_extend():
    northland = Actor("Northland", "NLX", "GOV")
    gazetteer = Gazetteer.from_entries(
        [ActorEntry(northland, ("Northland", "Northlanders"), kind="country")],
        agents=[("harbour pilots", "BUS"), ("prime minister", "GOV", "prime minister")],
    )
    gazetteer.extend(
        [
            ActorEntry(
                Actor("Mara Quellin", "NLX", "GOV"),
                ("Mara Quellin",),
                role="prime minister",
                start=date(2015, 3, 1),
                end=date(2019, 6, 30),
                kind="person",
            )
        ]
    )
    assert gazetteer.lookup("northlanders") == northland
    assert gazetteer.resolve("Northland's prime minister", "2016-01-01").name == "Mara Quellin"
    assert gazetteer.resolve("Northland's prime minister", "2020-01-01") == northland
    assert gazetteer.resolve("Northland harbour pilots") == Actor("Northland", "NLX", "BUS")


def test_normalize():
    assert normalize("  The U.S. ") == "us"
    assert normalize("Élysée") == normalize("elysee")
    assert normalize("al-Shabaab") == normalize("Al Shabaab")
    assert normalize("OPEC+") == "opec plus"


# --- the data files -------------------------------------------------------------------------

KNOWN_CODES = {IGO, "XKX"}


def _valid_country(code: str) -> bool:
    return code in KNOWN_CODES or pycountry.countries.get(alpha_3=code) is not None


def test_every_office_holder_row_is_valid(gazetteer):
    organizations = {e.actor.name for e in gazetteer.entries if e.kind == "organization"}
    with (DATA_DIR / "office_holders.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 320
    for number, row in enumerate(rows, start=2):
        where = f"office_holders.csv:{number}"
        assert row["name"].strip() and row["role"] == row["role"].lower(), where
        assert not row["country"] or _valid_country(row["country"]), where
        assert not row["sector"] or row["sector"] in SECTORS, where
        assert row["country"] == IGO or row["sector"], where
        start = date.fromisoformat(row["start"])
        assert not row["end"] or start <= date.fromisoformat(row["end"]), where
        assert not row["organization"] or row["organization"] in organizations, where


def test_every_country_and_organization_code_is_valid(gazetteer):
    for entry in gazetteer.entries:
        assert entry.actor.country is None or _valid_country(entry.actor.country), entry
        assert entry.actor.sector is None or entry.actor.sector in SECTORS, entry
    countries = {e.actor.country for e in gazetteer.entries if e.kind == "country"}
    assert len(countries) == 193 + 6  # UN members, Palestine, Taiwan, Kosovo, W. Sahara, HK, VAT
    assert {"PSE", "TWN", "XKX", "ESH", "HKG"} <= countries


@pytest.mark.parametrize("word", ["who", "us", "un", "eu", "au"])
def test_a_lowercase_word_is_not_the_acronym_it_spells(gazetteer, word):
    assert gazetteer.lookup(word.upper()) is not None
    assert gazetteer.lookup(word) is None and gazetteer.resolve(word) is None
