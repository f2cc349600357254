from hypothesis import given, settings
from hypothesis import strategies as st

import zhdoc
from zhdoc.extract.numbers import parse_number


def ents(text: str, t: str, **kw):  # type: ignore[no-untyped-def]
    doc = zhdoc.parse(text, **kw)
    return [e for r in doc.reports for e in r.entities if e.type == t]


def test_chinese_numerals() -> None:
    assert parse_number("十二") == 12
    assert parse_number("一百四十一") == 141
    assert parse_number("八千一百九十九万") == 81_990_000
    assert parse_number("两") == 2
    assert parse_number("三点一") == 3.1
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("1.2万") == 12_000
    assert parse_number("一九五五") == 1955
    assert parse_number("万万") is None


def test_counts_with_fields() -> None:
    c = {e.text: e for e in ents("召开党组会议12次，走访调研委员企业100余家，收录190家委员企业。", "count")}
    assert c["12次"].object == "党组会议" and c["12次"].unit == "次"
    assert c["100余家"].approx == "余" and c["100余家"].object == "委员企业"
    assert c["190家"].object == "委员企业"


def test_counts_traditional_and_percent() -> None:
    c = {e.text: e for e in ents("共收到提案一百四十一件，佔百分之三十六點九。召開會議十二次。", "count")}
    assert c["一百四十一件"].value == 141 and c["一百四十一件"].numeral_script == "chinese"
    assert c["百分之三十六點九"].value == 36.9 and c["百分之三十六點九"].unit == "%"
    assert c["十二次"].value == 12


def test_not_counts() -> None:
    texts = {e.text for e in ents("第一议题，十五届四次会议，勇争一流，2024年，“1+3+N”举措。", "count")}
    assert texts == set()


def test_dates_periods_sessions() -> None:
    text = "2024年3月5日，“十四五”收官，中共二十大和二十届二中、三中全会，区委十三届八次全会。一年来成效明显。"
    d = {e.text: e for e in ents(text, "date")}
    assert d["2024年3月5日"].value == "2024-03-05" and d["一年来"].relative
    p = ents(text, "period")[0]
    assert p.value == "2021-2025" and p.plan_number == 14
    s = {e.text: e for e in ents(text, "session")}
    assert s["中共二十大"].session_kind == "congress" and s["中共二十大"].term == 20
    assert s["二十届二中、三中全会"].session == [2, 3]
    assert s["区委十三届八次全会"].session_kind == "plenum" and s["区委十三届八次全会"].session == 8


def test_studio_list_distributes_suffix() -> None:
    studios = ents("新建甲子镇“乡贤”、乙丑街道“同心”等9个委员工作室。", "studio")
    assert [(s.location, s.name, s.full_name) for s in studios] == [
        ("甲子镇", "乡贤", "甲子镇“乡贤”委员工作室"), ("乙丑街道", "同心", "乙丑街道“同心”委员工作室")]


def test_organization_canonical_from_locality_option() -> None:
    orgs = ents("区政协召开会议。", "organization", locality="常州市武进区")
    assert orgs[0].canonical == "武进区政协"


def test_user_gazetteer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from zhdoc.extract import Gazetteer

    g = Gazetteer()
    g.add("湖光研究会", "湖光区湖光研究会")
    orgs = ents("湖光研究会开展调研。", "organization", gazetteer=g)
    assert [o.canonical for o in orgs] == ["湖光区湖光研究会"]


def test_consistency_check_failure_is_reported() -> None:
    doc = zhdoc.parse("共提交提案100件。其中，集体提案2件，个人提案90件。")
    check = doc.reports[0].checks[0]
    assert not check.holds
    assert any(d.code == "check.failed" for d in doc.diagnostics)


def test_report_locality_is_recorded() -> None:
    doc = zhdoc.parse("在中共常州市武进区委的领导下，区政协召开会议。")
    assert doc.reports[0].meta.locality == "常州市武进区"
    orgs = [e for e in doc.reports[0].entities if e.type == "organization"]
    assert [o.canonical for o in orgs] == ["中共常州市武进区委", "武进区政协"]


def test_common_nouns_ending_in_a_place_suffix_are_not_places() -> None:
    text = "推进小城镇建设，建设美丽乡村，发展在城镇就业的新业态，雪堰镇和湖塘镇组织委员走访农村。"
    names = {e.text for e in ents(text, "location")}
    assert {"雪堰镇", "湖塘镇"} <= names
    assert not names & {"小城镇", "美乡村", "在城镇", "走访农村", "访农村"}


_WORD_TEXT = "召开党组会议次，走访调研委员企业余家收录的12.5abc%。 \n区政协常务委员会“新农人”一二三"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_WORD_TEXT, max_size=60))
def test_lazy_word_index_equals_whole_text_segmentation(text: str) -> None:
    """Extractors ask for word boundaries in a report's joined text; only the runs asked about
    are segmented. The boundaries must be exactly those of segmenting the whole text."""
    from itertools import accumulate

    import rjieba

    from zhdoc.extract.base import WordIndex

    index = WordIndex(text)
    words = rjieba.cut(text)
    whole = dict(zip(accumulate(map(len, words), initial=0), words, strict=False))
    assert {p for p in range(len(text)) if p in index} == set(whole)
    # the word at each start, asked in a scrambled order (runs segmented as they come up)
    for p in sorted(whole, key=lambda p: (p * 7919) % (len(text) + 1)):
        assert index.get(p) == whole[p] or (not whole[p].strip() and index.get(p) == text[p])


# ---------------------------------------------------------------- issue 17: organizations and sessions
# (invented sentences in the genre's style: 湖光市, 青石县 are no real places)


def _orgs(text: str, **kw):  # type: ignore[no-untyped-def]
    return {e.text: e for e in ents(text, "organization", **kw)}


def test_formal_committee_names_are_one_organization_with_a_term() -> None:
    text = ("各位委员：我受政协湖光市第九届委员会常务委员会的委托，向大会报告工作。"
            "中国人民政治协商会议第十三届青石县委员会是全县人民的政协。")
    o = _orgs(text)
    a = o["政协湖光市第九届委员会常务委员会"]
    assert (a.canonical, a.term, a.generic) == ("湖光市政协常务委员会", 9, False)
    b = o["中国人民政治协商会议第十三届青石县委员会"]
    assert (b.canonical, b.term) == ("青石县政协", 13)
    # the place runs from province to district; the canonical name keeps the innermost level
    c = _orgs("中国人民政治协商会议东山省青石县第十一届委员会召开会议。")["中国人民政治协商会议东山省青石县第十一届委员会"]
    assert (c.canonical, c.term) == ("青石县政协", 11)
    # a second body inside is no place: the formal name starts at the second 政协
    d = _orgs("政协主席李明在政协湖光市第十一届委员会第四次会议上作报告。")
    assert "政协湖光市第十一届委员会" in d


def test_formal_committee_name_split_by_a_cover_title_line_break() -> None:
    text = "中国人民政治协商会议第八届湖光市委员会\n\n常务委员会工作报告\n\n各位委员：一年来，常委会认真履职。"
    o = _orgs(text)
    name = next(k for k in o if k.startswith("中国人民政治协商会议"))
    assert name == "中国人民政治协商会议第八届湖光市委员会\n\n常务委员会" and o[name].term == 8
    assert o["常委会"].canonical == "湖光市政协常务委员会" and o["常委会"].generic


def test_short_and_generic_references() -> None:
    text = ("政协湖光市第九届委员会常务委员会工作报告。一年来，市政协常委会和市政协党组坚持党的领导，"
            "人民政协是重要渠道，政协各参加单位、各民主党派和人民团体积极参与，政协委员认真履职，政协工作、政协事业取得进展。")
    o = _orgs(text)
    assert o["市政协常委会"].canonical == "湖光市政协常务委员会" and o["市政协常委会"].generic
    assert o["市政协党组"].canonical == "湖光市政协党组" and o["市政协党组"].generic
    assert o["人民政协"].generic and o["政协各参加单位"].generic and o["民主党派"].generic
    # 政协委员, 政协工作, 政协事业 name people and work, not the body
    assert not any(e.span.start for e in o.values() if e.text == "政协")


def test_short_body_with_its_term() -> None:
    o = _orgs("湖光市政协召开会议。十届市政协在市委领导下，市政协十届委员会常务委员会认真履职。新一届市政协工作开局良好。")
    assert o["十届市政协"].term == 10 and o["十届市政协"].canonical == "湖光市政协"
    assert o["市政协十届委员会常务委员会"].term == 10
    assert "一届市政协" not in o  # 新一届 is no term number


def test_term_written_inside_or_after_a_short_body() -> None:
    # body + term + 委员会, or a level before the term (市十三届政协): the name carries the term, no session
    text = ("湖光市政协召开会议。市政协十三届委员会认真履职，五年来，市十三届政协常委会团结协作。"
            "李明受区政协十四届常务委员会委托作报告。")
    o = _orgs(text)
    assert o["市政协十三届委员会"].term == 13 and o["市十三届政协常委会"].term == 13
    assert o["区政协十四届常务委员会"].term == 14
    s = {e.text: e for e in ents(text, "session")}
    assert set(s) == {"区政协十四届"}  # written after the body without 委员会: a term, its body before it
    assert (s["区政协十四届"].term, s["区政协十四届"].session_kind) == (14, "term")


def test_session_bodies_jieba_splits_oddly() -> None:
    # 受|区 joined by jieba, a three-character district kept as one common-noun word, 政协 + bare locality
    s = {e.text: e for e in ents("青石区政协召开会议。王静受区政协十四届常务委员会委托作报告。", "session")}
    assert "区政协十四届" in s
    s = {e.text: e for e in ents("大渡口區政協十屆四次會議開幕\n\n會議由區政協主席主持。", "session")}
    assert (s["大渡口區政協十屆四次會議"].term, s["大渡口區政協十屆四次會議"].session) == (10, 4)
    text = "政协湖光市浦东新区第七届委员会召开会议。据悉，政协浦东七届四次会议以来，共提出提案300件。"
    s = {e.text: e for e in ents(text, "session")}
    assert s["政协浦东七届四次会议"].term == 7
    assert _orgs(text)["政协浦东"].canonical == "浦东新区政协"


def test_party_congresses_by_full_name_and_elided_coordination() -> None:
    text = "全面贯彻中国共产党第十五次、十六次全国代表大会的精神，学习党的第二十次全国代表大会报告。"
    s = {e.text: e for e in ents(text, "session")}
    assert set(s) == {"中国共产党第十五次", "十六次全国代表大会", "党的第二十次全国代表大会"}
    assert [s[k].term for k in ("中国共产党第十五次", "十六次全国代表大会")] == [15, 16]
    assert all(e.session_kind == "congress" for e in s.values())
    assert s["十六次全国代表大会"].canonical == "中国共产党第十六次全国代表大会"


def test_national_congress_with_its_term_and_its_standing_committee() -> None:
    text = "第十四届全国人民代表大会第三次会议听取了报告。本文来自全国人民代表大会及其常务委员会的决定。党中央高度重视。"
    o = _orgs(text)
    assert o["第十四届全国人民代表大会"].term == 14
    assert o["常务委员会"].canonical == "全国人民代表大会常务委员会"
    assert o["党中央"].canonical == "中共中央"
    s = [e.text for e in ents(text, "session")]
    assert s == ["第十四届全国人民代表大会第三次会议"]  # one session, not the bare 第三次会议 as well


def test_generic_references_that_name_no_body() -> None:
    text = ("湖光市政协召开会议。委员密切联系界别群众，跨界别组建小组，打造“忠诚政协”“书香政协”和五个政协，"
            "以“政协之能”服务大局，把政协打造成履职舞台，把政协工作做好，邀请各党派团体参加，人民政协成立75周年，"
            "发挥人民政协作为协商民主重要渠道作用，改革中央层面基本完成。")
    o = {(e.span.start, e.text) for e in ents(text, "organization")}
    texts = [t for _, t in sorted(o)]
    assert "界别" not in texts  # 界别群众 names people, 跨界别 is "across sectors"
    assert "中央" not in texts  # 中央层面: central, not the party's centre
    starts = {t: st for st, t in o}
    assert texts.count("政协") == 2  # 政协之能, 把政协打造成; not the quoted or counted ones, not 政协工作
    assert "党派团体" in texts and texts.count("人民政协") == 2
    assert text.index("政协之能") in {st for st, t in o if t == "政协"}
    assert starts["党派团体"] == text.index("党派团体")


def test_dang_zheng_as_an_actor_only() -> None:
    text = ("青石县政协召开会议。党政高度重视，健全“党政点题、政协破题”机制，提案紧扣党政工作中心，"
            "成为党政科学决策的参考，县党政军领导出席，接待省内外政协考察调研。")
    texts = [e.text for e in ents(text, "organization")]
    assert texts.count("党政") == 2  # the subject of a clause; not 党政工作, 党政科学决策, 党政军
    assert "省内外政协" in texts


def test_media_outlets() -> None:
    o = _orgs("据新华社消息和湖光日报报道，“湖光发布”转载，湖光市政协召开会议，湖光电视台作了报道。")
    for name in ("湖光日报", "新华社", "湖光发布", "湖光电视台"):
        assert o[name].media, name
    assert not o["湖光市政协"].media


def test_sessions_of_formal_names_and_bare_sessions() -> None:
    text = ("2024年1月8日在政协湖光市第九届委员会第三次会议上。我受政协湖光市第九届委员会常务委员会的委托，"
            "向大会报告二次会议以来的工作，请予审议。")
    s = {e.text: e for e in ents(text, "session")}
    a = s["政协湖光市第九届委员会第三次会议"]
    assert (a.term, a.session, a.session_kind) == (9, 3, "session")
    assert (s["二次会议"].term, s["二次会议"].session) == (9, 2)
    assert not any(t.startswith("第九届") for t in s)  # the term inside a formal name is no session


def test_local_party_congresses_and_plenums() -> None:
    text = "认真贯彻县第十五次党代会和县委十四届五次全会精神，中共湖光区委七届五次全体会议。"
    s = {e.text: e for e in ents(text, "session")}
    assert s["县第十五次党代会"].session_kind == "congress" and s["县第十五次党代会"].term == 15
    assert (s["县委十四届五次全会"].session_kind, s["县委十四届五次全会"].session) == ("plenum", 5)
    assert s["中共湖光区委七届五次全体会议"].session_kind == "plenum"
