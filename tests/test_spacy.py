import pytest

spacy = pytest.importorskip("spacy", reason="spaCy is the optional [spacy] extra")


def test_component_sets_typed_spans() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("zhdoc_entities", config={"locality": "常州市武进区"})
    doc = nlp("区政协召开党组会议12次，新建雪堰镇“新农人”等3个委员工作室。")
    by_label = {}
    for span in doc.spans["zhdoc"]:
        by_label.setdefault(span.label_, []).append(span)
    count = next(s for s in by_label["count"] if s.text == "12次")
    assert count._.zhdoc["value"] == 12 and count._.zhdoc["object"] == "党组会议"
    org = by_label["organization"][0]
    assert org.text == "区政协" and org._.zhdoc["canonical"] == "武进区政协"
    assert by_label["studio"][0]._.zhdoc["name"] == "新农人"
    assert len(doc.ents) >= 3  # the non-overlapping subset


def test_domain_tokenizer_leaves_global_jieba_alone() -> None:
    import jieba

    from zhdoc.integrations.spacy import domain_tokenizer

    before = jieba.lcut("新建委员工作室")
    assert "委员工作室" in domain_tokenizer().lcut("新建委员工作室")
    assert jieba.lcut("新建委员工作室") == before
