"""Parse every record of ../shared/corpus in one process and print the parse time.

Run as `/usr/bin/time -v .venv/bin/python bench/parse_corpus.py` for wall time and peak RSS.
The first call (tables, the rjieba dictionary) is made before timing and reported apart.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import zhdoc

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def main() -> None:
    texts = [
        json.loads(line)["content"]
        for f in sorted(CORPUS.glob("*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    t = time.perf_counter()
    zhdoc.parse("区政协召开会议12次。")
    warm = time.perf_counter() - t
    t = time.perf_counter()
    for text in texts:
        zhdoc.parse(text, extract=False)
    structure = time.perf_counter() - t
    t = time.perf_counter()
    for text in texts:
        zhdoc.parse(text)
    full = time.perf_counter() - t
    print(f"{len(texts)} records, {sum(map(len, texts)):,} chars; first call {warm:.3f} s; "
          f"structure only {structure:.3f} s; full parse with extraction {full:.3f} s")


if __name__ == "__main__":
    main()
