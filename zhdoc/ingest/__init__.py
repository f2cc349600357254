"""Bytes in, text out: read a file, recognise its format, and decode or extract its text.

``load`` is the one entry point; it returns the text every later offset indexes into,
plus a :class:`~zhdoc.schema.Source` describing where it came from. Formats are chosen by
content first (magic bytes), then by extension, so a mis-named file still reads.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from zhdoc.errors import InputTooLargeError, UnsupportedFormatError
from zhdoc.limits import MAX_INPUT_BYTES
from zhdoc.schema import Source

__all__ = ["Loaded", "load", "load_bytes", "read_limited"]

_HTML_EXT = frozenset({".html", ".htm", ".shtml", ".xhtml", ".jhtml", ".asp", ".aspx", ".jsp", ".php"})
_CONVERT = "libreoffice --headless --convert-to docx FILE"

# Signatures of formats that are certainly not ours, so the error names what the file is.
_FOREIGN = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image (scan it with OCR first)"),
    (b"MM\x00*", "a TIFF image (scan it with OCR first)"),
    (b"Rar!", "a RAR archive (unpack it first)"),
    (b"7z\xbc\xaf", "a 7-Zip archive (unpack it first)"),
    (b"\x1f\x8b", "a gzip file (unpack it first)"),
    (b"\xfd7zXZ", "an xz file (unpack it first)"),
    (b"\x7fELF", "an executable"),
    (b"MZ\x90\x00", "a Windows executable"),
)


@dataclass
class Loaded:
    """Decoded text and where it came from; ``page_starts`` only for PDF."""

    text: str
    source: Source
    page_starts: list[int] | None = None
    #: Things a reader should know about the decoding (e.g. replaced corrupt bytes).
    warnings: list[str] = field(default_factory=list)


def read_limited(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """Read ``path`` whole, refusing past ``max_bytes`` without reading the excess."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLargeError(
            f"{path}: {size:,} bytes, over the limit of {max_bytes:,}; raise it with --max-bytes if intended"
        )
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    if len(data) > max_bytes:
        raise InputTooLargeError(f"{path}: over the limit of {max_bytes:,} bytes")
    return data


def load(path: Path | str, *, max_bytes: int = MAX_INPUT_BYTES) -> Loaded:
    """Read and decode one file. Raises :class:`zhdoc.errors.ZhdocError` subclasses or ``OSError``."""
    path = Path(path)
    return load_bytes(read_limited(path, max_bytes), path=path, max_bytes=max_bytes)


def sniff_format(data: bytes, suffix: str = "") -> str:
    """'docx', 'pdf', 'html', 'text', or 'legacy-doc' / 'ooxml-other' for the refusals."""
    if data.startswith(b"%PDF-") or (b"%PDF-" in data[:1024] and suffix == ".pdf"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "docx"  # check_zip says precisely what it is when it is not a Word document
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "legacy-doc"  # OLE2 compound file: .doc, .wps, .xls, .et
    if suffix in (".doc", ".wps", ".wpt", ".dot", ".rtf") or data.startswith(b"{\\rtf"):
        return "legacy-doc"
    from zhdoc.ingest.html import looks_like_html

    if suffix in _HTML_EXT or looks_like_html(data):
        return "html"
    return "text"


def load_bytes(
    data: bytes,
    *,
    path: Path | None = None,
    name: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> Loaded:
    """Decode bytes already in memory (``path``/``name`` only label the source and pick by extension)."""
    label = name or (path.name if path else "<bytes>")
    where = str(path) if path else label
    if len(data) > max_bytes:
        raise InputTooLargeError(f"{where}: {len(data):,} bytes, over the limit of {max_bytes:,}")
    suffix = path.suffix.lower() if path else Path(label).suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    fmt = sniff_format(data, suffix)
    warnings: list[str] = []
    page_starts: list[int] | None = None
    encoding: str | None = None

    if fmt == "legacy-doc":
        raise UnsupportedFormatError(
            f"{where}: legacy Word/WPS/RTF format is not supported; convert it to .docx first: {_CONVERT}"
        )
    for magic, what in _FOREIGN:
        if data.startswith(magic):
            raise UnsupportedFormatError(
                f"{where}: {what}, not a report (zhdoc reads text, HTML, .docx, PDF)"
            )

    if fmt == "pdf":
        from zhdoc.ingest.pdf import load_pdf

        text, page_starts = load_pdf(data, where)
    elif fmt == "docx":
        from zhdoc.ingest.docx import load_docx

        text = load_docx(data, where)
    elif fmt == "html":
        from zhdoc.ingest.html import decode_html, extract_main_text

        markup, encoding = decode_html(data, where)
        text = extract_main_text(markup)
    else:
        from zhdoc.ingest.text import decode_bytes

        text, encoding, replaced = decode_bytes(data, where)
        if replaced:
            warnings.append(f"{replaced} undecodable byte(s) replaced by U+FFFD")
        if text.startswith("\ufeff"):  # a BOM inside a BOM-less decode (double-encoded files)
            text = text[1:]

    source = Source(
        name=label,
        path=str(path) if path else None,
        format="text" if fmt == "text" else fmt,  # type: ignore[arg-type]
        encoding=encoding,
        sha256=digest,
        size_bytes=len(data),
    )
    return Loaded(text=text, source=source, page_starts=page_starts, warnings=warnings)
