"""Dates (absolute and relative), five-year plan periods, meeting sessions."""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from zhdoc.extract.base import HAN, Anchor, Context, Raw, Reach, anchored_finditer
from zhdoc.extract.numbers import TERM_NUMERAL
from zhdoc.extract.numbers import term_number as _num

_CN_DIGITS = "零〇○一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
#: The part of the day written before an hour, and what it adds to hours under 12.
_DAY_PART = {"上午": 0, "早上": 0, "凌晨": 0, "中午": 12, "下午": 12, "晚上": 12, "晚": 12}
_DAY_PART_ALT = "|".join(sorted(_DAY_PART, key=len, reverse=True))
#: A clock time after a date or alone: 15:52, 17:21:05, 下午3时, 上午9时30分.
_CLOCK = (
    rf"(?:(?P<ap>{_DAY_PART_ALT})[ \t]?)?(?P<h>[0-9]{{1,2}}|(?<=午)[{_CN_SMALL}]{{1,3}})[ \t]?时"
    r"(?:(?P<mi>[0-9]{1,2})分)?(?![间期段代候刻许])"
    r"|(?P<h2>[0-9]{1,2}):(?P<mi2>[0-5][0-9])(?::(?P<s>[0-5][0-9]))?(?![0-9])"
)
# Arabic digits are ASCII here: fold() has made full-width digits ASCII, and no report writes
# its years in another script's digits. A space may stand before 年/月/日 (2024 年).
DATE_RE = re.compile(
    rf"(?P<y>[0-9]{{4}}|[{_CN_DIGITS}]{{4}}) ?年"
    rf"(?:(?P<m>[0-9]{{1,2}}|[{_CN_SMALL}]{{1,2}}) ?月"
    rf"(?:(?P<d>[0-9]{{1,2}}|[{_CN_SMALL}]{{1,3}}) ?[日号](?:(?:[ \t]?\(星期.\))?[ \t]?(?:{_CLOCK}))?|(?P<mpart>底|初|末))?"
    r"|(?P<ypart>度|底|初|末))?"
)
#: The 年 after the year's last digit (or after the space that follows it).
_DATE_ANCHOR = Anchor("年", reach=5, after="0123456789 " + _CN_DIGITS)
#: Publication stamps: 2024-01-12 09:15:03, 2022/1/7, 2021.01.05, and day.month.year 05.01.2021 09:30.
STAMP_RE = re.compile(
    rf"(?<![0-9.])(?P<y>[0-9]{{4}})(?P<sep>[-/.])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<d>[0-9]{{1,2}})(?![0-9.])(?:[ \t]?(?:{_CLOCK}))?"
    r"|(?<![0-9.])(?P<d2>[0-9]{1,2})\.(?P<m2>[0-9]{1,2})\.(?P<y2>[0-9]{4})(?![0-9.])"
    r"(?:[ \t](?P<h3>[0-9]{1,2}):(?P<mi3>[0-5][0-9]))?"
)
_STAMP_ANCHOR = Anchor("-/.", reach=4, after="0123456789")
#: A month and day without a year (1月9日, 3月15日电), a month's end (7月底): Arabic digits only —
#: 五月 and 十月 are words too.
MONTH_DAY_RE = re.compile(
    rf"(?<![0-9年月.])(?P<m>[0-9]{{1,2}}) ?月(?:(?P<d>[0-9]{{1,2}}) ?[日号](?:[ \t]?(?:{_CLOCK}))?|(?P<mpart>底|初|末))"
)
_MONTH_DAY_ANCHOR = Anchor("月", reach=3, after="0123456789 ")
#: A day alone, as news leads write the meeting's day (14日上午, 26日，…开幕): only before a part of
#: the day, a meeting verb or a comma, so that 30日内 and 15个工作日 stay durations.
DAY_RE = re.compile(
    rf"(?<![0-9年月第每个.])(?P<d>[0-9]{{1,2}})日(?:[ \t]?(?:{_CLOCK}))?(?=[上下中]午|晚|凌晨|早上|开幕|召开|举行|闭幕|在|起|,|电|讯)"
)
_DAY_ANCHOR = Anchor("日", reach=2, after="0123456789")
#: A year without 年 where a headline names an event by its year (【聚焦2026全州两会】, a wrapper's
#: 2023市政协常委会工作报告): looked for in the first line only, the headline's place.
#: (No look-behind for the digit before: the engine then skips to a 1 or 2 in C; _candidates checks it.)
BARE_YEAR_RE = re.compile(r"(?P<y>19[5-9][0-9]|20[0-9]{2})(?=全[国省市州县区]|两会|[省市州县区]?政协)")
#: A clock time alone (上午9时, 9时整, 下午2时30分): the day is the last day named before it.
CLOCK_RE = re.compile(rf"(?<![0-9:.时])(?:{_CLOCK})")
_CLOCK_ANCHOR = Anchor("时:", reach=6, after="0123456789 " + _CN_SMALL)  # the hour's last digit, or a space

#: Relative expressions (annotation guidelines, the 2026-12 section), kind and offset:
#: year — the meeting's year + offset (一年来 at a 2024 meeting: 2023; 今年: 2024);
#: discourse — the year the text is on (全年 after 2023年 or 一年来: 2023), else the offset;
#: term — the five-year term that ends the year before the meeting, an interval (五年来 at a
#: 2018 meeting: 2013/2017); 本届以来 (offset 0) left open: when the term began is not said;
#: ahead — years ahead of the meeting, left open (whether the meeting's year counts is not said);
#: day — the day before the page's date (昨天), or the meeting's day a lead names.
RELATIVE: dict[str, tuple[str, int]] = {
    "一年来": ("year", -1), "过去一年": ("year", -1), "过去的一年": ("year", -1), "去年": ("year", -1),
    "上一年": ("year", -1), "今年": ("year", 0), "本年度": ("year", 0), "新的一年": ("year", 0),
    "新一年": ("year", 0), "明年": ("year", 1), "全年": ("discourse", -1),
    "五年来": ("term", 5), "5年来": ("term", 5), "过去五年": ("term", 5), "过去5年": ("term", 5),
    "过去的五年": ("term", 5), "本届以来": ("term", 0),
    "今后三年": ("ahead", 3), "今后五年": ("ahead", 5), "未来五年": ("ahead", 5),
    "昨天": ("day", -1), "昨日": ("day", -1),
}
_RELATIVE_RE = re.compile(
    "(?P<rel>" + "|".join(sorted(RELATIVE, key=len, reverse=True)) + ")"
    "(?P<part>(?<=[去今明]年)[初底末])?"  # 去年底, 今年初: the year still
)
_RELATIVE_ANCHORS = "年届天日"
#: Every relative expression holds 年, 届, 天 or 日 after its first character: where is found
#: by the character before it (一年来: 一; 昨天: 昨).
_RELATIVE_AT = {w: next(i for i, ch in enumerate(w) if ch in _RELATIVE_ANCHORS and i) for w in RELATIVE}
_RELATIVE_ANCHOR = Anchor(_RELATIVE_ANCHORS, reach=max(_RELATIVE_AT.values()),
                          after="".join(sorted({w[i - 1] for w, i in _RELATIVE_AT.items()})))
#: Right after a date, what marks it as the day of the event a lead reports (the meeting's day).
_EVENT_AFTER = re.compile(r"[ \t]?(?:[上下中]午|晚|凌晨|早上|开幕|召开|举行|隆重|闭幕|电|讯)")
#: Right after a year, words that make it the year planned for (2020年提案工作安排, 2025年经济社会发展的总体要求).
_PLAN_AFTER = re.compile(r"[ \t]?[^,。;\n]{0,8}?(?:工作安排|工作要点|工作思路|主要任务|工作建议|工作打算|安排|总体要求)")
#: How far after a year's last mention a relative year word still speaks of it (…2018年是…。今年…).
_RELATIVE_REACH = 300

# 十四五 begins the text or follows a character that is not Han (a quote mark, a space …)
PERIOD_RE = re.compile(rf"(?<![{HAN}])十(?P<n>[一二三四五])五(?=[”\"'’」]|规划|时期|期间|计划)"
                          r"|第(?P<k>[一二三四五六七八九十]{1,3})个五年计划")
#: The 五 of 十X五 or of 个五年计划.
_PERIOD_ANCHOR = Anchor("五", reach=5, after="一二三四五个")

_NUM = TERM_NUMERAL
SESSION_RE = re.compile(
    rf"""
    (?P<pre>中共|党的)?
    (?:
      第?(?P<term>{_NUM})届
      (?:(?P<body2>全国人民代表大会|全国委员会|中央委员会|全国人大常委会|人大常委会))?
      (?:
        (?P<plen>(?:第?(?:{_NUM})中、?)+)全会   # 二中、三中全会
        | 历次全会
        | 第?(?P<sess>{_NUM})次(?P<sk>全体会议|全委会议|会议|全会|会)
      )?
      (?P<member>委员|代表)?
    |
      (?P<cong>十[一二三四五六七八九]|二十[一二三]?|[八九])大(?![会学力家量多批概型])
    )
    """,
    re.VERBOSE,
)
#: The 届 of a term or the 大 of a congress, right after its numeral: at most 中共 + 第 + 三个数字 in.
_SESSION_ANCHOR = Anchor("届大", reach=6, after="一二三四五六七八九十0123456789")


@dataclass(slots=True)
class _Cand:
    """A date found in the text, before the report's year and day resolve it."""

    start: int
    end: int
    kind: str  # abs (its own year), md (month and day), day (day alone), clock, rel
    gran: str
    y: int | None = None
    m: int | None = None
    d: int | None = None
    clock: tuple[int, int, int | None] | None = None  # hour, minute, second
    rel: str | None = None  # the RELATIVE key
    event: bool = False  # the day of the event a lead reports (14日上午, 10时)
    value: str | None = None
    day: _dt.date | None = None  # the day it names once resolved


def _hour(m: re.Match[str]) -> tuple[int, int, int | None] | None:
    """Hour, minute, second of the clock groups of ``m`` (None: no clock, or not a time of day)."""
    g = m.groupdict()
    if g.get("h"):
        h, mi, s = _num(g["h"]), int(g["mi"]) if g.get("mi") else 0, None
        if h is not None and h < 12 and g.get("ap"):
            h += _DAY_PART[g["ap"]]
    elif g.get("h2"):
        h, mi, s = int(g["h2"]), int(g["mi2"]), int(g["s"]) if g.get("s") else None
    elif g.get("h3"):
        h, mi, s = int(g["h3"]), int(g["mi3"]), None
    else:
        return None
    return (h, mi, s) if h is not None and h <= 23 and mi <= 59 else None


def _date(y: int | None, m: int | None, d: int | None) -> _dt.date | None:
    try:
        return _dt.date(y, m, d) if y is not None and m is not None and d is not None else None
    except ValueError:
        return None


def _clock_value(day: _dt.date | None, clock: tuple[int, int, int | None]) -> tuple[str | None, str]:
    h, mi, s = clock
    if s is not None:
        return (f"{day.isoformat()}T{h:02d}:{mi:02d}:{s:02d}" if day else None), "second"
    return (f"{day.isoformat()}T{h:02d}:{mi:02d}" if day else None), "minute"


def _candidates(folded: str) -> list[_Cand]:
    """Every date form in ``folded``, leftmost-longest first: one with a year wins over the month-day,
    day or clock inside it."""
    out: list[_Cand] = []
    for m in anchored_finditer(DATE_RE, folded, _DATE_ANCHOR):
        y = _num_year(m.group("y"))
        if y is None or not 1900 <= y <= 2100:
            continue
        c = _Cand(m.start(), m.end(), "abs", "year", y=y)
        if m.group("m"):
            c.m, c.gran = _num(m.group("m")), "month"
            if c.m is None or not 1 <= c.m <= 12:
                continue
            if m.group("d"):
                c.d, c.gran = _num(m.group("d")), "day"
                c.day = _date(y, c.m, c.d)
                if c.day is None:
                    continue
                c.clock = _hour(m)
        out.append(c)
    for m in anchored_finditer(STAMP_RE, folded, _STAMP_ANCHOR):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        else:
            y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
        day = _date(y, mo, d)
        if day is not None and 1900 <= y <= 2100:
            out.append(_Cand(m.start(), m.end(), "abs", "day", y=y, m=mo, d=d, day=day, clock=_hour(m)))
    head = folded.find("\n")
    for m in BARE_YEAR_RE.finditer(folded, 0, head if head >= 0 else len(folded)):
        if m.start() and folded[m.start() - 1] in "0123456789.":
            continue
        out.append(_Cand(m.start(), m.end(), "abs", "year", y=int(m.group("y"))))
    taken = _Taken(out)
    more: list[_Cand] = []
    for m in anchored_finditer(MONTH_DAY_RE, folded, _MONTH_DAY_ANCHOR):
        mo = int(m.group("m"))
        if not 1 <= mo <= 12 or taken.hit(m.start(), m.end()):
            continue
        if m.group("d"):
            d = int(m.group("d"))
            if _date(2000, mo, d) is None:  # (a leap year: 2月29日 is a day)
                continue
            more.append(_Cand(m.start(), m.end(), "md", "day", m=mo, d=d, clock=_hour(m)))
        else:
            more.append(_Cand(m.start(), m.end(), "md", "month", m=mo))
    for m in anchored_finditer(DAY_RE, folded, _DAY_ANCHOR):
        d = int(m.group("d"))
        if 1 <= d <= 31 and not taken.hit(m.start(), m.end()):
            more.append(_Cand(m.start(), m.end(), "day", "day", d=d, clock=_hour(m)))
    out += more
    taken = _Taken(out)
    more = []
    for m in anchored_finditer(CLOCK_RE, folded, _CLOCK_ANCHOR):
        clock = _hour(m)
        if clock is not None and not taken.hit(m.start(), m.end()):
            more.append(_Cand(m.start(), m.end(), "clock", "minute", clock=clock))
    for m in anchored_finditer(_RELATIVE_RE, folded, _RELATIVE_ANCHOR):
        if not taken.hit(m.start(), m.end()):
            kind = RELATIVE[m.group("rel")][0]
            gran = {"term": "interval", "ahead": "interval", "day": "day"}.get(kind, "year")
            more.append(_Cand(m.start(), m.end(), "rel", gran, rel=m.group("rel")))
    out += more
    out.sort(key=lambda c: c.start)
    for c in out:
        if c.kind in ("abs", "md", "day") and (c.clock is not None or _EVENT_AFTER.match(folded, c.end)):
            c.event = True
    return out


class _Taken:
    """Whether a span overlaps one of the dates found so far."""

    __slots__ = ("_reach",)

    def __init__(self, found: list[_Cand]) -> None:
        self._reach = Reach((c.start, c.end) for c in found)

    def hit(self, start: int, end: int) -> bool:
        reach = self._reach.before(end)
        return reach is not None and reach > start


def _text_year(cands: list[_Cand], folded: str) -> int | None:
    """The meeting's year as the text's own years show it: a work report reviews one year and
    plans the next. The latest year written (far targets such as 2035年 aside) is the planned
    one when a relative word after it says so (2018年…今年: 2018), when plan words follow it
    (2020年提案工作安排) or when the year before it is written as often (the reviewed year);
    else it is the reviewed year and the meeting is the year after — the last two only when the
    two latest years hold half the mentions at least."""
    years = Counter(c.y for c in cands if c.kind == "abs" and c.y is not None)
    if not years:
        return None
    top = max(years, key=lambda y: (years[y], y))
    latest = max(y for y in years if y <= top + 1)
    mentions = [c for c in cands if c.kind == "abs" and c.y == latest]
    last = mentions[-1].end
    for c in cands:
        if c.kind == "rel" and last <= c.start <= last + _RELATIVE_REACH and RELATIVE[c.rel][0] == "year":  # type: ignore[index]
            return latest - RELATIVE[c.rel][1]  # type: ignore[index]
    if any(c.gran == "year" and _PLAN_AFTER.match(folded, c.end) for c in mentions):
        return latest
    if 2 * (years[latest] + years[latest - 1]) < years.total():
        return None  # years spread over decades (a history, a congress report): no year under review
    if years[latest - 1] >= years[latest]:
        return latest
    return latest + 1


def _meeting_year(cands: list[_Cand], folded: str, ctx: Context) -> int | None:
    """The year the report is given in, by precedence: the dateline (ctx.year), a lead's dated
    event (2010年3月3日15时), the page's date when the text's own years agree with it within a
    year (a page may print an old report again), the text's years, the title's year."""
    if ctx.year is not None:
        return ctx.year
    for c in cands:
        if c.kind == "abs" and c.event and c.day is not None:
            return c.y
    text = _text_year(cands, folded)
    if ctx.published:
        published = int(ctx.published[:4])
        if text is None or abs(text - published) <= 1:
            return published
    return text if text is not None else ctx.title_year


def _resolve(cands: list[_Cand], folded: str, ctx: Context) -> tuple[int | None, _dt.date | None]:
    """Values for every candidate, in text order: a month-day takes the meeting's year, a day
    alone the month of the page's date or of the lead's event day, a clock time the last day
    named before it, a relative word the meeting's year (annotation guidelines, date)."""
    year = _meeting_year(cands, folded, ctx)
    published = _dt.date.fromisoformat(ctx.published[:10]) if ctx.published else None
    if published is not None and year is not None and published.year != year:
        published = None  # the page's date is not the report's (a report printed again later)
    for c in cands:
        if c.kind == "md" and c.gran == "day" and year is not None:
            c.day = _date(year, c.m, c.d)
    event_day = next((c.day for c in cands if c.event and c.day is not None), None) or published or ctx.event_day
    last_day: _dt.date | None = None
    last_year: int | None = None
    for c in cands:
        if c.kind == "abs":
            c.value = c.day.isoformat() if c.day else f"{c.y}-{c.m:02d}" if c.m else str(c.y)
            last_year = c.y
        elif c.kind == "md":
            if c.gran == "month":
                c.value = f"{year}-{c.m:02d}" if year is not None else None
            else:
                c.value = c.day.isoformat() if c.day else None
        elif c.kind == "day":
            ref = published or event_day
            if ref is not None:
                first = ref.replace(day=1)
                if c.d > ref.day:  # type: ignore[operator]  (a day after the page's: the month before)
                    first = (first - _dt.timedelta(days=1)).replace(day=1)
                c.day = _date(first.year, first.month, c.d)
            c.value = c.day.isoformat() if c.day else None
        elif c.kind == "clock":
            c.day = last_day or event_day
        elif c.kind == "rel":
            kind, offset = RELATIVE[c.rel]  # type: ignore[index]
            if kind == "year" and year is not None:
                c.value = str(year + offset)
                last_year = year + offset
            elif kind == "discourse":  # the year last named, when it is the reviewed or the planned one
                if last_year is not None and (year is None or year - 1 <= last_year <= year):
                    c.value = str(last_year)
                elif year is not None:
                    c.value = str(year + offset)
            elif kind == "term" and offset and year is not None:
                c.value = f"{year - offset}/{year - 1}"
            elif kind == "day":
                c.day = published + _dt.timedelta(days=offset) if published else event_day
                c.value = c.day.isoformat() if c.day else None
        if c.clock is not None:
            c.value, c.gran = _clock_value(c.day, c.clock)
        if c.day is not None:
            last_day = c.day
    return year, event_day


def extract_dates(text: str, folded: str, ctx: Context) -> list[Raw]:
    """Dates: absolute (2024年3月5日, 2024-01-12 09:15:03), month-days and days a lead writes
    without their year (1月9日, 14日上午), clock times (下午2时), relative words (一年来, 五年来),
    resolved against the report's year and day. The year and day found are kept in ``ctx``
    (``year`` when no dateline gave it, ``event_day``) for the page's material around the report."""
    cands = _candidates(folded)
    if not cands:
        return []
    ctx.year, ctx.event_day = _resolve(cands, folded, ctx)
    return [Raw("date", c.start, c.end, {"value": c.value, "granularity": c.gran, "relative": c.kind == "rel"})
            for c in cands]


def _num_year(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return _num(s)


def extract_periods(text: str, folded: str, ctx: Context) -> list[Raw]:
    out: list[Raw] = []
    if "五" not in folded:
        return out
    for m in anchored_finditer(PERIOD_RE, folded, _PERIOD_ANCHOR):
        n = 10 + _num(m.group("n")) if m.group("n") else _num(m.group("k"))  # type: ignore[operator]
        if n is None:
            continue
        if n == 1:
            start_year = 1953
        elif n == 2:
            start_year = 1958
        else:
            start_year = 1966 + 5 * (n - 3)
        out.append(Raw("period", m.start(), m.end(), {
            "value": f"{start_year}-{start_year + 4}", "plan_number": n,
            "start_year": start_year, "end_year": start_year + 4,
        }))
    return out


_CN_ORD = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    """A term or session number as written (十四, 二十), up to 99; larger ones (一一一届, a run of
    numerals no report numbers a term with) in Arabic digits rather than an IndexError."""
    if not 0 <= n <= 99:
        return str(n)
    if n <= 10:
        return _CN_ORD[n]
    if n < 20:
        return "十" + (_CN_ORD[n - 10] if n > 10 else "")
    return _CN_ORD[n // 10] + "十" + (_CN_ORD[n % 10] if n % 10 else "")


#: A session written without its term: 第五次会议 after a formal committee name (its term is the
#: committee's), 四次会议以来 in a report whose body has one term. The cross-type rules give it a
#: term or drop it (zhdoc.extract.rules).
BARE_SESSION_RE = re.compile(rf"(?<![届{_CN_SMALL}0-9])第?(?P<sess>{_NUM})次(?:全体)?会议")
#: A local party congress: 县第十五次党代会, 省第九次党代表大会.
LOCAL_CONGRESS_RE = re.compile(rf"(?P<lvl>[省市县区州])第(?P<n>{_NUM})次(?:党代会|党代表大会)")
#: A party congress by its full name, alone or two coordinated with the second's 第 and the
#: shared 全国代表大会 elided: 中国共产党第十五次、十六次全国代表大会 → 中国共产党第十五次 and
#: 十六次全国代表大会, two congresses, each span the words written for it.
PARTY_CONGRESS_RE = re.compile(
    rf"(?P<pre>中国共产党|中共|党的)?第(?P<a>{_NUM})次(?:、第?(?P<b>{_NUM})次)?全国代表大会"
)
#: The 第 of a party congress's full name, at most 中国共产党 (5 characters) after the match's start.
_PARTY_CONGRESS_ANCHOR = Anchor("第", reach=5)
#: The 次 right after the session's or congress's number.
_BARE_SESSION_ANCHOR = Anchor("次", reach=4, after="一二三四五六七八九十0123456789")
_CONGRESS_ANCHOR = Anchor("次", reach=5, after="一二三四五六七八九十0123456789")
#: 新一届, 本届 …: a term that is no number of one.
_NOT_A_TERM_BEFORE = "新本上下历每"


def extract_sessions(text: str, folded: str, ctx: Context) -> list[Raw]:
    out: list[Raw] = []
    if "次" in folded:
        out.extend(_bare_sessions(folded))
    if "届" not in folded and "大" not in folded:
        return out  # every other session names a term (届) or a congress (二十大)
    for m in anchored_finditer(SESSION_RE, folded, _SESSION_ANCHOR):
        form = "中全会"
        if m.group("cong"):
            term = _num(m.group("cong"))
            pre = m.group("pre")
            if term is None:
                continue
            start = m.start()
            out.append(Raw("session", start, m.end(), {
                "body": pre, "term": term, "session": None, "session_kind": "congress",
                "canonical": f"中国共产党第{_cn(term)}次全国代表大会",
            }))
            continue
        term = _num(m.group("term"))
        if term is None or (m.start() > 0 and folded[m.start() - 1] in _NOT_A_TERM_BEFORE and not m.group("sess")):
            continue
        body = m.group("pre") or m.group("body2")
        end = m.end()
        if m.group("member"):
            end = m.start("member")
        if m.group("plen"):
            nums = [_num(x) for x in re.findall(_NUM, m.group("plen"))]
            sess: int | list[int] | None = nums[0] if len(nums) == 1 else [n for n in nums if n is not None]
            kind = "plenum"
        elif m.group("sess"):
            sess = _num(m.group("sess"))
            kind = "plenum" if m.group("sk") == "全会" else "session"
            if kind == "plenum":
                form = "次全会"
            elif m.group("sk") == "全体会议":
                form = "次全体会议"  # a plenum when a party committee holds it (区委七届五次全体会议)
        elif "历次全会" in m.group():
            sess, kind = None, "plenum"
        else:
            sess, kind = None, "term"
            if end < len(folded) and folded[end] in "人大政":  # 十五届人大… is handled by body2 or is a term
                pass
        out.append(Raw("session", m.start(), end, {
            "body": body, "term": term, "session": sess, "session_kind": kind, "canonical": "",
        }, plenum_form=form))
    return out


def _bare_sessions(folded: str) -> list[Raw]:
    """Sessions without a term (see BARE_SESSION_RE) and local party congresses."""
    out: list[Raw] = []
    for m in anchored_finditer(BARE_SESSION_RE, folded, _BARE_SESSION_ANCHOR):
        out.append(Raw("session", m.start(), m.end(), {
            "body": None, "term": None, "session": _num(m.group("sess")), "session_kind": "session", "canonical": "",
        }))
    if "全国代表大会" in folded:
        out.extend(_party_congresses(folded))
    for m in anchored_finditer(LOCAL_CONGRESS_RE, folded, _CONGRESS_ANCHOR):
        term = _num(m.group("n"))
        out.append(Raw("session", m.start(), m.end(), {
            "body": None, "term": term, "session": None, "session_kind": "congress",
            "canonical": f"{m.group('lvl')}第{_cn(term or 0)}次党代会",
        }))
    return out


def _party_congresses(folded: str) -> list[Raw]:
    """Congresses of the party by their full name (PARTY_CONGRESS_RE); another body's 全国代表大会
    (妇联, 民革) names itself before 第, so a congress without 中国共产党/中共/党的 is left alone."""
    out: list[Raw] = []
    for m in anchored_finditer(PARTY_CONGRESS_RE, folded, _PARTY_CONGRESS_ANCHOR):
        pre = m.group("pre")
        if pre is None:
            continue
        spans = [(m.start(), m.end(), m.group("a"))]
        if m.group("b"):
            spans = [(m.start(), m.end("a") + 1, m.group("a")), (m.start("b"), m.end(), m.group("b"))]
        for i, (start, end, num) in enumerate(spans):
            term = _num(num)
            if term is None:
                continue
            out.append(Raw("session", start, end, {
                "body": pre if i == 0 else None, "term": term, "session": None, "session_kind": "congress",
                "canonical": f"中国共产党第{_cn(term)}次全国代表大会",
            }))
    return out


def session_canonical(fields: dict[str, Any], body_canonical: str | None, plenum_form: str | None = None) -> str:
    term, sess, kind = fields["term"], fields["session"], fields["session_kind"]
    body = body_canonical or fields.get("body") or ""
    if body in ("中共", "党的"):
        body = "中共"
    if kind == "congress":
        return fields["canonical"]
    if kind == "plenum":
        if isinstance(sess, list):
            return f"{body or '中共'}{_cn(term)}届" + "、".join(f"{_cn(s)}中" for s in sess) + "全会"
        if sess is None:
            return f"{body or '中共'}{_cn(term)}届历次全会"
        return f"{body or '中共'}{_cn(term)}届{_cn(sess)}{plenum_form or '中全会'}"
    if kind == "term":
        return f"{body}{_cn(term)}届"
    return f"{body}{_cn(term)}届{_cn(sess)}次会议" if sess else f"{body}{_cn(term)}届"
