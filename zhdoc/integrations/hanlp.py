"""Optional HanLP backend: persons, organizations and places that the rules do not know.

Install with ``pip install 'zhdoc[hanlp]'``. Nothing here touches the network unless the
caller passes ``allow_download=True``: a model is either a local directory (one written by
``component.save(dir)`` or ``bench/train_ner.py``) or a HanLP identifier
(``MSRA_NER_ELECTRA_SMALL_ZH``, a URL) whose files are already in the HanLP cache
(``$HANLP_HOME``, default ``~/.hanlp``).

HanLP's pretrained Chinese models are licensed for research and teaching only; zhdoc ships
none of them and never fetches one on its own.

How it runs: one HanLP call per batch of paragraphs (repaired paragraph text, folded one
character for one like the rule matchers see it, one token per character by default); token
offsets are mapped to character offsets in the paragraph and from there to offsets into
``Document.text``: through the paragraph block's own offset map in a parse
(:meth:`HanlpNER.entity_data_for_paragraphs`), or, on a Document parsed before, by aligning
the paragraph's text with its input ranges again (:func:`align`). :func:`merge` keeps every
rule entity and adds the model's non-overlapping ones with ``source="hanlp"``.
"""

from __future__ import annotations

import contextlib
import os
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhdoc.errors import ModelNotFoundError, ZhdocError
from zhdoc.normalize import Block
from zhdoc.schema import ENTITY_TYPE_BY_NAME, Paragraph, Report, Section

__all__ = [
    "TAG_MAP",
    "HanlpNER",
    "NerSpan",
    "entity_data",
    "iter_paragraphs",
    "map_tag",
    "merge",
    "resolve_model",
]

#: HanLP tag → zhdoc entity type. MSRA (PERSON/ORGANIZATION/LOCATION and the short NR/NT/NS
#: forms), PKU/863 POS-style (nr/nt/ns and their subtypes nrf, nsf …), OntoNotes
#: (PERSON/ORG/GPE/LOC), CoNLL-style PER/ORG/LOC. Everything else (DATE, MONEY, NORP …) is dropped.
TAG_MAP: dict[str, str] = {
    "PERSON": "person", "PER": "person", "NR": "person", "PERSON_NAME": "person",
    "ORGANIZATION": "organization", "ORG": "organization", "NT": "organization",
    "LOCATION": "location", "LOC": "location", "GPE": "location", "NS": "location",
}

_WS_TOKEN = "<ws>"


def map_tag(tag: str) -> str | None:
    """zhdoc type for a HanLP tag, or None for tags zhdoc does not model."""
    t = tag.strip()
    if t in TAG_MAP:
        return TAG_MAP[t]
    up = t.upper()
    if up in TAG_MAP:
        return TAG_MAP[up]
    low = t.lower()  # PKU fine tags: nrf/nrj (names), nsf (places)
    if low.startswith("nr"):
        return "person"
    if low.startswith("ns"):
        return "location"
    if low.startswith("nt"):
        return "organization"
    return None


# ---------------------------------------------------------------- model resolution


def _hanlp_home() -> Path:
    """The HanLP cache, read at call time (HanLP itself reads it once at import)."""
    home = os.environ.get("HANLP_HOME")
    if home:
        return Path(home).expanduser()
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", "~")).expanduser() / "hanlp"
    return Path("~/.hanlp").expanduser()


def _is_model_dir(path: Path) -> bool:
    return path.is_dir() and ((path / "config.json").is_file() or (path / "meta.json").is_file())


def _cache_path(url: str, home: Path) -> Path:
    """Where HanLP keeps the unpacked resource for ``url`` (mirrors hanlp.utils.io_util.path_from_url)."""
    from hanlp.utils.io_util import path_from_url, split_if_compressed
    from hanlp_common.constant import HANLP_URL

    anchor = None
    if "#" in url:
        url, anchor = url.split("#", 1)
    real, _ = split_if_compressed(path_from_url(url, str(home), HANLP_URL, True))
    path = Path(real)
    if anchor:
        parts = anchor.lstrip("/").split("/")
        path = path.parent / parts[0] / "/".join(parts[1:]) if anchor.startswith("/") else path / anchor
    return path


def resolve_model(model: str | os.PathLike[str], allow_download: bool = False) -> str:
    """A local directory HanLP can load ``model`` from, or a URL/identifier when downloading is allowed.

    Raises :class:`~zhdoc.errors.ModelNotFoundError` naming every place it looked.
    """
    if model is None or str(model).strip() == "":
        raise ModelNotFoundError(
            "--ner hanlp needs a model: a local HanLP model directory or a HanLP identifier "
            "already in the HanLP cache (e.g. --ner hanlp:/path/to/model); train one with `make train-ner`"
        )
    name = str(model)
    path = Path(name).expanduser()
    if _is_model_dir(path):
        return str(path.resolve())
    if path.exists() and not _is_model_dir(path):
        raise ModelNotFoundError(
            f"{path} exists but is not a HanLP model directory (no config.json or meta.json in it)"
        )
    home = _hanlp_home()
    try:
        import hanlp.pretrained as pretrained
    except ImportError as e:  # pragma: no cover - guarded by ensure_hanlp()
        raise _missing_hanlp() from e
    url = pretrained.ALL.get(name, name)
    looked = [str(path.resolve())]
    if url.startswith(("http://", "https://")):
        cached = _cache_path(url, home)
        looked.append(str(cached))
        if _is_model_dir(cached):
            return str(cached)
        if allow_download:
            return name
        raise ModelNotFoundError(
            f"HanLP model {name!r} is not on this machine: looked for a directory {looked[0]} and for "
            f"its cached copy {cached} (HANLP_HOME={home}). zhdoc never downloads a model on its own: "
            f"pass --allow-download (Python: allow_download=True) to let HanLP fetch {url}, or download "
            f"and unpack it into {cached.parent} yourself. HanLP's pretrained models are licensed "
            "for research and teaching only."
        )
    raise ModelNotFoundError(
        f"HanLP model {name!r} not found: it is not a local model directory ({looked[0]} does not exist) "
        f"and not a HanLP identifier or URL (HANLP_HOME={home}). Pass a directory written by "
        "`make train-ner` / component.save(dir), or an identifier from hanlp.pretrained.ner already "
        "in the HanLP cache."
    )


def _missing_hanlp() -> ZhdocError:
    return ModelNotFoundError(
        "the HanLP backend needs the optional dependencies: pip install 'zhdoc[hanlp]' "
        "(CPU torch is enough; pin torch to a CPU build to avoid a multi-GB CUDA download)"
    )


def ensure_hanlp() -> Any:
    """Import hanlp or raise the one clear error saying how to install it."""
    try:
        import hanlp
    except ImportError as e:
        raise _missing_hanlp() from e
    return hanlp


@contextlib.contextmanager
def _offline(enabled: bool) -> Iterator[None]:
    """While loading, make every fetch fail fast instead of reaching the network.

    A model directory can name further resources (a transformer, embeddings); HanLP would
    download those on first use. HanLP's downloader is replaced for the duration, and the
    Hugging Face libraries are told to stay offline.
    """
    if not enabled:
        yield
        return
    import hanlp.utils.io_util as io_util

    saved_env = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    saved_download = io_util.download

    def refuse(url: str, save_path: str | None = None, *args: Any, **kwargs: Any) -> str:
        raise ModelNotFoundError(
            f"the HanLP model needs {url}, which is not in the HanLP cache ({save_path or _hanlp_home()}); "
            "zhdoc does not download without --allow-download (Python: allow_download=True)"
        )

    io_util.download = refuse
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        yield
    finally:
        io_util.download = saved_download
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# ---------------------------------------------------------------- paragraphs and offsets


def iter_paragraphs(report: Report) -> Iterator[tuple[Paragraph, str | None]]:
    """Every paragraph of a report with the id of its innermost section (None in the preamble)."""
    for p in report.preamble:
        yield p, None

    def walk(sections: Sequence[Section]) -> Iterator[tuple[Paragraph, str | None]]:
        for s in sections:
            for p in s.paragraphs:
                yield p, s.id
            yield from walk(s.children)

    yield from walk(report.sections)


_VANISH = set(" \t\u3000\u00a0\u2002\u2003\u2009\u202f\u200b\u200c\u200d\u2060\ufeff\u00ad\r\n\u2028\u2029\x85\x0b\x0c")


def align(paragraph: Paragraph, text: str) -> list[int] | None:
    """Input offset of each character of ``paragraph.text`` (None when it cannot be aligned).

    A paragraph's text is its input ranges with layout breaks, blanks and zero-width
    characters removed, never changed otherwise; so its characters appear in order in the input.
    """
    ranges = [(s.start, s.end) for s in paragraph.parts] if paragraph.parts else [(paragraph.span.start, paragraph.span.end)]
    out: list[int] = []
    ptext = paragraph.text
    i = 0
    for a, b in ranges:
        j = a
        while i < len(ptext) and j < b:
            c = ptext[i]
            if text[j] == c:
                out.append(j)
                i += 1
            elif not (text[j] in _VANISH or text[j].isspace()):
                return None
            j += 1
    return out if i == len(ptext) else None


def _honest(text: str, offsets: list[int], start: int, end: int, ptext: str) -> bool:
    """The input range holds exactly the paragraph characters plus removed blanks (no displaced block)."""
    return _honest_range(text, offsets[start], offsets[end - 1] + 1, ptext[start:end])


def _honest_range(text: str, a: int, b: int, repaired: str) -> bool:
    """``text[a:b]`` is ``repaired`` plus removed blanks: no displaced block lies inside it."""
    return _compact(text[a:b]) == _compact(repaired)


def _tokens_to_chars(tokens: Sequence[str], text: str) -> list[tuple[int, int]] | None:
    """Character range of each token of a tokenizer's output in ``text``."""
    out: list[tuple[int, int]] = []
    pos = 0
    for tok in tokens:
        if tok == _WS_TOKEN:
            out.append((pos, pos + 1))
            pos += 1
            continue
        k = text.find(tok, pos)
        if k < 0:
            return None
        out.append((k, k + len(tok)))
        pos = k + len(tok)
    return out


@dataclass(frozen=True, slots=True)
class NerSpan:
    """One model entity in paragraph-character indices: ``[start, end)``, zhdoc type, HanLP tag."""

    start: int
    end: int
    type: str
    tag: str


# ---------------------------------------------------------------- the backend


class HanlpNER:
    """A loaded HanLP NER component, applied per paragraph in batches.

    ``model``: a local model directory or a HanLP identifier/URL already in ``$HANLP_HOME``.
    ``allow_download``: let HanLP fetch a missing model (off by default; zhdoc never downloads
    on its own). ``tokens``: ``"char"`` (one token per character, what MSRA-style character
    models and ``bench/train_ner.py`` models expect) or ``"jieba"`` (words, for word-level models).
    Multi-task HanLP pipelines that tokenize raw text themselves are called on strings.
    """

    def __init__(self, model: str | os.PathLike[str], allow_download: bool = False, *,
                 batch_size: int = 32, tokens: str = "char", fold: bool = True) -> None:
        hanlp = ensure_hanlp()
        self.model_name = str(model)
        self.batch_size = batch_size
        self.tokens = tokens
        self.fold = fold
        where = resolve_model(model, allow_download)
        with _offline(not allow_download):
            try:
                self.component = hanlp.load(where, verbose=False)
            except ZhdocError:
                raise
            except Exception as e:
                raise ModelNotFoundError(
                    f"HanLP could not load the model at {where}: {type(e).__name__}: {e}"
                ) from e
        from hanlp.components.mtl.multi_task_learning import MultiTaskLearning

        self._raw_text = isinstance(self.component, MultiTaskLearning)

    # -- tokens
    def _tokenize(self, text: str) -> list[str]:
        if self.tokens == "jieba":
            import rjieba

            return [w for w in rjieba.cut(text)]
        return [c if not c.isspace() else _WS_TOKEN for c in text]

    def predict(self, texts: Sequence[str]) -> list[list[NerSpan]]:
        """Entities of each text, in character indices of that text."""
        if self.fold:
            from zhdoc.normalize import fold

            inputs = [fold(t) for t in texts]
        else:
            inputs = list(texts)
        results: list[list[NerSpan]] = []
        for k in range(0, len(inputs), self.batch_size):
            chunk = inputs[k:k + self.batch_size]
            results.extend(self._predict_batch(chunk))
        return results

    def _predict_batch(self, texts: list[str]) -> list[list[NerSpan]]:
        nonempty = [i for i, t in enumerate(texts) if t.strip()]
        out: list[list[NerSpan]] = [[] for _ in texts]
        if not nonempty:
            return out
        if self._raw_text:
            docs = self.component([texts[i] for i in nonempty])
            for i, doc in zip(nonempty, _as_list(docs), strict=True):
                out[i] = _from_mtl(doc, texts[i])
            return out
        token_lists = [self._tokenize(texts[i]) for i in nonempty]
        preds = self.component(token_lists)
        if token_lists and len(token_lists) == 1 and preds and not isinstance(preds[0], list):
            preds = [preds]
        for i, toks, ents in zip(nonempty, token_lists, preds, strict=True):
            out[i] = _from_spans(ents, toks, texts[i])
        return out

    # -- documents
    def entity_data_for_paragraphs(self, paragraphs: Iterable[tuple[Block, str | None]],
                                   text: str) -> list[dict[str, Any]]:
        """Entities (plain data, ``source="hanlp"``) of paragraph blocks with their section ids,
        mapped to input offsets by each block's offset map."""
        items = [(block, sec) for block, sec in paragraphs if block.text.strip()]
        spans = self.predict([block.text for block, _ in items])
        found: list[dict[str, Any]] = []
        for (block, sec), ents in zip(items, spans, strict=True):
            for e in ents:
                if not 0 <= e.start < e.end <= len(block.text):
                    continue
                start, end = block.input_span(e.start, e.end)
                if not _honest_range(text, start, end, block.text[e.start:e.end]):
                    continue
                found.append(entity_data(e.type, text, start, end, sec))
        return found

    def entities_for_report(self, report: Report, text: str) -> list[Any]:
        """zhdoc entity models (``source="hanlp"``) for every paragraph of ``report``."""
        items = [(p, sec, align(p, text)) for p, sec in iter_paragraphs(report)]
        items = [(p, sec, off) for p, sec, off in items if off is not None and p.text.strip()]
        spans = self.predict([p.text for p, _, _ in items])
        found: list[Any] = []
        for (p, sec, off), ents in zip(items, spans, strict=True):
            for e in ents:
                if not (0 <= e.start < e.end <= len(p.text)) or not _honest(text, off, e.start, e.end, p.text):
                    continue
                start, end = off[e.start], off[e.end - 1] + 1
                found.append(make_entity(e.type, text, start, end, sec))
        return found


def _as_list(docs: Any) -> list[Any]:
    return docs if isinstance(docs, list) else [docs]


def _from_spans(ents: Iterable[Any], toks: list[str], text: str) -> list[NerSpan]:
    chars = _tokens_to_chars(toks, text)
    if chars is None:
        return []
    out = []
    for ent in ents or []:
        # (text, tag, begin_token, end_token) for HanLP's NER components
        _, tag, b, e = ent[:4]
        zt = map_tag(str(tag))
        if zt is None or not (0 <= b < e <= len(chars)):
            continue
        out.append(NerSpan(chars[b][0], chars[e - 1][1], zt, str(tag)))
    return _trim(out, text)


def _from_mtl(doc: Any, text: str) -> list[NerSpan]:
    """Entities of a multi-task HanLP Document ({'tok/fine': [...], 'ner/msra': [...]})."""
    keys = list(doc.keys())
    tok_key = next((k for k in keys if k.startswith("tok")), None)
    ner_keys = [k for k in keys if k.startswith("ner")]
    if tok_key is None or not ner_keys:
        return []
    chars = _tokens_to_chars(list(doc[tok_key]), text)
    if chars is None:
        return []
    out = []
    for ent in doc[ner_keys[0]]:
        _, tag, b, e = ent[:4]
        zt = map_tag(str(tag))
        if zt is not None and 0 <= b < e <= len(chars):
            out.append(NerSpan(chars[b][0], chars[e - 1][1], zt, str(tag)))
    return _trim(out, text)


def _trim(spans: list[NerSpan], text: str) -> list[NerSpan]:
    """Drop surrounding blanks so a span starts and ends on a visible character."""
    out = []
    for s in spans:
        a, b = s.start, s.end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append(NerSpan(a, b, s.type, s.tag))
    return out


def _compact(s: str) -> str:
    return "".join(c for c in s if not (c in _VANISH or c.isspace()))


#: The typed field each NER type fills from the surface (blanks removed); any other type is a location.
_SURFACE_FIELD = {"person": "name", "organization": "canonical", "location": "name"}


def entity_data(kind: str, text: str, start: int, end: int, section: str | None) -> dict[str, Any]:
    """A HanLP span of ``text`` as entity data (person, organization or location)."""
    kind = kind if kind in _SURFACE_FIELD else "location"
    surface = text[start:end]
    return {"type": kind, "text": surface, "span": {"start": start, "end": end}, "section": section,
            "source": "hanlp", _SURFACE_FIELD[kind]: _compact(surface)}


def make_entity(kind: str, text: str, start: int, end: int, section: str | None) -> Any:
    """A zhdoc entity model for a HanLP span of ``text``; typed fields filled from the surface."""
    data = entity_data(kind, text, start, end, section)
    return ENTITY_TYPE_BY_NAME[data["type"]].model.model_validate(data)


def _bounds(entity: Any) -> tuple[int, int]:
    """(start, end) of an entity model or of entity data."""
    if isinstance(entity, dict):
        span = entity["span"]
        return span["start"], span["end"]
    return entity.span.start, entity.span.end


def _order(entity: Any) -> tuple[int, int, str]:
    start, end = _bounds(entity)
    return start, -end, entity["type"] if isinstance(entity, dict) else entity.type


def merge(rule_entities: Sequence[Any], hanlp_entities: Iterable[Any]) -> list[Any]:
    """Every rule entity, plus each HanLP entity that overlaps no rule entity.

    Rule entities keep their typed fields and win wherever spans overlap (of any type: a HanLP
    name cutting into a date, a session or a 《title》 is the model's mistake). HanLP entities
    overlapping each other keep the first, longest one. Sorted like the rule output. Entities
    are models (a parsed Document) or plain data (a parse in progress), not mixed.
    """
    taken = sorted(_bounds(e) for e in rule_entities)
    starts = [s for s, _ in taken]
    reach: list[int] = []  # reach[k]: the furthest end among the first k+1 rule spans
    for _, e in taken:
        reach.append(max(e, reach[-1]) if reach else e)

    def overlaps(a: int, b: int) -> bool:
        k = bisect_left(starts, b)  # rule spans starting before b
        return k > 0 and reach[k - 1] > a

    added: list[Any] = []
    added_spans: list[tuple[int, int]] = []
    for e in sorted(hanlp_entities, key=lambda x: _order(x)[:2]):
        a, b = _bounds(e)
        if overlaps(a, b):
            continue
        if added_spans and added_spans[-1][1] > a:
            continue
        if isinstance(e, dict):
            if e.get("source") != "hanlp":
                e = {**e, "source": "hanlp"}
        elif e.source != "hanlp":
            e = e.model_copy(update={"source": "hanlp"})
        added.append(e)
        added_spans.append((a, b))
    out = list(rule_entities) + added
    out.sort(key=_order)
    return out
