"""Extract: entities per report, each extractor a small function over repaired text.

Extractors see a report's repaired paragraphs joined by line breaks (one call per report, not
per paragraph: on text with many short paragraphs the fixed cost of each call dominated). No pattern matches
across a line break, and a match that would is dropped, so entities never cross a paragraph.
They return :class:`Raw` candidates in joined indices; the cross-type rules
(:mod:`zhdoc.extract.rules`) relate one type's candidates to another's; this module maps
them back to their paragraph and to input offsets, resolves what needs the whole report
(canonical organization names, relative dates) and adds them to the structured report as
plain data, which ``to_schema`` validates.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from copy import copy
from itertools import accumulate
from typing import Any

import regex

from zhdoc.extract.base import Context, Raw
from zhdoc.extract.checks import consistency_checks
from zhdoc.extract.counts import extract_counts
from zhdoc.extract.names import (
    FORMAL_COMMITTEE_RE,
    Gazetteer,
    body_matches,
    extract_locations,
    extract_organizations,
    extract_persons,
    extract_publications,
    extract_slogans,
    extract_studios,
    formal_committees,
    innermost_place,
    place_before,
    resolve_org,
)
from zhdoc.extract.rules import CROSS_TYPE_RULES
from zhdoc.extract.temporal import (
    extract_dates,
    extract_periods,
    extract_sessions,
    session_canonical,
)
from zhdoc.normalize import PINYIN_GLOSS_RE, Block, make_block
from zhdoc.schema import Diagnostic, ReportMeta
from zhdoc.structured import StructuredDocument, StructuredReport

__all__ = ["EXTRACTORS", "Gazetteer", "extract_document", "extract_report", "extract_text"]

#: An extractor reads repaired text (a report's paragraphs joined by "\n"), its folded twin and
#: the report context, and returns raw matches in the text's indices.
Extractor = Callable[[str, str, Context], list[Raw]]

#: The registered extractors, run in this order on every report. A new extractor is one more
#: function here (plus its table in models/); a new entity type also a model and a row of
#: :data:`zhdoc.schema.ENTITY_TABLE`.
EXTRACTORS: dict[str, Extractor] = {
    "count": extract_counts,
    "date": extract_dates,
    "period": extract_periods,
    "session": extract_sessions,
    "organization": extract_organizations,
    "studio": extract_studios,
    "person": extract_persons,
    "location": extract_locations,
    "publication": extract_publications,
    "slogan": extract_slogans,
}

_PARTY_RE = regex.compile(r"中共(?:\p{Han}{2}(?:省|市))?\p{Han}{2}(?:区|县)委")
_CITY_IN_PLACE = regex.compile(r"\p{Han}{2}市(?=\p{Han}{2}[区县])")


def build_context(text: str, folded: str, meta: ReportMeta, locality: str | None,
                  fallback: Context | None = None, published: str | None = None) -> Context:
    """The report's year and locality, from its dateline and the names it uses (``text`` and
    ``folded``: the report's paragraphs joined by line breaks).

    A report that names no locality takes the one of the report before it in the same file
    (a newspaper page prints reports of one body together).
    """
    # the dateline's year is the meeting's; else extract_dates weighs the text's own dates against
    # the page's date and the title's year (annotation guidelines, date)
    ctx = Context(year=meta.year if meta.year_source == "dateline" else None,
                  title_year=meta.year if meta.year_source in ("title", "meeting") else None, published=published)
    if locality:
        m = regex.match(r"(?:(?P<prov>\p{Han}{2,3}省))?(?:(?P<city>\p{Han}{2,4}市))?(?P<district>\p{Han}{2,4}(?:区|县))?", locality)
        if m:
            ctx.province, ctx.city, ctx.district = m.group("prov"), m.group("city"), m.group("district")
    _learn_from_formal_name(ctx, folded)
    pm = _PARTY_RE.search(folded)
    if pm:
        ctx.party_district = text[pm.start():pm.end()]
        place = pm.group()[2:-1]  # 常州市武进区
        if ctx.district is None:
            ctx.district = innermost_place(place)
        if ctx.city is None:
            cm = _CITY_IN_PLACE.search(place)
            ctx.city = cm.group() if cm else None
    for body in body_matches(folded):
        if ctx.district is not None and ctx.city is not None and ctx.province is not None:
            break
        m = place_before(folded, body.start())
        if m is None:
            continue
        place = m.group("place")
        if place[-1] not in "区县":
            # 茂名市政协, 中共云南省委: the city or province the report's short forms (市委) mean
            _fill_levels(ctx, place if place[-1] in "市省州" else "")
            if ctx.body is None and body.group() == "政协":
                ctx.body = innermost_place(place) + "政协"
            continue
        if ctx.body is None and body.group() == "政协":
            ctx.body = innermost_place(place) + "政协"
        if ctx.district is not None and ctx.city is not None:
            continue
        if ctx.district is None:
            ctx.district = innermost_place(place)
        if ctx.city is None:
            cm = _CITY_IN_PLACE.search(place)
            ctx.city = cm.group() if cm else None
    if fallback is not None and ctx.district is None and ctx.city is None:
        ctx.district, ctx.city, ctx.province = fallback.district, fallback.city, fallback.province
        ctx.prefecture, ctx.body = ctx.prefecture or fallback.prefecture, ctx.body or fallback.body
        ctx.party_district = ctx.party_district or fallback.party_district
    if ctx.district:
        bare = regex.sub(r"(?:新区|区|县|旗)$", "", ctx.district)
        if len(bare) >= 2:  # 绛县 has no bare form a search could tell from the character 绛
            ctx.bare_places[bare] = ctx.district
        if ctx.city is None and ctx.party_district:
            cm = regex.search(r"\p{Han}{2}市", ctx.party_district)
            ctx.city = cm.group() if cm else None
    return ctx


#: A formal name's place by level: 四川省|夹江县, 重庆市|大渡口区, 海南藏族自治州.
_PLACE_PARTS = regex.compile(
    r"(?P<province>\p{Han}{2,6}?(?:省|自治区))?(?P<city>\p{Han}{2,6}?(?:市|盟))?"
    r"(?P<prefecture>\p{Han}{2,8}?州)?(?P<district>\p{Han}{1,6}?(?:区|县|旗))?"
)


def _fill_levels(ctx: Context, place: str) -> None:
    """Set the levels of ``place`` the context does not know yet."""
    m = _PLACE_PARTS.fullmatch(place)
    if m is None:
        return
    for level in ("province", "city", "prefecture", "district"):
        if m.group(level) and getattr(ctx, level) is None:
            setattr(ctx, level, m.group(level))


def _learn_from_formal_name(ctx: Context, folded: str) -> None:
    """The report's own body and locality from its first formal committee name (政协某某市第九届委员会)."""
    for org in formal_committees(folded):
        m = FORMAL_COMMITTEE_RE.match(folded, org.start)
        place = m.group("place") if m else None
        if not place:
            continue
        ctx.body = "全国政协" if place == "全国" else innermost_place(place) + "政协"
        if place != "全国":
            _fill_levels(ctx, place)
        return


def extract_text(text: str, folded: str, ctx: Context) -> list[Raw]:
    """All candidates in ``text``: every registered extractor, then the cross-type rules."""
    found = {name: fn(text, folded, ctx) for name, fn in EXTRACTORS.items()}
    for rule in CROSS_TYPE_RULES:
        rule(found, text)
    return [r for rs in found.values() for r in rs]


def _contiguous(block: Block, start: int, end: int, text: str) -> bool:
    """False when the repaired range joins input pieces that a displaced block separated.

    Repair only removes blanks, line breaks, zero-width characters and pinyin glosses, so an
    honest range has exactly as many other characters in the input as in the repaired text.
    """
    if len(block.parts) == 1:
        return True  # one input range: whatever repair removed inside it was blank
    a = block.to_input(start)
    b = block.to_input(end - 1) + 1
    if b <= a:
        return False
    piece = text[a:b]
    if "(" in piece or "（" in piece:  # repair also removed the pinyin glosses inside
        piece = PINYIN_GLOSS_RE.sub("", piece)
    return len(_BLANKS.sub("", piece)) == len(_BLANKS.sub("", block.text[start:end]))


_BLANKS = regex.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")


def extract_document(doc: StructuredDocument, *, locality: str | None = None,
                     gazetteer: Gazetteer | None = None) -> None:
    """Add entities and checks to every report of ``doc``, and the checks' diagnostics to its own.

    A report that names no locality takes the one of the report before it (see build_context).
    """
    context = None
    contexts: list[Context] = []
    for report in doc.reports:
        context, found = extract_report(report, doc.text, locality=locality, gazetteer=gazetteer, fallback=context,
                                        published=doc.carrier.published)
        contexts.append(context)
        doc.diagnostics.extend(found)
    if doc.carrier.material and doc.reports:
        material_entities(doc, contexts)


def material_entities(doc: StructuredDocument, contexts: list[Context]) -> None:
    """Entities in the carrier page's material (a publication stamp's date, the outlet of a 来源
    line, 新华社北京3月15日电, a headline's session) go to the report nearest each: its context
    (year, day, locality, body) resolves them. Each span is read on its own, repaired like a block."""
    starts = [r.span[0] for r in doc.reports]
    touched: set[int] = set()
    for mat in doc.carrier.material:
        start, end = mat.span.start, mat.span.end
        i = max(0, bisect_right(starts, start) - 1)  # the report it follows, else the first
        block = make_block(doc.text, [(start, end)])
        if not block.text:
            continue
        found = _entities_of([(block, None)], block.text, block.folded, doc.text, copy(contexts[i]))
        doc.reports[i].entities.extend(found)
        if found:
            touched.add(i)
    for i in touched:
        doc.reports[i].entities.sort(key=_reading_order)


def extract_report(report: StructuredReport, text: str, *,
                   locality: str | None = None, gazetteer: Gazetteer | None = None,
                   fallback: Context | None = None, published: str | None = None) -> tuple[Context, list[Diagnostic]]:
    """Set ``report.entities``, ``report.checks`` and ``report.locality`` (plain data, validated
    by ``to_schema``); return the report's context and the checks' diagnostics."""
    blocks = [(block, section) for block, section in report.units() if block.text]
    joined_text = "\n".join(block.text for block, _ in blocks)
    joined_folded = "\n".join(block.folded for block, _ in blocks)
    ctx = build_context(joined_text, joined_folded, report.meta, locality, fallback, published)
    ctx.speaker = report.meta.speaker.split(" ")[-1] if report.meta.speaker else None
    ctx.gazetteer = gazetteer
    if ctx.district or ctx.city or ctx.province:
        report.locality = "".join(x for x in (ctx.province, ctx.city, ctx.district) if x)
    entities = _entities_of(blocks, joined_text, joined_folded, text, ctx)
    entities.sort(key=_reading_order)
    report.entities = entities
    report.checks, diagnostics = consistency_checks(entities, text)
    return ctx, diagnostics


def _entities_of(blocks: list[tuple[Block, str | None]], joined_text: str, joined_folded: str, text: str,
                 ctx: Context) -> list[dict[str, Any]]:
    """Every candidate in the blocks (joined by line breaks) as entity data with input offsets."""
    offsets = list(accumulate((len(block.text) + 1 for block, _ in blocks), initial=0))
    entities: list[dict[str, Any]] = []
    for raw in extract_text(joined_text, joined_folded, ctx):
        i = bisect_right(offsets, raw.start) - 1
        block, section = blocks[i]
        local_start, local_end = raw.start - offsets[i], raw.end - offsets[i]
        if raw.formal and local_end > len(block.text):
            span = _across_lines(blocks, offsets, raw, text)  # a cover title's 委员会 / 常务委员会
            if span is None:
                continue
            start, end = span
        elif not 0 <= local_start < local_end <= len(block.text) or not _contiguous(block, local_start, local_end, text):
            continue
        else:
            start, end = block.input_span(local_start, local_end)
        end = _past_gloss(text, end)
        # names resolve from the analysed text (no gloss, no line break), not from the input's
        fields = _finish(raw, ctx, joined_text[raw.start:raw.end].replace("\n", ""))
        entities.append({"type": raw.type, "text": text[start:end], "span": {"start": start, "end": end},
                         "section": section, **fields})
    return entities


def _reading_order(entity: dict[str, Any]) -> tuple[int, int, str]:
    """Entities sorted by start, the longer first at one start, then by type."""
    return entity["span"]["start"], -entity["span"]["end"], entity["type"]


def _past_gloss(text: str, end: int) -> int:
    """An entity's end past the pinyin gloss of its last character (時(shí)): repair read the text
    without it, but the gloss belongs to the character, and the span covers what is written."""
    if end < len(text) and text[end] in "(（" and (m := PINYIN_GLOSS_RE.match(text, end)) is not None:
        return m.end()
    return end


def _across_lines(blocks: list[tuple[Block, str | None]], offsets: list[int], raw: Raw, text: str) -> tuple[int, int] | None:
    """The input span of a formal committee name a line break splits in two consecutive blocks
    (the span covers the break); None when it would span more or a piece is not contiguous."""
    i = bisect_right(offsets, raw.start) - 1
    j = bisect_right(offsets, raw.end - 1) - 1
    if j != i + 1:
        return None
    (a, _), (b, _) = blocks[i], blocks[j]
    s1, e2 = raw.start - offsets[i], raw.end - offsets[j]
    if not (0 <= s1 < len(a.text) and 0 < e2 <= len(b.text)) or not (
        _contiguous(a, s1, len(a.text), text) and _contiguous(b, 0, e2, text)
    ):
        return None
    return a.input_span(s1, len(a.text))[0], b.input_span(0, e2)[1]


def _finish(raw: Raw, ctx: Context, surface: str) -> dict[str, Any]:
    """The schema fields of a candidate, with what needs the whole report resolved."""
    fields = dict(raw.fields)
    if raw.type == "organization":
        fields["canonical"] = resolve_org(raw.template or surface, ctx, surface)
    elif raw.type == "session":
        template = raw.template
        body_canonical = resolve_org(template, ctx, fields["body"]) if template else None
        if fields["session_kind"] != "congress":
            fields["canonical"] = session_canonical(fields, body_canonical, raw.plenum_form)
    return fields
