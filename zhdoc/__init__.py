"""zhdoc: Chinese CPPCC (政协) reports → section trees and entities with character offsets.

>>> import zhdoc
>>> doc = zhdoc.parse("一、总体情况\\n召开会议12次。")
>>> doc.reports[0].sections[0].title
'总体情况'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from zhdoc.errors import (
    DecodeError,
    InputTooLargeError,
    ModelNotFoundError,
    UnsafeInputError,
    UnsupportedFormatError,
    ZhdocError,
)

if TYPE_CHECKING:
    from pathlib import Path

    from zhdoc.schema import (
        ConsistencyCheck,
        Diagnostic,
        Document,
        Entity,
        Paragraph,
        Report,
        ReportMeta,
        Section,
        Source,
        Span,
    )

#: The Pydantic models load on first use, so `import zhdoc` (and the CLI's start) stays fast.
_SCHEMA_NAMES = frozenset(
    {"ConsistencyCheck", "Diagnostic", "Document", "Entity", "Paragraph", "Report", "ReportMeta",
     "Section", "Source", "Span"}
)


def __getattr__(name: str) -> Any:
    if name in _SCHEMA_NAMES:
        from zhdoc import schema

        return getattr(schema, name)
    raise AttributeError(f"module 'zhdoc' has no attribute {name!r}")


def parse(text: str, *, source: Source | None = None, **options: Any) -> Document:
    """Parse decoded text into a validated :class:`Document`. See :func:`zhdoc.pipeline.parse`."""
    from zhdoc.pipeline import parse as _parse

    return _parse(text, source=source, **options)


def parse_file(path: str | Path, **options: Any) -> Document:
    """Read a file (text in any common Chinese encoding, HTML, .docx, PDF) and parse it."""
    from zhdoc.pipeline import parse_file as _parse_file

    return _parse_file(path, **options)


def render_html(doc: Document, **options: Any) -> str:
    """A self-contained HTML view of ``doc`` (outline, highlighted entities, diagnostics).
    See :func:`zhdoc.export.html.render_html`."""
    from zhdoc.export.html import render_html as _render_html

    return _render_html(doc, **options)


__all__ = [
    "ConsistencyCheck",
    "DecodeError",
    "Diagnostic",
    "Document",
    "Entity",
    "InputTooLargeError",
    "ModelNotFoundError",
    "Paragraph",
    "Report",
    "ReportMeta",
    "Section",
    "Source",
    "Span",
    "UnsafeInputError",
    "UnsupportedFormatError",
    "ZhdocError",
    "__version__",
    "parse",
    "parse_file",
    "render_html",
]
