"""Convert many files in parallel, resumably: ``zhdoc batch INPUTS... -o OUT_DIR``.

* Inputs are files, directories (walked recursively, hidden entries skipped) and globs,
  consumed lazily: the number of files never bounds memory.
* Each input is read, hashed and converted in a worker process; its output is named by
  the SHA-256 of its bytes (``<sha256>.records.jsonl`` …) and written to a temporary file
  that is renamed into place, so an output either exists complete or not at all. A rerun
  skips inputs whose output exists, which makes a killed batch resumable and a batch over
  duplicated files write each content once.
* A bad input (corrupt, binary, unsupported, too large, crashing the parser) goes to
  ``OUT_DIR/errors.jsonl`` with the reason and the batch goes on; the exit status says so.
* ``OUT_DIR/manifest.jsonl`` maps every input path to its hash and output file.
* At most ``workers × 4`` files are in flight at once (bounded memory whatever the input).
"""

from __future__ import annotations

import glob
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

from zhdoc.limits import MAX_INPUT_BYTES, MAX_INPUT_CHARS

#: Output file suffix for each ``--format``.
SUFFIXES = {
    "json": ".json",
    "records": ".records.jsonl",
    "es-bulk": ".es.ndjson",
    "facts": ".facts.csv",
}

#: Extensions picked up when walking a directory (files named explicitly are always read).
#: Legacy .doc/.wps are included so they are reported as needing conversion, not silently missed.
INPUT_EXTENSIONS = frozenset(
    {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf", ".doc", ".wps"}
)

_TMP_PREFIX = ".zhdoc-tmp-"


@dataclass(frozen=True)
class Options:
    """What every worker needs to convert one file (picklable)."""

    out_dir: str
    fmt: str = "records"
    chunk_chars: int = 1000
    es_index: str | None = "zhdoc"
    max_bytes: int = MAX_INPUT_BYTES
    max_chars: int = MAX_INPUT_CHARS
    locality: str | None = None
    extract: bool = True
    force: bool = False
    #: Seconds one input may take before its worker is killed and it is recorded as failed.
    timeout: float | None = 600.0


@dataclass
class Result:
    """What a worker reports back for one input (small: the output itself stays on disk)."""

    input: str
    status: str  # "ok" | "skipped" | "error"
    sha256: str | None = None
    output: str | None = None
    size: int = 0
    reports: int = 0
    sections: int = 0
    entities: int = 0
    items: int = 0  # records, bulk documents or fact rows written
    error: str | None = None
    message: str | None = None
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- inputs


def iter_inputs(specs: Iterable[str], *, exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Files named by ``specs``, lazily. Directories are walked in sorted order; globs expanded.

    A spec that names nothing is yielded as is, so the worker reports it as missing.
    """
    excluded = {p.resolve() for p in exclude}
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            yield from _walk(path, excluded)
        elif path.exists() or not glob.has_magic(spec):
            yield path
        else:
            for match in glob.iglob(spec, recursive=True):
                m = Path(match)
                if m.is_dir():
                    yield from _walk(m, excluded)
                elif m.is_file():
                    yield m


def _walk(root: Path, excluded: set[Path]) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        # Prune in place: hidden directories and the output directory are not inputs.
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and (here / d).resolve() not in excluded
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in INPUT_EXTENSIONS:
                yield here / name


# ---------------------------------------------------------------- one file (in a worker)


def _count_sections(sections: Iterable[Any]) -> int:
    return sum(1 + _count_sections(s.children) for s in sections)


def _open_tmp(path: Path, *, encoding: str = "utf-8", newline: str | None = None) -> TextIO:
    """Create ``path`` and hold an exclusive lock on it while it is open.

    The kernel drops the lock when the writer dies, however it dies, so a later run can
    tell a temporary file of a killed run (lock free: delete it) from one being written by
    a concurrent run (locked: leave it). Process ids cannot tell that: they are reused, and
    a killed worker lingers as a zombie until it is reaped.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # pragma: no cover - no flock (Windows): stale files are then left for the user
        pass
    except OSError:
        os.close(fd)
        raise
    return open(fd, "w", encoding=encoding, newline=newline)  # the caller closes it


def _atomic_write(final: Path, write: Callable[[TextIO], int], *, newline: str | None = None) -> int:
    """Write via a locked temporary file in the same directory, fsync'd, then rename over ``final``."""
    tmp = final.with_name(f"{_TMP_PREFIX}{os.getpid()}-{final.name}")
    try:
        encoding = "utf-8-sig" if final.name.endswith(".csv") else "utf-8"
        with _open_tmp(tmp, encoding=encoding, newline=newline) as fh:
            n = write(fh)
            fh.flush()
            os.fsync(fh.fileno())  # the rename must not outlive the data in a power cut
            os.replace(tmp, final)  # while still locked, so no cleaner can take it first
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def convert_one(path_str: str, opts: Options) -> Result:
    """Read, hash, parse and export one input; never raises for a bad input."""
    import hashlib

    from zhdoc.ingest import read_limited

    path = Path(path_str)
    result = Result(input=path_str, status="error")
    try:
        data = read_limited(path, opts.max_bytes)
        result.size = len(data)
        result.sha256 = hashlib.sha256(data).hexdigest()
        final = Path(opts.out_dir) / f"{result.sha256}{SUFFIXES[opts.fmt]}"
        result.output = final.name
        if final.exists() and not opts.force:
            result.status = "skipped"
            return result
        doc, loaded = _parse_bytes(data, path, opts)
        del data
        result.warnings = loaded.warnings
        _tally(result, doc)
        result.items = _atomic_write(
            final, lambda fh: _export(doc, opts, fh), newline="" if opts.fmt == "facts" else None
        )
        result.status = "ok"
    except Exception as exc:  # a parser bug must cost one file, not the batch
        _fail(result, exc)
    return result


def _parse_bytes(data: bytes, path: Path, opts: Options | IndexOptions) -> tuple[Any, Any]:
    """Decode (any supported format) and parse one input: the Document and what ingest loaded."""
    from zhdoc.ingest import load_bytes
    from zhdoc.pipeline import parse

    loaded = load_bytes(data, path=path, max_bytes=opts.max_bytes)
    doc = parse(
        loaded.text,
        source=loaded.source,
        page_starts=loaded.page_starts,
        locality=opts.locality,
        extract=opts.extract,
        max_chars=opts.max_chars,
    )
    return doc, loaded


def _tally(result: Result, doc: Any) -> None:
    result.reports = len(doc.reports)
    result.sections = sum(_count_sections(r.sections) for r in doc.reports)
    result.entities = sum(len(r.entities) for r in doc.reports)


def _fail(result: Result, exc: Exception) -> None:
    """A typed error (bad input) is reported as is; anything else is a zhdoc bug, with its trace."""
    from zhdoc.errors import ZhdocError

    if isinstance(exc, (ZhdocError, OSError)):
        result.error = type(exc).__name__
        result.message = str(exc)
    else:
        result.error = f"InternalError:{type(exc).__name__}"
        result.message = f"{exc}\n{traceback.format_exc(limit=8)}"


def _export(doc: Any, opts: Options, fh: TextIO) -> int:
    if opts.fmt == "json":
        from zhdoc.export import write_bytes

        write_bytes(fh, doc.json_bytes())
        fh.write("\n")
        return 1
    if opts.fmt == "records":
        from zhdoc.export.records import write_records

        return write_records(doc, fh, chunk_chars=opts.chunk_chars)
    if opts.fmt == "es-bulk":
        from zhdoc.export.esbulk import write_bulk
        from zhdoc.export.records import iter_records

        return write_bulk(iter_records(doc, chunk_chars=opts.chunk_chars), fh, index=opts.es_index)
    if opts.fmt == "facts":
        from zhdoc.export.facts import write_facts_csv

        return write_facts_csv(doc, fh)
    raise ValueError(f"unknown format {opts.fmt!r}")


# ---------------------------------------------------------------- the pool


T = TypeVar("T")
R = TypeVar("R")


def _pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing

    # forkserver: workers fork from a clean server process that already imported the
    # pipeline, instead of from this process and whatever threads it runs.
    try:
        ctx = multiprocessing.get_context("forkserver")
        # Modules imported once in the server are shared copy-on-write by every worker.
        ctx.set_forkserver_preload(
            [
                "zhdoc.pipeline",
                "zhdoc.batch",
                "zhdoc.normalize",
                "zhdoc.structure",
                "zhdoc.extract",
                "zhdoc.ingest",
                "zhdoc.export.records",
            ]
        )
    except ValueError:  # pragma: no cover - platforms without forkserver
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


def run_pool(
    items: Iterable[T],
    fn: Callable[[T], R],
    *,
    workers: int,
    on_crash: Callable[[T, BaseException], R],
    in_flight: int | None = None,
    timeout: float | None = None,
) -> Iterator[tuple[T, R]]:
    """``map`` over a process pool, lazily, with at most ``in_flight`` items submitted at once.

    Results come in completion order. If a worker dies (killed, out of memory, a crash in
    C code) the pool breaks: the items that were in flight are retried one at a time in a
    fresh pool, so only the item that kills its worker again is reported via ``on_crash``.
    An item running longer than ``timeout`` seconds has its worker killed and is reported
    via ``on_crash`` with a :class:`TimeoutError` (a pathological input must not stall the batch).
    """
    limit = in_flight or workers * 4
    source = iter(items)
    pool = _pool(workers)
    pending: dict[Future[R], T] = {}
    running_since: dict[Future[R], float] = {}
    timed_out: dict[Future[R], TimeoutError] = {}
    finished = False
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < limit:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending[pool.submit(fn, item)] = item
            if not pending:
                break
            done, _ = wait(pending, timeout=1.0 if timeout else None, return_when=FIRST_COMPLETED)
            if timeout and not done:
                now = time.monotonic()
                for fut in pending:
                    if fut not in running_since and fut.running():
                        running_since[fut] = now
                overdue = [f for f in pending if now - running_since.get(f, now) > timeout]
                if overdue:
                    for fut in overdue:
                        timed_out[fut] = TimeoutError(
                            f"still running after {timeout:g} s; its worker was killed"
                        )
                    _kill_workers(
                        pool
                    )  # the pool breaks; every pending future completes with BrokenProcessPool
                continue
            broken: list[T] = []
            for fut in done:
                item = pending.pop(fut)
                running_since.pop(fut, None)
                try:
                    yield item, fut.result()
                except BrokenProcessPool as exc:
                    if fut in timed_out:
                        yield item, on_crash(item, timed_out.pop(fut))
                    else:
                        del exc
                        broken.append(item)
            if broken or timed_out:
                # Futures that finished before the pool broke still hold their results.
                for fut, item in list(pending.items()):
                    if fut in timed_out:
                        yield item, on_crash(item, timed_out.pop(fut))
                    elif fut.done() and not fut.cancelled() and fut.exception() is None:
                        yield item, fut.result()
                    else:
                        broken.append(item)
                pending.clear()
                running_since.clear()
                timed_out.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                for item in broken:
                    yield item, _isolated(fn, item, on_crash, timeout)
                pool = _pool(workers)
        finished = True
    finally:
        if not finished and pending:
            _kill_workers(pool)  # abandoned (error or generator closed): do not wait for running items
        pool.shutdown(wait=True, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    # ProcessPoolExecutor cannot cancel a running call; killing its processes (a private
    # attribute, stable since 3.8) breaks the pool, which run_pool then rebuilds.
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()


def _isolated(
    fn: Callable[[T], R], item: T, on_crash: Callable[[T, BaseException], R], timeout: float | None
) -> R:
    solo = _pool(1)
    try:
        return solo.submit(fn, item).result(timeout=timeout)
    except BrokenProcessPool as exc:
        return on_crash(item, exc)
    except TimeoutError:
        _kill_workers(solo)
        return on_crash(item, TimeoutError(f"still running after {timeout:g} s; its worker was killed"))
    finally:
        solo.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- progress


class Progress:
    """Files/s and MB/s on stderr: a live line on a terminal, a line every few seconds otherwise."""

    def __init__(
        self,
        stream: TextIO | None,
        total_thread: bool,
        specs: list[str],
        exclude: list[Path],
        label: str = "zhdoc batch",
    ) -> None:
        self.stream = stream
        self.label = label
        self.tty = bool(stream is not None and stream.isatty())
        self.start = time.monotonic()
        self.last = 0.0 if self.tty else self.start  # a log gets its first line after 10 s
        self.files = self.bytes = self.failed = self.skipped = 0
        self.total: int | None = None
        if stream is not None and total_thread:
            # Counting the inputs takes one more directory walk: do it beside the work so
            # the first results are not delayed, and show "n/total" once known.
            threading.Thread(target=self._count, args=(specs, exclude), daemon=True).start()

    def _count(self, specs: list[str], exclude: list[Path]) -> None:
        n = 0
        for _ in iter_inputs(specs, exclude=exclude):
            n += 1
        self.total = n

    def update(self, result: Result) -> None:
        self.files += 1
        self.bytes += result.size
        self.failed += result.status == "error"
        self.skipped += result.status == "skipped"
        now = time.monotonic()
        if self.stream is None or now - self.last < (0.2 if self.tty else 10.0):
            return
        self.last = now
        self.stream.write(("\r" if self.tty else "") + self.line() + ("" if self.tty else "\n"))
        self.stream.flush()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        done = f"{self.files:,}" + (f"/{self.total:,}" if self.total is not None else "")
        return (
            f"{self.label}: {done} files  {self.files / elapsed:,.1f} files/s  "
            f"{self.bytes / elapsed / 1e6:,.2f} MB/s  {self.skipped:,} skipped  {self.failed:,} failed"
        )

    def close(self) -> None:
        if self.stream is not None and self.tty:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()


# ---------------------------------------------------------------- the batch


@dataclass
class Summary:
    files: int = 0
    converted: int = 0
    skipped: int = 0
    failed: int = 0
    reports: int = 0
    sections: int = 0
    entities: int = 0
    items: int = 0
    bytes: int = 0
    seconds: float = 0.0
    workers: int = 1
    format: str = "records"
    merged: list[str] = field(default_factory=list)

    def text(self) -> str:
        rate = self.files / self.seconds if self.seconds else 0.0
        mbps = self.bytes / self.seconds / 1e6 if self.seconds else 0.0
        return (
            f"zhdoc batch: {self.files:,} files ({self.converted:,} converted, {self.skipped:,} already done, "
            f"{self.failed:,} failed) in {self.seconds:,.1f} s: {rate:,.1f} files/s, {mbps:,.2f} MB/s; "
            f"{self.reports:,} reports, {self.sections:,} sections, {self.entities:,} entities, "
            f"{self.items:,} {'records' if self.format in ('records', 'es-bulk') else 'rows' if self.format == 'facts' else 'documents'}"
        )


def _clean_stale_tmp(out_dir: Path) -> None:
    """Remove temporary files left by killed runs: those nobody holds the lock of."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return
    for tmp in out_dir.glob(f"{_TMP_PREFIX}*"):
        try:
            fd = os.open(tmp, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live writer (a concurrent batch) holds it
        else:
            tmp.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _crash_result(path: Path, exc: BaseException) -> Result:
    if isinstance(exc, TimeoutError):
        return Result(input=str(path), status="error", error="Timeout", message=f"{path}: {exc}")
    return Result(
        input=str(path),
        status="error",
        error="WorkerCrashed",
        message=f"the worker process died on this input ({exc}); it may exhaust memory or crash the parser",
    )


def run_batch(
    specs: list[str],
    opts: Options,
    *,
    workers: int | None = None,
    progress: TextIO | None = sys.stderr,
) -> Summary:
    """Convert every input named by ``specs`` into ``opts.out_dir``; see the module docstring."""
    from functools import partial

    out_dir = Path(opts.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _clean_stale_tmp(out_dir)
    workers = max(1, workers or os.cpu_count() or 1)
    summary = Summary(workers=workers, format=opts.fmt)
    started = time.monotonic()
    meter = Progress(progress, True, specs, [out_dir])
    errors_path = out_dir / "errors.jsonl"
    manifest_tmp = out_dir / f"{_TMP_PREFIX}{os.getpid()}-manifest.jsonl"
    # errors.jsonl is rewritten by every run: failed inputs are retried, so after a complete
    # run it lists exactly the inputs that still fail.
    with (
        errors_path.open("w", encoding="utf-8") as errors,
        _open_tmp(manifest_tmp) as manifest,
    ):
        inputs = (str(p) for p in iter_inputs(specs, exclude=[out_dir]))
        work = partial(convert_one, opts=opts)
        for path_str, result in run_pool(
            inputs,
            work,
            workers=workers,
            on_crash=lambda p, e: _crash_result(Path(p), e),
            timeout=opts.timeout,
        ):
            del path_str
            summary.files += 1
            summary.bytes += result.size
            meter.update(result)
            if result.status == "error":
                summary.failed += 1
                errors.write(
                    json.dumps(
                        {
                            "input": result.input,
                            "sha256": result.sha256,
                            "error": result.error,
                            "message": result.message,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                errors.flush()
                continue
            summary.converted += result.status == "ok"
            summary.skipped += result.status == "skipped"
            summary.reports += result.reports
            summary.sections += result.sections
            summary.entities += result.entities
            summary.items += result.items
            entry = {
                "input": result.input,
                "sha256": result.sha256,
                "output": result.output,
                "status": result.status,
            }
            if result.warnings:
                entry["warnings"] = result.warnings
            manifest.write(json.dumps(entry, ensure_ascii=False) + "\n")
        manifest.flush()
        os.replace(manifest_tmp, out_dir / "manifest.jsonl")  # still locked: see _open_tmp
    meter.close()
    if opts.fmt == "facts":
        summary.merged = _merge_facts(out_dir)
    summary.seconds = time.monotonic() - started
    (out_dir / "summary.json").write_text(json.dumps(asdict(summary), indent=2) + "\n", encoding="utf-8")
    return summary


def _manifest_outputs(out_dir: Path) -> Iterator[Path]:
    """Each distinct output listed in the manifest, in input order."""
    seen: set[str] = set()
    with (out_dir / "manifest.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            entry = json.loads(line)
            name = entry.get("output")
            if name and name not in seen and (out_dir / name).exists():
                seen.add(name)
                yield out_dir / name


def _merge_facts(out_dir: Path) -> list[str]:
    """Concatenate the per-input facts into ``facts.csv`` (and ``facts.parquet`` with pyarrow)."""
    import csv

    from zhdoc.export.facts import COLUMNS, have_parquet, read_csv_rows, write_parquet

    merged = []

    def write_csv(fh: TextIO) -> int:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        n = 0
        for row in read_csv_rows(_manifest_outputs(out_dir)):
            writer.writerow(row)
            n += 1
        return n

    _atomic_write(out_dir / "facts.csv", write_csv, newline="")
    merged.append("facts.csv")
    if have_parquet():
        final = out_dir / "facts.parquet"
        tmp = out_dir / f"{_TMP_PREFIX}{os.getpid()}-facts.parquet"
        write_parquet(read_csv_rows(_manifest_outputs(out_dir)), tmp)
        os.replace(tmp, final)
        merged.append("facts.parquet")
    return merged


# ---------------------------------------------------------------- the full-text index


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
