"""Consistency records: a stated total against its stated parts.

Two patterns carry most of the arithmetic in these reports:
* "共提交提案259件。其中，集体提案2件，联名提案83件，个人提案174件" — a total (共…) followed by
  the parts that the next sentence opens with 其中;
* category counts ("综合经济类提案42件" … ) against the number of cases filed (立案215件).
"""

from __future__ import annotations

from typing import Any

from zhdoc.schema import CheckItem, ConsistencyCheck, CountEntity, Diagnostic, Span

_TOLERANCE = 1e-6


def _item(c: CountEntity) -> CheckItem:
    return CheckItem(label=c.object, value=float(c.value or 0), span=c.span)


def _check(total: CountEntity, parts: list[CountEntity], kind: str, what: str) -> ConsistencyCheck:
    got = sum(float(p.value or 0) for p in parts)
    holds = abs(got - float(total.value or 0)) <= _TOLERANCE
    sign = "=" if holds else "≠"
    msg = f"{what}: {' + '.join(str(p.value) for p in parts)} = {got:g} {sign} {total.value:g}{total.unit or ''}"
    return ConsistencyCheck(kind=kind, total=_item(total), parts=[_item(p) for p in parts], holds=holds, message=msg)


def consistency_checks(entities: list[Any], text: str) -> tuple[list[ConsistencyCheck], list[Diagnostic]]:
    counts = [e for e in entities if isinstance(e, CountEntity) and e.value is not None and e.multiplicity == 1]
    checks: list[ConsistencyCheck] = []
    for i, total in enumerate(counts):
        before = text[max(0, total.span.start - 12):total.span.start]
        if "共" not in before:
            continue
        after = text[total.span.end:total.span.end + 8]
        if "其中" not in after:
            continue
        # parts: following counts with the same unit up to the end of the 其中 sentence
        stop = text.find("。", total.span.end + after.index("其中"))
        stop = len(text) if stop < 0 else stop
        parts = [c for c in counts[i + 1:] if c.span.start < stop and c.unit == total.unit]
        if len(parts) >= 2:
            checks.append(_check(total, parts, "sum", "parts of a stated total"))
    # category counts (…类提案N件) against the filed total (立案N件)
    filed = [c for c in counts if "立案" in text[max(0, c.span.start - 4):c.span.start]]
    categories = [c for c in counts if c.object and c.object.endswith("类提案")]
    if filed and len(categories) >= 2:
        checks.append(_check(filed[-1], categories, "sum", "category counts against cases filed"))
    diagnostics = [
        Diagnostic(code="check.failed", severity="warning", message=c.message,
                   span=Span(start=c.total.span.start, end=c.total.span.end))
        for c in checks if not c.holds
    ]
    return checks, diagnostics
