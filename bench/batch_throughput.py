"""Throughput of `zhdoc batch` and `zhdoc index` on real reports, with peak memory per process.

    .venv/bin/python bench/batch_throughput.py [--mb 20] [--workers 1 2] [--format records]

The real reports in ../shared/corpus/*.jsonl are written out as .txt files, repeated until
the set reaches --mb megabytes; each copy gets a distinct last line so that content
hashing does not skip it. Then `zhdoc batch` runs once per --workers value while this
script samples the peak RSS (VmHWM) of the batch process and each of its workers from
/proc. Finally an index is built over the same files and a few queries are timed, warm
(in this process) and cold (a fresh `zhdoc search` process, dictionary load included).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
ZHDOC = [sys.executable, "-m", "zhdoc.cli"]
QUERIES = ["委员工作室", "政府工作报告", "国有企业改革", "提案", "经济 增长"]


def make_corpus(dest: Path, megabytes: float) -> tuple[int, int]:
    reports = []
    for path in sorted(SHARED.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            reports.append((row["title"], row["content"]))
    if not reports:
        raise SystemExit(f"no reports in {SHARED}")
    dest.mkdir(parents=True, exist_ok=True)
    total = files = copy = 0
    while total < megabytes * 1e6:
        folder = dest / f"copy{copy:03d}"
        folder.mkdir(exist_ok=True)
        for i, (_title, content) in enumerate(reports):
            data = (content.rstrip("\n") + f"\n\n（基准副本{copy}）\n").encode("utf-8")
            (folder / f"report{i:02d}.txt").write_bytes(data)
            total += len(data)
            files += 1
        copy += 1
    return files, total


def _tree(root_pid: int) -> dict[int, int]:
    """root_pid and all its descendants, each with its parent, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out: dict[int, int] = {root_pid: 0}
    todo = [root_pid]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            out[child] = pid
            todo.append(child)
    return out


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """utime + stime of a live process, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _hwm_kb(pid: int) -> tuple[int, str] | None:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
            status = fh.read()
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]), cmd
    return None


def run_measured(cmd: list[str]) -> tuple[float, dict[str, list[int]], dict[str, float]]:
    """Run cmd, sampling the peak RSS (kB) and CPU time of it and its descendants every 50 ms, by role."""
    peaks: dict[int, tuple[int, str]] = {}
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None:
        tree = _tree(proc.pid)
        parents.update(tree)
        for pid in tree:
            got = _hwm_kb(pid)
            if got and got[0] > peaks.get(pid, (0, ""))[0]:
                peaks[pid] = got
            seconds = _cpu_seconds(pid)
            if seconds is not None:
                cpu[pid] = seconds
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed ({proc.returncode}):\n{err}")
    print(err.strip().splitlines()[-1] if err.strip() else "", file=sys.stderr)
    by_role: dict[str, list[int]] = {}
    cpu_by_role: dict[str, float] = {}
    for pid, (kb, command) in peaks.items():
        if pid == proc.pid:
            role = "main"
        elif "resource_tracker" in command:
            role = "tracker"
        elif parents.get(pid) == proc.pid:
            role = "forkserver" if "forkserver" in command else "child"
        else:
            role = "worker"  # forked by the fork server
        by_role.setdefault(role, []).append(kb)
        cpu_by_role[role] = cpu_by_role.get(role, 0.0) + cpu.get(pid, 0.0)
    return elapsed, by_role, cpu_by_role


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--format", default="records")
    ap.add_argument("--keep", help="build the corpus here and keep it")
    args = ap.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="zhdoc-bench-"))
    corpus = work / "corpus"
    if not corpus.exists():
        files, size = make_corpus(corpus, args.mb)
    else:
        paths = list(corpus.rglob("*.txt"))
        files, size = len(paths), sum(p.stat().st_size for p in paths)
    print(f"corpus: {files} files, {size / 1e6:.1f} MB in {corpus}")
    results = []
    for workers in args.workers:
        out = work / f"out-{workers}"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [*ZHDOC, "batch", str(corpus), "-o", str(out), "--format", args.format]
        cmd += ["--workers", str(workers), "--no-progress"]
        elapsed, by_role, cpu_by_role = run_measured(cmd)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        row = {
            "workers": workers,
            "files": summary["files"],
            "failed": summary["failed"],
            "seconds": round(summary["seconds"], 1),
            "wall_seconds": round(elapsed, 1),
            "files_per_s": round(summary["files"] / summary["seconds"], 1),
            "mb_per_s": round(summary["bytes"] / summary["seconds"] / 1e6, 2),
            "peak_rss_mb": {role: round(max(kbs) / 1024) for role, kbs in sorted(by_role.items())},
            "processes": {role: len(kbs) for role, kbs in sorted(by_role.items())},
            # CPU seconds are what contention cannot inflate: MB per worker-CPU-second is the
            # figure to compare across machines.
            "worker_cpu_s": round(cpu_by_role.get("worker", 0.0), 1),
            "mb_per_worker_cpu_s": round(
                summary["bytes"] / 1e6 / max(cpu_by_role.get("worker", 0.0), 1e-9), 2
            ),
            "loadavg_after": open("/proc/loadavg", encoding="utf-8").read().split()[:3],
        }
        results.append(row)
        print(json.dumps(row, ensure_ascii=False))

    db = work / "index.sqlite"
    if db.exists():
        db.unlink()
    elapsed, _, _ = run_measured([*ZHDOC, "index", str(db), str(corpus), "--workers", str(max(args.workers))])
    size_mb = sum(p.stat().st_size for p in work.glob("index.sqlite*")) / 1e6
    print(json.dumps({"index_seconds": round(elapsed, 1), "index_mb": round(size_mb, 1)}))

    from zhdoc.export.fts import connect, search

    conn = connect(db, readonly=True)
    search(conn, "预热")  # load the dictionary once
    for q in QUERIES:
        times = []
        for _ in range(20):
            t = time.perf_counter()
            hits = search(conn, q, limit=10)
            times.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        subprocess.run([*ZHDOC, "search", str(db), q, "--limit", "10"], capture_output=True, check=False)
        cold = (time.perf_counter() - t) * 1000
        print(
            json.dumps(
                {
                    "query": q,
                    "hits": len(hits),
                    "warm_ms_median": round(statistics.median(times), 2),
                    "cold_cli_ms": round(cold),
                },
                ensure_ascii=False,
            )
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
