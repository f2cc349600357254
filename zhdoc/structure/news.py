"""News articles about a report: the headline is the title, and the tree holds only what the
article reproduces of the report's own headings.

An article's short lines (sub-headlines, captions the page rules did not catch) and its
reported-speech paragraphs that open alike ("他指出，…" "报告指出，…") look like unnumbered
headings and run-in leads; in an article they are text. What an article reproduces is numbered
(一、…), or set apart in a form no sentence of the article takes: a part heading with a year
(2020年：…), a heading in 【】, or a heading over a numbered series it carries.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from zhdoc.normalize import Block
from zhdoc.structure.tree import _Heading


@lru_cache(maxsize=1)
def news_cues() -> tuple[str, ...]:
    """models/news_cues.txt: words that make a short first line a news headline."""
    data = resources.files("zhdoc.models").joinpath("news_cues.txt").read_text(encoding="utf-8")
    return tuple(w for w in (row.strip() for row in data.splitlines()) if w and not w.startswith("#"))


def has_news_cue(folded: str) -> bool:
    return any(w in folded for w in news_cues())


#: Heading rules whose forms an article's own sentences do not take (see the module docstring).
REPRODUCED_FORMS = frozenset({"numbered", "year_part", "bracketed", "over_series"})


def keep_numbered(preamble: list[Block], top: list[_Heading]) -> tuple[list[Block], list[_Heading]]:
    """Fold every heading that the article does not reproduce from the report back into the
    text, in reading order."""
    root = _Heading(-1, "root", None, None, None, preamble[0] if preamble else Block("", []), 0, 0, None)
    root.children = top
    for h in top:
        h.parent = root
    _fold_unnumbered(root)
    return preamble + root.paragraphs, root.children


def _fold_unnumbered(node: _Heading) -> None:
    """One pass over the children (an article may hold thousands of heading-like lines): a heading
    not reproduced goes back into the text of the previous kept sibling, or of ``node`` when none
    is kept yet; its own children join that sibling, or take its place under ``node``."""
    kept: list[_Heading] = []

    def visit(children: list[_Heading]) -> None:
        for k in children:
            if _reproduced(k):
                k.parent = node
                kept.append(k)
                continue
            target = kept[-1] if kept else node
            target.paragraphs.append(k.block)
            target.paragraphs.extend(p for p in k.paragraphs if p is not k.body)
            if kept:
                for child in k.children:
                    child.parent = target
                target.children.extend(k.children)
            else:
                visit(k.children)

    visit(node.children)
    node.children = kept
    for k in kept:
        _fold_unnumbered(k)


def _reproduced(h: _Heading) -> bool:
    """A heading of the report that the article reproduces: a form of REPRODUCED_FORMS, or an
    unnumbered line that names a part of a report (2020年提案工作安排, 五年来工作回顾) rather than
    reporting news (一批优秀提案获表彰)."""
    return h.rule in REPRODUCED_FORMS or (h.kind == "unnumbered" and _REPORT_PART.search(h.block.folded) is not None)


#: The last word of a heading that names a part of a report.
_REPORT_PART = re.compile(r"(?:回顾|安排|思路|打算|任务|要求|建议|体会|总结|情况)$")
