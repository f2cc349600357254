"""The structure stage's outputs on every readable text equal the stored reference.

A change that means to alter structure output regenerates the reference on purpose
(``python bench/output_hashes.py --write``) and says in its commit which texts changed and why;
a refactor leaves it alone.
"""

from __future__ import annotations

import json
import sys

import pytest
from conftest import ROOT, SHARED

sys.path.insert(0, str(ROOT / "bench"))
from output_hashes import STORED, digest, texts

REFERENCE = json.loads(STORED.read_text(encoding="utf-8"))
TEXTS = dict(texts())


@pytest.mark.parametrize("name", sorted(REFERENCE), ids=str)
def test_structure_output_unchanged(name: str) -> None:
    if not name.startswith("samples/") and not SHARED.exists():
        pytest.skip("../shared is not beside this checkout (real reports are not bundled)")
    text = TEXTS.get(name)
    assert text is not None, f"{name} is in the reference but no longer readable"
    assert digest(text, extract=False) == REFERENCE[name]["structure"], (
        f"structure output of {name} changed; if intended, run bench/output_hashes.py --write"
    )
