"""The SQLite FTS5 index: built, updated incrementally, searched (API and CLI)."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from archive_fixtures import make_report

from zhdoc.batch import IndexOptions, build_index
from zhdoc.export.fts import connect, fts_query, search

pytestmark = pytest.mark.timeout(180)

ZHDOC = [sys.executable, "-m", "zhdoc.cli"]
EXTRA = """政协示范区提案委员会工作情况报告
各位委员：
一、提案办理情况
全年共收到提案268件，立案241件，全部办结。
二、下一步打算
深入开展“小微权力”专项民主监督，助推营商环境优化。
"""


def _index(db: Path, *inputs: Path, workers: int = 1) -> object:
    return build_index(str(db), [str(p) for p in inputs], IndexOptions(), workers=workers, progress=None)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "reports"
    src.mkdir()
    for i in range(6):
        (src / f"r{i}.txt").write_text(make_report(i), encoding="gbk" if i % 2 else "utf-8")
    return src


def test_index_build_and_search_finds_the_studio_section(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "idx.sqlite"
    report = _index(db, corpus, workers=2)
    assert report.added == 6 and report.failed == 0 and report.records > 6  # type: ignore[attr-defined]
    conn = connect(db, readonly=True)
    hits = search(conn, "委员工作室", limit=20)
    assert hits
    # Every report names its studio in （三）强化委员服务; that section must be among the hits,
    # with the full path from the report title down.
    studio_hits = [h for h in hits if h.breadcrumb[-1].startswith("（三）强化委员服务")]
    assert len(studio_hits) == 6
    hit = studio_hits[0]
    assert hit.breadcrumb[0].startswith("政协示范区第") and hit.breadcrumb[0].endswith("常务委员会工作报告")
    assert hit.breadcrumb[1].startswith("一、") and hit.breadcrumb[1].endswith("年工作回顾")
    assert "«委员工作室»" in hit.snippet
    assert hit.end > hit.start and hit.end_utf16 >= hit.end
    assert hit.paths and hit.paths[0].endswith(".txt")
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    conn.close()


def test_index_is_incremental(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "idx.sqlite"
    _index(db, corpus)
    # unchanged: nothing parsed
    again = _index(db, corpus)
    assert (again.added, again.unchanged, again.failed) == (0, 6, 0)  # type: ignore[attr-defined]

    # one new file, one changed file, one touched-but-identical file, one copy of existing content
    (corpus / "new.txt").write_text(EXTRA, encoding="utf-8")
    (corpus / "r0.txt").write_text(make_report(99).replace("委员工作室", "委员之家"), encoding="utf-8")
    r1 = corpus / "r1.txt"
    os.utime(r1, ns=(r1.stat().st_atime_ns, r1.stat().st_mtime_ns + 10_000_000_000))
    shutil.copy(corpus / "r2.txt", corpus / "copy-of-r2.txt")
    update = _index(db, corpus)
    assert update.added == 2  # type: ignore[attr-defined]  # new.txt and the changed r0.txt
    assert update.repointed == 2  # type: ignore[attr-defined]  # touched r1, copy of r2
    assert update.unchanged == 4  # type: ignore[attr-defined]  # r2..r5

    conn = connect(db, readonly=True)
    assert [h.breadcrumb[-1] for h in search(conn, "小微权力")] == ["二、下一步打算"]
    assert search(conn, "委员之家")
    studio_hits = [h for h in search(conn, "委员工作室", limit=50) if h.breadcrumb[-1].startswith("（三）")]
    assert len(studio_hits) == 5  # r0's old content is gone from the index
    (docs,) = conn.execute("SELECT count(*) FROM docs").fetchone()
    assert docs == 7  # 5 unchanged contents + new + changed r0; the copy shares r2's
    copy_hits = [h for h in search(conn, "委员工作室", limit=50) if len(h.paths) == 2]
    assert copy_hits and {Path(p).name for p in copy_hits[0].paths} == {"r2.txt", "copy-of-r2.txt"}
    conn.close()

    (corpus / "new.txt").unlink()
    pruned = build_index(str(db), [str(corpus)], IndexOptions(), workers=1, prune=True, progress=None)
    assert pruned.pruned == 1
    conn = connect(db, readonly=True)
    assert search(conn, "小微权力") == []
    conn.close()

    # The updated index holds exactly the postings of an index built afresh: deletions left nothing.
    fresh = tmp_path / "fresh.sqlite"
    _index(fresh, corpus)
    assert _vocabulary(db) == _vocabulary(fresh)


def _vocabulary(db: Path) -> list[tuple[str, int, int]]:
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, fts, 'row')")
    rows = conn.execute("SELECT term, doc, cnt FROM temp.vocab ORDER BY term").fetchall()
    conn.close()
    assert rows
    return rows


def test_facet_filters(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "idx.sqlite"
    _index(db, corpus)
    conn = connect(db, readonly=True)
    rows = conn.execute("SELECT value FROM facets WHERE kind = 'studio'").fetchall()
    if not rows:
        pytest.skip("entity extraction finds no studios yet")
    studio = rows[0][0]
    hits = search(conn, "委员", studio=studio, limit=50)
    assert hits and all(any(studio in s for s in h.facets["studios"]) for h in hits)
    (report_year,) = conn.execute(
        "SELECT report_year FROM records WHERE report_year IS NOT NULL LIMIT 1"
    ).fetchone()
    for year in (report_year, report_year - 1):  # the report's own year; a year its sections mention
        by_year = search(conn, "", year=year, limit=100)
        assert by_year
        for h in by_year:
            (own,) = conn.execute("SELECT report_year FROM records WHERE id = ?", (h.id,)).fetchone()
            assert own == year or year in h.facets["years"]
    orgs = conn.execute("SELECT value FROM facets WHERE kind = 'org'").fetchall()
    if orgs:
        org = orgs[0][0]
        assert all(
            any(org in o for o in h.facets["organizations"]) for h in search(conn, "", org=org, limit=50)
        )
    assert search(conn, "委员", studio="并不存在的工作室") == []
    conn.close()


def test_substring_fallback_when_segmentation_disagrees(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "idx.sqlite"
    _index(db, corpus)
    conn = connect(db, readonly=True)
    # "员工作" is no word in either segmentation, but it is in the text.
    hits = search(conn, "员工作", limit=3)
    assert hits and all(h.via == "substring" and "«员工作»" in h.snippet for h in hits)
    assert search(conn, "委员工作室")[0].via == "fts"
    assert search(conn, "员 工作 量子", limit=3) == []  # several words: no substring scan
    conn.close()


def test_query_is_segmented_and_quoted() -> None:
    assert fts_query("委员工作室") == '"委员" AND "工作室"'
    assert fts_query('提案 OR "x') == '"提案" AND "OR" AND "x"'  # no FTS5 syntax gets through
    assert fts_query("，。") is None


@pytest.mark.slow
def test_cli_index_and_search(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "cli.sqlite"
    built = subprocess.run(
        [*ZHDOC, "index", str(db), str(corpus), "--workers", "2"], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    assert "6 indexed" in built.stderr
    found = subprocess.run(
        [*ZHDOC, "search", str(db), "委员工作室", "--json", "--limit", "3"], capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert len(hits) == 3 and {"breadcrumb", "snippet", "start", "end", "start_utf16", "score"} <= set(
        hits[0]
    )
    text = subprocess.run(
        [*ZHDOC, "search", str(db), "委员工作室", "--limit", "2"], capture_output=True, text=True
    )
    assert text.returncode == 0 and "1. " in text.stdout and "«" in text.stdout and " › " in text.stdout
    none = subprocess.run([*ZHDOC, "search", str(db), "量子计算机"], capture_output=True, text=True)
    assert none.returncode == 1 and "no hits" in none.stderr
    missing = subprocess.run(
        [*ZHDOC, "search", str(tmp_path / "nope.sqlite"), "x"], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "zhdoc index" in missing.stderr


def test_index_reports_bad_inputs_and_goes_on(tmp_path: Path, corpus: Path) -> None:
    (corpus / "bad.txt").write_bytes(bytes(range(256)) * 10)
    db = tmp_path / "idx.sqlite"
    report = _index(db, corpus)
    assert report.added == 6 and report.failed == 1  # type: ignore[attr-defined]
    assert "bad.txt" in report.errors[0][0]  # type: ignore[attr-defined]


def test_not_an_index_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(ValueError, match="not a zhdoc index"):
        connect(other, readonly=True)
