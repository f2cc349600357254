"""Layout damage: each class repaired on its own (hand-made strings), and the outline of every
clean corpus report kept when the damage generator (tests/damage.py) is applied to it."""

from __future__ import annotations

import sys

from conftest import ROOT, flatten

import zhdoc

sys.path.insert(0, str(ROOT / "bench"))


def outline_of(text: str) -> list[tuple[int, str | None, str]]:
    doc = zhdoc.parse(text, extract=False)
    return [(s.level, s.marker, s.title) for r in doc.reports for s in flatten(r.sections)]


# ------------------------------------------------------------------ pinyin glosses


def test_pinyin_glosses_are_read_past_and_reported() -> None:
    text = "一、加強協(xié)調實（shí）施工作\n\n我們要做好協(xié)調工作，召開會議12次。\n\n三(sān)、下一步工作\n\n繼續努力，做好工作。"
    doc = zhdoc.parse(text)
    assert outline_of(text) == [(1, "一、", "加強協調實施工作"), (1, "三、", "下一步工作")]
    para = doc.reports[0].sections[0].paragraphs[0]
    assert para.text == "我們要做好協調工作，召開會議12次。"
    assert text[para.span.start : para.span.end].startswith("我們要做好協(xié)調")  # offsets into the input
    diag = [d for d in doc.diagnostics if d.code == "layout.pinyin_glosses"]
    assert len(diag) == 1 and "4 pinyin" in diag[0].message
    assert text[diag[0].span.start : diag[0].span.end] == "(xié)"  # type: ignore[union-attr]


def test_brackets_that_are_not_glosses_stay() -> None:
    text = "一、工作(草案)与计划(a)\n\n正文，正文。"
    assert outline_of(text)[0][2] == "工作(草案)与计划(a)"
    assert not [d for d in zhdoc.parse(text).diagnostics if d.code == "layout.pinyin_glosses"]
