"""A readable outline of a Document: the indented tree with markers, levels and offsets."""

from __future__ import annotations

from typing import TextIO

from zhdoc.schema import Document, Section


def _clip(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def write_outline(doc: Document, out: TextIO) -> None:
    name = doc.source.name or doc.source.path or "<text>"
    out.write(f"# {name}  ({len(doc.text)} chars, {len(doc.reports)} report(s))\n")
    for r_index, report in enumerate(doc.reports):
        span = f"[{report.span.start}:{report.span.end}]"
        out.write(f"\nREPORT {r_index} {span} {report.title or '(untitled)'}\n")
        meta = report.meta.model_dump(exclude_none=True, exclude={"dateline_span", "speaker_span"})
        if meta:
            out.write("  meta: " + ", ".join(f"{k}={v}" for k, v in meta.items()) + "\n")
        if report.preamble:
            out.write(f"  preamble: {len(report.preamble)} paragraph(s)\n")
        for section in report.sections:
            _write_section(section, out)
        if report.entities:
            counts: dict[str, int] = {}
            for e in report.entities:
                counts[e.type] = counts.get(e.type, 0) + 1
            out.write("  entities: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + "\n")
    for d in doc.diagnostics:
        where = f" [{d.span.start}:{d.span.end}]" if d.span else ""
        out.write(f"! {d.severity} {d.code}{where}: {d.message}\n")


def _write_section(s: Section, out: TextIO) -> None:
    indent = "  " * s.level
    marker = s.marker or ("·" if s.kind == "run_in" else "§")
    out.write(
        f"{indent}{s.id} L{s.level} {marker} {_clip(s.title)}  "
        f"<{s.kind} [{s.heading_span.start}:{s.heading_span.end}] {len(s.paragraphs)}¶>\n"
    )
    for child in s.children:
        _write_section(child, out)
