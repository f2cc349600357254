"""Rules vs rules+HanLP on the hand-annotated held-out windows (tests/annotations/ner_heldout.json).

    python bench/eval_ner.py --model /path/to/model --corpus ../shared/corpus
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import zhdoc  # noqa: E402

TYPES = ("person", "organization", "location")


def score(gold, pred):
    out = {}
    for t in TYPES:
        g = {(s, e) for ty, s, e in gold if ty == t}
        p = {(s, e) for ty, s, e in pred if ty == t}
        tp = len(g & p)
        out[t] = {"gold": len(g), "pred": len(p), "recall": round(tp / len(g), 3) if g else None,
                  "precision": round(tp / len(p), 3) if p else None}
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    args = ap.parse_args()
    ann = json.loads((ROOT / "tests/annotations/ner_heldout.json").read_text(encoding="utf-8"))
    gold, rules, both = [], [], []
    t_rules = t_ner = 0.0
    zhdoc.parse("预热", ner="hanlp", model=args.model)  # load the model once, outside the timing
    for d in ann["docs"]:
        text = json.loads(Path(args.corpus, d["file"]).read_text(encoding="utf-8").splitlines()[d["line"]])["content"]
        t0 = time.perf_counter()
        a = zhdoc.parse(text)
        t1 = time.perf_counter()
        b = zhdoc.parse(text, ner="hanlp", model=args.model)
        t2 = time.perf_counter()
        t_rules += t1 - t0
        t_ner += t2 - t1
        if not d.get("window"):
            continue
        lo, hi = d["window"]
        key = d["line"]
        gold += [(e["type"], (key, e["start"]), (key, e["end"])) for e in d["entities"]]
        for doc, sink in ((a, rules), (b, both)):
            sink += [(e.type, (key, e.span.start), (key, e.span.end)) for r in doc.reports for e in r.entities
                     if e.type in TYPES and lo <= e.span.start and e.span.end <= hi]
    res = {"mentions": len(gold), "rules": score(gold, rules), "rules+hanlp": score(gold, both),
           "seconds": {"rules": round(t_rules, 2), "rules+hanlp": round(t_ner, 2),
                       "slowdown": round(t_ner / t_rules, 2)}}
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
