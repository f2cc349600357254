"""`zhdoc batch` on the local pool and on Dask (1 and 2 workers): files/s, MB/s, scheduler overhead.

    .venv/bin/python bench/dask_throughput.py [--mb 20] [--workers 1 2] [--format records]

The archive is generated here, not committed: the bundled samples/ and the reports of
../shared/corpus/*.jsonl written out as .txt files, repeated until --mb megabytes, each
copy with a distinct last line so that content hashing does not skip it. Every run writes
into a fresh output directory. For Dask the local cluster is started before the clock
starts (its start-up is reported apart); for the local pool the clock includes starting
the pool, as `zhdoc batch` does.

Scheduler overhead per file: the same executors map a function that does nothing over as
many items as the archive has files; the time per item is what scheduling alone costs.
The projection at the end (1 M reports on 100 workers) is arithmetic on these numbers,
not a measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

from zhdoc.batch import Options, run_batch  # noqa: E402
from zhdoc.pool import run_pool  # noqa: E402


def make_archive(dest: Path, megabytes: float) -> tuple[int, int]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    for path in sorted(SHARED.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["content"])
    dest.mkdir(parents=True, exist_ok=True)
    total = files = copy = 0
    while total < megabytes * 1e6:
        folder = dest / f"copy{copy:03d}"
        folder.mkdir(exist_ok=True)
        for i, content in enumerate(texts):
            data = (content.rstrip("\n") + f"\n\n（基准副本{copy}）\n").encode("utf-8")
            (folder / f"report{i:03d}.txt").write_bytes(data)
            total += len(data)
            files += 1
        copy += 1
    return files, total


def nothing(x: int) -> int:
    return x


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--format", default="records")
    args = ap.parse_args()

    from zhdoc.dask import connect, run_dask

    tmp = Path(tempfile.mkdtemp(prefix="zhdoc-dask-bench-"))
    try:
        src = tmp / "in"
        files, size = make_archive(src, args.mb)
        print(
            f"archive: {files} files, {size / 1e6:.1f} MB ({os.cpu_count()} CPU cores, "
            f"load average {os.getloadavg()[0]:.2f} before)",
            flush=True,
        )
        rows = []
        overhead = []
        for workers in args.workers:
            out = tmp / f"local{workers}"
            s = run_batch([str(src)], Options(out_dir=str(out), fmt=args.format), workers=workers, progress=None)
            assert s.failed == 0 and s.converted == files, s
            rows.append(("local pool", workers, None, s.seconds))
            t = time.perf_counter()
            assert len(list(run_pool(range(files), nothing, workers=workers, on_crash=lambda i, e: -1))) == files
            overhead.append(("local pool", workers, {1: (time.perf_counter() - t) / files}))
            shutil.rmtree(out)

            t = time.perf_counter()
            with connect(workers=workers) as client:
                startup = time.perf_counter() - t
                out = tmp / f"dask{workers}"
                s = run_batch(
                    [str(src)], Options(out_dir=str(out), fmt=args.format), progress=None,
                    executor="dask", client=client,
                )
                assert s.failed == 0 and s.converted == files, s
                rows.append(("dask", workers, startup, s.seconds))
                idle = {}
                for per_task in (1, 8):
                    t = time.perf_counter()
                    n = len(
                        list(run_dask(range(files), nothing, client=client, on_crash=lambda i, e: -1, per_task=per_task))
                    )
                    assert n == files
                    idle[per_task] = (time.perf_counter() - t) / files
                overhead.append(("dask", workers, idle))
                shutil.rmtree(out)
            print(f"done: {workers} worker(s)", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"load average {os.getloadavg()[0]:.2f} after (other processes on the machine compete for its cores)")
    print()
    print(
        "| executor | workers | cluster start (s) | convert (s) | files/s | MB/s "
        "| scheduling only, 1 file/task (ms/file) | scheduling only, 8 files/task (ms/file) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    per_file = {}
    for (name, workers, startup, secs), (_, _, idle) in zip(rows, overhead, strict=True):
        per_file[(name, workers)] = secs * workers / files
        start = "" if startup is None else f"{startup:.1f}"
        print(
            f"| {name} | {workers} | {start} | {secs:.1f} | {files / secs:.1f} | {size / 1e6 / secs:.2f} "
            f"| {idle[1] * 1000:.2f} | {f'{idle[8] * 1000:.2f}' if 8 in idle else ''} |"
        )
    # The per-file cost from one worker: with two or more, workers here share two cores with
    # the scheduler, the client and other processes, and worker-seconds would count waiting.
    w = min(args.workers)
    cost = per_file[("dask", w)]
    dask_idle = next(idle for name, n, idle in overhead if name == "dask" and n == max(args.workers))
    print()
    print(f"seconds per file on one Dask worker: {cost:.4f} s (mean file {size / files / 1e3:.1f} kB)")
    reports, cluster = 1_000_000, 100
    compute = reports * cost / cluster
    print(
        f"projection, 1 M reports on {cluster} workers: {compute / 60:.1f} min of conversion if the per-file cost "
        f"holds, reading {reports * size / files / compute / 1e6:.0f} MB/s of inputs from the shared filesystem"
    )
    for per_task, secs in sorted(dask_idle.items()):
        sched = reports * secs
        print(
            f"  scheduling at {per_task} file(s)/task at this machine's measured rate: at least {sched / 60:.1f} min "
            f"({'not ' if sched < compute else ''}the bottleneck)"
        )


if __name__ == "__main__":
    main()
