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
    """A session takes the organization written right before it as its body (区政协十五届四次会)."""
    org_by_end = _organizations_by_end(found)
    for s in found.get("session", ()):
        org = org_by_end.get(s.start)
        if org is not None:
            s.start = org.start
            s.fields["body"] = text[org.start:org.end]
            s.template = org.template


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


#: Run in this order: the session rule moves a session's start to its body's before the count
#: rule tests counts against sessions.
CROSS_TYPE_RULES: tuple[CrossTypeRule, ...] = (
    session_takes_organization_as_body,
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
