"""`make eval`: zhdoc against hand-checked expected outputs.

Scores, per entity type, precision/recall/F1 with exact spans and with overlapping spans, and
field accuracy on exact matches; and heading precision/recall/F1 plus level accuracy, with the
line-based splitter (bench/linebased.py) as the comparison row. Three columns of data:
samples/ (written by the team), the seed and corpus annotations read from ../shared (the honest
ones: the extractors were not written against their text). Writes docs/eval.md.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
SHARED = ROOT.parent / "shared"

from linebased import split_headings  # noqa: E402
from pages import PAGES_DIR, load_fresh_pages, load_pages  # noqa: E402

import zhdoc  # noqa: E402

FIELDS = {
    "count": ("value", "unit", "approx", "object"),
    "date": ("value", "relative"),
    "period": ("value", "plan_number"),
    "session": ("term", "session", "session_kind"),
    "organization": ("canonical", "generic"),
    "studio": ("name", "location"),
    "person": ("name", "title"),
    "location": ("name",),
    "publication": ("title", "subtitle"),
    "slogan": ("value",),
}


def load_documents() -> list[dict[str, Any]]:
    """Each document: name, group, text, expected headings/entities, optional window."""
    docs: list[dict[str, Any]] = []
    for exp in sorted((ROOT / "samples").glob("*.expected.json")):
        data = json.loads(exp.read_text(encoding="utf-8"))
        text = (ROOT / "samples" / data["file"]).read_text(encoding="utf-8")
        docs.append({"name": data["file"], "group": "samples", "text": text,
                     "headings": data.get("headings", []), "entities": data.get("entities"), "window": None})
    seed_ann = ROOT / "tests" / "annotations" / "seed.json"
    seed = SHARED / "seed" / "000_fd64010ca59028d2.txt"
    if seed.exists() and seed_ann.exists():
        data = json.loads(seed_ann.read_text(encoding="utf-8"))
        text = seed.open(encoding="utf-8", newline="").read()
        docs.append({"name": "seed", "group": "seed", "text": text, "headings": data["headings"],
                     "entities": data["entities"], "window": None})
        seed_2026 = ROOT / "tests" / "annotations" / "seed_entities_2026.json"
        if seed_2026.exists():
            data = json.loads(seed_2026.read_text(encoding="utf-8"))
            docs.append({"name": "seed", "group": "seed (2026-12)", "text": text, "headings": None,
                         "entities": data["entities"], "window": None})
    corpus = SHARED / "corpus"
    if corpus.exists():
        lines: dict[str, list[str]] = {}

        def record(file: str, line: int) -> str:
            if file not in lines:
                lines[file] = (corpus / file).read_text(encoding="utf-8").splitlines()
            return json.loads(lines[file][line])["content"]

        # the corpus windows under the 1.0 guideline and re-annotated under the 2026-12 one
        for file, group in (("corpus_entities.json", "corpus"), ("corpus_entities_2026.json", "corpus (2026-12)")):
            ents = ROOT / "tests" / "annotations" / file
            if not ents.exists():
                continue
            for d in json.loads(ents.read_text(encoding="utf-8"))["docs"]:
                text = record(d["file"], d["line"])
                assert hashlib.sha256(text.encode()).hexdigest() == d["sha256"], "corpus changed"
                docs.append({"name": f"{d['file'].split('.')[0]}:{d['line']}", "group": group,
                             "text": text, "headings": None, "entities": d["entities"], "window": d["window"]})
        heads = ROOT / "tests" / "annotations" / "corpus_headings.json"
        if heads.exists():
            for d in json.loads(heads.read_text(encoding="utf-8"))["docs"]:
                text = record(d["file"], d["line"])
                docs.append({"name": f"{d['file'].split('.')[0]}:{d['line']}", "group": "corpus",
                             "text": text, "headings": d["headings"], "entities": None, "window": None})
    pages, _ = load_pages()
    for page in pages + load_fresh_pages()[0]:
        docs.append({"name": f"page {page['id']}", "group": f"pages ({page['split']})", "text": page["text"],
                     "headings": page["headings"], "entities": None, "window": None, "page": page})
    return docs


def flatten(sections: list[Any]) -> list[Any]:
    out = []
    for s in sections:
        out.append(s)
        out.extend(flatten(s.children))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-6
    return a == b


#: The fields scored on the real pages (docs/annotation-guidelines.md, the 2026-12 guideline).
PAGE_FIELDS = {
    "organization": ("canonical", "generic", "media", "term"),
    "date": ("value", "granularity", "relative"),
    "session": ("term", "session", "session_kind"),
    "count": ("value", "unit", "approx", "object", "formula"),
}


def score_entities(
    docs: list[dict[str, Any]], fields: dict[str, tuple[str, ...]] = FIELDS
) -> dict[str, dict[str, Any]]:
    stats: dict[str, dict[str, Any]] = defaultdict(lambda: {"tp": 0, "pred": 0, "gold": 0, "otp_p": 0,
                                                            "otp_g": 0, "fields": defaultdict(lambda: [0, 0])})
    for doc in docs:
        if doc["entities"] is None:
            continue
        parsed = zhdoc.parse(doc["text"])
        pred = [e for r in parsed.reports for e in r.entities]
        if doc["window"]:
            lo, hi = doc["window"]
            pred = [e for e in pred if lo <= e.span.start and e.span.end <= hi]
        gold = doc["entities"]
        for t in fields:
            p_t = [e for e in pred if e.type == t]
            g_t = [g for g in gold if g["type"] == t]
            st = stats[t]
            st["pred"] += len(p_t)
            st["gold"] += len(g_t)
            by_span = {(e.span.start, e.span.end): e for e in p_t}
            for g in g_t:
                e = by_span.get((g["start"], g["end"]))
                if e is not None:
                    st["tp"] += 1
                    for f in fields[t]:
                        if (f in g and g[f] is not None) or f in ("approx", "subtitle", "title", "object"):
                            if f not in g:
                                continue
                            st["fields"][f][1] += 1
                            st["fields"][f][0] += int(_same(getattr(e, f, None), g[f]))
            st["otp_g"] += sum(1 for g in g_t if any(e.span.start < g["end"] and g["start"] < e.span.end for e in p_t))
            st["otp_p"] += sum(1 for e in p_t if any(e.span.start < g["end"] and g["start"] < e.span.end for g in g_t))
    return stats


def score_headings(docs: list[dict[str, Any]]) -> dict[str, dict[str, list[float]]]:
    """Per system (zhdoc, line-based): tp, pred, gold, level-correct — matched on heading start."""
    out: dict[str, dict[str, list[float]]] = {"zhdoc": {}, "line-based": {}}
    for doc in docs:
        if doc["headings"] is None:
            continue
        gold = {h["start"]: h["level"] for h in doc["headings"]}
        parsed = zhdoc.parse(doc["text"], extract=False)
        z = {s.heading_span.start: s.level for r in parsed.reports for s in flatten(r.sections)}
        lb = {h.start: h.level for h in split_headings(doc["text"])}
        for system, pred in (("zhdoc", z), ("line-based", lb)):
            tp = [s for s in pred if s in gold]
            lv = sum(1 for s in tp if pred[s] == gold[s])
            acc = out[system].setdefault(doc["group"], [0, 0, 0, 0])
            acc[0] += len(tp)
            acc[1] += len(pred)
            acc[2] += len(gold)
            acc[3] += lv
    return out


#: Which part of zhdoc's output recognises an annotated title-block part (overlap suffices).
TITLE_BLOCK_FIELDS = {
    "title": ("title_span",), "headline": ("title_span", "meta.headline_span"),
    "subtitle": ("title_span", "meta.subtitle_span", "meta.dateline_span"),
    "session_line": ("title_span", "meta.dateline_span"), "dateline": ("meta.dateline_span",),
    "speaker": ("meta.speaker_span",), "salutation": ("meta.salutation_span",),
}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _report_spans(report: Any, path: str) -> list[tuple[int, int]]:
    obj = report
    for name in path.split("."):
        obj = getattr(obj, name, None)
    return [(obj.start, obj.end)] if obj is not None else []


def tree_spans(parsed: Any) -> list[tuple[int, int]]:
    """What a report's tree holds: titles, headings and the paragraphs of sections."""
    out: list[tuple[int, int]] = []
    for r in parsed.reports:
        if r.title_span is not None:
            out.append((r.title_span.start, r.title_span.end))
        for s in flatten(r.sections):
            out.append((s.heading_span.start, s.heading_span.end))
            out.extend((p.span.start, p.span.end) for p in s.paragraphs)
    return out


def score_pages(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per split: title-block parts recognised (by kind) and page material inside the tree
    (zhdoc: overlapping a title, heading or section paragraph; line-based: overlapping a heading)."""
    out: dict[str, dict[str, Any]] = {}
    for doc in docs:
        page = doc.get("page")
        if page is None:
            continue
        st = out.setdefault(page["split"], {"pages": 0, "by_kind": defaultdict(lambda: [0, 0]),
                                            "material": 0, "inside": 0, "inside_lb": 0, "pages_with_block": 0,
                                            "pages_block_found": 0})
        st["pages"] += 1
        parsed = zhdoc.parse(doc["text"], extract=False)
        found_any, gold_any = False, False
        for part in page["title_block"]:
            span = (part["start"], part["end"])
            hit = any(_overlaps(span, s) for r in parsed.reports for f in TITLE_BLOCK_FIELDS[part["kind"]]
                      for s in _report_spans(r, f))
            st["by_kind"][part["kind"]][0] += int(hit)
            st["by_kind"][part["kind"]][1] += 1
            gold_any, found_any = True, found_any or hit
        st["pages_with_block"] += int(gold_any)
        st["pages_block_found"] += int(found_any)
        inside = tree_spans(parsed)
        lb = [(h.start, h.end) for h in split_headings(doc["text"])]
        for m in page["page_material"]:
            span = (m["start"], m["end"])
            st["material"] += 1
            st["inside"] += int(any(_overlaps(span, s) for s in inside))
            st["inside_lb"] += int(any(_overlaps(span, s) for s in lb))
    return out


def page_lines(docs: list[dict[str, Any]]) -> list[str]:
    stats = score_pages(docs)
    if not stats:
        return ["", "## Real pages", "", f"No annotated page texts found in {PAGES_DIR} (gather them as "
                "../shared/corpus/cppcc_pages/README.md says, or set ZHDOC_PAGES_DIR)."]
    lines = ["", "## Real pages: title block and page material", "",
             "Title-block part recognised = overlapped by the report's span of its kind (title, headline, "
             "subtitle, dateline, speaker, salutation; see TITLE_BLOCK_FIELDS). Page material inside the tree = an annotated "
             "page-material span overlapping a title, heading or section paragraph (must reach 0); for the "
             "line-based splitter, overlapping one of its headings.", "",
             "| split | pages | title-block parts recognised | pages with a title block: any part found | "
             "page-material spans | inside zhdoc's tree | inside line-based headings |",
             "|---|---:|---|---|---:|---:|---:|"]
    for split in ("dev", "untouched", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11"):
        if split not in stats:
            continue
        st = stats[split]
        hit = sum(h for h, _ in st["by_kind"].values())
        tot = sum(n for _, n in st["by_kind"].values())
        kinds = ", ".join(f"{k} {h}/{n}" for k, (h, n) in sorted(st["by_kind"].items()))
        lines.append(f"| {split} | {st['pages']} | {hit}/{tot} = {hit / tot if tot else 0:.2f} ({kinds}) | "
                     f"{st['pages_block_found']}/{st['pages_with_block']} | {st['material']} | {st['inside']} | "
                     f"{st['inside_lb']} |")
    return lines


def damage_lines() -> list[str]:
    """The damage-invariance table (bench/damage_invariance.py): outline F1 of each clean corpus
    report's damaged copies against its clean outline, zhdoc beside the line-based splitter."""
    if not (SHARED / "corpus").exists():
        return []
    from damage_invariance import table

    return ["", "## Layout damage (corpus reports damaged by tests/damage.py, outline F1 against the clean text)",
            "", "Each system against its own outline of the clean text. Development figures: the layout rules were "
            "written while looking at these damaged reports.", "", *table()]


def page_entity_docs() -> list[dict[str, Any]]:
    """The real pages with their entity annotations (tests/annotations/cppcc_pages_entities/)."""
    pages, _ = load_pages()
    out = []
    for page in pages:
        path = ROOT / "tests" / "annotations" / "cppcc_pages_entities" / f"{page['id']}.json"
        if path.exists():
            ann = json.loads(path.read_text(encoding="utf-8"))
            out.append({"name": f"page {page['id']}", "split": page["split"], "text": page["text"],
                        "entities": ann["entities"], "window": None})
    return out


def jionlp_dates(docs: list[dict[str, Any]]) -> tuple[int, int, int] | None:
    """JioNLP's time expressions against the gold dates, exact spans: (tp, pred, gold); None
    when JioNLP is not installed (make eval installs it with the bench extra)."""
    try:
        import jionlp as jio
    except ImportError:
        return None
    tp = n_pred = n_gold = 0
    for doc in docs:
        gold = {(g["start"], g["end"]) for g in doc["entities"] if g["type"] == "date"}
        pred = {tuple(t["offset"]) for t in jio.ner.extract_time(doc["text"], time_base=0, with_parsing=False)}
        tp += len(gold & pred)
        n_pred += len(pred)
        n_gold += len(gold)
    return tp, n_pred, n_gold


def page_entity_lines() -> list[str]:
    docs = page_entity_docs()
    if not docs:
        return []
    lines = ["", "## Entities — real pages (2026-12 guideline: generic references, media, terms, resolved "
             "relative dates; exact spans)", ""]
    for split in ("dev", "untouched"):
        sdocs = [d for d in docs if d["split"] == split]
        if not sdocs:
            continue
        lines += [f"**{split}** ({len(sdocs)} pages)", "",
                  "| type | gold | pred | P | R | F1 | overlap R | field accuracy (exact matches) |",
                  "|---|---:|---:|---:|---:|---:|---:|---|"]
        for t, st in score_entities(sdocs, PAGE_FIELDS).items():
            p, r, f = prf(st["tp"], st["pred"], st["gold"])
            orr = st["otp_g"] / st["gold"] if st["gold"] else 0
            fa = ", ".join(f"{k} {c / n:.2f}" for k, (c, n) in st["fields"].items() if n)
            lines.append(f"| {t} | {st['gold']} | {st['pred']} | {p:.3f} | {r:.3f} | {f:.3f} | {orr:.3f} | {fa} |")
        jio = jionlp_dates(sdocs)
        if jio is not None:
            p, r, f = prf(*jio)
            lines.append(f"| date — JioNLP `extract_time` | {jio[2]} | {jio[1]} | {p:.3f} | {r:.3f} | {f:.3f} | | |")
        lines.append("")
    return lines


def main() -> int:
    docs = load_documents()
    lines: list[str] = ["# zhdoc evaluation", "", f"zhdoc {zhdoc.__version__}; `make eval` (bench/evaluate.py).", ""]
    lines += ["## Headings (match on heading start; level accuracy over matched)", "",
              "| system | data | P | R | F1 | level acc | gold |", "|---|---|---:|---:|---:|---:|---:|"]
    for system, groups in score_headings(docs).items():
        for group, (tp, npred, ngold, lv) in groups.items():
            p, r, f = prf(int(tp), int(npred), int(ngold))
            lines.append(f"| {system} | {group} | {p:.3f} | {r:.3f} | {f:.3f} | {lv / tp if tp else 0:.3f} | {int(ngold)} |")
    lines += page_lines(docs)
    lines += page_entity_lines()
    lines += damage_lines()
    # the old guideline (1.0) and, for the seed and corpus windows, the 2026-12 guideline of the pages
    for group in ("samples", "seed", "corpus", "seed (2026-12)", "corpus (2026-12)"):
        gdocs = [d for d in docs if d["group"] == group]
        if not any(d["entities"] for d in gdocs):
            continue
        stats = score_entities(gdocs, PAGE_FIELDS if "2026" in group else FIELDS)
        lines += ["", f"## Entities — {group} ({', '.join(d['name'] for d in gdocs if d['entities'] is not None)})", "",
                  "| type | gold | pred | P | R | F1 | overlap P | overlap R | field accuracy (exact matches) |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for t, st in stats.items():
            if not st["gold"] and not st["pred"]:
                continue
            p, r, f = prf(st["tp"], st["pred"], st["gold"])
            op = st["otp_p"] / st["pred"] if st["pred"] else 0
            orr = st["otp_g"] / st["gold"] if st["gold"] else 0
            fa = ", ".join(f"{k} {c / n:.2f}" for k, (c, n) in st["fields"].items() if n)
            lines.append(f"| {t} | {st['gold']} | {st['pred']} | {p:.3f} | {r:.3f} | {f:.3f} | {op:.3f} | {orr:.3f} | {fa} |")
    report = "\n".join(lines) + "\n"
    print(report)
    (ROOT / "docs" / "eval.md").write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
