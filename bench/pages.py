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
#: Fresh sets gathered the same way later (each with a manifest.json: address, query, rank, sha1),
#: annotated before zhdoc ever ran on them; each is untouched until its first measurement, then
#: development data (docs/pages-eval-log.md says which is which). Split name → (annotations, texts).
_CACHE = Path(os.environ.get("ZHDOC_PAGES_CACHE", Path.home() / ".cache" / "zhdoc"))
FRESH_SETS = {name: (ROOT / "tests" / "annotations" / f"cppcc_pages_{name}", _CACHE / f"cppcc_pages_{name}")
              for name in ("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11")}
FRESH_ANNOTATIONS, FRESH_DIR = FRESH_SETS["fresh"]


def split_of(page_id: str) -> str:
    return "untouched" if int(page_id) % 4 == 0 else "dev"


def ws_sha1(text: str) -> str:
    """sha1 with every whitespace character but newline mapped to a space: copies of a page may
    differ in which spaces they hold (no-break, ideographic), never in their count."""
    return hashlib.sha1("".join(" " if c.isspace() and c != "\n" else c for c in text).encode()).hexdigest()


def load_pages(pages_dir: Path = PAGES_DIR, annotations: Path = ANNOTATIONS,
               fresh: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Annotated pages whose text is present and matches its sha1, and why others were left out.
    ``fresh``: the name of a fresh set (its split)."""
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
        pages.append({**ann, "split": fresh or split_of(ann["id"]), "text": text})
    return pages, missing


def load_fresh_pages() -> tuple[list[dict[str, Any]], list[str]]:
    """Every fresh set's pages (split = the set's name) and why others were left out."""
    pages: list[dict[str, Any]] = []
    missing: list[str] = []
    for name, (notes, texts) in FRESH_SETS.items():
        got, lost = load_pages(texts, notes, fresh=name)
        pages += got
        missing += lost
    return pages, missing
