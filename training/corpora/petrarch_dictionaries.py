"""PETRARCH/TABARI actor and agent dictionaries as gazetteer entries.

Lets the gazetteer use the large public CAMEO dictionaries (Phoenix.Countries.actors.txt,
Phoenix.agents.txt, ...) in place of, or on top of, the team-written data:

    gazetteer.extend(read_petrarch_actors(path), agents=read_petrarch_agents(agents_path))

Actor files: an entry starts with an unindented name line (`MOHAMMAD_JAVAD_ZARIF_`), takes
more names from `+ALIAS_` lines and codes from `[CODE]` or `[CODE date]` groups on the name
line or on indented lines below it. Words are joined by underscores; `#` starts a comment.
A code is a country (IRN), an IGO code (IGO...) or a role code (NGO...), followed by 3-letter
role codes (GOV, MIL, ...) of which the first that maps to a guideline sector is kept
(IRNGOVMIL -> IRN GOV). Dates are YYMMDD (YY < 50 is 20YY) or YYYYMMDD: `>130101` from that
day, `<150101` until it, `130101-150101` both. CAMEO country codes are kept as written; a few
are not ISO3 (USR for the USSR).

Agent files: `NOUN_PHRASE {PLURALS} [~SEC]` lines, where `!SET!` in a noun stands for each
word of a `!SET! = A, B, C` line.

Errors: a malformed line raises `RecordError` with file and line; pass `errors=[]` to collect
them instead and keep reading (the public files hold a few malformed dates). Codes that carry
no information (`[---]`) or whose roles have no guideline sector (agents `[~CRM]`) are skipped
without error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from model.gazetteer import ActorEntry
from model.schema import IGO, Actor, RecordError

# CAMEO role codes -> guideline sector (None: a role with no sector of its own).
CAMEO_ROLES: dict[str, str | None] = {
    "GOV": "GOV",
    "MIL": "MIL",
    "LEG": "LEG",
    "JUD": "JUD",
    "COP": "COP",
    "OPP": "OPP",
    "REB": "REB",
    "BUS": "BUS",
    "MED": "MED",
    "NGO": "NGO",
    "CVL": "CVL",
    "REL": "REL",
    "EDU": "EDU",
    "INS": "REB",
    "SEP": "REB",
    "UAF": "REB",
    "IMG": "REB",
    "SPY": "GOV",
    "MNC": "BUS",
    "NGM": "NGO",
    "HRI": "NGO",
    "ENV": "NGO",
    "REF": "CVL",
    "LAB": "CVL",
    "AGR": "CVL",
    "SET": "CVL",
    "ELI": None,
    "CRM": None,
    "DEV": None,
    "HLH": None,
    "MOD": None,
    "RAD": None,
    "PTY": None,
    "UIS": None,
}
_CODE = re.compile(r"\[([^\]]*)\]")
_SET_DEFINITION = re.compile(r"^(![A-Z]+!)\s*=\s*(.+)$")
Code = tuple[str | None, str | None, date | None, date | None]  # country, sector, start, end
_AGENT = re.compile(r"^(?P<noun>[^\[{]+?)\s*(?:\{(?P<plurals>[^}]*)\})?\s*\[(?P<code>[^\]]+)\]")


def read_petrarch_actors(
    path: str | Path, errors: list[RecordError] | None = None
) -> Iterator[ActorEntry]:
    """One `ActorEntry` per code of each entry, with all of the entry's names."""
    path = Path(path)
    names: list[str] = []
    codes: list[Code] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            text = line.split("[", 1)[0].strip()
            if text and not text.startswith("+"):  # a new entry, even if its codes are bad
                yield from _entries(names, codes)
                names, codes = [_words(text)], []
            try:
                if not names:
                    raise ValueError("alias or code before any entry")
                if text.startswith("+"):
                    names.append(_words(text[1:]))
                codes.extend(_codes(line))
            except ValueError as error:
                failure = RecordError(f"{error}: {raw.strip()!r}", path=str(path), line=number)
                if errors is None:
                    raise failure from None
                errors.append(failure)
    yield from _entries(names, codes)


def read_petrarch_agents(
    path: str | Path, errors: list[RecordError] | None = None
) -> Iterator[tuple[str, str]]:
    """(agent noun, sector) pairs, lowercased, with plural and substitution-set forms."""
    path = Path(path)
    sets: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            definition = _SET_DEFINITION.match(line)
            if definition:
                sets[definition[1]] = [word.strip() for word in definition[2].split(",")]
                continue
            match = _AGENT.match(line)
            try:
                if match is None:
                    raise ValueError("expected 'NOUN {PLURALS} [~CODE]'")
                sector = _agent_sector(match["code"])
                forms = [match["noun"], *(match["plurals"] or "").split()]
                nouns = [noun for form in forms for noun in _expand(form, sets)]
            except ValueError as error:
                failure = RecordError(f"{error}: {raw.strip()!r}", path=str(path), line=number)
                if errors is None:
                    raise failure from None
                errors.append(failure)
                continue
            if sector is not None:
                for noun in dict.fromkeys(nouns):
                    yield noun, sector


def _codes(line: str) -> list[Code]:
    """The `[CODE date]` groups of a line, without those that carry no information."""
    found = []
    for group in _CODE.findall(line):
        code, *when = group.split() or [""]
        country, sector = _actor_code(code)
        if country is not None or sector is not None:
            found.append((country, sector, *_date_range("".join(when))))
    if line.count("[") != len(_CODE.findall(line)):
        raise ValueError("unclosed '['")
    return found


def _date_range(spec: str) -> tuple[date | None, date | None]:
    if not spec:
        return None, None
    if spec.startswith(">"):
        return _date(spec[1:]), None
    if spec.startswith("<"):
        return None, _date(spec[1:])
    start, separator, end = spec.partition("-")
    if not separator:
        raise ValueError(f"date restriction {spec!r} is not >DATE, <DATE or DATE-DATE")
    return _date(start), _date(end)


def _date(digits: str) -> date:
    if not digits.isdigit() or len(digits) not in (6, 8):
        raise ValueError(f"date {digits!r} is not YYMMDD or YYYYMMDD")
    if len(digits) == 6:
        year = int(digits[:2])
        digits = f"{2000 + year if year < 50 else 1900 + year}{digits[2:]}"
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def _entries(names: list[str], codes: list[Code]) -> Iterator[ActorEntry]:
    names = [name for name in dict.fromkeys(names) if name]
    for country, sector, start, end in codes:
        kind = "country" if country not in (None, IGO) and sector is None else "organization"
        actor = Actor(names[0].title(), country, "GOV" if kind == "country" else sector)
        yield ActorEntry(actor, tuple(names), start=start, end=end, kind=kind)


def _actor_code(code: str) -> tuple[str | None, str | None]:
    """IRNGOV -> (IRN, GOV); IGOUNO -> (IGO, None); NGOHRI -> (None, NGO); --- -> (None, None)."""
    if set(code) <= {"-"}:
        return None, None
    if not re.fullmatch(r"[A-Z]{3}(?:[A-Z0-9]{3})*", code):
        raise ValueError(f"code {code!r} is not a sequence of 3-letter CAMEO codes")
    segments = [code[i : i + 3] for i in range(0, len(code), 3)]
    country = None
    if segments[0] == IGO:
        country, segments = IGO, segments[1:]
    elif segments[0] not in CAMEO_ROLES:
        country, segments = segments[0], segments[1:]
    sector = next((CAMEO_ROLES[s] for s in segments if CAMEO_ROLES.get(s)), None)
    return country, sector


def _agent_sector(code: str) -> str | None:
    code = code.strip()
    if "~" not in code:
        raise ValueError(f"agent code {code!r} has no '~'")
    _, sector = _actor_code(code.replace("~", ""))
    return sector


def _expand(form: str, sets: dict[str, list[str]]) -> list[str]:
    """A noun with each `!SET!` replaced by each of its words, as lowercase phrases."""
    marker = re.search(r"![A-Z]+!", form)
    if marker is None:
        return [_words(form).lower()] if _words(form) else []
    if marker[0] not in sets:
        raise ValueError(f"substitution set {marker[0]} is not defined")
    return [
        noun
        for word in sets[marker[0]]
        for noun in _expand(form[: marker.start()] + word + form[marker.end() :], sets)
    ]


def _words(raw: str) -> str:
    """`MOHAMMAD_JAVAD_ZARIF_` -> `MOHAMMAD JAVAD ZARIF`."""
    return " ".join(raw.replace("_", " ").split())
