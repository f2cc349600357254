"""The real CPPCC pages (../shared/corpus/cppcc_pages): texts gathered outside the repository,
annotations in tests/annotations/cppcc_pages/ (offsets against a stated sha1, never text).

Pages whose id is divisible by 4 are the untouched set; the other 30 the dev set.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = ROOT / "tests" / "annotations" / "cppcc_pages"
#: Where the gathered texts live (see ../shared/corpus/cppcc_pages/README.md).
PAGES_DIR = Path(os.environ.get("ZHDOC_PAGES_DIR", Path.home() / ".cache" / "zhdoc" / "cppcc_pages"))
#: A second, fresh untouched set gathered the same way (its manifest.json: address, query, sha1),
#: annotated before zhdoc ever ran on it and scored once, at the end of the work it measures.
FRESH_ANNOTATIONS = ROOT / "tests" / "annotations" / "cppcc_pages_fresh"
FRESH_DIR = Path(os.environ.get("ZHDOC_FRESH_PAGES_DIR", Path.home() / ".cache" / "zhdoc" / "cppcc_pages_fresh"))


def split_of(page_id: str) -> str:
    return "untouched" if int(page_id) % 4 == 0 else "dev"


def ws_sha1(text: str) -> str:
    """sha1 with every whitespace character but newline mapped to a space: copies of a page may
    differ in which spaces they hold (no-break, ideographic), never in their count."""
    return hashlib.sha1("".join(" " if c.isspace() and c != "\n" else c for c in text).encode()).hexdigest()


def load_pages(pages_dir: Path = PAGES_DIR, annotations: Path = ANNOTATIONS,
               fresh: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
    """Annotated pages whose text is present and matches its sha1, and why others were left out.
    ``fresh``: the fresh set (all of it untouched, split "fresh")."""
    pages: list[dict[str, Any]] = []
    missing: list[str] = []
    for path in sorted(annotations.glob("[0-9]*.json")):
        ann = json.loads(path.read_text(encoding="utf-8"))
        text_path = pages_dir / f"{ann['id']}.txt"
        if not text_path.exists():
            missing.append(f"{ann['id']}: no text in {pages_dir}")
            continue
        raw = text_path.read_bytes()
        text = raw.decode("utf-8")
        if hashlib.sha1(raw).hexdigest() != ann["sha1"] and ws_sha1(text) != ann.get("sha1_ws_normalized"):
            missing.append(f"{ann['id']}: text differs from the annotated sha1")
            continue
        pages.append({**ann, "split": "fresh" if fresh else split_of(ann["id"]), "text": text})
    return pages, missing


def load_fresh_pages() -> tuple[list[dict[str, Any]], list[str]]:
    return load_pages(FRESH_DIR, FRESH_ANNOTATIONS, fresh=True)
