"""Consistency records: a stated total against its stated parts.

Two patterns carry most of the arithmetic in these reports:
* "共提交提案259件。其中，集体提案2件，联名提案83件，个人提案174件" — a total (共…) followed by
  the parts that the next sentence opens with 其中;
* category counts ("综合经济类提案42件" … ) against the number of cases filed (立案215件).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from zhdoc.extract.base import table_rows
from zhdoc.normalize import fold
from zhdoc.schema import Diagnostic, Span

_TOLERANCE = 1e-6

#: A count entity as the extract stage builds it (the fields of :class:`zhdoc.schema.CountEntity`).
CountData = dict[str, Any]


def _item(c: CountData) -> dict[str, Any]:
    return {"label": c["object"], "value": float(c["value"] or 0), "span": c["span"]}


def _check(total: CountData, parts: list[CountData], kind: str, what: str) -> dict[str, Any]:
    """A :class:`zhdoc.schema.ConsistencyCheck` as plain data."""
    got = sum(float(p["value"] or 0) for p in parts)
    holds = abs(got - float(total["value"] or 0)) <= _TOLERANCE
    sign = "=" if holds else "≠"
    msg = (f"{what}: {' + '.join(str(p['value']) for p in parts)} = {got:g} {sign} "
           f"{total['value']:g}{total['unit'] or ''}")
    return {"kind": kind, "total": _item(total), "parts": [_item(p) for p in parts], "holds": holds, "message": msg}


#: Words after a total that tie the counts after them to it as its parts.
_TIES = ("其中", "分别为", "分别是")
#: Where a part's clause starts: the mark before it.
_CLAUSE_MARKS = "，,；;、：:（(）)"


@lru_cache(maxsize=1)
def _verbs() -> tuple[str, ...]:
    """Verbs that state a total of their own (models/check_verbs.txt: 立案, 办复 …); not every
    count verb, since 专题协商5次 counts a 协商 as a part."""
    return tuple(row[0] for row in table_rows("check_verbs.txt"))


def _clause_before(text: str, start: int, floor: int) -> str:
    """The clause before ``start``, back to the last clause mark (not before ``floor``), folded
    (simplified) so that the verb table matches 經審查立案 too."""
    at = max((text.rfind(m, floor, start) for m in _CLAUSE_MARKS), default=-1)
    return fold(text[max(at + 1, floor):start])


def _in_brackets(text: str, start: int, end: int) -> bool:
    """``start`` lies inside a bracket opened after ``end`` (a nested 其中 in brackets, 含…)."""
    opened = max(text.rfind("(", end, start), text.rfind("（", end, start))
    return opened >= 0 and max(text.rfind(")", opened, start), text.rfind("）", opened, start)) < 0


def _parts(total: CountData, later: list[CountData], text: str, tie_end: int, stop: int) -> list[CountData]:
    """The counts the sentence ties to ``total`` as its parts: after the tie word (其中, 分别为), of
    the same unit, up to the sentence end; a count in brackets is a sub-breakdown of its own part,
    and a clause with a count verb of its own (经审查立案110件, 提出提案的委员225人次) starts a new
    statement, so it ends the parts."""
    total_clause = _clause_before(text, total["span"]["start"], 0)
    parts: list[CountData] = []
    for c in later:
        start = c["span"]["start"]
        if start >= stop:
            break
        if start < tie_end or _in_brackets(text, start, tie_end):
            continue
        clause = _clause_before(text, start, tie_end)
        if any(v in clause and v not in total_clause for v in _verbs()):
            break
        if c["unit"] == total["unit"]:
            parts.append(c)
    return parts


def consistency_checks(entities: list[dict[str, Any]], text: str) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """Checks (as plain data) over a report's entities (plain data), and a diagnostic per failed one."""
    counts = [e for e in entities if e["type"] == "count" and e["value"] is not None and e["multiplicity"] == 1
              and not e.get("formula")]
    checks: list[dict[str, Any]] = []
    for i, total in enumerate(counts):
        t_start, t_end = total["span"]["start"], total["span"]["end"]
        before = text[max(0, t_start - 12):t_start]
        if "共" not in before:
            continue
        after = text[t_end:t_end + 8]
        tie = min((after.find(w) for w in _TIES if w in after), default=-1)
        if tie < 0:
            continue
        # parts: following counts with the same unit up to the end of the tied sentence
        stop = text.find("。", t_end + tie)
        stop = len(text) if stop < 0 else stop
        parts = _parts(total, counts[i + 1:], text, t_end + tie + 2, stop)
        if len(parts) >= 2:
            checks.append(_check(total, parts, "sum", "parts of a stated total"))
    # category counts (…类提案N件) against the filed total (立案N件)
    filed = [c for c in counts if "立案" in text[max(0, c["span"]["start"] - 4):c["span"]["start"]]]
    # read from the text: the object of 科技类提案33件 is 提案
    categories = [c for c in counts if fold(text[max(0, c["span"]["start"] - 3):c["span"]["start"]]) == "类提案"]
    if filed and len(categories) >= 2:
        checks.append(_check(filed[-1], categories, "sum", "category counts against cases filed"))
    diagnostics = [
        Diagnostic(code="check.failed", severity="warning", message=c["message"],
                   span=Span(start=c["total"]["span"]["start"], end=c["total"]["span"]["end"]))
        for c in checks if not c["holds"]
    ]
    return checks, diagnostics
