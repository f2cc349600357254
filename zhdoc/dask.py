"""zhdoc on a Dask cluster: the batch executor, and a ``dask.bag`` of parsed documents.

Needs the optional extra: ``pip install 'zhdoc[dask]'`` (Dask's distributed scheduler and
pyarrow). Nothing here is imported by ``import zhdoc``.

* :func:`run_dask` schedules one function over many items on a cluster, with at most a
  window of items in flight, a per-item timeout, and a killed worker reported for the item
  it was running. ``zhdoc batch --executor dask`` uses it with the same unit of work as the
  local pool (:func:`zhdoc.batch.convert_one`), so both write the same files.
* :func:`parse_files` returns a ``dask.bag`` of :class:`~zhdoc.schema.Document` (or of
  search records) for users' own Dask code; :func:`write_parquet` writes their facts (or
  records) as a Parquet dataset partitioned by year and body.

Inputs are paths: every worker must be able to read them (a local disk for a local
cluster, a shared filesystem for a real one), and for the batch, write to the output
directory.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from zhdoc.errors import ClusterError, MissingDependencyError

if TYPE_CHECKING:
    import dask.bag

T = TypeVar("T")
R = TypeVar("R")

_TMP_PREFIX = ".zhdoc-tmp-"  # as zhdoc.batch: a rerun's cleanup removes what a killed run left
_INSTALL = "install the extra: pip install 'zhdoc[dask]'"


def _require(module: str = "distributed") -> None:
    try:
        __import__(module)
    except ImportError as exc:
        raise MissingDependencyError(f"the Dask executor needs {module!r} ({exc}); {_INSTALL}") from exc


# ---------------------------------------------------------------- the cluster


@contextmanager
def connect(
    scheduler: str | None = None, workers: int | None = None, *, connect_timeout: float = 20.0
) -> Iterator[Any]:
    """A ``distributed.Client``: to the scheduler at ``scheduler``, else to a new local cluster.

    The local cluster has ``workers`` processes (default: CPU cores) of one thread each: the
    parser is pure Python, so threads in one process would only queue for the GIL.
    """
    _require()
    import logging

    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        if workers is not None:
            raise ClusterError(
                f"--workers does not apply to an existing cluster ({scheduler}); "
                "its workers are started by whoever runs it (drop --workers, or --scheduler for a local cluster)"
            )
        try:
            client = Client(scheduler, timeout=connect_timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                "`dask scheduler` and `dask worker ADDRESS`, or drop --scheduler for a local cluster"
            ) from exc
        with client:
            try:
                # tasks sent to a cluster without workers would wait forever
                client.wait_for_workers(1, timeout=connect_timeout)
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    f"the Dask scheduler at {scheduler} has no workers after {connect_timeout:g} s; "
                    f"start some with `dask worker {scheduler}`"
                ) from exc
            yield client
        return
    n = max(1, workers or os.cpu_count() or 1)
    try:
        # One task assigned per worker thread (Dask's default queues a little more): a worker
        # process that dies then takes only the input it was running down with it.
        with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: two clusters on one machine must not collide
                silence_logs=logging.ERROR,
            )
    except (OSError, TimeoutError, RuntimeError) as exc:
        # RuntimeError: a worker process failed to start, e.g. a script without the
        # ``if __name__ == "__main__":`` guard that process spawning needs
        raise ClusterError(
            f"cannot start a local Dask cluster of {n} workers ({exc}); a script that starts one "
            'must run it under `if __name__ == "__main__":`'
        ) from exc
    with cluster, Client(cluster) as client:
        yield client


def worker_threads(client: Any) -> int:
    """Task slots in the cluster: the sum of its workers' threads (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def dashboard_link(client: Any) -> str | None:
    """The cluster's dashboard URL, or None when it has none."""
    try:
        info = client.scheduler_info()
        if "dashboard" not in info.get("services", {}):
            return None
        return str(client.dashboard_link)
    except Exception:  # a missing dashboard must not fail a batch
        return None


def announce(client: Any, stream: TextIO | None) -> None:
    """Say where the batch runs (and where to watch it) on the progress stream."""
    if stream is None:
        return
    link = dashboard_link(client)
    where = f"Dask scheduler {client.scheduler.address}, {len(client.nthreads())} worker(s)"
    stream.write(f"zhdoc batch: {where}" + (f"; dashboard {link}" if link else "") + "\n")
    stream.flush()


# ---------------------------------------------------------------- the executor


@dataclass(frozen=True)
class TimedOut:
    """What a task returns in place of its result when an earlier attempt ran out of time."""

    seconds: float


def _key(item: Any) -> str:
    return hashlib.sha256(repr(item).encode()).hexdigest()[:32]


def _marker(marker_dir: str, item: Any) -> Path:
    return Path(marker_dir) / f"{_TMP_PREFIX}timeout-{_key(item)}"


def _expire(marker: Path, done: dict[str, Any]) -> None:
    # A thread cannot be stopped, so the process goes, as the local pool kills its worker.
    # The marker holds what the task had finished before this item, and tells the retry
    # Dask schedules after the worker's death to report the timeout instead of running the
    # item again, then to go on with the items after it.
    try:
        marker.write_bytes(pickle.dumps(done))
    finally:
        os._exit(70)


def guarded(
    fn: Callable[[T], R], items: list[T], timeout: float | None, marker_dir: str | None
) -> list[R | TimedOut]:
    """Run ``fn`` over ``items`` in one Dask task, killing the worker if one item takes over ``timeout`` s."""
    if not timeout or marker_dir is None:
        return [fn(item) for item in items]
    # What earlier attempts left: a marker names an item that ran out of time and holds the
    # results its task had finished before it (keyed by item: the retry may group differently).
    timed_out: set[str] = set()
    saved: dict[str, Any] = {}
    for item in items:
        marker = _marker(marker_dir, item)
        if marker.exists():
            timed_out.add(_key(item))
            # pickle: the marker dir is the batch's own output directory, written by its workers
            saved.update(pickle.loads(marker.read_bytes()))
    done: dict[str, Any] = {}
    results: list[R | TimedOut] = []
    for item in items:
        key = _key(item)
        if key in timed_out:
            value: Any = TimedOut(timeout)
        elif key in saved:
            value = saved[key]
        else:
            timer = threading.Timer(timeout, _expire, args=(_marker(marker_dir, item), dict(done)))
            timer.daemon = True
            timer.start()
            try:
                value = fn(item)
            finally:
                timer.cancel()
        done[key] = value
        results.append(value)
    return results


def run_dask(
    items: Iterable[T],
    fn: Callable[[T], R],
    *,
    client: Any,
    on_crash: Callable[[T, BaseException], R],
    per_task: int = 1,
    in_flight: int | None = None,
    timeout: float | None = None,
    marker_dir: str | Path | None = None,
) -> Iterator[tuple[T, R]]:
    """``map`` over a Dask cluster, lazily, with a bounded number of tasks submitted at once.

    The counterpart of :func:`zhdoc.pool.run_pool`; results come in completion order. Each
    task runs ``fn`` over ``per_task`` consecutive items (fewer tasks, less scheduling per
    item); at most ``in_flight`` tasks (default 4 per worker thread) are submitted at once.
    A task whose worker dies as often as the scheduler allows (``KilledWorker``) is split
    into one task per item and each tried once more, so only an item that kills its worker
    again is reported via ``on_crash``. With ``timeout``, an item running longer has its
    worker process killed (the nanny starts a new one) and is reported via ``on_crash``
    with a :class:`TimeoutError`; that needs ``marker_dir``, a directory every worker can
    write. Items must be picklable and have a stable ``repr`` (paths, numbers).
    """
    _require()
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    if per_task < 1:
        raise ValueError("per_task must be at least 1")
    limit = in_flight or worker_threads(client) * 4
    marker_root = str(marker_dir) if marker_dir is not None else None
    source = iter(items)
    pending: dict[str, tuple[Any, list[T], int]] = {}
    queue = as_completed()

    def submit(group: list[T], attempt: int) -> None:
        # pure=False: a resubmitted input must run again, not reuse a cached result
        fut = client.submit(guarded, fn, group, timeout, marker_root, pure=False)
        pending[fut.key] = (fut, group, attempt)
        queue.add(fut)

    submitted = 0

    def fill() -> None:
        nonlocal submitted
        while len(pending) < limit:
            # The first window goes out one item per task, so that a small input set still
            # spreads over every worker; groups pay off once the cluster is busy.
            group = list(islice(source, per_task if submitted >= limit else 1))
            if not group:
                return
            submit(group, 0)
            submitted += 1

    fill()
    try:
        for fut in queue:
            _, group, attempt = pending.pop(fut.key)
            try:
                values = fut.result()
            except KilledWorker as exc:
                fut.release()
                if attempt == 0:
                    # A worker's death counts against every task assigned to it, not only
                    # the item that killed it: one more try, one item per task, tells the
                    # culprit from its neighbours (the local pool isolates the same way).
                    for item in group:
                        submit([item], 1)
                    continue
                values = [_Crashed(exc)]
            else:
                fut.release()
            fill()  # before yielding: the cluster keeps working while the caller writes
            for item, value in zip(group, values, strict=True):
                if isinstance(value, _Crashed):
                    yield item, on_crash(item, value.exc)
                elif isinstance(value, TimedOut):
                    if marker_root is not None:
                        _marker(marker_root, item).unlink(missing_ok=True)
                    error = TimeoutError(f"still running after {value.seconds:g} s; its worker was killed")
                    yield item, on_crash(item, error)
                else:
                    yield item, value
    finally:
        if pending:  # abandoned (an error, or the generator closed): stop what is queued
            client.cancel([f for f, _, _ in pending.values()])


@dataclass(frozen=True)
class _Crashed:
    exc: BaseException


# ---------------------------------------------------------------- the library: bags and Parquet


def _parse_path(path: str, options: dict[str, Any], on_error: str) -> list[Any]:
    from zhdoc.errors import ZhdocError
    from zhdoc.pipeline import parse_file

    try:
        return [parse_file(path, **options)]
    except (ZhdocError, OSError):
        if on_error == "skip":
            return []
        raise


def _records(doc: Any, chunk_chars: int) -> list[dict[str, Any]]:
    from zhdoc.export.records import iter_records

    return [r.model_dump(mode="json") for r in iter_records(doc, chunk_chars=chunk_chars)]


def parse_files(
    paths: Iterable[str | Path],
    client: Any = None,
    *,
    records: bool = False,
    chunk_chars: int = 1000,
    npartitions: int | None = None,
    on_error: str = "raise",
    **parse_options: Any,
) -> dask.bag.Bag:
    """A ``dask.bag`` of the Documents parsed from ``paths`` (files, directories, globs).

    ``records=True`` gives search records instead (dicts, as in ``.records.jsonl``).
    ``parse_options`` go to :func:`zhdoc.parse_file` (``locality=``, ``extract=`` …).
    A bad input raises its typed error when the bag is computed; ``on_error="skip"`` drops it
    instead (``zhdoc batch`` is the tool that records why). ``client`` sizes the bag to the
    cluster (4 partitions per worker thread); the bag runs on the current Dask scheduler,
    which a ``distributed.Client`` becomes when created.
    """
    _require("dask.bag")
    import dask.bag as db

    from zhdoc.batch import iter_inputs

    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    files = [str(p) for p in iter_inputs([str(p) for p in paths])]
    if npartitions is None:
        slots = worker_threads(client) if client is not None else (os.cpu_count() or 1)
        npartitions = slots * 4
    npartitions = max(1, min(npartitions, len(files) or 1))
    bag = db.from_sequence(files, npartitions=npartitions).map(_parse_path, parse_options, on_error).flatten()
    if records:
        bag = bag.map(_records, chunk_chars).flatten()
    return bag


#: The partition columns of the Parquet datasets: directories year=…/body=…
PARTITIONS = ("year", "body")


#: The partition values of a report without a date or a body. Not null: pyarrow (and so
#: pandas) cannot read back a dictionary-typed partition column holding nulls, and Hive
#: paths cannot hold an empty string.
NO_YEAR = 0
NO_BODY = "unknown"


def _year(date: str | None) -> int:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return NO_YEAR


def _fact_rows(docs: list[Any]) -> list[dict[str, Any]]:
    from zhdoc.export.facts import _typed, iter_fact_rows

    rows = []
    for doc in docs:
        for row in iter_fact_rows(doc):
            typed = _typed(row)
            typed["year"] = _year(typed["report_date"])
            typed["body"] = typed["body"] or NO_BODY
            rows.append(typed)
    return rows


def _record_rows(docs: list[Any], chunk_chars: int) -> list[dict[str, Any]]:
    import json

    rows = []
    for doc in docs:
        for rec in _records(doc, chunk_chars):
            meta = rec.get("meta") or {}
            # Nested fields as JSON text: a fixed flat schema that every engine reads alike.
            for key in ("meta", "facets"):
                rec[key] = json.dumps(rec.get(key) or {}, ensure_ascii=False, sort_keys=True)
            rec["year"] = meta.get("year") or _year(meta.get("date"))
            rec["body"] = meta.get("meeting") or meta.get("locality") or NO_BODY
            rows.append(rec)
    return rows


def _facts_schema() -> Any:
    import pyarrow as pa

    from zhdoc.export.facts import _parquet_schema

    return _parquet_schema().append(pa.field("year", pa.int32()))


def _records_schema() -> Any:
    import pyarrow as pa

    ints = ("report_index", "level", "chunk", "chunk_count", "start", "end", "start_utf16", "end_utf16", "page")
    fields = [
        (name, pa.int64() if name in ints else pa.list_(pa.string()) if name == "breadcrumb" else pa.string())
        for name in (
            "id", "record_version", "doc_sha256", "source_name", "source_path", "source_format",
            "report_index", "report_title", "meta", "section_id", "breadcrumb", "level", "marker",
            "chunk", "chunk_count", "text", "text_seg", "start", "end", "start_utf16", "end_utf16",
            "page", "facets",
        )
    ]
    return pa.schema([*fields, ("year", pa.int32()), ("body", pa.string())])


def _write_part(docs: list[Any], root: str, index: int, kind: str, chunk_chars: int) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if kind == "facts":
        rows, schema = _fact_rows(docs), _facts_schema()
    else:
        rows, schema = _record_rows(docs, chunk_chars), _records_schema()
    if not rows:
        return 0
    table = pa.Table.from_pylist([{f: r.get(f) for f in schema.names} for r in rows], schema=schema)
    pq.write_to_dataset(
        table,
        root,
        partition_cols=list(PARTITIONS),
        # one name per bag partition: parallel writers never overwrite each other
        basename_template=f"part-{index:06d}-{{i}}.parquet",
        existing_data_behavior="overwrite_or_ignore",
    )
    return len(rows)


def write_parquet(
    docs: dask.bag.Bag, path: str | Path, *, kind: str = "facts", chunk_chars: int = 1000
) -> int:
    """Write the facts (or ``kind="records"``) of a bag of Documents as a Parquet dataset.

    The dataset is Hive-partitioned, ``path/year=2023/body=…/part-*.parquet`` (values
    URI-encoded; no date: ``year=0``, no body: ``body=unknown``), readable by pandas,
    pyarrow, DuckDB and Spark. Facts have the columns of ``facts.parquet`` plus ``year``;
    records the fields of a search record, ``meta`` and ``facets`` as JSON text. Each bag
    partition is written by the worker that computed it; returns the number of rows.
    """
    _require("pyarrow")
    import dask

    if kind not in ("facts", "records"):
        raise ValueError(f"kind must be 'facts' or 'records', not {kind!r}")
    Path(path).mkdir(parents=True, exist_ok=True)
    writes = [
        dask.delayed(_write_part)(part, str(path), i, kind, chunk_chars)
        for i, part in enumerate(docs.to_delayed())
    ]
    return int(sum(dask.compute(*writes)))
