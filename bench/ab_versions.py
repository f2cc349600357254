"""Two checkouts of zhdoc, one against the other: warm parse + ``json_bytes`` rate on the bench input,
measured in alternating fresh processes so that a busy hour slows both alike.

    python bench/ab_versions.py OLD_CHECKOUT NEW_CHECKOUT [--rounds 5] [--copies 4]

Each checkout needs ../shared beside it (bench/run.py reads the corpus from there). Prints each
round's rate (the best of three parses in its process) and the ratio of the medians, new ÷ old.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys

_CHILD = r"""
import sys, time
sys.path.insert(0, "bench")
from run import build_input, load_sources
import zhdoc
text = build_input(load_sources(), {copies})
zhdoc.parse(text[:200_000]).json_bytes()
best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    zhdoc.parse(text).json_bytes()
    best = min(best, time.perf_counter() - t)
print(len(text) / best)
"""


def rate(checkout: str, copies: int) -> float:
    """Characters per second of one warm parse in a fresh process run from ``checkout``."""
    env = {**os.environ, "PYTHONPATH": checkout}
    proc = subprocess.run([sys.executable, "-c", _CHILD.format(copies=copies)], cwd=checkout, env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"{checkout}: {proc.stderr.strip()[-400:]}", file=sys.stderr)
        return math.nan
    return float(proc.stdout.split()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--copies", type=int, default=4, help="input size: copies of the corpus (bench/run.py)")
    args = ap.parse_args()
    rates: dict[str, list[float]] = {"old": [], "new": []}
    for _ in range(args.rounds):
        rates["old"].append(rate(args.old, args.copies))
        rates["new"].append(rate(args.new, args.copies))
    for name, values in rates.items():
        shown = ", ".join(f"{v / 1e6:.3f}" for v in values)
        print(f"{name}: M chars/s per round {shown}; median {statistics.median(values) / 1e6:.3f}")
    print(f"new ÷ old (medians): {statistics.median(rates['new']) / statistics.median(rates['old']):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
