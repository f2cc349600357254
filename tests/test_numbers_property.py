"""The numeral parser against cn2an, and totality on any string."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhdoc.extract.numbers import parse_number

cn2an = pytest.importorskip("cn2an", reason="cn2an is a test dependency ([dev])")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_integers_round_trip_against_cn2an(n: int) -> None:
    words = cn2an.an2cn(n)  # cn2an writes the numeral; zhdoc must read it back
    assert parse_number(words) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=99999), st.integers(min_value=1, max_value=999))
def test_decimals_round_trip_against_cn2an(whole: int, frac: int) -> None:
    value = float(f"{whole}.{frac}")
    words = cn2an.an2cn(f"{whole}.{frac}")
    assert parse_number(words) == pytest.approx(value)
    assert parse_number(words) == pytest.approx(float(cn2an.cn2an(words, "smart")))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿点百分之0123456789.,%年个abc ", max_size=30))
def test_never_crashes(s: str) -> None:
    v = parse_number(s)
    assert v is None or isinstance(v, float)
