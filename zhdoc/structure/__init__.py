"""Structure: split a text into its reports and build each report's section tree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from zhdoc.normalize import Block, NormalizedText
from zhdoc.schema import Diagnostic, Report, ReportMeta, Span
from zhdoc.structure.layout import build_blocks
from zhdoc.structure.lines import PAREN_META_RE, is_dateline, is_salutation, is_title_text
from zhdoc.structure.markers import match_marker
from zhdoc.structure.tree import NumberingIssue, build_tree, numbering_diagnostics, to_paragraph, to_sections

__all__ = ["build_reports"]

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
_MEETING_RE = regex.compile(r"(?:在)?((?:\p{Han}{0,12}?)(?:第?[一二三四五六七八九十\d]+届)(?:[^上在的]{0,20}?)(?:会议|全会|会))")
_DATE_RE = regex.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})年(\d{1,2})月|(\d{4})年")


@dataclass(slots=True)
class _ReportBlocks:
    title: list[Block] = field(default_factory=list)
    meta: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)


def _short_line(b: Block, limit: int = 80) -> bool:
    return len(b.parts) == 1 and len(b.folded) <= limit and "。" not in b.folded


def _is_title(b: Block) -> bool:
    return (
        _short_line(b)
        and match_marker(b.folded) is None
        and not is_dateline(b.folded)  # "——在…大会上的报告" is the dateline, not a title
        and is_title_text(b.folded)
    )


def _is_meta(b: Block) -> bool:
    f = b.folded
    if is_dateline(f) and len(f) <= 80:
        return True
    if PAREN_META_RE.match(f) and _DATE_RE.search(f):
        return True
    return is_salutation(f)


def _is_speaker(b: Block) -> bool:
    f = b.folded.replace(" ", "")
    return _short_line(b, 16) and not _SENTENCE.search(f) and match_marker(f) is None and len(f) <= 16


def _split(blocks: list[Block]) -> list[_ReportBlocks]:
    reports: list[_ReportBlocks] = []
    i = 0
    n = len(blocks)
    current = _ReportBlocks()
    while i < n:
        b = blocks[i]
        title_run = _title_run(blocks, i)
        if title_run:
            if current.title or current.meta or current.body:
                reports.append(current)
            current = _ReportBlocks(title=blocks[i : i + title_run])
            i += title_run
            # meta: datelines, paren dates, speaker lines, salutation
            while i < n and (_is_meta(blocks[i]) or (_is_speaker(blocks[i]) and _meta_follows(blocks, i))
                             or (not current.meta and _is_author(blocks[i]))):
                current.meta.append(blocks[i])
                i += 1
                if is_salutation(blocks[i - 1].folded):
                    break
            continue
        if not current.title and not current.body and (_is_meta(b)):
            current.meta.append(b)
            i += 1
            continue
        current.body.append(b)
        i += 1
    if current.title or current.meta or current.body or not reports:
        reports.append(current)
    return reports


_AUTHOR_RE = regex.compile(r"(?:委员会|政协|人民政府|办公室|党组|研究室|调研组|课题组)$")


def _is_author(b: Block) -> bool:
    """A body's name on its own line right under the title: the report's author."""
    return _short_line(b, 30) and not _SENTENCE.search(b.folded) and _AUTHOR_RE.search(b.folded) is not None


def _meta_follows(blocks: list[Block], i: int) -> bool:
    """A speaker line is followed (within two blocks) by a salutation, dateline or another speaker line."""
    for j in range(i + 1, min(i + 3, len(blocks))):
        if _is_meta(blocks[j]):
            return True
        if not _is_speaker(blocks[j]):
            return False
    return False


def _title_run(blocks: list[Block], i: int) -> int:
    """How many blocks from ``i`` form a report title (0 if none)."""
    if not _short_line(blocks[i]):
        return 0  # both kinds of title below start with a short single line (most blocks are not)
    if _is_title(blocks[i]):
        return 1
    # Untyped titles (two lines, no genre word) at the start of a file or report: short lines
    # directly followed by a dateline or salutation.
    run = 0
    while i + run < len(blocks) and run < 3 and _short_line(blocks[i + run], 40) and not _SENTENCE.search(
        blocks[i + run].folded
    ) and match_marker(blocks[i + run].folded) is None and not is_dateline(blocks[i + run].folded):
        run += 1
    if run and i + run < len(blocks) and is_dateline(blocks[i + run].folded) and (
        i == 0 or not _short_line(blocks[i - 1])
    ):
        return run
    return 0


def _span_of(blocks: list[Block]) -> Span:
    return Span(start=min(b.start for b in blocks), end=max(b.end for b in blocks))


def _meta(rb: _ReportBlocks, title: str | None) -> ReportMeta:
    meta = ReportMeta()
    texts = [title or ""] + [b.text for b in rb.meta]
    for pattern, genre in _GENRE_PATTERNS:
        if title and pattern.search(title):
            meta.genre = genre
            break
    if title:
        sm = _SPEAKER_IN_TITLE.match(title)
        if sm:
            meta.speaker = sm.group(1)
            meta.meeting = sm.group(2)
    for b in rb.meta:
        f = b.folded
        if is_dateline(f) or PAREN_META_RE.match(f):
            meta.dateline_span = Span(start=b.start, end=b.end)
            dm = _DATE_RE.search(f)
            if dm and meta.date is None:
                meta.date = _iso(dm)
        elif not is_salutation(f) and (_is_speaker(b) or _is_author(b)):
            meta.speaker = (meta.speaker + " " if meta.speaker else "") + b.text
            meta.speaker_span = Span(start=meta.speaker_span.start if meta.speaker_span else b.start, end=b.end)
    for t in texts:
        mm = _MEETING_RE.search(t)
        if mm and meta.meeting is None:
            meta.meeting = mm.group(1).removeprefix("在")
            break
    if meta.date:
        meta.year = int(meta.date[:4])
    return meta


def _iso(m: regex.Match[str]) -> str:
    if m.group(1):
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if m.group(4):
        return f"{m.group(4)}-{int(m.group(5)):02d}"
    return m.group(6)


#: Per report, the text units the extractors read: (repaired block, id of its section or None).
Units = list[tuple[Block, str | None]]


def build_reports(
    norm: NormalizedText, *, page_starts: list[int] | None = None
) -> tuple[list[Report], list[Units], list[Diagnostic]]:
    """Reports with title, meta, preamble and section tree; diagnostics for layout and numbering."""
    blocks, diagnostics = build_blocks(norm)
    if not blocks:
        empty = Report(span=Span(start=0, end=len(norm.text)))
        diagnostics.append(Diagnostic(code="input.empty", severity="warning", message="the input has no text"))
        return [empty], [[]], diagnostics
    reports: list[Report] = []
    all_units: list[Units] = []
    issues: list[NumberingIssue] = []
    for rb in _split(blocks):
        title = "".join(b.text for b in rb.title).strip() or None
        preamble, top = build_tree(rb.body)
        units: Units = [(b, None) for b in rb.title + rb.meta + preamble]
        sections = to_sections(top, "", 1, issues, page_starts, units)
        all_units.append(units)
        every = rb.title + rb.meta + rb.body
        reports.append(
            Report.model_validate({
                "title": title,
                "title_span": _span_of(rb.title) if rb.title else None,
                # From the title (or first block) to the furthest end: blocks moved here by the
                # layout repair keep their own offsets and may lie before the title.
                "span": Span(start=every[0].start, end=max(b.end for b in every)) if every else Span(start=0, end=0),
                "meta": _meta(rb, title),
                "preamble": [to_paragraph(b, page_starts) for b in preamble],
                "sections": sections,
            })
        )
    return reports, all_units, diagnostics + numbering_diagnostics(issues)
