"""A self-contained HTML view of a Document: outline, highlighted text, diagnostics, checks.

The page carries its CSS and JavaScript inline and loads nothing: it works opened from disk
and offline. The centre column is ``Document.text`` itself, cut at every boundary of a report,
diagnostic, heading, entity and layout join, so the text content of ``#text`` is the input
(a ``NUL`` becomes U+FFFD and a lone surrogate U+FFFD, one character each, keeping offsets).

Markup contract (README, "HTML view"), stable for users' scripts:

* every fragment of a highlighted entity is ``<mark class="ent">`` with ``data-entity``
  ("{report}-{index in report.entities}"), ``data-type``, ``data-start``, ``data-end`` (the
  entity's span in ``Document.text``, the same on every fragment of a split entity);
* every section heading has ``id="r{report}-s{section id}"``, ``data-level`` and
  ``role="heading"``; a report title has ``id="r{report}-title"``;
* a diagnostic's span is marked ``data-diag`` (its index in ``Document.diagnostics``), the first
  fragment with ``id="d{index}"``.

Nesting: ranges are opened outermost first by (tier, start, -end); a range that crosses
another of the same or an inner tier is closed and reopened (a *fragment*). Ids go on the first
fragment only. The sweep visits each boundary once and sorts the few ranges active there, so
the cost is linear in the text plus the number of ranges times their nesting depth.
"""

from __future__ import annotations

import html as _html
import json
import re
from dataclasses import dataclass
from typing import Any

from zhdoc import __version__
from zhdoc.errors import InputTooLargeError
from zhdoc.limits import MAX_VIEW_CHARS
from zhdoc.schema import ENTITY_TYPES, Document, Paragraph, Section

# Tiers, outermost first. Reports never overlap, so they are never split; headings sit outside
# entities so that a heading (which has an id) is split only by a diagnostic or page range.
_T_REPORT, _T_PAGE, _T_DIAG, _T_HEADING, _T_ENTITY, _T_JOIN = range(6)



def _esc_text(s: str) -> str:
    """Text content escaped: &, <, > as references, CR as &#13; (the parser would turn a raw one
    into LF), NUL as U+FFFD (the parser would drop it). Chained replace: each is one C scan,
    faster here than str.translate with a table (docs/measurements.md)."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;").replace("\0", "\ufffd"))

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(slots=True, eq=False)  # identity: two ranges may hold equal fields
class _Range:
    tier: int
    start: int
    end: int
    order: int  # creation order: a stable tie-break
    tag: str
    attrs: str  # on every fragment
    first_attrs: str = ""  # on the first fragment only (ids, tab stops)
    opened: bool = False
    key: tuple[int, int, int, int] = (0, 0, 0, 0)  # nesting order, outermost first

    def __post_init__(self) -> None:
        self.key = (self.tier, self.start, -self.end, self.order)


def _esc(s: str) -> str:
    return _html.escape(s, quote=True)


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its <script> element or be misread as markup: <, >, & and the
    two line separators (a raw U+2028 ends a JS string in older engines) as \\u escapes."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def _walk(sections: list[Section]):  # type: ignore[no-untyped-def]
    for s in sections:
        yield s
        yield from _walk(s.children)


def _paragraph_ranges(paragraphs: list[Paragraph]):  # type: ignore[no-untyped-def]
    for p in paragraphs:
        for part in p.parts or [p.span]:
            yield part.start, part.end


def _page_ranges(doc: Document) -> list[tuple[int, int]]:
    """Spans of the carrier page's material (breadcrumbs, widgets, stamps, bylines, captions) to
    grey out: they render as ``<span class="page">`` (tier _T_PAGE) and print grey."""
    return [(m.span.start, m.span.end) for m in doc.carrier.material]


def _displaced_target(doc: Document, start: int, end: int) -> tuple[str, str] | None:
    """Where a displaced block was read back: the first heading after the moved run in the
    section tree (its id and label), i.e. what the block was put before."""
    seen_block = False
    for r_index, report in enumerate(doc.reports):
        for s in _walk(report.sections):
            inside = start <= s.heading_span.start < end
            if inside:
                seen_block = True
            elif seen_block:
                return f"r{r_index}-s{s.id}", f"{s.marker or ''}{s.title}"
    return None


def _entity_fields(e: Any) -> dict[str, Any]:
    return e.model_dump(mode="json", exclude={"text", "span", "type"}, exclude_none=True)


def render_html(doc: Document, *, max_chars: int = MAX_VIEW_CHARS) -> str:
    """The whole page as a string. Raises :class:`~zhdoc.errors.InputTooLargeError` when the
    text is longer than ``max_chars`` (a browser slows to a crawl on much larger pages)."""
    text = doc.text
    if len(text) > max_chars:
        name = doc.source.name or doc.source.path or "the document"
        raise InputTooLargeError(
            f"{name} has {len(text):,} characters; the HTML view is limited to {max_chars:,} "
            "(a browser becomes unusable past that): split the file, or raise the limit with "
            "max_chars=... (CLI: zhdoc view --max-view-chars)"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from a str input: one U+FFFD each, offsets kept
        text = _SURROGATE.sub("\ufffd", text)
    n = len(text)

    ranges: list[_Range] = []
    inserts: dict[int, list[str]] = {}  # zero-width markup at an offset (anchors, empty spans)

    def add(tier: int, start: int, end: int, tag: str, attrs: str, first: str = "") -> None:
        start, end = max(0, min(start, n)), max(0, min(end, n))
        if end > start:
            ranges.append(_Range(tier, start, end, len(ranges), tag, attrs, first))
        else:
            inserts.setdefault(start, []).append(f"<{tag}{attrs}{first}></{tag}>")

    # reports
    for r, report in enumerate(doc.reports):
        add(_T_REPORT, report.span.start, report.span.end, "section",
            f' class="report" data-report="{r}" aria-label="report {r + 1}"')
        if report.title_span is not None:
            add(_T_HEADING, report.title_span.start, report.title_span.end, "span",
                ' class="title" role="heading" aria-level="1"', f' id="r{r}-title"')
        for s in _walk(report.sections):
            add(_T_HEADING, s.heading_span.start, s.heading_span.end, "span",
                f' class="h" role="heading" aria-level="{s.level + 1}" data-level="{s.level}"'
                f' data-kind="{s.kind}"', f' id="r{r}-s{_esc(s.id)}"')
        for i, e in enumerate(report.entities):
            add(_T_ENTITY, e.span.start, e.span.end, "mark",
                f' class="ent" data-entity="{r}-{i}" data-type="{e.type}"'
                f' data-start="{e.span.start}" data-end="{e.span.end}"',
                f' id="e{r}-{i}" tabindex="0"')
        # layout joins: a line break inside a paragraph's input range was joined by the repair
        for a, b in _paragraph_ranges(list(report.preamble)
                                      + [p for s in _walk(report.sections) for p in s.paragraphs]):
            j = text.find("\n", a, b)
            while j != -1:
                add(_T_JOIN, j, j + 1, "span", ' class="join" title="line break joined by layout repair"')
                j = text.find("\n", j + 1, b)
    for a, b in _page_ranges(doc):
        add(_T_PAGE, a, b, "span", ' class="page"')
    for d_index, d in enumerate(doc.diagnostics):
        if d.span is None:
            continue
        cls = "diag displaced" if d.code == "layout.displaced_block" else "diag"
        add(_T_DIAG, d.span.start, d.span.end, "span",
            f' class="{cls} sev-{d.severity}" data-diag="{d_index}" data-code="{_esc(d.code)}"',
            f' id="d{d_index}"')
        if d.code == "layout.displaced_block":
            target = _displaced_target(doc, d.span.start, d.span.end)
            if target is not None:
                # The label text comes from CSS (attr()), so #text's text content stays the input.
                inserts.setdefault(min(d.span.start, n), []).append(
                    f'<a class="readback" href="#{_esc(target[0])}" data-label="displaced block: read back before '
                    f'{_esc(target[1])}" aria-label="displaced block, read back before {_esc(target[1])}"></a>'
                )
    # anchors for consistency-check items that are not an entity of their report
    check_targets: dict[tuple[int, int, int], str] = {}
    for r, report in enumerate(doc.reports):
        by_span = {}
        for i, e in enumerate(report.entities):
            by_span.setdefault((e.span.start, e.span.end), f"e{r}-{i}")
        for k, c in enumerate(report.checks):
            for j, item in enumerate([c.total, *c.parts]):
                target = by_span.get((item.span.start, item.span.end))
                if target is None:
                    target = f"c{r}-{k}-{j}"
                    inserts.setdefault(min(item.span.start, n), []).append(
                        f'<span class="anchor" id="{target}"></span>')
                check_targets[(r, k, j)] = target

    body = _sweep(text, ranges, inserts)
    return _page(doc, body, check_targets)


def _key(rg: _Range) -> tuple[int, int, int, int]:
    return rg.key


def _sweep(text: str, ranges: list[_Range], inserts: dict[int, list[str]]) -> str:
    starts: dict[int, list[_Range]] = {}
    ends: dict[int, list[_Range]] = {}
    for rg in ranges:
        starts.setdefault(rg.start, []).append(rg)
        ends.setdefault(rg.end, []).append(rg)
    points = sorted({0, len(text), *starts, *ends, *inserts})
    out: list[str] = []
    append = out.append
    active: list[_Range] = []
    stack: list[_Range] = []  # what is open in the output, outermost first
    last = len(points) - 1
    for idx, p in enumerate(points):
        if p in ends:
            active = [rg for rg in active if rg.end != p]
        if p in starts:  # active stays sorted: filtering keeps the order, additions re-sort it
            active = sorted([*active, *starts[p]], key=_key)
        # active is never mutated in place, so the stack may share it
        n_stack, n_want = len(stack), len(active)
        m = n_stack if n_stack < n_want else n_want
        k = 0
        while k < m and stack[k] is active[k]:
            k += 1
        for j in range(n_stack - 1, k - 1, -1):
            append(f"</{stack[j].tag}>")
        for j in range(k, n_want):
            rg = active[j]
            if rg.opened:
                append(f"<{rg.tag}{rg.attrs} data-continued>")
            else:
                rg.opened = True
                append(f"<{rg.tag}{rg.attrs}{rg.first_attrs}>")
        stack = active
        if p in inserts:
            out.extend(inserts[p])
        if idx < last:
            append(_esc_text(text[p : points[idx + 1]]))
    for rg in reversed(stack):
        append(f"</{rg.tag}>")
    return "".join(out)


def _outline_sections(r: int, sections: list[Section], out: list[str]) -> None:
    out.append("<ul>")
    for s in sections:
        marker = s.marker or ("·" if s.kind == "run_in" else "")
        link = (f'<a href="#r{r}-s{_esc(s.id)}" data-level="{s.level}">'
                f'<span class="marker">{_esc(marker)}</span>{_esc(s.title)}</a>')
        if s.children:
            out.append(f"<li><details open><summary>{link}</summary>")
            _outline_sections(r, s.children, out)
            out.append("</details></li>")
        else:
            out.append(f"<li>{link}</li>")
    out.append("</ul>")


def _page(doc: Document, body: str, check_targets: dict[tuple[int, int, int], str]) -> str:
    name = doc.source.name or doc.source.path or "text"
    counts = dict.fromkeys(ENTITY_TYPES, 0)
    fields: dict[str, Any] = {}
    for r, report in enumerate(doc.reports):
        for i, e in enumerate(report.entities):
            counts[e.type] = counts.get(e.type, 0) + 1
            fields[f"{r}-{i}"] = _entity_fields(e)

    nav: list[str] = []
    for r, report in enumerate(doc.reports):
        title = report.title or f"report {r + 1} (untitled)"
        href = f"#r{r}-title" if report.title_span is not None else ""
        head = f'<a href="{href}">{_esc(title)}</a>' if href else _esc(title)
        meta = report.meta.model_dump(exclude_none=True, exclude={"dateline_span", "speaker_span"})
        nav.append(f'<section class="toc" aria-labelledby="toc{r}"><h2 id="toc{r}">'
                   f'<span class="rno">{r + 1}</span> {head}</h2>')
        if meta:
            nav.append('<p class="meta">' + " · ".join(_esc(str(v)) for v in meta.values()) + "</p>")
        if report.sections:
            part: list[str] = []
            _outline_sections(r, report.sections, part)
            nav.append("".join(part))
        nav.append("</section>")

    legend = "".join(
        f'<li><label><input type="checkbox" checked data-toggle="{t}"> '
        f'<span class="sw t-{t}" aria-hidden="true"></span>{t} <span class="n">{c}</span></label></li>'
        for t, c in counts.items() if c
    )

    diags: list[str] = []
    for d_index, d in enumerate(doc.diagnostics):
        where = ""
        if d.span is not None:
            where = f' <a href="#d{d_index}" class="at">[{d.span.start}:{d.span.end}]</a>'
        extra = ""
        if d.code == "layout.displaced_block" and d.span is not None:
            target = _displaced_target(doc, d.span.start, d.span.end)
            if target is not None:
                extra = f' <a href="#{_esc(target[0])}" class="readback-link">read back before {_esc(target[1])}</a>'
        diags.append(f'<li class="sev-{d.severity}"><span class="code">{_esc(d.code)}</span>{where} '
                     f"{_esc(d.message)}{extra}</li>")

    checks: list[str] = []
    for r, report in enumerate(doc.reports):
        for k, c in enumerate(report.checks):
            items = [c.total, *c.parts]
            links = " ".join(
                f'<a href="#{check_targets[(r, k, j)]}">{"=" if j == 0 else "+"}{_esc(it.label or "")} {it.value:g}</a>'
                for j, it in enumerate(items)
            )
            state = "holds" if c.holds else "fails"
            checks.append(f'<li class="{state}"><span class="state">{state}</span> '
                          f'{_esc(c.message)}<br>{links}</li>')

    return "".join([
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="zhdoc {__version__}">',
        f"<title>{_esc(name)} — zhdoc view</title><style>{_CSS}</style></head><body>",
        '<nav id="outline" aria-label="Outline">',
        f'<p class="src">{_esc(name)} · {len(doc.text):,} chars · {len(doc.reports)} report(s)</p>',
        *nav, "</nav>",
        '<main id="main"><div id="text" lang="zh">', body, "</div></main>",
        '<aside id="side" aria-label="Entities, diagnostics and checks">',
        f'<section aria-labelledby="lh"><h2 id="lh">Entities</h2><ul class="legend">{legend}</ul></section>',
        f'<section aria-labelledby="dh"><h2 id="dh">Diagnostics ({len(doc.diagnostics)})</h2>'
        f'<ol class="diags">{"".join(diags)}</ol></section>',
        f'<section aria-labelledby="ch"><h2 id="ch">Consistency checks ({len(checks)})</h2>'
        f'<ol class="checks">{"".join(checks)}</ol></section>',
        "</aside>",
        '<div id="tip" role="tooltip" hidden></div>',
        f'<script type="application/json" id="zhdoc-data">{_json_for_script({"entities": fields})}</script>',
        f"<script>{_JS}</script></body></html>\n",
    ])


_COLORS = {  # background, border: distinct in colour, and the border styles differ in print
    "count": ("#dbeafe", "#1d4ed8"), "date": ("#dcfce7", "#15803d"), "period": ("#ecfccb", "#4d7c0f"),
    "session": ("#fef3c7", "#b45309"), "organization": ("#fce7f3", "#be185d"),
    "studio": ("#ede9fe", "#6d28d9"), "person": ("#ffe4e6", "#be123c"),
    "location": ("#ccfbf1", "#0f766e"), "publication": ("#e0e7ff", "#4338ca"),
    "slogan": ("#f5f5f4", "#57534e"),
}

_CSS = (
    """
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{display:grid;grid-template-columns:minmax(14rem,20rem) 1fr minmax(14rem,22rem);font:15px/1.6 system-ui,sans-serif;color:#111;background:#fff}
nav,main,aside{overflow:auto;height:100vh;padding:.75rem 1rem}
nav{border-right:1px solid #ccc;background:#fafafa}
aside{border-left:1px solid #ccc;background:#fafafa;font-size:13px}
h2{font-size:14px;margin:.8rem 0 .3rem}
.src,.meta{color:#555;font-size:12px;margin:.2rem 0}
.rno{display:inline-block;min-width:1.4em;text-align:center;background:#333;color:#fff;border-radius:3px}
nav ul{list-style:none;margin:0;padding-left:1rem}
nav>section>ul{padding-left:0}
nav summary{cursor:pointer}
nav li>a,nav summary>a{display:inline;color:#0645ad;text-decoration:none}
nav a:focus,nav a:hover{text-decoration:underline;outline:2px solid #f59e0b}
.marker{color:#555;margin-right:.25em}
#text{white-space:pre-wrap;word-break:break-word;max-width:48rem;margin:0 auto;font-size:17px;line-height:2}
.report{display:block;border-top:3px double #999;padding-top:.5rem;margin-top:.5rem}
.title{font-weight:700;font-size:1.15em}
.h{font-weight:700;background:#f3f4f6;box-shadow:inset 3px 0 #374151;padding-left:3px}
.h[data-level="2"]{box-shadow:inset 2px 0 #6b7280}
.h[data-level="3"],.h[data-level="4"],.h[data-level="5"]{box-shadow:inset 1px 0 #9ca3af}
:target{outline:3px solid #f59e0b;outline-offset:1px}
mark.ent{background:var(--bg);border-bottom:2px solid var(--bd);color:inherit;padding:0 1px;border-radius:2px}
mark.ent mark.ent{padding-bottom:2px;border-bottom-style:double;border-bottom-width:3px}
mark.ent:focus{outline:2px solid #111}
.join{background:#fde68a}
.join::before{content:"↵";color:#b45309;font-size:.7em}
.diag{text-decoration:underline wavy #d97706;text-underline-offset:4px}
.diag.sev-info{text-decoration-color:#9ca3af}
.diag.sev-error{text-decoration-color:#dc2626}
.displaced{display:inline;background:repeating-linear-gradient(135deg,#fff7ed 0 6px,#ffedd5 6px 12px);outline:1px dashed #c2410c}
a.readback{text-decoration:none}
a.readback::before{content:"⤷ " attr(data-label);font-size:12px;color:#c2410c;border:1px solid #c2410c;border-radius:3px;padding:0 4px;margin-right:4px;white-space:normal}
.page{color:#9ca3af}
.legend{list-style:none;padding:0;margin:0}
.legend label{cursor:pointer}
.sw{display:inline-block;width:1em;height:1em;vertical-align:-2px;margin-right:4px;background:var(--bg);border:2px solid var(--bd)}
.n{color:#555}
ol{padding-left:1.4rem}
.diags li,.checks li{margin:.3rem 0}
.code{font-family:monospace;font-weight:600}
.sev-warning .code{color:#b45309}.sev-error .code{color:#b91c1c}.sev-info .code{color:#555}
.state{font-weight:700;padding:0 3px;border-radius:2px}
.holds .state{color:#166534;background:#dcfce7}.fails .state{color:#991b1b;background:#fee2e2}
#tip{position:fixed;z-index:10;max-width:24rem;background:#111;color:#fff;font-size:12px;padding:.4rem .6rem;border-radius:4px;pointer-events:none}
#tip dl{display:grid;grid-template-columns:auto 1fr;gap:0 .6rem;margin:0}
#tip dt{color:#bbb}#tip dd{margin:0}
"""
    + "".join(
        f".t-{t},mark.ent[data-type={t}]{{--bg:{bg};--bd:{bd}}}"
        f"body.hide-{t} mark.ent[data-type={t}]{{background:none;border-bottom-color:transparent}}"
        for t, (bg, bd) in _COLORS.items()
    )
    + """
mark.ent[data-type=date],mark.ent[data-type=period]{border-bottom-style:dashed}
mark.ent[data-type=organization],mark.ent[data-type=studio]{border-bottom-style:dotted}
@media print{
body{display:block;font-size:11pt}
nav,#tip,.legend input{display:none}
main,aside{height:auto;overflow:visible}
#text{max-width:none}
*{print-color-adjust:exact;-webkit-print-color-adjust:exact}
mark.ent{border-bottom-width:2px}
}
"""
)

_JS = r"""
(function(){
"use strict";
var data=JSON.parse(document.getElementById("zhdoc-data").textContent);
var tip=document.getElementById("tip"),cur=null;
// legend toggles: hide one entity type's highlights (the text stays)
document.querySelectorAll("input[data-toggle]").forEach(function(box){
  box.addEventListener("change",function(){
    document.body.classList.toggle("hide-"+box.dataset.toggle,!box.checked);
  });
});
function show(el){
  var key=el.dataset.entity,f=data.entities[key]||{};
  tip.textContent="";
  var head=document.createElement("div");
  head.textContent=el.dataset.type+" ["+el.dataset.start+":"+el.dataset.end+"] #"+key;
  tip.appendChild(head);
  var dl=document.createElement("dl");
  Object.keys(f).forEach(function(k){
    var dt=document.createElement("dt"),dd=document.createElement("dd");
    dt.textContent=k;
    var v=f[k];dd.textContent=(typeof v==="object")?JSON.stringify(v):String(v);
    dl.appendChild(dt);dl.appendChild(dd);
  });
  tip.appendChild(dl);
  tip.hidden=false;
  cur=el;
  place();
  el.setAttribute("aria-describedby","tip");
}
// below the entity, or above it when there is no room; kept beside it while the text scrolls
// (focusing an entity scrolls it into view, which must not hide the fields it just showed)
function place(){
  if(!cur){return;}
  var r=cur.getBoundingClientRect();
  var top=r.bottom+6;
  if(top+tip.offsetHeight>window.innerHeight){top=Math.max(0,r.top-tip.offsetHeight-6);}
  tip.style.top=top+"px";
  tip.style.left=Math.max(0,Math.min(r.left,window.innerWidth-tip.offsetWidth-4))+"px";
}
function hide(el){tip.hidden=true;cur=null;if(el){el.removeAttribute("aria-describedby");}}
var text=document.getElementById("text");
function ent(t){return t&&t.closest?t.closest("mark.ent"):null;}
text.addEventListener("mouseover",function(e){var el=ent(e.target);if(el){show(el);}});
text.addEventListener("mouseout",function(e){var el=ent(e.target);if(el){hide(el);}});
text.addEventListener("focusin",function(e){var el=ent(e.target);if(el){show(el);}});
text.addEventListener("focusout",function(e){hide(ent(e.target));});
document.getElementById("main").addEventListener("scroll",place);
// outline keyboard: Up/Down move between visible entries, Left closes / goes to the parent,
// Right opens; Enter follows the link (native)
var nav=document.getElementById("outline");
function links(){return Array.prototype.filter.call(nav.querySelectorAll("a"),function(a){return a.offsetParent!==null;});}
nav.addEventListener("keydown",function(e){
  var a=e.target.closest("a");if(!a){return;}
  var all=links(),i=all.indexOf(a),det=a.parentElement.tagName==="SUMMARY"?a.parentElement.parentElement:null;
  if(e.key==="ArrowDown"&&i+1<all.length){all[i+1].focus();}
  else if(e.key==="ArrowUp"&&i>0){all[i-1].focus();}
  else if(e.key==="ArrowRight"&&det){det.open=true;}
  else if(e.key==="ArrowLeft"){
    if(det&&det.open){det.open=false;}
    else{var p=a.closest("ul");p=p&&p.closest("details");if(p){p.querySelector("summary>a").focus();}else{return;}}
  }else{return;}
  e.preventDefault();
});
})();
"""
