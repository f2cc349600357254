"""Cross-type rules: how the candidates of one entity type change another's, in one place.

Each rule reads the candidates of the types it names and returns nothing: it attaches or
filters in the candidate lists of ``found`` (type → candidates, one report). The registry in
:mod:`zhdoc.extract` runs them in :data:`CROSS_TYPE_RULES` order after every extractor has run.
A type missing from ``found`` (an extractor left out of the registry) is read as no candidates.
"""

from __future__ import annotations

from collections.abc import Callable

from zhdoc.extract.base import Raw, Reach

#: type → candidates of one report, as the extractors returned them.
Found = dict[str, list[Raw]]
CrossTypeRule = Callable[[Found, str], None]


def _organizations_by_end(found: Found) -> dict[int, Raw]:
    return {o.end: o for o in found.get("organization", ())}


def session_takes_organization_as_body(found: Found, text: str) -> None:
    """A session takes the organization written right before it as its body (区政协十五届四次会),
    and a session written without its term the term of a formal committee name before it
    (政协某某市第九届委员会 + 第二次会议). A party committee's 全体会议 is a plenum (区委七届五次全体会议)."""
    org_by_end = _organizations_by_end(found)
    formal = [o for o in found.get("organization", ()) if o.formal]
    # 区政协 + 十四届 of 区政协十四届常务委员会: the body a term written after it extends
    body_by_end = {o.body_before_term[0]: o for o in found.get("organization", ()) if o.body_before_term}
    for s in found.get("session", ()):
        if (named := body_by_end.get(s.start)) is not None and named.body_before_term is not None:
            end, template = named.body_before_term
            s.start = named.start
            s.fields["body"] = text[named.start:end]
            s.template = template
            continue
        # 政协 + 第十三届全国委员会第一次会议: a session that starts inside a formal name and runs on
        org = org_by_end.get(s.start) or next((o for o in formal if o.start < s.start < o.end < s.end), None)
        if org is not None:
            s.start = org.start
            s.fields["body"] = text[org.start:org.end]
            s.template = org.template
            if s.fields["term"] is None:
                s.fields["term"] = org.fields.get("term")
            if s.plenum_form == "次全体会议" and org.template and org.template.endswith("委"):
                s.fields["session_kind"] = "plenum"


def session_term_from_report(found: Found, text: str) -> None:
    """Sessions the organizations settle: a term inside a formal committee name (第十四届 of
    政协某某市第十四届委员会) or a short body's (十届市政协) is no session of its own; a session
    written without its term (四次会议以来) takes the term of the report's formal committee names
    when they name one term, and is dropped otherwise (a standing committee's 第五次会议 …)."""
    sessions = found.get("session")
    if not sessions:
        return
    orgs = found.get("organization", ())
    formal = [(o.start, o.end) for o in orgs if o.formal]
    terms = {o.fields["term"] for o in orgs if o.formal and o.fields.get("term") is not None}
    kept: list[Raw] = []
    for s in sessions:
        if any(a <= s.start and s.end <= b for a, b in formal):
            continue
        if s.fields["term"] is None:
            # only the bare form resolves so: 四次会议, not 第一次全体会议 (a meeting within a session)
            if s.fields.get("body") is not None or len(terms) != 1 or text[s.start] == "第" or "全" in text[s.start:s.end]:
                continue
            s.fields["term"] = next(iter(terms))
        kept.append(s)
    # 第十四届全国人民代表大会 + 第三次会议: the bare session that took the body (and its term) is
    # the session SESSION_RE read whole; one entity per span, the whole reading (found later) kept
    found["session"] = list({(s.start, s.end): s for s in kept}.values())


def person_title_takes_organization(found: Found, text: str) -> None:
    """A title's body belongs to it: 区政协 + 副主席 王静 → title 区政协副主席."""
    org_by_end = _organizations_by_end(found)
    for p in found.get("person", ()):
        ts = p.title_start
        org = org_by_end.get(ts) if ts is not None else None
        if org is not None:
            p.fields["title"] = text[org.start:ts] + p.fields["title"]


def count_not_inside_date_period_or_session(found: Found, text: str) -> None:
    """Numbers inside a date, a plan period or a session (2024年, 十四五, 十五届四次) are not counts."""
    if found.get("count"):
        blockers = [r for t in ("date", "period", "session") for r in found.get(t, ())]
        found["count"] = _outside(found["count"], blockers)


def slogan_not_period_or_studio_name(found: Found, text: str) -> None:
    """A quoted phrase that is a plan period or a studio's name is not a slogan."""
    if "slogan" not in found:
        return
    taken = {(r.start, r.end) for r in found.get("period", ())}
    taken |= {r.name_span for r in found.get("studio", ()) if r.name_span is not None}
    found["slogan"] = [r for r in found["slogan"] if (r.start, r.end) not in taken]


#: Run in this order: the session rules move a session's start to its body's and settle its term
#: before the count rule tests counts against sessions.
CROSS_TYPE_RULES: tuple[CrossTypeRule, ...] = (
    session_takes_organization_as_body,
    session_term_from_report,
    person_title_takes_organization,
    count_not_inside_date_period_or_session,
    slogan_not_period_or_studio_name,
)


def _outside(raws: list[Raw], blockers: list[Raw]) -> list[Raw]:
    """The raws that overlap none of ``blockers``."""
    if not blockers:
        return raws
    reach = Reach((b.start, b.end) for b in blockers)
    return [r for r in raws if (end := reach.before(r.end)) is None or end <= r.start]
