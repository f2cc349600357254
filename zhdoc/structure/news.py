"""News articles about a report: the headline is the title, and the tree holds only what the
article reproduces of the report's own numbered headings.

An article's short lines (sub-headlines, captions the page rules did not catch) and its
reported-speech paragraphs that open alike ("他指出，…" "报告指出，…") look like unnumbered
headings and run-in leads; in an article they are text.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from zhdoc.normalize import Block
from zhdoc.structure.tree import _demote, _Heading


@lru_cache(maxsize=1)
def news_cues() -> tuple[str, ...]:
    """models/news_cues.txt: words that make a short first line a news headline."""
    data = resources.files("zhdoc.models").joinpath("news_cues.txt").read_text(encoding="utf-8")
    return tuple(w for w in (row.strip() for row in data.splitlines()) if w and not w.startswith("#"))


def has_news_cue(folded: str) -> bool:
    return any(w in folded for w in news_cues())


def keep_numbered(preamble: list[Block], top: list[_Heading]) -> tuple[list[Block], list[_Heading]]:
    """Fold every heading that is not numbered back into the text, in reading order."""
    root = _Heading(-1, "root", None, None, None, preamble[0] if preamble else Block("", []), 0, 0, None)
    root.children = top
    for h in top:
        h.parent = root
    _fold_unnumbered(root)
    return preamble + root.paragraphs, root.children


def _fold_unnumbered(node: _Heading) -> None:
    while True:
        lone = next((k for k in node.children if k.kind != "numbered"), None)
        if lone is None:
            break
        _demote(node, lone)  # its numbered children move to the previous sibling or the parent
    for k in node.children:
        _fold_unnumbered(k)
