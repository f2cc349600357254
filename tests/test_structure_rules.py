"""Each heading rule and tree rule of the structure stage, alone, on blocks built by hand."""

from __future__ import annotations

import pytest

import zhdoc
from zhdoc.normalize import Block, fold, make_block
from zhdoc.structure.markers import MARKER_STYLES, match_marker
from zhdoc.structure.tree import (
    HEADING_RULES,
    BlockCursor,
    Verdict,
    build_tree,
    classify,
    dash_item,
    numbered_heading,
    prune_lone_series,
    run_in_lead,
    unnumbered_heading,
)


def blocks_of(*paragraphs: str) -> list[Block]:
    """One block per paragraph, as if each stood on its own line of one text."""
    text = "\n".join(paragraphs)
    folded = fold(text)
    out, pos = [], 0
    for p in paragraphs:
        out.append(make_block(text, [(pos, pos + len(p))], folded))
        pos += len(p) + 1
    return out


def cursor(*paragraphs: str, index: int = 0, parallel: set[int] | None = None) -> BlockCursor:
    return BlockCursor(blocks_of(*paragraphs), parallel or set(), index)


# ------------------------------------------------------------------ numbered


def test_numbered_takes_a_marker_and_its_first_sentence() -> None:
    h = numbered_heading(cursor("一、坚持政治引领。今年我们召开了十二次会议，形成一批成果。"))
    assert h is not None and h is not Verdict.PARAGRAPH
    assert (h.kind, h.style.name, h.ordinal, h.marker) == ("numbered", "cn_dun", 1, "一、")
    assert h.block.text[h.title_start:h.head_end] == "坚持政治引领。"
    assert h.body is not None and h.body.text.startswith("今年")


def test_numbered_declares_list_items_paragraphs() -> None:
    # a numbered line ending in ； is an item of a list; no later rule may take it
    assert numbered_heading(cursor("1.加强协商；")) is Verdict.PARAGRAPH
    long_item = "（二）" + "各级政协组织围绕中心工作积极建言献策" * 3 + "。后文。"
    assert numbered_heading(cursor(long_item)) is Verdict.PARAGRAPH


def test_numbered_ordinal_words_need_a_body_and_no_enumeration() -> None:
    assert numbered_heading(cursor("一是加强学习。组织委员学习，开展调研。")) not in (None, Verdict.PARAGRAPH)
    assert numbered_heading(cursor("一是加强学习")) is Verdict.PARAGRAPH  # standalone
    assert numbered_heading(cursor("一是加强学习，二是开展调研。其后正文。")) is Verdict.PARAGRAPH
    assert numbered_heading(cursor("政治领航。正文，正文。")) is None  # no marker: not this rule's


# ------------------------------------------------------------------ the others


def test_dash_item_is_a_paragraph() -> None:
    assert dash_item(cursor("——加强理论学习。")) is Verdict.PARAGRAPH
    assert dash_item(cursor("加强理论学习。")) is None


def test_run_in_lead_needs_a_short_lead_and_a_real_body() -> None:
    h = run_in_lead(cursor("政治领航。一年来，我们坚持把学习贯穿始终。"))
    assert h is not None and h.kind == "run_in" and h.block.text[: h.head_end] == "政治领航。"
    assert run_in_lead(cursor("加强思想引领。党政高度重视。")) is None  # short phrases only
    assert run_in_lead(cursor("五年来，我们坚持团结民主。一年来，我们坚持把学习贯穿始终。")) is None
    # the same paragraph in a run that opens alike: a longer lead with a comma is a heading
    par = cursor("五年来，我们坚持团结民主。一年来，我们坚持把学习贯穿始终。", parallel={0})
    assert run_in_lead(par) is not None


def test_unnumbered_heading_is_a_short_line_without_sentence_punctuation() -> None:
    h = unnumbered_heading(cursor("2025年提案工作思路"))
    assert h is not None and h.kind == "unnumbered"
    assert unnumbered_heading(cursor("今年，我们继续努力。")) is None
    assert unnumbered_heading(cursor("围绕中心工作的")) is None  # dangles
    assert unnumbered_heading(cursor("AB")) is None  # needs two Han characters


def test_classify_asks_rules_in_order_and_stops_at_a_verdict() -> None:
    names = [name for name, _, _ in HEADING_RULES]
    assert names.index("numbered") < names.index("dash_item") < names.index("run_in_lead") < names.index("unnumbered")
    # a rejected numbered item is not retried as an unnumbered line
    assert classify(cursor("1.加强协商；")) is None
    # a custom rule list: a rule that declares everything a paragraph hides every heading
    assert classify(cursor("2025年提案工作思路"), (("none", lambda c: Verdict.PARAGRAPH, None), *HEADING_RULES)) is None


def test_cursor_sees_neighbours() -> None:
    cur = cursor("甲乙丙", "丁戊己", "庚辛壬", index=1)
    assert cur.block.text == "丁戊己"
    assert cur.peek(-1).text == "甲乙丙" and cur.peek(1).text == "庚辛壬"  # type: ignore[union-attr]
    assert cur.peek(-2) is None and cur.peek(2) is None


# ------------------------------------------------------------------ tree rules


def test_prune_lone_series_demotes_a_single_lead() -> None:
    pre, top = build_tree(blocks_of(
        "一、总体情况",
        "政治领航。一年来，我们坚持把学习贯穿始终，形成共识。",
        "其他工作，也取得了成效。",
    ))
    assert [h.kind for h in top] == ["numbered"] and top[0].children == []
    assert [p.text[:4] for p in top[0].paragraphs] == ["政治领航", "其他工作"]
    # two leads form a series and stay headings
    _, top = build_tree(blocks_of(
        "一、总体情况",
        "政治领航。一年来，我们坚持把学习贯穿始终，形成共识。",
        "协商议政。一年来，我们围绕中心工作开展协商，成效明显。",
    ))
    assert [h.kind for h in top[0].children] == ["run_in", "run_in"]
    prune_lone_series(top[0])  # idempotent on a tree that already holds
    assert len(top[0].children) == 2 and pre == []


def test_two_title_lines_in_a_row_keep_only_the_second_as_heading() -> None:
    pre, top = build_tree(blocks_of("政协工作回顾", "二〇二五年工作安排", "今年，我们要继续努力，做好工作。"))
    assert [h.block.text for h in top] == ["二〇二五年工作安排"]
    assert [b.text for b in pre] == ["政协工作回顾"]


@pytest.mark.parametrize("style", MARKER_STYLES, ids=lambda s: s.name)
def test_marker_styles_first_characters_cover_their_patterns(style) -> None:  # type: ignore[no-untyped-def]
    # every first character a style names starts a marker of that style, and markers found in
    # example headings start with one of them
    examples = {"cn_dun": "三、", "cn_paren": "(三)", "ar_dun": "3、", "ar_dot": "3.", "ar_paren": "(3)",
                "circled": "③", "cn_di": "第三,", "cn_shi": "三是", "cn_yao": "三要", "cn_bare": "三"}
    # a style whose marker is the whole line takes no title after it
    m = match_marker(examples[style.name] + ("" if style.alone else "加强协商"))
    assert m is not None and m.style is style and examples[style.name][0] in style.firsts
    assert not style.alone or match_marker(examples[style.name] + "加强协商") is None


# ------------------------------------------------------------------ rules for scraped layouts

BODY = "一年来，我们围绕中心工作开展协商，形成一批成果。"


def test_lead_line_needs_a_body_below() -> None:
    from zhdoc.structure.tree import lead_line

    h = lead_line(cursor("协商议政提质增效。", BODY))
    assert h is not None and h.kind == "run_in" and h.blocks_used == 2
    assert h.body is not None and h.body.text == BODY  # the body below is the lead's
    assert lead_line(cursor("协商议政提质增效。", "党政高度重视。")) is None  # phrases, not a body
    assert lead_line(cursor("协商议政提质增效。")) is None  # nothing below
    assert lead_line(cursor("一年来，我们开展协商。", BODY)) is None  # a clause break: prose
    assert lead_line(cursor("协商议政提质增效", BODY)) is None  # no 。: the unnumbered rule's


def test_ordinal_lead_on_its_own_line_heads_the_body_below() -> None:
    assert numbered_heading(cursor("一是加强学习。", BODY)) not in (None, Verdict.PARAGRAPH)
    assert numbered_heading(cursor("一是加强学习。", "二是开展调研。")) is Verdict.PARAGRAPH


def test_leads_on_their_own_lines_form_a_series_with_inline_ones() -> None:
    _, top = build_tree(blocks_of("一、总体情况", "政治领航。", BODY, "协商议政。" + BODY))
    assert [h.block.text for h in top[0].children] == ["政治领航。", "协商议政。" + BODY]
    assert [p.text for p in top[0].children[0].paragraphs] == [BODY]


def test_ordinal_points_nest_under_a_lead_that_announces_them() -> None:
    _, top = build_tree(blocks_of(
        "一、总体情况",
        "委员工作室提质。在巩固现有工作室的基础上，重点做好以下三项工作。",
        "第一，完善运行机制。制定考核办法，实行年度评定。",
        "第二，打造特色品牌。总结提炼经验做法，发挥示范作用。",
        "社情民意提速。建立信息报送通道，全年编报信息一批。",
    ))
    leads = top[0].children
    assert [h.kind for h in leads] == ["run_in", "run_in"]
    assert [h.marker for h in leads[0].children] == ["第一，", "第二，"]
    # without the announcement the points outrank the lead, which is then alone and demoted
    _, top = build_tree(blocks_of(
        "一、总体情况",
        "委员工作室提质。在巩固现有工作室的基础上，重点做好各项工作。",
        "第一，完善运行机制。制定考核办法，实行年度评定。",
        "第二，打造特色品牌。总结提炼经验做法，发挥示范作用。",
    ))
    assert [h.marker for h in top[0].children] == ["第一，", "第二，"]


def test_a_numbered_heading_that_filled_its_line_is_that_line() -> None:
    text = "二、经济社会发展总体要求和政策取向\n今年是关键一年，做好政府工作意义重大，要坚持稳中求进工作总基调。"
    block = make_block(text, [(0, 17), (18, len(text))], fold(text))
    h = numbered_heading(BlockCursor([block], set()))
    assert h is not None and h is not Verdict.PARAGRAPH
    assert block.text[h.title_start:h.head_end] == "经济社会发展总体要求和政策取向"
    assert h.body is not None and h.body.text.startswith("今年")


def test_numbered_heading_with_its_body_after_a_space() -> None:
    h = numbered_heading(cursor("一、坚持团结民主 三年来，我们坚持大团结大联合，成效明显。"))
    assert h is not None and h is not Verdict.PARAGRAPH
    assert h.block.text[h.title_start:h.head_end] == "坚持团结民主"
    assert h.body is not None and h.body.text.startswith("三年来")
    # spaces between the words of a heading stay in it when no body follows
    h = numbered_heading(cursor("二、红武共进 界别同行"))
    assert h is not None and h is not Verdict.PARAGRAPH and h.block.text[h.title_start:h.head_end] == "红武共进 界别同行"


def test_year_part_heading() -> None:
    from zhdoc.structure.tree import year_part_heading

    assert year_part_heading(cursor("2026年：凝心聚力再启新程")) is not None
    assert year_part_heading(cursor("二〇二五年：守正创新开新局")) is not None
    assert year_part_heading(cursor("2026年：我们要继续努力，做好工作。")) is None  # a sentence
    assert outline_of("2025年：守正创新开新局\n一年来，我们做了很多工作，成效明显。") == [(1, None, "2025年：守正创新开新局")]


def test_ordinal_yao_and_ordinals_inside_a_broken_sentence() -> None:
    assert outline_of(f"一要加强学习。\n{BODY}\n二要开展调研。\n{BODY}") == [(1, "一要", "加强学习"), (1, "二要", "开展调研")]
    # "…的发展，" ⏎ "一要…，" ⏎ "…；": one sentence broken over lines, no point of a series
    text = "为了加快农业的发展，\n一要继续执行正确的农村政策，\n进一步活跃农村商品经济；\n二要加强科技推广，\n帮助农民提高水平。"
    doc = zhdoc.parse(text, extract=False)
    assert doc.reports[0].sections == []
    assert doc.reports[0].preamble[0].text.startswith("为了加快农业的发展，一要继续")


def outline_of(text: str) -> list[tuple[int, str | None, str]]:
    from conftest import flatten

    doc = zhdoc.parse(text, extract=False)
    return [(s.level, s.marker, s.title) for r in doc.reports for s in flatten(r.sections)]


def test_bracketed_heading_and_heading_over_a_series() -> None:
    from zhdoc.structure.tree import bracketed_heading, heading_over_series

    assert bracketed_heading(cursor("【强基固本，力争在提高提案质量上再上新台阶】")) is not None
    assert bracketed_heading(cursor("【强基固本。】后文")) is None
    h = heading_over_series(cursor("五年来，我们坚持党建引领，把牢政治方向", "（一）强化思想引领。正文，正文。"))
    assert h is not None and h.rank == 1  # just above the （一） series it heads
    assert heading_over_series(cursor("五年来，我们坚持党建引领，把牢政治方向", BODY)) is None
    assert heading_over_series(cursor("主要做了以下工作：", "（一）强化思想引领。正文，正文。")) is None
    outline = outline_of("五年来工作回顾\n五年来，我们坚持党建引领，把牢政治方向\n（一）强化思想引领。正文，正文。\n"
                         "（二）强化制度引领。正文，正文。")
    assert [level for level, _, _ in outline] == [1, 2, 3, 3]


def test_length_gates_only_skip_rules_that_would_pass(corpus_records) -> None:  # type: ignore[no-untyped-def]
    """classify skips a rule for blocks longer than its stated limit: on every block of the
    corpus (and made-up long forms of each kind), the rule itself says no to such blocks."""
    from zhdoc.normalize import normalize
    from zhdoc.structure.layout import build_blocks

    blocks = [b for r in corpus_records for b in build_blocks(normalize(r["content"]))[0]]
    blocks += blocks_of("【" + "强基固本" * 12 + "】", "2025年：" + "守正创新" * 8, "协商议政" * 9 + "。", BODY)
    for name, rule, longest in HEADING_RULES:
        if longest is None:
            continue
        for i, b in enumerate(blocks):
            if len(b.folded) > longest:
                assert rule(BlockCursor(blocks, set(), i)) is None, (name, b.text[:30])
