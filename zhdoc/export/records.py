"""Search records: one JSON object per section (or chunk of a long section), ready for a search engine.

A record carries everything a hit needs to be shown without the source Document: the
report's title and meta, the section's breadcrumb and level, its text, its offsets into
``Document.text`` (as code points *and* UTF-16 code units, for JavaScript and
Elasticsearch highlighters), a space-joined segmentation for engines without a Chinese
analyzer, and facets from the section's entities.

The record ``id`` is ``<content sha256>-<report>-<section path>-<chunk>``: the same input
always yields the same ids, so reindexing overwrites instead of duplicating.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from zhdoc.schema import ENTITY_TYPE_BY_NAME

if TYPE_CHECKING:
    from zhdoc.schema import Document, Paragraph, Report, Section

#: Default largest chunk, in characters of record text. About a screen of Chinese text:
#: long enough to keep a sub-section together, short enough for a precise hit.
DEFAULT_CHUNK_CHARS = 1000

RECORD_SCHEMA_VERSION = "1.2"


# ---------------------------------------------------------------- the model


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CountFacet(_Model):
    value: float | None = Field(description="The number (null when the text gives none, e.g. 多个).")
    value_max: float | None = Field(default=None, description="Upper bound of a range.")
    unit: str | None = None
    object: str | None = Field(default=None, description="What is counted, e.g. 提案.")
    text: str = Field(description="The counted phrase as written.")
    formula: bool = Field(default=False, description="A political formula (四个意识), not a statistic.")


class Facets(_Model):
    organizations: list[str] = Field(
        default_factory=list,
        description="Canonical organization names (media outlets included; generic references such as 政协 only "
        "when the report resolves them to a body).",
    )
    studios: list[str] = Field(
        default_factory=list, description="Full names of 委员工作室 and similar studios."
    )
    years: list[int] = Field(
        default_factory=list, description="Years the section mentions (dates and periods)."
    )
    sessions: list[str] = Field(default_factory=list, description="Canonical sessions/meetings mentioned.")
    counts: list[CountFacet] = Field(default_factory=list)


class RecordMeta(_Model):
    date: str | None = Field(default=None, description="ISO date (partial allowed) of the report.")
    year: int | None = None
    speaker: str | None = None
    meeting: str | None = None
    genre: str | None = None
    locality: str | None = None
    speaker_title: str | None = Field(default=None, description="The speaker's office as printed.")
    doc_genre: str | None = Field(default=None, description="report, news or collection (Document.genre).")
    published: str | None = Field(
        default=None, description="Publication date/time of the carrier page, ISO 8601 (a search facet)."
    )
    outlet: str | None = Field(default=None, description="Outlet of the carrier page: 北京日报, 新华社 (a search facet).")


class SearchRecord(_Model):
    """One section, or one chunk of a long section, of one report."""

    id: str = Field(description="Stable id: <content sha256>-<report no.>-<section path>-<chunk no.>.")
    record_version: str = RECORD_SCHEMA_VERSION
    doc_sha256: str = Field(description="SHA-256 of the input bytes; identical inputs share it.")
    source_name: str | None = None
    source_path: str | None = None
    source_format: str | None = None
    report_index: int = Field(ge=1, description="1-based position of the report in its input.")
    report_title: str | None = None
    meta: RecordMeta = Field(default_factory=RecordMeta)
    section_id: str | None = Field(description="Section path such as '2.3'; null for the report's preamble.")
    breadcrumb: list[str] = Field(
        description="Headings from the root: report title, then each section as shown."
    )
    level: int = Field(ge=0, description="Section depth (1 = top level); 0 for the preamble.")
    marker: str | None = None
    chunk: int = Field(ge=0, description="0-based chunk number within the section.")
    chunk_count: int = Field(ge=1)
    text: str = Field(
        description="The section's own text (heading and paragraphs, children excluded), repaired."
    )
    text_seg: str = Field(
        description="text segmented with jieba (search mode), tokens joined by single spaces."
    )
    start: int = Field(ge=0, description="Start offset in Document.text, in code points.")
    end: int = Field(ge=0, description="End offset in Document.text, in code points (exclusive).")
    start_utf16: int = Field(
        ge=0, description="Start offset in UTF-16 code units (JavaScript, Elasticsearch)."
    )
    end_utf16: int = Field(ge=0, description="End offset in UTF-16 code units (exclusive).")
    page: int | None = Field(default=None, description="1-based page of the first paragraph (PDF input).")
    facets: Facets = Field(default_factory=Facets)


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of one search record (``zhdoc schema --record``)."""
    schema = SearchRecord.model_json_schema()
    schema["$id"] = f"https://zhdoc.invalid/schema/record-{RECORD_SCHEMA_VERSION}.json"
    return schema


# ---------------------------------------------------------------- segmentation and offsets


_WORDISH = re.compile(r"\w")


@lru_cache(maxsize=1)
def _cut_for_search() -> Any:
    # rjieba: jieba's dictionary and algorithm in Rust, faster than jieba itself (bench/results.md).
    # Search mode adds the shorter words inside long ones (政协委员 → 政协 委员 政协委员),
    # so a query word matches whatever longer word the text happened to be cut into.
    try:
        import rjieba

        return rjieba.cut_for_search
    except ImportError:  # pragma: no cover - rjieba is a dependency; jieba is the slow fallback
        import jieba

        return lambda text: list(jieba.cut_for_search(text))


def segment(text: str) -> str:
    """Space-joined search-mode segmentation; punctuation and whitespace dropped."""
    return " ".join(tok for tok in _cut_for_search()(text) if _WORDISH.search(tok))


@lru_cache(maxsize=1)
def _cut_precise() -> Any:
    try:
        import rjieba

        return rjieba.cut
    except ImportError:  # pragma: no cover
        import jieba

        return lambda text: list(jieba.cut(text))


def query_terms(query: str) -> list[str]:
    """A query cut the way the index expects: precise-mode words (each is in the search-mode index)."""
    return [tok for tok in _cut_precise()(query) if _WORDISH.search(tok)]


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Code-point offset → UTF-16 code-unit offset: each astral character before it counts twice."""

    def __init__(self, text: str) -> None:
        # Astral characters are rare (CJK extension B names, emoji): scan once, bisect per lookup.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset) if self._astral else offset


# ---------------------------------------------------------------- chunking


@dataclass
class _Piece:
    text: str
    start: int
    end: int
    page: int | None = None
    #: True when this piece continues the previous piece's paragraph (joined without a newline).
    cont: bool = False


def _join(pieces: Sequence[_Piece]) -> str:
    return "".join(("" if i == 0 or p.cont else "\n") + p.text for i, p in enumerate(pieces))


_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』）)]*")
_CLAUSE_END = re.compile(r"[，、,：:]+")


def _split_paragraph(
    para: Paragraph, doc_text: str, limit: int, entity_spans: Sequence[tuple[int, int]]
) -> list[_Piece]:
    """Split a paragraph longer than ``limit`` at sentence (then clause) ends, never inside an entity.

    Repair only removes layout whitespace, so the k-th terminator of the repaired text is
    the k-th terminator of the original range: that pairs each cut with its original offset.
    """
    text = para.text
    start, end = para.span.start, para.span.end
    if len(text) <= limit or para.parts:
        return [_Piece(text, start, end, para.page)]
    original = doc_text[start:end]

    def inside_entity(orig_cut: int) -> bool:
        return any(s < orig_cut < e for s, e in entity_spans)

    def paired_cuts(pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        rep = [m.end() for m in pattern.finditer(text)]
        orig = [m.end() for m in pattern.finditer(original)]
        if len(rep) != len(orig):
            return []
        return [
            (r, start + o)
            for r, o in zip(rep, orig, strict=True)
            if r < len(text) and not inside_entity(start + o)
        ]

    def pack(lo_r: int, hi_r: int, lo_o: int, hi_o: int, levels: list[re.Pattern[str]]) -> list[_Piece]:
        if hi_r - lo_r <= limit or not levels:
            return [_Piece(text[lo_r:hi_r].strip(), lo_o, hi_o, para.page)]
        cuts = [(r, o) for r, o in paired_cuts(levels[0]) if lo_r < r < hi_r]
        if not cuts:
            return pack(lo_r, hi_r, lo_o, hi_o, levels[1:])
        pieces: list[_Piece] = []
        cur_r, cur_o = lo_r, lo_o
        last_r, last_o = lo_r, lo_o
        for r, o in [*cuts, (hi_r, hi_o)]:
            if r - cur_r > limit and last_r > cur_r:
                pieces.extend(pack(cur_r, last_r, cur_o, last_o, levels[1:]))
                cur_r, cur_o = last_r, last_o
            last_r, last_o = r, o
        pieces.extend(pack(cur_r, hi_r, cur_o, hi_o, levels[1:]))
        return pieces

    pieces = [p for p in pack(0, len(text), start, end, [_SENTENCE_END, _CLAUSE_END]) if p.text]
    for piece in pieces[1:]:
        piece.cont = True
    return pieces


def _chunk(pieces: list[_Piece], limit: int) -> list[list[_Piece]]:
    """Greedy packing of whole pieces into chunks of at most ``limit`` characters (a lone piece may exceed it)."""
    chunks: list[list[_Piece]] = []
    current: list[_Piece] = []
    size = 0
    for piece in pieces:
        extra = len(piece.text) + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append(current)
            current, size = [], 0
            extra = len(piece.text)
        current.append(piece)
        size += extra
    if current:
        chunks.append(current)
    return chunks


# ---------------------------------------------------------------- facets


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _count_facet(ent: Any) -> CountFacet:
    return CountFacet(value=_num(ent.value), value_max=_num(ent.value_max), unit=ent.unit, object=ent.object,
                      text=ent.text, formula=getattr(ent, "formula", False))


def _facets(entities: Iterable[Any]) -> Facets:
    """Each entity's contribution to its type's facet (:data:`zhdoc.schema.ENTITY_TABLE`): names
    once each in order of first mention, years sorted, every count."""
    named: dict[str, dict[Any, None]] = {"organizations": {}, "studios": {}, "sessions": {}, "years": {}}
    counts: list[CountFacet] = []
    for ent in entities:
        row = ENTITY_TYPE_BY_NAME.get(getattr(ent, "type", None))  # type: ignore[arg-type]
        if row is None or row.facet is None:
            continue
        if row.facet == "counts":
            counts.append(_count_facet(ent))
        else:
            named[row.facet].update(dict.fromkeys(row.values_for_facet(ent)))
    return Facets(organizations=list(named["organizations"]), studios=list(named["studios"]),
                  sessions=list(named["sessions"]), years=sorted(named["years"]), counts=counts)


# ---------------------------------------------------------------- documents → records


def _doc_sha(doc: Document) -> str:
    if doc.source.sha256:
        return doc.source.sha256
    return hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest()


def heading_label(section: Section) -> str:
    """A heading as the reader sees it: marker and title ("（三）强化委员服务")."""
    return f"{section.marker or ''}{section.title}".strip()


def _walk(sections: Sequence[Section], trail: tuple[str, ...]) -> Iterator[tuple[Section, tuple[str, ...]]]:
    for section in sections:
        crumb = (*trail, heading_label(section))
        yield section, crumb
        yield from _walk(section.children, crumb)


class _EntityIndex:
    """Entities of one report sorted by start, to pull the ones inside a range quickly."""

    def __init__(self, entities: Sequence[Any]) -> None:
        self._entities = sorted(entities, key=lambda e: (e.span.start, e.span.end))
        self._starts = [e.span.start for e in self._entities]

    def within(self, start: int, end: int) -> list[Any]:
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [e for e in self._entities[lo:hi] if e.span.end <= end]

    def spans_overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        # Entities are short; look back a bounded window for ones that start before ``start``.
        lo = bisect.bisect_left(self._starts, max(0, start - 200))
        hi = bisect.bisect_left(self._starts, end)
        return [(e.span.start, e.span.end) for e in self._entities[lo:hi] if e.span.end > start]


def _report_pieces(
    report: Report, section: Section | None, doc_text: str, limit: int, index: _EntityIndex
) -> list[_Piece]:
    pieces: list[_Piece] = []
    paragraphs = report.preamble if section is None else section.paragraphs
    if section is not None:
        first_page = section.paragraphs[0].page if section.paragraphs else None
        pieces.append(
            _Piece(heading_label(section), section.heading_span.start, section.heading_span.end, first_page)
        )
    for para in paragraphs:
        if not para.text.strip():
            continue
        spans = index.spans_overlapping(para.span.start, para.span.end) if len(para.text) > limit else []
        pieces.extend(_split_paragraph(para, doc_text, limit, spans))
    return pieces


def iter_records(doc: Document, *, chunk_chars: int = DEFAULT_CHUNK_CHARS) -> Iterator[SearchRecord]:
    """Yield the search records of ``doc``: each report's preamble, then every section in reading order."""
    if chunk_chars < 50:
        raise ValueError("chunk_chars must be at least 50")
    sha = _doc_sha(doc)
    utf16 = Utf16Offsets(doc.text)
    if not doc.reports and doc.text.strip():
        yield from _unstructured_records(doc, sha, utf16, chunk_chars)
        return
    for r_no, report in enumerate(doc.reports, 1):
        meta = RecordMeta(
            date=report.meta.date,
            year=report.meta.year,
            speaker=report.meta.speaker,
            meeting=report.meta.meeting,
            genre=report.meta.genre,
            locality=report.meta.locality,
            speaker_title=report.meta.speaker_title,
            doc_genre=doc.genre,
            published=doc.carrier.published,
            outlet=doc.carrier.outlet,
        )
        root: tuple[str, ...] = (report.title,) if report.title else ()
        index = _EntityIndex(report.entities)
        units: list[tuple[Section | None, tuple[str, ...]]] = [(None, root)]
        units.extend(_walk(report.sections, root))
        for section, crumb in units:
            pieces = _report_pieces(report, section, doc.text, chunk_chars, index)
            if section is None and not pieces:
                continue  # no preamble
            chunks = _chunk(pieces, chunk_chars) or [[]]
            for c_no, chunk in enumerate(chunks):
                if chunk:
                    start, end = chunk[0].start, max(p.end for p in chunk)
                    text = _join(chunk)
                    page = next((p.page for p in chunk if p.page is not None), None)
                else:  # pragma: no cover - a section always has its heading piece
                    start = end = report.span.start
                    text, page = "", None
                yield _record(
                    doc, sha, utf16, text, start, end,
                    id=f"{sha}-{r_no}-{section.id if section else 0}-{c_no}",
                    report_index=r_no,
                    report_title=report.title,
                    meta=meta,
                    section_id=section.id if section else None,
                    breadcrumb=list(crumb),
                    level=section.level if section else 0,
                    marker=section.marker if section else None,
                    chunk=c_no,
                    chunk_count=len(chunks),
                    page=page,
                    facets=_facets(index.within(start, end)),
                )


def _unstructured_records(doc: Document, sha: str, utf16: Utf16Offsets, limit: int) -> Iterator[SearchRecord]:
    """A text in which no report was recognised is still searchable: its lines, chunked."""
    pieces = [
        _Piece(m.group().strip(), m.start() + len(m.group()) - len(m.group().lstrip()), m.end())
        for m in re.finditer(r"[^\n]+", doc.text)
        if m.group().strip()
    ]
    chunks = _chunk(pieces, limit)
    for c_no, chunk in enumerate(chunks):
        text = _join(chunk)
        start, end = chunk[0].start, chunk[-1].end
        yield _record(
            doc, sha, utf16, text, start, end,
            id=f"{sha}-1-0-{c_no}",
            report_index=1,
            section_id=None,
            breadcrumb=[],
            level=0,
            chunk=c_no,
            chunk_count=len(chunks),
        )


def _record(doc: Document, sha: str, utf16: Utf16Offsets, text: str, start: int, end: int,
            **fields: Any) -> SearchRecord:
    """A record of ``text`` at ``[start, end)``: the fields every record derives the same way
    (source, segmented text, UTF-16 offsets) plus the caller's."""
    return SearchRecord(
        doc_sha256=sha,
        source_name=doc.source.name,
        source_path=doc.source.path,
        source_format=doc.source.format,
        text=text,
        text_seg=segment(text),
        start=start,
        end=end,
        start_utf16=utf16(start),
        end_utf16=utf16(end),
        **fields,
    )


def write_records(doc: Document, out: Any, *, chunk_chars: int = DEFAULT_CHUNK_CHARS) -> int:
    """Write ``doc``'s records to the text stream ``out`` as JSON lines; return how many."""
    n = 0
    for record in iter_records(doc, chunk_chars=chunk_chars):
        out.write(record.model_dump_json())
        out.write("\n")
        n += 1
    return n
