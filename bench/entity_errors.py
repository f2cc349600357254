"""The entity errors on the real pages' development split, one line each, for rule work.

    python bench/entity_errors.py --type organization [--page 05] [--fields]
    python bench/entity_errors.py --summary

Prints, per dev page, the gold entities zhdoc missed (with the overlapping prediction if any),
the predictions with no gold entity of the same span, and (with --fields) the field mismatches on
exact matches. Only the dev split: the untouched pages (ids divisible by 4) are scored by
`make eval` alone, never inspected, so their figure stays honest.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from evaluate import PAGE_FIELDS, _same, prf, score_entities  # noqa: E402
from pages import load_pages  # noqa: E402

import zhdoc  # noqa: E402


def summary(pages: list[dict]) -> int:
    docs = []
    for page in pages:
        path = ROOT / "tests" / "annotations" / "cppcc_pages_entities" / f"{page['id']}.json"
        if page["split"] == "dev" and path.exists():
            ents = json.loads(path.read_text(encoding="utf-8"))["entities"]
            docs.append({"text": page["text"], "entities": ents, "window": None})
    for t, st in score_entities(docs, PAGE_FIELDS).items():
        p, r, f = prf(st["tp"], st["pred"], st["gold"])
        fa = ", ".join(f"{k} {c / n:.2f}" for k, (c, n) in st["fields"].items() if n)
        print(f"dev {t:12} gold {st['gold']:4} pred {st['pred']:4} P {p:.3f} R {r:.3f} F1 {f:.3f}  {fa}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--type", choices=sorted(PAGE_FIELDS), help="the entity type to list errors of")
    ap.add_argument("--summary", action="store_true", help="dev-split P/R/F1 and field accuracy per type")
    ap.add_argument("--page", help="one dev page id, e.g. 05")
    ap.add_argument("--fields", action="store_true", help="also list field mismatches")
    ap.add_argument("--data", choices=("pages", "seed", "corpus"), default="pages",
                    help="the dev pages, or the seed / corpus windows under the 2026-12 guideline")
    args = ap.parse_args()
    if args.data != "pages":
        from evaluate import load_documents

        group = f"{args.data} (2026-12)"
        pages = [{"id": d["name"], "split": "dev", "text": d["text"], "entities": d["entities"], "window": d["window"]}
                 for d in load_documents() if d["group"] == group]
    else:
        pages, _ = load_pages()
    if not pages:
        print("no page texts gathered (see ../shared/corpus/cppcc_pages/README.md)")
        return 1
    if args.summary:
        return summary(pages)
    if not args.type:
        ap.error("--type or --summary")
    if args.page and int(args.page) % 4 == 0:
        print(f"page {args.page} is in the untouched split: not shown")
        return 1
    fields = PAGE_FIELDS[args.type]
    for page in pages:
        if page["split"] != "dev" or (args.page and page["id"] != args.page):
            continue
        if "entities" in page:  # seed / corpus: annotated in a window of the text
            every = page["entities"]
        else:
            path = ROOT / "tests" / "annotations" / "cppcc_pages_entities" / f"{page['id']}.json"
            if not path.exists():
                continue
            every = json.loads(path.read_text(encoding="utf-8"))["entities"]
        text = page["text"]
        gold = [g for g in every if g["type"] == args.type]
        parsed = zhdoc.parse(text)
        lo, hi = page.get("window") or (0, len(text))
        pred = [e for r in parsed.reports for e in r.entities
                if e.type == args.type and lo <= e.span.start and e.span.end <= hi]
        by_span = {(e.span.start, e.span.end): e for e in pred}
        gold_spans = {(g["start"], g["end"]) for g in gold}
        out: list[str] = []
        for g in gold:
            e = by_span.get((g["start"], g["end"]))
            shown = {f: g.get(f) for f in fields if f in g}
            if e is None:
                near = [p for p in pred if p.span.start < g["end"] and g["start"] < p.span.end]
                hint = "; ".join(f"pred {text[p.span.start:p.span.end]!r}" for p in near) or "none near"
                out.append(f"  MISS {g['start']}-{g['end']} {text[g['start']:g['end']]!r} {shown}  [{hint}]")
            elif args.fields:
                bad = {f: (getattr(e, f, None), g[f]) for f in fields
                       if f in g and g[f] is not None and not _same(getattr(e, f, None), g[f])}
                if bad:
                    out.append(f"  FIELD {g['start']}-{g['end']} {text[g['start']:g['end']]!r} "
                               + ", ".join(f"{f}: got {a!r} want {b!r}" for f, (a, b) in bad.items()))
        for p in pred:
            if (p.span.start, p.span.end) not in gold_spans:
                ctx = text[max(0, p.span.start - 6):p.span.end + 6].replace("\n", "⏎")
                out.append(f"  FP   {p.span.start}-{p.span.end} {text[p.span.start:p.span.end]!r}  …{ctx}…")
        if out:
            print(f"page {page['id']}: gold {len(gold)}, pred {len(pred)}")
            print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
