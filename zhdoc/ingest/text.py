"""Plain text: detect the encoding of the bytes and decode them.

Chinese archives mix UTF-8 (with and without BOM), GB18030/GBK/GB2312, Big5 and UTF-16.
GB18030 and Big5 both accept most byte sequences of the other, so a strict decode is
not proof; we decode with each candidate and keep the one whose characters are the most
common hanzi (GB2312 level 1 ∪ Big5 frequent set). charset-normalizer is the fallback
for anything else.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

from zhdoc.errors import DecodeError, UnsupportedFormatError

#: Share of replaced (undecodable) bytes we tolerate in an otherwise clean decode.
#: Real archives carry the odd corrupt byte; refusing the whole report for it helps nobody.
MAX_REPLACED_RATIO = 0.001

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls that never appear in real text (everything below space except \t \n \v \f \r).
_BINARY_CONTROLS = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """GB2312 level-1 hanzi (3,755 most common simplified) ∪ Big5 frequent hanzi (5,401 traditional).

    Built from the codecs themselves, so no table ships with the package.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def _score(text: str) -> float:
    """Share of non-ASCII letters that are common hanzi or common CJK punctuation."""
    common = _common_hanzi()
    sample = text[:200_000]  # enough to decide; keeps detection O(1) in file size
    total = hits = 0
    for ch in sample:
        if ch < "\x80" or ch.isspace():
            continue
        total += 1
        if ch in common or ch in "，。、；：？！“”‘’（）《》——…·　【】":
            hits += 1
    return hits / total if total else 1.0


def _decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode with U+FFFD replacement and return the text and how many bytes were replaced."""
    replaced = 0

    def handler(exc: UnicodeError) -> tuple[str, int]:
        nonlocal replaced
        assert isinstance(exc, UnicodeDecodeError)
        replaced += exc.end - exc.start
        return "\ufffd", exc.end

    name = f"zhdoc-count-{id(handler)}"
    codecs.register_error(name, handler)
    text = data.decode(encoding, errors=name)
    return text, replaced


def _tolerated(size: int) -> float:
    """How many replaced bytes a file of ``size`` bytes may have (one bad character costs up to 4)."""
    return max(8, size * MAX_REPLACED_RATIO)


def _truncated_tail_ok(data: bytes, encoding: str) -> str | None:
    """Decode strictly, forgiving a multi-byte character cut off at the very end (a truncated file)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) - 1 and len(data) - exc.start <= 3:
            try:
                return data[: exc.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None


def _try_utf16(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16: only tried when NUL bytes are present (ASCII and many hanzi carry one).

    Both byte orders are decoded strictly; the right one yields common hanzi, the wrong one
    noise, so the score decides (and binary data, which scores low either way, is refused).
    """
    if len(data) < 4 or len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if score >= 0.6 and (best is None or score > best[0]):
            best = (score, enc, text)
    return (best[2], best[1]) if best else None


def _check_text(text: str, name: str) -> None:
    """Refuse decoded 'text' that is really binary data (control characters everywhere)."""
    sample = text[:65536]
    if not sample:
        return
    bad = sum(1 for ch in sample if ord(ch) in _BINARY_CONTROLS)
    if bad > max(8, len(sample) // 100):
        raise UnsupportedFormatError(
            f"{name}: looks like binary data, not text ({bad} control characters in the first "
            f"{len(sample):,}); zhdoc reads plain text, HTML, .docx and PDF"
        )


def decode_bytes(data: bytes, name: str = "<bytes>", *, declared: str | None = None) -> tuple[str, str, int]:
    """Decode ``data`` to text. Returns ``(text, encoding, replaced_bytes)``.

    ``declared`` is an encoding the container states (an HTML ``<meta charset>``); it is
    tried first but still has to decode cleanly. Raises :class:`UnsupportedFormatError`
    for binary data and :class:`DecodeError` when no encoding fits.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text, replaced = _decode_counting(body, enc)
            if replaced > _tolerated(len(body)):
                raise DecodeError(
                    f"{name}: starts with a {enc} byte-order mark but {replaced:,} bytes are not valid {enc}; "
                    "the file is corrupt or mislabelled"
                )
            _check_text(text, name)
            return text, enc if enc != "utf-8" else "utf-8-sig", replaced

    nul = data.count(0)
    if nul:
        utf16 = _try_utf16(data)
        if utf16 is not None:
            _check_text(utf16[0], name)
            return utf16[0], utf16[1], 0
        raise UnsupportedFormatError(
            f"{name}: binary data ({nul:,} NUL bytes), not text; zhdoc reads plain text "
            "(UTF-8, GB18030/GBK, Big5, UTF-16), HTML, .docx and PDF"
        )

    if declared:
        enc = _normalize_declared(declared)
        if enc is not None:
            text = _truncated_tail_ok(data, enc)
            if text is not None:
                _check_text(text, name)
                return text, enc, 0

    text = _truncated_tail_ok(data, "utf-8")
    if text is not None:
        _check_text(text, name)
        return text, "utf-8", 0

    # Strict candidates first: a clean decode with common hanzi wins.
    candidates: list[tuple[float, int, str, str]] = []
    for rank, enc in enumerate(("gb18030", "big5", "cp950", "big5hkscs")):
        text = _truncated_tail_ok(data, enc)
        if text is not None:
            candidates.append((_score(text), -rank, enc, text))
    if candidates:
        score, _, enc, text = max(candidates)
        if score >= 0.6:
            _check_text(text, name)
            return text, enc, 0

    # A few corrupt bytes in an otherwise clean file: replace them rather than refuse the report.
    lossy: list[tuple[float, int, str, str, int]] = []
    for rank, enc in enumerate(("utf-8", "gb18030", "big5", "cp950")):
        text, replaced = _decode_counting(data, enc)
        if replaced <= _tolerated(len(data)):
            lossy.append((_score(text), -rank, enc, text, replaced))
    if lossy:
        score, _, enc, text, replaced = max(lossy)
        if score >= 0.6:
            _check_text(text, name)
            return text, enc, replaced

    if candidates:  # clean decodes exist but look odd (rare hanzi): still better than charset-normalizer
        score, _, enc, text = max(candidates)
        if score >= 0.3:
            _check_text(text, name)
            return text, enc, 0

    return _fallback(data, name)


def _fallback(data: bytes, name: str) -> tuple[str, str, int]:
    """charset-normalizer for encodings outside the Chinese family (Shift-JIS, cp1252, …)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None or best.encoding is None or best.chaos > 0.3:
        raise DecodeError(
            f"{name}: cannot decode the bytes as UTF-8, GB18030/GBK, Big5, UTF-16 or any other "
            "encoding with confidence; convert it to UTF-8 first (e.g. iconv -f GB18030 -t UTF-8)"
        )
    enc = codecs.lookup(best.encoding).name
    text, replaced = _decode_counting(data, enc)
    if replaced > _tolerated(len(data)):
        raise DecodeError(
            f"{name}: detected {enc} but {replaced:,} bytes do not decode; convert it to UTF-8 first"
        )
    _check_text(text, name)
    return text, enc, replaced


def _normalize_declared(declared: str) -> str | None:
    """Map a declared charset to the codec we decode with (GB2312/GBK → their superset GB18030)."""
    try:
        name = codecs.lookup(declared.strip().strip("\"'")).name
    except LookupError:
        return None
    if name in {"gb2312", "gbk", "gb18030", "hz"}:
        return "gb18030"
    if name in {"big5", "cp950"}:
        return "cp950"  # the Windows superset that real Big5 files use
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return None  # a meta tag in UTF-16 text is a lie (the tag would have been unreadable)
    return name
