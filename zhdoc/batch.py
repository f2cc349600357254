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
* The unit of work is :func:`convert_one` (one input → its output file and a
  :class:`Result`); executors only schedule it: the local process pool
  (:mod:`zhdoc.pool`) or a Dask cluster (:mod:`zhdoc.dask`, ``executor="dask"``).
  :class:`BatchLog` writes what they report, so both produce the same files.
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
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from zhdoc.limits import MAX_INPUT_BYTES, MAX_INPUT_CHARS
from zhdoc.pool import run_pool

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


def _parse_bytes(data: bytes, path: Path, opts: Any) -> tuple[Any, Any]:
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
    executor: str = "local"

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
    """The error row for an input whose worker was killed: the same whichever executor ran it."""
    if isinstance(exc, TimeoutError):
        return Result(input=str(path), status="error", error="Timeout", message=f"{path}: {exc}")
    # The executor's own exception (BrokenProcessPool, Dask's KilledWorker) is left out of the
    # message: it says nothing about the input, and would make the executors' records differ.
    return Result(
        input=str(path),
        status="error",
        error="WorkerCrashed",
        message="the worker process died on this input; it may exhaust memory or crash the parser",
    )


def error_row(result: Result) -> dict[str, Any]:
    """The errors.jsonl line of a failed input."""
    return {"input": result.input, "sha256": result.sha256, "error": result.error, "message": result.message}


def manifest_row(result: Result) -> dict[str, Any]:
    """The manifest.jsonl line of a converted (or already converted) input."""
    entry: dict[str, Any] = {
        "input": result.input,
        "sha256": result.sha256,
        "output": result.output,
        "status": result.status,
    }
    if result.warnings:
        entry["warnings"] = result.warnings
    return entry


class BatchLog:
    """What every executor's results go to: manifest.jsonl, errors.jsonl and the summary counts.

    Executors only schedule :func:`convert_one`; everything written about the batch is
    written here, in the calling process, so the executors cannot drift apart.
    """

    def __init__(self, out_dir: Path, summary: Summary, meter: Progress) -> None:
        self.out_dir = out_dir
        self.summary = summary
        self.meter = meter
        self._manifest_tmp = out_dir / f"{_TMP_PREFIX}{os.getpid()}-manifest.jsonl"

    def __enter__(self) -> BatchLog:
        # errors.jsonl is rewritten by every run: failed inputs are retried, so after a complete
        # run it lists exactly the inputs that still fail.
        self._errors = (self.out_dir / "errors.jsonl").open("w", encoding="utf-8")
        try:
            self._manifest = _open_tmp(self._manifest_tmp)
        except BaseException:
            self._errors.close()
            raise
        return self

    def add(self, result: Result) -> None:
        summary = self.summary
        summary.files += 1
        summary.bytes += result.size
        self.meter.update(result)
        if result.status == "error":
            summary.failed += 1
            self._errors.write(json.dumps(error_row(result), ensure_ascii=False) + "\n")
            self._errors.flush()
            return
        summary.converted += result.status == "ok"
        summary.skipped += result.status == "skipped"
        summary.reports += result.reports
        summary.sections += result.sections
        summary.entities += result.entities
        summary.items += result.items
        self._manifest.write(json.dumps(manifest_row(result), ensure_ascii=False) + "\n")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self._manifest.flush()
                # still locked while renamed: see _open_tmp
                os.replace(self._manifest_tmp, self.out_dir / "manifest.jsonl")
        finally:
            self._manifest.close()
            self._errors.close()
            self._manifest_tmp.unlink(missing_ok=True)


#: The executors ``run_batch`` knows: the local process pool and a Dask cluster.
EXECUTORS = ("local", "dask")


def run_batch(
    specs: list[str],
    opts: Options,
    *,
    workers: int | None = None,
    progress: TextIO | None = sys.stderr,
    executor: str = "local",
    scheduler: str | None = None,
    client: Any = None,
    files_per_task: int = 8,
) -> Summary:
    """Convert every input named by ``specs`` into ``opts.out_dir``; see the module docstring.

    ``executor="dask"`` runs the same conversions on a Dask cluster: ``client`` (a
    ``distributed.Client``), else the scheduler at ``scheduler``, else a local cluster of
    ``workers`` processes (see :mod:`zhdoc.dask`), ``files_per_task`` inputs per Dask task
    (scheduling costs ~3 ms per task). The files written are the same.
    """
    from contextlib import ExitStack
    from functools import partial

    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; use one of {', '.join(EXECUTORS)}")
    out_dir = Path(opts.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _clean_stale_tmp(out_dir)
    started = time.monotonic()
    inputs = (str(p) for p in iter_inputs(specs, exclude=[out_dir]))
    if executor == "dask" and scheduler:
        # Workers of an existing cluster do not share this process's working directory:
        # relative paths would name other files, or none, on them.
        opts = replace(opts, out_dir=str(out_dir.resolve()))
        absolute = [str(Path(spec).absolute()) for spec in specs]
        inputs = (str(p) for p in iter_inputs(absolute, exclude=[out_dir]))
    work = partial(convert_one, opts=opts)
    with ExitStack() as stack:
        if executor == "dask":
            from zhdoc import dask as zdask

            if client is None:
                client = stack.enter_context(zdask.connect(scheduler=scheduler, workers=workers))
            workers = zdask.worker_threads(client)
            zdask.announce(client, progress)
            results: Iterator[tuple[str, Result]] = zdask.run_dask(
                inputs,
                work,
                client=client,
                on_crash=lambda p, e: _crash_result(Path(p), e),
                per_task=files_per_task,
                timeout=opts.timeout,
                marker_dir=opts.out_dir,
            )
        else:
            workers = max(1, workers or os.cpu_count() or 1)
            results = run_pool(
                inputs,
                work,
                workers=workers,
                on_crash=lambda p, e: _crash_result(Path(p), e),
                timeout=opts.timeout,
            )
        summary = Summary(workers=workers, format=opts.fmt, executor=executor)
        meter = Progress(progress, True, specs, [out_dir])
        with BatchLog(out_dir, summary, meter) as log:
            for _path, result in results:
                log.add(result)
        meter.close()
    if opts.fmt == "facts":
        summary.merged = _merge_facts(out_dir)
    summary.seconds = time.monotonic() - started
    (out_dir / "summary.json").write_text(json.dumps(asdict(summary), indent=2) + "\n", encoding="utf-8")
    return summary


def _manifest_outputs(out_dir: Path) -> Iterator[Path]:
    """Each distinct output listed in the manifest, ordered by input path.

    The manifest is in completion order, which differs from run to run and between
    executors; sorting makes the merged files the same whoever converted the inputs.
    """
    entries: list[tuple[str, str]] = []
    with (out_dir / "manifest.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            entry = json.loads(line)
            if entry.get("output"):
                entries.append((entry["input"], entry["output"]))
    entries.sort()
    seen: set[str] = set()
    for _input, name in entries:
        if name not in seen and (out_dir / name).exists():
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


def __getattr__(name: str) -> Any:
    # The index build moved to zhdoc.indexing; its names stay importable from here.
    if name in ("IndexOptions", "IndexResult", "IndexReport", "index_one", "build_index"):
        from zhdoc import indexing

        return getattr(indexing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
