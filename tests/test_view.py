"""The HTML view without a browser: the markup contract checked with Python's HTML parser.

The browser tests (test_view_browser.py) check the same page as Chromium builds it; these run
everywhere and pin the offset arithmetic: the text content of #text is Document.text, every
fragment of an entity carries its offsets, and the fragments of an entity spell its text.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from archive_fixtures import build_numbered_docx, html_page, make_report, minimal_pdf
from conftest import SAMPLES, flatten
from hypothesis import given, settings
from hypothesis import strategies as st

import zhdoc
from zhdoc.cli import main
from zhdoc.export.html import render_html
from zhdoc.schema import Diagnostic, Document, Generator, LocationEntity, OrganizationEntity, Report, Span

VOID = {"meta", "br", "input", "img", "link", "hr", "wbr"}


class _Page(HTMLParser):
    """Collects #text's text content, per-entity fragment texts and attributes, heading ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.in_text = 0  # depth of the open #text element in self.stack, 0 when outside
        self.text: list[str] = []
        self.fragments: dict[str, list[str]] = {}  # data-entity → fragment texts, in order
        self.frag_attrs: dict[str, list[dict[str, str | None]]] = {}
        self.ids: dict[str, dict[str, str | None]] = {}
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids[str(a["id"])] = a
        if tag in VOID:
            return
        self.stack.append((tag, a))
        if a.get("id") == "text":
            self.in_text = len(self.stack)
        if "data-entity" in a:
            self.fragments.setdefault(str(a["data-entity"]), []).append("")
            self.frag_attrs.setdefault(str(a["data-entity"]), []).append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        open_tag, _ = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>: markup not well nested"
        if len(self.stack) < self.in_text:
            self.in_text = 0

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "script":
            self.scripts.append(data)
        if not self.in_text:
            return
        self.text.append(data)
        for _, a in self.stack:
            if "data-entity" in a:
                self.fragments[str(a["data-entity"])][-1] += data


def _check(doc: Document) -> _Page:
    page = _Page()
    page.feed(render_html(doc))
    page.close()
    assert not page.stack
    # the centre column is the input, character for character (CR kept as &#13;)
    assert "".join(page.text) == doc.text.replace("\0", "\ufffd")
    n_entities = 0
    for r, report in enumerate(doc.reports):
        for i, e in enumerate(report.entities):
            key = f"{r}-{i}"
            n_entities += 1
            if e.span.end > e.span.start:
                assert "".join(page.fragments[key]) == e.text, key
            for a in page.frag_attrs[key]:
                assert (a["data-type"], a["data-start"], a["data-end"]) == (
                    e.type, str(e.span.start), str(e.span.end))
        for s in flatten(report.sections):
            h = page.ids[f"r{r}-s{s.id}"]
            assert h["data-level"] == str(s.level) and h["role"] == "heading"
    assert len(page.fragments) == n_entities
    return page


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_samples_keep_the_contract(sample: Path) -> None:
    doc = zhdoc.parse_file(sample)
    page = _check(doc)
    for d_index, d in enumerate(doc.diagnostics):
        if d.span is not None:
            assert f"d{d_index}" in page.ids


def test_seed_keeps_the_contract_and_links_the_displaced_block(seed_text: str) -> None:
    doc = zhdoc.parse(seed_text)
    page = _check(doc)
    displaced = [i for i, d in enumerate(doc.diagnostics) if d.code == "layout.displaced_block"]
    assert displaced, "the seed has a displaced block"
    html = render_html(doc)
    # shown once where printed (the text is never duplicated), with a link to where it is read
    assert html.count('class="readback"') == len(displaced)
    assert f'id="d{displaced[0]}"' in html
    assert 'href="#r1-s2.3"' in html and "r1-s2.3" in page.ids


def test_crossing_and_nested_entities_split_into_fragments() -> None:
    text = "在雪堰镇新农人委员工作室开展活动。"
    ents = [
        OrganizationEntity(text=text[1:12], span=Span(start=1, end=12), canonical="x"),  # outer
        LocationEntity(text=text[1:4], span=Span(start=1, end=4), name="雪堰镇"),  # nested
        LocationEntity(text=text[10:15], span=Span(start=10, end=15), name="x"),  # crosses the end
    ]
    doc = Document(generator=Generator(version="t"), text=text,
                   reports=[Report(span=Span(start=0, end=len(text)), entities=ents)])
    page = _check(doc)
    assert len(page.fragments["0-2"]) == 2  # split where it leaves the organization
    html = render_html(doc)
    # the location is inside the organization's <mark>, not after it
    assert html.index('data-entity="0-1"') > html.index('data-entity="0-0"')
    assert html.index('data-entity="0-1"') < html.index("</mark>")


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet="ab<&\"'\r\n\u2028政协", min_size=1, max_size=40),
    spans=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8),
)
def test_any_overlap_of_entities_renders_well_nested(text: str, spans: list[tuple[int, int]]) -> None:
    ents, diags = [], []
    for k, (a, b) in enumerate(spans):
        a, b = sorted((min(a, len(text)), min(b, len(text))))
        ents.append(LocationEntity(text=text[a:b], span=Span(start=a, end=b), name="x"))
        if k % 2:  # diagnostics sit outside entities: they cross them and get cut too
            diags.append(Diagnostic(code="t", message="m", span=Span(start=max(0, a - 1), end=b)))
    doc = Document(generator=Generator(version="t"), text=text, diagnostics=diags,
                   reports=[Report(span=Span(start=0, end=len(text)), entities=ents)])
    page = _check(doc)
    assert all(f"d{i}" in page.ids for i in range(len(diags)))


def test_escaping_keeps_script_out_of_the_markup() -> None:
    text = "一、总体\n<script>window.__pwned=1</script> & \"引号\" 'q' \u2028 </script><b>粗</b>召开会议12次。"
    doc = zhdoc.parse(text)
    html = render_html(doc)
    page = _check(doc)
    assert "<script>window" not in html and "<b>" not in html
    # only the page's own two scripts; the data one cannot be closed early by an entity field
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert len(page.scripts) == 2


def test_every_input_format(tmp_path: Path) -> None:
    report = make_report(3)
    (tmp_path / "r.txt").write_bytes(report.encode("gb18030"))
    (tmp_path / "r.html").write_text(html_page(report), encoding="utf-8")
    build_numbered_docx(tmp_path / "r.docx")
    (tmp_path / "r.pdf").write_bytes(minimal_pdf([report[:400], report[400:]]))
    for name in ("r.txt", "r.html", "r.docx", "r.pdf"):
        doc = zhdoc.parse_file(tmp_path / name)
        assert doc.reports, name
        _check(doc)
        out = tmp_path / f"{name}.view.html"
        assert main(["view", str(tmp_path / name), "-o", str(out)]) == 0
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_size_limit_is_a_typed_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = zhdoc.parse("一、总体\n召开会议12次。" * 5)
    with pytest.raises(zhdoc.InputTooLargeError, match="HTML view is limited to 10"):
        render_html(doc, max_chars=10)
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    assert main(["view", str(sample), "--max-view-chars", "100", "-o", str(tmp_path / "x.html")]) == 1
    assert "--max-view-chars" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_view_takes_the_parse_options(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("区政协召开会议12次，湖光研究会参加。", encoding="utf-8")
    gaz = tmp_path / "g.tsv"
    gaz.write_text("湖光研究会\t湖光区湖光研究会\n", encoding="utf-8")
    out = tmp_path / "a.html"
    assert main(["view", str(src), "-o", str(out), "--locality", "常州市武进区", "--gazetteer", str(gaz)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "武进区政协" in html and "湖光区湖光研究会" in html  # canonical names in the field data
    assert main(["view", str(src), "-o", str(out), "--no-entities"]) == 0
    assert "data-entity" not in out.read_text(encoding="utf-8")


def test_lone_surrogates_and_nul_keep_offsets() -> None:
    text = "一、总体\n召开\0会议\ud800 12次。"
    doc = zhdoc.parse(text)
    html = render_html(doc)
    html.encode("utf-8")  # writable
    _check(doc.model_copy(update={"text": text.replace("\ud800", "\ufffd")}))


def test_import_zhdoc_does_not_load_the_renderer() -> None:
    code = "import sys, zhdoc; print('zhdoc.export.html' in sys.modules, callable(zhdoc.render_html))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_carrier_material_is_greyed_out() -> None:
    """The page layer's material (breadcrumb, stamp, widgets) renders as class="page" spans
    holding exactly its text; a plain report has none."""
    import html
    import re

    doc = zhdoc.parse((SAMPLES / "08_portal.txt").read_text(encoding="utf-8"))
    assert doc.carrier.material
    page = render_html(doc)
    spans = re.findall(r'<span class="page">(.*?)</span>', page, flags=re.S)
    texts = [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in spans]
    assert len(spans) == len(doc.carrier.material)
    for m in doc.carrier.material:
        assert m.text in texts
    plain = render_html(zhdoc.parse((SAMPLES / "01_changweihui.txt").read_text(encoding="utf-8")))
    assert 'class="page"' not in plain
