"""Layout damage as real archives show it, applied to clean reports with fixed seeds.

Each function takes a clean text (and, where the damage depends on where headings are, the
clean text's parsed Document) and returns the damaged text. The damage-invariance test asks that
zhdoc draws the same outline (heading texts and levels) on the damaged text as on the clean one.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from zhdoc.schema import Document, Section

#: Syllables with tone marks, as sites print them after characters (協(xié)調).
PINYIN = ("xié", "tiáo", "shí", "shī", "zhèng", "guó", "mín", "wěi", "yuán", "huì", "gōng", "zuò",
          "bào", "gào", "tí", "àn", "xiàn", "qū", "shì", "jiàn", "yì", "fā", "zhǎn", "lǜ", "nǚ")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT_OR_SPACE = re.compile(r"[\s\u3000，,、；;：:。．.！!？?“”\"'‘’（）()《》—…·]")
_PRINTED_STYLES = {"cn_dun", "cn_paren", "ar_dun", "ar_dot", "ar_paren"}
_GLOSS = re.compile(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[）)]")


def sections(doc: Document) -> Iterator[Section]:
    def walk(secs: list[Section]) -> Iterator[Section]:
        for s in secs:
            yield s
            yield from walk(s.children)

    for r in doc.reports:
        yield from walk(r.sections)


def normalized_heading(heading: str) -> str:
    """A heading's words: glosses, punctuation and blanks removed (what survives any layout)."""
    return _PUNCT_OR_SPACE.sub("", _GLOSS.sub("", heading))


def outline(doc: Document) -> Counter[tuple[int, str]]:
    """(level, marker + title), normalized: what a reader sees."""
    return Counter((s.level, normalized_heading((s.marker or "") + s.title)) for s in sections(doc))


def outline_f1(clean: Counter[Any], damaged: Counter[Any]) -> float:
    tp = sum((clean & damaged).values())
    n_c, n_d = sum(clean.values()), sum(damaged.values())
    if not n_c and not n_d:
        return 1.0
    return 2 * tp / (n_c + n_d)


def display_width(line: str) -> int:
    """Columns a line takes in print: ASCII one, everything else two (CJK and full-width forms)."""
    return 2 * len(line) - len(line.encode("ascii", "ignore"))


def hard_wrap(text: str, cols: int) -> str:
    """A PDF text layer: paragraphs broken at ``cols`` display columns, blank lines gone."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        cur, width = [], 0
        for ch in line:
            w = 1 if ord(ch) < 128 else 2
            if width + w > cols:
                out.append("".join(cur))
                cur, width = [], 0
            cur.append(ch)
            width += w
        out.append("".join(cur))
    return "\n".join(out)


def _insert_breaks(text: str, positions: list[int]) -> str:
    pieces, last = [], 0
    for p in sorted(set(positions)):
        pieces.append(text[last:p])
        last = p
    pieces.append(text[last:])
    return "\n".join(pieces)


def leads_on_own_line(text: str, doc: Document) -> str:
    """Bold run-in leads (and ordinal leads 一是…。) put on their own line, the body below."""
    cuts = [s.heading_span.end for s in sections(doc)
            if s.kind == "run_in" or s.marker_style in ("cn_shi", "cn_di")]
    cuts = [c for c in cuts if c < len(text) and text[c] != "\n"]
    return _insert_breaks(text, cuts)


def two_line_headings(text: str, doc: Document) -> str:
    """Numbered headings on a line of their own, printed over two lines at their first comma."""
    chars = list(text)
    for s in sections(doc):
        if s.marker_style not in _PRINTED_STYLES or (
            s.paragraphs and s.paragraphs[0].span.start < s.heading_span.end + 2
        ):
            continue  # only printed headings (not 第一，/一是 leads) standing alone on their line
        head = text[s.heading_span.start : s.heading_span.end]
        comma = head.find("，", len(s.marker or ""))  # a comma after the marker (第一，is one)
        if 0 < comma < len(head) - 2:
            chars[s.heading_span.start + comma] = "\n"
    return "".join(chars)


def pinyin_glosses(text: str, seed: int, rate: float = 0.02) -> str:
    """A reading gloss in brackets after some Han characters."""
    rng = random.Random(seed)
    out = []
    for ch in text:
        out.append(ch)
        if _HAN.match(ch) and rng.random() < rate:
            out.append(f"({rng.choice(PINYIN)})")
    return "".join(out)


def all_at_once(text: str, doc: Document, seed: int, cols: int) -> str:
    """Leads on their own line, two-line headings, glosses, then the whole hard-wrapped."""
    import zhdoc

    damaged = two_line_headings(text, doc)
    damaged = leads_on_own_line(damaged, zhdoc.parse(damaged, extract=False))
    return hard_wrap(pinyin_glosses(damaged, seed), cols)
