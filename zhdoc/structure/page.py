"""The carrier page: what a portal, news site or essay site put around a report's text.

Breadcrumbs, share/print/font widgets, source and editor lines, publication stamps, bylines,
photo captions, collection wrappers and teasers are not part of any report: they are taken out
of the blocks before reports are split and trees built, and kept (never dropped) as
:class:`zhdoc.schema.Material` spans. The line forms are data (``models/page_material.tsv``);
the few rules that need a neighbour (a caption above its photo credit, a headline printed again,
a collection's title repeated under its wrapper) are small named functions below.

The publication date/time and the outlet are read from that material into typed fields.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import regex

from zhdoc.normalize import HAN, Block, Line
from zhdoc.structure.lines import HAN_CHAR, is_dateline, is_salutation
from zhdoc.structure.markers import match_marker

#: Prefix rules (bylines) look only at the first blocks of a text: a byline opens an article.
PREFIX_BLOCKS = 8
#: No line rule allows a longer block (the pre-test that spares the regexes on body paragraphs).
MAX_MATERIAL_LINE = 240


@dataclass(frozen=True, slots=True)
class MaterialRule:
    name: str
    kind: str
    scope: str  # line | prefix | suffix
    limit: int
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def material_rules() -> tuple[MaterialRule, ...]:
    """The rows of models/page_material.tsv, compiled, in file order."""
    data = resources.files("zhdoc.models").joinpath("page_material.tsv").read_text(encoding="utf-8")
    rules: list[MaterialRule] = []
    rows = [row for row in data.splitlines() if row and not row.startswith("#")]
    for row in rows:
        kind, scope, limit, pattern = row.split("\t", 3)
        # on the standard engine (half the cost per call of ``regex``), \p{Han} spelt as a class
        compiled = re.compile(pattern.replace(r"\p{Han}", f"[{HAN}]"))
        # named by its pattern, not its row: a row added to the table renames no other
        name = f"{kind}:{scope}:{hashlib.sha1(pattern.encode()).hexdigest()[:6]}"
        rules.append(MaterialRule(name, kind, scope, int(limit), compiled))
    scopes = [r.scope for r in rules]
    if scopes != sorted(scopes, key=("line", "prefix", "suffix").index):
        raise ValueError("page_material.tsv: line rows come first, then prefix rows, then suffix rows")
    return tuple(rules)


@lru_cache(maxsize=4096)
def line_rule(folded: str) -> MaterialRule | None:
    """The first line rule that takes this whole line, if any (asked of a line twice: when the
    layout decides what stands alone, and when the page reader takes material out)."""
    n = len(folded)
    for rule in material_rules():
        if rule.scope == "line" and n <= rule.limit and rule.pattern.search(folded):
            return rule
    return None


@dataclass(slots=True)
class Found:
    """One material span in input offsets, with its kind and the rule that found it."""

    kind: str
    start: int
    end: int
    rule: str


@dataclass(slots=True)
class PageRead:
    blocks: list[Block]  # the blocks that remain text, in order
    material: list[Found] = field(default_factory=list)
    published: str | None = None
    published_span: tuple[int, int] | None = None
    outlet: str | None = None
    outlet_span: tuple[int, int] | None = None

    def has(self, *kinds: str) -> bool:
        return any(m.kind in kinds for m in self.material)


def _trimmed(block: Block, start: int, end: int) -> tuple[int, int] | None:
    """Repaired ``[start, end)`` without surrounding blanks, or None when nothing is left."""
    text = block.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _found(block: Block, start: int, end: int, kind: str, rule: str) -> Found | None:
    rng = _trimmed(block, start, end)
    if rng is None:
        return None
    s, e = block.input_span(*rng)
    return Found(kind, s, e, rule)


def _rest(block: Block, start: int, end: int) -> Block | None:
    rng = _trimmed(block, start, end)
    return block.slice(*rng) if rng else None


def classify_block(block: Block, index: int) -> tuple[list[Found], Block | None]:
    """The material in one block and what remains of it (None: the block is all material)."""
    folded = block.folded
    if not folded.strip():
        return [], block
    found: list[Found] = []
    whole = line_rule(folded) if len(folded) <= MAX_MATERIAL_LINE else None
    if whole is not None:
        f = _found(block, 0, len(folded), whole.kind, whole.name)
        return ([f] if f else []), None
    if index >= PREFIX_BLOCKS and folded[-1:] != "|":
        return found, block  # (most blocks: no prefix rule looks this far, no table residue)
    for rule in material_rules():
        if rule.scope == "prefix":
            if index >= PREFIX_BLOCKS:
                continue
            m = rule.pattern.match(folded, 0, min(len(folded), rule.limit + 40))
            if m and m.end() <= rule.limit and m.end() < len(folded.rstrip()):
                f = _found(block, 0, m.end(), rule.kind, rule.name)
                rest = _rest(block, m.end(), len(folded))
                if f and rest is not None:
                    found.append(f)
                    more, rest = classify_block(rest, PREFIX_BLOCKS)  # the rest may be a caption, a stamp…
                    return found + more, rest
        elif rule.scope == "suffix" and folded[-1:] in ("|", "]"):  # only table residue and clock stamps end so
            m = rule.pattern.search(folded, max(0, len(folded) - rule.limit))
            if m and m.start() > 0:
                f = _found(block, m.start(), len(folded), rule.kind, rule.name)
                rest = _rest(block, 0, m.start())
                if f and rest is not None:
                    more, rest = classify_block(rest, index)
                    return [*more, f], rest
    return found, block


# ---------------------------------------------------------------- rules that see neighbours


@dataclass(slots=True)
class _Item:
    block: Block | None  # what remains text; None: all material
    found: list[Found]
    folded: str  # the folded text of the whole original block
    original: Block  # the whole block, as it came


def _take(it: _Item, kind: str, rule: str) -> None:
    """The whole remaining block of ``it`` is material."""
    if it.block is not None:
        f = _found(it.block, 0, len(it.block.text), kind, rule)
        if f:
            it.found.append(f)
        it.block = None


_CREDIT_RE = regex.compile(r"^\(?\s*(?:摄影|图片|图)\s*:")


def caption_above_credit(items: list[_Item]) -> None:
    """A short line right above a photo credit line (摄影：某某) is the photo's caption."""
    for prev, cur in pairwise(items):
        if (cur.block is None and prev.block is not None and len(prev.block.folded) <= 120
                and _CREDIT_RE.match(cur.folded)):
            _take(prev, "caption", "caption_above_credit")


def repeated_headline(items: list[_Item]) -> None:
    """A site that prints its headline again between paragraphs: the later copies are material."""
    first = next((it for it in items if it.block is not None), None)
    if first is None or first.block is None or len(first.block.folded) > 80:
        return
    key = first.block.folded.strip()
    rest = items[items.index(first) + 1 :]
    for it, nxt in pairwise([*rest, None]):
        if it is not None and it.block is not None and it.block.folded.strip() == key:
            if nxt is not None and nxt.block is not None and (
                    nxt.block.folded.startswith(("—", "--", "(")) or is_salutation(nxt.block.folded)):
                continue  # the copy over a dateline or salutation is the printed title, the first line the page's headline
            _take(it, "other", "repeated_headline")


#: One entry of a site menu printed as a bulleted list ("• 美文", "• 读后感").
_MENU_ENTRY = regex.compile(r"^[•·]\s*[^\s。,:;]{1,8}$")
#: A menu is a run of at least this many entries (a report's own bulleted points are longer).
MIN_MENU_ENTRIES = 3


def bullet_menu(items: list[_Item]) -> None:
    """A site menu printed as bulleted one-word lines: a run of them is navigation."""
    run: list[_Item] = []
    for it in [*items, None]:
        if it is not None and it.block is not None and _MENU_ENTRY.match(it.block.folded.strip()):
            run.append(it)
            continue
        if len(run) >= MIN_MENU_ENTRIES:
            for entry in run:
                _take(entry, "nav", "bullet_menu")
        run = []


#: A short line printed this many times (a carousel or slider's caption) is material after its first copy.
MIN_COPIES = 3


_BARE_DATE = regex.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def date_under_dateline(items: list[_Item]) -> None:
    """A bare date on the line under a dateline that names only its meeting ("——在…会议上" ⏎
    "2022年3月4日") completes that dateline: give it back to the text a stamp row took it from."""
    above: _Item | None = None  # the last item that stayed text
    for it in items:
        if it.block is not None:
            above = it
        elif (above is not None and len(it.folded) <= 12 and _BARE_DATE.match(it.folded.strip())
              and is_dateline(above.folded) and "年" not in above.folded):
            it.block, it.found = it.original, []
            above = it


def repeated_line(items: list[_Item]) -> None:
    """A short line the page prints three times or more: the copies after the first are debris of
    a slider or carousel, not text (a report never repeats a line so)."""
    seen: dict[str, list[_Item]] = {}
    for it in items:
        if it.block is not None and len(it.block.parts) == 1 and len(it.block.folded) <= 80:
            seen.setdefault(it.block.folded.strip(), []).append(it)
    for key, copies in seen.items():
        if len(copies) >= MIN_COPIES and match_marker(key) is None:
            # a web address so repeated is a site's watermark: its first copy too
            for it in copies if "://" in key else copies[1:]:
                _take(it, "other", "repeated_line")


_WRAPPER_COUNT = regex.compile(r"\s*(?:[(【]\s*共?\d+篇\s*[)】]|\d+篇|多篇)$")


def wrapper_title_repeat(items: list[_Item]) -> None:
    """An essay site's collection title (…15篇) printed again without its count is wrapper too."""
    stems = {
        stem for it in items if it.block is None and it.found and it.found[0].kind == "wrapper"
        if (stem := _WRAPPER_COUNT.sub("", it.folded).strip())
    }
    if stems:
        for it in items:
            if it.block is not None and it.block.folded.strip() in stems:
                _take(it, "wrapper", "wrapper_title_repeat")


_OUTLINE_LABEL = regex.compile(r"^(?:目录|提纲|目录/提纲|文章目录|本文目录)\s*[:/]?\s*[.…]*$")
_ELLIPSIS_LINE = regex.compile(r"^[.…\s]+$")
MAX_OUTLINE_ENTRY = 60


def outline_after_label(items: list[_Item]) -> None:
    """An essay site's outline (目录 / 提纲 and the report's headings, one a line, before the
    report itself): the entries under the label are page material, not the report's headings,
    up to the first line that is not a numbered heading (the outline's closing …… included; on a
    bilingual page, the entries' translations too)."""
    for i, it in enumerate(items):
        if it.block is not None or not _OUTLINE_LABEL.match(it.folded.strip()):
            continue
        for entry in items[i + 1 :]:
            folded = entry.folded.strip()
            if entry.block is None:
                continue
            if _ELLIPSIS_LINE.match(folded):
                _take(entry, "nav", "outline_after_label")
                break
            if HAN_CHAR.search(folded) is None:  # a bilingual outline: an entry's translation
                _take(entry, "nav", "outline_after_label")
                continue
            if len(folded) > MAX_OUTLINE_ENTRY or "。" in folded or match_marker(folded) is None:
                break
            _take(entry, "nav", "outline_after_label")


_CRUMB_SPLIT = regex.compile(r"\s*>{1,2}\s*")


def column_label_after_breadcrumb(items: list[_Item]) -> None:
    """A portal prints the breadcrumb's last step (the column's name) again on its own line
    under it: that line is navigation too."""
    for prev, cur in pairwise(items):
        if prev.block is None and prev.found and prev.found[-1].kind == "breadcrumb" and cur.block is not None:
            last = _CRUMB_SPLIT.split(prev.folded.strip().rstrip(">").strip())[-1]
            if last and cur.block.folded.strip() == last:
                _take(cur, "nav", "column_label_after_breadcrumb")


MAX_KEYWORD_LINE = 8
_YEAR_LINE = regex.compile(r"^(?:19|20)\d{2}$")


def keywords_over_title(items: list[_Item]) -> None:
    """A document site's keyword tags: three or more short lines, each a piece of the title line
    right under them and in its order (a bare year among them), are navigation, not headings."""
    run: list[_Item] = []
    for it in items:
        folded = it.folded.strip()
        if it.block is not None and len(folded) <= MAX_KEYWORD_LINE:
            run.append(it)
            continue
        if it.block is not None and len(run) >= 3:
            pos, pieces = 0, 0
            for piece in run:
                key = piece.folded.strip()
                if _YEAR_LINE.match(key):
                    continue
                found = folded.find(key, pos)
                if found < 0:
                    break
                pos, pieces = found + len(key), pieces + 1
            else:
                if pieces >= 3:
                    for piece in run:
                        _take(piece, "nav", "keywords_over_title")
        run = []


#: Rules over the sequence of blocks, after the line rules, in order.
CONTEXT_RULES: tuple[tuple[str, Callable[[list[_Item]], None]], ...] = (
    # an outline first: its entries would otherwise stand for the page's headline
    ("outline_after_label", outline_after_label),
    ("bullet_menu", bullet_menu),
    ("column_label_after_breadcrumb", column_label_after_breadcrumb),
    ("caption_above_credit", caption_above_credit),
    ("repeated_headline", repeated_headline),
    ("repeated_line", repeated_line),
    ("wrapper_title_repeat", wrapper_title_repeat),
    ("keywords_over_title", keywords_over_title),
    # last: the line above must be known as text
    ("date_under_dateline", date_under_dateline),
)


# ---------------------------------------------------------------- publication date and outlet

_DATETIME_RES = (
    # 2024-01-12 09:15:03, 2022/1/7, 2007年03月03日 17:21, 2025年02月17日18:54
    regex.compile(r"(?<!\d)(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"),
)
#: 05.01.2021 09:30 (day.month.year, as European-style sites print it)
_DMY_RE = regex.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2}))?")
_OUTLET_AFTER_SOURCE = regex.compile(r"(?:来源|稿源)\s*:\s*([^\s|,:;()]{2,20}?)(?=\s|$|\||编辑|作者|时间|[()])")
_OUTLET_AFTER_TIME = regex.compile(r"\d:\d{2}(?::\d{2})?\s+(\p{Han}{2,10}(?:报|网|社|台))(?=\s|$|\|)")
_OUTLET_BYLINE = regex.compile(r"^(新华社|中新社|中新网)")
_OUTLET_LINE = regex.compile(r"^\p{Han}{2,8}(?:网|报)$")


def _iso(y: str, mo: str, d: str, h: str | None, mi: str | None, sec: str | None) -> str | None:
    try:
        date = _dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None
    if not 1949 <= date.year <= 2100:
        return None
    if h is None or mi is None or int(h) > 23 or int(mi) > 59 or (sec is not None and int(sec) > 59):
        return date.isoformat()
    return f"{date.isoformat()}T{int(h):02d}:{mi}" + (f":{sec}" if sec is not None else "")


def read_publication(text: str, material: list[Found]) -> tuple[str | None, tuple[int, int] | None,
                                                                  str | None, tuple[int, int] | None]:
    """Publication date/time and outlet from stamp, source, byline and outlet lines (first wins)."""
    from zhdoc.normalize import fold

    published: str | None = None
    pspan: tuple[int, int] | None = None
    outlet: str | None = None
    ospan: tuple[int, int] | None = None
    for m in material:
        if m.kind not in ("stamp", "source", "byline", "other"):
            continue
        folded = fold(text[m.start : m.end])
        if published is None and m.kind in ("stamp", "source"):
            for dm in _DATETIME_RES[0].finditer(folded):
                iso = _iso(*dm.groups())
                if iso:
                    published, pspan = iso, (m.start + dm.start(), m.start + dm.end())
                    break
            else:
                dm = _DMY_RE.search(folded)
                if dm and (iso := _iso(dm[3], dm[2], dm[1], dm[4], dm[5], None)):
                    published, pspan = iso, (m.start + dm.start(), m.start + dm.end())
        if outlet is None:
            om = None
            group = 1
            if m.kind in ("stamp", "source"):
                om = _OUTLET_AFTER_SOURCE.search(folded) or _OUTLET_AFTER_TIME.search(folded)
            elif m.kind == "byline":
                om = _OUTLET_BYLINE.match(folded)
            elif _OUTLET_LINE.match(folded):
                om, group = _OUTLET_LINE.match(folded), 0
            if om:
                outlet = text[m.start + om.start(group) : m.start + om.end(group)]
                ospan = (m.start + om.start(group), m.start + om.end(group))
    return published, pspan, outlet, ospan


# ---------------------------------------------------------------- lines that stand alone


#: A line printed more than once is a repeated headline only when it is this long at least.
MIN_REPEATED_LINE = 6


def standalone_lines(text: str, folded: str, lines: list[Line]) -> frozenset[int]:
    """Indices of physical lines that layout repair must not join to their neighbours: lines a
    material rule takes whole, a short line printed more than once (a headline repeated between
    paragraphs), and, on a page with material, its first short line (the headline). Only short
    lines are looked at: the length test spares the regexes on every paragraph."""
    hits: set[int] = set()
    short: dict[str, list[int]] = {}
    first_short: int | None = None
    for ln in lines:
        n = ln.end - ln.start
        if n == 0 or n > MAX_MATERIAL_LINE:
            if n and first_short is None:
                first_short = -1  # the text opens with a paragraph: no headline
            continue
        f = folded[ln.start : ln.end]
        if line_rule(f) is not None:
            hits.add(ln.index)
            continue
        if MIN_REPEATED_LINE <= n <= 80 and match_marker(f) is None:  # ("一、" alone repeats in lists)
            short.setdefault(f, []).append(ln.index)
            if first_short is None:
                first_short = ln.index if n <= 60 else -1
    if not hits:
        return frozenset()
    hits.update(i for same in short.values() if len(same) > 1 for i in same)
    if first_short is not None and first_short >= 0:
        hits.add(first_short)
    return frozenset(hits)


# ---------------------------------------------------------------- the page reader


def read_page(blocks: list[Block], text: str) -> PageRead:
    """Take the carrier page's material out of ``blocks``; read the publication date and outlet."""
    items: list[_Item] = []
    any_found = False
    for index, block in enumerate(blocks):
        if len(block.folded) > MAX_MATERIAL_LINE and index >= PREFIX_BLOCKS:
            items.append(_Item(block, [], "", block))  # a body paragraph: no rule allows it
            continue
        found, rest = classify_block(block, index)
        any_found = any_found or bool(found)
        items.append(_Item(rest, found, block.folded, block))
    if any_found:
        # the context rules only apply on a page that shows carrier material at all: a bare
        # report's repeated line or short line above a 摄影 line stays text
        for _name, rule in CONTEXT_RULES:
            rule(items)
    material = sorted((f for it in items for f in it.found), key=lambda f: f.start)
    published, pspan, outlet, ospan = read_publication(text, material)
    return PageRead([it.block for it in items if it.block is not None], material, published, pspan, outlet, ospan)
