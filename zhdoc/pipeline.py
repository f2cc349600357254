"""The pipeline, top to bottom: ingest → normalize → structure → extract (→ NER) → to_schema.

Structure returns a :class:`~zhdoc.structured.StructuredDocument`; extract and NER add
entities to it; ``to_schema`` builds and validates the Pydantic Document once, at the end, so
no stage edits a validated model. Every offset refers to the decoded input text.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zhdoc.errors import InputTooLargeError
from zhdoc.limits import MAX_INPUT_CHARS
from zhdoc.schema import Diagnostic, Document, Source


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document is built.

    A parse allocates hundreds of thousands of small, acyclic objects (matches, dicts, models);
    each allocation burst would otherwise trigger generation scans over everything already
    built (what that cost: docs/measurements.md). Reference counting frees what the parse
    drops, so nothing accumulates.

    The document is long-lived data, so on success it goes straight to the oldest generation
    (``gc.freeze()`` then ``gc.unfreeze()``: two list splices) instead of being scanned, object
    by object, by the young collection that re-enabling would start. A few young objects of the caller's move along and are looked at by the next full
    collection instead. Skipped when the caller has frozen objects of its own (unfreezing
    would release them) or had the collector off; the collector's state is restored always.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if was_enabled and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
    finally:
        if was_enabled:
            gc.enable()


@_collector_paused()
def parse(
    text: str,
    *,
    source: Source | None = None,
    locality: str | None = None,
    extract: bool = True,
    max_chars: int = MAX_INPUT_CHARS,
    page_starts: list[int] | None = None,
    ner: str | None = None,
    model: str | None = None,
    allow_download: bool = False,
    gazetteer: Any = None,
) -> Document:
    """Parse decoded ``text`` into a validated :class:`~zhdoc.schema.Document`.

    ``locality`` names the report's district/city when the text does not (e.g. "常州市武进区").
    ``page_starts`` (PDF input) lists the offset at which each page begins.
    ``ner="hanlp"`` with ``model`` adds the optional HanLP backend's persons, organizations and
    places (see :mod:`zhdoc.integrations.hanlp`).
    Raises :class:`~zhdoc.errors.InputTooLargeError` past ``max_chars``.
    """
    from zhdoc.normalize import normalize
    from zhdoc.structure import read_structure

    if not isinstance(text, str):
        raise TypeError(f"zhdoc.parse expects str, got {type(text).__name__}; use parse_file for bytes/files")
    if len(text) > max_chars:
        raise InputTooLargeError(
            f"input has {len(text):,} characters, over the limit of {max_chars:,}; "
            "pass max_chars=... (CLI: --max-chars) to raise it"
        )
    if source is None:
        encoded = text.encode("utf-8", "surrogatepass")
        source = Source(format="string", sha256=hashlib.sha256(encoded).hexdigest(), size_bytes=len(encoded))
        del encoded
    structured = read_structure(normalize(text), page_starts=page_starts)
    if extract:
        from zhdoc.extract import extract_document

        if isinstance(gazetteer, (str, Path)):
            from zhdoc.extract import Gazetteer

            gazetteer = Gazetteer.from_file(str(gazetteer))
        extract_document(structured, locality=locality, gazetteer=gazetteer)
    if ner is not None:
        # Optional statistical NER (zhdoc.integrations.hanlp): adds persons, organizations and
        # places the rules missed; rule entities win on overlap. A missing backend, package or
        # model raises ModelNotFoundError saying where zhdoc looked and how to get it.
        from zhdoc.integrations.ner import add_ner_entities

        add_ner_entities(structured, backend=ner, model=model, allow_download=allow_download)
    return structured.to_schema(source, release=True)


def parse_file(path: str | Path, **options: Any) -> Document:
    """Read ``path`` (text in any common Chinese encoding, HTML, .docx, PDF) and parse it."""
    from zhdoc.ingest import load

    loaded = load(Path(path))
    doc = parse(loaded.text, source=loaded.source, page_starts=loaded.page_starts, **options)
    # what reading the bytes had to repair (undecodable bytes replaced by U+FFFD) is said, not hidden
    warnings = [
        Diagnostic(code="input.decode", severity="warning", message=f"{path}: {warning}")
        for warning in getattr(loaded, "warnings", None) or ()
    ]
    # a new Document sharing the parsed one's parts: nothing edits a validated model
    return doc.model_copy(update={"diagnostics": doc.diagnostics + warnings}) if warnings else doc
