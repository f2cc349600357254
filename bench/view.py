"""What the HTML view costs next to the parse that feeds it.

    .venv/bin/python bench/view.py [--rounds 9] [--corpus-docs 50]

For the seed, every sample and (when ../shared/corpus is there) the largest corpus reports,
times ``zhdoc.parse`` and ``zhdoc.render_html`` on the parsed document in alternating rounds
after a warm-up (memos filled, as in a batch), and prints the median of each, their ratio and
the page size. The ratio is render / parse: 0.05 means the page costs 5 % of the parse.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_fd64010ca59028d2.txt"

sys.path.insert(0, str(ROOT))

import zhdoc  # noqa: E402
from zhdoc.export.html import render_html  # noqa: E402


def _inputs(corpus_docs: int) -> list[tuple[str, str]]:
    out = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples").glob("*.txt"))]
    if SEED.exists():
        out.insert(0, ("seed", SEED.open(encoding="utf-8", newline="").read()))
    corpus = SHARED / "corpus"
    if corpus.exists() and corpus_docs:
        texts = []
        for f in sorted(corpus.glob("*.jsonl")):
            for line in f.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                text = rec.get("text") or rec.get("content") or ""
                if text:
                    texts.append(text)
        texts.sort(key=len, reverse=True)
        out.append((f"corpus: {min(corpus_docs, len(texts))} largest, joined",
                    "\n\n".join(texts[:corpus_docs])))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--corpus-docs", type=int, default=50)
    args = ap.parse_args()
    print(f"{'input':42} {'chars':>9} {'parse ms':>9} {'render ms':>10} {'render/parse':>13} {'page KB':>9}")
    all_parse = all_render = 0.0
    for name, text in _inputs(args.corpus_docs):
        doc = zhdoc.parse(text)  # warm-up
        render_html(doc)
        parse_t, render_t = [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            doc = zhdoc.parse(text)
            t1 = time.perf_counter()
            page = render_html(doc)
            t2 = time.perf_counter()
            parse_t.append(t1 - t0)
            render_t.append(t2 - t1)
        p, r = statistics.median(parse_t), statistics.median(render_t)
        all_parse += p
        all_render += r
        size = len(page.encode("utf-8"))
        print(f"{name[:42]:42} {len(text):9,} {p * 1e3:9.1f} {r * 1e3:10.1f} {r / p:13.3f} {size / 1024:9.1f}")
    print(f"{'all (sum of medians)':42} {'':9} {all_parse * 1e3:9.1f} {all_render * 1e3:10.1f} "
          f"{all_render / all_parse:13.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
