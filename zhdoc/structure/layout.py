"""Layout repair: put displaced line blocks back in reading order, then join broken paragraphs.

Newspaper pages break sentences across lines and columns. Two repairs happen here, both on
physical lines and both recorded as diagnostics:

* a *displaced block* — a run of numbered items that restarts a series in the middle of
  another one, while elsewhere a series of the same style begins at the very item after it
  (the seed's "一、 二、" of one report printed inside another) — is moved to that hole;
* a line that ends mid-sentence is joined with the line that continues it, across blank
  lines, unless the next line starts a heading, a dateline or a salutation.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhdoc.normalize import Block, Line, NormalizedText, make_block
from zhdoc.schema import Diagnostic, Span
from zhdoc.structure.lines import (
    DANGLING_ENDS,
    MAX_HEADING_LINE,
    SENTENCE_END,
    SENTENCE_PUNCT,
    TERMINAL,
    balanced,
    is_dateline,
    is_salutation,
    is_title_text,
)
from zhdoc.structure.markers import MarkerMatch, match_marker


@dataclass(slots=True)
class LineInfo:
    line: Line
    text: str
    folded: str
    marker: MarkerMatch | None
    heading_like: bool  # could be an unnumbered heading or title line (short, no sentence punctuation)
    title_like: bool


def _line_info(text: str, folded_text: str, line: Line) -> LineInfo:
    if line.start == line.end:
        return LineInfo(line, "", "", None, False, False)  # blank lines are about half of all lines
    content = text[line.start : line.end]
    folded = folded_text[line.start : line.end]
    marker = match_marker(folded)
    compact = content.replace(" ", "").replace("\u3000", "")
    heading_like = (
        marker is None
        and 2 <= len(compact) <= MAX_HEADING_LINE
        and SENTENCE_PUNCT.search(folded) is None
        and compact[-1] not in DANGLING_ENDS
        and balanced(folded)
    )
    title_like = is_title_text(folded) and "。" not in folded and len(compact) <= 80
    return LineInfo(line, content, folded, marker, heading_like, title_like)


def is_dangling(info: LineInfo) -> bool:
    """Does this line stop mid-sentence?"""
    if info.heading_like or info.title_like or is_dateline(info.folded):
        return False
    if info.marker is not None and info.marker.end >= len(info.folded.rstrip()):
        return True  # a marker alone on its line ("一、") heads the next line
    if info.marker is not None and len(info.folded) <= 50 and SENTENCE_END.search(info.folded) is None:
        return False  # a numbered heading line ("一、坚持政治引领，把稳履职正确方向")
    return info.text[-1] not in TERMINAL


def _starts_new_unit(info: LineInfo) -> bool:
    return bool(
        info.marker is not None
        or info.title_like
        or is_dateline(info.folded)
        or is_salutation(info.folded)
    )


def reading_order(infos: list[LineInfo]) -> tuple[list[int], list[Diagnostic]]:
    """Indices of ``infos`` in reading order, with displaced numbered blocks moved to their hole."""
    order = list(range(len(infos)))
    diagnostics: list[Diagnostic] = []
    numbered = [(i, inf.marker) for i, inf in enumerate(infos) if inf.marker is not None]
    if len(numbered) < 4:
        return order, diagnostics
    # Scopes reset at unnumbered heading lines and titles: numbering may restart there.
    scope_of: list[int] = []
    scope = 0
    for inf in infos:
        if inf.heading_like or inf.title_like:
            scope += 1
        scope_of.append(scope)
    # Series by level, outermost first, then in order of appearance: a displaced top-level block
    # carries its sub-series with it. (A set here made the result depend on string hashing.)
    styles = {m.style.name: m.style.rank for _, m in numbered if m.style.rank <= 5}
    for style_name in sorted(styles, key=styles.__getitem__):
        seq = [(i, m.ordinal or 0) for i, m in numbered if m.style.name == style_name]
        # holes: first item of a scope's series is k > 1
        holes: list[tuple[int, int]] = []
        seen_scopes: set[int] = set()
        for i, o in seq:
            if scope_of[i] not in seen_scopes:
                seen_scopes.add(scope_of[i])
                if o > 1:
                    holes.append((i, o))
        candidates = _displaced_runs(seq, scope_of) if holes else {}
        for hole_index, k in holes:
            run = next((r for r in candidates.get(k - 1, ()) if scope_of[r[0]] != scope_of[hole_index]), None)
            if run is None:
                continue
            first, last = _block_extent(infos, run[0], run[-1])
            insert_after = _insertion_point(infos, scope_of, hole_index)
            if insert_after is None or first <= insert_after <= last:
                continue
            moved = order[first : last + 1]
            rest = [i for i in order if i < first or i > last]
            pos = rest.index(insert_after) + 1
            order = rest[:pos] + moved + rest[pos:]
            a, b = infos[first].line.start, infos[last].line.end
            hole_line = infos[hole_index].line.index + 1
            diagnostics.append(
                Diagnostic(
                    code="layout.displaced_block",
                    severity="warning",
                    message=(
                        f"lines {infos[first].line.index + 1}–{infos[last].line.index + 1} restart a numbered "
                        f"series inside another and look displaced by the page layout; read them before "
                        f"line {hole_line}, where the same series starts at item {k}"
                    ),
                    span=Span(start=a, end=b),
                )
            )
            break
    return order, diagnostics


def _displaced_runs(seq: list[tuple[int, int]], scope_of: list[int]) -> dict[int, list[list[int]]]:
    """Runs 1..L that restart a series which then continues as if they had not been there
    (一、二、 | 一、二、 | 三、), by length L, in text order. One pass: each restart of the
    series gives at most two candidate lengths, so this stays linear in the number of items."""
    out: dict[int, list[list[int]]] = {}
    n = len(seq)
    for pos in range(1, n):
        i, o = seq[pos]
        prev_i, prev_o = seq[pos - 1]
        if o != 1 or prev_o < 1 or scope_of[prev_i] != scope_of[i]:
            continue
        longest = 1
        while pos + longest < n and seq[pos + longest][1] == longest + 1:
            longest += 1
        for length in {min(prev_o, longest), longest}:
            if pos + length >= n:
                continue
            nxt_i, nxt_o = seq[pos + length]
            if scope_of[nxt_i] == scope_of[prev_i] and nxt_o == prev_o + 1:
                out.setdefault(length, []).append([j for j, _ in seq[pos:pos + length]])
    return out


def _block_extent(infos: list[LineInfo], first: int, last: int) -> tuple[int, int]:
    """Widen the run to its paragraph block: the adjacent non-blank lines around it."""
    while first > 0 and not infos[first - 1].line.blank:
        first -= 1
    while last + 1 < len(infos) and not infos[last + 1].line.blank:
        last += 1
    return first, last


def _insertion_point(infos: list[LineInfo], scope_of: list[int], hole_index: int) -> int | None:
    """After the last line that stops mid-sentence between the scope's start and the hole."""
    scope = scope_of[hole_index]
    start = hole_index
    while start > 0 and scope_of[start - 1] == scope:
        start -= 1
    candidate = None
    for i in range(start, hole_index):
        if not infos[i].line.blank:
            candidate = i
            if is_dangling(infos[i]):
                return i
    return candidate


def build_blocks(norm: NormalizedText, standalone: frozenset[int] = frozenset()) -> tuple[list[Block], list[Diagnostic]]:
    """Paragraph blocks in reading order, broken lines joined. Lines whose index is in
    ``standalone`` (carrier-page material: a stamp ending in a digit is not a broken sentence)
    join neither the line before nor the line after."""
    text = norm.text
    infos = [_line_info(text, norm.folded, ln) for ln in norm.lines]
    order, diagnostics = reading_order(infos)
    blocks: list[Block] = []
    pending: list[tuple[int, int]] = []
    pending_info: LineInfo | None = None
    for idx in order:
        info = infos[idx]
        if not info.text:
            continue  # a blank line (empty content)
        rng = (info.line.start, info.line.end)
        if standalone and (info.line.index in standalone or (pending_info is not None and (
                pending_info.line.index in standalone))):
            if pending:
                blocks.append(make_block(text, pending, norm.folded))
            pending, pending_info = [rng], info
            continue
        if pending and pending_info is not None:
            joins = (
                (is_dangling(pending_info) and not _starts_new_unit(info))
                or info.folded[0] in "。，,、；;：:？！?!）)"
                or link_fragment(pending_info, info)
            )
            if joins:
                pending.append(rng)
                pending_info = info if not info.heading_like else _as_paragraph(info)
                continue
            blocks.append(make_block(text, pending, norm.folded))
        pending = [rng]
        pending_info = info
    if pending:
        blocks.append(make_block(text, pending, norm.folded))
    return blocks, diagnostics


def link_fragment(prev: LineInfo, info: LineInfo) -> bool:
    """A title quoted in 《》 that the source page set as a link lands on lines of its own
    (``…作出《`` ⏎ ``关于…的决定`` ⏎ ``》。…``): the lines belong to one sentence, whatever the
    middle line looks like (a title, a heading)."""
    return prev.folded.endswith("《") or (info.folded.startswith("》") and "《" in prev.folded)


def _as_paragraph(info: LineInfo) -> LineInfo:
    """A heading-like line that continued a paragraph is part of the paragraph now."""
    return LineInfo(info.line, info.text, info.folded, info.marker, False, False)
