"""End to end: a report typeset into a PDF at a fixed line width, read back through ingest, keeps
the outline it has as plain text. The PDF is made here with reportlab's built-in CID font
(STSong-Light: no font file needed), so the text layer is hard-wrapped as real PDFs are."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SAMPLES

import zhdoc

sys.path.insert(0, str(ROOT / "tests"))
from damage import display_width, outline, outline_f1

reportlab = pytest.importorskip("reportlab", reason="reportlab (dev extra) typesets the test PDFs")


def typeset(text: str, path, cols: int) -> None:  # type: ignore[no-untyped-def]
    """Each paragraph broken at ``cols`` display columns, as a PDF layout engine would."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 10)
    y = 800
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        line = ""
        for ch in paragraph:
            if display_width(line + ch) > cols:
                pdf.drawString(40, y, line)
                line, y = "", y - 13
            line += ch
        if line:
            pdf.drawString(40, y, line)
            y -= 13
        if y < 60:
            pdf.showPage()
            pdf.setFont("STSong-Light", 10)
            y = 800
    pdf.save()


@pytest.mark.parametrize("cols", [44, 60])
@pytest.mark.parametrize("name", ["01_changweihui.txt", "05_runin.txt", "11_scraped_layout.txt"])
def test_pdf_keeps_the_outline(tmp_path, name: str, cols: int) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    typeset(text, pdf, cols)
    doc = zhdoc.parse_file(pdf)
    assert doc.source.format == "pdf"
    if name != "11_scraped_layout.txt":  # (11 is too short at 60 columns for its lines to cluster)
        assert any(d.code == "layout.hard_wrapped" for d in doc.diagnostics)
    clean = outline(zhdoc.parse(text, extract=False))
    got = outline(doc)
    assert outline_f1(clean, got) >= 0.95, (clean - got, got - clean)
