"""Organizations, 委员工作室, persons, places, publications and slogans."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise

import regex

from zhdoc.extract.base import (
    HAN,
    Anchor,
    Context,
    Raw,
    Reach,
    WordIndex,
    anchored_finditer,
    plausible_place_start,
    starts_content_word,
    table_rows,
    tag_at,
    tag_words,
    word_starts,
)
from zhdoc.extract.numbers import TERM_NUMERAL, term_number
from zhdoc.normalize import fold

# ------------------------------------------------------------------ organizations


class Gazetteer:
    """Organization aliases → (canonical template, generic, media). Users add their own entries."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, bool, bool]] = {
            row[0]: (row[1], row[2] == "1", len(row) > 3 and row[3] == "1") for row in table_rows("organizations.tsv")
        }
        self._automaton = None

    def add(self, alias: str, canonical: str | None = None, *, generic: bool = False, media: bool = False) -> None:
        """Add an organization (or an alias of one) to this gazetteer."""
        self.entries[alias] = (canonical or alias, generic, media)
        self._automaton = None

    @classmethod
    def from_file(cls, path: str) -> Gazetteer:
        """Defaults plus a user TSV file of ``alias<TAB>canonical[<TAB>generic 0/1[<TAB>media 0/1]]`` rows."""
        g = cls()
        with open(path, encoding="utf-8") as fh:
            for row in fh:
                if not row.strip() or row.startswith("#"):
                    continue
                cols = row.rstrip("\n").split("\t")
                g.add(cols[0], cols[1] if len(cols) > 1 and cols[1] else None,
                      generic=len(cols) > 2 and cols[2].strip() == "1", media=len(cols) > 3 and cols[3].strip() == "1")
        return g

    def automaton(self):  # type: ignore[no-untyped-def]
        if self._automaton is None:
            import ahocorasick

            a = ahocorasick.Automaton()
            for alias in self.entries:
                a.add_word(alias, alias)
            a.make_automaton()
            self._automaton = a
        return self._automaton


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer()


_LEVEL_SUFFIX = "省|市|区|县|自治州|自治区|州|盟|旗"
#: Bodies that a place name may prefix: 常州市武进区政协, 中共常州市武进区委, 江苏省委.
# the standard engine: an alternation of words that begin with a literal scans faster there
BODY_RE = re.compile(r"政协党组|政协|人大常委会|人大|人民政府|政府|委员会|纪委|委(?!员)")


# The report context (zhdoc.extract.build_context) and the organization extractor both walk a
# report's bodies: one pass serves both.
@lru_cache(maxsize=8)
def body_matches(folded: str) -> tuple[re.Match[str], ...]:
    """Every body word (政协, 人大常委会, 委 …) of ``folded``, in order."""
    return tuple(BODY_RE.finditer(folded))


#: The place right before a body, matched backwards from the body (search with endpos = body start).
PLACE_TAIL_RE = re.compile(
    rf"(?P<party>中共)?(?P<place>(?:[{HAN}]{{2}}(?:省|自治区))?(?:[{HAN}]{{2}}(?:市|州|盟))?[{HAN}]{{2}}(?:{_LEVEL_SUFFIX}))\Z"
)
_PLACE_TAIL3_RE = re.compile(rf"(?P<party>中共)?(?P<place>[{HAN}]{{3}}(?:{_LEVEL_SUFFIX}))\Z")
_SUFFIX_CHARS = set("省市区县州盟旗")
#: A department of a local government: 区民政局, 县人民法院, 市场监督管理局 under 县, 区融媒体中心.
DEPARTMENT_RE = re.compile(  # one leading class: the standard engine skips to it by table
    rf"(?P<lvl>[区县市省])(?P<name>[{HAN}]{{1,10}}?)"
    r"(?P<suf>局|委员会|委(?!员)|办公室|中心|医院|法院|检察院|总会|工商联|督查室|研究室)"
)
#: What never stands inside a body's name: function words, punctuation, other bodies.
_NOT_IN_NAME = regex.compile(r"[在的了与及其并对把将从向为是之以于等各第，,、。；;：:“”]|政协|党组|人大|和其")
_LEVEL_KEY = {"区": "district", "县": "district", "市": "city", "省": "province"}
#: Parts of a body written right after it: 区政协常务委员会, 区政协党组, 区政府办公室.
SUB_BODY_RE = regex.compile(r"常务委员会|常委会|党组|机关|办公室|办公厅|督查室|\p{Han}{2,8}?委员会")
_FIXED_SUB_BODIES = frozenset({"常务委员会", "常委会", "党组", "机关", "办公室", "办公厅", "督查室"})
_PARENT_BODIES = ("政协", "人大", "政府", "委")
#: Sub-body as written → (canonical part, generic): 常委会 and 党组 after a short body are generic references.
_SUB_BODIES = {"常委会": ("常务委员会", True), "常务委员会": ("常务委员会", True), "党组": ("党组", True),
               "各专门委员会": ("专门委员会", True), "专门委员会": ("专门委员会", True)}
#: A bare locality learned from the report (武进) before a body: 武进政协.
_BARE_BODY_RE = regex.compile(r"政协|人大|人民政府|政府")
_TERM_AHEAD_RE = regex.compile(r"第?[一二三四五六七八九十]{1,3}届")


_NUM = TERM_NUMERAL
_PLACE_LEVELS = "省|自治区|市|自治州|州|盟|新区|区|县|旗"
#: A formal committee name, the genre's own way to name its body: 政协某某市第九届委员会,
#: 中国人民政治协商会议第十三届某某县委员会常务委员会, 政协第十一届全国委员会; also 政协某某市 written
#: right before its term (政协某某市六届四次会议). The place runs from province to district
#: (四川省夹江县); the canonical name takes its innermost level (夹江县政协).
#: A character of a place inside a formal name: no function word, no second body (政协主席某某在政协某某市…).
_PLACE_CHAR = r"(?:(?!政协|委员|主席)[^\P{Han}的在和与及是为对把将从向于等各])"
FORMAL_COMMITTEE_RE = regex.compile(
    rf"(?:中国人民政治协商会议|政协)(?:第?(?P<t1>{_NUM})届)?"
    rf"(?P<place>全国|{_PLACE_CHAR}{{1,14}}?(?:{_PLACE_LEVELS}))?"
    rf"(?:第?(?P<t2>{_NUM})届)?"
    # a cover title may set 常务委员会 on a line of its own (extract_report maps the span across it)
    rf"(?:委员会(?P<sub>\n?常务委员会)?|(?<=[省市区县州旗盟])(?=第?(?:{_NUM})届))"
)
#: The 协 of 政协 or of 政治协商 (anchored_finditer: a full pass would try the pattern at every character).
_FORMAL_ANCHOR = Anchor("协", reach=6, after="政治")
#: The outer levels of a formal name's place, dropped from the canonical name: 四川省|夹江县, 重庆市|大渡口区.
_OUTER_PLACE_RE = regex.compile(r"^(?:\p{Han}{2,6}?(?:省|自治区)(?=\p{Han}{2}))?(?:\p{Han}{2,6}?(?:市|自治州|州|盟)(?=\p{Han}+[区县旗市]$))?")
#: A term written before or after a short body: 十届市政协, 市政协十三届委员会, 区政协十四届常务委员会.
# 新一届市政协 names no term; a level written before the term (市十三届政协常委会) is part of the name
_TERM_BEFORE_RE = regex.compile(rf"(?:(?<!\p{{Han}})(?P<lvl>[市区县省州]))?(?<![新本上下历每])第?(?P<t>{_NUM})届\Z")
_TERM_AFTER_RE = regex.compile(rf"第?(?P<t>{_NUM})届(?:委员会)?(?=常务委员会|常委会)|第?(?P<t2>{_NUM})届委员会")


def innermost_place(place: str) -> str:
    """四川省夹江县 → 夹江县, 重庆市大渡口区 → 大渡口区, 云南省 → 云南省."""
    return place[_OUTER_PLACE_RE.match(place).end():] or place  # type: ignore[union-attr]


def formal_committees(folded: str) -> list[Raw]:
    """The formal committee names of ``folded`` (one compiled pass; 政协 starts every match)."""
    out: list[Raw] = []
    if "政" not in folded:
        return out
    for m in anchored_finditer(FORMAL_COMMITTEE_RE, folded, _FORMAL_ANCHOR):
        place = m.group("place")
        term = term_number(m.group("t1") or m.group("t2"))
        if (place is None and term is None) or (place is not None and place[0] in "全本各该我" and place != "全国"):
            continue  # 政协委员会 names no body; 政协全市 … is no place
        body = "全国政协" if place == "全国" else innermost_place(place) + "政协" if place else "{body}"
        if m.group("sub"):
            body += "常务委员会"
        out.append(Raw("organization", m.start(), m.end(), {"generic": False, "term": term}, template=body, formal=True))
    return out


def place_before(folded: str, pos: int) -> re.Match[str] | None:
    """The place name (with an optional 中共) ending right at ``pos``, if it starts a word."""
    if pos < 3 or folded[pos - 1] not in _SUFFIX_CHARS:
        return None
    if pos >= 2 and _level_after_function_char(folded, pos - 1, word_starts(folded)):
        return None  # 王静受|区政协: the level starts a short body after a verb, no place ends there
    m = PLACE_TAIL_RE.search(folded, max(0, pos - 16), pos)
    if m is None:
        return None
    one_word = False
    if m.group("party") is None and m.start("place") > 0 and not plausible_place_start(folded, m.start("place")):
        # 大渡口区: a three-character name (the pattern's two characters start inside it)
        m3 = _PLACE_TAIL3_RE.search(folded, max(0, pos - 5), pos)
        if m3 is not None and plausible_place_start(folded, m3.start("place")):
            m = m3
        elif m3 is not None and _one_word_place(folded, m3, pos):
            m, one_word = m3, True
    place = m.group("place")
    if place[:1] in "全本各该我" or place[:2] in _NOT_PLACE_PREFIX:
        return None
    if not one_word and not plausible_place_start(folded, m.start("place")) and not _one_party_word(folded, m, pos):
        return None
    return m


def _one_word_place(folded: str, m: re.Match[str], pos: int) -> bool:
    """大渡口区 before 政协: a three-character place that jieba keeps as one word (tagged a
    common noun, not a name) is a place when the word ends right at the body."""
    start = m.start("place")
    return starts_content_word(folded, start) and word_starts(folded).get(start) == folded[start:pos]


def _one_party_word(folded: str, m: re.Match[str], pos: int) -> bool:
    """中共云南省委 is one word of jieba's: its place starts no word, the name as a whole does."""
    if not m.group("party"):
        return False
    starts = word_starts(folded)
    word = starts.get(m.start())
    # 中共|桃源|县委: a place between 中共 and 委 is a place whatever jieba tags it
    return (word is not None and m.start() + len(word) >= pos) or (word == "中共" and m.start("place") in starts)


#: Aliases ending in a body word may run into what follows (县政协常委会 is one jieba word or two).
_BODY_ENDINGS = ("政协", "常委会", "人大", "政府", "党组")
#: What after 政协 makes a compound naming people or work: 市政协委员, 市政协常委, 市政协工作, 我市政协事业.
_MEMBER_AFTER_BODY = regex.compile(r"委员|常委(?!会)|工作|事业")
#: Bare references stand alone only before these (政协的, 人民政协是, 政协十一届): 政协工作,
#: 政协事业, 政协提案, 政协委员 name work or people.
_BARE_ONLY = frozenset({"政协", "人民政协"})
# 之 is the written 的 (政协之能); 成立 and 作为 + a predicate (人民政协作为协商民主重要渠道) take the body
# as their subject (彰显政协作为, a noun at the clause's end, is work)
_BARE_BODY_NEXT = regex.compile(
    rf"$|[^\p{{Han}}]|[的是和与及之]|第?(?:{_NUM})届|各(?=专门委员会|专委会)|成立|作为(?=\p{{Han}})"
)
#: Generic references that a following word makes a compound naming people or work:
#: 界别群众, 界别委员, 民主党派成员 (委员会 is a body).
_GENERIC_COMPOUND_NEXT = regex.compile(r"群众|人士|成员|委员(?!会)")
#: 中央 as "central" before a level or a place (中央层面, 中央大厅), not the party's centre.
_CENTRAL_AS_ADJECTIVE = regex.compile(r"层面|大厅|广场|商务区|空调|厨房|花园")


#: References that name bodies only as the subject of a clause: 党政 (the party committee and the
#: government, as 党委政府) acts in "。党政高度重视" and "“党政点题、…”"; after a verb or a preposition
#: or before a noun it modifies (党政工作, 党政科学决策, 党政军领导) it names work or people.
_SUBJECT_ONLY = frozenset({"党政"})
_CLAUSE_START_BEFORE = frozenset("。！？!?；;：:，,、“\"（(\n ")
_MODIFIED_AFTER = regex.compile(r"工作|领导|干部|机关|部门|军|同志|主要|一把手|负责")


def _acts_at_clause_start(folded: str, start: int, end: int) -> bool:
    return (start == 0 or folded[start - 1] in _CLAUSE_START_BEFORE) and not _MODIFIED_AFTER.match(folded, end)


def _object_of_ba(folded: str, start: int, end: int) -> bool:
    """把政协打造成…: 把 makes what follows it a whole noun phrase, and a verb after 政协 leaves
    政协 alone as that phrase (把政协工作做好: 政协工作 is the phrase)."""
    return start > 0 and folded[start - 1] == "把" and (tag_at(folded, end) or "").startswith("v") \
        and not (tag_at(folded, end) or "").startswith("vn")


def _not_a_generic_reference(folded: str, start: int, end: int) -> bool:
    """A generic reference that names no body where it stands: inside a compound naming people
    or work (界别群众, 界别委员), after 跨 (跨界别: across sectors), or 政协 as the last word
    of a coined phrase in quotes (“忠诚政协”, “书香政协”) or counted as a kind (五个政协); 中央
    as an adjective (中央层面)."""
    if _GENERIC_COMPOUND_NEXT.match(folded, end) or (start > 0 and folded[start - 1] == "跨"):
        return True
    if folded.startswith("中央", start) and end == start + 2 and _CENTRAL_AS_ADJECTIVE.match(folded, end):
        return True
    if folded.endswith("政协", start, end) and start > 0:
        before = folded[start - 1]
        return before == "个" or ("\u4e00" <= before <= "\u9fff" and folded.startswith(("”", '"'), end))
    return False


#: One-character verbs and prepositions jieba joins to a level that starts a body (受|区 政协 → 受区|政协);
#: 各 joined to what it distributes over (各党派|团体) is read the same way.
_FUNCTION_BEFORE_LEVEL = frozenset("受在由向对经据为请把让给从与和及同跟被代")


def _level_after_function_char(folded: str, start: int, starts: WordIndex) -> bool:
    """A short body's level (区 of 区政协) that jieba joined to a one-character verb or
    preposition before it (受区|政协): the body starts there all the same."""
    if start == 0:
        return False
    before = folded[start - 1]
    if before == "各":  # 各党派|团体: the reference is 党派团体
        return starts.get(start - 1) is not None
    if folded[start] not in "区县市省州" or before not in _FUNCTION_BEFORE_LEVEL:
        return False  # (the character tests first: the word test may have to segment)
    word = starts.get(start - 1)
    return word is not None and len(word) == 2


def extract_organizations(text: str, folded: str, ctx: Context) -> list[Raw]:
    g = ctx.gazetteer or default_gazetteer()
    found: list[Raw] = formal_committees(folded)
    starts = word_starts(folded)
    n = len(folded)
    compounds: list[tuple[int, int]] = []
    for end_idx, alias in g.automaton().iter(folded):
        start = end_idx - len(alias) + 1
        end = end_idx + 1
        if (start not in starts and not _level_after_function_char(folded, start, starts)) or (
            end < n and end not in starts and not alias.endswith(_BODY_ENDINGS)
        ):
            continue  # 台联 inside 平台联通, 区政协 inside 开发区政协, 界别组 inside 界别组织
        if alias.endswith("政协") and _MEMBER_AFTER_BODY.match(folded, end):
            continue  # 市政协委员, 市政协常委: a member, not the body
        if alias.endswith("常委会") and folded.startswith("议", end):
            continue  # 常委会议: a meeting, not the committee
        if alias in _BARE_ONLY and not _BARE_BODY_NEXT.match(folded, end) and not _object_of_ba(folded, start, end):
            continue  # 政协工作, 人民政协事业: work, not the body
        if alias in _SUBJECT_ONLY and not _acts_at_clause_start(folded, start, end):
            continue  # 党政工作, 党政军领导, 紧扣党政…: a modifier naming work or people
        template, generic, media = g.entries[alias]
        if generic and _not_a_generic_reference(folded, start, end):
            compounds.append((start, end))  # nor is a shorter reference inside it (党派 of 党派成员)
            continue
        found.append(Raw("organization", start, end_idx + 1, {"generic": generic, "media": media}, template=template))
    for b in body_matches(folded):
        m = place_before(folded, b.start())
        if m is None:
            continue
        body = b.group()
        canon = ("中共" if m.group("party") or body == "委" else "") + m.group("place") + body
        found.append(Raw("organization", m.start(), b.end(), {"generic": False}, template=canon))
    for m in DEPARTMENT_RE.finditer(folded):
        lvl = m.start()
        # 区 must be a word of its own (区|民政局), not part of 全区, 市场, 社区 …
        if lvl not in starts or (lvl + 1) not in starts or _NOT_IN_NAME.search(m.group("name")):
            continue
        template = "{" + _LEVEL_KEY[m.group("lvl")] + "}" + folded[lvl + 1:m.end()]
        found.append(Raw("organization", m.start(), m.end(), {"generic": False}, template=template))
    for bare, full in ctx.bare_places.items():
        pos = folded.find(bare)
        while pos >= 0:
            m = _BARE_BODY_RE.match(folded, pos + len(bare))
            if m is not None:
                found.append(Raw("organization", pos, m.end(), {"generic": False}, template=full + m.group()))
            elif folded.startswith("政协", pos - 2) and _TERM_AHEAD_RE.match(folded, pos + len(bare)):
                # 政协浦东七届四次会议: 政协 + the bare locality before a term, as in a formal name
                found.append(Raw("organization", pos - 2, pos + len(bare), {"generic": False}, template=full + "政协"))
            pos = folded.find(bare, m.end() if m is not None else pos + 1)
    found.extend(extract_media(folded))
    if compounds:
        found = [r for r in found if not any(a <= r.start and r.end <= b for a, b in compounds)]
    return _extend_sub_bodies(_maximal(found, folded), folded)


#: News outlets by their form: 某某日报, 某某新闻网, 某某电视台; a bare 日报/晨报 before 讯 or 记者
#: (晨报讯, 日报记者); a 某某发布 account in quotes. Known outlets (新华社, 人民网) are gazetteer rows.
MEDIA_RE = regex.compile(
    r"\p{Han}{2,4}?(?:日报|晚报|晨报|都市报|新闻网|电视台)"
    r"|(?<!\p{Han})(?:日报|晚报|晨报)(?=讯|记者)"
    r"|(?<=“)\p{Han}{2,4}发布(?=”)"
)


#: The last character of the outlet's form word (日报, 新闻网, 电视台, 发布), after its first ones.
_MEDIA_ANCHOR = Anchor("报网台布", reach=6, after="日晚晨市闻视发")


def extract_media(folded: str) -> list[Raw]:
    """Media outlets written in the report's text, ``media: true`` (their name is their canonical)."""
    out: list[Raw] = []
    if not any(w in folded for w in ("报", "网", "台", "发布")):
        return out
    starts = word_starts(folded)
    for m in anchored_finditer(MEDIA_RE, folded, _MEDIA_ANCHOR):
        # the name starts a content word: 在|重庆日报 starts at 重, not at the preposition
        start = next((s for s in range(m.start(), m.end() - 2) if s in starts and starts_content_word(folded, s)), None)
        if start is None and m.end() - m.start() == 2:
            start = m.start()
        if start is None:
            continue
        out.append(Raw("organization", start, m.end(), {"generic": False, "media": True}, template=folded[start:m.end()]))
    return out


def _extend_sub_bodies(orgs: list[Raw], folded: str) -> list[Raw]:
    """区政协 + 常务委员会 → one body, 区政协常务委员会 (its canonical follows the parent's); a term
    written before or after a short body is part of it (十届市政协, 区政协十四届常务委员会)."""
    for org in orgs:
        if org.fields.get("term") is None and folded.endswith(_TERM_BODIES, org.start, org.end):
            _take_term(org, folded)
        if not org.template or not org.template.endswith(_PARENT_BODIES):
            continue
        m = SUB_BODY_RE.match(folded, org.end)
        if m is None or (m.group() not in _FIXED_SUB_BODIES and _NOT_IN_NAME.search(m.group())):
            continue
        sub = m.group()
        org.end = m.end()
        canonical, generic = _SUB_BODIES.get(sub, (sub, False))
        org.template += canonical
        # 区政协常委会 is a short reference (generic); with its term it names the committee of one 届
        org.fields["generic"] = generic and org.fields.get("term") is None
    # an extension may now cover the next match (区政协 常委会 …): keep the maximal ones again
    orgs = _maximal(orgs, folded)
    _standing_committee_of(orgs, folded)
    return orgs


def _standing_committee_of(orgs: list[Raw], folded: str) -> None:
    """全国人民代表大会及其常务委员会: a bare 常务委员会 after 及其 is the standing committee of the
    body before it, not the report's own."""
    for prev, org in pairwise(orgs):
        if (org.template or "").startswith("{body}常务委员会") and prev.end == org.start - 2 \
                and folded.startswith("及其", prev.end) and prev.template:
            org.template = prev.template + "常务委员会"


#: Short bodies a term is written before or after: 十届市政协, 区政协十四届常务委员会, 十届政协常委会.
_TERM_BODIES = ("政协", "政协常委会", "政协常务委员会", "全国人民代表大会")


def _take_term(org: Raw, folded: str) -> None:
    """The term written before or after a short body is part of its name. Where it stands
    inside the name (市十三届政协, 市政协十三届委员会: a formal name's 届) it is no session of
    its own (``formal``); written after the body without 委员会 (区政协十四届常务委员会) the
    session 区政协十四届 names the body before it (``body_before_term``)."""
    before = _TERM_BEFORE_RE.search(folded, max(0, org.start - 6), org.start)
    after = _TERM_AFTER_RE.match(folded, org.end) if folded.endswith("政协", org.start, org.end) else None
    if before is not None:
        org.start = before.start()
        org.fields["term"] = term_number(before.group("t"))
        org.formal = before.group("lvl") is not None and folded.startswith("政协", before.end())
    elif after is not None:
        org.body_before_term = (org.end, org.template or "")
        org.end = after.end()
        org.fields["term"] = term_number(after.group("t") or after.group("t2"))
        org.formal = after.group("t2") is not None or "委员会" in after.group()


def _maximal(found: list[Raw], folded: str) -> list[Raw]:
    """Keep maximal matches; drop ones that start inside a word like 政协委员 (委 + 员)."""
    found.sort(key=lambda r: (r.start, -(r.end - r.start)))
    out: list[Raw] = []
    last_end = -1
    for r in found:
        if r.start < last_end:
            continue
        out.append(r)
        last_end = r.end
    return out


def resolve_org(template: str, ctx: Context, surface: str) -> str:
    values = {
        "district": ctx.district, "city": ctx.city, "province": ctx.province, "prefecture": ctx.prefecture,
        "body": ctx.body,
        "party_district": ctx.party_district or (f"中共{ctx.city or ''}{ctx.district}委" if ctx.district else None),
    }
    out = template
    for key, val in values.items():
        token = "{" + key + "}"
        if token in out:
            if not val:
                return fold(surface)
            out = out.replace(token, val)
    # a canonical name is written in simplified characters whatever the page's script
    return fold(out)


# ------------------------------------------------------------------ studios

_STUDIO_ITEM = regex.compile(r"(?P<loc>\p{Han}{2}(?:镇|街道|乡|村|社区)|\p{Han}{2}(?:区|县|市))?[“\"](?P<name>[^“”\"\n]{1,12})[”\"]")
_STUDIO_LIST = regex.compile(
    r"(?P<items>(?:(?:\p{Han}{2}(?:镇|街道|乡|村|社区|区|县|市))?[“\"][^“”\"\n]{1,12}[”\"][、,]?){1,30})"
    r"(?:(?:等|共)?(?P<n>[\d一二三四五六七八九十]+)个)?(?P<suffix>委员工作室)?"
)
_UNQUOTED_STUDIO = regex.compile(
    r"(?P<loc>(?:区|市|县)政协|\p{Han}{2}(?:镇|街道))?(?P<name>\p{Han}{2,5}?)(?P<suffix>委员工作室)"
)
_NOT_A_STUDIO_NAME = regex.compile(r"^(?:各|多个|个|的|每个|所有|新建|建成|建设|首个|全区|全市|设立|成立|等)|[个的等]$")


def extract_studios(text: str, folded: str, ctx: Context) -> list[Raw]:
    out: list[Raw] = []
    if "工作室" not in folded:
        return out
    for m in _STUDIO_LIST.finditer(folded):
        if not m.group("suffix"):
            continue
        items_start = m.start("items")
        for it in _STUDIO_ITEM.finditer(folded, items_start, m.end("items")):
            loc = it.group("loc")
            name = it.group("name")
            full = f"{text[it.start():it.end()]}委员工作室"
            end = it.end()
            if not m.group("n") and it.end() == m.end("items") and folded.startswith("委员工作室", end):
                end += len("委员工作室")
            out.append(Raw("studio", it.start(), end, {"name": name, "location": loc, "full_name": full},
                           name_span=it.span("name")))
    # an unquoted suffix within 12 characters after a quoted studio found above belongs to its list
    covered = Reach((r.start, r.end) for r in out)
    for m in _UNQUOTED_STUDIO.finditer(folded):
        reach = covered.before(m.start("suffix"), inclusive=True)
        if reach is not None and m.start("suffix") < reach + 12:
            continue
        name = m.group("name")
        # trim a leading verb/article the lazy name picked up (建成全市首个区政协企业家…)
        if (_NOT_A_STUDIO_NAME.search(name) or "”" in name or not starts_content_word(folded, m.start("name"))
                or any(not tag.startswith(("n", "j", "vn")) for _, tag in tag_words(name))):
            # an unquoted name is made of nouns (企业家, 法律服务), not a verb phrase (力争新增)
            continue
        loc = m.group("loc")
        start = m.start("loc") if loc else m.start("name")
        out.append(Raw("studio", start, m.end(), {
            "name": name, "location": None if loc and "政协" in loc else loc, "full_name": text[start:m.end()],
        }))
    return out


# ------------------------------------------------------------------ persons


@lru_cache(maxsize=1)
def _person_tables() -> tuple[re.Pattern[str], Anchor, tuple[str, ...]]:
    """Known persons as one longest-first alternation (found from their first characters, see
    anchored_finditer) and the titles, longest first."""
    names = sorted((row[0] for row in table_rows("persons.tsv")), key=len, reverse=True)
    titles = tuple(sorted((row[0] for row in table_rows("titles.txt")), key=len, reverse=True))
    pattern = re.compile("|".join(re.escape(n) for n in names) or r"(?!)")
    return pattern, Anchor("".join(sorted({n[0] for n in names})), reach=0), titles


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    rows = table_rows("surnames.txt")
    return frozenset(w for row in rows for w in row[0].split())


_TITLE_BEFORE_NAME = regex.compile(
    r"(?:副?主席|副?书记|[区市县省镇]长|副?主任|部长|秘书长|总理|委员长|院长|局长|同志们?)[ \u3000]?(?=\p{Han})"
)
#: A title's last-but-one and last characters (主席, 秘书长, 同志): see anchored_finditer.
_TITLE_ANCHOR = Anchor("席记长任理志", reach=2, after="主书区市县省镇部员院局总同")
_FUNCTION_CHARS = set("等和与及在的了是为对把将从向带到领赴率作主")


def _names_after_titles(folded: str) -> list[tuple[int, int]]:
    """A surname-led name written right after a title: 区政协副主席王静, 国务院总理　李强."""
    titles = list(anchored_finditer(_TITLE_BEFORE_NAME, folded, _TITLE_ANCHOR))
    if not titles:
        return []
    surnames = _surnames()
    starts = word_starts(folded)
    out: list[tuple[int, int]] = []
    for m in titles:
        s = m.end()
        if m.group().startswith("同志"):
            continue
        double = folded[s:s + 2] in surnames
        if not (double or folded[s] in surnames) or (tag_at(folded, s) or "").startswith(("v", "p", "c", "d")):
            continue
        # the name: two or three characters, ending where a word that is not a name begins
        e = s + 2
        nxt = folded[e:e + 1]
        if nxt and "\u4e00" <= nxt <= "\u9fff" and nxt not in _FUNCTION_CHARS and (
            e not in starts or tag_at(folded, e) in ("zg", "ng", "nr", "nrfg", "x")
        ) and (e + 1 >= len(folded) or e + 1 in starts):
            e += 1
        out.append((s, e))
    return out


def extract_persons(text: str, folded: str, ctx: Context) -> list[Raw]:
    speaker = ctx.speaker
    names_re, names_anchor, titles = _person_tables()
    out: list[Raw] = []
    spans = [(m.start(), m.end()) for m in anchored_finditer(names_re, folded, names_anchor)]
    known = {s for s, _ in spans}
    spans.extend(sp for sp in _names_after_titles(folded) if sp[0] not in known)
    if speaker:
        pos = folded.find(speaker)
        have = {s for s, _ in spans}
        while pos >= 0:
            if pos not in have:  # a speaker also found after a title (区政协副主席　某某) is one person
                spans.append((pos, pos + len(speaker)))
            pos = folded.find(speaker, pos + len(speaker))
    for start, end in spans:
        title = None
        title_start = None
        after = folded[end:end + 6]
        before = folded[max(0, start - 7):start].rstrip(" \u3000")
        for t in titles:
            if after.startswith(t) and t not in ("同志", "委员"):
                title = t
                break
            if before.endswith(t) and t not in ("同志", "委员"):
                title = t
                if t == "总理" and before.endswith("国务院总理"):
                    title = "国务院总理"
                if t in ("主席", "书记", "主任") and before.endswith("副" + t):
                    title = "副" + t
                gap = len(folded[max(0, start - 7):start]) - len(before)
                title_start = start - gap - len(title)
                break
        out.append(Raw("person", start, end, {"name": text[start:end], "title": title}, title_start=title_start))
    return out


# ------------------------------------------------------------------ locations


@lru_cache(maxsize=1)
def _place_table() -> dict[str, str]:
    return {row[0]: row[1] for row in table_rows("places.tsv")}


_SUFFIX_LEVEL = {"省": "province", "自治区": "province", "市": "city", "区": "district", "县": "county",
                 "镇": "town", "乡": "town", "街道": "street", "村": "village"}
_NOT_PLACE_PREFIX = set(
    "开发 高新 经济 保税 自贸 示范 风景 景区 产业 工业 行政 辖区 城区 市区 全省 本市 该市 各区 农村 乡村 城乡 城镇 "
    "特区 老区 山区 库区 社区 园区 新区 地区 灾区 牧区 边区 城市 都市 超市 股市 楼市 车市 上市 门市 夜市 集市 "
    "全国 全市 全区 全县 全镇 各省 各市 各县 各乡 各镇 下乡 返乡 家乡 城中 雄安 两湖 创新 合作 功能 试验 "
    "小区 校区 营区 片区 专区 重点 核心 主城 中心 居住 生态 旅游 商业 住宅 配套 新城 地市 省市 市县 县乡 乡镇 "
    "区县 各级 省级 市级 县级 区级 镇级 乡级 村级 中国 故乡 老乡".split()
)
_CHINA_BLOCKED = re.compile(r"中国(?=特色|式|共产党|人民政治|梦|化|共产主义|人民解放军|国民党|民主)")
_CHINA_BLOCKED_BEFORE = ("美丽", "强大", "健康", "平安", "法治", "数字")  # 美丽中国 and other slogans


@lru_cache(maxsize=1)
def _place_index() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """Known place names by first character, longest first, and a pattern of where one may start.

    A name has two characters at least, so it starts where one of their first characters is
    followed by one of their second characters: one table-driven pass finds those few places
    (about 1 in 70 characters of a report) and the names that start there are compared in
    place. An alternation of the names tries every branch wherever a first character stands,
    and an Aho-Corasick automaton with a branch per first character at its root was slower
    still. (The organization aliases keep their automaton: 政协, 区委 … stand everywhere, and
    comparing in place where one may start cost more than the automaton's walk.) The
    measurements: docs/measurements.md.
    """
    names = sorted(_place_table(), key=len, reverse=True)
    if any(len(name) < 2 for name in names):
        raise ValueError("places.tsv: a place name has two characters at least")
    by_first: dict[str, list[str]] = {}
    for name in names:
        by_first.setdefault(name[0], []).append(name)

    def char_class(chars: set[str]) -> str:
        return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"

    may_start = re.compile(char_class(set(by_first)) + "(?=" + char_class({name[1] for name in names}) + ")")
    return may_start, {ch: tuple(group) for ch, group in by_first.items()}


def _known_places(folded: str) -> Iterator[tuple[int, str]]:
    """(start, name) of known place names, leftmost-longest and not overlapping."""
    may_start, by_first = _place_index()
    done = 0
    for m in may_start.finditer(folded):
        pos = m.start()
        if pos < done:
            continue
        for name in by_first[folded[pos]]:
            if folded.startswith(name, pos):
                yield pos, name
                done = pos + len(name)
                break


_LEVEL_AFTER = frozenset("省市区县")
_NOT_AFTER_SUFFIX = ("长", "委员", "政府工作", "场", "民", "级", "县", "区域", "属", "内", "外", "直")
#: A level suffix after two Han characters that are not a known non-place word (开发区, 全市 …),
#: not followed by what makes it another word (市长, 区域): the checks run inside the regex
#: engine, so prose full of 市场 and 社区 costs little.
# (the standard engine, whose look-behinds need a fixed width: every _NOT_PLACE_PREFIX word has two
# characters)
_SUFFIX_RE = re.compile(
    rf"(?<=[{HAN}]{{2}})(?<!" + "|".join(sorted(_NOT_PLACE_PREFIX)) + rf")(?<![全各本该我每等某][{HAN}])"
    # 地区, 农村, 乡村, 城镇, 城乡 are common nouns, not a name's last character plus a suffix
    r"(?:自治区|街道|[省市县]|(?<!地)区|(?<![农乡])村|(?<!城)镇|(?<!城)乡(?![村镇土亲愁贤情音]))"
    r"(?!" + "|".join(_NOT_AFTER_SUFFIX) + r")"
)
#: Every match starts at its suffix (the name before it is read by lookbehind).
_SUFFIX_ANCHOR = Anchor("省市县区村镇乡自街", reach=0)
_TOWN_SUFFIXES = frozenset({"镇", "乡", "街道", "村"})


def extract_locations(text: str, folded: str, ctx: Context) -> list[Raw]:
    out: list[Raw] = []
    starts = word_starts(folded)
    n = len(folded)
    table = _place_table()
    for pos, name in _known_places(folded):
        level = table[name]
        end_idx = pos + len(name) - 1
        # (the cheap character tests first: the word-boundary test may have to segment)
        if end_idx + 1 < len(folded) and folded[end_idx + 1] in _LEVEL_AFTER:
            continue  # 常州市: the suffix pattern below takes the whole name
        if name == "中国" and (_CHINA_BLOCKED.match(folded, pos) or folded[max(0, pos - 2):pos] in _CHINA_BLOCKED_BEFORE
                              or folded.startswith("中华人民共和国", max(0, pos - 3))):
            continue
        if len(name) <= 2 and (pos not in starts or (end_idx + 1 < n and end_idx + 1 not in starts)):
            continue  # short names inside words: 中国 in 发展中国家, 美国 in 拉美国家
        out.append(Raw("location", pos, end_idx + 1, {"name": name, "level": level}))
    for m in anchored_finditer(_SUFFIX_RE, folded, _SUFFIX_ANCHOR):
        start = m.start() - 2
        # towns and villages (镇 乡 街道 村) have names jieba rarely knows: a content word will do;
        # districts, counties and cities need a proper-name start (代表区政协 is no district)
        check = starts_content_word if m.group() in _TOWN_SUFFIXES else plausible_place_start
        if not check(folded, start):
            continue
        out.append(Raw("location", start, m.end(), {"name": text[start:m.end()], "level": _SUFFIX_LEVEL[m.group()]}))
    for bare, full in ctx.bare_places.items():
        pos = folded.find(bare)
        while pos >= 0:
            if not folded.startswith(full, pos):
                out.append(Raw("location", pos, pos + len(bare), {"name": bare, "level": _SUFFIX_LEVEL.get(full[len(bare):], None)}))
            pos = folded.find(bare, pos + len(bare))
    return _maximal(out, folded)


# ------------------------------------------------------------------ publications and slogans

_PUB_RE = regex.compile(r"《(?P<inner>[^《》\n]{1,80}(?:《[^《》\n]{1,40}》[^《》\n]{0,40})*)》")
_QUOTE_RE = re.compile(r"[“\"](?P<inner>[^“”\"\n]{1,60})[”\"]")
_QUOTE_ANCHOR = Anchor("“\"", reach=0)  # a quotation starts at its opening mark


def extract_publications(text: str, folded: str, ctx: Context) -> list[Raw]:
    out: list[Raw] = []
    if "《" not in folded:
        return out
    for m in _PUB_RE.finditer(folded):
        inner = text[m.start("inner"):m.end("inner")]
        title, _, subtitle = inner.partition("——")
        out.append(Raw("publication", m.start(), m.end(), {"title": title, "subtitle": subtitle or None}))
    return out


def extract_slogans(text: str, folded: str, ctx: Context) -> list[Raw]:
    if "“" not in folded and '"' not in folded:
        return []
    return [
        Raw("slogan", m.start("inner"), m.end("inner"), {"value": text[m.start("inner"):m.end("inner")]})
        for m in anchored_finditer(_QUOTE_RE, folded, _QUOTE_ANCHOR)
    ]
