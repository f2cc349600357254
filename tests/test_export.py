"""Search records, Elasticsearch bulk output and facts, on Documents built by hand (and one parsed)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import subprocess
import sys
from typing import Any

import pytest
from archive_fixtures import make_report

import zhdoc
from zhdoc.export.esbulk import bulk_lines, mapping, write_bulk
from zhdoc.export.facts import COLUMNS, have_parquet, iter_fact_rows, write_facts_csv, write_parquet
from zhdoc.export.records import SearchRecord, iter_records, record_json_schema, segment
from zhdoc.schema import (
    CountEntity,
    DateEntity,
    Document,
    Generator,
    OrganizationEntity,
    Paragraph,
    Report,
    ReportMeta,
    Section,
    Source,
    Span,
    StudioEntity,
)

pytestmark = pytest.mark.timeout(120)

# An astral character (CJK Extension B) early on makes UTF-16 offsets differ from code points.
TEXT = (
    "政协示范区常务委员会工作报告\n"
    "\U00020000各位委员：\n"
    "现在，我代表常务委员会向大会报告工作。\n"
    "一、过去一年的主要工作\n"
    "全年召开常委会会议4次，区委统战部参加协商。\n"
    "（一）强化委员服务\n"
    "依托湖塘镇党群服务中心新建湖塘镇“同心”委员工作室，2024年开展活动32场。\n"
    "二、今年的主要任务\n"
    "继续推进提案办理。\n"
)


def _span(needle: str, start: int = 0) -> Span:
    i = TEXT.index(needle, start)
    return Span(start=i, end=i + len(needle))


def _para(needle: str) -> Paragraph:
    return Paragraph(text=needle, span=_span(needle))


def build_document() -> Document:
    child = Section(
        id="1.1",
        level=2,
        marker="（一）",
        ordinal=1,
        marker_style="cn_paren",
        kind="numbered",
        title="强化委员服务",
        heading_span=_span("（一）强化委员服务"),
        span=Span(start=TEXT.index("（一）"), end=TEXT.index("二、")),
        paragraphs=[_para("依托湖塘镇党群服务中心新建湖塘镇“同心”委员工作室，2024年开展活动32场。")],
    )
    first = Section(
        id="1",
        level=1,
        marker="一、",
        ordinal=1,
        marker_style="cn_dun",
        kind="numbered",
        title="过去一年的主要工作",
        heading_span=_span("一、过去一年的主要工作"),
        span=Span(start=TEXT.index("一、"), end=TEXT.index("二、")),
        paragraphs=[_para("全年召开常委会会议4次，区委统战部参加协商。")],
        children=[child],
    )
    second = Section(
        id="2",
        level=1,
        marker="二、",
        ordinal=2,
        marker_style="cn_dun",
        kind="numbered",
        title="今年的主要任务",
        heading_span=_span("二、今年的主要任务"),
        span=Span(start=TEXT.index("二、"), end=len(TEXT)),
        paragraphs=[_para("继续推进提案办理。")],
    )
    entities: list[Any] = [
        CountEntity(text="4次", span=_span("4次"), section="1", value=4, unit="次", object="常委会会议"),
        OrganizationEntity(
            text="区委统战部", span=_span("区委统战部"), section="1", canonical="中共示范区委统战部"
        ),
        StudioEntity(
            text="湖塘镇“同心”委员工作室",
            span=_span("湖塘镇“同心”委员工作室"),
            section="1.1",
            name="同心",
            location="湖塘镇",
            full_name="湖塘镇“同心”委员工作室",
        ),
        DateEntity(text="2024年", span=_span("2024年"), section="1.1", value="2024", granularity="year"),
        CountEntity(text="32场", span=_span("32场"), section="1.1", value=32, unit="场", object="活动"),
    ]
    report = Report(
        title="政协示范区常务委员会工作报告",
        title_span=_span("政协示范区常务委员会工作报告"),
        span=Span(start=0, end=len(TEXT)),
        meta=ReportMeta(date="2025-01-10", year=2025, meeting="政协示范区第十五届委员会"),
        preamble=[_para("现在，我代表常务委员会向大会报告工作。")],
        sections=[first, second],
        entities=entities,
    )
    return Document(
        generator=Generator(version="test"),
        source=Source(name="r.txt", format="text", sha256="ab" * 32, size_bytes=len(TEXT.encode())),
        text=TEXT,
        reports=[report],
    )


# ---------------------------------------------------------------- records


def test_records_one_per_section_with_breadcrumbs_and_levels() -> None:
    records = list(iter_records(build_document()))
    assert [r.section_id for r in records] == [None, "1", "1.1", "2"]
    assert [r.level for r in records] == [0, 1, 2, 1]
    title = "政协示范区常务委员会工作报告"
    assert records[2].breadcrumb == [title, "一、过去一年的主要工作", "（一）强化委员服务"]
    assert records[0].breadcrumb == [title]
    assert records[1].text == "一、过去一年的主要工作\n全年召开常委会会议4次，区委统战部参加协商。"
    assert records[1].meta.year == 2025 and records[1].report_title == title


def test_record_ids_are_stable_and_unique() -> None:
    a = [r.id for r in iter_records(build_document())]
    b = [r.id for r in iter_records(build_document())]
    assert a == b and len(set(a)) == len(a)
    assert a[2] == "ab" * 32 + "-1-1.1-0"


def test_record_offsets_in_code_points_and_utf16() -> None:
    doc = build_document()
    utf16 = doc.text.encode("utf-16-le")
    for record in iter_records(doc):
        original = doc.text[record.start : record.end]
        assert utf16[2 * record.start_utf16 : 2 * record.end_utf16].decode("utf-16-le") == original
        assert record.text.splitlines()[0] in original
    section = next(r for r in iter_records(doc) if r.section_id == "1")
    assert section.start_utf16 == section.start + 1  # one astral character before it


def test_text_seg_is_space_joined_search_mode_words() -> None:
    record = next(r for r in iter_records(build_document()) if r.section_id == "1.1")
    tokens = record.text_seg.split(" ")
    assert "" not in tokens and "，" not in tokens
    assert {"委员", "工作室"} <= set(tokens)
    assert segment("政协委员").split() == ["政协", "委员", "政协委员"]


def test_facets_come_from_the_entities_inside_the_record() -> None:
    records = {r.section_id: r for r in iter_records(build_document())}
    studio = records["1.1"].facets
    assert studio.studios == ["湖塘镇“同心”委员工作室"]
    assert studio.years == [2024]
    assert [(c.value, c.unit, c.object) for c in studio.counts] == [(32.0, "场", "活动")]
    assert studio.organizations == []
    parent = records["1"].facets  # children's entities stay with the children
    assert parent.organizations == ["中共示范区委统战部"]
    assert parent.studios == [] and [c.value for c in parent.counts] == [4.0]


def _long_document(n_sentences: int = 40) -> tuple[Document, list[Any]]:
    body = "".join(f"第{i}项工作召开协商会议{i + 2}次，形成区委统战部建议{i}条。" for i in range(n_sentences))
    text = "一、总体情况\n" + body + "\n"
    start = text.index(body)
    ents: list[Any] = []
    pos = start
    while True:
        j = text.find("区委统战部", pos)
        if j < 0:
            break
        ents.append(
            OrganizationEntity(
                text="区委统战部", span=Span(start=j, end=j + 5), section="1", canonical="区委统战部"
            )
        )
        pos = j + 5
    section = Section(
        id="1",
        level=1,
        marker="一、",
        kind="numbered",
        title="总体情况",
        heading_span=Span(start=0, end=6),
        span=Span(start=0, end=len(text)),
        paragraphs=[Paragraph(text=body, span=Span(start=start, end=start + len(body)))],
    )
    report = Report(span=Span(start=0, end=len(text)), sections=[section], entities=ents)
    doc = Document(generator=Generator(version="t"), text=text, reports=[report])
    return doc, ents


def test_long_sections_are_chunked_at_sentence_ends_never_mid_entity() -> None:
    doc, ents = _long_document()
    records = list(iter_records(doc, chunk_chars=120))
    assert len(records) > 5
    assert all(r.chunk_count == len(records) for r in records)
    assert [r.chunk for r in records] == list(range(len(records)))
    assert len({r.id for r in records}) == len(records)
    for r in records:
        assert len(r.text) <= 120
        assert r.text.endswith(("。", "情况")), r.text[-5:]
        for e in ents:  # an entity is inside one chunk or outside it, never cut
            assert (
                e.span.end <= r.start
                or e.span.start >= r.end
                or (r.start <= e.span.start and e.span.end <= r.end)
            )
    # chunks tile the section in order
    assert (
        "".join(r.text.replace("一、总体情况\n", "") for r in records)
        == doc.reports[0].sections[0].paragraphs[0].text
    )
    for a, b in itertools.pairwise(records):
        assert a.end <= b.start
    assert sum(len(r.facets.organizations) for r in records) == len(records)  # each chunk sees its own


def test_a_cut_that_would_split_an_entity_moves_to_another_boundary() -> None:
    doc, _ = _long_document(6)
    text = doc.text
    # An entity spanning a sentence end: the cut after that 。 is forbidden.
    first_end = text.index("。") + 1
    doc.reports[0].entities.append(
        CountEntity(
            text=text[first_end - 3 : first_end + 3],
            span=Span(start=first_end - 3, end=first_end + 3),
            value=1,
        )
    )
    records = list(iter_records(doc, chunk_chars=60))
    assert len(records) > 1
    assert all(first_end not in (r.start, r.end) for r in records)
    holder = next(r for r in records if r.start < first_end < r.end)
    assert holder.start < first_end - 3 and first_end + 3 <= holder.end


def test_unstructured_text_still_yields_records() -> None:
    doc = Document(generator=Generator(version="t"), text="没有标题的一段文字。\n\n另一段。\n", reports=[])
    records = list(iter_records(doc))
    assert len(records) == 1 and records[0].text == "没有标题的一段文字。\n另一段。"


def test_record_schema_ships_and_cli_prints_it() -> None:
    schema = record_json_schema()
    assert {"id", "breadcrumb", "text_seg", "start_utf16", "facets"} <= set(schema["properties"])
    out = subprocess.run(
        [sys.executable, "-m", "zhdoc.cli", "schema", "--record"], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out)["title"] == "SearchRecord"


def test_records_validate_against_the_model_round_trip() -> None:
    for record in iter_records(build_document()):
        assert SearchRecord.model_validate_json(record.model_dump_json()) == record


# ---------------------------------------------------------------- es bulk


def test_es_bulk_lines_follow_the_bulk_format() -> None:
    records = list(iter_records(build_document()))
    buf = io.StringIO()
    n = write_bulk(records, buf, index="reports")
    data = buf.getvalue()
    assert n == len(records)
    assert data.endswith("\n") and "\n\n" not in data
    lines = data.split("\n")[:-1]
    assert len(lines) == 2 * len(records)
    for i in range(0, len(lines), 2):
        action, source = json.loads(lines[i]), json.loads(lines[i + 1])
        assert list(action) == ["index"]
        assert action["index"]["_index"] == "reports"
        assert action["index"]["_id"] == source["id"]
        assert "\n" not in lines[i + 1]
        SearchRecord.model_validate(source)


def test_es_bulk_without_index_name() -> None:
    action = json.loads(next(bulk_lines(iter_records(build_document()), index=None)))
    assert action == {"index": {"_id": "ab" * 32 + "-1-0-0"}}


def _mapping_fields(props: dict[str, Any], prefix: str = "") -> set[str]:
    out = set()
    for name, spec in props.items():
        out.add(prefix + name)
        if "properties" in spec:
            out |= _mapping_fields(spec["properties"], prefix + name + ".")
    return out


def _record_fields(record: dict[str, Any], prefix: str = "") -> set[str]:
    out = set()
    for name, value in record.items():
        out.add(prefix + name)
        if isinstance(value, dict):
            out |= _record_fields(value, prefix + name + ".")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out |= _record_fields(value[0], prefix + name + ".")
    return out


def test_shipped_mapping_covers_every_record_field() -> None:
    m = mapping()
    props = m["mappings"]["properties"]
    assert m["mappings"]["dynamic"] == "strict"  # so this test is what keeps them in step
    assert props["text_seg"]["analyzer"] == "zhdoc_whitespace"
    assert m["settings"]["analysis"]["analyzer"]["zhdoc_whitespace"]["tokenizer"] == "whitespace"
    assert "IK" in m["mappings"]["_meta"]["note"] and "smartcn" in m["mappings"]["_meta"]["note"]
    record = next(r for r in iter_records(build_document()) if r.section_id == "1.1")
    assert _record_fields(record.model_dump(mode="json")) <= _mapping_fields(props)
    assert props["facets"]["properties"]["organizations"]["type"] == "keyword"


# ---------------------------------------------------------------- facts


def test_facts_csv_one_row_per_entity() -> None:
    doc = build_document()
    buf = io.StringIO()
    n = write_facts_csv(doc, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert n == len(rows) == len(doc.reports[0].entities)
    assert tuple(rows[0]) == COLUMNS
    count = next(r for r in rows if r["text"] == "32场")
    assert (count["type"], count["value"], count["number"], count["unit"], count["object"]) == (
        "count",
        "32",
        "32",
        "场",
        "活动",
    )
    assert count["breadcrumb"] == "政协示范区常务委员会工作报告 > 一、过去一年的主要工作 > （一）强化委员服务"
    assert count["report_title"] == "政协示范区常务委员会工作报告" and count["report_date"] == "2025-01-10"
    assert count["body"] == "政协示范区第十五届委员会"
    studio = next(r for r in rows if r["type"] == "studio")
    assert studio["value"] == "湖塘镇“同心”委员工作室"
    assert json.loads(studio["extra"]) == {"location": "湖塘镇", "name": "同心"}
    org = next(r for r in rows if r["type"] == "organization")
    assert org["value"] == "中共示范区委统战部" and org["number"] == ""
    assert int(org["start_utf16"]) == int(org["start"]) + 1
    assert doc.text[int(org["start"]) : int(org["end"])] == org["text"]


@pytest.mark.skipif(not have_parquet(), reason="pyarrow is not installed (pip install 'zhdoc[parquet]')")
def test_facts_parquet(tmp_path: Any) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "facts.parquet"
    n = write_parquet(iter_fact_rows(build_document()), path)
    table = pq.read_table(path)
    assert table.num_rows == n == 5
    assert table.schema.field("number").type == "double"


# ---------------------------------------------------------------- on a parsed report


def test_records_of_a_parsed_report() -> None:
    doc = zhdoc.parse(make_report(11))
    records = list(iter_records(doc))
    assert records and all(r.breadcrumb[0] == doc.reports[0].title for r in records)
    studio = [r for r in records if "委员工作室" in r.text and r.level == 2]
    assert studio and studio[0].breadcrumb[-1].startswith("（三）强化委员服务")
    for r in records:
        assert doc.text[r.start : r.end]


def test_organization_facet_leaves_out_unresolved_generic_references() -> None:
    # 党委政府 names no one body; the report's own 常委会 resolves to its standing committee
    text = ("湖光市青石县政协常务委员会工作报告\n各位委员：\n一、主要工作\n"
            "一年来，在党委政府的支持下，县政协常委会认真履职，人民日报作了报道。\n")
    doc = zhdoc.parse(text)
    orgs = [e for r in doc.reports for e in r.entities if e.type == "organization"]
    assert any(e.generic and e.canonical == "党委政府" for e in orgs), [(e.text, e.canonical) for e in orgs]
    facets = [name for rec in iter_records(doc) for name in rec.facets.organizations]
    assert "党委政府" not in facets
    assert "青石县政协常务委员会" in facets and "人民日报" in facets, facets
