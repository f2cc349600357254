"""Consistency records: a stated total against its stated parts.

Two patterns carry most of the arithmetic in these reports:
* "共提交提案259件。其中，集体提案2件，联名提案83件，个人提案174件" — a total (共…) followed by
  the parts that the next sentence opens with 其中;
* category counts ("综合经济类提案42件" … ) against the number of cases filed (立案215件).
"""

from __future__ import annotations

from typing import Any

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


def consistency_checks(entities: list[dict[str, Any]], text: str) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """Checks (as plain data) over a report's entities (plain data), and a diagnostic per failed one."""
    counts = [e for e in entities if e["type"] == "count" and e["value"] is not None and e["multiplicity"] == 1]
    checks: list[dict[str, Any]] = []
    for i, total in enumerate(counts):
        t_start, t_end = total["span"]["start"], total["span"]["end"]
        before = text[max(0, t_start - 12):t_start]
        if "共" not in before:
            continue
        after = text[t_end:t_end + 8]
        if "其中" not in after:
            continue
        # parts: following counts with the same unit up to the end of the 其中 sentence
        stop = text.find("。", t_end + after.index("其中"))
        stop = len(text) if stop < 0 else stop
        parts = [c for c in counts[i + 1:] if c["span"]["start"] < stop and c["unit"] == total["unit"]]
        if len(parts) >= 2:
            checks.append(_check(total, parts, "sum", "parts of a stated total"))
    # category counts (…类提案N件) against the filed total (立案N件)
    filed = [c for c in counts if "立案" in text[max(0, c["span"]["start"] - 4):c["span"]["start"]]]
    categories = [c for c in counts if c["object"] and c["object"].endswith("类提案")]
    if filed and len(categories) >= 2:
        checks.append(_check(filed[-1], categories, "sum", "category counts against cases filed"))
    diagnostics = [
        Diagnostic(code="check.failed", severity="warning", message=c["message"],
                   span=Span(start=c["total"]["span"]["start"], end=c["total"]["span"]["end"]))
        for c in checks if not c["holds"]
    ]
    return checks, diagnostics
