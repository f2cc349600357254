"""Optional statistical NER on top of the rules.

:func:`zhdoc.parse` given ``ner=`` calls :func:`add_ner_entities` on the structured document,
whose blocks carry their offset maps. :func:`apply_ner` does the same on an already parsed
:class:`~zhdoc.schema.Document` (returning a copy; the given one is left as it was), aligning each paragraph's
text with the input again since a Document keeps no offset map. Backends are loaded once per
model and kept.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from zhdoc.errors import ModelNotFoundError
from zhdoc.schema import Document, Report
from zhdoc.structured import StructuredDocument

__all__ = ["BACKENDS", "add_ner_entities", "apply_ner", "load_backend"]

#: Names accepted by ``ner=`` / ``--ner NAME:MODEL``.
BACKENDS = ("hanlp",)


@lru_cache(maxsize=4)
def load_backend(backend: str, model: str | None, allow_download: bool = False) -> Any:
    """The loaded backend for ``model`` (cached: loading a model once per process)."""
    if backend != "hanlp":
        raise ModelNotFoundError(
            f"unknown NER backend {backend!r}; available: {', '.join(BACKENDS)} "
            "(the default rule-based extractors need no model — drop --ner)"
        )
    from zhdoc.integrations.hanlp import HanlpNER, ensure_hanlp

    ensure_hanlp()
    return HanlpNER(model or "", allow_download=allow_download)


def apply_ner(doc_or_reports: Document | list[Report], text: str | None = None, backend: str = "hanlp",
              model: str | None = None, allow_download: bool = False) -> Document | list[Report]:
    """A copy of an already parsed Document (or of the reports of ``text``) with the backend's
    persons, organizations and places added to each report's entities; what it was given is left
    as it was (a validated model is never edited).

    Rule entities are kept as they are and win on overlap; added ones have ``source="hanlp"``.
    The paragraphs of a Document have no offset maps, so each is aligned to ``text`` again
    (``parse(ner=...)`` uses the blocks' own maps: the same result, tested).
    """
    from zhdoc.integrations.hanlp import merge

    if isinstance(doc_or_reports, Document):
        reports, text = doc_or_reports.reports, doc_or_reports.text
    else:
        reports = doc_or_reports
        if text is None:
            raise TypeError("apply_ner(reports, text, ...) needs the input text the reports index into")
    ner = load_backend(backend, None if model is None else str(model), allow_download)
    # the added entities are models built by make_entity: the copies hold validated parts only
    updated = [r.model_copy(update={"entities": merge(r.entities, ner.entities_for_report(r, text))})
               for r in reports]
    if isinstance(doc_or_reports, Document):
        return doc_or_reports.model_copy(update={"reports": updated})
    return updated


def add_ner_entities(doc: StructuredDocument, backend: str = "hanlp", model: str | None = None,
                     allow_download: bool = False) -> None:
    """Add the backend's persons, organizations and places to each report of ``doc`` (plain data,
    validated by ``to_schema``). Rule entities are kept as they are and win on overlap."""
    from zhdoc.integrations.hanlp import merge

    ner = load_backend(backend, None if model is None else str(model), allow_download)
    for report in doc.reports:
        report.entities = merge(report.entities, ner.entity_data_for_paragraphs(report.paragraphs(), doc.text))
