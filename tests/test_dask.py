"""The Dask executor and zhdoc.dask, on a LocalCluster of 2 worker processes.

They need the dask extra (``pip install 'zhdoc[dask]'``; ``make test`` installs it).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from archive_fixtures import crash_on_three, hang_on_three, make_report

from zhdoc.batch import Options, run_batch
from zhdoc.errors import ClusterError, MissingDependencyError, UnsupportedFormatError

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ZHDOC = [sys.executable, "-m", "zhdoc.cli"]

try:
    import distributed  # noqa: F401

    HAVE_DASK = True
except ImportError:
    HAVE_DASK = False
needs_dask = pytest.mark.skipif(
    not HAVE_DASK, reason="the dask extra is not installed (pip install 'zhdoc[dask]'; make test installs it)"
)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    if not HAVE_DASK:
        pytest.skip("the dask extra is not installed (pip install 'zhdoc[dask]'; make test installs it)")
    from zhdoc.dask import connect

    with connect(workers=2) as c:
        yield c


def _files(out: Path) -> dict[str, bytes]:
    """Every output file but summary.json (timing differs), by name."""
    return {
        p.name: p.read_bytes()
        for p in out.iterdir()
        if p.is_file() and p.name != "summary.json" and not p.name.startswith(".")
    }


def _sorted_lines(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").splitlines())


def _summary(out: Path) -> dict[str, Any]:
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for key in ("seconds", "executor"):
        data.pop(key)
    return data


def _assert_same_batch(local: Path, other: Path) -> None:
    a, b = _files(local), _files(other)
    assert set(a) == set(b)
    for name in ("manifest.jsonl", "errors.jsonl"):
        assert _sorted_lines(local / name) == _sorted_lines(other / name), name
    for name in set(a) - {"manifest.jsonl", "errors.jsonl"}:
        assert a[name] == b[name], name
    assert _summary(local) == _summary(other)


# ---------------------------------------------------------------- the batch executor


@needs_dask
@pytest.mark.slow
@pytest.mark.timeout(300)
def test_dask_batch_writes_what_the_local_pool_writes(tmp_path: Path, client: Any) -> None:
    from test_batch import make_corpus

    good, bad = make_corpus(tmp_path / "in")
    specs = [str(SAMPLES), str(tmp_path / "in")]

    def opts(out: str) -> Options:
        return Options(out_dir=str(tmp_path / out), fmt="records", max_bytes=200_000)

    local = run_batch(specs, opts("local"), workers=2, progress=None)
    on_dask = run_batch(specs, opts("dask"), progress=None, executor="dask", client=client)
    assert on_dask.executor == "dask" and on_dask.workers == 2
    assert local.failed == on_dask.failed == len(bad) == 20
    assert on_dask.converted == len(good) + len(list(SAMPLES.glob("*.txt")))
    _assert_same_batch(tmp_path / "local", tmp_path / "dask")
    errors = [json.loads(line) for line in _sorted_lines(tmp_path / "dask" / "errors.jsonl")]
    assert {e["input"] for e in errors} == bad

    # Resumable: a rerun on the cluster converts nothing and rewrites nothing.
    outputs = {p: p.stat().st_mtime_ns for p in (tmp_path / "dask").glob("*.records.jsonl")}
    again = run_batch(specs, opts("dask"), progress=None, executor="dask", client=client)
    assert (again.converted, again.skipped, again.failed) == (0, on_dask.converted, 20)
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "dask").glob("*.records.jsonl")} == outputs


def _worker_pids(parent: int) -> list[int]:
    """The Dask worker processes of a LocalCluster started by ``parent`` (spawned children)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b"spawn_main" in cmdline:
            pids.append(int(entry))
    return pids


def _outputs(out: Path) -> set[str]:
    if not out.exists():
        return set()
    return {
        p.name.split(".")[0]
        for p in out.iterdir()
        if p.name.endswith(".records.jsonl") and not p.name.startswith(".")  # not a temporary file
    }


def _wait_for(out: Path, n: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and len(_outputs(out)) < n:
        time.sleep(0.02)
    assert proc.poll() is None, "the batch finished before it could be killed"


@needs_dask
@pytest.mark.slow
@pytest.mark.timeout(300)
def test_worker_sigkilled_then_batch_killed_then_resumed(tmp_path: Path) -> None:
    import hashlib

    src = tmp_path / "in"
    src.mkdir()
    good: set[str] = set()
    for i in range(160):
        data = "\n\n".join(make_report(i * 7 + k) for k in range(4)).encode("utf-8")
        (src / f"r{i:03d}.txt").write_bytes(data)
        good.add(hashlib.sha256(data).hexdigest())
    out = tmp_path / "out"
    cmd = [*ZHDOC, "batch", str(src), "-o", str(out), "--format", "records"]
    cmd += ["--executor", "dask", "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for(out, 12, proc)
        workers = _worker_pids(proc.pid)
        assert len(workers) == 2, workers
        os.kill(workers[0], signal.SIGKILL)  # one worker dies mid-file; the nanny starts another
        _wait_for(out, 50, proc)  # the run goes on
        assert _worker_pids(proc.pid) and workers[0] not in _worker_pids(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # then the whole job is killed
        proc.wait(timeout=30)
    done_before = _outputs(out)
    assert 50 <= len(done_before) < len(good)

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=280)
    assert rerun.returncode == 0, rerun.stderr
    assert _outputs(out) == good  # one output per good input
    for path in out.glob("*.records.jsonl"):
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") and all(json.loads(line) for line in text.splitlines())
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    inputs = Counter(m["input"] for m in manifest)
    assert len(inputs) == 160 and set(inputs.values()) == {1}  # every input exactly once
    assert {m["sha256"] for m in manifest} == good
    assert not [p for p in out.iterdir() if p.name.startswith(".zhdoc-tmp-")]
    n = len(done_before)
    assert f"{160 - n} converted, {n} already done, 0 failed" in rerun.stderr


@needs_dask
@pytest.mark.timeout(120)
def test_run_dask_reports_a_worker_killer_and_a_hang_and_goes_on(tmp_path: Path, client: Any) -> None:
    from zhdoc.dask import run_dask

    crashed = dict(run_dask(range(8), crash_on_three, client=client, on_crash=lambda i, e: type(e).__name__))
    assert crashed == {0: 0, 1: 2, 2: 4, 3: "KilledWorker", 4: 8, 5: 10, 6: 12, 7: 14}

    started = time.monotonic()
    hung = dict(
        run_dask(
            range(8),
            hang_on_three,
            client=client,
            on_crash=lambda i, e: type(e).__name__,
            timeout=2.0,
            marker_dir=tmp_path,
        )
    )
    assert hung == {0: 0, 1: 2, 2: 4, 3: "TimeoutError", 4: 8, 5: 10, 6: 12, 7: 14}
    assert time.monotonic() - started < 60
    assert list(tmp_path.iterdir()) == []  # the timeout marker is gone


@needs_dask
@pytest.mark.timeout(120)
def test_run_dask_with_several_items_per_task(tmp_path: Path, client: Any) -> None:
    from zhdoc.dask import run_dask

    # One task at a time: [0], then [1, 2, 3], [4, 5, 6], [7]; item 3 shares its task with 1 and 2.
    def run(fn: Any, **kw: Any) -> list[tuple[int, Any]]:
        return list(
            run_dask(range(8), fn, client=client, on_crash=lambda i, e: type(e).__name__, per_task=3, in_flight=1, **kw)
        )

    crashed = run(crash_on_three)
    assert sorted(crashed, key=lambda t: t[0]) == [(0, 0), (1, 2), (2, 4), (3, "KilledWorker"), (4, 8), (5, 10), (6, 12), (7, 14)]
    hung = run(hang_on_three, timeout=2.0, marker_dir=tmp_path)
    # the retry after the timeout keeps what the task had done before the item and goes on after it
    assert hung == [(0, 0), (1, 2), (2, 4), (3, "TimeoutError"), (4, 8), (5, 10), (6, 12), (7, 14)]
    assert list(tmp_path.iterdir()) == []


@needs_dask
@pytest.mark.timeout(120)
def test_batch_timeout_on_dask_is_the_local_pools_record(tmp_path: Path, client: Any) -> None:
    # 0.05 s is less than a fresh worker needs to import the parser, so every file runs over.
    files = sorted(SAMPLES.glob("*.txt"))[:2]
    opts = Options(out_dir=str(tmp_path / "out"), fmt="json", timeout=0.05)
    summary = run_batch([str(f) for f in files], opts, progress=None, executor="dask", client=client)
    assert (summary.converted, summary.failed) == (0, 2)
    errors = [json.loads(line) for line in _sorted_lines(tmp_path / "out" / "errors.jsonl")]
    assert [e["input"] for e in errors] == [str(f) for f in files]
    for e, f in zip(errors, files, strict=True):
        assert e["error"] == "Timeout"
        assert e["message"] == f"{f}: still running after 0.05 s; its worker was killed"
    # no output, and no timeout marker left behind
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["errors.jsonl", "manifest.jsonl", "summary.json"]


@pytest.mark.timeout(30)
def test_a_retry_after_a_timeout_reuses_the_tasks_finished_items_whatever_the_grouping(tmp_path: Path) -> None:
    import pickle

    from zhdoc.dask import TimedOut, _key, _marker, guarded

    calls: list[int] = []

    def double(x: int) -> int:
        calls.append(x)
        return x * 2

    # What a worker that ran [1, 2, 3] leaves when 3 runs out of time: 1 and 2 were finished.
    _marker(str(tmp_path), 3).write_bytes(pickle.dumps({_key(1): 2, _key(2): 4}))
    assert guarded(double, [1, 2, 3, 4], 5.0, str(tmp_path)) == [2, 4, TimedOut(5.0), 8]
    assert calls == [4]  # neither the finished items nor the slow one ran again
    # After a KilledWorker the task is split one item per task: the slow item alone.
    assert guarded(double, [3], 5.0, str(tmp_path)) == [TimedOut(5.0)]
    assert guarded(double, [2], 5.0, str(tmp_path)) == [4]  # no marker of its own: it runs
    assert calls == [4, 2]


@needs_dask
@pytest.mark.timeout(120)
def test_run_dask_keeps_a_bounded_window(client: Any) -> None:
    from zhdoc.dask import run_dask

    pulled = 0

    def source() -> Iterator[int]:
        nonlocal pulled
        for i in range(50):
            pulled += 1
            yield i

    it = run_dask(source(), abs, client=client, on_crash=lambda i, e: -1, in_flight=4)
    first = next(it)
    assert pulled <= 5  # 4 in flight plus one refilled: the input is not read ahead
    assert sorted([first[1], *(v for _, v in it)]) == list(range(50))


@needs_dask
@pytest.mark.timeout(120)
def test_crash_record_is_the_local_pools(tmp_path: Path) -> None:
    from distributed.scheduler import KilledWorker

    from zhdoc.batch import _crash_result, error_row

    a = error_row(_crash_result(Path("x.txt"), KilledWorker("k", None, 3)))
    from concurrent.futures.process import BrokenProcessPool

    b = error_row(_crash_result(Path("x.txt"), BrokenProcessPool("pool broke")))
    assert a == b and a["error"] == "WorkerCrashed"


@needs_dask
@pytest.mark.timeout(120)
def test_cli_on_an_existing_cluster_with_relative_paths(tmp_path: Path, client: Any) -> None:
    # The cluster's workers run in another working directory than the command: relative
    # inputs and OUT_DIR must still name the same files for them.
    shutil.copytree(SAMPLES, tmp_path / "in")
    address = client.scheduler.address
    cmd = [*ZHDOC, "batch", "in", "-o", "out", "--executor", "dask", "--scheduler", address, "--format", "json"]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=100)
    assert proc.returncode == 0, proc.stderr
    assert f"Dask scheduler {address}, 2 worker(s)" in proc.stderr
    n = len(list(SAMPLES.glob("*.txt")))
    assert f"{n} files ({n} converted, 0 already done, 0 failed)" in proc.stderr
    assert len([p for p in (tmp_path / "out").glob("*.json") if p.name != "summary.json"]) == n
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["executor"] == "dask"


# ---------------------------------------------------------------- the library


@needs_dask
@pytest.mark.timeout(180)
def test_parse_files_composes_with_bag_map_and_filter(tmp_path: Path, client: Any) -> None:
    from zhdoc.dask import parse_files
    from zhdoc.export.records import iter_records
    from zhdoc.pipeline import parse_file

    samples = sorted(SAMPLES.glob("*.txt"))
    docs = parse_files([SAMPLES], client)
    several = (
        docs.map(lambda d: (d.source.name, len(d.reports), len(d.text)))
        .filter(lambda t: t[1] >= 1 and t[2] > 100)
        .compute()
    )
    expected = [(p.name, len(d.reports), len(d.text)) for p in samples for d in [parse_file(p)]]
    assert sorted(several) == sorted(t for t in expected if t[1] >= 1 and t[2] > 100)
    assert len(several) >= 5

    ids = parse_files(samples[:3], client, records=True).pluck("id").compute()
    assert sorted(ids) == sorted(r.id for p in samples[:3] for r in iter_records(parse_file(p)))

    bad = tmp_path / "bad.txt"
    bad.write_bytes(os.urandom(512) + b"\x00\x00\x00" + os.urandom(512))
    with pytest.raises(UnsupportedFormatError, match=r"bad\.txt"):
        parse_files([bad, samples[0]], client).compute()
    assert [d.source.name for d in parse_files([bad, samples[0]], client, on_error="skip")] == [samples[0].name]


def _norm(row: dict[str, Any]) -> tuple[Any, ...]:
    """A fact row from CSV (text) or Parquet (typed) as comparable values."""
    from zhdoc.export.facts import COLUMNS

    out = []
    for col in COLUMNS:
        v = row.get(col)
        if col in ("report_index", "start", "end", "start_utf16", "end_utf16"):
            out.append(int(v))
        elif col in ("number", "value_max"):
            out.append(None if v in (None, "") else float(v))
        else:
            out.append("" if v is None else str(v))
    return tuple(out)


@needs_dask
@pytest.mark.timeout(180)
def test_parquet_dataset_has_the_facts_csv_rows(tmp_path: Path, client: Any) -> None:
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from zhdoc.dask import NO_BODY, parse_files, write_parquet

    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    # neither a date nor a body: the rows go to year=0/body=unknown
    (inputs / "bare.txt").write_text("关于提案工作的报告\n\n一、总体情况\n\n今年共收到提案120件，立案98件。\n", encoding="utf-8")
    local = run_batch([str(inputs)], Options(out_dir=str(tmp_path / "local"), fmt="facts"), workers=2, progress=None)
    on_dask = run_batch(
        [str(inputs)], Options(out_dir=str(tmp_path / "dask"), fmt="facts"), progress=None, executor="dask", client=client
    )
    assert local.merged == on_dask.merged == ["facts.csv", "facts.parquet"]
    _assert_same_batch(tmp_path / "local", tmp_path / "dask")  # facts.csv and facts.parquet byte for byte

    with (tmp_path / "local" / "facts.csv").open(encoding="utf-8-sig", newline="") as fh:
        csv_rows = Counter(_norm(r) for r in csv.DictReader(fh))
    n = write_parquet(parse_files([inputs], client), tmp_path / "facts_ds")
    assert n == sum(csv_rows.values()) > 100
    table = ds.dataset(tmp_path / "facts_ds", format="parquet", partitioning="hive").to_table()
    rows = [{**r, "body": "" if r["body"] == NO_BODY else r["body"]} for r in table.to_pylist()]
    assert Counter(_norm(r) for r in rows) == csv_rows
    assert {(r["year"], r["body"]) for r in table.to_pylist() if r["source_name"] == "bare.txt"} == {(0, NO_BODY)}
    # The way pandas reads it: partition keys as dictionaries, which must hold no null.
    as_pandas_reads = pq.read_table(tmp_path / "facts_ds")
    assert as_pandas_reads.num_rows == n
    assert as_pandas_reads.column("body").null_count == as_pandas_reads.column("year").null_count == 0
    try:
        import pandas as pd
    except ImportError:  # not a dependency of zhdoc[dask]; the check above is what it needs
        pass
    else:
        assert len(pd.read_parquet(tmp_path / "facts_ds")) == n
    years = {p.name for p in (tmp_path / "facts_ds").iterdir()}
    assert any(y.startswith("year=20") for y in years)
    assert all(any(c.name.startswith("body=") for c in (tmp_path / "facts_ds" / y).iterdir()) for y in years)

    n_rec = write_parquet(parse_files([inputs], client), tmp_path / "records_ds", kind="records")
    records = ds.dataset(tmp_path / "records_ds", format="parquet", partitioning="hive").to_table()
    assert records.num_rows == n_rec == sum(1 for p in inputs.glob("*.txt") for _ in _records_of(p))
    assert json.loads(records.column("facets")[0].as_py()) is not None
    as_pandas_reads = pq.read_table(tmp_path / "records_ds")
    assert as_pandas_reads.column("body").null_count == as_pandas_reads.column("year").null_count == 0


def _records_of(path: Path) -> Iterator[Any]:
    from zhdoc.export.records import iter_records
    from zhdoc.pipeline import parse_file

    return iter_records(parse_file(path))


# ---------------------------------------------------------------- setup errors and imports


@pytest.mark.timeout(60)
def test_scheduler_and_workers_together_is_a_usage_error(tmp_path: Path) -> None:
    cmd = [*ZHDOC, "batch", str(SAMPLES), "-o", str(tmp_path / "o"), "--executor", "dask"]
    both = subprocess.run([*cmd, "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], capture_output=True, text=True)
    assert both.returncode == 2 and "--workers does not apply with --scheduler" in both.stderr
    local = subprocess.run([*cmd[:-2], "--scheduler", "tcp://127.0.0.1:1"], capture_output=True, text=True)
    assert local.returncode == 2 and "--scheduler needs --executor dask" in local.stderr
    assert not (tmp_path / "o").exists()


@needs_dask
@pytest.mark.timeout(60)
def test_unreachable_scheduler_is_a_typed_error() -> None:
    from zhdoc.dask import connect

    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:1 .*dask scheduler"):
        with connect("tcp://127.0.0.1:1", connect_timeout=1.0):
            pass


@needs_dask
@pytest.mark.timeout(60)
def test_a_cluster_without_workers_is_a_typed_error_not_a_hang() -> None:
    from distributed import LocalCluster

    from zhdoc.dask import connect

    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty:
        with pytest.raises(ClusterError, match="has no workers after 1 s; start some with `dask worker"):
            with connect(empty.scheduler_address, connect_timeout=1.0):
                pass


@pytest.mark.timeout(60)
def test_missing_extra_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhdoc import dask as zdask

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(MissingDependencyError, match=r"pip install 'zhdoc\[dask\]'"):
        with zdask.connect(workers=1):
            pass


@pytest.mark.timeout(60)
def test_import_zhdoc_does_not_load_dask() -> None:
    code = "import sys, zhdoc, zhdoc.batch, zhdoc.cli; print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
