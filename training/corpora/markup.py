"""Inline argument markers (`<s>source</s> ... <t>target</t>`) shared by PLV and AW."""

from __future__ import annotations

import re

_MARKER = re.compile(r"</?([st])>")


def unmark(marked: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """Strip `<s>`/`<t>` markers; return the plain text and each marked span's offsets."""
    pieces, spans, opened, offset, last = [], {}, {}, 0, 0
    for match in _MARKER.finditer(marked):
        pieces.append(marked[last : match.start()])
        offset += match.start() - last
        last = match.end()
        tag = match.group(1)
        if match.group(0).startswith("</"):
            if tag in opened:
                spans[tag] = (opened.pop(tag), offset)
        else:
            opened[tag] = offset
    pieces.append(marked[last:])
    return "".join(pieces), spans


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
