"""The section tree of one report: heading rules over a block cursor → nesting by rank → checks.

Heading recognition is an ordered list of named rules (as a block parser's rule list): each
looks at the block under a cursor — and may look at its neighbours — and either claims it as a
heading, declares it a paragraph, or passes. The first rule that decides wins; a block no rule
claims is a paragraph. Nesting uses a stack keyed by rank, so ``level`` is depth in the tree
whatever the top marker style is. Tree rules then run over the nested headings: run-in lead
phrases and ordinal words (一是, 第一，) must form a series among siblings; a lone one goes back
into its paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

import regex

from zhdoc.normalize import Block
from zhdoc.schema import Diagnostic, Span
from zhdoc.structure.lines import (
    DANGLING_ENDS,
    HEADING_NON_ENDS,
    MAX_HEADING_LINE,
    MAX_PART_HEADING,
    MAX_SECOND_LINE,
    PHRASE_BREAK,
    SENTENCE_END,
    SENTENCE_PUNCT,
    TERMINAL,
    is_part_heading,
)
from zhdoc.structure.markers import LEAD_RANK, UNNUMBERED_RANK, MarkerStyle, match_marker
from zhdoc.structured import StructuredSection, paragraph_span

_CLAUSE_PUNCT = re.compile(r"[，,、；;：:]")
#: A heading phrase (commas allowed), then blanks and a body on the same line (一、坚持团结民主 三年来，我们…).
_BODY_AFTER_SPACE = re.compile(r"[ \t]*([^。！？!?；;：:\s]{2,40}?)[ \t]+(?=\S)")
#: A lead phrase may list with 、 ("适度加力、提质增效") but holds no clause break.
_LEAD_BREAK = re.compile(r"[，,；;：:]")
#: A lead phrase ("政治领航。") is short; longer first sentences are ordinary prose.
MAX_LEAD = 18
MIN_LEAD = 3
#: In a run of paragraphs that open alike, a lead sentence may be longer and hold commas.
MAX_PARALLEL_LEAD = 30
PARALLEL_PREFIX = 3
#: A numbered line with no body, longer than this, is an item of a list (一、…；二、…；).
MAX_LIST_ITEM = 40
#: A numbered heading that runs into its paragraph is a phrase; a first sentence longer than this
#: makes the item a point of an enumerated list inside the text.
MAX_HEADING_SENTENCE = 50
#: An ordinal point's lead ("一是贯彻落实…精神，推动…发展。") may run longer than a numbered heading.
MAX_ORDINAL_LEAD = 60
_HAN = regex.compile(r"\p{Han}")
#: An ordinal word after a clause break (…，二是…): the sentence enumerates points itself.
_ENUMERATION = re.compile(r"[,，;；][一二三四五六七八九十]是")
#: A sentence too long for a lead phrase: MAX_LEAD + 1 characters without a sentence end.
_LONG_SENTENCE = re.compile(rf"[^。！？!?]{{{MAX_LEAD + 1}}}")


@dataclass(slots=True)
class _Heading:
    rank: int
    kind: str
    style: MarkerStyle | None
    ordinal: int | None
    marker: str | None
    block: Block  # the whole paragraph block the heading opens
    head_end: int  # repaired index where the heading ends within block
    title_start: int  # repaired index where the title starts (after the marker)
    body: Block | None  # the rest of the paragraph, if any
    children: list[_Heading] = field(default_factory=list)
    paragraphs: list[Block] = field(default_factory=list)
    parent: _Heading | None = None
    blocks_used: int = 1  # blocks the heading takes from the cursor (2: printed over two lines)
    rule: str = ""  # the name of the heading rule that found it
    cut_before: bool = False  # (the root only) the text opens inside a report: no title block above it


# ------------------------------------------------------------------ the block cursor


@dataclass(slots=True)
class BlockCursor:
    """The block a rule decides on, with its neighbours in reading order."""

    blocks: list[Block]
    parallel: set[int]  # indices of blocks that open like their neighbours (see _parallel_openings)
    index: int = 0

    @property
    def block(self) -> Block:
        return self.blocks[self.index]

    @property
    def is_parallel(self) -> bool:
        return self.index in self.parallel

    def peek(self, offset: int) -> Block | None:
        """The block ``offset`` places away (negative: before), or None past either end."""
        i = self.index + offset
        return self.blocks[i] if 0 <= i < len(self.blocks) else None


class Verdict(Enum):
    """A rule's answer when it claims no heading: ``PARAGRAPH`` stops the list (the block is
    text, whatever later rules would say); ``None`` (no verdict) passes to the next rule."""

    PARAGRAPH = "paragraph"


#: A heading rule: the heading the cursor's block opens, a verdict that it is a paragraph, or
#: None to leave the decision to the next rule.
HeadingRule = Callable[[BlockCursor], "_Heading | Verdict | None"]


# ------------------------------------------------------------------ heading rules, in order


def numbered_heading(cur: BlockCursor) -> _Heading | Verdict | None:
    """A marker of MARKER_STYLES opens the block (一、 （一） 1. （1） ① 第一， 一是). A block
    with a marker that fails the tests below is a paragraph: no other rule may take it."""
    block = cur.block
    folded = block.folded
    m = match_marker(folded)
    if m is None:
        return None
    stop = SENTENCE_END.search(folded, m.end)
    # Runs into its paragraph: the heading is the first sentence; else the whole line.
    head_end = stop.end() if stop is not None and stop.end() < len(folded) else len(folded)
    spaced = _BODY_AFTER_SPACE.match(folded, m.end)
    if spaced is not None and _real_body(folded, spaced.end()) and spaced.end(1) < head_end:
        head_end = spaced.end(1)  # "一、坚持团结民主 三年来，…": the body follows after a space
    if head_end - m.end > (MAX_ORDINAL_LEAD if m.style.run_in_only else MAX_HEADING_SENTENCE) or (
        head_end >= len(folded) and (len(folded) - m.end > MAX_LIST_ITEM or folded.endswith((";", "；")))
    ):
        head_end = _whole_first_line(block, m.end) or _long_heading_line(cur, m.end) or (
            None if m.style.run_in_only else _title_run_into_body(folded, m.end))
        if head_end is None:
            return Verdict.PARAGRAPH  # a long sentence, or a clause ending in ；: an item of a list
    if m.style.run_in_only:
        # 一是…/第一，… head a paragraph only when a body follows and the first sentence is
        # not itself an enumeration (…，二是…). (A short standalone "第一，…问题。" line is a heading.)
        standalone = head_end >= len(folded)
        short_line = len(folded) <= MAX_HEADING_LINE
        over_body = standalone and short_line and _lead_line_over_body(cur)
        if (standalone and not (short_line and (m.style.name == "cn_di" or over_body))) or (
            _ENUMERATION.search(folded, 0, head_end)
        ):
            return Verdict.PARAGRAPH
        if over_body:  # the body below is the lead's: no rule may read it as a heading of its own
            return _Heading(m.style.rank, "numbered", m.style, m.ordinal, block.text[: m.end].strip(), block,
                            head_end, m.end, cur.peek(1), blocks_used=2)
    second = _second_heading_line(cur, m.end) if head_end >= len(folded) and not m.style.run_in_only else None
    if second is not None:
        joined = block.join(second)
        return _Heading(m.style.rank, "numbered", m.style, m.ordinal, block.text[: m.end].strip(), joined,
                        len(joined.text), m.end, None, blocks_used=2)
    return _Heading(
        m.style.rank, "numbered", m.style, m.ordinal, block.text[: m.end].strip(), block, head_end, m.end,
        _body(block, head_end),
    )


def cut_first_point(cur: BlockCursor) -> _Heading | None:
    """The text's last block opens a series of ordinal points (一是…, 第一，…) and the text stops
    inside its first sentence: the lead, cut off with its series (docs/annotation-guidelines.md)."""
    block = cur.block
    folded = block.folded
    m = match_marker(folded)
    if m is None or not m.style.run_in_only or m.ordinal != 1 or cur.peek(1) is not None:
        return None
    if SENTENCE_END.search(folded, m.end) or folded.rstrip()[-1:] in TERMINAL or len(folded) - m.end > MAX_ORDINAL_LEAD:
        return None
    return _Heading(m.style.rank, "numbered", m.style, m.ordinal, block.text[: m.end].strip(), block, len(folded),
                    m.end, None)


def _second_heading_line(cur: BlockCursor, title_start: int) -> Block | None:
    """The next block, when it is the second line of the cursor's numbered heading, printed over
    two lines ("二、聚焦中心大局" ⏎ "建言资政取得新成效"): a short phrase that ends no clause, with no
    marker, on a line of its own, followed by prose (or nothing) rather than by another phrase."""
    if len(cur.block.parts) != 1 or PHRASE_BREAK.search(cur.block.folded, title_start):
        return None
    nxt, after = cur.peek(1), cur.peek(2)
    if nxt is None or len(nxt.parts) != 1 or not 2 <= len(nxt.folded) <= MAX_SECOND_LINE:
        return None
    f = nxt.folded
    if PHRASE_BREAK.search(f) or f[-1] in HEADING_NON_ENDS or match_marker(f) is not None or not _HAN.search(f):
        return None
    if after is not None and len(after.parts) == 1 and len(after.folded) <= MAX_SECOND_LINE and (
        not SENTENCE_END.search(after.folded)
    ):
        return None  # a third short line: a list of phrases or a block of title lines, not a heading
    return nxt


def _whole_first_line(block: Block, title_start: int) -> int | None:
    """Where the block's first line ends, when that line is a whole heading that the layout
    joined with its body (a hard-wrapped page whose heading filled the line): a phrase of
    heading length with no sentence punctuation that stops on no opening mark."""
    if len(block.parts) < 2:
        return None
    first_start, first_end = block.parts[0]
    end = max((rs + ln for rs, src, ln in block.segments if first_start <= src < first_end), default=0)
    line = block.folded[title_start:end]
    if not MIN_LEAD <= len(line) <= MAX_HEADING_LINE or SENTENCE_PUNCT.search(line) or line[-1] in "“‘「『(《":
        return None
    return end


#: A part's title that lost the line break after it: a short title ending in a noun that names a
#: part of a report, then words that open a sentence of its body (a year, a committee, 一年来).
_TITLE_INTO_BODY = re.compile(
    r"[^，,。；;：:！？!?]{2,16}?(?:情况|回顾|建议|任务|做法|体会|思路|要点|安排)"
    r"(?=(?:19|20)\d{2}年|[省市县区州]政协|全国政协|一年来|五年来|过去|今年|去年|本届|我们|常委会)"
)


def _title_run_into_body(folded: str, title_start: int) -> int | None:
    """Where a numbered part's title ends when its body runs on without a break or a stop
    ("一、提案工作总体情况省政协十二届二次会议以来，…", a database abstract's flattened text)."""
    m = _TITLE_INTO_BODY.match(folded, title_start)
    return m.end() if m is not None else None


def _long_heading_line(cur: BlockCursor, title_start: int) -> int | None:
    """Where a numbered line longer than a list item ends, when it is a heading all the same
    ("（一）坚持用…凝心铸魂，团结奋斗的…基础进一步夯实" ⏎ body): a line of its own that ends no
    sentence or clause, no longer than a heading sentence, with a block after it (a text cut
    off mid-line ends on a fragment, not a heading)."""
    block = cur.block
    folded = block.folded
    if len(block.parts) != 1 or folded[-1] in HEADING_NON_ENDS or len(folded) - title_start > MAX_HEADING_SENTENCE:
        return None
    if PHRASE_BREAK.search(folded, title_start) or cur.peek(1) is None:
        return None
    return len(folded)


def dash_item(cur: BlockCursor) -> Verdict | None:
    """Em-dash items ("——加强…") are list items of their section."""
    return Verdict.PARAGRAPH if cur.block.folded.startswith(("——", "--")) else None


#: A transcript's speaker tag on its own line ("[某某]"): whose words follow, not what they are
#: about. (Square brackets only: "【综述】" is a bracketed heading.)
_SPEAKER_TAG = re.compile(r"\[[^\[\]]{2,4}\]")


def speaker_tag(cur: BlockCursor) -> Verdict | None:
    """A speaker tag is no heading."""
    return Verdict.PARAGRAPH if cur.block.folded[:1] == "[" and _SPEAKER_TAG.fullmatch(cur.block.folded) else None


#: "某某作常务委员会工作报告。", "某某报告提案工作情况。": a story's sentence about the report, not a lead.
_REPORT_DELIVERED = re.compile(r"(?:主席|秘书长|委员|同志)\S{0,4}(?:作|代表\S{0,12}作)\S{0,16}报告$|报告\S{0,12}情况$")


def run_in_lead(cur: BlockCursor) -> _Heading | None:
    """A short lead sentence that opens a paragraph ("政治领航。…"); in a run of paragraphs that
    open alike, a longer one with commas ("五年来，…。")."""
    block = cur.block
    folded = block.folded
    parallel = cur.is_parallel
    limit = MAX_PARALLEL_LEAD if parallel else MAX_LEAD
    stop = SENTENCE_END.search(folded, 0, limit + 2)
    if stop is None or stop.end() >= len(folded):
        return None
    lead = folded[: stop.start()]
    if not (MIN_LEAD <= len(lead) <= limit and stop.group() == "。" and (parallel or not _LEAD_BREAK.search(lead))):
        return None
    if _REPORT_DELIVERED.search(lead):
        return None  # a news sentence: someone delivers a report, its summary follows
    if parallel and _LEAD_BREAK.search(lead) and "是" in lead:
        return None  # "2008年，是…的一年。" "2008年，也是…之年。": statements about the year, not leads
    if _real_body(folded, stop.end()):
        return _Heading(LEAD_RANK, "run_in", None, None, None, block, stop.end(), 0, _body(block, stop.end()))
    return None


def _real_body(folded: str, start: int = 0) -> bool:
    """Text that is prose, not a further short phrase: some sentence from ``start`` on is long or
    holds a clause break ("加强思想引领。党政高度重视。" is a list of phrases, not a body)."""
    return bool(_CLAUSE_PUNCT.search(folded, start) or _LONG_SENTENCE.search(folded, start))


def _lead_line_over_body(cur: BlockCursor) -> bool:
    """The cursor's block is one line that ends in 。, and prose follows in the next block: a
    bold lead the page put on a line of its own."""
    nxt = cur.peek(1)
    block = cur.block
    return (
        len(block.parts) == 1
        and block.folded.endswith("。")
        and nxt is not None
        and match_marker(nxt.folded) is None
        and _real_body(nxt.folded)
    )


def lead_line(cur: BlockCursor) -> _Heading | None:
    """A lead phrase on a line of its own, its body in the next block ("协商议政提质增效。" ⏎
    "一年来，…"): a run-in heading whose body the page moved down; one sentence, as short as an
    inline lead. Like inline leads it must have siblings (prune_lone_series)."""
    block = cur.block
    folded = block.folded
    if len(block.parts) != 1 or not folded.endswith("。") or len(folded) > MAX_PARALLEL_LEAD + 1:
        return None  # (most blocks: paragraphs)
    lead = folded[:-1]
    parallel = _parallel_lead_line(cur)
    if not MIN_LEAD <= len(lead) <= (MAX_PARALLEL_LEAD if parallel else MAX_LEAD) or SENTENCE_END.search(lead):
        return None
    if (_LEAD_BREAK.search(lead) and not parallel) or not _lead_line_over_body(cur):
        return None
    # the body below is the lead's: no rule may read it as a heading of its own
    return _Heading(LEAD_RANK, "run_in", None, None, None, block, len(folded), 0, cur.peek(1), blocks_used=2)


def _parallel_lead_line(cur: BlockCursor) -> bool:
    """Lead lines in a run that open alike ("五年来，经济实力…。" ⏎ body ⏎ "五年来，改革开放…。"):
    as with inline leads, the parallel form admits a longer lead with a comma."""
    key = cur.block.folded[:PARALLEL_PREFIX]
    for offset in (-2, 2):
        other = cur.peek(offset)
        if other is not None and len(other.parts) == 1 and other.folded.endswith("。") and (
            other.folded[:PARALLEL_PREFIX] == key and len(other.folded) <= MAX_PARALLEL_LEAD + 1
        ):
            return True
    return False


def unnumbered_heading(cur: BlockCursor) -> _Heading | None:
    """A short line of its own with no sentence punctuation ("2025年提案工作思路")."""
    block = cur.block
    folded = block.folded
    if (
        len(block.parts) == 1
        and 2 <= len(folded) <= MAX_HEADING_LINE
        and len(_HAN.findall(folded)) >= 2
        and not SENTENCE_PUNCT.search(folded)
        and folded[-1] not in DANGLING_ENDS
        and folded[-1] not in HEADING_NON_ENDS
    ):
        return _Heading(UNNUMBERED_RANK, "unnumbered", None, None, None, block, len(folded), 0, None)
    return None


def year_part_heading(cur: BlockCursor) -> _Heading | None:
    """A part heading of its own line led by a year and a colon ("2026年：凝心聚力再启新程")."""
    block = cur.block
    if len(block.parts) != 1 or not is_part_heading(block.folded):
        return None
    return _Heading(UNNUMBERED_RANK, "unnumbered", None, None, None, block, len(block.folded), 0, None)


#: A heading set in lenticular brackets on a line of its own (【强基固本，力争…】), a web habit.
MAX_BRACKETED = 42
_BRACKETED = re.compile(rf"【[^【】。！？!?]{{2,{MAX_BRACKETED - 2}}}】")


def bracketed_heading(cur: BlockCursor) -> _Heading | None:
    """A line that is one phrase in 【】: a lead heading of the text around it (commas allowed)."""
    block = cur.block
    if len(block.parts) != 1 or not block.folded.startswith("【") or _BRACKETED.fullmatch(block.folded) is None:
        return None
    return _Heading(LEAD_RANK, "unnumbered", None, None, None, block, len(block.folded), 0, None)


def heading_over_series(cur: BlockCursor) -> _Heading | None:
    """A phrase on a line of its own, commas allowed, right above a numbered point
    ("五年来，我们坚持党建引领，把牢政治方向" ⏎ "（一）…"): the heading of the series below."""
    block, nxt = cur.block, cur.peek(1)
    folded = block.folded
    if len(block.parts) != 1 or nxt is None or not MIN_LEAD <= len(folded) <= MAX_HEADING_LINE:
        return None
    if PHRASE_BREAK.search(folded) or folded[-1] in "，,、“‘「『(（《" or folded[-1] in HEADING_NON_ENDS:
        return None
    m = match_marker(nxt.folded)
    if m is None or m.style.run_in_only or not _HAN.search(folded):
        return None
    # it ranks just above the series it heads (below a part heading above it)
    rank = max(UNNUMBERED_RANK, m.style.rank - 1)
    return _Heading(rank, "unnumbered", None, None, None, block, len(folded), 0, None)


#: The heading rules, in the order they are asked, each with the longest block it can take (None:
#: any length): a paragraph is asked only the rules that can take a paragraph.
HEADING_RULES: tuple[tuple[str, HeadingRule, int | None], ...] = (
    ("cut_first_point", cut_first_point, MAX_ORDINAL_LEAD + 4),
    ("numbered", numbered_heading, None),
    ("dash_item", dash_item, None),
    ("speaker_tag", speaker_tag, 6),
    ("run_in_lead", run_in_lead, None),
    ("lead_line", lead_line, MAX_PARALLEL_LEAD + 1),
    ("year_part", year_part_heading, MAX_PART_HEADING),
    ("bracketed", bracketed_heading, MAX_BRACKETED),
    ("unnumbered", unnumbered_heading, MAX_HEADING_LINE),
    ("over_series", heading_over_series, MAX_HEADING_LINE),
)


def classify(
    cur: BlockCursor, rules: tuple[tuple[str, HeadingRule, int | None], ...] = HEADING_RULES
) -> _Heading | None:
    """The heading the cursor's block opens, if any: the first rule that decides."""
    n = len(cur.block.folded)
    for name, rule, longest in rules:
        if longest is not None and n > longest:
            continue
        verdict = rule(cur)
        if verdict is Verdict.PARAGRAPH:
            return None
        if verdict is not None:
            verdict.rule = name
            return verdict
    return None


def _parallel_openings(blocks: list[Block]) -> set[int]:
    """Indices of blocks in a run of ≥ 2 neighbours that open with the same words and a short
    first sentence: the parallel structure of run-in headings ("五年来，…。" "五年来，…。")."""
    out: set[int] = set()
    run: list[int] = []
    key = None
    for i, b in enumerate(blocks):
        f = b.folded
        stop = SENTENCE_END.search(f, 0, MAX_PARALLEL_LEAD + 2)
        k = f[:PARALLEL_PREFIX] if stop is not None and stop.end() < len(f) and match_marker(f) is None else None
        if k is not None and k == key:
            run.append(i)
        else:
            if len(run) >= 2:
                out.update(run)
            run, key = ([i], k) if k is not None else ([], None)
    if len(run) >= 2:
        out.update(run)
    return out


def _body(block: Block, head_end: int) -> Block | None:
    start = head_end
    while start < len(block.text) and block.text[start] in " \u3000":
        start += 1
    return block.slice(start, len(block.text)) if start < len(block.text) else None


# ------------------------------------------------------------------ nesting and tree rules


def build_tree(blocks: list[Block], *, cut_before: bool = False) -> tuple[list[Block], list[_Heading]]:
    """Preamble blocks and the top-level headings, nested by rank. ``cut_before``: the text
    opens inside a report (an excerpt with no title block above its first line)."""
    root = _Heading(-1, "root", None, None, None, blocks[0] if blocks else Block("", []), 0, 0, None)
    root.cut_before = cut_before
    stack = [root]
    preamble: list[Block] = []
    cur = BlockCursor(blocks, _parallel_openings(blocks))
    index = 0
    while index < len(blocks):
        block = blocks[index]
        cur.index = index
        h = classify(cur)
        index += 1 if h is None else h.blocks_used
        if h is None:
            if len(stack) == 1:
                preamble.append(block)
            else:
                stack[-1].paragraphs.append(block)
            continue
        _drop_empty_title_line(stack, h, preamble)
        if announces_series(stack[-1], h):
            h.rank = stack[-1].rank + 1
        else:
            h.rank = _open_series_rank(stack, h)
        while stack[-1].rank >= h.rank:
            stack.pop()
        parent = stack[-1]
        h.parent = parent
        parent.children.append(h)
        if h.body is not None:
            h.paragraphs.append(h.body)
        stack.append(h)
    for _name, rule in TREE_RULES:
        rule(root)
    # a lone lead phrase demoted at the top level is preamble text, in reading order
    preamble.extend(root.paragraphs)
    return preamble, root.children


def _open_series_rank(stack: list[_Heading], h: _Heading) -> int:
    """The rank of the open heading whose series ``h`` continues (a sibling of an announced
    series takes its rank), else ``h``'s own."""
    if not (h.kind == "run_in" or (h.style is not None and h.style.run_in_only)):
        return h.rank  # only lead phrases and ordinal words are ever re-ranked
    key = _key(h)
    for open_heading in reversed(stack):
        if _key(open_heading) == key:
            return open_heading.rank
    return h.rank


def _drop_empty_title_line(stack: list[_Heading], h: _Heading, preamble: list[Block]) -> None:
    """Two title-like lines in a row: the first is not a heading of an empty section."""
    top = stack[-1]
    if h.rule != "unnumbered" or len(stack) <= 1 or top.rule != "unnumbered" or top.rank != h.rank or (
        top.paragraphs or top.children
    ):
        return
    stack.pop()
    top.parent.children.pop()  # type: ignore[union-attr]  # top is its parent's last child
    (stack[-1].paragraphs if len(stack) > 1 else preamble).append(top.block)


#: The end of a lead's text that announces the points below it ("…做好以下三项工作。", "…如下：").
_ANNOUNCEMENT = re.compile(r"(?:以下|如下|下列)[^。；;]{0,12}[。:：]$|[:：]$")


def announces_series(top: _Heading, h: _Heading) -> bool:
    """A lead phrase whose text ends by announcing points, followed by ordinal points (第一，…
    under "委员工作室提质。…做好以下三项工作。"): they are its children, whatever their rank."""
    if top.kind != "run_in" or h.style is None or not h.style.run_in_only or top.children:
        return False
    last = top.paragraphs[-1] if top.paragraphs else top.block
    return _ANNOUNCEMENT.search(last.folded) is not None


def prune_lone_series(node: _Heading, at_text_end: bool = True) -> None:
    """Lead phrases and ordinal words need at least one sibling of their kind; else demote.
    Except a lead that opens the last paragraph of the text under a section: the text stops
    (an excerpt cut off) where its series would go on; and, in a text cut before its first line
    (``node.cut_before``), a first ordinal point numbered past one, whose series began before the
    cut. ``at_text_end``: nothing follows ``node``."""
    kids = node.children
    keys = [_key(k) for k in kids if k.kind == "run_in" or (k.style and k.style.run_in_only)]
    members = Counter(keys) if keys else {}
    lone = [k for k in kids if members.get(_key(k)) == 1] if members else []
    # decided on the children as they stand, in reading order: a lone lead is last (or first)
    # when only other lone leads, demoted too, follow (or precede) it
    place = {id(k): i for i, k in enumerate(kids)} if lone else {}
    kept = {id(k) for i, k in enumerate(lone) if (
        (at_text_end and place[id(k)] == len(kids) - len(lone) + i and _series_cut_off(node, k))
        or (node.cut_before and place[id(k)] == i and _series_began_before(k)))}
    for k in lone:
        if id(k) not in kept:
            _demote(node, k)
    for k in node.children:
        prune_lone_series(k, at_text_end and k is node.children[-1])


#: Rules over the nested tree, run in order from the root once every block is placed.
TREE_RULES: tuple[tuple[str, Callable[[_Heading], None]], ...] = (("prune_lone_series", prune_lone_series),)


def _series_cut_off(node: _Heading, lone: _Heading) -> bool:
    """A lone lead, last in the text, that could open a series the text's end cut off: a first
    ordinal point (一是…), or a lead phrase under a section whose paragraph is the text's last
    and stops mid-sentence (docs/annotation-guidelines.md, "A series the text cuts off"). A lead
    with paragraphs of its own after it had room for a sibling and got none."""
    if lone.children:
        return False
    if lone.ordinal == 1:
        return True
    if lone.kind != "run_in" or node.kind == "root" or any(p is not lone.body for p in lone.paragraphs):
        return False
    last = (lone.body or lone.block).folded.rstrip()
    # the text must be cut (a complete text that ends on one lead phrase has no series): it stops
    # mid-sentence, or inside the first point of a numbered series; and a statement ("政治协商是…
    # 职能。") opens prose, a lead names an action or a field
    text_cut = last[-1:] not in TERMINAL or _inside_first_point(node)
    return text_cut and "是" not in lone.block.folded[: lone.head_end]


def _series_began_before(lone: _Heading) -> bool:
    """The first heading of a text that opens inside a report, an ordinal point numbered two
    or more (第二，…, 二是…): the points before it are lost to the cut at the start."""
    return lone.style is not None and lone.style.run_in_only and (lone.ordinal or 0) >= 2


def _inside_first_point(node: _Heading) -> bool:
    """``node`` or a section above it is the first point of a numbered series (一、, （一）) and the
    text ends inside it: a report does not number a series of one, so the text was cut there."""
    at: _Heading | None = node
    while at is not None and at.kind != "root":
        if at.kind == "numbered" and at.ordinal == 1:
            return True
        at = at.parent
    return False


def _demote(node: _Heading, lone: _Heading) -> None:
    """Fold a heading back into the text: its paragraph and its own content join the previous
    sibling (or the parent) in order."""
    kids = node.children
    if lone not in kids:
        return
    idx = kids.index(lone)
    target = kids[idx - 1] if idx > 0 else node
    target.paragraphs.append(lone.block)
    # a run-in lead's body is the rest of its own block (already in it); a lead line's is the next block
    target.paragraphs.extend(p for p in lone.paragraphs if p is not lone.body or lone.blocks_used > 1)
    for child in lone.children:
        child.parent = target
        target.children.append(child)
    kids.remove(lone)


def _key(h: _Heading) -> str:
    return h.style.name if h.style else h.kind


#: Marker styles that always stand under a numbered parent in a report (（一） under 一、), and the
#: level they take when an excerpt's cut lost that parent.
LEVEL_UNDER_LOST_PARENT = {"cn_paren": 2}


def top_level(preamble: list[Block], top: list[_Heading]) -> int:
    """The level of the top headings of an excerpt that opens inside a report: one more than the
    parents its cut lost when every top heading is of a style that always has a parent, and the
    text shows the cut (text before the first of them, or a first point numbered past one). A
    text that opens with （一） may be all there is: its top level is 1."""
    if not top or not (preamble or (top[0].ordinal or 1) > 1):
        return 1
    levels = {LEVEL_UNDER_LOST_PARENT.get(h.style.name, 1) if h.style else 1 for h in top}
    return levels.pop() if len(levels) == 1 else 1


def to_sections(headings: list[_Heading], parent_id: str, level: int,
                issues: list[NumberingIssue]) -> list[StructuredSection]:
    """The nested headings as sections of the structured document, numbering checked on the way."""
    sections: list[StructuredSection] = []
    _check_numbering(headings, issues)
    for pos, h in enumerate(headings, start=1):
        sid = f"{parent_id}.{pos}" if parent_id else str(pos)
        children = to_sections(h.children, sid, level + 1, issues)
        hs, he = h.block.input_span(0, h.head_end)
        title = h.block.text[h.title_start : h.head_end].strip().rstrip("。.")
        end = max([he] + [paragraph_span(p)[1] for p in h.paragraphs] + [c.span[1] for c in children])
        sections.append(StructuredSection(
            id=sid,
            level=level,
            marker=h.marker,
            ordinal=h.ordinal,
            marker_style=h.style.name if h.style else None,
            kind=h.kind,
            title=title,
            heading=h.block.slice(0, h.head_end),
            heading_span=(hs, he),
            span=(hs, end),
            paragraphs=h.paragraphs,
            children=children,
        ))
    return sections


#: Past this many numbering diagnostics of one kind in a document, the rest are counted in one
#: summary diagnostic instead of being listed (100 000 "一、" lines need not give 100 000 entries).
MAX_DIAGNOSTICS_PER_CODE = 20

#: (code, severity, message, start, end): a numbering finding, made a Diagnostic by numbering_diagnostics.
NumberingIssue = tuple[str, str, str, int, int]


def _numbering_issue(o: int, prev: int | None) -> tuple[str, str, str] | None:
    """(code, severity, message template) for item ``o`` after item ``prev``, or None if fine."""
    if prev is None:
        return None if o == 1 else ("numbering.late_start", "warning", "series {m!r} starts at {o}, not 1")
    if o == prev + 1:
        return None
    if o == 1:
        return ("numbering.restart", "info", "numbering restarts at {m!r} after item {p}")
    if o == prev:
        return ("numbering.repeat", "warning", "item {o} ({m!r}) appears twice in a row")
    if o > prev + 1:
        return ("numbering.gap", "warning", "numbering jumps from {p} to {o} at {m!r}")
    return ("numbering.out_of_order", "warning", "item {o} ({m!r}) follows item {p}")


def _check_numbering(headings: list[_Heading], issues: list[NumberingIssue]) -> None:
    last: dict[str, int] = {}
    for h in headings:
        if h.style is None or h.ordinal is None:
            if h.kind == "unnumbered":
                last.clear()  # numbering restarts after an unnumbered heading
            continue
        prev = last.get(h.style.name)
        last[h.style.name] = h.ordinal
        issue = _numbering_issue(h.ordinal, prev)
        if issue is not None:
            code, severity, template = issue
            end = h.block.input_span(0, h.head_end)[1]
            issues.append((code, severity, template.format(m=h.marker, o=h.ordinal, p=prev), h.block.start, end))


def numbering_diagnostics(issues: list[NumberingIssue]) -> list[Diagnostic]:
    """The first MAX_DIAGNOSTICS_PER_CODE findings of each kind, then one summary per kind."""
    out: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for code, severity, message, start, end in issues:
        seen[code] = seen.get(code, 0) + 1
        if seen[code] <= MAX_DIAGNOSTICS_PER_CODE:
            out.append(Diagnostic(code=code, severity=severity,  # type: ignore[arg-type]
                                  message=message, span=Span(start=start, end=end)))
    out.extend(
        Diagnostic(code=f"{code}.more", severity="info",
                   message=f"{n - MAX_DIAGNOSTICS_PER_CODE} more {code} findings not listed")
        for code, n in seen.items() if n > MAX_DIAGNOSTICS_PER_CODE
    )
    return out
