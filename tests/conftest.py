"""Shared fixtures: paths to the bundled samples and to ../shared (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_fd64010ca59028d2.txt"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared/seed is not beside this checkout (real reports are not bundled)")
    return SEED.open(encoding="utf-8", newline="").read()


@pytest.fixture(scope="session")
def corpus_records() -> list[dict]:
    if not CORPUS.exists():
        pytest.skip("../shared/corpus is not beside this checkout (real reports are not bundled)")
    out = []
    for f in sorted(CORPUS.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            out.append(json.loads(line))
    return out


def flatten(sections):  # type: ignore[no-untyped-def]
    out = []
    for s in sections:
        out.append(s)
        out.extend(flatten(s.children))
    return out
