"""zhdoc batch: many generated files (some corrupt), resumability after SIGKILL, bounded pool."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from archive_fixtures import (
    build_numbered_docx,
    crash_on_three,
    hang_on_three,
    html_page,
    make_report,
    minimal_pdf,
)

from zhdoc.batch import Options, Result, _clean_stale_tmp, _open_tmp, iter_inputs, run_batch, run_pool

ZHDOC = [sys.executable, "-m", "zhdoc.cli"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_corpus(root: Path, n_good_text: int = 150) -> tuple[set[str], set[str]]:
    """200 inputs in nested folders: 180 good (text in four encodings, HTML, .docx, PDF), 20 bad.

    Returns (sha256 of each good input, paths of the bad ones).
    """
    encodings = ["utf-8", "gbk", "utf-16", "utf-8-sig"]
    good: set[str] = set()
    bad: set[str] = set()
    for i in range(n_good_text):
        folder = root / ("a" if i % 3 == 0 else "a/b" if i % 3 == 1 else "c")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"report{i:03d}.txt"
        path.write_bytes(make_report(i).encode(encodings[i % 4]))
        good.add(_sha(path))
    (root / "web").mkdir(exist_ok=True)
    for i in range(20):
        path = root / "web" / f"page{i:02d}.html"
        path.write_bytes(html_page(make_report(1000 + i), charset="gbk").encode("gbk"))
        good.add(_sha(path))
    (root / "word").mkdir(exist_ok=True)
    for i in range(5):
        path = root / "word" / f"numbered{i}.docx"
        build_numbered_docx(path, extra=f"附件{i}：委员工作室名单")
        good.add(_sha(path))
    for i in range(5):
        path = root / "word" / f"scan{i}.pdf"
        path.write_bytes(minimal_pdf(make_report(2000 + i).split("\n\n")))
        good.add(_sha(path))
    broken = root / "broken"
    broken.mkdir(exist_ok=True)
    docx_bytes = (root / "word" / "numbered0.docx").read_bytes()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b" " * (20 * 1024 * 1024))
    bad_files = {
        "binary.txt": bytes(range(256)) * 8,
        "image.txt": b"\x89PNG\r\n\x1a\n" + os.urandom(64),
        "cut.docx": docx_bytes[: len(docx_bytes) // 3],
        "bomb.docx": bomb.getvalue(),
        "fake.pdf": b"%PDF-1.4\n" + os.urandom(256),
        "scanned.pdf": minimal_pdf(["", ""]),
        "legacy.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
        "legacy.wps": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 64,
        "huge.txt": ("委员" * 200_000).encode("utf-8"),  # over the --max-bytes given below
    }
    for i in range(11):
        bad_files[f"noise{i:02d}.txt"] = os.urandom(512) + b"\x00\x00\x00" + os.urandom(512)
    for name, data in bad_files.items():
        (broken / name).write_bytes(data)
        bad.add(str(broken / name))
    # Never inputs: hidden files and unknown extensions are not picked up from directories.
    (root / ".hidden.txt").write_text("不应读取", encoding="utf-8")
    (root / "notes.xlsx").write_bytes(b"PK\x03\x04")
    assert len(good) + len(bad) == 200
    return good, bad


def _outputs(out: Path, suffix: str = ".records.jsonl") -> dict[str, Path]:
    return {
        p.name[: -len(suffix)]: p
        for p in out.iterdir()
        if p.name.endswith(suffix) and not p.name.startswith(".")
    }


def _check_complete_jsonl(path: Path) -> int:
    data = path.read_text(encoding="utf-8")
    assert data.endswith("\n"), path
    lines = data.split("\n")[:-1]
    for line in lines:
        json.loads(line)
    return len(lines)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_batch_of_200_files_with_corrupt_ones(tmp_path: Path) -> None:
    good, bad = make_corpus(tmp_path / "in")
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            *ZHDOC,
            "batch",
            str(tmp_path / "in"),
            "-o",
            str(out),
            "--format",
            "records",
            "--workers",
            "2",
            "--max-bytes",
            "200000",
        ],
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert proc.returncode == 1, proc.stderr  # failures happened and the status says so
    assert "200 files (180 converted, 0 already done, 20 failed)" in proc.stderr
    assert "files/s" in proc.stderr and "MB/s" in proc.stderr
    outputs = _outputs(out)
    assert set(outputs) == good
    assert all(_check_complete_jsonl(p) > 0 for p in outputs.values())
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {e["input"] for e in errors} == bad
    by_name = {Path(e["input"]).name: e for e in errors}
    assert by_name["legacy.doc"]["error"] == "UnsupportedFormatError"
    assert "libreoffice" in by_name["legacy.wps"]["message"]
    assert by_name["bomb.docx"]["error"] == "UnsafeInputError"
    assert by_name["huge.txt"]["error"] == "InputTooLargeError"
    assert "OCR" in by_name["scanned.pdf"]["message"]
    manifest = [
        json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(manifest) == 180 and {m["sha256"] for m in manifest} == good
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["converted"] == 180 and summary["failed"] == 20 and summary["sections"] > 0
    assert not [p for p in out.iterdir() if p.name.startswith(".zhdoc-tmp-")]

    # A rerun converts nothing, rewrites nothing, and still reports the failures.
    mtimes = {p: p.stat().st_mtime_ns for p in outputs.values()}
    again = subprocess.run(
        [
            *ZHDOC,
            "batch",
            str(tmp_path / "in"),
            "-o",
            str(out),
            "--format",
            "records",
            "--workers",
            "2",
            "--max-bytes",
            "200000",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert again.returncode == 1
    assert "(0 converted, 180 already done, 20 failed)" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in _outputs(out).values()} == mtimes
    assert len((out / "errors.jsonl").read_text(encoding="utf-8").splitlines()) == 20


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_batch_killed_with_sigkill_then_rerun(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    good: set[str] = set()
    for i in range(160):
        path = src / f"r{i:03d}.txt"
        path.write_text("\n\n".join(make_report(i * 7 + k) for k in range(4)), encoding="utf-8")
        good.add(_sha(path))
    out = tmp_path / "out"
    cmd = [
        *ZHDOC,
        "batch",
        str(src),
        "-o",
        str(out),
        "--format",
        "records",
        "--workers",
        "2",
        "--no-progress",
    ]
    # A session of its own, so SIGKILL reaches the pool's workers too (as when a job is killed).
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and len(_outputs(out)) >= 12:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the batch finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    done_before = _outputs(out)
    assert 12 <= len(done_before) < len(good)
    for path in done_before.values():  # nothing half-written under a final name
        _check_complete_jsonl(path)

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=280)
    assert rerun.returncode == 0, rerun.stderr
    outputs = _outputs(out)
    assert set(outputs) == good  # exactly one complete output per good input
    for path in outputs.values():
        _check_complete_jsonl(path)
    assert not [p for p in out.iterdir() if p.name.startswith(".zhdoc-tmp-")]
    skipped = len(done_before)
    assert f"{len(good) - skipped} converted, {skipped} already done, 0 failed" in rerun.stderr


@pytest.mark.timeout(120)
def test_batch_formats_es_bulk_and_facts(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"r{i}.txt").write_text(make_report(i), encoding="utf-8")
    bulk = run_batch(
        [str(src)], Options(out_dir=str(tmp_path / "es"), fmt="es-bulk"), workers=2, progress=None
    )
    assert bulk.converted == 4 and bulk.failed == 0
    files = sorted((tmp_path / "es").glob("*.es.ndjson"))
    assert len(files) == 4
    for path in files:
        data = path.read_text(encoding="utf-8")
        assert data.endswith("\n")
        lines = data.split("\n")[:-1]
        assert len(lines) % 2 == 0
        for i in range(0, len(lines), 2):
            action, source = json.loads(lines[i]), json.loads(lines[i + 1])
            assert action["index"]["_id"] == source["id"] and action["index"]["_index"] == "zhdoc"

    facts = run_batch(
        [str(src)], Options(out_dir=str(tmp_path / "facts"), fmt="facts"), workers=1, progress=None
    )
    assert facts.merged[0] == "facts.csv"
    per_input = sorted((tmp_path / "facts").glob("*.facts.csv"))
    assert len(per_input) == 4
    with (tmp_path / "facts" / "facts.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == facts.items == facts.entities
    assert {r["source_name"] for r in rows} == {f"r{i}.txt" for i in range(4)}


@pytest.mark.timeout(60)
def test_iter_inputs_files_dirs_globs(tmp_path: Path) -> None:
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "x.txt").write_text("一", encoding="utf-8")
    (tmp_path / "d" / "e" / "y.html").write_text("<p>二</p>", encoding="utf-8")
    (tmp_path / "d" / "e" / "z.jpg").write_bytes(b"")
    (tmp_path / "d" / ".git").mkdir()
    (tmp_path / "d" / ".git" / "h.txt").write_text("x", encoding="utf-8")
    (tmp_path / "d" / "out").mkdir()
    (tmp_path / "d" / "out" / "o.txt").write_text("x", encoding="utf-8")
    (tmp_path / "f.weird").write_text("三", encoding="utf-8")
    found = list(
        iter_inputs(
            [
                str(tmp_path / "d"),
                str(tmp_path / "f.weird"),
                str(tmp_path / "*.weird"),
                str(tmp_path / "missing.txt"),
            ],
            exclude=[tmp_path / "d" / "out"],
        )
    )
    names = [p.relative_to(tmp_path).as_posix() for p in found]
    assert names == ["d/x.txt", "d/e/y.html", "f.weird", "f.weird", "missing.txt"]


@pytest.mark.timeout(120)
def test_missing_input_is_an_error_not_a_crash(tmp_path: Path) -> None:
    summary = run_batch(
        [str(tmp_path / "nope.txt")], Options(out_dir=str(tmp_path / "o")), workers=1, progress=None
    )
    assert summary.failed == 1
    error = json.loads((tmp_path / "o" / "errors.jsonl").read_text(encoding="utf-8"))
    assert error["error"] == "FileNotFoundError"


@pytest.mark.timeout(120)
def test_pool_isolates_the_input_that_kills_its_worker() -> None:
    results = dict(
        run_pool(
            range(8),
            crash_on_three,
            workers=2,
            on_crash=lambda item, exc: -1,
        )
    )
    assert results == {0: 0, 1: 2, 2: 4, 3: -1, 4: 8, 5: 10, 6: 12, 7: 14}


@pytest.mark.timeout(60)
def test_pool_abandons_an_input_that_hangs() -> None:
    started = time.monotonic()
    results = dict(
        run_pool(
            range(8),
            hang_on_three,
            workers=2,
            on_crash=lambda item, exc: type(exc).__name__,  # type: ignore[arg-type,return-value]
            timeout=2.0,
        )
    )
    assert results == {0: 0, 1: 2, 2: 4, 3: "TimeoutError", 4: 8, 5: 10, 6: 12, 7: 14}
    assert time.monotonic() - started < 30


@pytest.mark.timeout(120)
def test_pool_keeps_a_bounded_number_in_flight() -> None:
    pulled = 0

    def source():  # type: ignore[no-untyped-def]
        nonlocal pulled
        for i in range(50):
            pulled += 1
            yield i

    it = run_pool(source(), abs, workers=2, on_crash=lambda i, e: -1, in_flight=4)
    next(it)
    assert pulled <= 5  # 4 in flight plus the one just returned: the input is not read ahead
    rest = list(it)
    assert len(rest) == 49
    assert isinstance(Result(input="x", status="ok"), Result)


@pytest.mark.timeout(30)
def test_stale_temporary_files_are_removed_live_ones_kept(tmp_path: Path) -> None:
    stale = tmp_path / ".zhdoc-tmp-999999-dead.records.jsonl"
    stale.write_text("{half", encoding="utf-8")  # a killed writer: nobody holds its lock
    live = tmp_path / ".zhdoc-tmp-1-live.records.jsonl"
    with _open_tmp(live) as fh:  # a concurrent writer holding the lock
        fh.write("{}")
        _clean_stale_tmp(tmp_path)
        assert live.exists()
    assert not stale.exists()
