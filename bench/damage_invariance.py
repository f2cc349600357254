"""Outline F1 of zhdoc on damaged copies of the clean corpus reports (tests/damage.py),
against its outline on the clean text: one row per damage class, the worst document beside
the mean. ``python bench/damage_invariance.py``; tests/test_damage.py asserts the floor.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
CORPUS = ROOT.parent / "shared" / "corpus"

import damage  # noqa: E402

import zhdoc  # noqa: E402
from zhdoc.schema import Document  # noqa: E402

Damage = Callable[[str, Document, int], str]

#: name → damage(text, clean document, seed); hard-wrap widths are display columns (2 per CJK char).
DAMAGES: dict[str, Damage] = {
    "hard_wrap_40": lambda t, d, s: damage.hard_wrap(t, 40),
    "hard_wrap_60": lambda t, d, s: damage.hard_wrap(t, 60),
    "hard_wrap_80": lambda t, d, s: damage.hard_wrap(t, 80),
    "leads_on_own_line": lambda t, d, s: damage.leads_on_own_line(t, d),
    "two_line_headings": lambda t, d, s: damage.two_line_headings(t, d),
    "pinyin_glosses": lambda t, d, s: damage.pinyin_glosses(t, s),
    "all_at_once_50": lambda t, d, s: damage.all_at_once(t, d, s, 50),
}


def corpus_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            out.append((f"{path.name.split('.')[0]}:{i}", json.loads(line)["content"]))
    return out


def scores(seed: int = 7) -> dict[str, list[tuple[str, float, int]]]:
    """damage → [(document, outline F1, clean heading count)]."""
    out: dict[str, list[tuple[str, float, int]]] = {k: [] for k in DAMAGES}
    for name, text in corpus_texts():
        clean_doc = zhdoc.parse(text, extract=False)
        clean = damage.outline(clean_doc)
        for kind, fn in DAMAGES.items():
            got = damage.outline(zhdoc.parse(fn(text, clean_doc, seed), extract=False))
            out[kind].append((name, damage.outline_f1(clean, got), sum(clean.values())))
    return out


def main() -> int:
    print("| damage | mean outline F1 | worst document (F1, clean headings) |\n|---|---|---|")
    for kind, rows in scores().items():
        rows = [r for r in rows if r[2]]
        worst = min(rows, key=lambda r: r[1])
        print(f"| {kind} | {sum(r[1] for r in rows) / len(rows):.3f} | {worst[0]} ({worst[1]:.3f}, {worst[2]}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
