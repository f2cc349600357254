"""The carrier page and the title block: material kept out of every tree, publication date and
outlet, title-block fields, news articles, link fragments and report splits."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, flatten

import zhdoc
from zhdoc.export.esbulk import mapping
from zhdoc.export.facts import COLUMNS, iter_fact_rows
from zhdoc.export.records import iter_records
from zhdoc.structure.lines import is_latin_only

ROOT = Path(__file__).resolve().parent.parent
CARRIER_SAMPLES = [p for p in sorted(SAMPLES.glob("*.expected.json")) if "carrier" in json.loads(p.read_text("utf-8"))]


def _tree_spans(doc: zhdoc.Document) -> list[tuple[int, int]]:
    out = []
    for r in doc.reports:
        if r.title_span:
            out.append((r.title_span.start, r.title_span.end))
        for s in flatten(r.sections):
            out.append((s.heading_span.start, s.heading_span.end))
            out.extend((p.span.start, p.span.end) for p in s.paragraphs)
    return out


def test_there_are_carrier_samples() -> None:
    assert len(CARRIER_SAMPLES) >= 3


@pytest.mark.parametrize("path", CARRIER_SAMPLES, ids=lambda p: p.name)
def test_sample_carrier(path: Path) -> None:
    exp = json.loads(path.read_text(encoding="utf-8"))
    text = (SAMPLES / exp["file"]).read_text(encoding="utf-8")
    doc = zhdoc.parse(text)
    assert doc.genre == exp["genre"]
    got = [(m.span.start, m.span.end, m.kind) for m in doc.carrier.material]
    assert got == [(m["start"], m["end"], m["kind"]) for m in exp["carrier"]["material"]]
    assert all(text[m.span.start:m.span.end] == m.text for m in doc.carrier.material)
    assert (doc.carrier.published, doc.carrier.outlet) == (exp["carrier"]["published"], exp["carrier"]["outlet"])
    inside = _tree_spans(doc)
    for m in doc.carrier.material:
        assert not any(m.span.start < e and s < m.span.end for s, e in inside), m
    meta = doc.reports[0].meta
    tb = exp["title_block"]
    span = lambda s: None if s is None else [s.start, s.end]  # noqa: E731
    assert span(meta.headline_span) == tb["headline"] and span(meta.dateline_span) == tb["dateline"]
    assert span(meta.speaker_span) == tb["speaker"] and span(meta.salutation_span) == tb["salutation"]
    assert (meta.speaker_title, meta.year, meta.year_source) == (tb["speaker_title"], tb["year"], tb["year_source"])


@pytest.mark.parametrize(("stamp", "published"), [
    ("2024-01-12 09:15:03", "2024-01-12T09:15:03"),
    ("发布时间：2022/1/7", "2022-01-07"),
    ("05.01.2021 09:30", "2021-01-05T09:30"),
    ("2007年03月03日 17:21 来源：某某网", "2007-03-03T17:21"),
    ("2024-13-45 10:00", None),  # no such date: not guessed
])
def test_publication_stamps(stamp: str, published: str | None) -> None:
    doc = zhdoc.parse(f"某某区政协会议开幕\n{stamp}\n1月8日，某某区政协会议开幕。会议听取了工作报告。\n", extract=False)
    assert doc.carrier.published == published
    assert any(m.kind in ("stamp", "source") for m in doc.carrier.material)


def test_outlet_from_source_line() -> None:
    doc = zhdoc.parse("某某会议开幕\n来源：某某日报  2023-02-01\n1月8日，会议开幕。\n", extract=False)
    assert doc.carrier.outlet == "某某日报"
    s = doc.carrier.outlet_span
    assert s is not None and doc.text[s.start:s.end] == "某某日报"


def test_garbled_dateline_kept_with_diagnostic() -> None:
    text = "政协某某区委员会常务委员会工作报告\n2018115\n各位委员：\n我代表常务委员会向大会报告工作。\n"
    doc = zhdoc.parse(text, extract=False)
    meta = doc.reports[0].meta
    assert meta.dateline == "2018115" and meta.date is None
    assert any(d.code == "meta.dateline_garbled" for d in doc.diagnostics)
    assert meta.salutation_span is not None and text[meta.salutation_span.start:meta.salutation_span.end] == "各位委员："


def test_year_precedence_title_then_published() -> None:
    doc = zhdoc.parse("2023年某某区政协工作要点\n一、总体要求\n全年召开会议3次。\n", extract=False)
    assert (doc.reports[0].meta.year, doc.reports[0].meta.year_source) == (2023, "title")
    doc = zhdoc.parse("某某区政协会议开幕\n发布时间：2021-03-02\n今年，会议开幕。\n", extract=True)
    meta = doc.reports[0].meta
    assert (meta.year, meta.year_source) == (2021, "published")
    # without a dateline 今年 takes the page's date (the 2026-12 guideline); the stamp is a date too
    dates = {e.text: e.value for e in doc.reports[0].entities if e.type == "date"}
    assert dates == {"今年": "2021", "2021-03-02": "2021-03-02"}


def test_link_fragment_rejoined_no_split() -> None:
    text = ("政府工作报告\n各位代表：\n一、过去一年的工作\n去年工作取得进展。国务院作出《\n关于加强某项工作的决定\n》。"
            "各地认真落实。\n二、今年的任务\n今年继续努力。\n")
    doc = zhdoc.parse(text, extract=False)
    assert len(doc.reports) == 1
    assert [s.marker for s in flatten(doc.reports[0].sections)] == ["一、", "二、"]
    assert any("《\n关于加强某项工作的决定\n》" in doc.text[p.span.start:p.span.end + 20] or "《关于" in p.text
               for s in flatten(doc.reports[0].sections) for p in s.paragraphs)


def test_colon_lead_over_dash_items_is_no_report() -> None:
    text = ("某某工作报告\n各位委员：\n一、总体情况\n今年工作有进展。\n\n发展的目标是：\n\n"
            "——在优化结构的基础上，生产总值力争翻两番。\n\n——社会更加和谐。\n")
    assert len(zhdoc.parse(text, extract=False).reports) == 1


def test_news_keeps_only_numbered_headings() -> None:
    text = ("某某区政协会议隆重开幕\n本报讯（记者 某某）1月8日，会议开幕。\n会议现场\n"
            "一批优秀提案获表彰\n会上表彰了优秀提案。\n一、坚持政治引领\n全年学习16次。\n")
    doc = zhdoc.parse(text, extract=False)
    assert doc.genre == "news" and doc.reports[0].title == "某某区政协会议隆重开幕"
    assert [s.kind for s in flatten(doc.reports[0].sections)] == ["numbered"]
    assert {m.kind for m in doc.carrier.material} == {"byline", "caption"}


def test_plain_report_has_no_carrier_material() -> None:
    doc = zhdoc.parse((SAMPLES / "01_changweihui.txt").read_text(encoding="utf-8"), extract=False)
    assert doc.carrier.material == [] and doc.genre == "report"


def test_exports_carry_publication_facets() -> None:
    doc = zhdoc.parse((SAMPLES / "08_portal.txt").read_text(encoding="utf-8"))
    rec = next(iter_records(doc))
    assert (rec.meta.published, rec.meta.outlet, rec.meta.doc_genre) == ("2024-01-12T09:15:03", "青岚日报", "report")
    props = mapping()["mappings"]["properties"]["meta"]["properties"]
    assert props["published"]["type"] == "date" and props["outlet"]["type"] == "keyword"
    assert {"published", "outlet"} <= set(COLUMNS)
    row = next(iter_fact_rows(doc))
    assert row["outlet"] == "青岚日报"


def test_dev_pages_keep_material_out_of_trees() -> None:
    """On the real dev pages (read from the pages folder), no annotated page material lies in a
    report's title, headings or section paragraphs."""
    sys.path.insert(0, str(ROOT / "bench"))
    from pages import load_pages

    pages, _ = load_pages()
    dev = [p for p in pages if p["split"] == "dev"]
    if not dev:
        pytest.skip("the real pages are not gathered (see ../shared/corpus/cppcc_pages/README.md)")
    for page in dev:
        inside = _tree_spans(zhdoc.parse(page["text"], extract=False))
        for m in page["page_material"]:
            assert not any(m["start"] < e and s < m["end"] for s, e in inside), (page["id"], m)


def test_news_keeps_the_report_parts_it_reproduces() -> None:
    text = ("某某县政协会议隆重开幕\n本报讯（记者 某某）4月21日，会议开幕，听取提案工作情况报告。\n"
            "2025年提案工作安排\n2025年，提案工作要围绕中心、服务大局，重点抓好三方面的工作。\n"
            "【强基固本，力争在提高提案质量上再上新台阶】\n【注重服务，努力在提高办理实效上实现新突破】\n"
            "一批优秀提案获表彰\n会上表彰了优秀提案。\n")
    doc = zhdoc.parse(text, extract=False)
    assert doc.genre == "news"
    got = [(s.level, s.title) for s in flatten(doc.reports[0].sections)]
    assert got == [(1, "2025年提案工作安排"), (2, "【强基固本，力争在提高提案质量上再上新台阶】"),
                   (2, "【注重服务，努力在提高办理实效上实现新突破】")]


def _material(text: str) -> dict[str, str]:
    doc = zhdoc.parse(text, extract=False)
    return {text[m.span.start:m.span.end]: m.rule for m in doc.carrier.material}


def _headings(text: str) -> list[str]:
    doc = zhdoc.parse(text, extract=False)
    return [s.title for r in doc.reports for s in flatten(r.sections)]


def test_site_outline_under_a_label_is_material_and_the_report_keeps_its_headings() -> None:
    text = ("目录/提纲:……\n一、过去一年的工作\n（一）加强思想引领\n（二）聚焦发展建言\n二、今年的任务\n……\n"
            "某某区政协常务委员会工作报告\n各位委员：\n现在，我代表常务委员会报告工作，请予审议。\n"
            "一、过去一年的工作\n一年来，区政协常委会围绕中心履职尽责。\n（一）加强思想引领\n坚持学习制度，开展专题学习。\n")
    found = _material(text)
    assert found["（一）加强思想引领"] == "outline_after_label" and found["……"] == "outline_after_label"
    # the report's own headings stay, once each, at their place after the title
    assert _headings(text) == ["过去一年的工作", "加强思想引领"]


def test_download_notice_and_keyword_tags_are_material() -> None:
    text = ("温馨提示：\n1. 本文档由用户上传，版权归属用户，本站负责整理发布。\n2. 下载前请仔细阅读文档内容。\n"
            "网站客服：12345678\n2022\n某某县政协\n常务委员会\n工作报告\n"
            "某某县政协常务委员会工作报告\n各位委员：\n一、主要工作\n一年来，我们认真履职。\n")
    found = _material(text)
    assert found["1. 本文档由用户上传，版权归属用户，本站负责整理发布。"].startswith("other:line")
    assert found["网站客服：12345678"].startswith("other:line")
    assert found["常务委员会"] == "keywords_over_title" and found["2022"] == "keywords_over_title"
    assert _headings(text) == ["主要工作"]


def test_a_cover_title_over_lines_is_not_keyword_tags() -> None:
    # a title broken over lines with no one-line copy under it stays the report's title
    text = "政协某某市\n第九届委员会\n常务委员会\n工作报告\n各位委员：\n一、主要工作\n一年来，我们认真履职。\n"
    assert "keywords_over_title" not in _material(text).values()


def test_column_label_under_a_breadcrumb_and_numbered_collection_wrapper() -> None:
    text = ("当前位置：首页 > 政协要闻 > 履职动态\n履职动态\n某某市政协常委会工作报告多篇\n【第1篇】某某市政协常委会工作报告\n"
            "各位委员：\n一、主要工作\n一年来，我们认真履职。\n")
    found = _material(text)
    assert found["履职动态"] == "column_label_after_breadcrumb"
    assert found["某某市政协常委会工作报告多篇"].startswith("wrapper")
    assert found["【第1篇】某某市政协常委会工作报告"].startswith("wrapper")


def test_carrier_material_yields_entities_of_every_type() -> None:
    # the outlet of a 来源 line and the session of a headline the page layer set aside are
    # entities too, with offsets into the page; they go to the report they stand before
    text = ("发布时间：2024-01-12 09:15 来源：湖光日报\n湖光市政协十届三次会议开幕\n"
            "湖光市政协常务委员会工作报告\n各位委员：\n一、主要工作\n一年来，市政协常委会认真履职，召开常委会议四次。\n")
    doc = zhdoc.parse(text)
    material = [(m.span.start, m.span.end) for m in doc.carrier.material]
    in_material = [e for r in doc.reports for e in r.entities
                   if any(a <= e.span.start and e.span.end <= b for a, b in material)]
    got = {(e.type, text[e.span.start:e.span.end]) for e in in_material}
    assert ("organization", "湖光日报") in got and ("date", "2024-01-12 09:15") in got, got
    outlet = next(e for e in in_material if e.type == "organization")
    assert outlet.media is True


def test_speaker_and_numeric_date_lines_without_a_title_are_the_title_block() -> None:
    text = "王湖光\n2001.03.03\n各位委员：\n一、过去一年的工作\n一年来，我们认真履职，成效明显。\n"
    doc = zhdoc.parse(text, extract=False)
    meta = doc.reports[0].meta
    assert (meta.speaker, meta.date, meta.year_source) == ("王湖光", "2001-03-03", "dateline")
    assert _headings(text) == ["过去一年的工作"]


def test_a_title_over_a_salutation_on_a_page_with_material_is_no_news_headline() -> None:
    text = ("青石县政协常务委员会工作报告\n各位委员：\n我代表常务委员会报告工作，请予审议。\n"
            "一、过去一年的工作\n一年来，我们认真履职。\n微信扫一扫在手机阅读、分享本文\n")
    doc = zhdoc.parse(text, extract=False)
    assert doc.genre == "report" and doc.reports[0].title == "青石县政协常务委员会工作报告"
    assert doc.reports[0].meta.salutation_span is not None
    assert _material(text)["微信扫一扫在手机阅读、分享本文"].startswith("widget")


def test_bracketed_clock_times_collection_counts_and_report_delivery_sentences() -> None:
    # a live text's clock time after a paragraph is a stamp; "(共9篇)" anywhere in a line marks a
    # collection's wrapper; a story's "X作…工作报告。" opening a paragraph is no run-in lead
    text = ("某某范文汇编(共9篇)2022\n青石县政协副主席王湖光作常务委员会工作报告。一年来，县政协认真履职，成效明显。\n"
            "县政协副主席李青报告提案工作情况。一年来，共收到提案120件，全部办复。[9:01]\n")
    found = _material(text)
    assert found["某某范文汇编(共9篇)2022"].startswith("wrapper")
    assert found["[9:01]"].startswith("stamp:suffix")
    assert _headings(text) == []


def test_essay_site_menu_image_placeholders_read_counter_and_byline_with_place() -> None:
    # a bulleted site menu and bulleted location line; markdown image placeholders of a converted
    # page; a read counter with a "scan to phone" widget; a byline with its place before the date
    text = ("• 首页\n• 散文\n• 范文\n• 当前位置: 某某阅读网 > 范文 > 正文\n"
            "湖光市政协会议开幕\n2024-01-12 09:15\n某某网阅读 (1234) 扫描到手机\n"
            "某某网·客户端湖光1月12日讯(记者王青)湖光市政协十届三次会议今天开幕，会议听取了工作报告。\n"
            "![]() |\n")
    found = _material(text)
    assert [found[f"• {w}"] for w in ("首页", "散文", "范文")] == ["bullet_menu"] * 3
    assert found["• 当前位置: 某某阅读网 > 范文 > 正文"].startswith("breadcrumb")
    assert found["某某网阅读 (1234) 扫描到手机"].startswith("widget")
    assert found["某某网·客户端湖光1月12日讯(记者王青)"].startswith("byline:prefix")
    assert found["![]() |"].startswith("other")
    assert _headings(text) == []


def test_two_bullets_are_no_menu() -> None:
    # a report's own bulleted points are longer, and two short ones are no site menu
    assert "• 政治引领" not in _material("• 政治引领\n• 理论领航\n一年来，我们坚持学习，成效明显。\n")


def test_essay_site_title_printed_again_over_the_salutation() -> None:
    # the site's page title, its stamp and teaser, then the same title as the report's own over
    # its salutation: headline and title, not a repeated headline taken as material
    text = ("青石县政协常委会工作报告范文\n时间:2024-03-26 08:11:04\n下面是小编为大家整理的范文，供大家参考。\n"
            "青石县政协常委会工作报告范文\n各位委员：\n我受常务委员会委托，向大会报告工作，请予审议。\n"
            "一、过去一年工作回顾\n一年来，县政协认真履职，成效明显。\n")
    doc = zhdoc.parse(text, extract=False)
    r = doc.reports[0]
    second = text.index("青石县政协常委会工作报告范文", 5)
    assert r.title_span is not None and r.title_span.start == second
    assert r.meta.headline_span is not None and r.meta.headline_span.start == 0
    assert r.meta.salutation_span is not None
    assert _headings(text) == ["过去一年工作回顾"]


def test_cover_title_over_lines_and_a_title_broken_inside_a_word() -> None:
    # the committee's full name over "…委员会常务委员会工作报告": one title, not a heading
    text = ("中国人民政治协商会议\n\n湖光市第九届委员会常务委员会工作报告\n\n王青\n\n（2024年1月8日）\n\n各位委员：\n\n"
            "一、过去一年工作回顾\n\n一年来，市政协认真履职，成效明显。\n")
    doc = zhdoc.parse(text, extract=False)
    assert doc.reports[0].title_span.start == 0 and len(doc.reports) == 1
    assert _headings(text) == ["过去一年工作回顾"]
    # a fixed-width page broke the title inside 工作 ("…委员会工" ⏎ "作报告")
    text = ("第一篇:湖光市政协常务委员会工作报告\n湖光市第九届委员会常务委员会工\n作报告\n各位委员：\n"
            "一、过去一年工作回顾\n一年来，市政协认真履职，成效明显。\n")
    doc = zhdoc.parse(text, extract=False)
    r = doc.reports[0]
    assert text[r.title_span.start:r.title_span.end] == "湖光市第九届委员会常务委员会工\n作报告"
    assert r.meta.salutation_span is not None


def test_a_speaker_tag_fused_with_the_salutation_opens_the_report_after_a_news_lead() -> None:
    # a live-text portal: headline, the meeting's lead paragraph, then "[Name]各位委员：" and the speech
    text = ("王青：过去一年市政协实现良好开局\n2024年1月8日上午9时，湖光市政协十届三次会议开幕，听取王青作常务委员会工作报告。\n"
            "[王青]各位委员：我代表常务委员会，向大会报告工作，请予审议。\n一、过去一年工作回顾\n一年来，市政协认真履职，成效明显。\n")
    doc = zhdoc.parse(text, extract=False)
    meta = doc.reports[-1].meta
    assert meta.speaker == "王青" and text[meta.speaker_span.start:meta.speaker_span.end] == "[王青]"
    assert text[meta.salutation_span.start:meta.salutation_span.end] == "各位委员："
    assert _headings(text) == ["过去一年工作回顾"]
    # a tag that names no person is no speaker, and a bare tag line is no heading
    assert _headings("[图片]湖光市政协会议现场。\n\n[王青]\n\n政协全体会议是履行职能的最高形式。\n") == []


def test_title_blocks_run_together_are_read_part_by_part() -> None:
    # a wire copy: the byline, the title and its dateline on one line
    text = ("新华社湖光3月12日电 湖光市政协常务委员会工作报告——在政协湖光市第九届委员会第二次会议上\n"
            "(2009年3月3日)\n王青\n各位委员：\n我代表常务委员会，向大会报告工作，请予审议。\n一、过去一年工作回顾\n一年来，市政协认真履职。\n")
    doc = zhdoc.parse(text, extract=False)
    r = doc.reports[0]
    assert r.title == "湖光市政协常务委员会工作报告"
    assert text[r.meta.dateline_span.start:r.meta.dateline_span.end].startswith("——在政协湖光市")
    assert (r.meta.speaker, _headings(text)) == ("王青", ["过去一年工作回顾"])
    # a letter-spaced name, the bracketed date and the salutation run into the speech
    text = "王青在湖光市政协九届一次会议闭幕时的讲话\n王 湖 光(2008年1月13日)各位委员、同志们: 本次会议圆满完成了各项议程。\n"
    r = zhdoc.parse(text, extract=False).reports[0]
    assert (r.meta.speaker, r.meta.date) == ("王湖光", "2008-01-13")
    assert text[r.meta.salutation_span.start:r.meta.salutation_span.end] == "各位委员、同志们:"


def test_a_title_block_printed_twice_is_one_report() -> None:
    # a document site's summary line (title and dateline on one line) over the report's own title block
    text = ("青石县政协常务委员会关于提案工作 情况的报告 ——在政协青石县第九届委员会第一次会议上\n"
            "青石县政协常务委员会关于提案工作情况的报告\n——在政协青石县第九届委员会第一次会议上\n各位委员：\n"
            "一、五年来的主要工作\n五年来，县政协认真做好提案工作，成效明显。\n")
    doc = zhdoc.parse(text, extract=False)
    assert len(doc.reports) == 1 and doc.reports[0].meta.headline_span.start == 0
    assert _headings(text) == ["五年来的主要工作"]


def test_a_news_deck_is_no_heading_and_traditional_lines_fold() -> None:
    # the deck under a news headline restates the event; traditional material lines fold to simplified
    text = ("湖光市政協九屆一次會議開幕 提今後五年工作意見\n\n湖光市政協九屆一次會議在湖光開幕\n"
            "湖光市政協九屆一次會議今日開幕。會議上，市政協主席王青向大會作工作報告。\n閃電新聞記者 李青 報道\n")
    assert _headings(text) == []
    assert _material(text)["閃電新聞記者 李青 報道"].startswith("byline")
    # statements about a year that open two paragraphs alike are no run-in leads
    text = ("一、2008年工作回顾\n2008年，是极不平凡的一年。全市上下共同努力，经济社会发展取得新成就。\n"
            "2008年，也是本届政协的开局之年。市政协认真履职，各项工作取得新进展。\n")
    assert _headings(text) == ["2008年工作回顾"]


def test_a_title_over_two_lines_and_a_site_slogan_over_the_title() -> None:
    # the committee's name over the titled line: one title of two lines
    text = "湖光市政协第九届委员会\n常务委员会工作报告\n——在政协湖光市第九届委员会第三次会议上\n各位委员：\n一、过去一年工作回顾\n一年来，成效明显。\n"
    r = zhdoc.parse(text, extract=False).reports[0]
    assert r.title_span.start == 0 and text[r.title_span.start:r.title_span.end].endswith("工作报告")
    # a site's slogan with the page's date and widgets between it and the title: no part of the title
    text = ("以传播专业知识为己任\n2024年11月25日\n星期一\n设为首页 | 加入收藏\n湖光市政协常务委员会工作报告\n"
            "——在政协湖光市第九届委员会第三次会议上\n各位委员：\n一、过去一年工作回顾\n一年来，成效明显。\n")
    doc = zhdoc.parse(text, extract=False)
    assert [r.title for r in doc.reports] == ["湖光市政协常务委员会工作报告"]
    assert _headings(text) == ["过去一年工作回顾"]


def test_slider_copies_speaker_labels_and_a_cut_first_point() -> None:
    # a short line printed again and again (a slider's caption) is material after its first copy
    text = ("湖光市政协工作报告\n去年办理提案九百件\n2024-01-12 09:15\n去年办理提案九百件\n去年办理提案九百件\n"
            "去年办理提案九百件\n湖光市政协十届三次会议昨日开幕，市政协主席王青作工作报告。\n")
    found = [m.rule for m in zhdoc.parse(text, extract=False).carrier.material]
    assert found.count("repeated_line") == 3 and _headings(text) == []
    # a transcript's "Name:" label right before a numbered point: the point keeps its heading
    text = "王青:(二)紧紧围绕中心工作建言献策。聚焦规划实施，认真落实协商计划，组织开展视察调研。\n"
    assert _headings(text) == ["紧紧围绕中心工作建言献策"]
    # before other text the label stays with the quoted speech
    assert [p.text for r in zhdoc.parse("王青:今年我们要紧紧围绕中心工作，凝心聚力。\n", extract=False).reports
            for p in r.preamble] == ["王青:今年我们要紧紧围绕中心工作，凝心聚力。"]
    # the text stops inside the first ordinal point: the lead of a series cut off
    text = "一、2024年主要工作\n一年来，市政协重点在四个方面抓落实。\n一是开展专题学习研讨活动，推动"
    assert _headings(text) == ["2024年主要工作", "开展专题学习研讨活动，推动"]


def test_document_site_layouts_spaced_breaks_and_chunk_numbers() -> None:
    # single blanks for line wraps, three blanks for paragraph breaks, on one long line
    body = "一年来，市政协认真履职，围绕中心、服务大局，各项工作取得新成效，为全市发展作出了积极贡献。" * 3
    text = ("湖光市政协常务委员会工作报告   各位委员:   现在，我受常务委员会的委托，向大会报告工作，请予审议。   "
            f"一、过去五年工作回顾   {body}   （一）思想政治建设显著加强。常委会始终把思想政治建设摆在首位，成效明显。")
    assert _headings(text) == ["过去五年工作回顾", "思想政治建设显著加强"]
    # a chunk number opening a line inside the sentence the long line before left open
    first = ("县政协委员和政协各参加单位以高度的政治责任感，围绕县委、县政府的中心工作和群众关心的热点难点问题，"
             "积极运用提案建言献策，一年来共收到提案一百余件，经提案委员会审查、主席会议研究，确定立案六十七件，重复")
    text = f"二〇一四年提案工作情况\n{first}\n2、合并提案二十件。提案涉及领域十分广泛，内容丰富。\n"
    assert len(first) >= 100 and _headings(text) == ["二〇一四年提案工作情况"]


def test_login_dialogs_menus_and_document_site_lines_are_material() -> None:
    text = ("确定要退出登录账号吗?\n取 消\n注 册\n我已阅读并同意 《用户协议》\n首页 | 要闻 | 图片 | 视频\n"
            "欢迎来到某某文库\nID:7157896\n页数:7页\n“湖光政协”微信公号\n时政 - 某某网\n"
            "湖光市政协十届三次会议开幕\n1月10日上午，湖光市政协十届三次会议隆重开幕。\n- 下一篇: 市政协2024年工作要点\n")
    found = _material(text)
    for line in ("确定要退出登录账号吗?", "取 消", "注 册", "我已阅读并同意 《用户协议》", "首页 | 要闻 | 图片 | 视频",
                 "欢迎来到某某文库", "ID:7157896", "页数:7页", "“湖光政协”微信公号", "时政 - 某某网",
                 "- 下一篇: 市政协2024年工作要点"):
        assert line in found, line
    assert zhdoc.parse(text, extract=False).reports[0].title == "湖光市政协十届三次会议开幕"
    assert _headings(text) == []


def test_a_cover_title_over_four_lines_and_a_dateline_that_lost_its_bracket() -> None:
    text = ("中国人民政治协商会议\n湖光市第十四届委员会第一次会议\n提案审查委员会关于市政协十四届一次会议\n提案审查情况的报告\n"
            "(2022年1月12日提案审查委员会全体会议通过)\n截至1月12日，大会秘书处共收到提案567件。\n")
    doc = zhdoc.parse(text, extract=False)
    assert doc.reports[0].title_span.start == 0 and _headings(text) == []
    text = ("中国人民政治协商会议\n\n第八届湖光市委员会常务委员会工作报告\n\n201213日在市政协九届一次会议上)\n\n王青\n\n各位委员:\n\n"
            "过去五年工作回顾\n\n过去五年，市政协认真履职，成效明显。\n")
    r = zhdoc.parse(text, extract=False).reports[0]
    assert r.meta.speaker == "王青" and _headings(text) == ["过去五年工作回顾"]
    assert text[r.meta.dateline_span.start:r.meta.dateline_span.end] == "201213日在市政协九届一次会议上)"
    assert any(d.code == "meta.dateline_garbled" for d in zhdoc.parse(text, extract=False).diagnostics)


def test_news_site_labels_tags_and_credits_are_material() -> None:
    text = ("今天是:\n首页 新闻中心 政协动态 服务\n湖光县政协委员认真学习讨论常委会工作报告\n• 作者 :王青、李湖\n• 来源 :本站原创\n"
            "• 访问次数 :\n• 发布时间 :2019-02-27 03:58\n记者王青、李湖报道:\n"
            "2月25日下午，出席县政协十四届三次会议的委员们分组认真学习讨论常委会工作报告。\n"
            "王湖/制图\n【编辑:李湖】\n所属专题:\n<var id=\"x1\"></var>\n")
    found = _material(text)
    for line in ("今天是:", "首页 新闻中心 政协动态 服务", "• 作者 :王青、李湖", "• 来源 :本站原创", "• 访问次数 :",
                 "• 发布时间 :2019-02-27 03:58", "记者王青、李湖报道:", "王湖/制图", "【编辑:李湖】",
                 "所属专题:", "<var id=\"x1\"></var>"):
        assert line in found, line
    assert _headings(text) == []
    # a segment tag opening one of the first paragraphs
    text = "委员认真学习讨论工作报告\n【导语】2月25日下午，委员们分组认真学习讨论常委会工作报告。\n"
    assert _material(text)["【导语】"].startswith("other:prefix")


def test_a_bilingual_page_with_a_watermark_glued_to_its_lines() -> None:
    mark = "文章源自某某英语-https://www.example.com/123.html"
    text = (f"双语:湖光市政协常务委员会工作报告\n来源:湖光日报\n摘要Full Text: Report on the Work of the Standing Committee\n"
            f"湖光市政协常务委员会工作报告{mark}\nReport on the Work of the Standing Committee{mark}\n{mark}\n"
            f"——在政协湖光市第十届委员会第三次会议上{mark}\n2024年1月8日{mark}\n"
            f"Delivered at the Third Session of the 10th Huguang Municipal Committee{mark}\n{mark}\n"
            f"王青{mark}\nWang Qing{mark}\n{mark}\n各位委员:{mark}\nFellow Members,\n"
            "我代表常务委员会，向大会报告工作，请予审议。\n"
            "On behalf of the Standing Committee, I present this report for your deliberation.\n"
            "一、过去一年工作回顾\nI. Review of Our Work over the Past Year\n"
            "一年来，市政协常委会认真履职，各项工作取得新进展。\n")
    doc = zhdoc.parse(text, extract=False)
    r = doc.reports[0]
    span = lambda s: text[s.start:s.end]  # noqa: E731
    assert span(r.title_span) == "湖光市政协常务委员会工作报告"
    assert span(r.meta.headline_span) == "双语:湖光市政协常务委员会工作报告"
    assert r.meta.date == "2024-01-08" and r.meta.speaker == "王青"
    assert r.meta.subtitle == "Report on the Work of the Standing Committee"  # the title's translation
    assert span(r.meta.salutation_span) == "各位委员:" + mark + "\nFellow Members,"
    assert [(s.level, s.title) for s in flatten(r.sections)] == [(1, "过去一年工作回顾")]
    # every glued copy of the watermark is material, none inside a title, heading or paragraph
    assert text.count(mark) == 11
    marks = [m for m in doc.carrier.material if span(m.span) == mark]
    assert len(marks) == 11
    assert not any(m.span.start < e and s < m.span.end for m in marks for s, e in _tree_spans(doc))
    # a translation is two Latin words or more, no Chinese: a note mark ("…第680号[" ⏎ "CPC 1") is none
    assert is_latin_only("Fellow Members,") and is_latin_only("Wang Qing")
    assert not is_latin_only("CPC 1") and not is_latin_only("各位委员 Fellow Members")


def test_a_text_that_opens_with_a_news_lead_is_a_story() -> None:
    body = ("湖光市政协主席王青代表常务委员会向大会报告工作。报告回顾了过去一年的工作，委员们反响热烈。\n"
            "■■■ 凝聚共识汇聚力量\n李湖委员:报告站位高，重点清晰，是一个求真务实的好报告。\n"
            "一、过去一年工作回顾\n一年来，市政协常委会认真履职，各项工作取得新进展。\n")
    for lead in ("1月8日上午，政协湖光市第十届委员会第三次会议在市会议中心开幕。\n",
                 "湖光网1月8日电(记者 李湖)政协湖光市第十届委员会第三次会议今天上午开幕。\n"):
        doc = zhdoc.parse(lead + body, extract=False)
        assert doc.genre == "news"
        assert [s.title for r in doc.reports for s in flatten(r.sections)] == ["过去一年工作回顾"]
    # the same text without the dated lead reads as a report's text, its short line a heading
    doc = zhdoc.parse(body, extract=False)
    assert doc.genre == "report" and "■■■ 凝聚共识汇聚力量" in [s.title for s in flatten(doc.reports[0].sections)]


def test_a_speaker_run_on_after_the_dateline_and_a_printed_book_page_frame() -> None:
    text = ("人民网\n人民网>>湖光频道\n湖光市政协常务委员会工作报告\n"
            "——在市政协十届一次会议上(2023年1月13日)阿依古丽·买买提\n各位委员：\n我代表常务委员会向大会报告工作。\n")
    r = zhdoc.parse(text, extract=False).reports[0]
    assert r.meta.speaker == "阿依古丽·买买提" and r.meta.date == "2023-01-13"
    assert r.title == "湖光市政协常务委员会工作报告" and "人民网>>湖光频道" in _material(text)
    # a yearbook page as a viewer shows it: the viewer's page title, the page number, the running head
    text = ("Page 56 - 湖光县年鉴(2021)\nP. 56\n湖光县年鉴 2021\n(二)紧扣大局，献计出力，调研建言富有成效。一年来，县政协常委会"
            "以调研议政为履职的主要形式，认真研究、精心选题。\n")
    assert {"Page 56 - 湖光县年鉴(2021)", "P. 56", "湖光县年鉴 2021"} <= set(_material(text))
    assert _headings(text) == ["紧扣大局，献计出力，调研建言富有成效"]


def test_a_bilingual_page_laid_out_as_a_table_with_a_contents_list() -> None:
    text = ("English 中考网 论坛 原文阅读 演讲视频\n[2024年4月5日] 来源:湖光网 编辑:某某\n"
            "Full text of the Report on the Work of the Standing Committee\n"
            "湖光市政协常务委员会工作报告 | REPORT ON THE WORK OF THE STANDING COMMITTEE |\n"
            "—— 在市政协十届一次会议上 (2024 年 1 月 8 日) | Delivered at the First Session on January 8, 2024 |\n"
            "王青 | Wang Qing |\n目录 | Contents |\n一、过去一年工作回顾 | I. Review of Our Work |\n"
            "二、今年工作建议 | II. Suggestions for This Year |\n各位委员: | Fellow Members, |\n"
            "我代表常务委员会，向大会报告工作，请予审议。 | On behalf of the Standing Committee, I present this report. |\n"
            "一、过去一年工作回顾 | I. Review of Our Work |\n一年来，市政协常委会认真履职，各项工作取得新进展。 | Over the past year, "
            "the Standing Committee performed its duties. |\n")
    doc = zhdoc.parse(text, extract=False)
    r = doc.reports[0]
    assert r.title == "湖光市政协常务委员会工作报告" and r.meta.speaker == "王青" and r.meta.date == "2024-01-08"
    assert text[r.meta.salutation_span.start:r.meta.salutation_span.end].startswith("各位委员:")
    assert [(s.level, s.title) for s in flatten(r.sections)] == [(1, "过去一年工作回顾")]  # the contents list is nav
    found = _material(text)
    for line in ("English 中考网 论坛 原文阅读 演讲视频", "[2024年4月5日] 来源:湖光网 编辑:某某",
                 "Full text of the Report on the Work of the Standing Committee", "目录", "二、今年工作建议"):
        assert line in found, line


def test_a_database_abstract_whose_first_title_runs_into_its_body() -> None:
    text = ("<正>一、提案工作总体情况省政协十二届二次会议以来，广大政协委员积极通过提案履行职能，聚焦全省经济社会发展"
            "重点问题和人民群众普遍关心的民生问题，共提出提案730件，经审查立案711件，占提案总数的97.4%。")
    doc = zhdoc.parse(text, extract=False)
    assert [s.title for s in flatten(doc.reports[0].sections)] == ["提案工作总体情况"]
    assert "<正>" in _material(text)
    # a long first point that only contains a part's noun is no title run into a body
    text = ("一、加强提案工作情况通报制度建设，建立健全提案办理协商、督办、反馈和评价机制，推动提案办理质量持续提升，"
            "确保每一件提案都有着落、有回音。\n二、其他。\n")
    assert "加强提案工作情况" not in [s.title for s in flatten(zhdoc.parse(text, extract=False).reports[0].sections)]
    assert "[简体] [English]" in _material("[简体] [English]\n湖光市政协常务委员会工作报告\n各位委员:\n正文。\n")
