"""Elasticsearch / OpenSearch ``_bulk`` output: NDJSON action and source lines, each newline-terminated.

Each record becomes ``{"index": {"_index": …, "_id": <record id>}}`` then the record itself;
``index`` (not ``create``) with the stable record id makes re-sending a file idempotent.
The index mapping to create first ships as ``es_mapping.json`` (see :func:`mapping`).

    curl -XPUT localhost:9200/zhdoc -H 'Content-Type: application/json' --data-binary @es_mapping.json
    curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @out.ndjson
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any, TextIO

from zhdoc.export.records import SearchRecord

DEFAULT_INDEX = "zhdoc"


def bulk_lines(records: Iterable[SearchRecord], *, index: str | None = DEFAULT_INDEX) -> Iterator[str]:
    """Yield action and source lines, each ending in ``\\n``.

    ``index=None`` leaves ``_index`` out of the actions, for ``POST /<index>/_bulk``.
    """
    for record in records:
        meta: dict[str, Any] = {"_id": record.id}
        if index:
            meta = {"_index": index, **meta}
        # model_dump_json escapes nothing a bulk line cannot hold: JSON strings never contain raw newlines.
        yield json.dumps({"index": meta}, ensure_ascii=False, separators=(",", ":")) + "\n"
        yield record.model_dump_json() + "\n"


def write_bulk(records: Iterable[SearchRecord], out: TextIO, *, index: str | None = DEFAULT_INDEX) -> int:
    """Write bulk lines for ``records`` to ``out``; return the number of documents."""
    n = 0
    for i, line in enumerate(bulk_lines(records, index=index)):
        out.write(line)
        n = i // 2 + 1
    return n


def mapping() -> dict[str, Any]:
    """The index settings and mapping shipped with the package (``zhdoc/export/es_mapping.json``)."""
    data = resources.files("zhdoc.export").joinpath("es_mapping.json").read_text(encoding="utf-8")
    return json.loads(data)  # type: ignore[no-any-return]
