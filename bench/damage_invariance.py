"""Outline F1 of zhdoc on damaged copies of the clean corpus reports (tests/damage.py),
against its outline on the clean text: one row per damage class, the worst document beside
the mean. ``python bench/damage_invariance.py``; tests/test_damage.py asserts the floor.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
CORPUS = ROOT.parent / "shared" / "corpus"

import damage  # noqa: E402
from linebased import split_headings  # noqa: E402

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


def line_based_outline(text: str) -> Counter[tuple[int, str]]:
    """The line-based splitter's outline, keyed like damage.outline (level, heading text)."""
    return Counter((h.level, damage.normalized_heading(text[h.start : h.end])) for h in split_headings(text))


def scores(seed: int = 7, system: str = "zhdoc") -> dict[str, list[tuple[str, float, int]]]:
    """damage → [(document, outline F1, clean heading count)], for zhdoc or the line-based splitter."""
    out: dict[str, list[tuple[str, float, int]]] = {k: [] for k in DAMAGES}
    for name, text in corpus_texts():
        clean_doc = zhdoc.parse(text, extract=False)
        clean = damage.outline(clean_doc) if system == "zhdoc" else line_based_outline(text)
        for kind, fn in DAMAGES.items():
            damaged = fn(text, clean_doc, seed)
            got = damage.outline(zhdoc.parse(damaged, extract=False)) if system == "zhdoc" else line_based_outline(damaged)
            out[kind].append((name, damage.outline_f1(clean, got), sum(clean.values())))
    return out


def table() -> list[str]:
    """Mean and worst outline F1 per damage class, zhdoc beside the line-based splitter."""
    lines = ["| damage | zhdoc mean | zhdoc worst document (F1, clean headings) | line-based mean |",
             "|---|---:|---|---:|"]
    base = scores(system="line-based")
    for kind, rows in scores().items():
        rows = [r for r in rows if r[2]]
        lb = [r[1] for r in base[kind] if r[2]]
        worst = min(rows, key=lambda r: r[1])
        lines.append(f"| {kind} | {sum(r[1] for r in rows) / len(rows):.3f} | {worst[0]} ({worst[1]:.3f}, "
                     f"{worst[2]}) | {sum(lb) / len(lb):.3f} |")
    return lines


def main() -> int:
    print("\n".join(table()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
