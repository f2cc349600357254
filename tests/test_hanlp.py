"""The optional HanLP backend, end to end and offline, on a model trained here from samples/.

Skipped unless the extra is installed (pip install '.[hanlp]', torch pinned to the CPU build).
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

pytest.importorskip("hanlp", reason="the HanLP backend is optional: pip install '.[hanlp]' to test it")

import zhdoc
from zhdoc.errors import ModelNotFoundError
from zhdoc.integrations.hanlp import HanlpNER, map_tag, merge
from zhdoc.integrations.ner import apply_ner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
NER_TYPES = ("person", "organization", "location")

pytestmark = pytest.mark.slow


def _train_module():
    spec = importlib.util.spec_from_file_location("train_ner", ROOT / "bench" / "train_ner.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny BiLSTM NER trained with HanLP's own component on rule-labelled samples/ sentences."""
    t = _train_module()
    examples = t.build_examples(t.sample_texts(ROOT / "samples"))
    out = tmp_path_factory.mktemp("hanlp") / "model"
    t0 = time.perf_counter()
    t.train(examples, out, epochs=6, embed=32, hidden=64, batch_size=8, lr=0.01, dev_fraction=0)
    assert time.perf_counter() - t0 < 240, "training the test model should take about a minute"
    return out


@pytest.fixture(scope="session")
def parsed(model_dir: Path) -> list[tuple[str, zhdoc.Document, zhdoc.Document]]:
    out = []
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        out.append((path.name, zhdoc.parse(text), zhdoc.parse(text, ner="hanlp", model=str(model_dir))))
    return out


def test_loads_through_hanlp_load(model_dir: Path) -> None:
    import hanlp

    component = hanlp.load(str(model_dir))  # the path users take
    assert component is not None
    ner = HanlpNER(str(model_dir))
    assert ner.predict(["区政协常务委员会向大会报告工作。"])  # one result per input


def test_merge_keeps_rules_and_adds_model_entities(parsed) -> None:
    added = 0
    for name, rules_doc, ner_doc in parsed:
        assert ner_doc.text == rules_doc.text
        for r_rules, r_ner in zip(rules_doc.reports, ner_doc.reports, strict=True):
            rule_set = [e.model_dump() for e in r_rules.entities]
            ner_rules = [e.model_dump() for e in r_ner.entities if e.source == "rules"]
            assert ner_rules == rule_set, f"{name}: a rule entity was lost or changed"
            for e in r_ner.entities:
                assert ner_doc.text[e.span.start:e.span.end] == e.text, name
                if e.source == "hanlp":
                    added += 1
                    assert e.type in NER_TYPES
                    assert e.text.strip() == e.text and e.text
                    assert not any(
                        r.span.start < e.span.end and e.span.start < r.span.end for r in r_rules.entities
                    ), f"{name}: a HanLP entity overlaps a rule entity"
    assert added > 0, "the trained model added nothing over the rules on samples/"


def test_offsets_survive_layout_repair(model_dir: Path) -> None:
    # letter-spaced and broken lines: the repaired paragraph differs from the input
    text = "区政协工作报告\n\n　　一年来，区政协常务\n委员会在中共宁川市云溪区委领导下，认真履\n行职能。\n"
    doc = zhdoc.parse(text, ner="hanlp", model=str(model_dir))
    for e in doc.reports[0].entities if doc.reports else []:
        assert text[e.span.start:e.span.end] == e.text


def test_apply_ner_on_a_document(model_dir: Path) -> None:
    text = SAMPLES[0].read_text(encoding="utf-8")
    doc = zhdoc.parse(text)
    before = [e.model_dump() for r in doc.reports for e in r.entities]
    added = apply_ner(doc, backend="hanlp", model=str(model_dir))
    assert isinstance(added, zhdoc.Document)
    after = [e.model_dump() for r in added.reports for e in r.entities if e.source == "rules"]
    assert after == before
    assert [e.model_dump() for r in doc.reports for e in r.entities] == before  # the input unchanged


def test_missing_model_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANLP_HOME", str(tmp_path / "hanlp-home"))
    with pytest.raises(ModelNotFoundError) as info:
        zhdoc.parse("区政协工作报告", ner="hanlp", model=str(tmp_path / "no-such-model"))
    msg = str(info.value)
    assert str(tmp_path / "no-such-model") in msg and "hanlp-home" in msg
    # a pretrained identifier not in the cache: names the cache path, no download attempted
    with pytest.raises(ModelNotFoundError) as info:
        zhdoc.parse("区政协工作报告", ner="hanlp", model="MSRA_NER_ELECTRA_SMALL_ZH")
    msg = str(info.value)
    assert "hanlp-home" in msg and "--allow-download" in msg and "research" in msg
    assert not (tmp_path / "hanlp-home").exists() or not any((tmp_path / "hanlp-home").rglob("*.zip*"))
    with pytest.raises(ModelNotFoundError, match="needs a model"):
        zhdoc.parse("区政协工作报告", ner="hanlp")
    not_a_model = tmp_path / "empty"
    not_a_model.mkdir()
    with pytest.raises(ModelNotFoundError, match="not a HanLP model directory"):
        zhdoc.parse("区政协工作报告", ner="hanlp", model=str(not_a_model))


def test_tag_sets_map_to_zhdoc_types() -> None:
    for tag, kind in [("PERSON", "person"), ("NR", "person"), ("nr", "person"), ("nrf", "person"),
                      ("PER", "person"), ("ORGANIZATION", "organization"), ("ORG", "organization"),
                      ("nt", "organization"), ("NT", "organization"), ("LOCATION", "location"),
                      ("LOC", "location"), ("GPE", "location"), ("ns", "location"), ("nsf", "location")]:
        assert map_tag(tag) == kind, tag
    for tag in ("DATE", "MONEY", "NORP", "O", "n", "v"):
        assert map_tag(tag) is None, tag


def test_merge_rules_win_on_overlap() -> None:
    from zhdoc.schema import OrganizationEntity, PersonEntity, Span

    text = "区政协主席张三在会上"
    rule = OrganizationEntity(text="区政协", span=Span(start=0, end=3), canonical="区政协")
    over = OrganizationEntity(text="区政协主席", span=Span(start=0, end=5), canonical="区政协主席", source="hanlp")
    new = PersonEntity(text="张三", span=Span(start=5, end=7), name="张三", source="hanlp")
    out = merge([rule], [over, new])
    assert out[0] == rule and [e.text for e in out] == ["区政协", "张三"]
    assert all(text[e.span.start:e.span.end] == e.text for e in out)


def test_spacy_component_uses_the_backend(model_dir: Path) -> None:
    spacy = pytest.importorskip("spacy", reason="spaCy is the optional [spacy] extra")
    text = SAMPLES[0].read_text(encoding="utf-8")
    nlp = spacy.blank("zh")
    nlp.add_pipe("zhdoc_entities", config={"ner": "hanlp", "ner_model": str(model_dir)})
    doc = nlp(text)
    sources = {span._.zhdoc["source"] for span in doc.spans["zhdoc"]}
    assert "rules" in sources  # rule entities are all there; the model may or may not add some
    expected = zhdoc.parse(text, ner="hanlp", model=str(model_dir))
    n_expected = sum(len(r.entities) for r in expected.reports)
    assert len(doc.spans["zhdoc"]) <= n_expected
    assert any(s._.zhdoc["source"] == "hanlp" for s in doc.spans["zhdoc"]) == any(
        e.source == "hanlp" for r in expected.reports for e in r.entities
    )
