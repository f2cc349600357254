"""Dates on news pages and reports (issue 17, classes 6–7): stamps with their time, month-days
and days a lead writes without a year, clock times, relative words resolved against the
meeting's year. Sentences written for these tests in the genre's style."""

from __future__ import annotations

from typing import Any

import zhdoc
from zhdoc.extract.base import Context
from zhdoc.extract.temporal import extract_dates
from zhdoc.normalize import fold


def dates(text: str, **ctx: Any) -> dict[str, tuple[str | None, str, bool]]:
    """surface → (value, granularity, relative) of extract_dates on ``text``."""
    found = extract_dates(text, fold(text), Context(**ctx))
    return {text[r.start:r.end]: (r.fields["value"], r.fields["granularity"], r.fields["relative"]) for r in found}


def test_stamps_carry_their_time() -> None:
    d = dates("发布：2024-01-12 09:15:03 来源：某某日报；2022/1/7；05.01.2021 09:30；2007年03月03日 17:21；"
              "2025年02月17日18:54")
    assert d["2024-01-12 09:15:03"] == ("2024-01-12T09:15:03", "second", False)
    assert d["2022/1/7"] == ("2022-01-07", "day", False)
    assert d["05.01.2021 09:30"] == ("2021-01-05T09:30", "minute", False)
    assert d["2007年03月03日 17:21"] == ("2007-03-03T17:21", "minute", False)
    assert d["2025年02月17日18:54"] == ("2025-02-17T18:54", "minute", False)


def test_hours_spaces_and_full_width_digits() -> None:
    d = dates("2016年3月3日下午3时，大会开幕。2024 年是关键之年，２０２３年成效明显，二〇二四年三月召开。")
    assert d["2016年3月3日下午3时"] == ("2016-03-03T15:00", "minute", False)
    assert d["2024 年"] == ("2024", "year", False)
    assert d["２０２３年"] == ("2023", "year", False)
    assert d["二〇二四年三月"] == ("2024-03", "month", False)


def test_year_end_and_business_year_stay_in_the_span() -> None:
    d = dates("截至2023年底，办复率100%；2023年度优秀提案；截至2023年11月底全部办结，于7月底前完成。", year=2024)
    assert d["2023年底"] == ("2023", "year", False)
    assert d["2023年度"] == ("2023", "year", False)
    assert d["2023年11月底"] == ("2023-11", "month", False)
    assert d["7月底"] == ("2024-07", "month", False)


def test_relative_words_resolve_against_the_dateline_year() -> None:
    d = dates("一年来，区政协认真履职，全年开展协商12次。新的一年，我们要再接再厉。五年来成绩显著。"
              "过去5年，委员提交提案500件。今后三年任务艰巨。", year=2024)
    assert d["一年来"] == ("2023", "year", True)
    assert d["全年"] == ("2023", "year", True)  # after 一年来: the reviewed year
    assert d["新的一年"] == ("2024", "year", True)
    assert d["五年来"] == ("2019/2023", "interval", True)
    assert d["过去5年"] == ("2019/2023", "interval", True)
    assert d["今后三年"] == (None, "interval", True)  # whether the meeting's year counts is not said


def test_plan_part_year_for_the_whole_year() -> None:
    d = dates("今年是某某区发展的关键之年，全年要完成协商任务20项。", year=2025)
    assert d["今年"] == ("2025", "year", True) and d["全年"] == ("2025", "year", True)


def test_news_lead_takes_its_year_from_the_text() -> None:
    d = dates("1月9日上午，政协某某县第十届委员会第三次会议隆重开幕。报告指出，2023年，县政协围绕中心履职尽责。"
              "9时整，大会开始。一年来，共收到提案120件。截至去年底，提案全部办复。")
    assert d["1月9日"] == ("2024-01-09", "day", False)
    assert d["9时"] == ("2024-01-09T09:00", "minute", False)
    assert d["一年来"] == ("2023", "year", True)
    assert d["去年底"] == ("2023", "year", True)


def test_plan_year_written_with_this_year_after_it() -> None:
    d = dates("1月17日，某某区政协十届二次会议开幕。2018年，是全面贯彻落实的开局之年。今年区政协工作的总体思路是。")
    assert d["1月17日"] == ("2018-01-17", "day", False)
    assert d["今年"] == ("2018", "year", True)


def test_page_date_resolves_yesterday_and_a_day_alone() -> None:
    d = dates("某某市政协十届三次会议昨天上午开幕。上午9时，副主席宣布开幕。14日上午，委员分组讨论。",
              published="2005-01-18T02:20")
    assert d["昨天"] == ("2005-01-17", "day", True)
    assert d["上午9时"] == ("2005-01-17T09:00", "minute", False)
    assert d["14日"] == ("2005-01-14", "day", False)


def test_page_printed_again_years_later_keeps_the_reports_year() -> None:
    # a page dated 2021 carries a 2015 meeting's news: its year comes from the text
    d = dates("1月26日上午，县政协九届五次会议开幕。报告指出，2014年是关键之年。一年来，县政协履职尽责。",
              published="2021-08-31")
    assert d["1月26日"] == ("2015-01-26", "day", False)


def test_unresolved_without_a_year() -> None:
    d = dates("26日，某某市政协六届四次会议开幕。五年来成绩显著。")
    assert d["26日"] == (None, "day", False)
    assert d["五年来"] == (None, "interval", True)


def test_durations_and_words_are_no_dates() -> None:
    d = dates("审查期限为30日内，5个工作日，同时及时处理，共6时段，第1时间。")
    assert d == {}


def test_count_inside_a_relative_date_is_dropped() -> None:
    doc = zhdoc.parse("过去5年，委员共提交提案500件。")
    counts = [e.text for r in doc.reports for e in r.entities if e.type == "count"]
    assert "5年" not in counts and "500件" in counts


def test_page_stamp_and_byline_dates_are_entities() -> None:
    text = ("政协某某区第九届委员会常务委员会工作报告\n2024-01-12 09:15:03  来源：某某日报\n\n"
            "——2024年1月8日在政协某某区第九届委员会第三次会议上\n\n各位委员：\n\n"
            "一年来，区政协围绕中心、服务大局，全年开展协商议政12次。\n")
    doc = zhdoc.parse(text)
    got = {e.text: (e.value, e.granularity) for r in doc.reports for e in r.entities if e.type == "date"}
    assert got["2024-01-12 09:15:03"] == ("2024-01-12T09:15:03", "second")
    assert got["一年来"] == ("2023", "year")


def test_pinyin_gloss_of_the_last_character_is_in_the_span() -> None:
    doc = zhdoc.parse("本报消息：2010年3月3日(星期三)15時(shí)，大会开幕。\n")
    got = [e.text for r in doc.reports for e in r.entities if e.type == "date"]
    assert got == ["2010年3月3日(星期三)15時(shí)"]
