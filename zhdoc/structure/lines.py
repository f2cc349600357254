"""Tests on one line or block of folded text, shared by layout repair and the section tree.

Both stages ask the same questions of a line — could it be a heading, does it end its sentence,
is it a dateline, a salutation, a report title — and must answer them alike, or the layout
repair joins a line that the tree would have taken for a heading (and the other way round).
"""

from __future__ import annotations

import re

import regex

from zhdoc.normalize import HAN

#: A line ending in one of these ends its sentence (closing quotes/brackets count: headings end so).
TERMINAL = frozenset("。！？!?；;：:”’」』)）】…—\"'》")
#: Characters that cannot end a title or heading line; a line ending in one continues below.
DANGLING_ENDS = frozenset("，,、的了和与及或在对把将从向为是之以于并而且等“‘「『(（《")
#: Sentence-final punctuation an unnumbered heading cannot end with (closing quotes/brackets it can).
HEADING_NON_ENDS = frozenset(TERMINAL.difference("”’」』)】"))
#: An unnumbered heading or title line is at most this long.
MAX_HEADING_LINE = 40

# Plain character classes run per line: the standard ``re`` engine does them at half the cost
# per call of ``regex``, with the same matches.
#: Sentence punctuation that an unnumbered heading line never contains.
SENTENCE_PUNCT = re.compile(r"[。！？!?；;，,、：:]")
#: A sentence end: where a run-in heading or a lead phrase stops.
SENTENCE_END = re.compile(r"[。！？!?]")

#: Punctuation a heading line does not hold (it may hold a comma: 坚持团结民主，凝聚共识).
PHRASE_BREAK = re.compile(r"[。！？!?；;：:]")
#: The second line of a heading printed over two lines is a short phrase.
MAX_SECOND_LINE = 24

DATELINE_RE = regex.compile(r"^(?:——|--|—)")
#: The words a salutation opens with (各位委员：, 同志们：).
SALUTATION_WORDS = "各位|同志们|女士们|代表们|委员们"
SALUTATION_RE = regex.compile(rf"^(?:{SALUTATION_WORDS})[^。]{{0,12}}[:：!！]$")
PAREN_META_RE = regex.compile(r"^[(（][^()（）]{2,60}[)）]$")
#: Titles of reports: a genre word at the end, optionally followed by 摘登 / 草案 notes.
TITLE_RE = regex.compile(
    r"(?:报告|讲话|决议|说明|公报|意见|决定|工作要点|工作计划|工作总结|实施方案)(?:[(（](?:摘登|摘要|草案|节选)[)）])?$|[(（](?:摘登|摘要|节选)[)）]$"
)
# DATELINE_RE, SALUTATION_RE and TITLE_RE have cheap stand-ins or pre-tests below that hot
# loops use: change them together.
#: The last character of any TITLE_RE match (the pattern is anchored at ``$``, which may also
#: stand before a final newline): testing it first spares the search on most lines.
_TITLE_LAST = frozenset("告话议明报见定点划结案)）\n")
#: The first character of any SALUTATION_RE match.
_SALUTATION_FIRST = frozenset("各同女代委")


def is_title_text(folded: str) -> bool:
    """``TITLE_RE.search(folded) is not None``, without running the search on most lines."""
    return folded[-1:] in _TITLE_LAST and TITLE_RE.search(folded) is not None


def is_dateline(folded: str) -> bool:
    """``DATELINE_RE.match(folded)`` as a plain prefix test ("——" starts with "—")."""
    return folded.startswith(("—", "--"))


def is_salutation(folded: str) -> bool:
    """``SALUTATION_RE.match(folded) is not None``, without running the regex on most lines."""
    return folded[:1] in _SALUTATION_FIRST and SALUTATION_RE.match(folded) is not None


def balanced(folded: str) -> bool:
    """Quotes and brackets closed: a line with an open “ or ( stops mid-phrase."""
    return folded.count("“") == folded.count("”") and folded.count("(") == folded.count(")") and (
        folded.count("《") == folded.count("》")
    )



#: A part heading led by a year and a colon ("2026年：凝心聚力再启新程", "二〇二五年：…"): the colon is
#: the only punctuation in it.
PART_HEADING_RE = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})年[:：] ?[^。！？!?；;，,：:]{2,24}")
MAX_PART_HEADING = 31  # the longest PART_HEADING_RE match


def is_part_heading(folded: str) -> bool:
    return folded[:1] in _PART_FIRST and PART_HEADING_RE.fullmatch(folded) is not None


_PART_FIRST = frozenset("0123456789〇零一二三四五六七八九")


#: One Chinese character (Unicode's Han script, on the standard engine).
HAN_CHAR = re.compile(f"[{HAN}]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def is_latin_only(folded: str) -> bool:
    """A line of two or more Latin-script words and no Chinese character ("Fellow Members,"): on
    a bilingual page, the translation of the line above it (a lone "CPC 1" is a note mark)."""
    return HAN_CHAR.search(folded) is None and len(_LATIN_WORD.findall(folded, 0, 200)) >= 2
