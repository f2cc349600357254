"""Anchored scans find exactly what a full ``finditer`` pass finds.

Extractors run their patterns only near an anchor character (:func:`zhdoc.extract.base.anchored_finditer`);
that is a speed device, never a change of output. Each anchored pattern is compared here with its
own full pass: on generated text dense in the characters the patterns care about, and on every
real report beside this checkout.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhdoc.extract import names, temporal
from zhdoc.extract.base import Anchor, anchored_finditer
from zhdoc.normalize import fold

ANCHORED: dict[str, tuple[Any, Anchor]] = {
    "date": (temporal.DATE_RE, temporal._DATE_ANCHOR),
    "relative date": (temporal._RELATIVE_RE, temporal._RELATIVE_ANCHOR),
    "stamp": (temporal.STAMP_RE, temporal._STAMP_ANCHOR),
    "month and day": (temporal.MONTH_DAY_RE, temporal._MONTH_DAY_ANCHOR),
    "day alone": (temporal.DAY_RE, temporal._DAY_ANCHOR),
    "clock time": (temporal.CLOCK_RE, temporal._CLOCK_ANCHOR),
    "period": (temporal.PERIOD_RE, temporal._PERIOD_ANCHOR),
    "session": (temporal.SESSION_RE, temporal._SESSION_ANCHOR),
    "party congress": (temporal.PARTY_CONGRESS_RE, temporal._PARTY_CONGRESS_ANCHOR),
    "title before a name": (names._TITLE_BEFORE_NAME, names._TITLE_ANCHOR),
    "place suffix": (names._SUFFIX_RE, names._SUFFIX_ANCHOR),
    "quotation": (names._QUOTE_RE, names._QUOTE_ANCHOR),
    "known person": names._person_tables()[:2],
}

# pieces of the forms the patterns read, single characters around them, punctuation
_PIECES = (
    "中共 党的 中国共产党 全国代表大会 第 十九 二十 二十三 八 十 十四 三 2024 1955 一九五五 12 届 大 大会 四次 次 全会 会议 全体会议 会 "
    "二中、 三中 历次全会 委员 代表 全国委员会 人大常委会 年 月 日 今年 去年 过去一年 一年来 本年度 新的一年 五年来 "
    "5年来 过去的五年 今后三年 昨日 新一年 本届以来 昨天 去年底 度 底 初 上午 下午 时 时间 - / . : 05 2021 09 30 上午9时 (星期三) 上 开幕 电 "
    "五 个五年计划 规划 时期 “ ” \" ' 「 」 、 ， 。 \n 学 力 的 工作 区政协 "
    "副 主席 书记 主任 区长 市长 镇长 部长 秘书长 总理 委员长 院长 局长 同志 同志们 王静 \u3000 "
    "习近平 李克强 李强 李鹏 周恩来 王沪宁 江泽民 江苏 刘 王 "
    "武进 常州 雪堰 自治区 街道 省 市 县 区 村 镇 乡 地区 农村 城镇 城乡 全区 开发区 市场 区域 社区"
).split(" ")
_TEXT = st.lists(st.sampled_from(_PIECES + list("0123456789一二三四五六七八九十年届大五席记长任理志省市县区村镇乡")), max_size=30).map("".join)


def _matches(pattern: Any, found: Any) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in found]


@pytest.mark.parametrize("name", list(ANCHORED))
@settings(max_examples=400, deadline=None)
@given(text=_TEXT)
def test_anchored_scan_equals_full_pass_on_generated_text(name: str, text: str) -> None:
    pattern, anchor = ANCHORED[name]
    assert _matches(pattern, anchored_finditer(pattern, text, anchor)) == _matches(pattern, pattern.finditer(text))


@pytest.mark.parametrize("name", list(ANCHORED))
def test_anchored_scan_equals_full_pass_on_real_reports(name: str, corpus_records: list[dict], seed_text: str) -> None:
    pattern, anchor = ANCHORED[name]
    found = 0
    for text in [seed_text] + [r["content"] for r in corpus_records]:
        folded = fold(text)
        expected = _matches(pattern, pattern.finditer(folded))
        assert _matches(pattern, anchored_finditer(pattern, folded, anchor)) == expected
        found += len(expected)
    if name not in _NEWS_PAGE_FORMS:
        assert found > 0  # the comparison saw real matches


#: Forms that carrier pages and news leads write (stamps, 14日上午, 9时), which the seed and the
#: corpus of whole reports do not hold: the generated text above is their comparison.
_NEWS_PAGE_FORMS = {"stamp", "day alone", "clock time"}


def test_anchor_after_filters_the_character_before() -> None:
    import regex

    pattern = regex.compile(r"[0-9]年")
    anchor = Anchor("年", reach=1, after="0123456789")
    assert [m.group() for m in anchored_finditer(pattern, "年2年去年9年", anchor)] == ["2年", "9年"]


def test_han_class_is_regex_han_script() -> None:
    import re

    import regex

    from zhdoc.extract.base import HAN

    ours, script = re.compile(f"[{HAN}]"), regex.compile(r"\p{Han}")
    for cp in [*range(0x10000), *range(0x16F00, 0x17000), *range(0x20000, 0x34000, 7)]:
        if 0xD800 <= cp <= 0xDFFF:
            continue  # surrogates are no characters
        ch = chr(cp)
        assert bool(ours.match(ch)) == bool(script.match(ch)), hex(cp)


def _alternation_places(folded: str) -> list[tuple[int, str]]:
    import re

    table = names._place_table()
    alternation = re.compile("|".join(re.escape(n) for n in sorted(table, key=len, reverse=True)))
    return [(m.start(), m.group()) for m in alternation.finditer(folded)]


_PLACE_TEXT = st.lists(st.sampled_from(sorted(names._place_table()) + list("的市区县省镇中国江苏南京北") + ["中华人民共和国"]),
                       max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_PLACE_TEXT, cut=st.integers(min_value=0, max_value=40))
def test_known_places_equal_longest_first_alternation(text: str, cut: int) -> None:
    text = text[:cut] + text[cut + 1:]  # a name cut in two leaves a prefix of it
    assert list(names._known_places(text)) == _alternation_places(text)


def test_known_places_on_real_reports(corpus_records: list[dict], seed_text: str) -> None:
    for text in [seed_text] + [r["content"] for r in corpus_records]:
        folded = fold(text)
        assert list(names._known_places(folded)) == _alternation_places(folded)
