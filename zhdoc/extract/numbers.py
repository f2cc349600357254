"""Numerals: Chinese (十二, 一百四十一, 八千一百九十九万, 两, 百分之三十六点九), Arabic (1,234.5, 1.2万).

:func:`parse_number` is total: it returns ``None`` for anything it cannot read, never raises.
"""

from __future__ import annotations

from functools import lru_cache

CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
            "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9, "幺": 1}
CN_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNIT = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGIT) + "".join(CN_SMALL_UNIT) + "".join(CN_BIG_UNIT)


def _parse_cn_int(s: str) -> int | None:
    """A Chinese integer numeral, positional (一九五五) or with units (一千九百五十五)."""
    if not s:
        return None
    if all(c in CN_DIGIT for c in s):
        if len(s) == 1:
            return CN_DIGIT[s]
        # positional digits: years (一九五五) and codes
        return int("".join(str(CN_DIGIT[c]) for c in s))
    total = 0  # completed 亿/万 groups
    section = 0  # current group below 万
    digit: int | None = None
    last_big = 10**12
    for c in s:
        if c in CN_DIGIT:
            if digit is not None and digit != 0 and CN_DIGIT[c] != 0:
                return None  # two digits in a row inside a unit numeral
            digit = CN_DIGIT[c]
        elif c in CN_SMALL_UNIT:
            unit = CN_SMALL_UNIT[c]
            section += (1 if digit is None else digit) * unit
            digit = None
        elif c in CN_BIG_UNIT:
            unit = CN_BIG_UNIT[c]
            if unit > last_big:
                return None
            section += digit or 0
            if section == 0 and total == 0:
                return None
            if unit == CN_BIG_UNIT["亿"]:
                total = (total + section) * unit
            else:
                total += section * unit
            last_big = unit
            section = 0
            digit = None
        else:
            return None
    section += digit or 0
    return total + section


@lru_cache(maxsize=4096)
def parse_number(s: str) -> float | None:
    """The value of a numeral string (Arabic, Chinese or mixed), or None."""
    s = s.strip().replace(",", "").replace("，", "")
    if not s:
        return None
    try:
        # 百分之三十六点九 reads as 36.9; the caller records the unit %
        s = s.removeprefix("百分之")
        multiplier = 1
        while s and s[-1] in CN_BIG_UNIT and any(ch.isdigit() for ch in s[:-1]):
            multiplier *= CN_BIG_UNIT[s[-1]]
            s = s[:-1]
        if s and all(ch.isdigit() or ch == "." for ch in s):
            if s.count(".") > 1 or s.startswith(".") or s.endswith("."):
                return None
            value = float(s) * multiplier
            return value
        if "点" in s:
            whole, _, frac = s.partition("点")
            iv = _parse_cn_int(whole) if whole else 0
            if iv is None or not frac or any(c not in CN_DIGIT for c in frac):
                return None
            value = float(f"{iv}.{''.join(str(CN_DIGIT[c]) for c in frac)}") * multiplier
            return value
        iv = _parse_cn_int(s)
        if iv is None:
            return None
        return float(iv * multiplier)
    except (ValueError, OverflowError):
        return None


@lru_cache(maxsize=4096)
def numeral_script(s: str) -> str:
    has_digit = any(ch.isdigit() for ch in s)
    has_cn = any(ch in CN_NUMERAL_CHARS for ch in s)
    if has_digit and has_cn:
        # "1.2万" is Arabic with a multiplier; call it mixed only when the digits are mixed
        return "mixed" if any(ch in CN_DIGIT or ch in CN_SMALL_UNIT for ch in s) else "arabic"
    return "chinese" if has_cn else "arabic"


def as_number(value: float | None) -> float | int | None:
    """Integers as int (for JSON readability), others as float."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


#: A term's or session's number as reports write it (十四届, 9届, 三次): the regex alternative.
TERM_NUMERAL = r"[一二三四五六七八九十]{1,3}|[0-9]{1,2}"


def term_number(s: str | None) -> int | None:
    """A term or session number as written (十四, 9), None when it is none."""
    v = parse_number(s) if s else None
    return int(v) if v is not None else None
