"""Normalize: lines with offsets, repaired text with an offset map, width/script folding.

Nothing here changes the input text. Each :class:`Line` records where its content sits in
the input; each :class:`Block` (a paragraph or part of one) carries its repaired text plus a
segment map from repaired indices back to input offsets, and a *folded* twin of the repaired
text (full-width → half-width, traditional → simplified, one character for one) that every
matcher uses, so a match position in ``folded`` is a position in ``text`` too.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import regex

# Characters that vanish: zero-width spaces/joiners, BOM, soft hyphen, word joiner.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = " \t\u3000\u00a0\u2002\u2003\u2009\u202f"

_CJK = r"\p{Han}"
# A space between two Han characters where at least one side is a lone character, as in
# letter-spaced titles ("工 作 报 告") and names ("李　强"). Spaces between words ("红武共进 界别同行")
# are the author's and stay.
_SPACED_RE = regex.compile(
    rf"(?<=(?:^|[^\p{{Han}}]|[{_SPACES}])\p{{Han}})[{_SPACES}]+(?={_CJK})"
    rf"|(?<={_CJK})[{_SPACES}]+(?=\p{{Han}}(?:$|[^\p{{Han}}]|[{_SPACES}]))"
)
_LINE_RE = regex.compile(r"[^\r\n\u2028\u2029\x85]*(?:\r\n|[\r\n\u2028\u2029\x85]|$)")


@lru_cache(maxsize=1)
def fold_table() -> dict[int, int]:
    """Full-width ASCII and CJK punctuation → ASCII; traditional → simplified (models/t2s_chars.tsv)."""
    table: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
    table[0x3000] = 0x20
    for src, dst in {"（": "(", "）": ")", "〔": "(", "〕": ")", "﹝": "(", "﹞": ")", "．": "."}.items():
        table[ord(src)] = ord(dst)
    data = resources.files("zhdoc.models").joinpath("t2s_chars.tsv").read_text(encoding="utf-8")
    for row in data.splitlines():
        if row and not row.startswith("#"):
            trad, simp = row.split("\t")
            table[ord(trad)] = ord(simp)
    return table


def fold(text: str) -> str:
    """One-for-one folding used for matching; ``len(fold(t)) == len(t)`` always."""
    return text.translate(fold_table())


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line: ``[start, end)`` is its content without surrounding blanks."""

    index: int
    start: int
    end: int

    @property
    def blank(self) -> bool:
        return self.start == self.end


def split_lines(text: str) -> list[Line]:
    """Physical lines with leading/trailing blanks (and zero-width characters) trimmed off."""
    lines: list[Line] = []
    strip = _SPACES + _ZERO_WIDTH
    pos = 0
    n = len(text)
    for i, m in enumerate(_LINE_RE.finditer(text)):
        seg_start, seg_end = m.span()
        if seg_start == seg_end and seg_start >= n:
            break
        content_end = seg_end
        while content_end > seg_start and text[content_end - 1] in "\r\n\u2028\u2029\x85":
            content_end -= 1
        s, e = seg_start, content_end
        # any Unicode blank (form feed, vertical tab, ideographic space …) or zero-width character
        while s < e and (text[s] in strip or text[s].isspace()):
            s += 1
        while e > s and (text[e - 1] in strip or text[e - 1].isspace()):
            e -= 1
        lines.append(Line(i, s, e) if s < e else Line(i, seg_start, seg_start))
        pos = seg_end
        if pos >= n:
            break
    return lines


@dataclass(slots=True)
class Block:
    """Repaired text of one or more input ranges, with the map back to input offsets.

    ``segments`` holds ``(repaired_start, input_start, length)`` runs in repaired order.
    """

    text: str
    segments: list[tuple[int, int, int]]
    folded: str = ""
    parts: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.folded) != len(self.text):
            self.folded = fold(self.text)

    def to_input(self, i: int) -> int:
        """Input offset of repaired index ``i`` (0 ≤ i < len(text))."""
        k = bisect_right(self.segments, (i, 1 << 62, 0)) - 1
        rs, src, _ = self.segments[k]
        return src + (i - rs)

    def input_span(self, start: int, end: int) -> tuple[int, int]:
        """Input ``[start, end)`` for the repaired range ``[start, end)`` (end > start)."""
        return self.to_input(start), self.to_input(end - 1) + 1

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def slice(self, start: int, end: int) -> Block:
        """The repaired sub-range ``[start, end)`` (end > start) as a Block of its own."""
        segs = [
            (lo - start, src + (lo - rs), hi - lo)
            for rs, src, ln in self.segments
            if (lo := max(rs, start)) < (hi := min(rs + ln, end))
        ]
        first, last = self.to_input(start), self.to_input(end - 1) + 1
        parts: list[tuple[int, int]] = []
        inside = False
        for s, e in self.parts:
            if not inside and s <= first < e:
                inside = True
                s = first
            if inside:
                if s < last <= e:
                    parts.append((s, last))
                    break
                parts.append((s, e))
        blk = Block(self.text[start:end], segs, self.folded[start:end])
        blk.parts = parts or [(first, last)]
        return blk


def repair_line(text: str, start: int, end: int) -> tuple[str, list[tuple[int, int, int]]]:
    """Repaired text of ``text[start:end]`` (zero-width characters and letter-spacing removed)."""
    piece = text[start:end]
    drop: list[tuple[int, int]] = []
    if any(c in piece for c in _ZERO_WIDTH):
        drop.extend((i, i + 1) for i, c in enumerate(piece) if c in _ZERO_WIDTH)
    if any(c in piece for c in _SPACES):
        drop.extend(m.span() for m in _SPACED_RE.finditer(piece))
    if not drop:
        return piece, [(0, start, len(piece))]
    drop.sort()
    out: list[str] = []
    segs: list[tuple[int, int, int]] = []
    pos = 0
    rep = 0
    for a, b in drop:
        if a < pos:
            a = pos
        if a > pos:
            out.append(piece[pos:a])
            segs.append((rep, start + pos, a - pos))
            rep += a - pos
        pos = max(pos, b)
    if pos < len(piece):
        out.append(piece[pos:])
        segs.append((rep, start + pos, len(piece) - pos))
    return "".join(out), segs


def make_block(text: str, ranges: list[tuple[int, int]], folded_text: str | None = None) -> Block:
    """Join the repaired text of input ranges (in reading order) into one Block.

    ``folded_text`` (``fold(text)``, computed once per document) spares folding each block again:
    folding is one character for one, so the block's folded text is the same slices of it.
    """
    pieces: list[str] = []
    segs: list[tuple[int, int, int]] = []
    offset = 0
    for s, e in ranges:
        piece, piece_segs = repair_line(text, s, e)
        pieces.append(piece)
        segs.extend((rs + offset, src, ln) for rs, src, ln in piece_segs if ln)
        offset += len(piece)
    folded = "".join(folded_text[src:src + ln] for _, src, ln in segs) if folded_text is not None else ""
    blk = Block("".join(pieces), segs or [(0, ranges[0][0] if ranges else 0, 0)], folded)
    blk.parts = list(ranges)
    return blk


@dataclass(slots=True)
class NormalizedText:
    """The input text and its physical lines; the first stage's output."""

    text: str
    lines: list[Line]
    folded: str  # fold(text): same length, same offsets


def normalize(text: str) -> NormalizedText:
    """Split the input into trimmed lines and fold it once; repair happens per block in :func:`make_block`."""
    return NormalizedText(text=text, lines=split_lines(text), folded=fold(text))
