"""PDF with a text layer (pypdf), page by page, recording where each page starts.

Scanned PDFs (images only) have no text layer: we say so and point to OCR instead of
returning an empty report.
"""

from __future__ import annotations

import io

from zhdoc.errors import UnsupportedFormatError

#: Fewer non-space characters than this per page on average means "no text layer".
MIN_CHARS_PER_PAGE = 20


def load_pdf(data: bytes, name: str) -> tuple[str, list[int]]:
    """Return the text of every page (pages separated by a blank line) and each page's start offset."""
    import logging

    from pypdf import PdfReader

    # pypdf logs every recoverable oddity of real-world PDFs (at ERROR level too: "advanced
    # encoding not implemented"); a batch of thousands would drown stderr.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise UnsupportedFormatError(
                        f"{name}: the PDF is password-protected; remove the password first"
                    )
            except NotImplementedError as exc:  # an encryption algorithm pypdf cannot do without extras
                raise UnsupportedFormatError(
                    f"{name}: encrypted PDF ({exc}); save an unencrypted copy"
                ) from exc
        pages: list[str] = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
    except UnsupportedFormatError:
        raise
    except Exception as exc:
        # A damaged PDF makes pypdf raise almost anything (PdfReadError, LimitReachedError,
        # NotImplementedError for a mangled filter name, zlib.error, RecursionError, …).
        raise UnsupportedFormatError(f"{name}: cannot read the PDF ({type(exc).__name__}: {exc})") from exc

    visible = sum(len("".join(p.split())) for p in pages)
    if not pages or visible < MIN_CHARS_PER_PAGE * len(pages):
        raise UnsupportedFormatError(
            f"{name}: the PDF has no text layer (scanned pages?): {visible} characters on {len(pages)} page(s). "
            "OCR it first, e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`, then parse out.pdf"
        )
    text_parts: list[str] = []
    page_starts: list[int] = []
    offset = 0
    for i, page_text in enumerate(pages):
        page_text = page_text.strip("\n")
        if i:
            text_parts.append("\n\n")  # a page break is at least a paragraph break
            offset += 2
        page_starts.append(offset)
        text_parts.append(page_text)
        offset += len(page_text)
    return "".join(text_parts) + "\n", page_starts
