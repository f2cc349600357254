"""The local executor: a process pool that maps one function over many items, lazily and safely.

It knows nothing about conversion: :func:`zhdoc.batch.run_batch` and
:func:`zhdoc.indexing.build_index` hand it their unit of work. Dask's executor
(:mod:`zhdoc.dask`) schedules the same unit of work on a cluster.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

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
                "zhdoc.pool",
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
