"""No silent loss: every visible character of the input lands somewhere in the output — a title-block
span, a heading, a paragraph or a span of carrier material — on every real text we hold."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SAMPLES

import zhdoc

sys.path.insert(0, str(ROOT / "bench"))
from pages import load_fresh_pages, load_pages

#: characters the layout repair removes on purpose (zero-width and soft hyphen)
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _lost(text: str) -> list[int]:
    doc = zhdoc.parse(text, extract=False)
    covered = bytearray(len(text))

    def mark(span) -> None:  # type: ignore[no-untyped-def]
        if span is not None:
            covered[span.start:span.end] = b"\x01" * (span.end - span.start)

    for m in doc.carrier.material:
        mark(m.span)
    for r in doc.reports:
        meta = r.meta
        for span in (r.title_span, meta.headline_span, meta.subtitle_span, meta.speaker_span, meta.dateline_span,
                     meta.salutation_span):
            mark(span)
        paragraphs = list(r.preamble)
        stack = list(r.sections)
        while stack:
            s = stack.pop()
            mark(s.heading_span)
            paragraphs.extend(s.paragraphs)
            stack.extend(s.children)
        for p in paragraphs:
            for part in p.parts or [p.span]:
                mark(part)
    return [i for i, c in enumerate(text) if not covered[i] and not c.isspace() and c not in _INVISIBLE]


def _texts(corpus_records: list[dict], seed_text: str) -> list[tuple[str, str]]:
    out = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    out.append(("seed", seed_text))
    out += [(f"corpus {i}", r["content"]) for i, r in enumerate(corpus_records)]
    # the real pages when gathered (tests/test_pages.py says where); they are most of the variety
    out += [(f"page {p['id']}", p["text"]) for p in load_pages()[0] + load_fresh_pages()[0]]
    return out


def test_every_visible_character_is_kept(corpus_records: list[dict], seed_text: str) -> None:
    lost = {name: text[i[0]:i[0] + 20] for name, text in _texts(corpus_records, seed_text) if (i := _lost(text))}
    assert not lost, lost


@pytest.mark.parametrize("text", [
    # a lone lead on its own line over its body: demoted, its body stays (a lost paragraph before)
    "会议由副主席主持。\n大会在国歌声中开幕。\n县政协主席作常务委员会工作报告，回顾了一年来的工作。\n报告指出，一年来成效明显。\n",
    "一、主要工作\n加强学习。\n坚持每月集中学习一次，形成制度。\n",
])
def test_a_demoted_lead_line_keeps_its_body(text: str) -> None:
    assert _lost(text) == []
