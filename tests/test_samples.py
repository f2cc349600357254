"""Every bundled sample parses, and its hand-checked outline is what zhdoc draws."""

import json

import pytest
from conftest import SAMPLES, flatten

import zhdoc

EXPECTED = sorted(SAMPLES.glob("*.expected.json"))


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name)
def test_sample_outline(path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text(encoding="utf-8"))
    text = (SAMPLES / data["file"]).read_text(encoding="utf-8")
    doc = zhdoc.parse(text)
    got = {s.heading_span.start: s.level for r in doc.reports for s in flatten(r.sections)}
    gold = {h["start"]: h["level"] for h in data["headings"]}
    found = sum(1 for s in gold if s in got)
    # the eval (make eval) reports exact figures; here a floor that catches regressions
    assert found / len(gold) >= 0.85, f"{found}/{len(gold)} headings found"
    for r in doc.reports:
        for e in r.entities:
            assert text[e.span.start:e.span.end] == e.text


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_every_sample_parses(path) -> None:  # type: ignore[no-untyped-def]
    doc = zhdoc.parse_file(path)
    assert doc.reports and doc.source.sha256
