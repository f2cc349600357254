"""An adversarial input generator (issue 18): families of texts built from zhdoc's own tables.

Every symbol comes from a table the extractors and the structure stage match on (models/*.txt,
models/*.tsv and the constants beside the patterns), so a new measure word, title or marker is
exercised without editing this file. A family is a function ``(n, seed) -> text`` returning
exactly ``n`` characters; tests/test_adversarial.py times each at n and 8n, bench/run.py parses
each at 2 M characters. The shapes: one symbol repeated, random mixes of a table's symbols,
number + measure-word repeats, alternations with separators, each on one line and on many.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import cache

from zhdoc.extract.base import PUNCT, table_rows
from zhdoc.extract.names import _LEVEL_SUFFIX, _SUFFIX_ANCHOR, BODY_RE
from zhdoc.extract.numbers import CN_NUMERAL_CHARS
from zhdoc.extract.temporal import _SESSION_ANCHOR, RELATIVE
from zhdoc.structure.markers import _BY_FIRST, match_marker

Family = Callable[[int, int], str]


def _first_column(name: str) -> tuple[str, ...]:
    return tuple(row[0] for row in table_rows(name))


@cache
def tables() -> dict[str, tuple[str, ...]]:
    """The symbol tables, by name: what the generator draws from."""
    # heading markers: each first character a style accepts, with the closing marks the styles'
    # patterns use, kept when the structure stage reads it as a marker
    marker_forms = sorted({
        form
        for first in _BY_FIRST
        for form in (first + "、", first + ".", "(" + first + ")", "（" + first + "）", first + "是", "第" + first + "，", first)
        if match_marker(form[:8]) is not None
    })
    return {
        "numerals": tuple(CN_NUMERAL_CHARS + "0123456789"),
        "measure_words": _first_column("measure_words.txt"),
        "count_verbs": _first_column("count_verbs.txt"),
        "count_links": _first_column("count_links.txt"),
        "markers": tuple(marker_forms),
        "quotes_brackets": tuple(sorted(ch for ch in PUNCT if not ch.isspace() and ch not in "。！？!?；;，,、：:—…")),
        "org_suffixes": tuple(w for w in BODY_RE.pattern.replace("(?!员)", "").split("|")) + _first_column("organizations.tsv"),
        "place_suffixes": tuple(_SUFFIX_ANCHOR.chars) + tuple(_LEVEL_SUFFIX.split("|")) + _first_column("places.tsv"),
        "date_words": (*RELATIVE, "年", "月", "日"),
        "titles": _first_column("titles.txt"),
        "persons": _first_column("persons.tsv"),
    }


#: Between symbols in the "separated" families: the marks a report puts between items.
SEPARATORS = ("、", "，", "。", "；", " ", "：")
#: The three inputs issue 18 found by hand, as symbol sets.
ISSUE_WORDS = "政协委员提案工作报告十二次余件"


def _fill(n: int, pieces: Callable[[], str]) -> str:
    """Concatenate ``pieces()`` until ``n`` characters, cut to exactly ``n``."""
    out: list[str] = []
    size = 0
    while size < n:
        p = pieces()
        out.append(p)
        size += len(p)
    return "".join(out)[:n]


def _lines(pieces: Callable[[], str], rng: random.Random, every: int = 12) -> Callable[[], str]:
    """The same pieces with a line break after about one in ``every``."""
    return lambda: pieces() + ("\n" if rng.randrange(every) == 0 else "")


def _repeat(symbol: str) -> Family:
    return lambda n, seed: _fill(n, lambda: symbol)


def _mix(symbols: tuple[str, ...], newlines: bool) -> Family:
    def make(n: int, seed: int) -> str:
        rng = random.Random(seed)
        piece = lambda: rng.choice(symbols)  # noqa: E731
        return _fill(n, _lines(piece, rng) if newlines else piece)
    return make


def _separated(symbols: tuple[str, ...], newlines: bool) -> Family:
    def make(n: int, seed: int) -> str:
        rng = random.Random(seed)
        piece = lambda: rng.choice(symbols) + rng.choice(SEPARATORS)  # noqa: E731
        return _fill(n, _lines(piece, rng) if newlines else piece)
    return make


def _number_measure(newlines: bool) -> Family:
    def make(n: int, seed: int) -> str:
        rng = random.Random(seed)
        units = tables()["measure_words"]
        arabic = lambda: str(rng.randrange(1, 10_000))  # noqa: E731
        chinese = lambda: "".join(rng.choice(CN_NUMERAL_CHARS) for _ in range(rng.randint(1, 4)))  # noqa: E731
        piece = lambda: (arabic() if rng.random() < 0.5 else chinese()) + rng.choice(units)  # noqa: E731
        return _fill(n, _lines(piece, rng) if newlines else piece)
    return make


def _number_then(newlines: bool) -> Family:
    """A numeral run (1-6 characters, Chinese or Arabic) then a session or date word: 一一一届,
    2024年, 十五届 — what the session and date patterns start from."""
    def make(n: int, seed: int) -> str:
        rng = random.Random(seed)
        t = tables()
        after = (*_SESSION_ANCHOR.chars, *t["date_words"])
        piece = lambda: "".join(rng.choice(t["numerals"]) for _ in range(rng.randint(1, 6))) + rng.choice(after)  # noqa: E731
        return _fill(n, _lines(piece, rng) if newlines else piece)
    return make


def _verb_count(newlines: bool) -> Family:
    """count verb + thing + number + measure word: the shape the counted-object search reads."""
    def make(n: int, seed: int) -> str:
        rng = random.Random(seed)
        t = tables()
        piece = lambda: (rng.choice(t["count_verbs"]) + rng.choice(t["org_suffixes"]) + rng.choice(t["count_links"])  # noqa: E731
                         + str(rng.randrange(1, 500)) + rng.choice(t["measure_words"]))
        return _fill(n, _lines(piece, rng) if newlines else piece)
    return make


@cache
def families() -> dict[str, Family]:
    """Every family, by name. Names say the shape: ``<table>.<shape>[.lines]``."""
    fams: dict[str, Family] = {
        # the three issue 18 cases
        "issue.one_repeated": _repeat("一"),
        "issue.words_mixed": _mix(tuple(ISSUE_WORDS), newlines=False),
        "issue.1ci_repeated": _repeat("1次"),
        "numbers.measure": _number_measure(newlines=False),
        "numbers.measure.lines": _number_measure(newlines=True),
        "numbers.session_date": _number_then(newlines=False),
        "numbers.session_date.lines": _number_then(newlines=True),
        "counts.verb_object": _verb_count(newlines=False),
        "counts.verb_object.lines": _verb_count(newlines=True),
    }
    for name, symbols in tables().items():
        # the longest symbol repeated (a table's first row is often its longest or commonest)
        fams[f"{name}.repeat"] = _repeat(max(symbols, key=len))
        fams[f"{name}.repeat_first"] = _repeat(symbols[0])
        fams[f"{name}.mix"] = _mix(symbols, newlines=False)
        fams[f"{name}.mix.lines"] = _mix(symbols, newlines=True)
        fams[f"{name}.separated"] = _separated(symbols, newlines=False)
        fams[f"{name}.separated.lines"] = _separated(symbols, newlines=True)
    return fams
