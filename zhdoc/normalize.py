"""Normalize: lines with offsets, repaired text with an offset map, width/script folding.

Nothing here changes the input text. Each :class:`Line` records where its content sits in
the input; each :class:`Block` (a paragraph or part of one) carries its repaired text plus a
segment map from repaired indices back to input offsets, and a *folded* twin of the repaired
text (full-width → half-width, traditional → simplified, one character for one) that every
matcher uses, so a match position in ``folded`` is a position in ``text`` too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import regex

#: The code points of ``regex``'s ``\p{Han}`` (Unicode's Han script), as a class body for the
#: standard ``re`` engine, which has no script property.
HAN = (
    "\u2E80-\u2E99\u2E9B-\u2EF3\u2F00-\u2FD5\u3005\u3007\u3021-\u3029\u3038-\u303B\u3400-\u4DBF\u4E00-\u9FFF"
    "\uF900-\uFA6D\uFA70-\uFAD9\U00016FE2-\U00016FE3\U00016FF0-\U00016FF6\U00020000-\U0002A6DF"
    "\U0002A700-\U0002B81E\U0002B820-\U0002CEAD\U0002CEB0-\U0002EBE0\U0002EBF0-\U0002EE5D"
    "\U0002F800-\U0002FA1D\U00030000-\U0003134A\U00031350-\U00033479"
)

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
#: A reading gloss some sites print after a character (協(xié)調, 實（shí）施): one syllable of
#: pinyin with a tone mark, in brackets, right after a Han character. Analysis reads the text
#: without it; offsets still point into the input, where it stays.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_GLOSS_RE = re.compile(  # (the bracket first, then the look back: the engine skips to brackets)
    rf"[(（](?<=[\u3400-\u9fff\uf900-\ufaff][(（])[a-zü]{{0,5}}[{_TONED}][a-zü{_TONED}]{{0,5}}[)）]"
)
_LINE_RE = regex.compile(r"[^\r\n\u2028\u2029\x85]*(?:\r\n|[\r\n\u2028\u2029\x85]|$)")
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")
_SPACE_RE = re.compile(f"[{_SPACES}]")
_REPAIRABLE_RE = re.compile(f"[{_ZERO_WIDTH}{_SPACES}]")


def _repairable(piece: str) -> bool:
    """Anything for repair_line to drop: zero-width characters, spaces, a pinyin gloss (one
    C-level scan for the first two; the gloss pattern only runs on pieces with a bracket)."""
    return _REPAIRABLE_RE.search(piece) is not None or (
        ("(" in piece or "（" in piece) and PINYIN_GLOSS_RE.search(piece) is not None
    )
_BREAKS = "\r\n\u2028\u2029\x85"
#: Line breaks other than \n and \r\n: rare, and handled by the general path of split_lines.
_OTHER_BREAKS = ("\u2028", "\u2029", "\x85")
_STRIP = _SPACES + _ZERO_WIDTH


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
    # fold() replaces one character at a time, which equals one simultaneous translate only if no
    # character folds to one that folds again.
    if any(table.get(dst, dst) != dst for dst in table.values()):
        raise ValueError("t2s_chars.tsv maps a character to one that folds again")
    return table


@lru_cache(maxsize=1)
def _fold_re() -> re.Pattern[str]:
    """One character of any that :func:`fold_table` changes (a single-character class: linear)."""
    return re.compile("[" + re.escape("".join(chr(cp) for cp in sorted(fold_table()))) + "]")


#: Above this many distinct characters to fold, one translate pass beats a replace pass per character.
_MAX_REPLACE_PASSES = 64


def fold(text: str) -> str:
    """One-for-one folding used for matching; ``len(fold(t)) == len(t)`` always.

    ``str.translate`` looks every character up in the table (slow for non-ASCII text), while a
    report holds only a handful of distinct characters that fold (，；（ and the odd traditional
    one): find the next one with a C-level scan and replace all its occurrences in one
    ``str.replace`` pass, so the scan never meets it again. The passes compose to the same result
    as one simultaneous translate because no character folds to a character that itself folds
    (checked in :func:`fold_table`); for the same reason a translate of the partly folded text
    finishes the job when there are too many distinct characters for a pass each.
    """
    table = fold_table()
    search = _fold_re().search
    passes = 0
    m = search(text)
    while m is not None:
        passes += 1
        if passes > _MAX_REPLACE_PASSES:
            return text.translate(table)
        ch = m.group()
        text = text.replace(ch, chr(table[ord(ch)]))
        m = search(text, m.start() + 1)
    return text


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
    lone_cr = "\r" in text and text.count("\r") != text.count("\r\n")
    if not lone_cr and not any(sep in text for sep in _OTHER_BREAKS):
        return _split_lf_lines(text)
    lines: list[Line] = []
    n = len(text)
    for i, m in enumerate(_LINE_RE.finditer(text)):
        seg_start, seg_end = m.span()
        if seg_start == seg_end and seg_start >= n:
            break
        content_end = seg_end
        while content_end > seg_start and text[content_end - 1] in _BREAKS:
            content_end -= 1
        s, e = _trim(text, seg_start, content_end)
        lines.append(Line(i, s, e) if s < e else Line(i, seg_start, seg_start))
        if seg_end >= n:
            break
    return lines


def _split_lf_lines(text: str) -> list[Line]:
    """:func:`split_lines` for text whose only line breaks are LF and CR LF, the usual case:
    ``str.split`` and ``str.strip`` do in C what the general path does a character at a time.
    The CR of a CR LF is a blank to ``strip()``, so it drops off the content as it should."""
    pieces = text.split("\n")
    if not pieces[-1]:
        pieces.pop()  # a final break ends the last line; it opens none (and "" has no lines)
    lines: list[Line] = []
    append = lines.append
    pos = 0
    for i, piece in enumerate(pieces):
        if not piece:  # an empty line (common: paragraphs are separated by them)
            append(Line(i, pos, pos))
            pos += 1
            continue
        body = piece.lstrip()
        content = body.rstrip()
        if content and content[0] not in _ZERO_WIDTH and content[-1] not in _ZERO_WIDTH:
            s = pos + len(piece) - len(body)
            append(Line(i, s, s + len(content)))
        elif content:
            # a zero-width character at an edge: strip() leaves it, the character loop does not
            s, e = _trim(text, pos, pos + len(piece))
            append(Line(i, s, e) if s < e else Line(i, pos, pos))
        else:
            append(Line(i, pos, pos))
        pos += len(piece) + 1
    return lines


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """``[s, e)`` without leading/trailing Unicode blanks (form feed, vertical tab, ideographic
    space …) or zero-width characters."""
    while s < e and (text[s] in _STRIP or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in _STRIP or text[e - 1].isspace()):
        e -= 1
    return s, e


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
        segments = self.segments
        # One run (most blocks): the bisect could only pick it (index 0, or -1 before its start).
        k = bisect_right(segments, (i, 1 << 62, 0)) - 1 if len(segments) > 1 else 0
        rs, src, _ = segments[k]
        return src + (i - rs)

    def input_span(self, start: int, end: int) -> tuple[int, int]:
        """Input ``[start, end)`` for the repaired range ``[start, end)`` (end > start). A range
        that runs to the block's end runs to its last line's end: what repair dropped after the
        last character (a reading gloss, 現場(chǎng)) belongs to it, not to nothing."""
        last = self.to_input(end - 1) + 1
        if end >= len(self.text) and self.parts:
            last = max(last, self.parts[-1][1])
        return self.to_input(start), last

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def join(self, other: Block) -> Block:
        """This block followed by ``other`` as one block (a heading printed over two lines)."""
        shift = len(self.text)
        segments = self.segments + [(rs + shift, src, ln) for rs, src, ln in other.segments]
        return Block(self.text + other.text, segments, self.folded + other.folded, self.parts + other.parts)

    def slice(self, start: int, end: int) -> Block:
        """The repaired sub-range ``[start, end)`` (end > start) as a Block of its own."""
        if len(self.segments) == 1 and len(self.parts) == 1:
            # One unrepaired run of one line (most blocks): offsets shift by a constant. This is
            # the general case below worked out for a single segment and a single part.
            rs, src, ln = self.segments[0]
            lo, hi = max(rs, start), min(rs + ln, end)
            first, last = src + (start - rs), src + (end - rs)
            s, e = self.parts[0]
            part = (first, last if first < last <= e else e) if s <= first < e else (first, last)
            segs1 = [(lo - start, src + (lo - rs), hi - lo)] if lo < hi else []
            return Block(self.text[start:end], segs1, self.folded[start:end], [part])
        segs = [
            (lo - start, src + (lo - rs), hi - lo)
            for rs, src, ln in self.segments
            if (lo := max(rs, start)) < (hi := min(rs + ln, end))
        ]
        first, last = self.input_span(start, end)
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
    """Repaired text of ``text[start:end]`` (zero-width characters, letter-spacing and pinyin
    glosses removed)."""
    piece = text[start:end]
    # One C-level scan rules out most lines, which have neither zero-width characters nor spaces.
    if not _repairable(piece):
        return piece, [(0, start, len(piece))]
    drop: list[tuple[int, int]] = [m.span() for m in _ZERO_WIDTH_RE.finditer(piece)]
    if _SPACE_RE.search(piece) is not None:
        drop.extend(m.span() for m in _SPACED_RE.finditer(piece))
    drop.extend(m.span() for m in PINYIN_GLOSS_RE.finditer(piece))
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
    if len(ranges) == 1:
        s, e = ranges[0]
        piece = text[s:e]
        if not _repairable(piece):
            # One line with nothing to repair (most blocks): what the general path below computes,
            # without the per-piece bookkeeping.
            folded = folded_text[s:e] if folded_text is not None else ""
            return Block(piece, [(0, s, e - s)] if e > s else [(0, s, 0)], folded, list(ranges))
    pieces: list[str] = []
    segs: list[tuple[int, int, int]] = []
    offset = 0
    for s, e in ranges:
        piece, piece_segs = repair_line(text, s, e)
        pieces.append(piece)
        segs.extend([(rs + offset, src, ln) for rs, src, ln in piece_segs if ln])
        offset += len(piece)
    folded = "".join([folded_text[src:src + ln] for _, src, ln in segs]) if folded_text is not None else ""
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
