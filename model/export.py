"""Claims -> networks: dyad edge lists, GraphML (Gephi, visone) and per-dyad time series.

A dyad is an ordered (source actor, target actor) pair, at the level of the actor
("Mohammad Javad Zarif|IRN|GOV") or of its country ("IRN"; IGOs keep their name). Claims
whose source or target has no resolved actor are counted as skipped, not invented; so are
the journalist's own evaluations (source AUTHOR) at the country level, where no state speaks.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from model.schema import IGO, Actor, Article, Label, Stance

LEVELS = ("actor", "country")


def actor_key(actor: Actor | None, level: str) -> str | None:
    if actor is None:
        return None
    if level == "country":
        if actor.country == IGO or not actor.country:
            return actor.name if actor.country == IGO else None
        return actor.country
    return "|".join([actor.name, actor.country or "", actor.sector or ""])


@dataclass
class Dyad:
    source: str
    target: str
    stances: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    scores: list[float] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.stances.values())

    def row(self) -> dict[str, object]:
        row: dict[str, object] = {
            "source": self.source,
            "target": self.target,
            "claims": self.count,
        }
        row.update({stance.value: self.stances[stance.value] for stance in Stance})
        row.update({label.value: self.labels[label.value] for label in Label})
        row["mean_confidence"] = (
            round(sum(self.scores) / len(self.scores), 4) if self.scores else ""
        )
        row["first_date"] = min(self.dates) if self.dates else ""
        row["last_date"] = max(self.dates) if self.dates else ""
        return row


def dyads(articles: Iterable[Article], level: str = "actor") -> tuple[list[Dyad], Counter]:
    """Aggregate claims into dyads; the Counter says what was skipped and why."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    table: dict[tuple[str, str], Dyad] = {}
    skipped: Counter = Counter()
    for article in articles:
        date = str(article.meta.get("date") or "")
        for claim in article.claims:
            if level == "country" and claim.source and claim.source.is_author:
                skipped["journalist's evaluation (AUTHOR)"] += 1
                continue
            source = actor_key(claim.source.actor if claim.source else None, level)
            target = actor_key(claim.target.actor if claim.target else None, level)
            if source is None or target is None:
                skipped["unresolved actor"] += 1
                continue
            if claim.stance is None:
                skipped["no stance"] += 1
                continue
            dyad = table.setdefault((source, target), Dyad(source, target))
            dyad.stances[claim.stance.value] += 1
            if claim.label is not None:
                dyad.labels[claim.label.value] += 1
            if claim.score is not None:
                dyad.scores.append(claim.score)
            if date:
                dyad.dates.append(date)
    return sorted(table.values(), key=lambda d: (-d.count, d.source, d.target)), skipped


def write_edges_csv(dyad_list: list[Dyad], path: str | Path) -> None:
    rows = [dyad.row() for dyad in dyad_list]
    fieldnames = list(rows[0]) if rows else ["source", "target", "claims"]
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)


def to_graph(dyad_list: list[Dyad]):
    """A networkx DiGraph: one edge per dyad, its counts as edge attributes."""
    import networkx as nx

    graph = nx.DiGraph()
    for dyad in dyad_list:
        for node in (dyad.source, dyad.target):
            if node not in graph:
                name, country, sector = (node.split("|") + ["", ""])[:3]
                graph.add_node(node, label=name, country=country, sector=sector)
        attributes = {
            key: value for key, value in dyad.row().items() if key not in {"source", "target"}
        }
        net = dyad.stances["cooperative"] - dyad.stances["adversarial"]
        graph.add_edge(
            dyad.source, dyad.target, weight=dyad.count, net_cooperation=net, **attributes
        )
    return graph


def write_graphml(dyad_list: list[Dyad], path: str | Path) -> None:
    import networkx as nx

    nx.write_graphml(to_graph(dyad_list), str(path))


def time_series(
    articles: Iterable[Article], level: str = "actor", period: str = "month"
) -> list[dict[str, object]]:
    """Claims per dyad per day or month, by stance (articles without a date are skipped)."""
    width = {"day": 10, "month": 7}[period]
    counts: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    for article in articles:
        date = str(article.meta.get("date") or "")
        if len(date) < width:
            continue
        for claim in article.claims:
            source = actor_key(claim.source.actor if claim.source else None, level)
            target = actor_key(claim.target.actor if claim.target else None, level)
            if source and target and claim.stance:
                counts[(date[:width], source, target)][claim.stance.value] += 1
    return [
        {
            "period": period_key,
            "source": source,
            "target": target,
            **{stance.value: counter[stance.value] for stance in Stance},
        }
        for (period_key, source, target), counter in sorted(counts.items())
    ]
