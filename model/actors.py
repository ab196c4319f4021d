"""Actor resolution: a mention's words -> {name, country, sector}, with rule-based coreference.

Mentions are resolved in article order. A name, title phrase, demonym or capital goes to the
gazetteer ("Iran's foreign minister" on 2020-09-24 -> Mohammad Javad Zarif, IRN GOV;
"Moscow" -> Russia GOV). A pronoun takes the most recent compatible antecedent (he/she: a
person; they/them/it: a group, organisation or state); a bare title ("the minister") the most
recent person whose phrase or role shares the title word; a short name ("Zarif") an earlier
full name that ends with it. Unresolvable mentions keep `actor=None` rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from model.schema import Actor

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"they", "them", "it", "its", "we", "us", "their"}
TITLE_WORDS = {
    "minister",
    "president",
    "premier",
    "chancellor",
    "secretary",
    "envoy",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "general",
    "commander",
    "leader",
    "king",
    "queen",
    "prince",
    "emir",
    "governor",
    "senator",
    "mayor",
    "chief",
    "diplomat",
    "official",
    "prosecutor",
    "judge",
    "pope",
    "ayatollah",
}


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
    if not words or words[0] not in {"the", "a", "an", "this", "that"}:
        return None
    return next((w for w in reversed(words) if w in TITLE_WORDS), None)


class ActorResolver:
    """Resolves the mentions of one article in order; keeps the antecedents it has seen."""

    def __init__(self, gazetteer=None, date: str | None = None):
        self.gazetteer = gazetteer
        self.date = date
        self.seen: list[Resolved] = []

    def resolve(
        self, start: int, end: int, text: str, entity_label: str | None = None
    ) -> Actor | None:
        """Resolve one mention (call in text order) and remember it as an antecedent."""
        lowered = text.lower()
        actor, kind = None, "unknown"
        if is_pronoun(text):
            wanted = "person" if lowered in PERSON_PRONOUNS else "group"
            antecedent = self._latest(lambda r: r.kind == wanted and r.actor is not None)
            actor, kind = (antecedent.actor if antecedent else None), wanted
        else:
            actor = self.gazetteer.resolve(text, self.date) if self.gazetteer else None
            title = title_word(text)
            if actor is None and title:
                antecedent = self._latest(
                    lambda r: r.kind == "person" and r.actor is not None and title in r.text.lower()
                )
                actor = antecedent.actor if antecedent else None
            elif actor is None and entity_label == "PERSON":
                antecedent = self._latest(
                    lambda r: (
                        r.kind == "person"
                        and r.actor is not None
                        and r.text.lower().endswith(" " + lowered)
                    )
                )
                actor = antecedent.actor if antecedent else Actor(name=text)
            person = (
                entity_label == "PERSON"
                or title is not None
                or (
                    self.gazetteer is not None
                    and actor is not None
                    and self.gazetteer.kind_of(actor.name, self.date) == "person"
                )
            )
            kind = (
                "person" if person else "group" if actor is not None or entity_label else "unknown"
            )
        self.seen.append(Resolved(start, end, text, actor, kind))
        return actor

    def _latest(self, accept) -> Resolved | None:
        return next((r for r in reversed(self.seen) if accept(r)), None)
