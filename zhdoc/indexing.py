"""The full-text index build (``zhdoc index``): parse new and changed inputs, add their records to SQLite.

Conversion (:mod:`zhdoc.batch`) and indexing share the input walk, the parse of one file
and the local process pool; the SQLite writes happen here, in the calling process.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from zhdoc.batch import Progress, Result, _crash_result, _fail, _parse_bytes, _tally, iter_inputs
from zhdoc.limits import MAX_INPUT_BYTES, MAX_INPUT_CHARS
from zhdoc.pool import run_pool


@dataclass(frozen=True)
class IndexOptions:
    chunk_chars: int = 1000
    max_bytes: int = MAX_INPUT_BYTES
    max_chars: int = MAX_INPUT_CHARS
    locality: str | None = None
    extract: bool = True
    timeout: float | None = 600.0


@dataclass
class IndexResult(Result):
    mtime_ns: int = 0
    name: str | None = None
    fmt: str | None = None
    records: list[dict[str, Any]] = field(default_factory=list)


_READERS: dict[str, Any] = {}


def _known_content(db: str, sha256: str) -> bool:
    """Whether the index already holds this content (a read-only connection per worker)."""
    from zhdoc.export.fts import connect, has_doc

    conn = _READERS.get(db)
    if conn is None:
        conn = _READERS[db] = connect(db, readonly=True)
    return has_doc(conn, sha256)


def index_one(path_str: str, opts: IndexOptions, db: str) -> IndexResult:
    """Read and hash one input; parse it into records unless the index already has its content."""
    import hashlib

    from zhdoc.ingest import read_limited

    path = Path(path_str)
    result = IndexResult(input=path_str, status="error")
    try:
        result.mtime_ns = path.stat().st_mtime_ns
        data = read_limited(path, opts.max_bytes)
        result.size = len(data)
        result.sha256 = hashlib.sha256(data).hexdigest()
        if _known_content(db, result.sha256):
            result.status = "skipped"
            return result
        from zhdoc.export.records import iter_records

        doc, _ = _parse_bytes(data, path, opts)
        del data
        result.name, result.fmt = doc.source.name, doc.source.format
        _tally(result, doc)
        result.records = [r.model_dump(mode="json") for r in iter_records(doc, chunk_chars=opts.chunk_chars)]
        result.items = len(result.records)
        result.status = "ok"
    except Exception as exc:  # a parser bug must cost one file, not the index
        _fail(result, exc)
    return result


@dataclass
class IndexReport:
    files: int = 0
    unchanged: int = 0
    added: int = 0
    repointed: int = 0
    pruned: int = 0
    failed: int = 0
    records: int = 0
    seconds: float = 0.0
    total: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        return (
            f"zhdoc index: {self.files:,} files: {self.added:,} indexed ({self.records:,} records), "
            f"{self.unchanged + self.repointed:,} unchanged, {self.pruned:,} pruned, {self.failed:,} failed "
            f"in {self.seconds:,.1f} s; the index holds {self.total.get('documents', 0):,} documents, "
            f"{self.total.get('records', 0):,} records"
        )


def build_index(
    db: str | Path,
    specs: list[str],
    opts: IndexOptions,
    *,
    workers: int | None = None,
    prune: bool = False,
    progress: TextIO | None = sys.stderr,
    commit_every: float = 2.0,
) -> IndexReport:
    """Add new and changed inputs to the SQLite index ``db`` (created if missing)."""
    from functools import partial

    from zhdoc import __version__
    from zhdoc.export import fts

    db = str(db)
    conn = fts.connect(db)
    workers = max(1, workers or os.cpu_count() or 1)
    report = IndexReport()
    started = time.monotonic()
    if prune:
        report.pruned = fts.prune(conn)
        conn.commit()
    # No total here: unchanged inputs never reach the meter, so "n of all" would mislead.
    meter = Progress(progress, False, specs, [], label="zhdoc index")

    def changed() -> Iterator[str]:
        for path in iter_inputs(specs, exclude=[]):
            if path.resolve() == Path(db).resolve():
                continue
            key = str(path.resolve())
            report.files += 1
            try:
                st = path.stat()
            except OSError:
                yield key  # the worker reports it
                continue
            known = fts.lookup_input(conn, key)
            if known is not None and known[1] == st.st_size and known[2] == st.st_mtime_ns:
                report.unchanged += 1
                continue
            yield key

    last_commit = time.monotonic()
    work = partial(index_one, opts=opts, db=db)
    try:
        for path_str, res in run_pool(
            changed(),
            work,
            workers=workers,
            on_crash=lambda p, e: IndexResult(**asdict(_crash_result(Path(p), e))),
            timeout=opts.timeout,
        ):
            meter.update(res)
            if res.status == "error":
                report.failed += 1
                if len(report.errors) < 1000:
                    report.errors.append((path_str, f"{res.error}: {(res.message or '').splitlines()[0]}"))
                continue
            assert res.sha256 is not None
            if res.status == "ok":
                report.records += fts.add_records(
                    conn,
                    res.sha256,
                    res.records,
                    name=res.name,
                    fmt=res.fmt,
                    n_reports=res.reports,
                    zhdoc_version=__version__,
                )
                report.added += 1
            else:
                report.repointed += 1
            fts.set_input(conn, path_str, res.sha256, res.size, res.mtime_ns)
            if time.monotonic() - last_commit > commit_every:
                conn.commit()  # a killed run keeps everything committed so far
                last_commit = time.monotonic()
        conn.commit()
        meter.close()
        report.total = fts.stats(conn)
        # A large addition leaves many FTS segments; merging them pays off. A small update
        # does not justify rewriting the whole index (FTS5's automerge keeps it in shape).
        fts.finish(conn, optimize=report.added >= max(1, report.total["documents"] // 10))
    finally:
        conn.close()
    report.seconds = time.monotonic() - started
    return report
