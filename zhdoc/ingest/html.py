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


def extract_main_text(markup: str) -> str:
    """The page's main text: one paragraph per block, paragraphs separated by blank lines."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    _strip_boilerplate(tree)
    body = tree.body or tree.root
    if body is None:
        return ""
    order = {node.mem_id: i for i, node in enumerate(body.traverse(include_text=False))}
    main = _main_block(body)
    paragraphs = _paragraphs(main)
    title = _title_before(body, main, order)
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
    for tag in ("header", "footer"):
        for node in tree.css(tag):
            if not _has_ancestor(node, ("article", "main")):
                node.decompose()


def _has_ancestor(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


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


def _main_block(body: LexborNode) -> LexborNode:
    """The block with the highest density score, discounted by its share of link text."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    text_len: dict[int, int] = {}
    link_len: dict[int, int] = {}
    for node in body.traverse(include_text=True):
        if node.tag != "-text":
            continue
        raw = node.text(deep=False) or ""
        length = len(raw.strip())
        if not length:
            continue
        linked = _in_link(node)
        # Every ancestor learns how much text (and link text) it holds, for link density.
        ancestor = node.parent
        while ancestor is not None:
            key = ancestor.mem_id
            text_len[key] = text_len.get(key, 0) + length
            if linked:
                link_len[key] = link_len.get(key, 0) + length
            ancestor = ancestor.parent
        if linked or length < 10:
            continue
        score = 1.0 + len(_PUNCT.findall(raw)) + min(length / 100, 3.0)
        block = _block_of(node)
        weight = 1.0
        while block is not None and weight >= 0.125:
            nodes[block.mem_id] = block
            scores[block.mem_id] = scores.get(block.mem_id, 0.0) + score * weight
            weight /= 2
            block = block.parent
    if not scores:
        return body
    best_key = max(
        scores,
        key=lambda k: scores[k] * (1.0 - link_len.get(k, 0) / max(text_len.get(k, 1), 1)),
    )
    return nodes[best_key]


def _title_before(body: LexborNode, main: LexborNode, order: dict[int, int]) -> str | None:
    """The report's title when the page sets it apart from the text block (an <h1> above it)."""
    if any(h.text(strip=True) for h in main.css("h1, h2")):
        return None
    start = order.get(main.mem_id, 0)
    best: str | None = None
    for node in body.css("h1, h2, h3, [class], [id]"):
        pos = order.get(node.mem_id)
        if pos is None or pos >= start:
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

    def walk(node: LexborNode, pre: bool) -> None:
        child = node.child
        while child is not None:
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
                    walk(child, True)
                    text = "".join(buf)
                    buf.clear()
                    for line in text.split("\x00"):
                        line = line.strip(" \u3000\xa0\t\r")
                        if line:
                            out.append(line)
                else:
                    walk(child, pre)
                    flush()
            else:
                walk(child, pre)
            child = child.next

    walk(root, False)
    flush()
    return out
