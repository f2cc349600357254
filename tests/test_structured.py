"""The structured document between structure and schema, and NER on its blocks' offset maps.

The NER tests use a stand-in model (no HanLP needed): every few characters of a paragraph it
calls a three-character name, so each paragraph's offsets are exercised.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

import zhdoc
import zhdoc.integrations.ner as ner_module
from zhdoc.extract import extract_document
from zhdoc.integrations.hanlp import HanlpNER, NerSpan
from zhdoc.normalize import normalize
from zhdoc.schema import Source
from zhdoc.structure import read_structure

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))
TYPES = ("person", "organization", "location")


class _EveryFewCharacters(HanlpNER):
    def __init__(self) -> None:  # no model to load
        pass

    def predict(self, texts: Sequence[str]) -> list[list[NerSpan]]:
        return [[NerSpan(k, k + 3, TYPES[k % 3], "X") for k in range(0, len(t) - 3, 7)] for t in texts]


@pytest.fixture
def stand_in_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ner_module, "load_backend", lambda *args, **kwargs: _EveryFewCharacters())


def test_parse_is_structure_then_extract_then_to_schema() -> None:
    text = SAMPLES[0].read_text(encoding="utf-8")
    structured = read_structure(normalize(text))
    assert all(not r.entities for r in structured.reports)
    extract_document(structured)
    source = zhdoc.parse(text).source
    assert structured.to_schema(source).json_bytes() == zhdoc.parse(text).json_bytes()
    # to_schema builds a new Document each time from the same structured document
    assert structured.to_schema(Source()).reports == zhdoc.parse(text).reports
    # the pipeline's call lets each report's blocks go once its model exists: same output, and a
    # second call is a clear error, not a document of empty reports
    released = structured.to_schema(source, release=True)
    assert released.json_bytes() == zhdoc.parse(text).json_bytes()
    assert all(not r.sections and not r.preamble for r in structured.reports)
    with pytest.raises(ValueError, match="released"):
        structured.to_schema(source)


def test_units_cover_title_block_headings_and_paragraphs() -> None:
    text = SAMPLES[0].read_text(encoding="utf-8")
    structured = read_structure(normalize(text))
    doc = zhdoc.parse(text, extract=False)
    for report, schema_report in zip(structured.reports, doc.reports, strict=True):
        units = report.units()
        paragraphs = list(report.paragraphs())
        assert [b.text for b, _ in paragraphs] == [p.text for p in schema_report.preamble] + [
            p.text for s in _walk(schema_report.sections) for p in s.paragraphs
        ]
        headings = [(b.text, sid) for b, sid in units if sid is not None and (b, sid) not in paragraphs]
        assert [sid for _, sid in headings] == [s.id for s in _walk(schema_report.sections)]


def _walk(sections):  # type: ignore[no-untyped-def]
    for s in sections:
        yield s
        yield from _walk(s.children)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_ner_on_block_maps_equals_ner_on_a_parsed_document(path: Path, stand_in_model: None) -> None:
    # parse(ner=...) maps through each block's offset map; apply_ner on a Document aligns again
    text = path.read_text(encoding="utf-8")
    during = zhdoc.parse(text, ner="hanlp", model="stand-in")
    parsed = zhdoc.parse(text)
    before = parsed.json_bytes()
    after = ner_module.apply_ner(parsed, backend="hanlp", model="stand-in")
    assert isinstance(after, zhdoc.Document)
    assert during.json_bytes() == after.json_bytes()
    assert parsed.json_bytes() == before  # the given Document is left as it was
    assert any(e.source == "hanlp" for r in during.reports for e in r.entities)


def test_ner_offsets_through_layout_repair(stand_in_model: None) -> None:
    text = "区政协工作报告\n\n　　一年来，区政协常务\n委员会在中共宁川市云溪区委领导下，认真履\n行职能。\n"
    doc = zhdoc.parse(text, ner="hanlp", model="stand-in")
    added = [e for r in doc.reports for e in r.entities if e.source == "hanlp"]
    assert added
    for e in added:
        assert text[e.span.start:e.span.end] == e.text


def test_entity_table_drives_the_union_and_matches_the_type_checkers_union() -> None:
    import ast
    import typing

    from zhdoc import schema

    union = typing.get_args(typing.get_args(schema.Entity)[0])
    assert union == tuple(row.model for row in schema.ENTITY_TABLE)
    assert schema.ENTITY_TYPES == tuple(row.model.model_fields["type"].default for row in schema.ENTITY_TABLE)
    # the union spelled out for type checkers (under TYPE_CHECKING) lists the same models in order
    tree = ast.parse(Path(schema.__file__).read_text(encoding="utf-8"))
    guarded = next(n for n in ast.walk(tree) if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
                   and "Entity" in ast.unparse(n))
    names = [n for n in ast.walk(guarded.body[0].value) if isinstance(n, ast.Name) and n.id.endswith("Entity")]
    spelled = [n.id for n in sorted(names, key=lambda n: (n.lineno, n.col_offset))]
    assert spelled == [row.model.__name__ for row in schema.ENTITY_TABLE]
