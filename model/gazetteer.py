"""Actor gazetteer: from a name or a noun phrase in news text to a canonical `Actor`.

Mentions are coded the way ANNOTATION_GUIDELINES.md codes them: a country name, capital,
seat or demonym is that country's government ("Moscow", "the Kremlin", "Iranian" ->
Russia/Iran GOV); a role phrase is its office holder on the article's date ("Iran's foreign
minister" on 2020-09-24 -> Mohammad Javad Zarif); a demonym plus an agent noun is the
country with the noun's sector ("Russian troops" -> Russia MIL). Nothing is guessed: a name
that fits two actors equally well resolves to None.

The data lives in data/actors/ (see its README.md); PETRARCH dictionaries can be added with
`extend(training.corpora.petrarch_dictionaries.read_petrarch_actors(path))`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pycountry
import yaml

from model.schema import IGO, Actor

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "actors"

Kind = Literal["country", "metonym", "demonym", "organization", "person"]
# When one name fits different actors of several kinds, the first kind here wins ("Abbas" the
# person before any place); two different actors of the same kind make the name ambiguous.
KIND_ORDER: tuple[Kind, ...] = ("person", "organization", "country", "metonym", "demonym")
_DETERMINERS = frozenset({"the", "a", "an"})
_TOKEN = re.compile(r"(?:\w\.){2,}|\w+\+?")  # "U.S." is one token; "OPEC+" keeps its plus
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_EARLIEST = date.min


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A set of names for one actor, valid from `start` to `end` (inclusive; None = open).

    `role` and `organization` are set for office holders: "foreign minister" of the
    actor's country, or "leader" of the organisation named (Hamas, NATO, ...).
    """

    actor: Actor
    names: tuple[str, ...]
    role: str | None = None
    start: date | None = None
    end: date | None = None
    kind: Kind = "organization"
    organization: str | None = None

    def valid(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


def normalize(text: str) -> str:
    """The lookup key of a name: no accents, casefolded, periods dropped ("U.S." = "US"),
    other punctuation as spaces ("al-Shabaab" = "al Shabaab"), no leading "the"."""
    key = _fold(text)
    return key[4:] if key.startswith("the ") else key


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("+", " plus"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace(".", "")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def as_date(value: str | date | None) -> date | None:
    """An ISO date string, date or datetime as a date (None stays None)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class Gazetteer:
    """Name -> actor lookups, office holders by date, noun-phrase resolution and text scans."""

    def __init__(self) -> None:
        self.entries: list[ActorEntry] = []
        self._by_key: dict[str, list[ActorEntry]] = defaultdict(list)
        self._forms: dict[str, set[str]] = defaultdict(set)
        self._longest: dict[str, int] = {}
        self._holders: dict[tuple[str, str], list[ActorEntry]] = defaultdict(list)
        self._agents: dict[str, tuple[str, str | None]] = {}

    @classmethod
    def load(cls, directory: Path | None = None) -> Gazetteer:
        """The gazetteer of the team-written data files (default: the repository's data/actors)."""
        directory = Path(directory) if directory is not None else DATA_DIR
        gazetteer = cls()
        gazetteer.extend(
            read_countries(directory / "countries.yaml"),
            agents=read_agents(directory / "agents.yaml"),
        )
        gazetteer.extend(read_organizations(directory / "organizations.yaml"))
        gazetteer.extend(read_office_holders(directory / "office_holders.csv"))
        return gazetteer

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[ActorEntry],
        agents: Iterable[tuple[str, str] | tuple[str, str, str | None]] = (),
    ) -> Gazetteer:
        gazetteer = cls()
        gazetteer.extend(entries, agents)
        return gazetteer

    def extend(
        self,
        entries: Iterable[ActorEntry],
        agents: Iterable[tuple[str, str] | tuple[str, str, str | None]] = (),
    ) -> None:
        """Add entries and agent nouns ((noun, sector) or (noun, sector, role)).

        What is added first stays canonical: a new entry that shares a name and a code with a
        known actor becomes that actor (PETRARCH's "Russian Federation" is the team data's
        "Russia"), and a known agent noun keeps its sector and role.
        """
        for entry in entries:
            entry = self._canonical(entry)
            self.entries.append(entry)
            for name in entry.names:
                key = normalize(name)
                if not key:
                    continue
                bucket = self._by_key[key]
                if not bucket or bucket[-1] is not entry:  # two names, one key
                    bucket.append(entry)
                self._forms[key].add(name)
                first, *rest = key.split(" ")
                self._longest[first] = max(self._longest.get(first, 0), len(rest) + 1)
            if entry.role:
                owner = entry.organization or entry.actor.country or ""
                self._holders[(owner, normalize(entry.role))].append(entry)
        for noun, sector, *role in agents:
            self._agents.setdefault(
                normalize(noun), (sector, normalize(role[0]) if role and role[0] else None)
            )

    # --- lookups -------------------------------------------------------------------------

    def lookup(self, name: str, date: str | date | None = None) -> Actor | None:
        """The actor a full name, alias, surname, demonym, capital, seat or acronym stands for
        (an acronym only in capitals, or capitalised from four letters: "Nato")."""
        if self._spells_acronym(name):
            return None
        entry = self._entry(name, as_date(date))
        return entry.actor if entry else None

    def country(self, code: str) -> Actor | None:
        """The government actor of an ISO3 code ("BFA" -> Burkina Faso, BFA, GOV)."""
        return next(
            (e.actor for e in self.entries if e.kind == "country" and e.actor.country == code), None
        )

    def kind_of(self, name: str, date: str | date | None = None) -> str | None:
        """What a known name is: "person", "country", "metonym", "demonym" or
        "organization" (so that "he" refers back to persons only); None if unknown."""
        entry = self._entry(name, as_date(date))
        return entry.kind if entry else None

    def agent_sector(self, noun: str) -> str | None:
        """The sector of an agent noun ("troops" -> MIL), None when it is not one."""
        agent = self._agent(normalize(noun))
        return agent[0] if agent else None

    def office_holder(
        self, country: str, role: str, date: str | date | None = None
    ) -> Actor | None:
        """Who held `role` ("foreign minister", "top diplomat", ...) for a country (ISO3 or
        name) or an organisation ("UN", "Hamas") on `date`; without a date, the holder still
        in office at the end of the data."""
        when = as_date(date)
        agent = self._agent(normalize(role))
        role_key = agent[1] if agent and agent[1] else normalize(role)
        owners = [country]
        owner = self._entry(country, when)
        if owner is not None:
            owners.append(_owner_key(owner))
        for key in owners:
            holders = self._holders.get((key, role_key), ())
            current = [e for e in holders if (e.valid(when) if when else e.end is None)]
            if current:
                return max(current, key=lambda e: e.start or _EARLIEST).actor
        return None

    def resolve(self, phrase: str, date: str | date | None = None) -> Actor | None:
        """The actor a noun phrase refers to, or None when nothing in it is known.

        Tried in order: the whole phrase as a name; "<owner> <role or agent> [name]"
        ("Iran's foreign minister", "Russian President Vladimir Putin", "Iranian officials");
        "<role or agent> of <owner>"; a person, else an organisation, named inside it.
        """
        when = as_date(date)
        actor = self.lookup(phrase, when)
        if actor is not None:
            return actor
        words = _fold(_POSSESSIVE.sub("", phrase)).split()
        while words and words[0] in _DETERMINERS:
            words = words[1:]
        return (
            self._owner_then_agent(words, when)
            or self._agent_of_owner(words, when)
            or self._named_in(phrase, when)
        )

    def find(self, text: str, date: str | date | None = None) -> list[tuple[int, int, Actor]]:
        """Every known name in a text as (start, end, actor), longest match first, left to right."""
        return [(start, end, entry.actor) for start, end, entry in self._scan(text, as_date(date))]

    # --- internals -----------------------------------------------------------------------

    def _entry(self, name: str, when: date | None) -> ActorEntry | None:
        entries = self._by_key.get(normalize(name))
        if not entries and _POSSESSIVE.search(name):
            entries = self._by_key.get(normalize(_POSSESSIVE.sub("", name)))
        return _pick(entries, when) if entries else None

    def _spells_acronym(self, text: str) -> bool:
        """A word in lower case that spells only an acronym ("who", "us", "au" are not WHO,
        the US or the African Union)."""
        forms = self._forms.get(normalize(text), ())
        return text.islower() and bool(forms) and all(form.isupper() for form in forms)

    def _canonical(self, entry: ActorEntry) -> ActorEntry:
        code = entry.actor.country, entry.actor.sector
        for name in entry.names:
            for known in self._by_key.get(normalize(name), ()):
                if (known.actor.country, known.actor.sector) == code and (
                    entry.kind != "person" or known.kind == "person"
                ):
                    return replace(entry, actor=known.actor)
        return entry

    def _agent(self, noun: str) -> tuple[str, str | None] | None:
        """An agent noun, also found from a regular plural ("envoys", "militias")."""
        for candidate in (
            noun,
            noun[:-1] if noun.endswith("s") else "",
            noun[:-2] if noun.endswith("es") else "",
        ):
            if candidate and candidate in self._agents:
                return self._agents[candidate]
        return None

    def _owner_then_agent(self, words: list[str], when: date | None) -> Actor | None:
        for cut in range(len(words) - 1, 0, -1):
            owner = self._entry(" ".join(words[:cut]), when)
            if owner is not None and owner.kind != "person":
                return self._with_agent(owner, words[cut:], when)
        return None

    def _agent_of_owner(self, words: list[str], when: date | None) -> Actor | None:
        for index, word in enumerate(words):
            if word != "of" or not self._agent(" ".join(words[:index])):
                continue
            owner = self._entry(" ".join(words[index + 1 :]), when)
            if owner is not None and owner.kind != "person":
                return self._with_agent(owner, words[:index], when)
        return None

    def _with_agent(self, owner: ActorEntry, rest: list[str], when: date | None) -> Actor | None:
        """The actor of "<owner> <agent noun> [name]": the named person, the office holder on
        the date, the organisation itself, or the owner's country with the noun's sector."""
        for cut in range(len(rest), 0, -1):
            agent = self._agent(" ".join(rest[:cut]))
            if agent is not None:
                break
        else:
            person = self._entry(" ".join(rest), when)
            return person.actor if person is not None and person.kind == "person" else None
        sector, role = agent
        tail = rest[cut:]
        if tail:
            person = self._entry(" ".join(tail), when)
            if person is not None and person.kind == "person":
                return person.actor
        elif role and when:
            holder = self.office_holder(_owner_key(owner), role, when)
            if holder is not None:
                return holder
        if owner.kind == "organization":
            return owner.actor
        if owner.kind == "metonym" and owner.actor.sector not in (None, "GOV"):
            sector = owner.actor.sector  # "Pentagon officials" stay MIL
        return Actor(owner.actor.name, owner.actor.country, sector)

    def _named_in(self, phrase: str, when: date | None) -> Actor | None:
        found = [entry for _, _, entry in self._scan(phrase, when)]
        for kind in ("person", "organization"):
            actors = {entry.actor for entry in found if entry.kind == kind}
            if actors:
                return actors.pop() if len(actors) == 1 else None
        return None

    def _scan(self, text: str, when: date | None) -> Iterator[tuple[int, int, ActorEntry]]:
        tokens = [(m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text)]
        index = 0
        while index < len(tokens):
            first = tokens[index][2]
            longest = 0 if first == "the" else self._longest.get(first, 0)
            for size in range(min(longest, len(tokens) - index), 0, -1):
                key = " ".join(token[2] for token in tokens[index : index + size])
                start, end = tokens[index][0], tokens[index + size - 1][1]
                entries = self._by_key.get(key)
                if not entries or not any(
                    _case_fits(form, text[start:end]) for form in self._forms[key]
                ):
                    continue
                entry = _pick(entries, when)
                if entry is not None:
                    yield start, end, entry
                    index += size
                    break
            else:
                index += 1


def _pick(entries: list[ActorEntry], when: date | None) -> ActorEntry | None:
    """The entry a name means on a date (without one: the entries still valid at the end of
    the data, else all). Entries that agree on the actor give the one added first; otherwise
    the best kind decides: one person in several offices gives the latest office, two
    different actors of that kind give None."""
    if when is not None:
        entries = [entry for entry in entries if entry.valid(when)]
    else:
        entries = [entry for entry in entries if entry.end is None] or entries
    if len({_identity(entry) for entry in entries}) == 1:
        return entries[0]
    for kind in KIND_ORDER:
        same_kind = [entry for entry in entries if entry.kind == kind]
        if len({_identity(entry) for entry in same_kind}) == 1:
            return same_kind[0]
        if kind == "person" and len({entry.actor.name for entry in same_kind}) == 1:
            return max(same_kind, key=lambda entry: entry.start or _EARLIEST)  # latest office
        if same_kind:
            return None
    return None


def _identity(entry: ActorEntry) -> Any:
    """What makes two entries the same actor: a person is one actor; a place, seat or national
    group is its country and sector whatever its name ("Moscow", "Kremlin"); an IGO its name."""
    actor = entry.actor
    if entry.kind == "person" or actor.country in (None, IGO):
        return actor
    return actor.country, actor.sector


def _owner_key(entry: ActorEntry) -> str:
    return entry.actor.name if entry.kind == "organization" else entry.actor.country or ""


def _case_fits(form: str, surface: str) -> bool:
    """Acronyms match only in capitals ("US", not "us"; "Nato" for 4+ letters); other names
    only when capitalised, unless the name itself is not ("al-Shabaab")."""
    letters = "".join(c for c in form if c.isalpha())
    seen = "".join(c for c in surface if c.isalpha())
    if letters and letters.isupper():
        return seen == letters or (len(letters) >= 4 and seen == letters.capitalize())
    return not letters[:1].isupper() or seen[:1].isupper()


# --- readers of the data files -------------------------------------------------------------


def read_countries(path: Path) -> Iterator[ActorEntry]:
    """countries.yaml on top of pycountry: names, demonyms, capitals and seats per ISO3 code."""
    data = _read_yaml(path)
    for code, spec in data.items():
        spec = spec or {}
        record = pycountry.countries.get(alpha_3=code)
        if record is None and not spec.get("name"):
            raise ValueError(f"{path}: {code} is not in pycountry and has no name")
        given = [getattr(record, field, None) for field in ("name", "official_name", "common_name")]
        official = [name for name in given if name and "," not in name and "(" not in name]
        name = spec.get("name") or getattr(record, "common_name", None) or record.name
        government = Actor(name, code, "GOV")
        yield ActorEntry(
            government, _unique([name, *official, *spec.get("aliases", ())]), kind="country"
        )
        demonyms = [
            form
            for demonym in spec.get("demonyms", ())
            for form in (demonym, demonym + "s" if demonym.endswith(("an", "i")) else "")
        ]
        if demonyms:
            yield ActorEntry(government, _unique(demonyms), kind="demonym")
        if spec.get("capitals"):
            yield ActorEntry(government, _unique(spec["capitals"]), kind="metonym")
        for seat in spec.get("metonyms", ()):
            seat = {"name": seat} if isinstance(seat, str) else seat
            yield ActorEntry(
                Actor(name, code, seat.get("sector", "GOV")),
                (seat["name"],),
                start=as_date(seat.get("start")),
                end=as_date(seat.get("end")),
                kind="metonym",
            )


def read_organizations(path: Path) -> Iterator[ActorEntry]:
    """organizations.yaml: one entry per organisation, or one per period of its status."""
    for spec in _read_yaml(path):
        names = _unique([spec["name"], *spec.get("aliases", ())])
        for period in spec.get("periods") or [spec]:
            yield ActorEntry(
                Actor(spec["name"], period.get("country"), period.get("sector")),
                names,
                start=as_date(period.get("start")),
                end=as_date(period.get("end")),
                kind="organization",
            )


def read_office_holders(path: Path) -> Iterator[ActorEntry]:
    """office_holders.csv: one row per term of office."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            aliases = [alias.strip() for alias in row["aliases"].split(";") if alias.strip()]
            yield ActorEntry(
                Actor(row["name"], row["country"] or None, row["sector"] or None),
                _unique([row["name"], *aliases]),
                role=row["role"],
                start=as_date(row["start"]),
                end=as_date(row["end"]),
                kind="person",
                organization=row.get("organization") or None,
            )


def read_agents(path: Path) -> Iterator[tuple[str, str, str | None]]:
    """agents.yaml: (noun, sector, role or None)."""
    for noun, value in _read_yaml(path).items():
        if isinstance(value, dict):
            yield str(noun), value["sector"], value.get("role")
        else:
            yield str(noun), value, None


def coverage(directory: Path | None = None) -> dict[str, int]:
    """Counts for the data card (data/actors/README.md)."""
    gazetteer = Gazetteer.load(directory)
    entries = gazetteer.entries
    return {
        "countries and territories": len({e.actor.country for e in entries if e.kind == "country"}),
        "organizations": len({e.actor.name for e in entries if e.kind == "organization"}),
        "intergovernmental organizations": len(
            {e.actor.name for e in entries if e.kind == "organization" and e.actor.country == IGO}
        ),
        "office-holder terms": sum(e.kind == "person" for e in entries),
        "office holders (people)": len({e.actor.name for e in entries if e.kind == "person"}),
        "metonyms and capitals": sum(len(e.names) for e in entries if e.kind == "metonym"),
        "demonym forms": sum(len(e.names) for e in entries if e.kind == "demonym"),
        "agent nouns": len(gazetteer._agents),
        "lookup keys": len(gazetteer._by_key),
    }


def _read_yaml(path: Path) -> Any:
    """Parse YAML with libyaml when present: the pure-Python parser takes most of a load."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in names if name))
