"""Word .docx: paragraphs (and table rows) in order, with automatic list numbering restored.

Many reports carry their section numbers only as Word list formatting: the text of the
paragraph is "过去一年的主要工作" and Word *draws* "一、" in front of it. We read
``word/numbering.xml`` (``numFmt`` and ``lvlText`` of each level) and count list items the
way Word does, so the extracted text shows "一、过去一年的主要工作" as the reader saw it.

Safety: a .docx is a zip of XML. Before anything parses it we check the zip's member
count, total uncompressed size and compression ratio (zip bombs), and refuse any XML part
that carries a DTD (entity expansion / external entities); the parts we parse ourselves go
through defusedxml.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from zhdoc.errors import UnsafeInputError, UnsupportedFormatError

#: Refuse a .docx whose parts would expand past this many bytes in all.
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
#: Refuse a part that expands more than this many times (only checked for parts over 1 MiB:
#: small XML parts legitimately compress 50-100×).
MAX_COMPRESSION_RATIO = 200
MAX_MEMBERS = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes, name: str) -> None:
    """Raise unless ``data`` is a sane zip holding a Word document with no DTD in any XML part."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnsupportedFormatError(f"{name}: not a valid .docx (corrupt zip: {exc})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeInputError(
                f"{name}: zip has {len(infos):,} members (limit {MAX_MEMBERS:,}); refusing"
            )
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(
                info.compress_size, 1
            ):
                raise UnsafeInputError(
                    f"{name}: {info.filename} expands {info.file_size / max(info.compress_size, 1):,.0f}× "
                    f"(limit {MAX_COMPRESSION_RATIO}×): looks like a zip bomb; refusing"
                )
        if total > MAX_UNCOMPRESSED_BYTES:
            raise UnsafeInputError(
                f"{name}: zip expands to {total:,} bytes (limit {MAX_UNCOMPRESSED_BYTES:,}); refusing"
            )
        names = {info.filename for info in infos}
        if "word/document.xml" not in names:
            hint = ""
            if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
                hint = " (it is an Excel/PowerPoint file)"
            elif "content.xml" in names:
                hint = " (it is an OpenDocument file: libreoffice --headless --convert-to docx FILE)"
            raise UnsupportedFormatError(f"{name}: a zip file but not a Word .docx document{hint}")
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                _refuse_dtd(zf, info, name)


def _refuse_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """No legitimate OOXML part has a DTD; one with a DTD is an entity-expansion or XXE attempt."""
    try:
        with zf.open(info) as fh:
            head = b""
            tail = b""
            # Stream: the declaration sits in the prolog, but scan everything in bounded memory.
            while chunk := fh.read(1 << 20):
                if not head:
                    head = chunk[:4]
                window = tail + chunk
                if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00<\x00" in head + window[:8]:
                    enc = (
                        "utf-16-be"
                        if head.startswith(b"\xfe\xff") or head.startswith(b"\x00")
                        else "utf-16-le"
                    )
                    window_text = window.decode(enc, errors="ignore").encode("utf-8")
                else:
                    window_text = window
                if b"<!DOCTYPE" in window_text or b"<!ENTITY" in window_text:
                    raise UnsafeInputError(
                        f"{name}: {info.filename} declares a DTD/entities (XML bomb or external entity); refusing"
                    )
                tail = chunk[-32:]
    except UnsafeInputError:
        raise
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise UnsupportedFormatError(f"{name}: encrypted .docx ({exc}); save an unencrypted copy") from exc
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, zlib.error, OSError) as exc:
        raise UnsupportedFormatError(f"{name}: corrupt .docx ({info.filename}: {exc})") from exc


# ---------------------------------------------------------------- numbering


_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_TRAD = "零壹貳參肆伍陸柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"


def _chinese_counting(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """Word's chineseCounting: 1→一, 10→十, 11→十一, 21→二十一, 101→一百零一."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    parts: list[str] = []
    values = ((1000, units[2]), (100, units[1]), (10, units[0]), (1, ""))
    zero_pending = False
    for value, unit in values:
        d = n // value % 10
        if d == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append(digits[0])
            zero_pending = False
        if not (value == 10 and d == 1 and not parts and digits is _CN_DIGITS):
            parts.append(digits[d])
        parts.append(unit)
    return "".join(parts)


def _letters(n: int, upper: bool) -> str:
    # Word repeats the letter: 27 → AA, 28 → BB.
    base = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if upper else "abcdefghijklmnopqrstuvwxyz"
    return base[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, sym in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _from_table(table: str, n: int) -> str:
    return table[n - 1] if 0 < n <= len(table) else str(n)


_COUNTING = frozenset(
    {
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "koreanCounting",
    }
)


def format_number(n: int, fmt: str) -> str:
    """Render ``n`` in a WordprocessingML ``numFmt`` (ECMA-376 §17.18.59)."""
    if fmt in ("decimal", "ordinal", "cardinalText", "ordinalText", "decimalHalfWidth"):
        return str(n)
    if fmt in _COUNTING:
        return _chinese_counting(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return _chinese_counting(n, _CN_LEGAL, "拾佰仟")
    if fmt == "ideographLegalTraditional":
        return _chinese_counting(n, _CN_LEGAL_TRAD, "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(c)] for c in str(n))
    if fmt == "ideographTraditional":
        return _from_table(_STEMS, n)
    if fmt == "ideographZodiac":
        return _from_table(_BRANCHES, n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _from_table(_CIRCLED, n)
    if fmt == "decimalEnclosedParen":
        return _from_table(_PAREN, n)
    if fmt == "decimalEnclosedFullstop":
        return _from_table(_FULLSTOP, n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n, True)
    if fmt == "lowerLetter":
        return _letters(n, False)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # an exotic format: the number itself still carries the structure


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # lvlText; None = no text drawn
    suffix: str = "tab"
    legal: bool = False
    restart: int | None = None  # lvlRestart; None = restart after any higher level


@dataclass
class _Num:
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, _Level] = field(default_factory=dict)


def _attr(el: Any, child: str) -> str | None:
    node = el.find(_W + child)
    return None if node is None else node.get(_W + "val")


def _parse_level(lvl: Any) -> _Level:
    start = _attr(lvl, "start")
    text_node = lvl.find(_W + "lvlText")
    legal = lvl.find(_W + "isLgl")
    restart = _attr(lvl, "lvlRestart")
    return _Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=_attr(lvl, "numFmt") or "decimal",
        text=None if text_node is None else (text_node.get(_W + "val") or ""),
        suffix=_attr(lvl, "suff") or "tab",
        legal=legal is not None and legal.get(_W + "val", "1") not in ("0", "false", "off"),
        restart=int(restart) if restart and restart.isdigit() else None,
    )


class Numbering:
    """The list definitions of one document and the running counters Word keeps while drawing it."""

    def __init__(self, numbering_xml: bytes | None, styles_xml: bytes | None) -> None:
        from defusedxml import ElementTree as DET

        self.abstract: dict[str, dict[int, _Level]] = {}
        self.abstract_style_link: dict[str, str] = {}
        self.nums: dict[str, _Num] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_based_on: dict[str, str] = {}
        self.level_by_style: dict[tuple[str, str], int] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.seen_nums: set[str] = set()
        if numbering_xml:
            root = DET.fromstring(numbering_xml, forbid_dtd=True)
            for absn in root.iter(_W + "abstractNum"):
                aid = absn.get(_W + "abstractNumId", "")
                self.abstract[aid] = {}
                for lvl in absn.iter(_W + "lvl"):
                    ilvl_no = int(lvl.get(_W + "ilvl", "0"))
                    self.abstract[aid][ilvl_no] = _parse_level(lvl)
                    pstyle = _attr(lvl, "pStyle")
                    if pstyle:
                        self.level_by_style[(aid, pstyle)] = ilvl_no
                link = _attr(absn, "numStyleLink")
                if link:
                    self.abstract_style_link[aid] = link
            for num in root.iter(_W + "num"):
                nid = num.get(_W + "numId", "")
                entry = _Num(abstract=_attr(num, "abstractNumId") or "")
                for ov in num.iter(_W + "lvlOverride"):
                    ilvl = int(ov.get(_W + "ilvl", "0"))
                    so = _attr(ov, "startOverride")
                    if so and so.lstrip("-").isdigit():
                        entry.start_overrides[ilvl] = int(so)
                    lvl = ov.find(_W + "lvl")
                    if lvl is not None:
                        entry.level_overrides[ilvl] = _parse_level(lvl)
                self.nums[nid] = entry
        if styles_xml:
            root = DET.fromstring(styles_xml, forbid_dtd=True)
            for style in root.iter(_W + "style"):
                sid = style.get(_W + "styleId", "")
                based = _attr(style, "basedOn")
                if based:
                    self.style_based_on[sid] = based
                ppr = style.find(_W + "pPr")
                numpr = None if ppr is None else ppr.find(_W + "numPr")
                if numpr is not None:
                    ilvl = _attr(numpr, "ilvl")
                    self.style_num[sid] = (
                        _attr(numpr, "numId"),
                        int(ilvl) if ilvl and ilvl.isdigit() else None,
                    )

    def _abstract_id(self, num_id: str) -> str | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        aid = num.abstract
        # numStyleLink: the abstract definition lives behind a numbering style.
        for _ in range(4):
            link = self.abstract_style_link.get(aid)
            if link is None:
                break
            linked = self.style_num.get(link, (None, None))[0]
            if linked is None or linked not in self.nums:
                break
            aid = self.nums[linked].abstract
        return aid

    def resolve(self, num_id: str | None, ilvl: int | None, style_id: str | None) -> tuple[str, int] | None:
        """(numId, level) for a paragraph, falling back to its style's numbering."""
        if num_id is None and style_id:
            sid: str | None = style_id
            for _ in range(16):  # basedOn chains are short; bound them against cycles
                if sid is None:
                    break
                if sid in self.style_num:
                    num_id, style_ilvl = self.style_num[sid]
                    if ilvl is None:
                        ilvl = style_ilvl
                    break
                sid = self.style_based_on.get(sid)
            if num_id is not None and ilvl is None:
                # A level may name the style that uses it (w:lvl/w:pStyle); otherwise level 0.
                aid = self._abstract_id(num_id)
                ilvl = self.level_by_style.get((aid or "", style_id), 0)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        return num_id, ilvl or 0

    def _level(self, num_id: str, ilvl: int) -> _Level | None:
        num = self.nums[num_id]
        if ilvl in num.level_overrides:
            return num.level_overrides[ilvl]
        aid = self._abstract_id(num_id)
        return None if aid is None else self.abstract.get(aid, {}).get(ilvl)

    def marker(self, num_id: str, ilvl: int) -> str:
        """Advance the counters for one list item and return the marker Word draws for it."""
        aid = self._abstract_id(num_id) or num_id
        num = self.nums[num_id]
        counters = self.counters.setdefault(aid, [None] * 10)
        if num_id not in self.seen_nums:
            self.seen_nums.add(num_id)
            # A "restart numbering" list instance: its start overrides apply from its first item.
            for lvl_no, start in num.start_overrides.items():
                if 0 <= lvl_no < 10:
                    counters[lvl_no] = start - 1
                    for deeper in range(lvl_no + 1, 10):
                        counters[deeper] = None
        level = self._level(num_id, ilvl)
        if level is None or not 0 <= ilvl < 10:
            return ""
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            deeper_level = self._level(num_id, deeper)
            if deeper_level is not None and deeper_level.restart == 0:
                continue  # lvlRestart 0: this level never restarts
            counters[deeper] = None
        if level.fmt == "bullet" or level.text is None:
            return ""  # bullets are decoration, not numbering
        out: list[str] = []
        text = level.text
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1].isdigit():
                ref = int(text[i + 1]) - 1
                ref_level = self._level(num_id, ref)
                value = counters[ref] if 0 <= ref < 10 else None
                if value is None:
                    value = ref_level.start if ref_level else 1
                fmt = ref_level.fmt if ref_level else "decimal"
                if level.legal:
                    fmt = "decimal"  # isLgl: legal style shows every level in arabic digits
                out.append(format_number(value, fmt))
                i += 2
            else:
                out.append(ch)
                i += 1
        marker = "".join(out)
        if not marker:
            return ""
        # Word's suffix: a tab or space after the marker. Chinese markers end in 、 or ）
        # and are written flush with the text; others keep a space.
        if level.suffix != "nothing" and not marker.endswith(("、", "）", "．", "：", "　")):
            marker += " "
        return marker


# ---------------------------------------------------------------- text


def _paragraph_text(p_el: Any, numbering: Numbering) -> str:
    from docx.oxml.text.paragraph import CT_P

    assert isinstance(p_el, CT_P)
    ppr = p_el.find(_W + "pPr")
    num_id = ilvl = style_id = None
    if ppr is not None:
        style_id = _attr(ppr, "pStyle")
        numpr = ppr.find(_W + "numPr")
        if numpr is not None:
            num_id = _attr(numpr, "numId")
            lvl = _attr(numpr, "ilvl")
            ilvl = int(lvl) if lvl and lvl.isdigit() else None
    text = p_el.text
    resolved = numbering.resolve(num_id, ilvl, style_id)
    if resolved is None:
        return text
    marker = numbering.marker(*resolved)
    if marker and text.strip():
        return marker + text.lstrip()
    return text


def _iter_blocks(parent: Any, numbering: Numbering) -> Iterator[str]:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            yield _paragraph_text(child, numbering)
        elif tag == _W + "tbl":
            yield from _table(child, numbering)
        elif tag == _W + "sdt":  # content controls wrap ordinary paragraphs
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _iter_blocks(content, numbering)


def _table(tbl: Any, numbering: Numbering) -> Iterator[str]:
    """A layout table (one cell per row) yields its paragraphs; a data table one line per row."""
    for tr in tbl.iterchildren(_W + "tr"):
        cells = list(tr.iterchildren(_W + "tc"))
        if len(cells) == 1:
            yield from _iter_blocks(cells[0], numbering)
            continue
        values = []
        for tc in cells:
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if vmerge is not None and vmerge.get(_W + "val") in (None, "continue"):
                values.append("")  # the continuation of a vertically merged cell repeats nothing
                continue
            values.append(" ".join(t.strip() for t in _iter_blocks(tc, numbering) if t.strip()))
        if any(values):
            yield "\t".join(values)


def load_docx(data: bytes, name: str) -> str:
    """Extract the text of a .docx as the reader sees it, paragraphs separated by blank lines."""
    check_zip(data, name)
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise UnsupportedFormatError(
            f"{name}: reading .docx needs python-docx (pip install python-docx)"
        ) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError as exc:
        raise UnsupportedFormatError(f"{name}: corrupt .docx ({exc})") from exc
    except Exception as exc:
        # A damaged package makes python-docx raise whatever its parts trip on (KeyError for a
        # missing relationship target, lxml's XMLSyntaxError, zlib.error, ValueError, …).
        raise UnsupportedFormatError(f"{name}: corrupt .docx ({type(exc).__name__}: {exc})") from exc

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = set(zf.namelist())
        numbering_xml = zf.read("word/numbering.xml") if "word/numbering.xml" in members else None
        styles_xml = zf.read("word/styles.xml") if "word/styles.xml" in members else None
    from defusedxml import DefusedXmlException

    try:
        numbering = Numbering(numbering_xml, styles_xml)
    except DefusedXmlException as exc:
        raise UnsafeInputError(f"{name}: numbering/styles XML declares entities or a DTD; refusing") from exc
    except Exception as exc:  # ParseError, a non-numeric level, …: the list definitions are damaged
        raise UnsupportedFormatError(
            f"{name}: corrupt .docx numbering/styles ({type(exc).__name__}: {exc})"
        ) from exc

    paragraphs = [p.strip() for p in _iter_blocks(document.element.body, numbering)]
    paragraphs = [p for p in paragraphs if p]
    return "\n\n".join(paragraphs) + ("\n" if paragraphs else "")
