"""Layout repair: put displaced line blocks back in reading order, then join broken paragraphs.

Newspaper pages break sentences across lines and columns. Two repairs happen here, both on
physical lines and both recorded as diagnostics:

* a *displaced block* — a run of numbered items that restarts a series in the middle of
  another one, while elsewhere a series of the same style begins at the very item after it
  (the seed's "一、 二、" of one report printed inside another) — is moved to that hole;
* a line that ends mid-sentence is joined with the line that continues it, across blank
  lines, unless the next line starts a heading, a dateline or a salutation. In hard-wrapped
  text (a PDF text layer: the line widths cluster at one width, see ``wrap_width``) a line's
  length is the evidence instead: a full line goes on, a shorter one ends its paragraph.

Pinyin reading glosses (協(xié)調) are read past: make_block drops them from the repaired text
(offsets still map to the input) and a diagnostic says how many there were.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from zhdoc.normalize import PINYIN_GLOSS_RE, Block, Line, NormalizedText, make_block
from zhdoc.schema import Diagnostic, Span
from zhdoc.structure.lines import (
    DANGLING_ENDS,
    MAX_HEADING_LINE,
    MAX_SECOND_LINE,
    PHRASE_BREAK,
    SALUTATION_WORDS,
    SENTENCE_END,
    SENTENCE_PUNCT,
    TERMINAL,
    balanced,
    is_dateline,
    is_latin_only,
    is_part_heading,
    is_salutation,
    is_title_text,
)
from zhdoc.structure.markers import MarkerMatch, match_marker
from zhdoc.structure.page import line_rule


@dataclass(slots=True)
class LineInfo:
    line: Line
    text: str
    folded: str
    marker: MarkerMatch | None
    heading_like: bool  # could be an unnumbered heading or title line (short, no sentence punctuation)
    title_like: bool
    width: int = 0  # display columns as printed: two for a CJK or full-width character, one for ASCII


def _line_info(text: str, folded_text: str, line: Line) -> LineInfo:
    if line.start == line.end:
        return LineInfo(line, "", "", None, False, False)  # blank lines are about half of all lines
    content = text[line.start : line.end]
    folded = folded_text[line.start : line.end]
    width = 2 * len(content) - len(content.encode("ascii", "ignore"))  # as printed, glosses included
    if "(" in folded and PINYIN_GLOSS_RE.search(folded) is not None:
        # read the line as the tree will read its block: without reading glosses (三(sān)、…)
        content, folded = PINYIN_GLOSS_RE.sub("", content), PINYIN_GLOSS_RE.sub("", folded)
    marker = match_marker(folded)
    compact = content.replace(" ", "").replace("\u3000", "")
    heading_like = (
        marker is None
        and 2 <= len(compact) <= MAX_HEADING_LINE
        and SENTENCE_PUNCT.search(folded) is None
        and compact[-1] not in DANGLING_ENDS
        and balanced(folded)
    ) or is_part_heading(folded)
    title_like = is_title_text(folded) and "。" not in folded and len(compact) <= 80
    return LineInfo(line, content, folded, marker, heading_like, title_like, width)


def is_dangling(info: LineInfo) -> bool:
    """Does this line stop mid-sentence?"""
    if info.heading_like or info.title_like or is_dateline(info.folded):
        return False
    if info.marker is not None and info.marker.end >= len(info.folded.rstrip()):
        return not info.marker.style.alone  # a marker alone on its line ("一、") heads the next line
    if info.marker is not None and len(info.folded) <= 50 and SENTENCE_END.search(info.folded) is None and not (
        info.marker.style.run_in_only and info.text[-1] in "，,、"
    ):
        return False  # a numbered heading line ("一、坚持政治引领，把稳履职正确方向"), not "一要…，"
    return info.text[-1] not in TERMINAL


def _starts_new_unit(info: LineInfo) -> bool:
    return bool(
        info.marker is not None
        or info.title_like
        or is_dateline(info.folded)
        or is_salutation(info.folded)
    )


def reading_order(infos: list[LineInfo]) -> tuple[list[int], list[Diagnostic]]:
    """Indices of ``infos`` in reading order, with displaced numbered blocks moved to their hole."""
    order = list(range(len(infos)))
    diagnostics: list[Diagnostic] = []
    numbered = [(i, inf.marker) for i, inf in enumerate(infos) if inf.marker is not None]
    if len(numbered) < 4:
        return order, diagnostics
    # Scopes reset at unnumbered heading lines and titles: numbering may restart there.
    scope_of: list[int] = []
    scope = 0
    for inf in infos:
        if inf.heading_like or inf.title_like:
            scope += 1
        scope_of.append(scope)
    # Series by level, outermost first, then in order of appearance: a displaced top-level block
    # carries its sub-series with it. (A set here made the result depend on string hashing.)
    styles = {m.style.name: m.style.rank for _, m in numbered if m.style.rank <= 5}
    for style_name in sorted(styles, key=styles.__getitem__):
        seq = [(i, m.ordinal or 0) for i, m in numbered if m.style.name == style_name]
        # holes: first item of a scope's series is k > 1
        holes: list[tuple[int, int]] = []
        seen_scopes: set[int] = set()
        for i, o in seq:
            if scope_of[i] not in seen_scopes:
                seen_scopes.add(scope_of[i])
                if o > 1:
                    holes.append((i, o))
        candidates = _displaced_runs(seq, scope_of) if holes else {}
        for hole_index, k in holes:
            run = next((r for r in candidates.get(k - 1, ()) if scope_of[r[0]] != scope_of[hole_index]), None)
            if run is None:
                continue
            first, last = _block_extent(infos, run[0], run[-1])
            insert_after = _insertion_point(infos, scope_of, hole_index)
            if insert_after is None or first <= insert_after <= last:
                continue
            moved = order[first : last + 1]
            rest = [i for i in order if i < first or i > last]
            pos = rest.index(insert_after) + 1
            order = rest[:pos] + moved + rest[pos:]
            a, b = infos[first].line.start, infos[last].line.end
            hole_line = infos[hole_index].line.index + 1
            diagnostics.append(
                Diagnostic(
                    code="layout.displaced_block",
                    severity="warning",
                    message=(
                        f"lines {infos[first].line.index + 1}–{infos[last].line.index + 1} restart a numbered "
                        f"series inside another and look displaced by the page layout; read them before "
                        f"line {hole_line}, where the same series starts at item {k}"
                    ),
                    span=Span(start=a, end=b),
                )
            )
            break
    return order, diagnostics


def _displaced_runs(seq: list[tuple[int, int]], scope_of: list[int]) -> dict[int, list[list[int]]]:
    """Runs 1..L that restart a series which then continues as if they had not been there
    (一、二、 | 一、二、 | 三、), by length L, in text order. One pass: each restart of the
    series gives at most two candidate lengths, so this stays linear in the number of items."""
    out: dict[int, list[list[int]]] = {}
    n = len(seq)
    for pos in range(1, n):
        i, o = seq[pos]
        prev_i, prev_o = seq[pos - 1]
        if o != 1 or prev_o < 1 or scope_of[prev_i] != scope_of[i]:
            continue
        longest = 1
        while pos + longest < n and seq[pos + longest][1] == longest + 1:
            longest += 1
        for length in {min(prev_o, longest), longest}:
            if pos + length >= n:
                continue
            nxt_i, nxt_o = seq[pos + length]
            if scope_of[nxt_i] == scope_of[prev_i] and nxt_o == prev_o + 1:
                out.setdefault(length, []).append([j for j, _ in seq[pos:pos + length]])
    return out


def _block_extent(infos: list[LineInfo], first: int, last: int) -> tuple[int, int]:
    """Widen the run to its paragraph block: the adjacent non-blank lines around it."""
    while first > 0 and not infos[first - 1].line.blank:
        first -= 1
    while last + 1 < len(infos) and not infos[last + 1].line.blank:
        last += 1
    return first, last


def _insertion_point(infos: list[LineInfo], scope_of: list[int], hole_index: int) -> int | None:
    """After the last line that stops mid-sentence between the scope's start and the hole."""
    scope = scope_of[hole_index]
    start = hole_index
    while start > 0 and scope_of[start - 1] == scope:
        start -= 1
    candidate = None
    for i in range(start, hole_index):
        if not infos[i].line.blank:
            candidate = i
            if is_dangling(infos[i]):
                return i
    return candidate


def build_blocks(norm: NormalizedText, standalone: frozenset[int] = frozenset()) -> tuple[list[Block], list[Diagnostic]]:
    """Paragraph blocks in reading order, broken lines joined. Lines whose index is in
    ``standalone`` (carrier-page material: a stamp ending in a digit is not a broken sentence)
    join neither the line before nor the line after."""
    text = norm.text
    infos = [_line_info(text, norm.folded, ln) for ln in norm.lines]
    watermarks = _watermarks(infos)
    infos, cut = cut_lines(text, norm.folded, infos, watermarks)
    order, diagnostics = reading_order(infos)
    if "flattened" in cut:
        diagnostics.append(Diagnostic(
            code="layout.flattened", severity="info",
            message=f"{cut['flattened']} line(s) hold a whole page run together (一、 after a sentence end): "
            "split before the numbered markers inside them",
        ))
    wrap = wrap_width(infos)
    if wrap is not None:
        diagnostics.append(Diagnostic(
            code="layout.hard_wrapped", severity="info",
            message=f"lines are broken at {wrap} display columns (a PDF text layer or a fixed-width page): "
            "a full line is read as continuing on the next",
        ))
    blocks: list[Block] = []
    pending: list[tuple[int, int]] = []
    pending_info: LineInfo | None = None
    pending_marker = False
    second_heading_line = False
    for idx in order:
        info = infos[idx]
        if not info.text:
            continue  # a blank line (empty content)
        rng = (info.line.start, info.line.end)
        if _stands_apart(info, pending_info, standalone, watermarks):
            if pending:
                blocks.append(make_block(text, pending, norm.folded))
            pending, pending_info, pending_marker, second_heading_line = [rng], info, info.marker is not None, False
            continue
        if pending and pending_info is not None:
            if continues(pending_info, info, wrap, pending_marker) and not second_heading_line:
                pending.append(rng)
                pending_info = info if not info.heading_like else _as_paragraph(info)
                continue
            blocks.append(make_block(text, pending, norm.folded))
        # a short phrase right under a numbered heading line is that heading's second line
        # ("二、聚焦中心大局" ⏎ "建言资政、取得新成效"): it ends there, whatever it ends with
        second_heading_line = (
            len(pending) == 1 and pending_marker and heading_line(pending_info) and short_phrase(info)
            and (wrap is None or info.width < wrap - 1)  # (a full line of wrapped text is no phrase)
            if pending and pending_info is not None else False
        )
        pending = [rng]
        pending_info = info
        pending_marker = info.marker is not None
    if pending:
        blocks.append(make_block(text, pending, norm.folded))
    return blocks, diagnostics + pinyin_gloss_diagnostics(text)


def _stands_apart(info: LineInfo, above: LineInfo | None, standalone: frozenset[int],
                  watermarks: tuple[str, ...]) -> bool:
    """Does ``info`` start a block of its own, whatever it ends with: it or the line ``above`` it
    is carrier material (``standalone``, unless a title word broke across them) or a watermark."""
    if standalone and (info.line.index in standalone or (
            above is not None and above.line.index in standalone and not broken_title_word(above, info))):
        return True
    return bool(watermarks) and (_is_watermark(info, watermarks) or (
        above is not None and _is_watermark(above, watermarks)))


#: A page whose line breaks were lost: the first marker of a series runs on after a sentence or a
#: bracketed date ("…(2019年1月13日)一、过去一年工作回顾。…", "…起步。(一)以庆祝…为重点，…。").
#: Clean prose never does this; an inline list after a colon ("…三点：一、…；二、…") is not it.
_FLATTENED_RE = re.compile(r"[。！？!?)）]\s{0,2}(?:一、|[(（]一[)）])")
#: Inside such a line, where the report's lines began (the group): a numbered marker after a
#: sentence end (一、 also after a closing bracket, （一） also after a colon), an ordinal lead
#: (一是) after 。; a space or two between them is what some flatteners leave of the line break.
_FLATTENED_BREAK_RE = re.compile(
    r"[。！？!?)）]\s{0,2}([一二三四五六七八九十]{1,3}、)"
    r"|[。！？!?：:]\s{0,2}([（(][一二三四五六七八九十]{1,3}[)）])"
    r"|。\s{0,2}([一二三四五六七八九十]是)"
)


def _flattened_cuts(folded: str) -> list[int]:
    """Where a flattened page's line holds the starts of the report's own lines."""
    if ("一、" not in folded and "一)" not in folded) or _FLATTENED_RE.search(folded) is None:
        return []
    return [m.start(m.lastindex or 0) for m in _FLATTENED_BREAK_RE.finditer(folded)]


#: A transcript's speaker tag opening a line, a salutation perhaps right after it, then the speech
#: ("[某某]各位委员：我代表…", "[某某] 政协全体会议是…"), as live-text portals print it.
#: A salutation right after a speaker's tag or date, kept as group 2 or 3 of the patterns below.
_SALUTATION_AFTER = rf"(?:((?:{SALUTATION_WORDS})[^。:!！]{{0,12}}[:!！])\s*)?(?=\S)"
_SPEAKER_TAG_RE = re.compile(r"[\[【]([\u4e00-\u9fff]{2,4})[\]】]\s*" + _SALUTATION_AFTER)


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    table = resources.files("zhdoc.models").joinpath("surnames.txt").read_text(encoding="utf-8")
    return frozenset(w for row in table.splitlines() if not row.startswith("#") for w in row.split())


#: A transcript's speaker label with a colon, right before the report's own structure
#: ("某某:(二)紧紧围绕…", "某某:各位委员…"); before other text it is reported speech and stays.
_SPEAKER_LABEL_RE = re.compile(
    r"([\u4e00-\u9fff]{2,4}):\s*(?=[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|各位|同志们)"
)


def _speaker_tag_cuts(folded: str) -> list[int]:
    """After a speaker tag that opens a line, and after a salutation right behind it: the tag
    names a person (a surname first: "[图片]" is no speaker)."""
    if folded[:1] not in "[【":
        label = _SPEAKER_LABEL_RE.match(folded)
        return [label.end()] if label is not None and label.group(1)[0] in _surnames() else []
    m = _SPEAKER_TAG_RE.match(folded)
    if m is None or not (m.group(1)[0] in _surnames() or m.group(1)[:2] in _surnames()):
        return []
    return [m.start(2), m.end()] if m.group(2) else [m.end()]


#: A title with its dateline run on ("…常务委员会工作报告——在政协…第二次会议上").
_RUN_ON_DATELINE_RE = re.compile(r"——在[^。！？!?]{2,60}?(?:上|会议)(?:的[^。！？!?]{0,12})?$")


def _title_dateline_cuts(folded: str) -> list[int]:
    """Before a dateline run on after the title it belongs to."""
    if "——" not in folded:
        return []
    m = _RUN_ON_DATELINE_RE.search(folded)
    return [m.start()] if m is not None and m.start() > 0 and is_title_text(folded[: m.start()].rstrip()) else []


#: A date in brackets, as a dateline prints it: (2023年1月13日).
_BRACKETED_DATE = r"\(\d{4}年\d{1,2}月\d{1,2}日\)"
#: A dateline with its speaker's name run on after the bracketed date ("——在…会议上(2023年1月13日)某某",
#: a minority name with its middle dot: 某某·某某).
_DATELINE_SPEAKER_RE = re.compile(
    rf"^(?:——|—)[^()]{{2,50}}{_BRACKETED_DATE}\s*"
    r"([\u4e00-\u9fff]{2,4}(?:[·•][\u4e00-\u9fff]{2,8})?|[\u4e00-\u9fff](?:\s[\u4e00-\u9fff]){1,3})$"
)


def _dateline_speaker_cuts(folded: str) -> list[int]:
    """Before a speaker's name run on after a dateline's bracketed date."""
    m = _DATELINE_SPEAKER_RE.match(folded) if folded.startswith("—") and ")" in folded else None
    return [m.start(1)] if m is not None else []


#: A bilingual page laid out as a table, a row per line: the Chinese cell, a bar, its English
#: translation, perhaps a closing bar ("各位委员: | Fellow Members, |").
_BILINGUAL_ROW_RE = re.compile(
    r"^([^|]*[\u4e00-\u9fff][^|]*?)\s*\|\s*([^|\u4e00-\u9fff]*?[A-Za-z]{2,}[^|\u4e00-\u9fff]*?)\s*\|?\s*$"
)


def _bilingual_row_cuts(folded: str) -> list[int]:
    """At the bar after a table row's Chinese cell: the English cell, bars included, is a line
    of its own, as a bilingual page without a table prints it."""
    m = _BILINGUAL_ROW_RE.match(folded) if "|" in folded else None
    return [folded.index("|", m.end(1))] if m is not None else []


#: A title block run together: the speaker's name (perhaps letter-spaced), the date in brackets, a
#: salutation perhaps, then the speech ("某 某 某(2008年1月13日)各位委员、同志们: 今天…").
_RUN_ON_TITLE_BLOCK_RE = re.compile(
    rf"([\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){{1,3}})\s*({_BRACKETED_DATE})\s*" + _SALUTATION_AFTER
)


def _title_block_run_cuts(folded: str) -> list[int]:
    """After the name, the bracketed date and the salutation of a run-together title block (the
    name starts with a surname)."""
    m = _RUN_ON_TITLE_BLOCK_RE.match(folded)
    if m is None or m.group(1)[0] not in _surnames():
        return []
    return [m.start(2), m.start(3), m.end()] if m.group(3) else [m.start(2), m.end()]


#: A run of blanks that stands for a paragraph break in a document site's flattened text, where
#: single blanks stand for the line wraps ("…请予审议。   这次会议是…   一、过去五年工作回顾   …").
_SPACED_BREAK_RE = re.compile(r"(?<=\S)[ \u3000\xa0]{3,}(?=\S)")
#: Only a long line with several such runs is a flattened document (a table row has its own blanks).
MIN_SPACED_LINE = 200
MIN_SPACED_BREAKS = 3


def _spaced_break_cuts(folded: str) -> list[int]:
    """Where a long line's runs of three blanks or more end: the paragraphs it holds."""
    if len(folded) < MIN_SPACED_LINE or "   " not in folded:
        return []
    cuts = [m.end() for m in _SPACED_BREAK_RE.finditer(folded)]
    return cuts if len(cuts) >= MIN_SPACED_BREAKS else []


#: Lines that hold several of the report's own lines, and where they are cut, in order.
LINE_CUTS: tuple[tuple[str, Callable[[str], list[int]]], ...] = (
    ("flattened", _flattened_cuts),
    ("speaker_tag", _speaker_tag_cuts),
    ("title_dateline", _title_dateline_cuts),
    ("dateline_speaker", _dateline_speaker_cuts),
    ("title_block_run", _title_block_run_cuts),
    ("spaced_breaks", _spaced_break_cuts),
    ("bilingual_row", _bilingual_row_cuts),
)


def _may_hold_lines(f: str) -> bool:
    """A cheap pre-test: the marks one of LINE_CUTS needs (一、 or 一) of a flattened page, a
    speaker tag or label, a run-on dateline, a bracketed date, runs of blanks, a table's bar).
    Keep it in step with the rules."""
    return bool(f) and (
        "一、" in f or "一)" in f or f[0] in "[【" or "——" in f or f.find(":", 1, 6) >= 0
        or f.find("(", 1, 12) >= 0 or (len(f) >= MIN_SPACED_LINE and "   " in f) or "|" in f
    )


#: Copies of a line with a web address that make it a site's watermark.
MIN_WATERMARK_COPIES = 3


def _watermarks(infos: list[LineInfo]) -> tuple[str, ...]:
    """Lines holding a web address that the page prints three times or more on their own
    ("文章源自某站-https://…"): a site's watermark, which such sites also glue to the end of the
    report's own lines."""
    copies = Counter(i.folded.strip() for i in infos if "://" in i.folded)
    return tuple(line for line, n in copies.items() if n >= MIN_WATERMARK_COPIES and len(line) >= 8)


def _is_watermark(info: LineInfo, watermarks: tuple[str, ...]) -> bool:
    return "://" in info.folded and info.folded.strip() in watermarks


def _watermark_cut(line: str, watermarks: tuple[str, ...]) -> list[int]:
    """Where a watermark glued to the end of ``line`` begins: the line before it is the report's."""
    tail = line.rstrip()
    for mark in watermarks:
        if tail.endswith(mark) and tail[: -len(mark)].strip():
            return [len(tail) - len(mark)]
    return []


def cut_lines(text: str, folded_text: str, infos: list[LineInfo],
              watermarks: tuple[str, ...] = ()) -> tuple[list[LineInfo], dict[str, int]]:
    """Each line that a LINE_CUTS rule cuts, read as the lines it holds (offsets stay the
    input's), and how many lines each rule cut; before them, a watermark glued to a line's end."""
    out: list[LineInfo] = []
    counts: dict[str, int] = {}
    for info in infos:
        glued = watermarks and "://" in info.folded
        if not glued and (not _may_hold_lines(info.folded) or line_rule(info.folded) is not None):
            out.append(info)  # (most lines: no rule's mark in them; or page material, whole: "[简体] [English]")
            continue
        # the line as input (info.folded has its reading glosses dropped: its indices are no offsets)
        line = folded_text[info.line.start : info.line.end]
        cuts = _watermark_cut(line, watermarks) if glued else []
        if cuts:
            counts["glued_watermark"] = counts.get("glued_watermark", 0) + 1
        elif line and _may_hold_lines(info.folded) and line_rule(info.folded) is None:
            for name, rule in LINE_CUTS:
                if found := rule(line):
                    counts[name] = counts.get(name, 0) + 1
                    cuts = found
                    break
        if not cuts:
            out.append(info)
            continue
        base = info.line.start
        starts = [0, *cuts]
        for a, b in zip(starts, [*cuts, len(line)], strict=True):
            while b > a and line[b - 1].isspace():
                b -= 1  # a space where the line broke stays outside both pieces
            if b > a:
                out.append(_line_info(text, folded_text, Line(info.line.index, base + a, base + b)))
    return out, counts


#: Punctuation after which a phrase cannot stop (the words of DANGLING_ENDS can end a heading: 取向).
_OPEN_PUNCT = frozenset("，,、“‘「『(（《")
#: Characters that cannot start a line of their own: the line continues the one before.
_CONTINUATION_STARTS = frozenset("。，,、；;：:？！?!）)")


def continues(prev: LineInfo, nxt: LineInfo, wrap: int | None, numbered: bool = False) -> bool:
    """Does ``nxt`` continue the paragraph that ``prev`` ends? ``wrap``: the column at which the
    text is hard-wrapped, if it is: then a full line goes on; a shorter one ends a numbered
    heading (``numbered``: the paragraph opened with a marker) unless it stops on a character
    nothing ends with, and other paragraphs as in unwrapped text (sources break lines at links too)."""
    if nxt.folded[0] in _CONTINUATION_STARTS or ((nxt.folded[0] == "》" or prev.folded[-1] == "《") and (
        link_fragment(prev, nxt)
    )):
        return True
    if nxt.marker is not None and nxt.marker.style.run_in_only and prev.text[-1] in "，,、":
        return True  # "…的发展，" ⏎ "一要…": an ordinal word inside the sentence, not a new point
    if broken_title_word(prev, nxt) or (wrap is None and page_chunk_number(prev, nxt)):
        return True
    if wrap is not None and prev.width >= wrap - 1:  # a wide character that did not fit leaves a column
        # a sentence that ends with the line, then a line that opens with a lead phrase
        # ("制度护航。…"): a paragraph that happened to fill its last line, and the next one
        return prev.text[-1] not in TERMINAL or not (_starts_new_unit(nxt) or _opens_with_lead(nxt))
    if wrap is not None and numbered and (prev.marker is None or prev.marker.end < len(prev.folded)):
        return prev.text[-1] in _OPEN_PUNCT and not _starts_new_unit(nxt)
    # (last) a bilingual page: a Chinese line and its English translation, line by line, stay apart
    return is_dangling(prev) and not _starts_new_unit(nxt) and is_latin_only(prev.folded) == is_latin_only(nxt.folded)


#: A document site cuts its text into numbered chunks ("…确定立案67件，重复" ⏎ "2、合并提案20件。…"):
#: the chunk's number opens a line that goes on with the sentence the long line before left open.
MIN_CHUNK_LINE = 100


def page_chunk_number(prev: LineInfo, nxt: LineInfo) -> bool:
    """``nxt`` opens with a chunk number (2、, 3、…) inside a sentence that ``prev``, a long line of
    prose, left open: it continues that sentence (in unwrapped text; a wrapped line ends open anyway)."""
    m = nxt.marker
    return (
        m is not None
        and m.style.name == "ar_dun"
        and (m.ordinal or 0) >= 2
        and len(prev.folded) >= MIN_CHUNK_LINE
        and not prev.heading_like
        and prev.text[-1] not in TERMINAL
        and prev.text[-1] not in _OPEN_PUNCT
    )


#: The last line of a title broken inside its genre word ("…常务委员会工" ⏎ "作报告") is short.
MAX_TITLE_TAIL = 6
#: Two characters of one word of a report title (工作, 报告, 委员会…): a line break between them
#: is a fixed-width page's, not the title's own line break ("中国人民政治协商会议" ⏎ "…委员会").
_TITLE_WORD_BIGRAMS = frozenset({"工作", "作报", "报告", "委员", "员会", "常务", "务委", "政协", "协商", "会议"})


def broken_title_word(prev: LineInfo, nxt: LineInfo) -> bool:
    """A title line cut inside a word by a fixed-width page: the first line is no title, the two
    joined are one, and the break falls inside a word of the title's vocabulary."""
    return (
        len(nxt.folded) <= MAX_TITLE_TAIL
        and prev.folded[-1:] + nxt.folded[:1] in _TITLE_WORD_BIGRAMS
        and prev.heading_like
        and not prev.title_like
        and nxt.marker is None
        and is_title_text(prev.folded + nxt.folded)
    )


def heading_line(info: LineInfo) -> bool:
    """A numbered heading alone on its line, with no clause in it (二、聚焦中心大局)."""
    return info.marker is not None and info.marker.end < len(info.folded) and (
        PHRASE_BREAK.search(info.folded, info.marker.end) is None
    )


def short_phrase(info: LineInfo) -> bool:
    """A line that could be the second line of a heading: short, no clause break, no marker."""
    f = info.folded
    return (
        info.marker is None and 2 <= len(f) <= MAX_SECOND_LINE and PHRASE_BREAK.search(f) is None
        and f[-1] not in _OPEN_PUNCT and not info.title_like and balanced(f)
    )


#: A lead phrase that opens a line: a short sentence with no clause break (kept shorter than
#: the tree's leads: here it decides against the evidence of a full line).
_LEAD_OPENING = re.compile(r"[^。！？!?，,；;：:]{2,11}[^。！？!?，,；;：:的]。")


def _opens_with_lead(info: LineInfo) -> bool:
    return _LEAD_OPENING.match(info.folded) is not None


#: A hard-wrapped text has at least this many lines, this share of them within two columns of the
#: widest common width, and few lines wider; narrower widths are lists, not wrapping.
MIN_WRAPPED_LINES = 8
MIN_WRAPPED_SHARE = 0.3
MAX_WIDER_SHARE = 0.05
MIN_WRAP_WIDTH = 30


def wrap_width(infos: list[LineInfo]) -> int | None:
    """The display width at which the text is hard-wrapped, or None when its lines are paragraphs.

    Wrapped lines cluster at one width (a line is that wide, or one column less when a wide
    character did not fit), and almost none is wider; paragraphs as lines vary in length."""
    counts: dict[int, int] = {}
    for inf in infos:
        if inf.width:
            counts[inf.width] = counts.get(inf.width, 0) + 1
    total = sum(counts.values())
    if total < MIN_WRAPPED_LINES:
        return None
    best, best_n = 0, 0
    for w in counts:
        n = counts[w] + counts.get(w - 1, 0) + counts.get(w - 2, 0)
        if n > best_n or (n == best_n and w > best):
            best, best_n = w, n
    wider = sum(c for w, c in counts.items() if w > best)
    if best < MIN_WRAP_WIDTH or best_n < MIN_WRAPPED_SHARE * total or wider > MAX_WIDER_SHARE * total:
        return None
    return best


def pinyin_gloss_diagnostics(text: str) -> list[Diagnostic]:
    """Say so when reading glosses were left out of the analysis (make_block drops them)."""
    first = PINYIN_GLOSS_RE.search(text)
    if first is None:
        return []
    n = sum(1 for _ in PINYIN_GLOSS_RE.finditer(text, first.start()))
    return [Diagnostic(
        code="layout.pinyin_glosses", severity="info",
        message=f"{n} pinyin reading gloss{'es' if n > 1 else ''} such as {first.group()!r} left out of the "
        "analysis (headings, titles and paragraph texts read without them; offsets still point into the input)",
        span=Span(start=first.start(), end=first.end()),
    )]


def link_fragment(prev: LineInfo, info: LineInfo) -> bool:
    """A title quoted in 《》 that the source page set as a link lands on lines of its own
    (``…作出《`` ⏎ ``关于…的决定`` ⏎ ``》。…``): the lines belong to one sentence, whatever the
    middle line looks like (a title, a heading)."""
    return prev.folded.endswith("《") or (info.folded.startswith("》") and "《" in prev.folded)


def _as_paragraph(info: LineInfo) -> LineInfo:
    """A heading-like line that continued a paragraph is part of the paragraph now."""
    return LineInfo(info.line, info.text, info.folded, info.marker, False, False, info.width)
