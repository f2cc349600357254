"""Robustness (issue 5): for any text, ``parse`` returns a valid Document, or raises
InputTooLargeError past ``max_chars`` and nothing else (issue 18); spans stay inside the input;
entity text is the input slice; headings start on ink; parsing is deterministic. Adversarial
inputs run under a hang guard (pytest-timeout); tests/test_adversarial.py times generated ones.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import zhdoc
from zhdoc.errors import InputTooLargeError, ZhdocError
from zhdoc.limits import MAX_INPUT_CHARS
from zhdoc.schema import Document, Section, Span

# ------------------------------------------------------------------ invariants


def _walk(obj: object, path: str = "doc"):  # type: ignore[no-untyped-def]
    """Yield (path, model) for every pydantic model in the tree."""
    if isinstance(obj, BaseModel):
        yield path, obj
        for name in type(obj).model_fields:
            yield from _walk(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _walk(item, f"{path}[{i}]")


def check_invariants(doc: Document, text: str) -> None:
    assert isinstance(doc, Document)
    assert doc.text == text
    n = len(text)
    for path, m in _walk(doc):
        if isinstance(m, Span):
            assert 0 <= m.start <= m.end <= n, f"{path}: span {m.start}-{m.end} outside input of {n}"
        if hasattr(m, "type") and hasattr(m, "span") and hasattr(m, "text") and path.split(".")[-1].startswith(
            "entities"
        ):
            assert m.text == text[m.span.start : m.span.end], f"{path}: {m.text!r} != input slice"
        if isinstance(m, Section):
            hs = m.heading_span
            assert hs.start < n, f"{path}: heading_span starts at end of input"
            assert not text[hs.start].isspace(), f"{path}: heading starts on blank {text[hs.start]!r}"
    for report in doc.reports:
        for e in report.entities:
            assert e.text == text[e.span.start : e.span.end]


def parse_checked(text: str, **kw) -> Document:  # type: ignore[no-untyped-def]
    """Parse ``text`` and check the invariants. ``zhdoc.parse`` raises one error on purpose for
    a ``str``: :class:`InputTooLargeError` past ``max_chars`` (asserted here: the error comes,
    and its message says how to raise the limit). Every other text must give a document — any
    exception, a ``ZhdocError`` included, fails the test instead of passing it silently."""
    limit = kw.get("max_chars", MAX_INPUT_CHARS)
    if len(text) > limit:
        with pytest.raises(InputTooLargeError, match="max_chars"):
            zhdoc.parse(text, **kw)
        return parse_checked(text, **{**kw, "max_chars": len(text)})
    doc = zhdoc.parse(text, **kw)
    check_invariants(doc, text)
    doc.model_dump_json()
    return doc


# ------------------------------------------------------------------ strategies

MARKERS = [
    "一、", "二、", "十一、", "（一）", "（二）", "(三)", "一）", "1.", "2．", "10.", "1、", "(1)", "（2）",
    "①", "②", "⑳", "一是", "二是", "第一，", "第二，", "首先，", "其次，", "第一章", "第二节", "一、一、",
]
PUNCT = [*"，。；：、！？…—·（）()《》【】[]「」『』 \u3000\t", "——", "……"]
NEWLINES = ["\n", "\n\n", "\r\n", "\r", "\u2028", "\x0c", "\n\u3000\u3000", "\n  "]
QUOTES = ["“", "”", "‘", "’", '"', "'", "《", "》", "“加强团结”", "《政协章程》"]
WORDS = [
    "政协", "委员", "提案", "会议", "全年", "共", "召开", "次", "件", "万元", "亿元", "%", "年", "月", "日",
    "十四届", "第二次会议", "常委会", "工作报告", "各位委员：", "2024年3月5日", "第十四届全国委员会",
    "委员工作室", "个", "余", "多", "近", "约", "以上", "今年", "一年来", "北京市", "主席", "同志",
]
cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=12)
digits = st.text(alphabet="0123456789０１２３４５６７８９.零一二三四五六七八九十百千万亿两", min_size=1, max_size=6)
piece = st.one_of(
    st.sampled_from(MARKERS),
    st.sampled_from(PUNCT),
    st.sampled_from(NEWLINES),
    st.sampled_from(QUOTES),
    st.sampled_from(WORDS),
    cjk,
    digits,
    st.text(max_size=4),  # anything at all: surrogates, controls, astral characters
)
documents = st.lists(piece, max_size=120).map("".join)
# Line-shaped documents: a marker at the start of most lines, as real reports have.
lines = st.lists(
    st.tuples(st.sampled_from([*MARKERS, "", "", "\u3000\u3000"]), st.lists(st.one_of(cjk, st.sampled_from(WORDS),
              st.sampled_from(PUNCT), digits, st.sampled_from(QUOTES)), max_size=15).map("".join)).map("".join),
    max_size=40,
).map("\n".join)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents)
def test_any_text_parses_with_invariants(text: str) -> None:
    parse_checked(text)


@SETTINGS
@given(lines)
def test_line_shaped_text_parses_with_invariants(text: str) -> None:
    parse_checked(text)


@SETTINGS
@given(st.one_of(documents, lines))
def test_parse_is_deterministic(text: str) -> None:
    a = zhdoc.parse(text)  # below the size limit no error is expected (see parse_checked)
    b = zhdoc.parse(text)
    assert a.model_dump_json() == b.model_dump_json()


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_unicode(text: str) -> None:
    parse_checked(text)


@SETTINGS
@given(documents)
def test_the_size_limit_is_the_only_error(text: str) -> None:
    """With a small limit, longer texts raise InputTooLargeError (parse_checked asserts it) and
    the rest parse."""
    parse_checked(text, max_chars=40)


# ------------------------------------------------------------------ adversarial inputs

MB = 1_000_000


def _rng_cjk(rng: random.Random, n: int) -> str:
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))


@pytest.mark.timeout(60)
def test_one_character_1mb() -> None:
    parse_checked("中" * (MB // 3))


@pytest.mark.timeout(60)
def test_20000_dun_marker_lines() -> None:
    doc = parse_checked("一、\n" * 20_000)
    assert len(doc.reports[0].sections) == 20_000


@pytest.mark.timeout(60)
def test_many_series_starting_late() -> None:
    # every unnumbered heading opens a series at item 2: each is a "hole" the layout repair
    # looks for a displaced run to fill; the search must stay linear (it was quadratic)
    doc = parse_checked("工作回顾\n\n二、甲\n\n正文。\n\n" * 12_000, extract=False)
    assert len(doc.reports[0].sections) == 12_000


@pytest.mark.timeout(60)
def test_nested_brackets_200kb() -> None:
    half = 200_000 // 3 // 2
    parse_checked("（" * half + "）" * half)
    parse_checked("（" * (2 * half))
    parse_checked("（一）" + "（" * half + "二）")


@pytest.mark.timeout(60)
def test_1mb_line_without_punctuation() -> None:
    parse_checked(_rng_cjk(random.Random(1), MB // 3))


@pytest.mark.timeout(60)
def test_alternating_markers_of_every_style() -> None:
    out, i = [], 0
    while sum(map(len, out)) < 60_000:
        out.append(MARKERS[i % len(MARKERS)] + "加强协商议政" + ("\n" if i % 2 else ""))
        i += 1
    parse_checked("".join(out))
    parse_checked("\n".join(MARKERS * 400))


@pytest.mark.timeout(60)
def test_random_bytes_decoded_with_replacement() -> None:
    rng = random.Random(2)
    raw = bytes(rng.getrandbits(8) for _ in range(300_000))
    parse_checked(raw.decode("utf-8", errors="replace"))
    parse_checked(raw.decode("gb18030", errors="replace"))


@pytest.mark.timeout(60)
def test_nul_characters() -> None:
    parse_checked("\x00" * 200_000)
    parse_checked("一、\x00标题\n\x00（一）\x00共召开会议\x0015次\n" * 2000)


@pytest.mark.timeout(60)
def test_10000_quoted_phrases() -> None:
    parse_checked("“加强团结合作”" * 10_000)
    parse_checked("《关于加强政协工作的意见》" * 5_000)


@pytest.mark.timeout(60)
def test_random_cjk_with_punctuation() -> None:
    rng = random.Random(3)
    parts = [_rng_cjk(rng, rng.randint(3, 40)) + rng.choice("，。；：、！？\n") for _ in range(5000)]
    parse_checked("".join(parts))


# ------------------------------------------------------------------ limits


def test_input_too_large_is_explicit() -> None:
    with pytest.raises(InputTooLargeError, match="max_chars"):
        zhdoc.parse("中" * 11, max_chars=10)
    assert zhdoc.parse("中" * 10, max_chars=10) is not None
    assert issubclass(InputTooLargeError, ZhdocError)


@pytest.mark.timeout(60)
def test_default_limit_rejects_before_any_work() -> None:
    with pytest.raises(InputTooLargeError):
        zhdoc.parse("a" * (MAX_INPUT_CHARS + 1))


def test_parse_restores_the_garbage_collector_state() -> None:
    """parse pauses the cyclic collector while it builds a document and restores it after,
    also when it raises, and leaves a caller's own choice (collector off) alone."""
    import gc

    assert gc.isenabled()
    zhdoc.parse("一、总体情况\n召开会议12次。")
    assert gc.isenabled()
    with pytest.raises(InputTooLargeError):
        zhdoc.parse("中" * 11, max_chars=10)
    assert gc.isenabled()
    gc.disable()
    try:
        zhdoc.parse("一、总体情况\n召开会议12次。")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_parse_moves_its_document_to_the_old_generation_and_keeps_a_callers_frozen_objects() -> None:
    """The document a parse builds is not left for a young collection to scan; objects a caller
    froze (gc.freeze, as pre-forking servers do) stay frozen."""
    import gc

    gc.collect()
    doc = zhdoc.parse("一、总体情况\n召开会议12次，收到提案259件。\n" * 200)
    young = {id(o) for o in gc.get_objects(generation=0)} | {id(o) for o in gc.get_objects(generation=1)}
    assert id(doc) not in young and id(doc.reports[0]) not in young
    assert any(o is doc for o in gc.get_objects(generation=2))  # still tracked: a full collection sees it
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        zhdoc.parse("一、总体情况\n召开会议12次。")
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


@pytest.mark.timeout(60)
def test_studios_and_quotes_many_in_one_report_stay_linear() -> None:
    """Extraction runs once per report over its joined paragraphs: lists that grow with the
    report (quoted studios, counts next to dates) must not be compared pairwise."""
    text = "\n".join(f"“{_rng_cjk(random.Random(i), 4)}”委员工作室、新农人委员工作室，2024年召开会议{i % 90 + 10}次。"
                     for i in range(4000))
    doc = parse_checked(text)
    assert sum(1 for r in doc.reports for e in r.entities if e.type == "studio") >= 4000
