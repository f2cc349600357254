"""The wheel carries the data tables (models/ → zhdoc/models) and the type marker."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_models_and_py_typed(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True,
    )
    if build.returncode != 0 and "No module named" in build.stderr:
        pytest.skip(f"wheel build tooling missing: {build.stderr.strip()[-200:]}")
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("zhdoc-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("measure_words.txt", "organizations.tsv", "t2s_chars.tsv", "userdict.txt", "places.tsv", "DATA.md"):
        assert f"zhdoc/models/{data}" in names, data
    assert "zhdoc/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "zhdoc = zhdoc.cli:main" in text and "zhdoc_entities" in text
