"""Structure: split a text into its reports and build each report's section tree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from zhdoc.normalize import Block, NormalizedText, fold
from zhdoc.schema import Carrier, Diagnostic, Material, ReportMeta, Span
from zhdoc.structure.layout import build_blocks
from zhdoc.structure.lines import (
    PAREN_META_RE,
    SENTENCE_END,
    is_dateline,
    is_latin_only,
    is_salutation,
    is_title_text,
)
from zhdoc.structure.markers import match_marker
from zhdoc.structure.news import has_news_cue, keep_numbered
from zhdoc.structure.page import PageRead, read_page, standalone_lines
from zhdoc.structure.tree import NumberingIssue, build_tree, numbering_diagnostics, to_sections, top_level
from zhdoc.structured import StructuredDocument, StructuredReport

__all__ = ["read_structure"]

_SENTENCE = re.compile(r"[。！？!?；;，,、]")  # a plain class: the faster standard engine
#: Genre words in a title, most specific first.
GENRES: tuple[tuple[str, str], ...] = (
    (r"提案工作情况", "提案工作情况报告"),
    (r"常务委员会工作报告|常委会工作报告", "常委会工作报告"),
    (r"政协.{0,20}(?:工作报告|会上的报告)", "常委会工作报告"),
    (r"政府工作报告的决议", "政府工作报告决议"),
    (r"政府工作报告", "政府工作报告"),
    (r"代表大会上的报告", "党代会报告"),
    (r"决议", "决议"),
    (r"讲话", "讲话"),
    (r"报告", "报告"),
)
#: GENRES compiled once (``regex.search(pattern, …)`` looks the pattern up in a cache per call).
_GENRE_PATTERNS: tuple[tuple[regex.Pattern[str], str], ...] = tuple((regex.compile(p), g) for p, g in GENRES)
_SPEAKER_IN_TITLE = regex.compile(r"^(\p{Han}{2,4})(?:同志)?在(.{2,40}?)(?:上的|上)")
#: A meeting named by its term: the body before it (not the words that lead up to it: 在, 于,
#: 关于, a date's 日), 第X届, the session, and the word for a meeting ("会" alone, as in
#: "十五届四次会上", but not the 会 of 委员会).
_MEETING_RE = regex.compile(
    r"((?:[^\s在于日关的,，:：]{0,12}?)(?:第?[一二三四五六七八九十\d]+届)(?:[^上在的]{0,20}?)(?:会议|全会|大会|(?<!员)会))"
)
#: The meeting a dateline names: "——2025年1月8日在区政协十五届五次会议上".
_DATELINE_MEETING_RE = regex.compile(r"在(\p{Han}[^上]{1,40}?(?:会议|全会|大会|会))(?:上|开幕|期间)")


def meeting_named(datelines: list[Block], texts: list[str]) -> str | None:
    """The meeting a report was given at: as its dateline names it, else the first one its title
    (or title block) names. Matched on folded text (會議 reads as 会议), returned as written."""
    for b in datelines:
        m = _DATELINE_MEETING_RE.search(b.folded)
        if m:
            return b.text[m.start(1) : m.end(1)]
    for t in texts:
        m = _MEETING_RE.search(fold(t))
        if m:
            return t[m.start(1) : m.end(1)]
    return None
# (?|…): both day forms fill groups 1-3 (2024年1月8日, 2000.03.13 / 2021-01-08 / 2021/1/8)
_DATE_RE = regex.compile(  # (a PDF's text layer puts spaces around the digits: "2024 年 3 月 4 日")
    r"(?|(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日|(?<!\d)(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})(?!\d))"
    r"|(\d{4}) ?年 ?(\d{1,2}) ?月|(\d{4}) ?年"
)


@dataclass(slots=True)
class _ReportBlocks:
    title: list[Block] = field(default_factory=list)
    meta: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    headline: list[Block] = field(default_factory=list)  # a page's headline above the printed title
    news: bool = False  # the title is a news article's headline, no report title follows


def _short_line(b: Block, limit: int = 80) -> bool:
    return len(b.parts) == 1 and len(b.folded) <= limit and "。" not in b.folded


def _is_title(b: Block) -> bool:
    return (
        # (two lines: a title that a fixed-width page broke inside a word, joined by layout repair)
        (_short_line(b) or (len(b.parts) == 2 and len(b.folded) <= 80 and not _SENTENCE.search(b.folded)))
        and match_marker(b.folded) is None
        and not is_dateline(b.folded)  # "——在…大会上的报告" is the dateline, not a title
        and is_title_text(b.folded)
    )


#: A date printed without its 年月日 (2018115, (20160108)): a dateline, kept as text with a diagnostic.
_GARBLED_DATE_RE = regex.compile(r"^[(]?\s*(?:19|20)\d{5,6}\s*[)]?$")
#: A date alone on its line (2000.03.13, 2021-01-08, 2024年1月8日): a dateline in a title block.
_BARE_DATE_LINE_RE = regex.compile(r"^(?:19|20)\d{2}(?:[.\-/]\d{1,2}[.\-/]\d{1,2}|年\d{1,2}月\d{1,2}日)$")
#: A bracketed dateline that lost its opening bracket and part of its date: digits, then the meeting.
_GARBLED_MEETING_DATELINE_RE = regex.compile(r"^[\d年月日\s]{2,14}在[^()。]{2,40}会议上\)$")
#: 摘要 / （摘登） / (摘编) lines under a title.
_SUBTITLE_RE = regex.compile(r"^[(]?(?:摘要|摘登|摘编|节选|全文)[)]?$")


def _is_meta(b: Block) -> bool:
    f = b.folded
    if is_dateline(f) and len(f) <= 80:
        return True
    if PAREN_META_RE.match(f) and _DATE_RE.search(f):
        return True
    if f[:1] in "(12" and len(f) <= 12 and (_GARBLED_DATE_RE.match(f) or _SUBTITLE_RE.match(f)):
        return True
    if f[:1] in "12" and len(f) <= 11 and _BARE_DATE_LINE_RE.match(f):
        return True
    if f.endswith("上)") and len(f) <= 60 and _GARBLED_MEETING_DATELINE_RE.match(f):
        return True  # "201213日在市政协九届一次会议上)": a dateline whose opening the page lost
    return is_salutation(f)


def _is_subtitle(f: str) -> bool:
    """摘要 lines, and a "——…工作报告" line: a second title of another kind, not a dateline."""
    if _SUBTITLE_RE.match(f):
        return True
    return is_dateline(f) and is_title_text(f) and "上" not in f


def _is_speaker(b: Block) -> bool:
    f = b.folded.replace(" ", "")
    return _short_line(b, 16) and not _SENTENCE.search(f) and match_marker(f) is None and len(f) <= 16


def _is_headline(blocks: list[Block], i: int, page: PageRead) -> bool:
    """A page's headline: a short first line, on a page that shows carrier material or whose line
    says that a meeting opened, closed or was held; prose follows it."""
    b = blocks[i]
    f = b.folded.strip()
    return (
        i + 1 < len(blocks)
        and len(b.parts) == 1
        and 4 <= len(f) <= 60
        and SENTENCE_END.search(f) is None
        and match_marker(f) is None
        and not is_dateline(f)
        and not is_salutation(f)
        and (bool(page.material) or has_news_cue(f))
    )


def _split(blocks: list[Block], page: PageRead | None = None) -> list[_ReportBlocks]:
    reports: list[_ReportBlocks] = []
    i = 0
    n = len(blocks)
    current = _ReportBlocks()
    if page is not None and n and not _title_run(blocks, 0, page=page) and _is_headline(blocks, 0, page):
        i = 1
        if _same_line_over_meta(blocks):
            current = _ReportBlocks(headline=[blocks[0]], title=[blocks[1]])
            i = _take_title_block(blocks, 2, current)
        elif n > 1 and _title_run(blocks, 1, after_title=True):
            current.headline = [blocks[0]]  # the page's headline over the printed title block
        elif n > 1 and _is_meta(blocks[1]):
            # a salutation or dateline right under it: the report's own title, not a news headline
            current = _ReportBlocks(title=[blocks[0]])
            i = _take_title_block(blocks, i, current)
        elif _is_deck(blocks, 1):
            # a news headline and the deck under it: one headline of two lines
            current = _ReportBlocks(title=[blocks[0]], headline=blocks[:2], news=True)
            i = 2
        else:
            current = _ReportBlocks(title=[blocks[0]], news=True)
    while i < n:
        b = blocks[i]
        at_start = not current.meta and not current.body
        title_run = _title_run(blocks, i, after_title=at_start and bool(current.title or current.headline), page=page)
        if title_run and not at_start and not _split_evidence(blocks, i, title_run):
            title_run = 0
        if title_run:
            if at_start and current.title and not current.headline:
                # a title right under a title: the first was the page's headline (a typed
                # headline such as "…在全委会上的讲话" over the printed cover title)
                current = _ReportBlocks(headline=current.title, title=blocks[i : i + title_run])
            elif at_start and not current.title:
                current.title = blocks[i : i + title_run]
            elif current.title and not current.body and _compact(current.title) == _compact(blocks[i : i + title_run]):
                # the same title block twice: the page's summary line, then the report's own
                current = _ReportBlocks(headline=current.headline + current.title + current.meta,
                                        title=blocks[i : i + title_run])
            else:
                if current.title or current.meta or current.body:
                    reports.append(current)
                current = _ReportBlocks(title=blocks[i : i + title_run])
            i = _take_title_block(blocks, i + title_run, current)
            if not current.meta and not current.headline and i < n and _is_deck(blocks, i) and has_news_cue(
                    " ".join(b.folded for b in current.title)):
                # a titled news headline ("…会议开幕 提…意见") and its deck: a story, not the report
                current.headline, current.news = [*current.title, blocks[i]], True
                i += 1
            continue
        # a title block without a title: datelines, a salutation, a speaker's name over them
        if current.body and _SPEAKER_TAG_RE.match(b.folded) and i + 1 < n and is_salutation(blocks[i + 1].folded):
            # a news lead, then the report itself from its speaker's tag and salutation on
            reports.append(current)
            current = _ReportBlocks()
        # (under a news headline too: the page reproduces the report from its title block on)
        if (not current.title or current.news) and not current.body and (
                _is_meta(b) or _speaker_line(blocks, i)):
            current.meta.append(b)
            i += 1
            continue
        current.body.append(b)
        i += 1
    if current.title or current.meta or current.body or not reports:
        reports.append(current)
    return reports


#: A deck (a news headline's second line) is as short as a heading line.
MAX_DECK = 40
#: What a report's own short heading ends with (2023年工作回顾, 今年工作建议), which a deck does not.
_SECTION_NOUN_END = regex.compile(r"(?:回顾|情况|建议|任务|工作|做法|体会|思路|要点|意见|成效|安排)$")


def _is_deck(blocks: list[Block], i: int) -> bool:
    """A short line under a news headline that restates the event ("某某会议在某地开幕"), prose
    after it: the headline's second line, not a heading of the story."""
    b = blocks[i]
    f = b.folded.strip()
    return (
        i + 1 < len(blocks)
        and len(b.parts) == 1
        and 4 <= len(f) <= MAX_DECK
        and not _SENTENCE.search(f)
        and SENTENCE_END.search(f) is None
        and match_marker(f) is None
        and not is_dateline(f)
        and _SECTION_NOUN_END.search(f) is None
        and not is_title_text(f)  # a report's own title under the page's headline
        and not _short_line(blocks[i + 1], MAX_DECK)
    )


#: A news story's first sentence: a dated event ("3月4日下午，…开幕"), a wire byline ("某某网北京3月3日电").
_NEWS_LEAD_RE = regex.compile(
    r"^(?:\S{0,12}(?:电|讯)\s*(?:\([^)]{0,20}\))?\s*|本报讯|本站讯|刚刚,|日前,)"
    r"|^(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:-\d{1,2}月\d{1,2}日)?(?:上午|下午|晚上?|早上)?[,\s]"
)


def _opens_with_news_lead(split: list[_ReportBlocks]) -> bool:
    """A text with no report title block that opens with a news lead is a story about a report."""
    first = split[0]
    return (len(split) == 1 and not first.title and not first.meta and not first.headline and bool(first.body)
            and _NEWS_LEAD_RE.match(first.body[0].folded) is not None)


def _material_between(page: PageRead | None, before: Block, after: Block) -> bool:
    """Does carrier material stand between two blocks (a stamp, a widget the page put there)?"""
    return page is not None and any(before.end <= m.start and m.end <= after.start for m in page.material)


def _compact(blocks: list[Block]) -> str:
    """The text of title lines without the spaces and line breaks a page put in it."""
    return "".join("".join(b.folded.split()) for b in blocks)


def _same_line_over_meta(blocks: list[Block]) -> bool:
    """An essay site's page title printed again as the report's own title, its salutation or
    dateline under the copy (page material between them is already out of the blocks)."""
    return len(blocks) > 2 and blocks[1].folded.strip() == blocks[0].folded.strip() and _is_meta(blocks[2])


def _take_title_block(blocks: list[Block], i: int, current: _ReportBlocks) -> int:
    """The title block under a title, from ``i``: datelines, paren dates, speaker lines, an
    author line, up to the salutation, each with its translation on a bilingual page; returns
    the index after it."""
    n = len(blocks)
    if current.title and not current.meta:
        i = _take_translation(blocks, i, current)  # the title's
    while i < n and (_is_meta(blocks[i]) or _speaker_line(blocks, i)
                     or (not current.meta and _is_author(blocks[i]))):
        part = blocks[i]
        current.meta.append(part)
        i = _take_translation(blocks, i + 1, current)
        if is_salutation(part.folded):
            break
    return i


def _take_translation(blocks: list[Block], i: int, current: _ReportBlocks) -> int:
    """The lines from ``i`` that translate the title-block part above them (a bilingual page)."""
    while i < len(blocks) and _is_translation(blocks[i]):
        current.meta.append(blocks[i])
        i += 1
    return i


#: A translated title-block line is at most this long.
MAX_TRANSLATION_LINE = 300


def _is_translation(b: Block) -> bool:
    """A line in Latin script only (perhaps printed over two), under a line of the title block:
    a bilingual page's translation of it ("Fellow Members," under "各位委员：")."""
    return len(b.folded) <= MAX_TRANSLATION_LINE and is_latin_only(b.folded)


_AUTHOR_RE = regex.compile(r"(?:委员会|政协|人民政府|办公室|党组|研究室|调研组|课题组)$")


def _is_author(b: Block) -> bool:
    """A body's name on its own line right under the title: the report's author."""
    return _short_line(b, 30) and not _SENTENCE.search(b.folded) and _AUTHOR_RE.search(b.folded) is not None


#: A transcript's speaker tag on its own line ("[某某]"; layout repair cut it off its speech).
_SPEAKER_TAG_RE = regex.compile(r"^[\[【](\p{Han}{2,4})[\]】]$")


def _speaker_line(blocks: list[Block], i: int) -> bool:
    """A speaker's name in a title block: a speaker tag, or a name line with more of the title
    block under it."""
    b = blocks[i]
    return bool(_SPEAKER_TAG_RE.match(b.folded)) or (_is_speaker(b) and _meta_follows(blocks, i))


def _meta_follows(blocks: list[Block], i: int) -> bool:
    """A speaker line is followed (within two blocks, translations aside) by a salutation, dateline
    or another speaker line."""
    start = i + 1
    while start < len(blocks) and _is_translation(blocks[start]):
        start += 1
    if start > i + 1 and is_title_text(blocks[i].folded):
        return False  # a short title over its translation, not a name
    for j in range(start, min(start + 2, len(blocks))):
        if _is_meta(blocks[j]):
            return True
        if not _is_speaker(blocks[j]):
            return False
    return False


def _split_evidence(blocks: list[Block], i: int, run: int) -> bool:
    """A title in the middle of a text starts a new report only with title-block evidence: a
    dateline, speaker or salutation under it, or a whole line of its own after a finished
    sentence (not a link title cut out of a sentence, not a lead ending in a colon)."""
    nxt = blocks[i + run] if i + run < len(blocks) else None
    if nxt is not None and (_is_meta(nxt) or _is_speaker(nxt)):
        return True
    prev = blocks[i - 1].folded.rstrip() if i else ""
    last = blocks[i + run - 1].folded.rstrip()
    return (not prev or prev[-1] in "。！？!?”") and last[-1:] not in ":：" and not last.startswith("关于")


#: The first line of a cover title printed over several lines: the committee's full name.
_TITLE_HEAD_RE = regex.compile(r"^\s*(?:中国人民政治协商会议|政协)\S{0,30}$")


def _title_run(blocks: list[Block], i: int, *, after_title: bool = False, page: PageRead | None = None) -> int:
    """How many blocks from ``i`` form a report title (0 if none). ``after_title``: the blocks
    before ``i`` are a headline or title of the same block, so a short line may precede."""
    if not _short_line(blocks[i]) and len(blocks[i].parts) != 2:
        return 0  # both kinds of title below start with a short single line (most blocks are not)
    if _is_title(blocks[i]):
        return 1
    if _TITLE_HEAD_RE.match(blocks[i].folded) and not _SENTENCE.search(blocks[i].folded):
        # a cover title printed over lines: the body's full name over "…委员会" over "…工作报告"
        for run in (2, 3, 4):
            last = i + run - 1
            if last < len(blocks) and _is_title(blocks[last]) and all(
                    _short_line(blocks[j], 40) and not _SENTENCE.search(blocks[j].folded) for j in range(i + 1, last)):
                return run
    # Untyped titles (two lines, no genre word) at the start of a file or report: short lines
    # directly followed by a dateline or salutation.
    run = 0
    while i + run < len(blocks) and run < 3 and _short_line(blocks[i + run], 40) and not _SENTENCE.search(
        blocks[i + run].folded
    ) and match_marker(blocks[i + run].folded) is None and not is_dateline(blocks[i + run].folded):
        if run and _is_title(blocks[i + run]) and _material_between(page, blocks[i + run - 1], blocks[i + run]):
            return 0  # a titled line below, past the page's material: the line above is a site's slogan
        run += 1
    if run and i + run < len(blocks) and _real_dateline(blocks[i + run].folded) and (
        i == 0 or after_title or not _short_line(blocks[i - 1])
    ):
        return run
    return 0


_DATELINE_WORDS = regex.compile(r"会议|会上|大会|全会|\d{4}年|[一二〇○零]{4}年|工作报告|上的")


def _real_dateline(folded: str) -> bool:
    """A dateline under an untyped title names a meeting or a date ("——在…会议上"); a dash item
    of a list ("——在优化结构…的基础上") does not, and is longer."""
    return is_dateline(folded) and len(folded) <= 60 and _DATELINE_WORDS.search(folded) is not None


def _range_of(blocks: list[Block]) -> tuple[int, int]:
    return min(b.start for b in blocks), max(b.end for b in blocks)


def _span_of(blocks: list[Block]) -> Span:
    start, end = _range_of(blocks)
    return Span(start=start, end=end)


#: "北京市政协主席 魏小东": an office, a space, a name of two to four characters.
_OFFICE_NAME_RE = regex.compile(r"^(\S{2,20}?)\s+(\p{Han}{2,4})$")
#: A name printed letter-spaced ("李 万 廷").
_SPACED_NAME_RE = regex.compile(r"^\p{Han}(?:\s+\p{Han}){1,3}$")
_TITLE_YEAR_RE = regex.compile(r"(?<!\d)((?:19[5-9]|20[0-9])\d)(?!\d)")


def _meta(rb: _ReportBlocks, title: str | None, published: str | None,
          diagnostics: list[Diagnostic]) -> ReportMeta:
    meta = ReportMeta()
    texts = [title or ""] + [b.text for b in rb.meta]
    if rb.news:
        meta.genre = "news"
    for pattern, genre in _GENRE_PATTERNS:
        if title and not rb.news and pattern.search(title):
            meta.genre = genre
            break
    if rb.headline:
        meta.headline_span = _span_of(rb.headline)
    elif rb.news and rb.title:
        meta.headline_span = _span_of(rb.title)
    if title and not rb.news:
        sm = _SPEAKER_IN_TITLE.match(title)
        if sm:
            meta.speaker = sm.group(1)
            meta.meeting = sm.group(2)
    datelines: list[Block] = []
    dateline_end = 0
    read = ""  # the part the last block was read as: a translation under it widens that part's span
    for b in rb.meta:
        f = b.folded
        if _is_translation(b):
            if read == "salutation":
                meta.salutation_span = _widened(meta.salutation_span, b)
            elif read == "speaker":
                meta.speaker_span = _widened(meta.speaker_span, b)
            elif read == "dateline":
                dateline_end = b.end
            else:  # the title's translation: a second title line of another kind
                _add_subtitle(meta, b)
            continue
        read = ""
        if _is_subtitle(f):
            _add_subtitle(meta, b)
        elif is_salutation(f):
            meta.salutation_span = Span(start=b.start, end=b.end)
            read = "salutation"
        elif is_dateline(f) or PAREN_META_RE.match(f) or _GARBLED_DATE_RE.match(f) or _BARE_DATE_LINE_RE.match(f) or (
                _GARBLED_MEETING_DATELINE_RE.match(f)):
            datelines.append(b)
            dm = _DATE_RE.search(f)
            if dm and meta.date is None:
                meta.date = _iso(dm)
            elif dm is None and (_GARBLED_DATE_RE.match(f) or _GARBLED_MEETING_DATELINE_RE.match(f)):
                diagnostics.append(Diagnostic(
                    code="meta.dateline_garbled", severity="info", span=Span(start=b.start, end=b.end),
                    message=f"dateline {b.text.strip()!r} is not a date zhdoc can read; kept as text"))
            read = "dateline"
        elif _is_speaker(b) or _is_author(b):
            _add_speaker(meta, b)
            read = "speaker"
    if datelines:
        meta.dateline = " ".join(b.text.strip() for b in datelines)
        meta.dateline_span = Span(start=datelines[0].start, end=max(datelines[-1].end, dateline_end))
    if meta.meeting is None:
        meta.meeting = meeting_named(datelines, texts)
    # the report's year, by precedence: its dateline, its title, the meeting, the page's date
    if meta.date:
        meta.year, meta.year_source = int(meta.date[:4]), "dateline"
    elif title and (ym := _TITLE_YEAR_RE.search(title)):
        meta.year, meta.year_source = int(ym.group(1)), "title"
    elif meta.meeting and (ym := _TITLE_YEAR_RE.search(meta.meeting)):
        meta.year, meta.year_source = int(ym.group(1)), "meeting"
    elif published:
        meta.year, meta.year_source = int(published[:4]), "published"
    return meta


def _add_speaker(meta: ReportMeta, b: Block) -> None:
    text = b.text.strip()
    if tag := _SPEAKER_TAG_RE.match(b.folded):
        text = tag.group(1)  # the name; the span keeps the brackets, which belong to no other part
    elif _SPACED_NAME_RE.match(text):
        text = "".join(text.split())  # 李 万 廷 → 李万廷
    elif om := _OFFICE_NAME_RE.match(text):
        meta.speaker_title = om.group(1)
        text = om.group(2)
    meta.speaker = (meta.speaker + " " if meta.speaker else "") + text
    meta.speaker_span = _widened(meta.speaker_span, b)


def _add_subtitle(meta: ReportMeta, b: Block) -> None:
    meta.subtitle = (meta.subtitle + " " if meta.subtitle else "") + b.text.strip()
    meta.subtitle_span = _widened(meta.subtitle_span, b)


def _widened(span: Span | None, b: Block) -> Span:
    """``span`` run on to the end of ``b`` (``b``'s own span when there is none yet)."""
    return Span(start=span.start if span else b.start, end=b.end)


def _iso(m: regex.Match[str]) -> str:
    if m.group(1):
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if m.group(4):
        return f"{m.group(4)}-{int(m.group(5)):02d}"
    return m.group(6)


def _carrier(page: PageRead, text: str) -> Carrier:
    return Carrier(
        material=[Material(kind=m.kind, span=Span(start=m.start, end=m.end), text=text[m.start : m.end],  # type: ignore[arg-type]
                           rule=m.rule) for m in page.material],
        published=page.published,
        published_span=Span(start=page.published_span[0], end=page.published_span[1]) if page.published_span else None,
        outlet=page.outlet,
        outlet_span=Span(start=page.outlet_span[0], end=page.outlet_span[1]) if page.outlet_span else None,
    )


def read_structure(norm: NormalizedText, *, page_starts: list[int] | None = None) -> StructuredDocument:
    """The carrier page's material out first, then reports with title block, preamble and tree."""
    blocks, diagnostics = build_blocks(norm, standalone_lines(norm.text, norm.folded, norm.lines))
    page = read_page(blocks, norm.text) if blocks else PageRead([])
    blocks = page.blocks
    carrier = _carrier(page, norm.text)
    if not blocks:
        empty = StructuredReport(span=(0, len(norm.text)))
        diagnostics.append(Diagnostic(code="input.empty", severity="warning", message="the input has no text"))
        return StructuredDocument(norm.text, [empty], diagnostics, carrier, "report", page_starts)
    reports: list[StructuredReport] = []
    issues: list[NumberingIssue] = []
    split = _split(blocks, page)
    # a report's own title block (a salutation, a dateline) outweighs a byline or caption around it
    genre = "collection" if page.has("wrapper") else (
        "news" if (page.has("byline", "caption") and not any(rb.meta for rb in split)) or any(rb.news for rb in split)
        or _opens_with_news_lead(split) else "report")
    for rb in split:
        title = "".join(b.text for b in rb.title).strip() or None
        # the first report with no title block, on a page without a headline: an excerpt cut before it
        cut_before = rb is split[0] and not (rb.title or rb.meta or rb.headline)
        preamble, top = build_tree(rb.body, cut_before=cut_before)
        if genre == "news":
            # an article keeps only the report's own (numbered) headings it reproduces
            preamble, top = keep_numbered(preamble, top)
            rb.news = rb.news or (not rb.meta and not rb.headline)
        sections = to_sections(top, "", top_level(preamble, top) if cut_before else 1, issues)
        every = rb.headline + rb.title + rb.meta + rb.body
        reports.append(StructuredReport(
            title=title,
            title_span=_range_of(rb.title) if rb.title else None,
            # From the title (or first block) to the furthest end: blocks moved here by the
            # layout repair keep their own offsets and may lie before the title.
            span=(every[0].start, max(b.end for b in every)) if every else (0, 0),
            meta=_meta(rb, title, page.published, diagnostics),
            lead=rb.headline + rb.title + rb.meta,
            preamble=preamble,
            sections=sections,
        ))
    return StructuredDocument(norm.text, reports, diagnostics + numbering_diagnostics(issues), carrier, genre,
                              page_starts)
