"""The hand annotations of the real CPPCC pages are well-formed, and match the gathered texts.

The texts are not in the repository (third-party pages): tests that need them read them from
ZHDOC_PAGES_DIR (default ~/.cache/zhdoc/cppcc_pages) and skip, saying why, when absent.
"""

from __future__ import annotations

import json
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from pages import ANNOTATIONS, FRESH_SETS, PAGES_DIR, load_fresh_pages, load_pages, split_of

FILES = sorted(ANNOTATIONS.glob("*.json"))
FRESH_FILES = sorted(f for ann, _ in FRESH_SETS.values() for f in ann.glob("[0-9]*.json"))
SHARED_PAGES = ROOT.parent / "shared" / "corpus" / "cppcc_pages"
HEADING_KINDS = {"numbered", "run_in", "unnumbered", "lead_line"}
TITLE_KINDS = {"title", "subtitle", "speaker", "dateline", "salutation", "headline", "session_line"}
MATERIAL_KINDS = {"breadcrumb", "widget", "source", "byline", "stamp", "caption", "wrapper", "teaser",
                  "footer", "nav", "other"}


def test_forty_pages_are_annotated() -> None:
    assert [f.stem for f in FILES] == [f"{i:02d}" for i in range(1, 41)]


@pytest.mark.parametrize("name", sorted(FRESH_SETS))
def test_fresh_pages_are_new_and_never_reserved(name: str) -> None:
    """A fresh set (gathered by a helper that skipped the reserved addresses): every page
    annotated, none of them in an earlier set nor an address reserved for the acceptance test."""
    annotations, _ = FRESH_SETS[name]
    manifest = json.loads((annotations / "manifest.json").read_text(encoding="utf-8"))
    assert [m["id"] for m in manifest] == sorted((f.stem for f in annotations.glob("[0-9]*.json")), key=int)
    if not SHARED_PAGES.is_dir():
        pytest.skip(f"{SHARED_PAGES} is not beside the repository")
    reserved = set((SHARED_PAGES / "EXCLUDED_URLS.txt").read_text(encoding="utf-8").split())
    known = {p["url"] for p in json.loads((SHARED_PAGES / "manifest.json").read_text(encoding="utf-8"))}
    for other, (ann, _) in FRESH_SETS.items():
        if other != name:
            known |= {m["url"] for m in json.loads((ann / "manifest.json").read_text(encoding="utf-8"))}
    for m in manifest:
        assert m["url"] not in reserved and m["url"] not in known, m["id"]
        assert len(m["sha1"]) == 40 and m["query"] and m["rank"] >= 1


@pytest.mark.parametrize("path", FILES + FRESH_FILES, ids=lambda p: p.stem)
def test_annotation_is_well_formed(path) -> None:  # type: ignore[no-untyped-def]
    ann = json.loads(path.read_text(encoding="utf-8"))
    fresh = path.parent != ANNOTATIONS
    assert ann["id"] == path.stem and ann["split"] == (path.parent.name.removeprefix("cppcc_pages_") if fresh
                                                      else split_of(ann["id"]))
    assert ann["genre"] in {"report", "news", "transcript", "collection"}
    for key, kinds in (("headings", HEADING_KINDS), ("title_block", TITLE_KINDS), ("page_material", MATERIAL_KINDS)):
        spans = ann[key]
        assert [s["start"] for s in spans] == sorted(s["start"] for s in spans), f"{key} not sorted"
        for s in spans:
            assert s["kind"] in kinds, f"{key}: unknown kind {s['kind']}"
            assert 0 <= s["start"] < s["end"] <= ann["chars"], f"{key}: {s} outside the page"
        for s in spans:
            assert set(s) <= {"start", "end", "kind", "level", "marker"}, "annotations hold offsets, never text"
    for h in ann["headings"]:
        assert h["level"] >= 1
    # notes describe the page in English; the page's own words stay out of the repository
    assert not any("\u4e00" <= c <= "\u9fff" for c in ann.get("notes", ""))


def test_gathered_texts_match_their_annotations() -> None:
    if not PAGES_DIR.is_dir():
        pytest.skip(f"the page texts are not gathered in {PAGES_DIR} (see ../shared/corpus/cppcc_pages/README.md)")
    pages, missing = load_pages()
    assert not missing, missing
    fresh, missing = load_fresh_pages()
    # a fresh set's texts may be absent (gathered on another machine): only a mismatch fails
    assert not [m for m in missing if "differs" in m], missing
    pages += fresh
    for page in pages:
        assert len(page["text"]) == page["chars"]
        for h in page["headings"]:
            assert not page["text"][h["start"]].isspace() and not page["text"][h["end"] - 1].isspace()


ENTITY_FIELDS = {
    "organization": {"canonical", "generic", "media", "term"},
    "date": {"value", "granularity", "relative"},
    "session": {"term", "session", "session_kind"},
    "count": {"value", "unit", "approx", "object", "formula"},
}
ENTITY_FILES = sorted((ANNOTATIONS.parent / "cppcc_pages_entities").glob("*.json"))


@pytest.mark.parametrize("path", ENTITY_FILES, ids=lambda p: p.stem)
def test_entity_annotation_is_well_formed(path) -> None:  # type: ignore[no-untyped-def]
    ann = json.loads(path.read_text(encoding="utf-8"))
    structure = json.loads((ANNOTATIONS / path.name).read_text(encoding="utf-8"))
    assert ann["id"] == path.stem and ann["chars"] == structure["chars"]
    ents = ann["entities"]
    assert [e["start"] for e in ents] == sorted(e["start"] for e in ents)
    last_end: dict[str, int] = {}
    for e in sorted(ents, key=lambda e: (e["type"], e["start"])):
        assert e["type"] in ENTITY_FIELDS, e["type"]
        assert set(e) <= {"type", "start", "end"} | ENTITY_FIELDS[e["type"]], "offsets and fields, never text"
        assert 0 <= e["start"] < e["end"] <= ann["chars"]
        assert e["start"] >= last_end.get(e["type"], 0), f"two {e['type']} entities overlap at {e['start']}"
        last_end[e["type"]] = e["end"]
