"""PolNeAR (Newell, Margolin & Ruths, LREC 2018): attributions in 2016 US election news.

A split folder holds `text/NAME.txt` and brat standoff files `attributions/NAME_ANNOTATOR.ann`
whose `E` lines link Source, Cue and Content spans. Each attribution becomes a claim with
source, cue and claim spans and no target or stance. Discontinuous spans (`a b;c d`) are
taken as their outer range. Some articles have several annotators' files; the rule is:
use the file with the most attributions, ties going to the alphabetically first annotator
(the most complete annotation, chosen deterministically).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from model.schema import Article, Claim, Mention, RecordError, Span


def read_polnear(directory: str | Path) -> Iterator[Article]:
    directory = Path(directory)
    annotations: dict[str, list[Path]] = {}
    for path in sorted((directory / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], []).append(path)
    for text_path in sorted((directory / "text").glob("*.txt")):
        text = text_path.read_text(encoding="utf-8")
        candidates = [_read_ann(path, text) for path in annotations.get(text_path.stem, [])]
        chosen = max(candidates, key=lambda pair: len(pair[1]), default=(None, []))
        annotator, claims = chosen
        yield Article(
            id=f"polnear-{text_path.stem}",
            text=text,
            meta={"corpus": "polnear", "annotator": annotator},
            claims=tuple(claims),
        )


def _read_ann(path: Path, text: str) -> tuple[str, list[Claim]]:
    spans: dict[str, tuple[str, int, int]] = {}
    events: list[tuple[int, dict[str, str]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith("T") and "\t" in line:
            fields = line.split("\t")
            try:
                kind, ranges = fields[1].split(" ", 1)
                offsets = [int(x) for part in ranges.split(";") for x in part.split()]
            except (IndexError, ValueError):
                raise RecordError(
                    "malformed text-bound annotation", path=str(path), line=number
                ) from None
            start, end = min(offsets), max(offsets)
            if not 0 <= start < end <= len(text):
                raise RecordError(
                    f"offsets [{start}, {end}) outside the text", path=str(path), line=number
                )
            spans[fields[0]] = (kind, start, end)
        elif line.startswith("E") and "\t" in line:
            roles = dict(arg.split(":", 1) for arg in line.split("\t")[1].split() if ":" in arg)
            events.append((number, roles))
        # other lines: annotator notes (#), and the tails of span texts that held a newline

    def span_of(roles: dict[str, str], role: str, number: int) -> tuple[int, int] | None:
        if role not in roles:
            return None
        if roles[role] not in spans:
            raise RecordError(
                f"{role} points to unknown {roles[role]}", path=str(path), line=number
            )
        _, start, end = spans[roles[role]]
        return start, end

    claims = []
    for number, roles in events:
        source, cue, content = (
            span_of(roles, role, number) for role in ("Source", "Cue", "Content")
        )
        claims.append(
            Claim(
                source=Mention(text[source[0] : source[1]], *source) if source else None,
                cue=Span(text[cue[0] : cue[1]], *cue) if cue else None,
                claim=Span(text[content[0] : content[1]], *content) if content else None,
            )
        )
    return path.stem.rsplit("_", 1)[1], claims
