from conftest import flatten

import zhdoc


def outline(doc):  # type: ignore[no-untyped-def]
    return [(s.id, s.level, s.kind, s.marker, s.title) for r in doc.reports for s in flatten(r.sections)]


def test_levels_follow_nesting_not_marker() -> None:
    text = "（一）第一部分\n\n1.要点\n\n正文。\n\n（二）第二部分\n\n正文。"
    doc = zhdoc.parse(text, extract=False)
    assert outline(doc) == [
        ("1", 1, "numbered", "（一）", "第一部分"),
        ("1.1", 2, "numbered", "1.", "要点"),
        ("2", 1, "numbered", "（二）", "第二部分"),
    ]


def test_run_in_headings_need_a_series() -> None:
    text = ("一、总体\n\n政治领航。坚持党的领导，召开会议12次。\n\n理论领航。组织学习，推送内容80余篇。\n\n"
            "二、其他\n\n过去一年。这只是一句普通的话，后面还有正文内容。")
    doc = zhdoc.parse(text, extract=False)
    kinds = [(s.level, s.kind, s.title) for s in flatten(doc.reports[0].sections)]
    assert (2, "run_in", "政治领航") in kinds and (2, "run_in", "理论领航") in kinds
    assert all(t != "过去一年" for _, _, t in kinds)  # a lone lead phrase is not a heading


def test_numbered_heading_running_into_paragraph() -> None:
    text = "（一）大力推进协商。今年召开协商会3次，形成建议20条。"
    doc = zhdoc.parse(text, extract=False)
    s = doc.reports[0].sections[0]
    assert s.title == "大力推进协商"
    assert doc.text[s.heading_span.start:s.heading_span.end] == "（一）大力推进协商。"
    assert s.paragraphs[0].text.startswith("今年召开")


def test_ordinal_words_inside_a_sentence_are_not_headings() -> None:
    text = ("一、工作\n\n一是加强学习。组织学习12次。\n\n二是改进作风。走访企业30家。\n\n"
            "我们要做到三点：一是学习，二是实践，三是总结。")
    secs = flatten(zhdoc.parse(text, extract=False).reports[0].sections)
    assert [s.marker for s in secs] == ["一、", "一是", "二是"]


def test_layout_break_is_joined_and_span_covers_original() -> None:
    text = "一、总体\n\n围绕区委点题“完善国有公司\n\n与乡镇联动发展的机制”深入调研。"
    doc = zhdoc.parse(text, extract=False)
    para = doc.reports[0].sections[0].paragraphs[0]
    assert para.text == "围绕区委点题“完善国有公司与乡镇联动发展的机制”深入调研。"
    assert doc.text[para.span.start:para.span.end].startswith("围绕") and doc.text[para.span.start:para.span.end].endswith("调研。")


def test_numbering_gap_gives_diagnostic_not_exception() -> None:
    doc = zhdoc.parse("一、甲\n\n正文。\n\n三、丙\n\n正文。", extract=False)
    assert any(d.code == "numbering.gap" for d in doc.diagnostics)
    assert len(doc.reports[0].sections) == 2


def test_untitled_text_is_one_report_and_em_dash_items_are_not_headings() -> None:
    doc = zhdoc.parse("——经济总体回升向好。\n\n——就业形势稳定。", extract=False)
    assert len(doc.reports) == 1
    assert doc.reports[0].sections == []


def test_two_reports_titles_and_meta() -> None:
    text = ("张三在县政协十届二次会议上的工作报告(摘登)\n\n一、回顾\n\n正文。\n\n"
            "县政协十届一次会议以来提案工作情况的报告(摘登)\n\n2024年提案工作回顾\n\n共提交提案100件。")
    doc = zhdoc.parse(text, extract=False)
    assert [r.title for r in doc.reports] == [
        "张三在县政协十届二次会议上的工作报告(摘登)", "县政协十届一次会议以来提案工作情况的报告(摘登)"]
    assert doc.reports[0].meta.speaker == "张三"
    assert doc.reports[0].meta.genre == "常委会工作报告"
    assert doc.reports[1].meta.genre == "提案工作情况报告"
    assert doc.reports[1].sections[0].kind == "unnumbered"


def test_repeated_numbering_findings_are_summarised() -> None:
    doc = zhdoc.parse("一、甲\n\n正文。\n\n" * 60, extract=False)
    restarts = [d for d in doc.diagnostics if d.code == "numbering.restart"]
    more = [d for d in doc.diagnostics if d.code == "numbering.restart.more"]
    assert len(restarts) == 20 and len(more) == 1 and "39 more" in more[0].message


def test_meeting_from_the_dateline_first_and_without_leading_words() -> None:
    text = ("关于县政协九届二次会议以来提案工作情况的报告\n——2025年1月10日在县政协九届三次会议上\n各位委员：\n"
            "现将提案工作情况报告如下。")
    assert zhdoc.parse(text, extract=False).reports[0].meta.meeting == "县政协九届三次会议"
    # no dateline: the title's meeting, without 关于 or a date's 日; 委员会 is no meeting
    text = "关于县政协九届二次会议以来提案工作情况的报告\n各位委员：\n现将提案工作情况报告如下。"
    assert zhdoc.parse(text, extract=False).reports[0].meta.meeting == "县政协九届二次会议"
    text = "政协青岚区第九届委员会常务委员会工作报告\n——2024年1月8日在政协青岚区第九届委员会第三次会议上\n各位委员：\n正文。"
    assert zhdoc.parse(text, extract=False).reports[0].meta.meeting == "政协青岚区第九届委员会第三次会议"
    text = "縣政協常務委員會工作報告\n——二〇二五年一月六日在縣政協十屆四次會議上\n各位委員：\n正文。"
    assert zhdoc.parse(text, extract=False).reports[0].meta.meeting == "縣政協十屆四次會議"  # as written


def test_a_lone_lead_in_the_last_paragraph_of_a_cut_text_keeps_its_heading() -> None:
    # the excerpt stops mid-sentence in the first lead's body: the series is cut off, not absent
    head = "一、过去一年工作回顾\n\n一年来，市政协认真履职，成效明显。\n\n强化理论武装。坚持把学习作为首要任务，组织专题学习"
    kinds = [(s.level, s.kind, s.title) for s in flatten(zhdoc.parse(head, extract=False).reports[0].sections)]
    assert (2, "run_in", "强化理论武装") in kinds
    # the same lead where the text ends its sentence, or with a paragraph after it: no heading
    second = head.replace("一、过去一年", "二、过去一年")
    for text in (second + "。", head + "。\n\n此外，还开展了多项活动，取得较好效果"):
        titles = [s.title for s in flatten(zhdoc.parse(text, extract=False).reports[0].sections)]
        assert "强化理论武装" not in titles, text
    # ending its sentence inside 一、 with no 二、 after it, the text is still cut: a series of one
    # numbered point is no report's
    titles = [s.title for s in flatten(zhdoc.parse(head + "。", extract=False).reports[0].sections)]
    assert "强化理论武装" in titles
    # a statement is no lead phrase, cut or not
    text = "（一）开展政治协商\n\n政治协商是人民政协的首要职能。常委会认真落实有关意见，就重大问题深入调"
    assert [s.title for s in flatten(zhdoc.parse(text, extract=False).reports[0].sections)] == ["开展政治协商"]


def test_an_excerpt_that_opens_inside_a_series_keeps_its_later_ordinal_point() -> None:
    # the text opens inside the first point (its 第一 lost to the cut at the start): 第二 is a heading
    body = ("作好宣传。市政协召开座谈会，了解工作的开展情况，协助市委、市政府掌握动态。\n"
            "第二，为推动构建和谐社会积极建言献策。这是市政协去年工作的一个显著特点，委员们深入调研。\n")
    titles = [s.title for s in flatten(zhdoc.parse(body, extract=False).reports[0].sections)]
    assert titles == ["为推动构建和谐社会积极建言献策"]
    # under the report's own title block the same lone point is running text: its series is not cut
    text = "湖光市政协常务委员会工作报告\n各位委员：\n" + body
    assert [s.title for s in flatten(zhdoc.parse(text, extract=False).reports[0].sections)] == []


def test_a_numbered_line_longer_than_a_list_item_is_a_heading_over_its_body() -> None:
    line = "（一）坚持用党的创新理论凝心铸魂，全市各族各界团结奋斗的共同思想政治基础得到进一步巩固夯实"
    assert 40 < len(line) - 3 <= 50
    doc = zhdoc.parse(f"{line}\n\n我们坚持以政治建设为统领，不断巩固拓展学习成果。\n", extract=False)
    assert [s.marker for s in flatten(doc.reports[0].sections)] == ["（一）"]
    # the same line cut off at the end of a text, or ending in ；, is a list item
    for text in (line, f"{line}；\n\n我们坚持以政治建设为统领。\n"):
        assert flatten(zhdoc.parse(text, extract=False).reports[0].sections) == [], text


def test_a_flattened_page_keeps_its_headings() -> None:
    # every line break lost: the date line, 一、, the ordinal leads and （一） run into one paragraph
    text = ("常务委员会工作报告\n（2024年1月8日）一、过去一年工作回顾。市政协夯实了工作基础。一是坚持理论武装，夯实思想基础。"
            "深入学习创新理论，开展专题研讨。二是加强党的建设，夯实组织基础。召开党建工作座谈会。"
            "一年来主要做了以下工作：（一）聚焦中心任务协商议政。围绕市委中心工作开展协商。")
    doc = zhdoc.parse(text, extract=False)
    got = [(s.level, s.marker) for s in flatten(doc.reports[0].sections)]
    assert got == [(1, "一、"), (2, "一是"), (2, "二是"), (2, "（一）")]
    spans = [text[s.heading_span.start:s.heading_span.end] for s in flatten(doc.reports[0].sections)]
    assert spans[0] == "一、过去一年工作回顾。" and spans[3] == "（一）聚焦中心任务协商议政。"
    assert any(d.code == "layout.flattened" for d in doc.diagnostics)
    # a flattener that left a space where each line broke; the heading keeps its comma
    text = ("二〇〇八年工作回顾 一年来，区政协认真履职，各项工作取得了新进展。 一、加强理论学习，不断提高履职能力 "
            "区政协常委会把加强学习摆在了突出的位置，组织委员学习。")
    doc = zhdoc.parse(text, extract=False)
    sections = flatten(doc.reports[0].sections)
    assert [text[s.heading_span.start:s.heading_span.end] for s in sections][-1] == "一、加强理论学习，不断提高履职能力"
    # an inline list after a colon is no flattened page
    text = "会议提出三点要求：一、加强学习；二、改进作风；三、狠抓落实。"
    assert flatten(zhdoc.parse(text, extract=False).reports[0].sections) == []


def test_points_under_a_parent_the_cut_lost_keep_their_report_level() -> None:
    body = ("作好宣传，了解工作的开展情况，协助市委、市政府掌握动态。\n"
            "（二）紧扣大局，献计出力。一年来，县政协常委会以调研议政为履职的主要形式，认真研究、精心选题。\n"
            "（三）联络各界，增进友谊。一年来，县政协常委会创新形式，拓展载体，广交朋友。\n")
    doc = zhdoc.parse(body, extract=False)
    assert [(s.level, s.marker) for s in flatten(doc.reports[0].sections)] == [(2, "（二）"), (2, "（三）")]
    # under the report's own title block they are its top level; other forms keep level 1
    titled = zhdoc.parse("湖光县政协常务委员会工作报告\n各位委员：\n" + body, extract=False)
    assert [s.level for s in flatten(titled.reports[0].sections)] == [1, 1]
    arabic = zhdoc.parse(body.replace("（二）", "2.").replace("（三）", "3."), extract=False)
    assert [s.level for s in flatten(arabic.reports[0].sections)] == [1, 1]


def test_a_numeral_alone_on_its_line_numbers_the_part_below_it() -> None:
    text = ("大众网2月11日讯 省政协十届四次会议今天上午开幕。\n全文如下:\n  一\n\n"
            "  省政协十届三次会议以来，广大政协委员积极履职，共提出提案746件，经审查立案672件。\n  二\n\n"
            "  各承办单位高度重视提案办理工作，所有立案提案均已办复。\n")
    doc = zhdoc.parse(text, extract=False)
    assert [(s.level, s.marker, s.title) for s in flatten(doc.reports[0].sections)] == [(1, "一", ""), (1, "二", "")]
    # a numeral opening a line of text is a word, not a marker
    assert flatten(zhdoc.parse("一年来，我们认真履职。\n十分重视协商。\n", extract=False).reports[0].sections) == []
