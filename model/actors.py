"""Actor resolution: a mention's words -> {name, country, sector}, with rule-based coreference.

Mentions are resolved in article order, each by the first rule that applies:
1. a pronoun takes the latest compatible antecedent (he/she: a person; they/it: a group);
2. a phrase naming a person by title ("Finance Minister Mohamed Maait") is that person: the
   gazetteer's entry if it knows the name, else the name with the country and sector the
   rest of the phrase resolves to;
3. the gazetteer: names, titles by date ("Iran's foreign minister" on 2020-09-24 -> Mohammad
   Javad Zarif), demonym phrases, capitals and seats as metonyms ("Moscow" -> Russia GOV);
4. a bare title ("the minister") takes the latest person whose phrase has that title word;
   a bare group noun ("the junta", "the authorities") the latest country mentioned, with
   the noun's sector; a short name ("Zarif") an earlier full name ending with it.
Unresolvable mentions keep `actor=None` rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from model.schema import IGO, Actor

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"they", "them", "it", "its", "we", "us", "their"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
TITLE_WORDS = {
    "minister", "president", "premier", "chancellor", "secretary", "envoy", "ambassador",
    "spokesman", "spokeswoman", "spokesperson", "general", "commander", "leader", "king",
    "queen", "prince", "emir", "governor", "senator", "mayor", "chief", "diplomat",
    "official", "prosecutor", "judge", "pope", "ayatollah",
}  # fmt: skip


@dataclass
class Resolved:
    start: int
    end: int
    text: str
    actor: Actor | None
    kind: str
    """"person", "group" or "unknown": what a later pronoun may refer back to."""


def is_pronoun(text: str) -> bool:
    return text.lower() in PERSON_PRONOUNS | GROUP_PRONOUNS


def title_word(text: str) -> str | None:
    """The title noun of a bare title phrase ("the foreign minister" -> "minister")."""
    words = re.findall(r"[a-z]+", text.lower())
    if not words or words[0] not in DETERMINERS:
        return None
    return next((w for w in reversed(words) if w in TITLE_WORDS), None)


class ActorResolver:
    """Resolves the mentions of one article in text order; keeps the antecedents seen.

    `persons` are the character spans of the article's PERSON entities (spaCy), used to
    tell a titled person ("Foreign Minister X") from the office's country.
    """

    def __init__(
        self, gazetteer=None, date: str | None = None, persons: list[tuple[int, int]] | None = None
    ):
        self.gazetteer = gazetteer
        self.date = date
        self.persons = persons or []
        self.seen: list[Resolved] = []

    def resolve(
        self, start: int, end: int, text: str, entity_label: str | None = None
    ) -> Actor | None:
        """Resolve one mention (call in text order) and remember it as an antecedent."""
        if is_pronoun(text):
            kind = "person" if text.lower() in PERSON_PRONOUNS else "group"
            antecedent = self._latest(lambda r: r.kind == kind and r.actor is not None)
            actor = antecedent.actor if antecedent else None
        else:
            actor, kind = self._resolve_phrase(start, end, text, entity_label)
        self.seen.append(Resolved(start, end, text, actor, kind))
        return actor

    def _resolve_phrase(
        self, start: int, end: int, text: str, entity_label: str | None
    ) -> tuple[Actor | None, str]:
        person = next(((a, b) for a, b in self.persons if start <= a and b <= end), None)
        known = self.gazetteer.resolve(text, self.date) if self.gazetteer else None
        if person is not None:
            return self._person(text, start, person, known), "person"
        if known is not None:
            return known, "person" if self._is_person(known) else "group"
        title = title_word(text)
        if title:
            antecedent = self._latest(
                lambda r: r.kind == "person" and r.actor is not None and title in r.text.lower()
            )
            return (antecedent.actor if antecedent else None), "person"
        group = self._group_noun(text)
        if group:
            return group, "group"
        return None, "group" if entity_label else "unknown"

    def _person(self, text: str, start: int, person: tuple[int, int], known: Actor | None) -> Actor:
        """A titled or bare person name: the gazetteer's person, an earlier full name ending
        with this one, or the name with the country and sector of the rest of the phrase."""
        name = text[person[0] - start : person[1] - start]
        listed = self.gazetteer.resolve(name, self.date) if self.gazetteer else None
        if listed is not None and self._is_person(listed):
            return listed
        if known is not None and self._is_person(known):
            return known
        earlier = self._latest(
            lambda r: (
                r.kind == "person"
                and r.actor is not None
                and r.actor.name.lower().endswith(" " + name.lower())
            )
        )
        if earlier is not None:
            return earlier.actor
        owner = known or (listed if listed is not None and listed.country else None)
        return Actor(
            name=name,
            country=owner.country if owner else None,
            sector=owner.sector if owner else None,
        )

    def _group_noun(self, text: str) -> Actor | None:
        """ "the junta", "the authorities", "parliament": the latest country mentioned, with
        the agent noun's sector."""
        if self.gazetteer is None:
            return None
        words = re.findall(r"[\w-]+", text.lower())
        if words and words[0] in DETERMINERS:
            words = words[1:]
        if not words or len(words) > 2:
            return None
        sector = self.gazetteer.agent_sector(" ".join(words))
        if sector is None:
            return None
        country = self._latest(lambda r: r.actor is not None and r.actor.country not in (None, IGO))
        if country is None:
            return None
        code = country.actor.country
        state = self.gazetteer.country(code)
        return Actor(name=state.name if state else code, country=code, sector=sector)

    def _is_person(self, actor: Actor) -> bool:
        return (
            self.gazetteer is not None and self.gazetteer.kind_of(actor.name, self.date) == "person"
        )

    def _latest(self, accept) -> Resolved | None:
        return next((r for r in reversed(self.seen) if accept(r)), None)
