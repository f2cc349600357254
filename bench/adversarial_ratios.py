"""Cost per character at 8n ÷ at n for every family of tests/adversarial.py (issue 18), as
tests/test_adversarial.py measures it, written as JSON for a before/after comparison.

    .venv/bin/python bench/adversarial_ratios.py out.json [family,family,...]

n doubles from 2 000 until one parse takes 50 ms; n is timed three times, 8n once more when it
takes under 5 s (once only when longer: a quadratic version takes minutes there). To measure
another version of zhdoc, put its package first on PYTHONPATH (the families come from this
checkout's tests/). bench/adversarial_ratios.md holds the committed comparison.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from adversarial import families

import zhdoc


def _run(text: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    doc = zhdoc.parse(text)
    return time.perf_counter() - t0, sum(len(r.entities) for r in doc.reports)


def main() -> None:
    out: dict[str, dict[str, float]] = {}
    names = sorted(families()) if len(sys.argv) < 3 else sys.argv[2].split(",")
    for name in names:
        family = families()[name]
        n = 2_000
        while n < 1_000_000 and _run(family(n, 1))[0] < 0.05:
            n *= 2
        small, big = family(n, 1), family(8 * n, 1)
        t_small = min(_run(small)[0] for _ in range(3))
        t_big, entities = _run(big)
        if t_big < 5:
            t_big = min(t_big, *(_run(big)[0] for _ in range(2)))
        out[name] = {"n": n, "t_n": t_small, "t_8n": t_big, "ents_8n": entities,
                     "ratio": (t_big / (8 * n)) / (t_small / n)}
        print(f"{name:32s} n={n:9,} {t_small:7.3f}s {t_big:8.3f}s {entities:9,} entities  ratio {out[name]['ratio']:.2f}",
              flush=True)
        Path(sys.argv[1]).write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
