"""What every extractor shares: the raw match it returns, the report context, table loading."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate
from typing import Any

import regex

from zhdoc.normalize import HAN  # noqa: F401  (re-exported: extractors import it from here)


@dataclass(slots=True)
class Raw:
    """A candidate entity in a report's repaired text: ``[start, end)`` are repaired indices.

    ``fields`` holds only fields of the entity's schema model. What an extractor knows that
    the model does not keep, but a cross-type rule (:mod:`zhdoc.extract.rules`) or the final
    resolution needs, is a typed attribute of its own:
    """

    type: str
    start: int
    end: int
    fields: dict[str, Any] = field(default_factory=dict)
    #: organization: its canonical name with the report's places left open ("{district}政协");
    #: session: the same for the organization written before it (its body), once attached
    template: str | None = None
    #: person: repaired index where the title written before the name starts (区政协副主席王静)
    title_start: int | None = None
    #: studio: the quoted name's span (a quoted studio name is no slogan)
    name_span: tuple[int, int] | None = None
    #: session of a plenum: how the canonical name writes it, "中全会" (三中全会) or "次全会"
    plenum_form: str | None = None
    #: organization: a formal committee name (政协某某市第九届委员会), whose 届 is no session of its own
    formal: bool = False
    #: organization: the short body written before a term that extends the name (区政协 of
    #: 区政协十四届常务委员会) as (end, canonical template): a session written from that term is its
    body_before_term: tuple[int, str] | None = None


@dataclass(slots=True)
class Context:
    """What extractors may know about the report beyond one paragraph."""

    year: int | None = None  # the report's own year (dateline; else extract_dates infers it), to resolve 今年/一年来
    title_year: int | None = None  # a year its title or meeting names, the last resort for ``year``
    published: str | None = None  # the carrier page's publication date (ISO), for 昨天 and 14日
    event_day: Any = None  # the day a lead reports (datetime.date), found by extract_dates
    district: str | None = None  # 武进区
    city: str | None = None  # 常州市
    province: str | None = None  # 江苏省
    prefecture: str | None = None  # 海南藏族自治州 (州政协, 州委)
    body: str | None = None  # the report's own CPPCC body: 茂名市政协, 全国政协 (政协, 常委会 resolve to it)
    party_district: str | None = None  # 中共常州市武进区委, when the text gives it
    bare_places: dict[str, str] = field(default_factory=dict)  # 武进 → 武进区
    speaker: str | None = None  # the report's speaker, a person wherever named
    gazetteer: Any = None  # a user Gazetteer (zhdoc.extract.names), or None for the default


@cache
def table_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated table in models/, comments and blank lines skipped."""
    data = resources.files("zhdoc.models").joinpath(name).read_text(encoding="utf-8")
    return tuple(
        tuple(row.split("\t")) for row in data.splitlines() if row.strip() and not row.startswith("#")
    )


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation, longest first so the longest word wins (escaped for either engine,
    spaces too, so it also serves verbose patterns)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


PUNCT = set("。！？!?；;，,、：:“”\"《》()（）「」『』—…\n ")


_NOT_PLACE_TAGS = ("v", "p", "c", "d", "u", "r", "ad", "a", "m", "q")


@lru_cache(maxsize=1)
def _tag_overrides() -> dict[str, str]:
    """Part-of-speech fixes from the domain dictionary (models/userdict.txt: word freq tag):
    in these reports 提案, 活动, 建议 are things counted, not verbs."""
    return {row[0]: row[2] for row in (line.split() for line in
            resources.files("zhdoc.models").joinpath("userdict.txt").read_text(encoding="utf-8").splitlines())
            if len(row) == 3}


@lru_cache(maxsize=1)
def _override_words() -> re.Pattern[str]:
    return re.compile(alternation(list(_tag_overrides())))


def tag_words(s: str) -> list[tuple[str, str]]:
    """(word, POS) pairs: rjieba (jieba's dictionary and tagger, in Rust; its global state is
    never changed) with the domain tag fixes applied."""
    import rjieba

    tagged: list[tuple[str, str]] = rjieba.tag(s)
    if _override_words().search(s) is None:
        return tagged  # no word to fix: one search instead of a dict lookup per word
    fixes = _tag_overrides()
    return [(w, fixes.get(w, t)) for w, t in tagged]


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a pattern's matches can be: each holds one of ``chars``, at most ``reach`` characters
    after the match's start, right after one of ``after`` (any character when empty)."""

    chars: str
    reach: int
    after: str = ""


def anchored_finditer(pattern: Any, text: str, anchor: Anchor) -> Iterator[Any]:
    """The matches of ``pattern.finditer(text)``, trying the pattern only near an anchor.

    A full regex pass tests the pattern's first element at every position of the text, while
    ``str.find`` for a rare character is a C-level scan (the two costs: docs/measurements.md). So the
    anchors are found with ``str.find`` and the pattern is matched only at the positions
    before each anchor from which a match could reach it, leftmost first — the same matches,
    in the same order, as ``finditer`` (tests/test_extract_anchors.py compares them), as long as
    the pattern never matches the empty string and ``anchor`` holds for every match.
    """
    hits: list[int] = []
    for ch in anchor.chars:
        at = text.find(ch, 1 if anchor.after else 0)
        while at >= 0:
            if not anchor.after or text[at - 1] in anchor.after:
                hits.append(at)
            at = text.find(ch, at + 1)
    if len(anchor.chars) > 1:
        hits.sort()
    done = 0  # matches never overlap: the next one starts at or after the last one's end
    for at in hits:
        if at < done:
            continue
        for start in range(max(done, at - anchor.reach), at + 1):
            m = pattern.match(text, start)
            if m is not None:
                yield m
                done = m.end()
                break


class Reach:
    """Spans sorted by start, with a running maximum of their ends: how far the spans that start
    before a position reach, in O(log n) — overlap tests over a whole report without comparing
    every pair."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._ends = list(accumulate((e for _, e in ordered), max))

    def before(self, pos: int, *, inclusive: bool = False) -> int | None:
        """The furthest end among spans starting before ``pos`` (or at it, when ``inclusive``)."""
        i = (bisect_right if inclusive else bisect_left)(self._starts, pos)
        return self._ends[i - 1] if i else None


#: jieba cuts each run of these characters on its own (every other character is a word by
#: itself), so the words of a clause are the words of the whole paragraph there: segmenting
#: only the runs a decision looks at gives the same boundaries at a fraction of the cost.
_RUN_CLASS = r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]"
_RUN_HEAD = re.compile(_RUN_CLASS + "*")  # from a position to the end of its run
_RUN_TAIL = regex.compile("(?r)" + _RUN_CLASS + "*")  # back from a position to its run's start


def _segment(run: str) -> list[str]:
    import rjieba

    return rjieba.cut(run)  # type: ignore[no-any-return]


class WordIndex:
    """The words of a folded text (a report's paragraphs joined by line breaks), by start index:
    rjieba's segmentation, which is the tagger's too. A run is found and segmented when a
    position inside it is first asked about — most runs never are."""

    __slots__ = ("_folded", "_state")

    _UNKNOWN, _INSIDE, _START = 0, 1, 2

    def __init__(self, folded: str) -> None:
        self._folded = folded
        # per position: not segmented yet, inside a word, or a word's first character — one
        # byte each, filled a run at a time (cheaper than a dict entry per character: docs/measurements.md)
        self._state = bytearray(len(folded))

    def _state_at(self, pos: int) -> int:
        """The state of ``pos`` (inside a run), segmenting its run first if need be."""
        state = self._state
        if state[pos] == self._UNKNOWN:
            folded = self._folded
            start = _RUN_TAIL.match(folded, 0, pos).start()  # type: ignore[union-attr]
            end = _RUN_HEAD.match(folded, pos).end()  # type: ignore[union-attr]
            state[start:end] = bytes((self._INSIDE,)) * (end - start)
            for word_start in accumulate(map(len, _segment(folded[start:end])), initial=start):
                if word_start < end:
                    state[word_start] = self._START
        return state[pos]

    def get(self, pos: int) -> str | None:
        """The word starting at ``pos``, or None when ``pos`` is inside a word (or out of range)."""
        folded = self._folded
        if not 0 <= pos < len(folded):
            return None
        if not _in_run(folded[pos]):
            return folded[pos]  # outside a run every character is a word
        if self._state_at(pos) != self._START:
            return None
        state, end = self._state, pos + 1
        while end < len(folded) and state[end] == self._INSIDE:
            end += 1
        return folded[pos:end]

    def __contains__(self, pos: object) -> bool:
        folded = self._folded
        if not isinstance(pos, int) or not 0 <= pos < len(folded):
            return False
        if pos == 0 or not _in_run(folded[pos]) or not _in_run(folded[pos - 1]):
            return True  # a run's first character, or a character outside every run
        return self._state_at(pos) == self._START


_RUN_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")


def _in_run(ch: str) -> bool:
    """``ch`` belongs to a run that jieba segments (:data:`_RUN_CLASS`)."""
    return "\u4e00" <= ch <= "\u9fd5" or ch in _RUN_ASCII


# A handful of entries: the extractors of one report share its index; nothing is kept across
# reports, so a repeated text costs what a new one does.
@lru_cache(maxsize=8)
def word_starts(folded: str) -> WordIndex:
    """Start index → word for ``folded``, computed where asked (see :class:`WordIndex`)."""
    return WordIndex(folded)


@lru_cache(maxsize=65536)
def word_tag(word: str) -> str:
    """The part-of-speech tag of one word (jieba's dictionary tag, domain fixes applied)."""
    tags = tag_words(word)
    return tags[0][1] if tags else "x"


def tag_at(folded: str, start: int) -> str | None:
    """The tag of the word starting at ``start``, or None when no word starts there."""
    word = word_starts(folded).get(start)
    return None if word is None else word_tag(word)


_PLACE_TAGS = ("ns", "nr", "nz", "nt", "j")


def plausible_place_start(folded: str, start: int) -> bool:
    """A place name (武进区, 雪堰镇) starts a word that jieba's dictionary tags as a name.

    Proper-name tags only: "代表区政协", "会同区政协" and "现将区政协" are a common word (n) before
    the body 区政协, not a district. A lone character split off a name ("前|黄镇") is
    accepted when the next word is a name.
    """
    tag = tag_at(folded, start)
    if tag is None:
        return False
    if tag.startswith(_PLACE_TAGS):
        return True
    nxt = tag_at(folded, start + 1)
    return nxt is not None and nxt.startswith(_PLACE_TAGS) and not tag.startswith(_NOT_PLACE_TAGS)


def starts_content_word(folded: str, start: int) -> bool:
    """``start`` begins a word that is not a verb, preposition or other function word."""
    tag = tag_at(folded, start)
    return tag is not None and not tag.startswith(_NOT_PLACE_TAGS)
