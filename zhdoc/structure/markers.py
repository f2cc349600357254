"""The heading-marker grammar, as data.

Each style is one row: a name, a rank (its usual depth in GB/T 9704 numbering, used to nest
headings — the *level* in the output is still the depth in the tree), and an anchored pattern
over folded text (full-width brackets and digits already folded to ASCII). Patterns are
anchored and bounded, so matching is constant-time per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

_CN_DIGITS = "一二三四五六七八九十"
_CN = f"[{_CN_DIGITS}]{{1,3}}"
_ARABIC = "0123456789"


@dataclass(frozen=True, slots=True)
class MarkerStyle:
    name: str
    rank: int
    pattern: regex.Pattern[str]
    numeral: str  # "cn", "arabic" or "circled"
    firsts: str  # every character a marker of this style can start with
    run_in_only: bool = False  # ordinal words (一是, 第一，) head a paragraph only when body follows
    alone: bool = False  # the marker is the whole line: it heads no line below it (layout repair)


def _p(expr: str) -> regex.Pattern[str]:
    return regex.compile(expr)


#: Ordered by rank; the first style that matches at a line's start wins.
MARKER_STYLES: tuple[MarkerStyle, ...] = (
    MarkerStyle("cn_dun", 1, _p(rf"({_CN})[、]"), "cn", _CN_DIGITS),
    # a numeral alone on its line, its 、 lost ("  一" ⏎ the part's first paragraph)
    MarkerStyle("cn_bare", 1, _p(rf"\s*({_CN})\s*$"), "cn", _CN_DIGITS, alone=True),
    MarkerStyle("cn_paren", 2, _p(rf"\(({_CN})\)[、]?[ ]?"), "cn", "("),
    MarkerStyle("ar_dun", 3, _p(r"(\d{1,2})、"), "arabic", _ARABIC),
    MarkerStyle("ar_dot", 3, _p(r"(\d{1,2})\.(?![\d%])[ ]?"), "arabic", _ARABIC),
    MarkerStyle("ar_paren", 4, _p(r"\((\d{1,2})\)[、]?[ ]?"), "arabic", "("),
    MarkerStyle("circled", 5, _p(r"([①-⑳])"), "circled", "".join(map(chr, range(ord("①"), ord("⑳") + 1)))),
    MarkerStyle("cn_di", 6, _p(rf"第({_CN})[,、]"), "cn", "第", run_in_only=True),
    MarkerStyle("cn_shi", 6, _p(rf"({_CN})是(?![的否不])"), "cn", _CN_DIGITS, run_in_only=True),
    MarkerStyle("cn_yao", 6, _p(rf"({_CN})要(?![求素是])"), "cn", _CN_DIGITS, run_in_only=True),
)

#: Rank given to unnumbered heading lines (above every numbered style) and run-in lead phrases.
UNNUMBERED_RANK = 0
#: Lead phrases rank below the ordinal words (一是, 第一，), except that a series of them nests
#: under a lead that announces it (tree.announces_series).
LEAD_RANK = 7

_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def small_cn_number(s: str) -> int | None:
    """一 … 九十九 (enough for heading ordinals)."""
    if not s:
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_VALUES.get(tens, 0) if tens else 1
        o = _CN_VALUES.get(ones, 0) if ones else 0
        if (tens and tens not in _CN_VALUES) or (ones and ones not in _CN_VALUES):
            return None
        return t * 10 + o
    if len(s) == 1:
        return _CN_VALUES.get(s)
    return None


@dataclass(frozen=True, slots=True)
class MarkerMatch:
    style: MarkerStyle
    ordinal: int | None
    end: int  # index just after the marker in the matched text
    text: str  # the marker as written (taken from the original, unfolded text by the caller)


#: Which styles can match, by the first character: most lines are ruled out by one dict lookup.
_BY_FIRST: dict[str, tuple[MarkerStyle, ...]] = {}
for _style in MARKER_STYLES:
    for _ch in _style.firsts:
        _BY_FIRST[_ch] = (*_BY_FIRST.get(_ch, ()), _style)


def match_marker(folded: str) -> MarkerMatch | None:
    """The heading marker at the start of ``folded``, if any."""
    if not folded or folded[0] not in _BY_FIRST:
        return None
    return _match_prefix(folded[:8])


@lru_cache(maxsize=8192)
def _match_prefix(folded: str) -> MarkerMatch | None:
    """Markers are short: the first eight characters decide (cached, as headings repeat)."""
    for style in _BY_FIRST[folded[0]]:
        m = style.pattern.match(folded)
        if m is None:
            continue
        raw = m.group(1)
        if style.numeral == "arabic":
            ordinal: int | None = int(raw)
        elif style.numeral == "circled":
            ordinal = ord(raw) - ord("①") + 1
        else:
            ordinal = small_cn_number(raw)
        if ordinal is None or ordinal == 0:
            continue
        return MarkerMatch(style, ordinal, m.end(), folded[: m.end()])
    return None
