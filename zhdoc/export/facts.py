"""Facts: one flat row per entity, for pandas or a spreadsheet.

Every entity type shares the same columns: ``value`` holds the entity's main value as text
(the number of a count, the ISO date, the canonical organization, the studio's full name,
…: each type's ``main_field`` in :data:`zhdoc.schema.ENTITY_TABLE`) and ``number`` the numeric value where there is one, so ``df[df.type == "count"].number``
sums without parsing. Type-specific leftovers go to ``extra`` as JSON.

CSV files are written as UTF-8 with a byte-order mark: Excel needs it to see UTF-8, and
pandas and the csv module read it transparently (``encoding="utf-8-sig"``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from zhdoc.export.records import Utf16Offsets, heading_label
from zhdoc.schema import ENTITY_TYPE_BY_NAME

if TYPE_CHECKING:
    from zhdoc.schema import Document, Section

COLUMNS = (
    "source_sha256",
    "source_name",
    "report_index",
    "report_title",
    "report_date",
    "published",
    "outlet",
    "body",
    "section_id",
    "breadcrumb",
    "type",
    "text",
    "value",
    "number",
    "value_max",
    "unit",
    "approx",
    "object",
    "start",
    "end",
    "start_utf16",
    "end_utf16",
    "extra",
)
BREADCRUMB_SEP = " > "

_COLUMN_FIELDS = {"type", "text", "span", "section", "value_max", "unit", "approx", "object"}


def _fmt_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _breadcrumbs(sections: Iterable[Section], trail: tuple[str, ...], out: dict[str, str]) -> None:
    for section in sections:
        crumb = (*trail, heading_label(section))
        out[section.id] = BREADCRUMB_SEP.join(crumb)
        _breadcrumbs(section.children, crumb, out)


def iter_fact_rows(doc: Document) -> Iterator[dict[str, Any]]:
    """One dict per entity, keys as :data:`COLUMNS`."""
    utf16 = Utf16Offsets(doc.text)
    sha = doc.source.sha256 or ""
    for r_no, report in enumerate(doc.reports, 1):
        crumbs: dict[str, str] = {}
        root = (report.title,) if report.title else ()
        _breadcrumbs(report.sections, root, crumbs)
        body = report.meta.meeting or report.meta.locality
        for ent in report.entities:
            data = ent.model_dump(mode="json")
            row = ENTITY_TYPE_BY_NAME.get(ent.type)
            main_field = row.main_field if row is not None else "value"
            main = data.get(main_field)
            if row is not None and row.preferred_field and data.get(row.preferred_field):
                main = data[row.preferred_field]
            number = main if isinstance(main, (int, float)) and not isinstance(main, bool) else None
            extra = {
                k: v
                for k, v in data.items()
                if k not in _COLUMN_FIELDS and k != main_field and v not in (None, [], {}) and k != "source"
                and not (k == "formula" and v is False)  # only a formula says so: plain counts stay as before
            }
            if data.get("source") not in (None, "rules"):
                extra["source"] = data["source"]
            yield {
                "source_sha256": sha,
                "source_name": doc.source.name or "",
                "report_index": r_no,
                "report_title": report.title or "",
                "report_date": report.meta.date or "",
                "published": doc.carrier.published or "",
                "outlet": doc.carrier.outlet or "",
                "body": body or "",
                "section_id": ent.section or "",
                "breadcrumb": crumbs.get(ent.section or "", BREADCRUMB_SEP.join(root)),
                "type": ent.type,
                "text": ent.text,
                "value": _fmt_number(main) if number is not None else ("" if main is None else str(main)),
                "number": number,
                "value_max": data.get("value_max"),
                "unit": data.get("unit") or "",
                "approx": data.get("approx") or "",
                "object": data.get("object") or "",
                "start": ent.span.start,
                "end": ent.span.end,
                "start_utf16": utf16(ent.span.start),
                "end_utf16": utf16(ent.span.end),
                "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "",
            }


def write_facts_csv(doc: Document, out: TextIO, *, header: bool = True) -> int:
    """Write ``doc``'s entity rows as CSV to ``out`` (opened with ``newline=""``); return the row count."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    n = 0
    for row in iter_fact_rows(doc):
        writer.writerow({k: _fmt_number(v) if isinstance(v, float) else v for k, v in row.items()})
        n += 1
    return n


def have_parquet() -> bool:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def _parquet_schema() -> Any:
    import pyarrow as pa

    ints = {"report_index", "start", "end", "start_utf16", "end_utf16"}
    floats = {"number", "value_max"}
    return pa.schema(
        [(c, pa.int64() if c in ints else pa.float64() if c in floats else pa.string()) for c in COLUMNS]
    )


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in COLUMNS:
        value = row.get(col)
        if col in ("report_index", "start", "end", "start_utf16", "end_utf16"):
            out[col] = int(value) if value not in (None, "") else None
        elif col in ("number", "value_max"):
            out[col] = float(value) if value not in (None, "") else None
        else:
            out[col] = "" if value is None else str(value)
    return out


def write_parquet(rows: Iterable[dict[str, Any]], path: Path, *, batch_rows: int = 50_000) -> int:
    """Write fact rows to a Parquet file in bounded-memory batches (needs pyarrow); return the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(_typed(row))
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch.clear()
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def read_csv_rows(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Rows of per-input facts CSVs, one after another (for merging)."""
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from csv.DictReader(fh)
