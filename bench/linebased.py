"""The comparison point: a line-based heading splitter, as existing Chinese heading parsers do it.

A heading is a line that starts with a marker; its level is fixed by the marker style
(一、 → 1, （一） → 2, 1. / 1、 → 3, （1） → 4, ① → 5). No run-in headings, no unnumbered
headings, no layout repair, no nesting by context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STYLES = (
    (re.compile(r"[一二三四五六七八九十]{1,3}、"), 1),
    (re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)]"), 2),
    (re.compile(r"\d{1,2}[.．、](?!\d)"), 3),
    (re.compile(r"[（(]\d{1,2}[）)]"), 4),
    (re.compile(r"[①-⑳]"), 5),
)


@dataclass
class LineHeading:
    start: int
    end: int
    level: int


def split_headings(text: str) -> list[LineHeading]:
    out: list[LineHeading] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip(" \u3000\t")
        start = pos + (len(line) - len(stripped))
        for pattern, level in _STYLES:
            if pattern.match(stripped):
                out.append(LineHeading(start, pos + len(line.rstrip()), level))
                break
        pos += len(line)
    return out
