"""Counts: value, measure word, approximation and the thing counted ("召开党组会议12次")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from zhdoc.extract.base import PUNCT, Context, Raw, alternation, table_rows, tag_words, word_starts, word_tag
from zhdoc.extract.numbers import as_number, numeral_script, parse_number

#: The longest numeral read as one number. A report's longest numerals (1,234,567,890.12;
#: 八千一百九十九万五千六百七十八) are about 16 characters; a longer run of numeral characters is
#: a code, an OCR run or noise. Bounding every numeral quantifier keeps each match attempt
#: constant-time, so a run of n numerals costs O(n), not O(n²) (issue 18: "一" * 200 000).
_MAX_NUMERAL = 32
_NUM_AR = rf"\d{{1,3}}(?:,\d{{3}}){{1,10}}(?:\.\d{{1,{_MAX_NUMERAL}}})?|\d{{1,{_MAX_NUMERAL}}}(?:\.\d{{1,{_MAX_NUMERAL}}})?"
_NUM_CN = rf"[零〇一二两三四五六七八九十百千万亿]{{1,{_MAX_NUMERAL}}}(?:点[零〇一二三四五六七八九]{{1,{_MAX_NUMERAL}}})?"
_MULT = r"(?:万亿|万|亿)"
#: Words of a set, not numbers (大 in 四大工程, 型 in “五型”) allowed only with small Chinese numerals.
_SET_UNITS = {"大", "型", "样", "级"}
#: Single Chinese characters that, right before a numeral, make it part of a word (统一, 唯一, 第一).
_WORD_BEFORE = set("第统唯同之逐单专划周每万千其初")

_CN_NUMERALS = frozenset("零〇一二两三四五六七八九十百千万亿点")

_PREFIX2 = frozenset({"超过", "将近", "接近", "大约"})
_PREFIX1 = frozenset("近约逾达上超")  # 超: 占比超40%
#: The last character of 百分之 or of an approximation word.
_BEFORE_NUMERAL = frozenset("之" + "".join(w[-1] for w in _PREFIX2)) | _PREFIX1


@lru_cache(maxsize=1)
def _numeral_runs() -> re.Pattern[str]:
    """Runs of numeral characters followed by a unit's first character (or 余/多/个/%/a range),
    or preceded by 百分之: the only places a count can be. Scanning for these in one C-level
    pass and trying the full pattern only there keeps the extractor cheap on prose.

    Written for the standard ``re`` engine with one character class first, so that the engine
    skips every other character by a table lookup (far cheaper than the same runs as one
    ``regex`` alternation: docs/measurements.md); the branches after
    it tell by lookbehind which kind of numeral that first character began. Arabic digits are
    ASCII: fold() has made full-width digits ASCII.
    """
    _, units, _ = _tables()
    follow = re.escape("".join(sorted({u[0] for u in units} | set("余多个%至到~～-万亿 "))))
    # A lone 一 before a measure word is an article (一批, 一项), never a count, unless the unit
    # is money, a percentage or 倍: the commonest numeral of prose stops here, not in Python.
    lone_one_units = alternation([u for u, kind in units.items() if kind in ("money", "percent")] + ["倍", "%"])
    cn = "零〇一二两三四五六七八九十百千万亿点"
    cn_not_one = cn.replace("一", "")
    # Bounded: an unbounded [cn]* retried at every character of a long run that no unit follows
    # rescans the rest of the run each time (quadratic); a run longer than _MAX_NUMERAL is no count.
    most = _MAX_NUMERAL
    arabic_rest = rf"[0-9]{{0,{most}}}(?:[,.][0-9]{{1,{most}}}){{0,10}}"
    return re.compile(
        rf"[0-9{cn}]"
        rf"(?:(?<=[0-9]){arabic_rest}(?=[{follow}])"  # 12, 1,234.5
        rf"|(?<=[{cn_not_one}])[{cn}]{{0,{most}}}(?=[{follow}])"  # 十二, 两千
        rf"|(?<=一)(?=[{cn}])[{cn}]{{0,{most}}}(?=[{follow}])"  # 一百二十, never a lone 一
        rf"|(?<=一)(?={lone_one_units})(?=[{follow}])"  # 一元, 一倍
        rf"|(?<=百分之[0-9]){arabic_rest}"
        rf"|(?<=百分之[{cn}])[{cn}]{{0,{most}}})"
    )


@lru_cache(maxsize=1)
def _tables() -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    units = {row[0]: row[1] for row in table_rows("measure_words.txt")}
    verbs = frozenset(row[0] for row in table_rows("count_verbs.txt"))
    # the standard engine: it reads a match's groups by name faster than ``regex`` (docs/measurements.md)
    pattern = re.compile(
        rf"""
        (?P<pre>超过|将近|接近|大约|近|约|逾|达|超|上(?=[百千万]))?
        (?:(?P<mult>[两二三四五六七八九])个(?=\d))?
        (?P<pct>百分之)?
        (?P<num>(?:{_NUM_AR}){_MULT}?|{_NUM_CN})
        (?:(?P<rsep>至|到|~|～|-)(?P<num2>(?:{_NUM_AR}){_MULT}?|{_NUM_CN}))?
        (?P<suf>余|多)?
        (?P<big>万亿|万|亿)?
        (?:\x20?(?P<unit>{alternation(list(units))}))?  # PDF text: "312 人次"
        (?P<post>左右|以上|以下|多)?
        """,
        re.VERBOSE,
    )
    return pattern, units, verbs


def _not_a_count(unit: str | None, num: str, value: float, is_cn: bool, folded: str, end: int,
                 units: dict[str, str]) -> bool:
    """The measure word makes this number something else: a year, an article, a word."""
    if unit in _SET_UNITS and not (value <= 10 and (is_cn or unit == "大")):
        return True
    if unit in _SET_UNITS and (end >= len(folded) or not ("\u4e00" <= folded[end] <= "\u9fff" or folded[end] == "”")):
        return True
    if unit == "年" and (value >= 1000 or num in ("一",)):
        return True  # a year, or 一年 (relative dates handle it)
    if is_cn and value == 1 and unit not in ("%", "倍") and units.get(unit) != "money":
        return True  # 一 + measure word is an indefinite article (一份答卷)
    # 大会, 大学, 大力 … are words, not 四大工程
    return unit == "大" and end < len(folded) and folded[end] in "会学力家量多批概"


#: After a term of years: the period itself ("不平凡的五年，", "五年工作的回顾"), like 过去五年.
_TERM_AFTER = frozenset("，,。；;、！!") | {"工作"}
#: An ordinal's 第 shared by the next item of a list (第十五次、十六次全国代表大会).
_SHARED_ORDINAL_RE = regex.compile(r"(?r)第[0-9零〇一二两三四五六七八九十百千]{1,8}$")


def _term_reference(folded: str, start: int, end: int, value: float) -> bool:
    """N年 names the period a report reviews, not a count of years: a term's years (3 or 5) as a
    noun of their own — after 的 before a clause's end (以来的五年，是…; 不平凡的五年。) or before
    工作 (五年工作的回顾) — as 过去五年 is a relative date, not a count (the 2026-12 guideline)."""
    if value not in (3, 5):
        return False
    if folded.startswith("工作", end):
        return True
    return start > 0 and folded[start - 1] == "的" and end < len(folded) and folded[end] in _TERM_AFTER


def _shared_ordinal(folded: str, start: int, unit: str) -> bool:
    """The previous item of the list is an ordinal with the same measure word (第十五次、十六次):
    its 第 applies to this number too."""
    head = folded[max(0, start - 12):start - 1]
    if not head.endswith(unit):
        return False
    return _SHARED_ORDINAL_RE.search(head, 0, len(head) - len(unit)) is not None


#: 多个 + noun is a count with no value ("开展多个活动"), but not after a degree word or a numeral:
#: 很多个 / 许多个 are "many", 十多个 / 10多个 the count pattern's own (suffix 多).
_MANY_NOT_AFTER = "很许好众诸更最较太" + "".join(sorted(_CN_NUMERALS)) + "0123456789"
_MANY_RE = regex.compile(rf"(?<![{_MANY_NOT_AFTER}])多个(?=\p{{Han}})")


#: 一个 is an article, except as an item of a list of counts (“三个中心、一个聚集区”, 锚定一个总目标、
#: 抢占两个制高点): the list makes it a count too. Items are short (up to 6 characters).
_LISTED_ONE_RE = regex.compile(
    r"(?<=[两二三四五六七八九十]个[^\p{P}\s]{1,6}、)一个(?=\p{Han})"
    r"|(?<![第统唯同之逐单专划周每万千其初零〇一二两三四五六七八九十百])一个"
    r"(?=[^\p{P}\s]{1,6}、[^\p{P}\s]{0,3}[两二三四五六七八九十]个)")


@dataclass(slots=True)
class _Count:
    """A count that passed the filters: its span in the report's text and what the fields read."""

    start: int
    end: int
    num: str  # the numeral as written (12, 十二, 6600)
    unit: str | None  # the measure word or unit, "%" for 百分之
    big: str | None  # 万 / 亿 / 万亿 written after the numeral
    script: str  # arabic, chinese or mixed (numeral_script)
    value: float  # the value, multipliers applied
    groups: dict[str, str | None]  # the pattern's groups (approximation words, range, multiplicity)


@lru_cache(maxsize=1)
def _formulae() -> tuple[tuple[str, str], ...]:
    """(count, object) of each political formula (models/formulae.txt): 四个 + 意识."""
    return tuple((row[0], row[1]) for row in table_rows("formulae.txt"))


def _formula_counts(text: str, folded: str) -> list[Raw]:
    """The political formulae in the text (四个意识, 两个确立), each a count with ``formula: true``.
    One C-level ``str.find`` pass per formula: a short table, and most reports quote none."""
    out: list[Raw] = []
    for count, obj in _formulae():
        whole = count + obj
        at = folded.find(whole)
        while at >= 0:
            before = folded[at - 1] if at else ""
            # 第四个全面 is an ordinal, 十四个… a longer numeral: no formula
            if before not in _WORD_BEFORE and before not in _CN_NUMERALS and not before.isdigit():
                out.append(Raw("count", at, at + len(count), {
                    "value": as_number(parse_number(count[0])), "value_max": None, "unit": count[1:],
                    "approx": None, "numeral_script": "chinese", "multiplicity": 1, "object": obj,
                    "formula": True}))
            at = folded.find(whole, at + len(whole))
    return out + _abbreviation_counts(text, folded)


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, int], ...]:
    """(abbreviation, value) of each numeral-abbreviation formula (models/formula_abbreviations.txt)."""
    return tuple((row[0], int(row[1])) for row in table_rows("formula_abbreviations.txt"))


def _abbreviation_counts(text: str, folded: str) -> list[Raw]:
    """The numeral-abbreviation formulae (“六稳”工作, “双减”), each a count with ``formula: true``:
    the span is the abbreviation, the object the noun after it. Not inside a longer word (第六稳…,
    双减少: the abbreviation must end where a word ends)."""
    out: list[Raw] = []
    verbs = _tables()[2]
    for abbr, value in _abbreviations():
        at = folded.find(abbr)
        while at >= 0:
            end = at + len(abbr)
            before = folded[at - 1] if at else ""
            if (before not in _WORD_BEFORE and before not in _CN_NUMERALS and not before.isdigit()
                    and (end >= len(folded) or end in word_starts(folded))):
                out.append(Raw("count", at, end, {
                    "value": value, "value_max": None, "unit": abbr[1:], "approx": None,
                    "numeral_script": "chinese", "multiplicity": 1,
                    "object": _object(text, folded, at, end, 1, verbs), "formula": True}))
            at = folded.find(abbr, end)
    return out


def extract_counts(text: str, folded: str, ctx: Context | None = None) -> list[Raw]:
    """Counts: political formulae (四个意识) first; candidates at each numeral run → filters (a
    year, an ordinal, part of a word …) → fields (value, unit, approximation, the thing counted);
    then 多个 + noun."""
    pattern, units, verbs = _tables()
    out = _formula_counts(text, folded)
    # a formula's characters are its own: 两个一百年 holds no count 一百年
    in_formula = {i for f in out for i in range(f.start, f.end + len(f.fields["object"] or ""))}
    last_end = 0
    for run in _numeral_runs().finditer(folded):
        if run.start() < last_end or run.start() in in_formula:
            continue
        m = _count_candidate(pattern, folded, run.start(), last_end)
        if m is None:
            continue
        count = _filter_count(m, folded, units)
        if count is None:
            continue
        out.append(Raw("count", count.start, count.end, _count_fields(count, text, folded, units, verbs)))
        last_end = count.end
    for m in _LISTED_ONE_RE.finditer(folded):
        s, e = m.span()
        if s not in in_formula:
            out.append(Raw("count", s, e, {"value": 1, "value_max": None, "unit": "个", "approx": None,
                                           "numeral_script": "chinese", "multiplicity": 1,
                                           "object": _object(text, folded, s, e, 1, verbs)}))
    for m in _MANY_RE.finditer(folded):
        s, e = m.span()
        out.append(Raw("count", s, e, {"value": None, "value_max": None, "unit": "个", "approx": None,
                                       "numeral_script": "chinese", "multiplicity": 1,
                                       "object": _object(text, folded, s, e, 1, verbs)}))
    return out


def _count_candidate(pattern: re.Pattern[str], folded: str, rs: int, last_end: int) -> re.Match[str] | None:
    """The count pattern's match that holds the numeral run starting at ``rs``, trying first from
    the approximation word (超过, 近) or 百分之 before it; None when there is none."""
    backs: tuple[int, ...] = (0,)
    if rs and folded[rs - 1] in _BEFORE_NUMERAL:  # most numerals follow none of these
        backs = (3,) if folded[max(0, rs - 3):rs] == "百分之" else ()
        if folded[max(0, rs - 2):rs] in _PREFIX2:
            backs += (2,)
        if folded[rs - 1] in _PREFIX1:
            backs += (1,)
        backs += (0,)
    for back in backs:
        s0 = rs - back
        if s0 < last_end:
            continue
        cand = pattern.match(folded, s0)
        if cand is not None and cand.group("num") and cand.start() <= rs < cand.end():
            return cand
    return None


def _filter_count(m: re.Match[str], folded: str, units: dict[str, str]) -> _Count | None:
    """The candidate as a count, or None when it is something else: a numeral inside a word
    (统一, 第一), a year, an article (一份), a bare number with no unit (a code, an ordinal)."""
    g = m.groupdict()  # one call for every group the checks below read
    num, unit, pct, big = g["num"], g["unit"], g["pct"], g["big"]
    start, end = m.span()
    multiplied = bool(big) or num[-1] in "万亿"
    if num.isascii() and num.isdigit():  # most counts: plain digits, read without the caches
        script, value = "arabic", float(num)
    else:
        script = numeral_script(num)
        value = parse_number(num)
    if value is None:
        return None
    if big:
        value *= 100_000_000 if big == "亿" else 10_000 if big == "万" else 1_000_000_000_000
    is_cn = script == "chinese"
    # the character before makes the numeral part of a word (统一, 第一) or of a longer number
    before = folded[start - 1] if start > 0 else ""
    if before in _WORD_BEFORE and is_cn:
        return None
    if before in ("第", "届") or before.isdigit() or before == ".":
        return None  # an ordinal, or a session's number after its term (十一届三次全委会议)
    if is_cn and before in _CN_NUMERALS:
        return None  # inside a run of numerals longer than _MAX_NUMERAL: not a number
    if unit is not None and not pct and not multiplied and _not_a_count(unit, num, value, is_cn, folded, end, units):
        return None  # not a count with this unit, nor (a bare number) without it: skip the word check
    if unit is not None and end < len(folded) and end not in word_starts(folded) \
            and not _unit_in_glued_word(folded, start, m.start("unit"), unit, value, units):
        # the "unit" begins a word (千万家庭: 家庭), so this number has no measure word
        end = m.start("unit")
        if folded[end - 1] == " ":
            end -= 1  # the space belonged to the unit
        unit = None
        if g["post"]:
            return None
    if unit is None and pct is None and not multiplied:
        return None  # a bare number: a code, a year, an ordinal … (6600多万 with a multiplier counts)
    if unit is None and pct:
        unit = "%"
    if _not_a_count(unit, num, value, is_cn, folded, end, units):
        return None
    if unit == "年" and _term_reference(folded, start, end, value):
        return None
    if before == "、" and unit and _shared_ordinal(folded, start, unit):
        return None
    if g["pre"] == "达":
        start += 1  # 达 ("reached") introduces the number; it is no approximation and no part of it
    return _Count(start, end, num, unit, big, script, value, g)


def _unit_in_glued_word(folded: str, start: int, unit_at: int, unit: str, value: float,
                        units: dict[str, str]) -> bool:
    """The measure word is the count's although the tokenizer glued it into a word: to the verb
    after it (15人|获 read as 人获, 3次|到 as 次到), or with a small numeral and its noun into one
    set phrase (四套班子). Only counting measure words: 九十年代 holds no count 九十年."""
    if units.get(unit) != "count":
        return False
    index = word_starts(folded)
    word = index.get(unit_at)
    if word is None:  # the unit is inside a word begun before it: 四套班子 from the numeral
        whole = index.get(start)
        return whole is not None and len(whole) > unit_at - start + len(unit) and value <= 10
    # a verb the tokenizer guessed (人获), not one of its dictionary's (批发 in 二批发)
    return len(word) == len(unit) + 1 and word_tag(word) == "v" and _not_a_dictionary_word(word)


@lru_cache(maxsize=1024)
def _not_a_dictionary_word(word: str) -> bool:
    """The tokenizer's dictionary splits ``word``: it was guessed from unknown characters (HMM)."""
    import rjieba

    return len(rjieba.cut(word, False)) > 1


def _count_fields(count: _Count, text: str, folded: str, units: dict[str, str],
                  verbs: frozenset[str]) -> dict[str, Any]:
    """The CountEntity fields of a count that passed the filters."""
    g, num, unit, script = count.groups, count.num, count.unit, count.script
    kind = units.get(unit, "count")  # type: ignore[arg-type]
    approx = g["pre"] or g["suf"] or g["post"]
    if g["pre"] == "达":
        approx = g["suf"] or g["post"]
    multiplier_unit = None
    value_num = count.value
    if kind == "money":
        # money keeps its multiplier in the unit, as statistics write it: 1.2万亿元 → 1.2, 万亿元
        head = num.rstrip("万亿") if script != "chinese" else num
        mult_text = num[len(head):] + (count.big or "")
        if mult_text and head:
            value_num = parse_number(head) or count.value
            multiplier_unit = mult_text + unit  # type: ignore[operator]
        else:
            multiplier_unit = unit
    mult = g["mult"]
    fields: dict[str, Any] = {
        "value": as_number(value_num),
        "value_max": as_number(parse_number(g["num2"])) if g["num2"] else None,
        "unit": multiplier_unit or unit,
        "approx": approx,
        "numeral_script": "mixed" if mult else script,
        "multiplicity": int(parse_number(mult) or 1) if mult else 1,
    }
    if kind != "time":
        fields["object"] = _object(text, folded, count.start, count.end, fields["multiplicity"], verbs)
    else:
        # a duration names what lasts when a noun follows (三年新冠疫情防控, 为期三天的会议);
        # an anniversary or an age names nothing of its own
        fields["object"] = (_object_after(folded, count.end) if unit in _DURATIONS else None)
    return fields


#: Verbal nouns that head a counted phrase (三项重点工作, 五个方面工作), unlike 政协机关建设.
_VN_HEADS = frozenset({"工作", "防控"})
#: Words after which the rest of the phrase is the thing counted: a category or a relative clause
#: (经济建设方面的提案 → 提案, 科技类提案 → 提案, 会议期间的大会提案 → 大会提案).
_MODIFIER_ENDS = ("的", "方面", "类")
#: The modifier words that end a phrase-level modifier, whatever precedes the clause.
_PHRASE_MODIFIER_ENDS = ("的", "方面")
#: Nouns that make the verb after them an activity's name (常委会集体学习12次 → 集体学习), not a
#: predicate (作为意见处理5件).
_ACTIVITY_MODIFIERS = frozenset({"集体", "专题", "联合", "实地", "专项", "对口"})
#: A clause ending in one of these right before the number describes the things counted without
#: naming them (已经解决的159件, 占总数的15%, 医药卫生类17件): no object.
_NAMELESS_ENDS = frozenset({"的", "类"})
_NOUNISH = ("n", "vn", "nz", "j", "an", "ng", "nr", "ns", "nt", "eng")
#: Tags a counted phrase neither starts nor ends with (verbs, adverbs, prepositions, particles …).
_EDGE_TAGS = ("d", "p", "c", "u", "r", "m", "q", "f", "y", "e", "o", "x", "zg", "uj", "ul")
_MAX_OBJECT = 7
#: Scope words before a counted noun: 全区养老护理员共有410名 counts 养老护理员.
_SCOPES = ("全区", "全县", "全市", "全省", "全国", "全年", "各级", "各")
#: The clause before a count, back to the last punctuation mark: matched backwards from the count.
_CLAUSE_TAIL_RE = regex.compile(r"(?r)[^" + regex.escape("".join(sorted(PUNCT))) + r"]*")


#: Up to 16 characters of the clause after a count, where the thing counted may follow.
_CLAUSE_HEAD_RE = re.compile(r"[^" + re.escape("".join(sorted(PUNCT))) + r"]{0,16}")


#: How far back from a count its clause is read for the thing counted. The phrase kept is at
#: most _MAX_OBJECT characters after the clause's last count verb; a verb further back than
#: this is not the count's. Reading the whole clause instead made every count cost the length
#: of its clause: quadratic on a long unpunctuated line of counts (issue 18). 32 gives the
#: same objects as the whole clause on every corpus report; 24 lost one.
_CLAUSE_WINDOW = 32


def _clause_start(folded: str, pos: int) -> int:
    """Where the clause before ``pos`` starts: the last punctuation mark, at most
    :data:`_CLAUSE_WINDOW` characters back."""
    m = _CLAUSE_TAIL_RE.match(folded, max(0, pos - _CLAUSE_WINDOW), pos)
    return m.start() if m is not None else pos


@lru_cache(maxsize=1)
def _self_verbs() -> frozenset[str]:
    """Count verbs that name what they count when nothing follows them (立案215件 → 立案)."""
    return frozenset(row[0] for row in table_rows("count_verbs.txt") if row[1:] == ("self",))


@lru_cache(maxsize=1)
def _change_verbs() -> frozenset[str]:
    """Count verbs of change whose subject is what they count (成交额增长28.6% → 成交额)."""
    return frozenset(row[0] for row in table_rows("count_verbs.txt") if row[1:] == ("change",))


@lru_cache(maxsize=1)
def _links() -> frozenset[str]:
    return frozenset(row[0] for row in table_rows("count_links.txt"))


@lru_cache(maxsize=1)
def _links_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_links(), key=len, reverse=True))


def _is_org(word: str) -> bool:
    from zhdoc.extract.names import default_gazetteer

    return word in default_gazetteer().entries


def _is_verb(tag: str) -> bool:
    return tag.startswith("v") and tag != "vn"


#: Postpositions after a duration (五年内, 百年来, 三年间, 三年以上): no noun follows.
_POSTPOSITIONS = frozenset("来内间以中后前里")
#: Time units of a duration, whose count may name what lasts (三年新冠疫情防控).
_DURATIONS = frozenset({"年", "天", "个月", "小时"})


def _object_after(folded: str, end: int) -> str | None:
    """The noun phrase right after a count (over a closing quote or 的), or None."""
    after = end
    if after < len(folded) and folded[after] in "”\"":
        after += 1
    if after < len(folded) and folded[after] == "的":
        after += 1
    tail = _CLAUSE_HEAD_RE.match(folded, after).group()
    if not tail or tail[0] in _POSTPOSITIONS or tail.startswith("时间"):
        return None  # 五年内, 百余年来, 三年时间: the duration is the phrase's own, nothing named
    words = tag_words(tail)
    if not words[0][1].startswith(_NOUNISH):
        return None  # 五年投入…: a verb follows, its subject is elsewhere
    n = _noun_phrase_after(tail)
    return tail[:n] if n >= 2 else None


def _object(text: str, folded: str, start: int, end: int, multiplicity: int,
            verbs: frozenset[str]) -> str | None:
    """The short noun phrase counted: after the unit if a noun follows ("收录190家委员企业"),
    else the object of the verb before the number ("召开党组会议12次")."""
    after = end
    if after < len(folded) and folded[after] in "”\"":
        after += 1
    if after < len(folded) and folded[after] == "的":
        after += 1  # 44.8%的提案建议: the share of what follows
    clause_end = _CLAUSE_HEAD_RE.match(folded, after).end()
    # before the number: the clause back to the last punctuation
    clause_start = _clause_start(folded, start)
    if multiplicity > 1:
        # 提案面复率、答复满意率两个100%: the shared items, back over 、
        for _ in range(multiplicity - 1):
            if clause_start > 0 and folded[clause_start - 1] == "、":
                clause_start = _clause_start(folded, clause_start - 1)
    # 经济、科技类提案: the category is one of several, the clause holds only its last part
    enumerated = clause_start > 0 and folded[clause_start - 1] == "、"
    found = _object_span(folded[after:clause_end], folded[clause_start:start], multiplicity, enumerated)
    if found is None:
        return None
    after_unit, s0, e0 = found
    # the folded text: the object is a name for statistics, simplified like the gold (大會提案 → 大会提案)
    if after_unit:
        return folded[after + s0:after + e0]
    phrase = folded[clause_start + s0:clause_start + e0]
    return phrase if len(phrase) >= 2 and not phrase[-1].isdigit() else None


# The phrase depends only on the clause's words around the count, and a table of counts repeats
# them ("1次" * n, "人次" lines): the same two windows give the same answer without tagging again.
@lru_cache(maxsize=8192)
def _object_span(tail: str, head: str, multiplicity: int, enumerated: bool = False) -> tuple[bool, int, int] | None:
    """Where the counted phrase is: (True, s, e) in ``tail`` (the clause after the count) or
    (False, s, e) in ``head`` (the clause before it), or None."""
    if tail:
        n = _noun_phrase_after(tail)
        if n >= 2:
            return True, 0, n
    if not head:
        return None
    found = _phrase_before(head, multiplicity, enumerated)
    return None if found is None else (False, *found)


def _noun_phrase_after(tail: str) -> int:
    """The length of the noun phrase that opens ``tail`` (收录190家|委员企业), 0 if none."""
    words: list[tuple[str, str]] = []
    for word, tag in tag_words(tail):
        if not (tag.startswith(_NOUNISH) or (not words and (tag in ("b", "a") or (_is_verb(tag) and len(word) > 1)))):
            # a verb after a noun ends it (388名委员出席开幕式: 委员 is the subject); a verb of two
            # characters may open it (47个承办单位), a one-character predicate not (45件作来信处理)
            break
        if sum(len(w) for w, _ in words) + len(word) > _MAX_OBJECT:
            break
        words.append((word, tag))
    while words and (not words[-1][1].startswith(_NOUNISH)
                     or (len(words) > 1 and words[-1][1] == "vn" and words[-1][0] not in _VN_HEADS)):
        words.pop()  # the phrase ends in a noun (承办单位认真办理 → 承办单位; 政协机关建设 → 政协机关)
    return sum(len(w) for w, _ in words)


#: (position in the clause, word, tag)
_Token = tuple[int, str, str]


def _phrase_before(head: str, multiplicity: int, enumerated: bool = False) -> tuple[int, int] | None:
    """The counted phrase in the clause before a count ("召开党组会议12次" → 党组会议): the clause's
    words (candidates) → the object of its last count verb, edges trimmed (filters) → its span,
    without a link or scope word the tokenizer glued to it (fields)."""
    tokens = _head_tokens(head)
    if not tokens:
        return None
    object_tokens = _object_of_last_verb(tokens)
    if object_tokens is None:
        return None
    if multiplicity == 1:
        # 提案面复率、答复满意率两个100%: the shared items are coordinated, 答复 is no predicate
        object_tokens = _after_last_verb(object_tokens)
    if (object_tokens and object_tokens[-1][2] == "v" and not object_tokens[-1][1].endswith(_links_longest_first())
            and not (len(object_tokens) > 1 and object_tokens[-2][1] in _ACTIVITY_MODIFIERS)):
        return None  # 作为意见处理5件, 满意或基本满意达99%: a predicate, not a thing (but 办结率达 is)
    object_tokens = _trim_edges(object_tokens, multiplicity)
    if not object_tokens:
        return None
    s0, e0 = _without_glued_words(head, object_tokens[0][0], object_tokens[-1][0] + len(object_tokens[-1][1]))
    return _after_modifier(head, s0, e0, enumerated)


def _after_modifier(head: str, s0: int, e0: int, enumerated: bool = False) -> tuple[int, int] | None:
    """``[s0, e0)`` from after its last category or relative-clause word (经济建设方面的提案 →
    提案; 全体会议期间的大会提案 → 大会提案); None when nothing is left. A category in 类 names a
    kind of thing (综合经济类提案) and stays, unless it is the last of several (经济、科技类提案 →
    提案: the clause holds only part of the category)."""
    ends = _MODIFIER_ENDS if enumerated else _PHRASE_MODIFIER_ENDS
    cut = max((head.rfind(m, s0, e0) + len(m) for m in ends if head.find(m, s0, e0) >= 0), default=s0)
    return (cut, e0) if e0 - cut >= 2 else None


def _head_tokens(head: str) -> list[_Token]:
    """The clause's words with their positions, without the link and function words right before
    the number (a run of numerals and units strips whole)."""
    tagged = tag_words(head)
    links = _links()
    keep = len(tagged)
    while keep and (tagged[keep - 1][0] in links or tagged[keep - 1][1].startswith(_EDGE_TAGS)):
        if tagged[keep - 1][0] in _NAMELESS_ENDS:
            return []  # 已经解决的(有)159件: the clause describes what is counted, names nothing
        keep -= 1
    keep = _without_split_link(tagged, keep)
    verbs = _tables()[2]
    tokens: list[_Token] = []
    pos = 0
    for w, t in tagged[:keep]:
        if not t.startswith(_NOUNISH) and len(w) >= 4 and w[:2] in verbs:
            # a count verb the tokenizer glued to its object (听取意见 as one idiom): verb + noun
            tokens += [(pos, w[:2], "v"), (pos + 2, w[2:], "n")]
        elif not t.startswith(_NOUNISH) and len(w) >= 4 and w[-2:] in _change_verbs():
            # a verb of change glued to its subject (价格上涨): noun + verb
            tokens += [(pos, w[:-2], "n"), (pos + len(w) - 2, w[-2:], "v")]
        else:
            tokens.append((pos, w, t))
        pos += len(w)
    return tokens


def _without_split_link(tagged: list[tuple[str, str]], keep: int) -> int:
    """``keep`` without the last words when together they spell a link the tokenizer split
    (城镇化率提高|到66.2%: 提高到)."""
    if keep < 2:
        return keep
    links = _links()
    last_two = tagged[keep - 2][0] + tagged[keep - 1][0]
    return keep - 2 if last_two in links else keep


def _object_of_last_verb(tokens: list[_Token]) -> list[_Token] | None:
    """The words after the clause's last count verb, and after the last 等 among them; None when
    the number follows the only verb ("共立案215件": nothing counted is named)."""
    verbs = _tables()[2]
    # a count verb the tagger reads as a noun before another noun is part of a compound
    # (专题协商议事活动, 立案提案), no verb; at the clause's end it is one (共立案215件)
    verb_at = [i for i, (_, w, t) in enumerate(tokens) if w in verbs
               and not (t == "n" and i + 1 < len(tokens) and tokens[i + 1][2].startswith(_NOUNISH))]
    if verb_at and verb_at[-1] == len(tokens) - 1 and tokens[-1][1] in _change_verbs():
        # 技术合同成交额增长28.6%: the subject of the change, after the verb before it if any
        return tokens[verb_at[-2] + 1 if len(verb_at) > 1 else 0:-1]
    if verb_at and verb_at[-1] == len(tokens) - 1:
        # the number follows a verb — unless an earlier verb makes this one its object
        # ("开展联合调研11次" → 联合调研)
        if len(verb_at) < 2:
            return [tokens[-1]] if tokens[-1][1] in _self_verbs() else None
        tokens = tokens[verb_at[-2] + 1:]
    elif verb_at:
        tokens = tokens[verb_at[-1] + 1:]  # the object of the last verb ("召开党组会议")
    if any(w == "等" for _, w, _ in tokens):
        last = max(i for i, (_, w, _) in enumerate(tokens) if w == "等")
        tokens = tokens[last + 1:]  # "交流研讨会、集中警示教育等活动" → 活动
    return tokens


def _after_last_verb(tokens: list[_Token]) -> list[_Token]:
    """The nouns after the last verb when only nouns follow it and the verb is a predicate — one
    character (含重点提案, 会议应到委员) or after a noun, its subject (主席会议决定重点提案) — since a
    verb outside the count-verb table still introduces its object; a two-character verb opening
    the phrase modifies the noun instead (联名提案人, 履职活动)."""
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i][2] == "v":
            rest = tokens[i + 1:]
            predicate = len(tokens[i][1]) == 1 or any(t.startswith(_NOUNISH) for _, _, t in tokens[:i])
            if rest and all(t == "vn" for _, _, t in rest) and len(tokens[i][1]) > 1:
                return tokens[i:]  # 政协考察调研: two activities coordinated, not a predicate and its object
            return rest if predicate and rest and all(t.startswith(_NOUNISH) for _, _, t in rest) else tokens
    return tokens


def _trim_edges(tokens: list[_Token], multiplicity: int) -> list[_Token]:
    """Without leading adverbs, verbs and the actor ("常委会集体学习" → 集体学习), trailing
    function words, and (one count) words beyond _MAX_OBJECT characters from the end."""
    while tokens and (tokens[0][2].startswith(_EDGE_TAGS) or _is_org(tokens[0][1])):
        tokens = tokens[1:]
    while tokens and tokens[-1][2].startswith(_EDGE_TAGS):
        tokens.pop()
    if multiplicity == 1:
        while len(tokens) > 1 and tokens[-1][0] + len(tokens[-1][1]) - tokens[0][0] > _MAX_OBJECT:
            tokens = tokens[1:]
    return tokens


def _without_glued_words(head: str, s0: int, e0: int) -> tuple[int, int]:
    """``[s0, e0)`` without a link ("率为") or scope ("全区养老护理员") the tokenizer glued to it."""
    longest_first = _links_longest_first()
    if head.endswith(longest_first, s0, e0):
        for link in longest_first:
            if head.endswith(link, s0, e0) and e0 - s0 > len(link) + 1:
                e0 -= len(link)
                break
    for scope in _SCOPES:
        if head.startswith(scope, s0) and e0 - s0 > len(scope) + 1:
            s0 += len(scope)
            break
    return s0, e0
