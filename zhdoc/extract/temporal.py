"""Dates (absolute and relative), five-year plan periods, meeting sessions."""

from __future__ import annotations

import re
from typing import Any

from zhdoc.extract.base import HAN, Anchor, Context, Raw, anchored_finditer
from zhdoc.extract.numbers import parse_number

_CN_DIGITS = "零〇○一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
# Arabic digits are ASCII here: fold() has made full-width digits ASCII, and no report writes
# its years in another script's digits.
DATE_RE = re.compile(
    rf"(?P<y>[0-9]{{4}}|[{_CN_DIGITS}]{{4}})年"
    rf"(?:(?P<m>[0-9]{{1,2}}|[{_CN_SMALL}]{{1,2}})月(?:(?P<d>[0-9]{{1,2}}|[{_CN_SMALL}]{{1,3}})日)?)?"
)
#: The 年 after the year's last digit.
_DATE_ANCHOR = Anchor("年", reach=4, after="0123456789" + _CN_DIGITS)
#: Relative year expressions → offset from the report's year (None: not resolvable to one year).
RELATIVE = {
    "一年来": -1, "过去一年": -1, "去年": -1, "上一年": -1, "全年": -1, "今年": 0, "本年度": 0,
    "新的一年": 0, "明年": 1, "过去五年": None, "五年来": None,
}
_RELATIVE_RE = re.compile("|".join(sorted(RELATIVE, key=len, reverse=True)))
#: Every relative expression holds 年, after one of these characters.
_RELATIVE_ANCHOR = Anchor("年", reach=max(w.index("年") for w in RELATIVE), after="".join({w[w.index("年") - 1] for w in RELATIVE}))

# 十四五 begins the text or follows a character that is not Han (a quote mark, a space …)
PERIOD_RE = re.compile(rf"(?<![{HAN}])十(?P<n>[一二三四五])五(?=[”\"'’」]|规划|时期|期间|计划)"
                          r"|第(?P<k>[一二三四五六七八九十]{1,3})个五年计划")
#: The 五 of 十X五 or of 个五年计划.
_PERIOD_ANCHOR = Anchor("五", reach=5, after="一二三四五个")

_NUM = r"[一二三四五六七八九十]{1,3}|[0-9]{1,2}"
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


def _num(s: str | None) -> int | None:
    if not s:
        return None
    v = parse_number(s)
    return int(v) if v is not None else None


def extract_dates(text: str, folded: str, ctx: Context) -> list[Raw]:
    out: list[Raw] = []
    if "年" not in folded:
        return out  # every date form and relative expression here names a year (年)
    for m in anchored_finditer(DATE_RE, folded, _DATE_ANCHOR):
        y = _num_year(m.group("y"))
        if y is None or not 1900 <= y <= 2100:
            continue
        if m.group("d"):
            value, gran = f"{y}-{_num(m.group('m')):02d}-{_num(m.group('d')):02d}", "day"
        elif m.group("m"):
            value, gran = f"{y}-{_num(m.group('m')):02d}", "month"
        else:
            value, gran = str(y), "year"
        out.append(Raw("date", m.start(), m.end(), {"value": value, "granularity": gran, "relative": False}))
    for m in anchored_finditer(_RELATIVE_RE, folded, _RELATIVE_ANCHOR):
        offset = RELATIVE[m.group()]
        value = str(ctx.year + offset) if ctx.year is not None and offset is not None else None
        out.append(Raw("date", m.start(), m.end(), {"value": value, "granularity": "year", "relative": True}))
    return out


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
    for m in anchored_finditer(LOCAL_CONGRESS_RE, folded, _CONGRESS_ANCHOR):
        term = _num(m.group("n"))
        out.append(Raw("session", m.start(), m.end(), {
            "body": None, "term": term, "session": None, "session_kind": "congress",
            "canonical": f"{m.group('lvl')}第{_cn(term or 0)}次党代会",
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
