"""An embedded full-text index: search records in SQLite FTS5, no server needed.

Layout (one file):

* ``inputs``  — every indexed path with its size, mtime and content hash;
* ``docs``    — one row per distinct content hash (two paths with the same bytes share it);
* ``records`` — the search records (text, breadcrumb, offsets, facets as JSON columns);
* ``facets``  — (record, kind, value) rows behind ``--org/--studio/--year`` filters;
* ``fts``     — FTS5 over the jieba-segmented text and headings (``rowid`` = ``records.rowid``).

Incremental: a path whose size and mtime are unchanged is skipped without reading it; a
path whose bytes hash to an indexed document is only re-pointed; only new content is
parsed. A document no path refers to any more is deleted.

The text column is segmented in jieba's search mode, the query in precise mode: every word
of the query is then also a word of the index, whatever longer word the text was cut into.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from zhdoc.export.records import SearchRecord, query_terms, segment

INDEX_SCHEMA_VERSION = "2"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inputs(
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    indexed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS inputs_sha ON inputs(sha256);
CREATE TABLE IF NOT EXISTS docs(
    sha256 TEXT PRIMARY KEY,
    name TEXT,
    format TEXT,
    n_reports INTEGER NOT NULL,
    n_records INTEGER NOT NULL,
    zhdoc_version TEXT,
    indexed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS records(
    -- AUTOINCREMENT: a deleted record's rowid is never reused, so a posting the FTS index
    -- still holds for it (see delete_doc) can never point at another record.
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    doc_sha256 TEXT NOT NULL,
    source_name TEXT,
    report_index INTEGER NOT NULL,
    report_title TEXT,
    report_year INTEGER,
    report_date TEXT,
    section_id TEXT,
    breadcrumb TEXT NOT NULL,
    level INTEGER NOT NULL,
    chunk INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    start_utf16 INTEGER NOT NULL,
    end_utf16 INTEGER NOT NULL,
    page INTEGER,
    organizations TEXT NOT NULL,
    studios TEXT NOT NULL,
    years TEXT NOT NULL,
    sessions TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_doc ON records(doc_sha256);
CREATE TABLE IF NOT EXISTS facets(record INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS facets_kind_value ON facets(kind, value);
CREATE INDEX IF NOT EXISTS facets_record ON facets(record);
-- Contentless: the segmented text is not stored a second time (it would be the largest
-- table); hits are joined back to records for display.
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    text_seg, heading_seg, content = '', tokenize = 'unicode61 remove_diacritics 0'
);
"""

#: bm25 weights of (text_seg, heading_seg): a query word in the headings counts more.
_BM25_WEIGHTS = (1.0, 2.5)


def segmenter_version() -> str:
    """Name and version of the word segmenter, recorded in the index."""
    from importlib.metadata import PackageNotFoundError, version

    for dist in ("rjieba", "jieba"):
        try:
            return f"{dist} {version(dist)} search-mode"
        except PackageNotFoundError:
            continue
    return "unknown"


def connect(db_path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) a zhdoc index."""
    if readonly:
        uri = f"file:{Path(db_path).resolve()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=30)
    else:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(db_path), timeout=30)
        try:
            _ = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ValueError(f"{db_path}: not an SQLite file, so not a zhdoc index ({exc})") from exc
        conn.execute("PRAGMA journal_mode=WAL")  # readers (searches, workers) never block the writer
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_SCHEMA)
        conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?), ('segmenter', ?)",
            (INDEX_SCHEMA_VERSION, segmenter_version()),
        )
        conn.commit()
        row = conn.execute("SELECT value FROM meta WHERE key = 'segmenter'").fetchone()
        if row is not None and row[0] != segmenter_version():
            conn.close()
            # Deleting from a contentless FTS table needs the very tokens that were inserted.
            raise ValueError(
                f"{db_path} was built with {row[0]}, this zhdoc segments with {segmenter_version()}: "
                "delete the index and build it again"
            )
    try:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:  # another SQLite file, or not SQLite at all
        version = None
    if version is None or version[0] != INDEX_SCHEMA_VERSION:
        conn.close()
        raise ValueError(f"{db_path}: not a zhdoc index of schema version {INDEX_SCHEMA_VERSION}; rebuild it")
    return conn


# ---------------------------------------------------------------- writing


def lookup_input(conn: sqlite3.Connection, path: str) -> tuple[str, int, int] | None:
    row = conn.execute("SELECT sha256, size, mtime_ns FROM inputs WHERE path = ?", (path,)).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def has_doc(conn: sqlite3.Connection, sha256: str) -> bool:
    return conn.execute("SELECT 1 FROM docs WHERE sha256 = ?", (sha256,)).fetchone() is not None


def add_records(
    conn: sqlite3.Connection,
    sha256: str,
    records: Iterable[SearchRecord | dict[str, Any]],
    *,
    name: str | None,
    fmt: str | None,
    n_reports: int,
    zhdoc_version: str,
) -> int:
    """Insert one document's records (replacing any earlier version of the same content)."""
    delete_doc(conn, sha256)
    n = 0
    for rec in records:
        r = rec if isinstance(rec, dict) else rec.model_dump(mode="json")
        facets = r["facets"]
        heading = " ".join(r["breadcrumb"])
        cur = conn.execute(
            "INSERT INTO records(id, doc_sha256, source_name, report_index, report_title, report_year, report_date, "
            'section_id, breadcrumb, level, chunk, text, start, "end", start_utf16, end_utf16, page, '
            "organizations, studios, years, sessions) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                r["id"],
                sha256,
                r.get("source_name"),
                r["report_index"],
                r.get("report_title"),
                (r.get("meta") or {}).get("year"),
                (r.get("meta") or {}).get("date"),
                r.get("section_id"),
                json.dumps(r["breadcrumb"], ensure_ascii=False),
                r["level"],
                r["chunk"],
                r["text"],
                r["start"],
                r["end"],
                r["start_utf16"],
                r["end_utf16"],
                r.get("page"),
                json.dumps(facets["organizations"], ensure_ascii=False),
                json.dumps(facets["studios"], ensure_ascii=False),
                json.dumps(facets["years"]),
                json.dumps(facets["sessions"], ensure_ascii=False),
            ),
        )
        rowid = cur.lastrowid
        conn.execute(
            "INSERT INTO fts(rowid, text_seg, heading_seg) VALUES (?, ?, ?)",
            (rowid, r["text_seg"], segment(heading)),
        )
        rows = [(rowid, "org", v) for v in facets["organizations"]]
        rows += [(rowid, "studio", v) for v in facets["studios"]]
        rows += [(rowid, "year", str(v)) for v in facets["years"]]
        rows += [(rowid, "session", v) for v in facets["sessions"]]
        if rows:
            conn.executemany("INSERT INTO facets(record, kind, value) VALUES (?, ?, ?)", rows)
        n += 1
    conn.execute(
        "INSERT OR REPLACE INTO docs(sha256, name, format, n_reports, n_records, zhdoc_version, indexed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (sha256, name, fmt, n_reports, n, zhdoc_version, time.time()),
    )
    return n


def delete_doc(conn: sqlite3.Connection, sha256: str) -> None:
    """Remove one document's records, their postings and facets."""
    rows = conn.execute(
        "SELECT rowid, text, breadcrumb FROM records WHERE doc_sha256 = ?", (sha256,)
    ).fetchall()
    for rowid, text, breadcrumb in rows:
        # A contentless FTS5 row is deleted by re-supplying the tokens it was inserted with;
        # the segmenter is deterministic and pinned in meta, so segmenting again gives them.
        conn.execute(
            "INSERT INTO fts(fts, rowid, text_seg, heading_seg) VALUES ('delete', ?, ?, ?)",
            (rowid, segment(text), segment(" ".join(json.loads(breadcrumb)))),
        )
    for start in range(0, len(rows), 500):
        part = [r[0] for r in rows[start : start + 500]]
        marks = ",".join("?" * len(part))
        conn.execute(f"DELETE FROM facets WHERE record IN ({marks})", part)
    conn.execute("DELETE FROM records WHERE doc_sha256 = ?", (sha256,))
    conn.execute("DELETE FROM docs WHERE sha256 = ?", (sha256,))


def finish(conn: sqlite3.Connection, *, optimize: bool) -> None:
    """After a build: merge the FTS segments (faster queries) and fold the WAL into the file."""
    if optimize:
        conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def set_input(conn: sqlite3.Connection, path: str, sha256: str, size: int, mtime_ns: int) -> None:
    """Point ``path`` at content ``sha256``; drop the document it pointed at before if now orphaned."""
    old = lookup_input(conn, path)
    conn.execute(
        "INSERT OR REPLACE INTO inputs(path, sha256, size, mtime_ns, indexed_at) VALUES (?, ?, ?, ?, ?)",
        (path, sha256, size, mtime_ns, time.time()),
    )
    if old is not None and old[0] != sha256:
        _drop_if_orphan(conn, old[0])


def remove_input(conn: sqlite3.Connection, path: str) -> None:
    old = lookup_input(conn, path)
    conn.execute("DELETE FROM inputs WHERE path = ?", (path,))
    if old is not None:
        _drop_if_orphan(conn, old[0])


def _drop_if_orphan(conn: sqlite3.Connection, sha256: str) -> None:
    if conn.execute("SELECT 1 FROM inputs WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone() is None:
        delete_doc(conn, sha256)


def prune(conn: sqlite3.Connection) -> int:
    """Forget inputs whose file no longer exists; return how many."""
    gone = [p for (p,) in conn.execute("SELECT path FROM inputs") if not Path(p).exists()]
    for path in gone:
        remove_input(conn, path)
    return len(gone)


def stats(conn: sqlite3.Connection) -> dict[str, int]:
    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    return {
        "inputs": one("SELECT count(*) FROM inputs"),
        "documents": one("SELECT count(*) FROM docs"),
        "records": one("SELECT count(*) FROM records"),
    }


# ---------------------------------------------------------------- searching


@dataclass
class Hit:
    rank: int
    score: float
    id: str
    source_name: str | None
    paths: list[str]
    report_title: str | None
    report_date: str | None
    breadcrumb: list[str]
    level: int
    section_id: str | None
    snippet: str
    start: int
    end: int
    start_utf16: int
    end_utf16: int
    page: int | None
    #: [start, end) of each query word found, as offsets into the record's text.
    matches: list[tuple[int, int]] = field(default_factory=list)
    facets: dict[str, list[Any]] = field(default_factory=dict)
    #: How the hit was found: "fts" (ranked words), "substring" (fallback scan), "filter" (no query).
    via: str = "fts"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["matches"] = [list(m) for m in self.matches]
        return data


def fts_query(query: str) -> str | None:
    """The FTS5 MATCH expression for a user query: every word required, each quoted (no operator injection)."""
    terms = query_terms(query)
    if not terms:
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in dict.fromkeys(terms))


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    org: str | None = None,
    year: int | None = None,
    studio: str | None = None,
    limit: int = 10,
    snippet_chars: int = 80,
    mark: tuple[str, str] = ("«", "»"),
) -> list[Hit]:
    """Ranked hits (best first). Facet filters match canonical names by substring; ``year``
    matches the report's year or a year the section mentions.

    Words are found through the segmented index. When that finds nothing and the query is
    one unbroken string, the records' text is scanned for it as a substring, so a query the
    segmenter cut differently from the text is still found (``Hit.via`` says which way).
    """
    match = fts_query(query)
    filters: list[str] = []
    filter_params: list[Any] = []
    if org:
        filters.append(
            "r.rowid IN (SELECT record FROM facets WHERE kind = 'org' AND value LIKE ? ESCAPE '\\')"
        )
        filter_params.append(f"%{_like_escape(org)}%")
    if studio:
        filters.append(
            "r.rowid IN (SELECT record FROM facets WHERE kind = 'studio' AND value LIKE ? ESCAPE '\\')"
        )
        filter_params.append(f"%{_like_escape(studio)}%")
    if year is not None:
        filters.append(
            "(r.report_year = ? OR r.rowid IN (SELECT record FROM facets WHERE kind = 'year' AND value = ?))"
        )
        filter_params.extend([year, str(year)])
    filter_sql = "".join(" AND " + f for f in filters)
    terms: list[str] = []
    via = "filter"
    conn.row_factory = sqlite3.Row
    try:
        rows: list[sqlite3.Row] = []
        if match is not None:
            via, terms = "fts", query_terms(query)
            rows = conn.execute(
                f"SELECT bm25(fts, {_BM25_WEIGHTS[0]}, {_BM25_WEIGHTS[1]}) AS score, r.* "
                f"FROM fts JOIN records r ON r.rowid = fts.rowid WHERE fts MATCH ?{filter_sql} "
                "ORDER BY score LIMIT ?",
                [match, *filter_params, limit],
            ).fetchall()
            needle = query.strip()
            if not rows and len(needle) >= 2 and not any(c.isspace() for c in needle):
                via, terms = "substring", [needle]
                rows = conn.execute(
                    f"SELECT 0.0 AS score, r.* FROM records r WHERE instr(r.text, ?) > 0{filter_sql} "
                    "ORDER BY r.rowid LIMIT ?",
                    [needle, *filter_params, limit],
                ).fetchall()
        elif filters:
            rows = conn.execute(
                f"SELECT 0.0 AS score, r.* FROM records r WHERE 1{filter_sql} ORDER BY r.rowid LIMIT ?",
                [*filter_params, limit],
            ).fetchall()
    finally:
        conn.row_factory = None
    hits = []
    for rank, row in enumerate(rows, 1):
        text = row["text"]
        matches = _find_terms(text, terms)
        paths = [
            p
            for (p,) in conn.execute(
                "SELECT path FROM inputs WHERE sha256 = ? ORDER BY path", (row["doc_sha256"],)
            )
        ]
        hits.append(
            Hit(
                rank=rank,
                score=round(-float(row["score"]), 4),  # bm25 is lower-is-better; flip so higher is better
                id=row["id"],
                source_name=row["source_name"],
                paths=paths,
                report_title=row["report_title"],
                report_date=row["report_date"],
                breadcrumb=json.loads(row["breadcrumb"]),
                level=row["level"],
                section_id=row["section_id"],
                snippet=_snippet(text, matches, snippet_chars, mark),
                start=row["start"],
                end=row["end"],
                start_utf16=row["start_utf16"],
                end_utf16=row["end_utf16"],
                page=row["page"],
                matches=matches,
                facets={
                    "organizations": json.loads(row["organizations"]),
                    "studios": json.loads(row["studios"]),
                    "years": json.loads(row["years"]),
                    "sessions": json.loads(row["sessions"]),
                },
                via=via,
            )
        )
    return hits


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _find_terms(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where the query words occur in ``text`` (longest first, no overlaps), in order."""
    if not terms:
        return []
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)), re.IGNORECASE
    )
    merged: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        if merged and merged[-1][1] == m.start():  # 委员+工作室 highlight as one run: «委员工作室»
            merged[-1] = (merged[-1][0], m.end())
        else:
            merged.append((m.start(), m.end()))
    return merged


def _snippet(text: str, matches: list[tuple[int, int]], width: int, mark: tuple[str, str]) -> str:
    """A window of ``text`` around the densest cluster of matches, with the matches marked."""
    flat = text.replace("\n", " ")
    if not matches:
        return flat[:width] + ("…" if len(flat) > width else "")
    # The window start that covers the most matches (matches are few; quadratic is fine).
    best_start, best_count = matches[0][0], 0
    for s, _ in matches:
        count = sum(1 for m in matches if s <= m[0] and m[1] <= s + width)
        if count > best_count:
            best_start, best_count = s, count
    lo = max(0, min(best_start - width // 4, len(flat) - width))
    hi = min(len(flat), lo + width)
    out: list[str] = ["…" if lo > 0 else ""]
    pos = lo
    for s, e in matches:
        if s < lo or e > hi:
            continue
        out.append(flat[pos:s])
        out.append(mark[0] + flat[s:e] + mark[1])
        pos = e
    out.append(flat[pos:hi])
    out.append("…" if hi < len(flat) else "")
    return "".join(out)
