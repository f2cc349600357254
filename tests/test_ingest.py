"""Input formats: every kind of file is generated here, then read back through zhdoc.ingest."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from archive_fixtures import build_numbered_docx, html_page, make_report, minimal_pdf

import zhdoc
from zhdoc.errors import DecodeError, InputTooLargeError, UnsafeInputError, UnsupportedFormatError, ZhdocError
from zhdoc.ingest import load, load_bytes
from zhdoc.ingest.docx import Numbering, format_number
from zhdoc.ingest.text import decode_bytes

pytestmark = pytest.mark.timeout(60)

REPORT = make_report(7)
TRADITIONAL = "政協示範區委員會常務委員會工作報告\n一、過去一年的主要工作\n全年召開常委會會議4次，組織專題協商6次，委員工作室開展活動32場。\n"


# ---------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16-le"),  # Python writes a BOM and little-endian
        ("utf-16-le", "utf-16-le"),  # no BOM at all
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_text_encodings_are_detected_and_recorded(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / f"report-{encoding}.txt"
    raw = REPORT.encode(encoding)
    path.write_bytes(raw)
    loaded = load(path)
    assert loaded.text == REPORT
    assert loaded.source.encoding == expected
    assert loaded.source.format == "text"
    assert loaded.source.sha256 == hashlib.sha256(raw).hexdigest()
    assert loaded.source.size_bytes == len(raw)
    assert loaded.source.name == path.name
    assert loaded.page_starts is None


def test_big5_is_not_mistaken_for_gbk(tmp_path: Path) -> None:
    # Big5 byte pairs are valid GB18030 too; only the character statistics tell them apart.
    path = tmp_path / "trad.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    loaded = load(path)
    assert loaded.text == TRADITIONAL
    assert loaded.source.encoding in ("big5", "cp950")


def test_gbk_is_not_mistaken_for_big5() -> None:
    text, encoding, _ = decode_bytes(REPORT.encode("gbk"))
    assert (text, encoding) == (REPORT, "gb18030")


def test_truncated_multibyte_tail_is_forgiven() -> None:
    raw = REPORT.encode("gbk")[:-3] + "委".encode("gbk")[:1]  # cut inside the last character
    text, encoding, replaced = decode_bytes(raw)
    assert encoding == "gb18030" and replaced == 0
    assert REPORT.startswith(text[:-1])


def test_a_few_corrupt_bytes_are_replaced_and_reported(tmp_path: Path) -> None:
    raw = bytearray((REPORT * 3).encode("utf-8"))
    raw[400] = 0xFF
    path = tmp_path / "corrupt.txt"
    path.write_bytes(bytes(raw))
    loaded = load(path)
    assert loaded.source.encoding == "utf-8"
    assert "\ufffd" in loaded.text
    assert loaded.warnings and "replaced" in loaded.warnings[0]


def test_binary_data_is_refused_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UnsupportedFormatError, match=r"data\.txt.*binary"):
        load(path)


def test_undecodable_bytes_give_a_typed_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    rng = __import__("random").Random(1)
    path.write_bytes(bytes(rng.choice(range(0x80, 0x100)) for _ in range(3000)))
    with pytest.raises(ZhdocError, match=r"noise\.txt"):
        load(path)


def test_image_is_named(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    with pytest.raises(UnsupportedFormatError, match="PNG"):
        load(path)


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(REPORT, encoding="utf-8")
    with pytest.raises(InputTooLargeError, match=r"big\.txt"):
        load(path, max_bytes=100)


def test_missing_file_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        load(tmp_path / "nope.txt")


@pytest.mark.parametrize("name", ["old.doc", "old.wps"])
def test_legacy_word_and_wps_say_how_to_convert(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(UnsupportedFormatError, match="libreoffice --headless --convert-to docx"):
        load(path)


def test_wps_extension_without_ole_header_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.wps"
    path.write_bytes(os.urandom(300))
    with pytest.raises(UnsupportedFormatError, match="convert"):
        load(path)


# ---------------------------------------------------------------- HTML


def test_html_keeps_the_report_and_drops_the_page_around_it(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(html_page(REPORT, charset="gb2312").encode("gbk"))
    loaded = load(path)
    text = loaded.text
    assert loaded.source.format == "html"
    assert loaded.source.encoding == "gb18030"  # the declared gb2312, read as its superset
    for boilerplate in (
        "首页",
        "机构设置",
        "相关文章",
        "版权所有",
        "分享到",
        "不要出现在正文",
        "document.write",
    ):
        assert boilerplate not in text
    paragraphs = text.strip().split("\n\n")
    assert paragraphs[0] == REPORT.splitlines()[0]  # the <h1> title, found above the text block
    assert "各位委员：" in paragraphs
    assert any(p.startswith("一、") for p in paragraphs)
    assert any("委员工作室" in p for p in paragraphs)
    assert all("　" not in p[:1] for p in paragraphs)  # indentation stripped


def test_html_with_a_wrong_charset_declaration_still_decodes(tmp_path: Path) -> None:
    path = tmp_path / "liar.htm"
    path.write_bytes(html_page(REPORT, charset="utf-8").encode("gbk"))
    loaded = load(path)
    assert "委员工作室" in loaded.text
    assert loaded.source.encoding == "gb18030"


def test_html_line_breaks_inside_a_paragraph_do_not_split_words() -> None:
    page = "<html><body><div><p>区政协召开\n  常委会会议4次，\n组织专题协商6次。</p></div></body></html>"
    loaded = load_bytes(page.encode("utf-8"), name="p.html")
    assert loaded.text.strip() == "区政协召开常委会会议4次，组织专题协商6次。"


def test_html_br_separates_paragraphs() -> None:
    page = "<html><body><div id=zoom>一、总体情况<br>召开会议12次，协商议政5次。<br/>二、今后打算</div></body></html>"
    text = load_bytes(page.encode("utf-8"), name="p.html").text
    assert text.strip().split("\n\n") == ["一、总体情况", "召开会议12次，协商议政5次。", "二、今后打算"]


def test_html_is_sniffed_without_an_extension() -> None:
    page = html_page(REPORT).encode("utf-8")
    assert load_bytes(page, name="download").source.format == "html"


# ---------------------------------------------------------------- docx


def test_docx_restores_word_list_numbering(tmp_path: Path) -> None:
    path = tmp_path / "numbered.docx"
    shown = build_numbered_docx(path)
    loaded = load(path)
    assert loaded.source.format == "docx"
    assert loaded.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert loaded.text.strip().split("\n\n") == shown
    assert "十一、第11项工作" in shown  # chineseCounting past ten


@pytest.mark.timeout(120)
def test_docx_numbering_gives_sections_to_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "numbered.docx"
    build_numbered_docx(path)
    doc = zhdoc.parse_file(path)
    top = doc.reports[0].sections
    assert [s.marker for s in top[:2]] == ["一、", "二、"]
    assert top[0].title == "过去一年的主要工作"
    assert [c.marker for c in top[0].children] == ["（一）", "（二）", "（三）"]
    assert [c.marker for c in top[0].children[1].children] == ["1.", "2."]
    # offsets index the extracted text the Document stores
    first = top[0]
    assert doc.text[first.heading_span.start : first.heading_span.end].startswith("一、过去一年")


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"),
        (21, "chineseCountingThousand", "二十一"),
        (101, "chineseCounting", "一百零一"),
        (110, "chineseCounting", "一百一十"),
        (3, "chineseLegalSimplified", "叁"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (12, "decimalFullWidth", "１２"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (7, "decimalZero", "07"),
        (5, "bullet", ""),
    ],
)
def test_number_formats(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


def test_numbering_restart_override_and_legal_style() -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = f"""<w:numbering {w}>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>""".encode()
    numbering = Numbering(xml, None)
    seq = [("1", 0), ("1", 1), ("1", 1), ("1", 0), ("1", 1), ("2", 0)]
    assert [numbering.marker(*item).strip() for item in seq] == [
        "第一章",
        "1.1",
        "1.2",
        "第二章",
        "2.1",
        "第五章",
    ]


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_docx_zip_bomb_is_refused_by_ratio() -> None:
    data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (30 * 1024 * 1024)})
    with pytest.raises(UnsafeInputError, match="zip bomb"):
        load_bytes(data, name="bomb.docx")


def test_docx_zip_bomb_is_refused_by_total_size(monkeypatch: pytest.MonkeyPatch) -> None:
    import zhdoc.ingest.docx as docx_mod

    monkeypatch.setattr(docx_mod, "MAX_UNCOMPRESSED_BYTES", 1000)
    data = _zip({"word/document.xml": os.urandom(3000)})
    with pytest.raises(UnsafeInputError, match="expands to"):
        load_bytes(data, name="big.docx")


def test_docx_xml_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "real.docx"
    build_numbered_docx(path)
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    members["word/document.xml"] = laughs + members["word/document.xml"].split(b"?>", 1)[1]
    with pytest.raises(UnsafeInputError, match="DTD"):
        load_bytes(_zip(members), name="laughs.docx")


def test_zip_that_is_not_word_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormatError, match="Excel"):
        load_bytes(_zip({"xl/workbook.xml": b"<workbook/>"}), name="sheet.docx")


def test_truncated_docx_is_unsupported_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    build_numbered_docx(path)
    data = path.read_bytes()
    with pytest.raises(UnsupportedFormatError, match=r"cut\.docx"):
        load_bytes(data[: len(data) // 2], name="cut.docx")


# ---------------------------------------------------------------- PDF


def test_pdf_text_layer_with_page_offsets(tmp_path: Path) -> None:
    pages = [
        "政协示范区常务委员会工作报告\n一、过去一年的主要工作\n召开常委会会议4次。",
        "二、今年的主要任务\n新建委员工作室3个。",
    ]
    path = tmp_path / "report.pdf"
    path.write_bytes(minimal_pdf(pages))
    loaded = load(path)
    assert loaded.source.format == "pdf"
    assert loaded.page_starts is not None and len(loaded.page_starts) == 2
    assert loaded.page_starts[0] == 0
    second = loaded.text[loaded.page_starts[1] :]
    assert second.startswith("二、今年的主要任务")
    assert "召开常委会会议4次。" in loaded.text[: loaded.page_starts[1]]


@pytest.mark.timeout(120)
def test_pdf_paragraphs_carry_their_page(tmp_path: Path) -> None:
    pages = [
        "政协示范区常务委员会工作报告\n一、过去一年的主要工作\n召开常委会会议4次。",
        "二、今年的主要任务\n新建委员工作室3个。",
    ]
    path = tmp_path / "report.pdf"
    path.write_bytes(minimal_pdf(pages))
    doc = zhdoc.parse_file(path)
    sections = doc.reports[0].sections
    assert [p.page for p in sections[0].paragraphs] == [1]
    assert [p.page for p in sections[1].paragraphs] == [2]


def test_pdf_without_text_layer_says_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(minimal_pdf(["", ""]))
    with pytest.raises(UnsupportedFormatError, match="OCR"):
        load(path)


def test_corrupt_pdf_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(500))
    with pytest.raises(UnsupportedFormatError, match=r"broken\.pdf"):
        load(path)


def test_errors_are_zhdoc_errors() -> None:
    for exc in (DecodeError, UnsupportedFormatError, UnsafeInputError, InputTooLargeError):
        assert issubclass(exc, ZhdocError)


# ---------------------------------------------------------------- damaged files


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("kind", ["docx", "pdf", "html", "txt"])
def test_damaged_files_give_typed_errors_never_tracebacks(tmp_path: Path, kind: str) -> None:
    """Flipped bytes, truncations and holes in every input kind: success or a ZhdocError only."""
    import random

    if kind == "docx":
        build_numbered_docx(tmp_path / "a.docx")
        original = (tmp_path / "a.docx").read_bytes()
    elif kind == "pdf":
        original = minimal_pdf(make_report(1).split("\n\n"))
    elif kind == "html":
        original = html_page(make_report(2)).encode("gbk")
    else:
        original = make_report(3).encode("gbk")
    rng = random.Random(kind)
    for _ in range(50 if kind == "pdf" else 150):  # pypdf reads the test font's CMap slowly
        data = bytearray(original)
        op = rng.random()
        if op < 0.4:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif op < 0.7:
            data = data[: rng.randrange(len(data))]
        else:
            start = rng.randrange(len(data))
            data[start : start + rng.randint(1, 500)] = b""
        try:
            load_bytes(bytes(data), name=f"damaged.{kind}")
        except ZhdocError:
            pass
