"""Where extraction time goes: time it whole, then with one part replaced by a no-op.

    .venv/bin/python bench/ablate_extract.py [MB]

Uses the perturbed corpus input of bench/run.py (default 1 MB of UTF-8), the collector paused as
inside ``zhdoc.parse``, min of 5 interleaved rounds. A variant's saving is what that part costs
(roughly: removing counts also removes their entities' validation). Output changes in the
ablated variants, so this measures cost, never correctness.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import build_input, load_sources

import zhdoc
import zhdoc.extract as extract
import zhdoc.extract.base as base
import zhdoc.extract.counts as counts
from zhdoc.normalize import normalize
from zhdoc.pipeline import _collector_paused
from zhdoc.structure import read_structure

ROUNDS = 5


def main() -> None:
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    text = build_input(load_sources(), int(mb * 1_000_000))
    zhdoc.parse(text[:50_000])  # load tables and dictionaries
    norm = normalize(text)

    def extraction_time() -> float:
        structured = read_structure(norm)
        base.word_starts.cache_clear()
        with _collector_paused():
            t0 = time.perf_counter()
            extract.extract_document(structured)
            return time.perf_counter() - t0

    # (label, owner, key, no-op): an attribute of a module/class, or an entry of EXTRACTORS
    variants: list[tuple[str, Any, str, Any]] = [
        ("nothing (full extraction)", None, "", None),
        ("object phrase of counts", counts, "_object", lambda *a: None),
        ("word-boundary questions", base.WordIndex, "__contains__", lambda self, pos: True),
    ] + [(f"extractor {name}", extract.EXTRACTORS, name, lambda *a: []) for name in extract.EXTRACTORS]

    def timed(owner: Any, key: str, stub: Any) -> float:
        if owner is None:
            return extraction_time()
        is_dict = isinstance(owner, dict)
        original = owner[key] if is_dict else getattr(owner, key)
        if is_dict:
            owner[key] = stub
        else:
            setattr(owner, key, stub)
        try:
            return extraction_time()
        finally:
            if is_dict:
                owner[key] = original
            else:
                setattr(owner, key, original)

    # rounds interleave the variants, so a slow spell of a busy machine hits all of them alike
    best = {label: float("inf") for label, *_ in variants}
    for _ in range(ROUNDS):
        for label, owner, key, stub in variants:
            best[label] = min(best[label], timed(owner, key, stub))
    whole = best.pop("nothing (full extraction)")
    print(f"input: {len(text):,} characters; extraction {whole:.3f} s ({len(text) / whole / 1e6:.2f} M chars/s), "
          f"min of {ROUNDS} interleaved rounds")
    for label, seconds in sorted(best.items(), key=lambda kv: kv[1]):
        print(f"  without {label:<28} {seconds:.3f} s  (that part costs ≈ {whole - seconds:+.3f} s)")


if __name__ == "__main__":
    main()
