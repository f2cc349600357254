"""HTML pages as government sites publish them: keep the report, drop the page around it.

The main block is found by text density (a small Readability): every run of text scores
by its length and Chinese punctuation, credited to its block and, halved, to the block's
ancestors; link-heavy blocks (menus, "related articles") are discounted. Navigation,
scripts, styles and page headers/footers are removed first. The result is one paragraph
per block separated by blank lines, so the structure stage sees the paragraphs the page
showed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from zhdoc.ingest.text import decode_bytes

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "object",
    "embed",
    "nav",
    "aside",
    "input",
    "select",
    "button",
    "textarea",
    "head",
)
_DROP_ROLES = (
    '[role="navigation"], [role="banner"], [role="contentinfo"], [role="search"], [aria-hidden="true"]'
)

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table thead tbody tfoot tr td th caption section article main "
    "blockquote pre figure figcaption address header footer form fieldset center hr body html details summary".split()
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_WS = re.compile(r"[ \t\r\n\f]+")
# Whitespace holding a source line break between two CJK characters renders as nothing in
# Chinese typesetting; keeping it would put stray spaces inside words.
_CJK_BREAK = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\r\f]*\n[ \t\r\n\f]*(?=[\u3000-\u9fff\uff00-\uffef])"
)
_PUNCT = re.compile(r"[，。、；：！？,.;]")
_TITLE_HINT = re.compile(r"title|biaoti|bt\b|headline", re.IGNORECASE)


def sniff_charset(data: bytes) -> str | None:
    """The charset a page declares in its first few KB (``<meta charset>`` or http-equiv)."""
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii") if m else None


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:8192].lower()) or (
        head.startswith(b"<") and (b"<body" in data[:65536].lower() or b"<p" in data[:4096].lower())
    )


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """Decode page bytes, trusting a declared charset only when it decodes cleanly."""
    text, encoding, _ = decode_bytes(data, name, declared=sniff_charset(data))
    return text, encoding


#: Elements nested deeper than this are read as siblings of the last one kept (Blink's HTML
#: parser does the same at 512). The HTML tree-construction algorithm looks through the stack
#: of open elements at every start tag, so a page nested n deep costs n² there: 32 000 nested
#: <div>s took 2 s to parse, 64 000 eight (issue 18).
MAX_NESTING = 512
#: Elements that need no end tag (void) or that the next sibling closes: they do not deepen the
#: tree in the count below (an unclosed <p> run is not nesting).
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th thead tbody tfoot option optgroup rp rt colgroup caption".split()
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>")


def _nesting_tags(markup: str) -> Iterator[tuple[re.Match[str], str]]:
    """Start and end tags that open or close an element (not void or self-closing), with the
    lower-cased name."""
    for m in _TAG.finditer(markup):
        name = m.group(2).lower()
        if name not in _NOT_NESTING and not m.group(0).endswith("/>"):
            yield m, name


def flatten_deep_nesting(markup: str, limit: int = MAX_NESTING) -> str:
    """``markup`` with the start and end tags of elements nested past ``limit`` removed (their
    text stays); unchanged when no element is that deep. Depth is counted from start and end
    tags in one pass: an approximation of the parser's stack, enough to bound it."""
    if markup.count("<") <= limit:
        return markup  # too few tags to nest that deep
    depth = deepest = 0
    for m, _name in _nesting_tags(markup):
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    if deepest <= limit:
        return markup
    out: list[str] = []
    dropped: dict[str, int] = {}  # start tags removed and not yet closed, by name
    last = depth = 0
    for m, name in _nesting_tags(markup):
        if m.group(1):
            if dropped.get(name):
                dropped[name] -= 1
            else:
                depth = max(depth - 1, 0)
                continue
        elif depth < limit:
            depth += 1
            continue
        else:
            dropped[name] = dropped.get(name, 0) + 1
        out.append(markup[last:m.start()])
        last = m.end()
    out.append(markup[last:])
    return "".join(out)


def extract_main_text(markup: str) -> str:
    """The page's main text: one paragraph per block, paragraphs separated by blank lines."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(flatten_deep_nesting(markup))
    _strip_boilerplate(tree)
    body = tree.body or tree.root
    if body is None:
        return ""
    order = {node.mem_id: i for i, node in enumerate(body.traverse(include_text=False))}
    main, text_len = _main_block(body)
    paragraphs = _paragraphs(main)
    title = _title_before(body, main, order, text_len)
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs) + ("\n" if paragraphs else "")


def _strip_boilerplate(tree: LexborHTMLParser) -> None:
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in tree.css(_DROP_ROLES):
        node.decompose()
    # Page-level <header>/<footer> are site furniture; inside <article>/<main> a <header>
    # holds the report's own title, so it stays.
    for node in _page_headers_and_footers(tree):
        node.decompose()


_OUTSIDE, _IN_ARTICLE, _IN_DROPPED = 0, 1, 2


def _page_headers_and_footers(tree: LexborHTMLParser) -> list[LexborNode]:
    """The outermost <header>/<footer> elements that no <article>/<main> holds.

    What each ancestor is inside of is remembered, so every node is walked over once: an
    ancestor walk per element costs the nesting depth each time, quadratic on a deeply nested
    page (issue 18).
    """
    state: dict[int, int] = {}
    found: list[LexborNode] = []
    for node in tree.css("header, footer"):  # document order: ancestors first
        path: list[int] = []
        parent, where = node.parent, _OUTSIDE
        while parent is not None:
            key = parent.mem_id
            if key in state:
                where = state[key]
                break
            if parent.tag in ("article", "main"):
                where = state[key] = _IN_ARTICLE
                break
            path.append(key)
            parent = parent.parent
        for key in path:
            state[key] = where
        if where == _OUTSIDE:
            found.append(node)  # page furniture: dropped, with everything inside it
            state[node.mem_id] = _IN_DROPPED
        else:
            state[node.mem_id] = where
    return found


def _block_of(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag not in _BLOCK_TAGS:
        parent = parent.parent
    return parent


def _in_link(node: LexborNode) -> bool:
    parent = node.parent
    depth = 0
    while parent is not None and depth < 8:  # links are shallow; bounding the walk keeps this O(n)
        if parent.tag == "a":
            return True
        if parent.tag in _BLOCK_TAGS:
            return False
        parent = parent.parent
        depth += 1
    return False


def _main_block(body: LexborNode) -> tuple[LexborNode, dict[int, int]]:
    """The block with the highest density score, discounted by its share of link text; and
    the length of the text under each element.

    One pass in document order and one back: each element learns the text (and link text)
    under it from its children, and its nearest block from its parent. Walking every text
    node's ancestors instead cost the nesting depth per text node, quadratic on a deeply
    nested page (issue 18).
    """
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    text_len: dict[int, int] = {}
    link_len: dict[int, int] = {}
    parent_of: dict[int, int] = {}
    elements: list[int] = []  # in document order: every parent before its children
    nearest_block: dict[int, LexborNode] = {}  # an element's block: itself, or its parent's
    for node in body.traverse(include_text=True):
        parent = node.parent
        if node.tag != "-text":
            key = node.mem_id
            elements.append(key)
            if parent is not None and key != body.mem_id:  # above the body: added up below
                parent_of[key] = parent.mem_id
            if node.tag in _BLOCK_TAGS:
                nearest_block[key] = node
            elif parent is not None and parent.mem_id in nearest_block:
                nearest_block[key] = nearest_block[parent.mem_id]
            continue
        raw = node.text(deep=False) or ""
        length = len(raw.strip())
        if not length or parent is None:
            continue
        linked = _in_link(node)
        key = parent.mem_id
        text_len[key] = text_len.get(key, 0) + length
        if linked:
            link_len[key] = link_len.get(key, 0) + length
        if linked or length < 10:
            continue
        score = 1.0 + len(_PUNCT.findall(raw)) + min(length / 100, 3.0)
        block = nearest_block.get(key) if key in nearest_block else _block_of(node)
        weight = 1.0
        while block is not None and weight >= 0.125:
            nodes[block.mem_id] = block
            scores[block.mem_id] = scores.get(block.mem_id, 0.0) + score * weight
            weight /= 2
            block = block.parent
    # every element's totals go to its parent, children before parents
    for key in reversed(elements):
        up = parent_of.get(key)
        if up is None:
            continue
        if key in text_len:
            text_len[up] = text_len.get(up, 0) + text_len[key]
        if key in link_len:
            link_len[up] = link_len.get(up, 0) + link_len[key]
    # and the body's to the elements above it (html, the document root)
    above = body.parent
    while above is not None:
        if body.mem_id in text_len:
            text_len[above.mem_id] = text_len.get(above.mem_id, 0) + text_len[body.mem_id]
        if body.mem_id in link_len:
            link_len[above.mem_id] = link_len.get(above.mem_id, 0) + link_len[body.mem_id]
        above = above.parent
    if not scores:
        return body, text_len
    best_key = max(
        scores,
        key=lambda k: scores[k] * (1.0 - link_len.get(k, 0) / max(text_len.get(k, 1), 1)),
    )
    return nodes[best_key], text_len


#: An element holding more text than this is no title (a title is at most 120 characters):
#: its text is not joined, which on nested title-like elements cost their depth each.
_MAX_TITLE_SOURCE = 1000


def _title_before(body: LexborNode, main: LexborNode, order: dict[int, int], text_len: dict[int, int]) -> str | None:
    """The report's title when the page sets it apart from the text block (an <h1> above it)."""
    if any(h.text(strip=True) for h in main.css("h1, h2")):
        return None
    start = order.get(main.mem_id, 0)
    best: str | None = None
    for node in body.css("h1, h2, h3, [class], [id]"):
        pos = order.get(node.mem_id)
        if pos is None or pos >= start or text_len.get(node.mem_id, 0) > _MAX_TITLE_SOURCE:
            continue
        if node.tag not in _HEADING_TAGS:
            hint = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
            if not _TITLE_HINT.search(hint):
                continue
        text = _clean(node.text(deep=True, separator=""))
        if 4 <= len(text) <= 120 and "\n" not in text:
            best = text  # the last title-like element before the text block is the nearest
    return best


def _clean(text: str) -> str:
    text = _CJK_BREAK.sub("", text)
    text = _WS.sub(" ", text)
    return text.strip(" \u3000\xa0")


def _paragraphs(root: LexborNode) -> list[str]:
    """Walk ``root`` in document order; block boundaries and <br> end a paragraph."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            para = _clean("".join(buf))
            if para:
                out.append(para)
            buf.clear()

    # Depth-first with a stack of its own: Python recursion stopped at a page nested about
    # 1 000 deep (RecursionError, issue 18). A frame is (next child, inside <pre>, what closing
    # the element does: "" for inline, "block" flushes, "pre" emits its lines).
    stack: list[tuple[LexborNode | None, bool, str]] = [(root.child, False, "")]
    while stack:
        child, pre, closing = stack.pop()
        if child is None:
            if closing == "block":
                flush()
            elif closing == "pre":
                text = "".join(buf)
                buf.clear()
                for line in text.split("\x00"):
                    line = line.strip(" \u3000\xa0\t\r")
                    if line:
                        out.append(line)
            continue
        stack.append((child.next, pre, closing))  # this level resumes at the next sibling
        tag = child.tag
        if tag == "-text":
            value = child.text(deep=False) or ""
            buf.append(value.replace("\n", "\x00") if pre else value)
        elif tag == "br":
            flush()
        elif tag in ("-comment", "-doctype"):
            pass
        elif tag in _BLOCK_TAGS:
            flush()
            if tag == "pre":
                stack.append((child.child, True, "pre"))
            else:
                stack.append((child.child, pre, "block"))
        else:
            stack.append((child.child, pre, ""))

    flush()
    return out
