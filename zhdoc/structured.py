"""The structured document: what the stages between structure and schema pass along.

Plain slotted classes, never validated and never shown to users: reports hold their blocks
(repaired text with the offset map back to the input, :class:`zhdoc.normalize.Block`) in a
section tree; the extract stage and the optional NER add entities and checks to a report as
plain data; :meth:`StructuredDocument.to_schema` builds the Pydantic
:class:`~zhdoc.schema.Document` from it and validates it once, at the end. So no stage edits
an already validated model, and a stage that needs offsets (NER on a paragraph) reads the
block's own map instead of rebuilding one from the output.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from zhdoc import __version__
from zhdoc.normalize import Block
from zhdoc.schema import Carrier, Diagnostic, Document, Generator, Report, ReportMeta, Source

#: A half-open input range ``(start, end)``.
Range = tuple[int, int]
#: The text units the extractors read: a block and the id of its innermost section (None outside).
Unit = tuple[Block, str | None]


def _in_order(parts: list[Range]) -> bool:
    """Several input ranges, each after the one before (callers test the one-range case first:
    most paragraphs are one range)."""
    return all(a[1] <= b[0] for a, b in pairwise(parts))


def paragraph_span(block: Block) -> Range:
    """The input range a paragraph's ``span`` gives: all of it when its parts are in reading
    order, else its first part (a paragraph rejoined across a displaced block; ``parts`` has all)."""
    parts = block.parts
    if len(parts) == 1:
        return parts[0]
    return (parts[0][0], parts[-1][1]) if _in_order(parts) else parts[0]


def paragraph_data(block: Block, page_starts: list[int] | None = None) -> dict[str, Any]:
    """A paragraph as plain data for :class:`zhdoc.schema.Paragraph`."""
    page = bisect_right(page_starts, block.start) if page_starts else None
    parts = block.parts
    if len(parts) == 1 or _in_order(parts):
        return {"text": block.text, "span": {"start": parts[0][0], "end": parts[-1][1]}, "page": page}
    return {
        "text": block.text,
        "span": {"start": parts[0][0], "end": parts[0][1]},
        "parts": [{"start": a, "end": b} for a, b in parts],
        "page": page,
    }


@dataclass(slots=True)
class StructuredSection:
    """A heading and what it holds; ``id`` is the path of 1-based positions ("2.3")."""

    id: str
    level: int
    marker: str | None
    ordinal: int | None
    marker_style: str | None
    kind: str
    title: str
    heading: Block  # the heading's own text (marker and title), cut from the paragraph it opens
    heading_span: Range
    span: Range
    paragraphs: list[Block]
    children: list[StructuredSection]

    def data(self, page_starts: list[int] | None) -> dict[str, Any]:
        hs, he = self.heading_span
        return {
            "id": self.id,
            "level": self.level,
            "marker": self.marker,
            "ordinal": self.ordinal,
            "marker_style": self.marker_style,
            "kind": self.kind,
            "title": self.title,
            "heading_span": {"start": hs, "end": he},
            "span": {"start": self.span[0], "end": self.span[1]},
            "paragraphs": [paragraph_data(p, page_starts) for p in self.paragraphs],
            "children": [c.data(page_starts) for c in self.children],
        }


@dataclass(slots=True)
class StructuredReport:
    """One report: title block, preamble and section tree as blocks; entities added later."""

    span: Range
    title: str | None = None
    title_span: Range | None = None
    meta: ReportMeta = field(default_factory=ReportMeta)
    #: headline, title and title-block lines: read by the extractors, outside the section tree
    lead: list[Block] = field(default_factory=list)
    preamble: list[Block] = field(default_factory=list)
    sections: list[StructuredSection] = field(default_factory=list)
    #: entities as plain data (rules, then NER), sorted by span; validated by to_schema
    entities: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    #: the report's locality as the extract stage resolved it (ReportMeta.locality)
    locality: str | None = None

    def units(self) -> list[Unit]:
        """Every block the extractors read, in reading order: the title block and preamble, then
        each section's heading, its paragraphs and its children."""
        out: list[Unit] = [(b, None) for b in self.lead]
        out.extend((b, None) for b in self.preamble)
        # depth first with a stack, not a recursive closure: a closure that calls itself is a
        # reference cycle, left for the garbage collector, which a parse keeps paused
        stack = self.sections[::-1]
        while stack:
            s = stack.pop()
            out.append((s.heading, s.id))
            out.extend((p, s.id) for p in s.paragraphs)
            stack.extend(reversed(s.children))
        return out

    def paragraphs(self) -> Iterator[Unit]:
        """Every paragraph (no heading, no title block) with its innermost section's id."""
        for p in self.preamble:
            yield p, None
        stack = self.sections[::-1]
        while stack:
            s = stack.pop()
            for p in s.paragraphs:
                yield p, s.id
            stack.extend(reversed(s.children))

    def data(self, page_starts: list[int] | None) -> dict[str, Any]:
        meta = self.meta if self.locality is None else self.meta.model_copy(update={"locality": self.locality})
        return {
            "title": self.title,
            "title_span": {"start": self.title_span[0], "end": self.title_span[1]} if self.title_span else None,
            "span": {"start": self.span[0], "end": self.span[1]},
            "meta": meta,
            "preamble": [paragraph_data(b, page_starts) for b in self.preamble],
            "sections": [s.data(page_starts) for s in self.sections],
            "entities": self.entities,
            "checks": self.checks,
        }


@dataclass(slots=True)
class StructuredDocument:
    """What the structure stage returns and the extract stage and NER add to."""

    text: str
    reports: list[StructuredReport]
    diagnostics: list[Diagnostic]
    carrier: Carrier
    genre: str
    page_starts: list[int] | None = None
    #: set by to_schema(release=True): the reports' blocks are gone
    released: bool = False

    def to_schema(self, source: Source, *, release: bool = False) -> Document:
        """The validated Document: one validation of everything built so far.

        Each report is validated on its own. With ``release`` (the pipeline's call: nothing reads
        the structured document afterwards) each report's blocks are let go as soon as its model
        exists, so the blocks with their offset maps, the plain data and the models of a large
        input never all live at once; the document cannot be turned into a schema again."""
        if self.released:
            raise ValueError("to_schema: this structured document's blocks were released by an "
                             "earlier to_schema(release=True); build it again with read_structure")
        reports: list[Report] = []
        for i, r in enumerate(self.reports):
            reports.append(Report.model_validate(r.data(self.page_starts)))
            if release:
                self.reports[i] = StructuredReport(span=r.span)
        self.released = release
        # the reports are models already: the Document takes them as they are, no second validation
        return Document(
            generator=Generator(version=__version__),
            source=source,
            text=self.text,
            genre=self.genre,  # type: ignore[arg-type]
            carrier=self.carrier,
            reports=reports,
            diagnostics=self.diagnostics,
        )
