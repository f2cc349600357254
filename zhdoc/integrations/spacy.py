"""spaCy integration: the ``zhdoc_entities`` pipeline component and a domain jieba tokenizer.

>>> import spacy
>>> nlp = spacy.blank("zh")            # jieba segmenter by default
>>> nlp.add_pipe("zhdoc_entities")     # registered through the spacy_factories entry point
>>> doc = nlp("召开党组会议12次。")
>>> [(s.text, s.label_, s._.zhdoc["value"]) for s in doc.spans["zhdoc"]]
[('12次', 'count', 12)]

Entities of different types may overlap (区政协 inside 区政协十五届四次会), so all of them go
to ``doc.spans["zhdoc"]``; ``doc.ents`` gets the longest non-overlapping subset. The typed
fields of each entity are on ``span._.zhdoc`` as a dict. With ``config={"ner": "hanlp",
"ner_model": "/path/to/model"}`` the optional HanLP backend adds what the rules missed.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

SPAN_KEY = "zhdoc"

if not Span.has_extension("zhdoc"):
    Span.set_extension("zhdoc", default=None)


class ZhdocEntities:
    """Runs zhdoc's rule extractors over ``doc.text`` and maps entities onto tokens."""

    def __init__(self, nlp: Language, name: str, locality: str | None, span_key: str, set_ents: bool,
                 ner: str | None = None, ner_model: str | None = None, allow_download: bool = False) -> None:
        self.name = name
        self.locality = locality
        self.span_key = span_key
        self.set_ents = set_ents
        # the optional statistical backend (ner="hanlp", ner_model=a local HanLP model directory)
        self.ner = ner
        self.ner_model = ner_model
        self.allow_download = allow_download

    def __call__(self, doc: Doc) -> Doc:
        import zhdoc

        parsed = zhdoc.parse(doc.text, locality=self.locality, ner=self.ner, model=self.ner_model,
                             allow_download=self.allow_download)
        spans: list[Span] = []
        for report in parsed.reports:
            for ent in report.entities:
                span = doc.char_span(ent.span.start, ent.span.end, label=ent.type, alignment_mode="expand")
                if span is None:
                    continue
                span._.zhdoc = ent.model_dump(exclude={"span", "type", "text"})
                spans.append(span)
        doc.spans[self.span_key] = spans
        if self.set_ents:
            doc.ents = filter_spans(spans)
        return doc


@Language.factory(
    "zhdoc_entities",
    default_config={"locality": None, "span_key": SPAN_KEY, "set_ents": True, "ner": None, "ner_model": None,
                    "allow_download": False},
)
def make_zhdoc_entities(nlp: Language, name: str, locality: str | None, span_key: str, set_ents: bool,
                        ner: str | None, ner_model: str | None, allow_download: bool) -> Any:
    return ZhdocEntities(nlp, name, locality, span_key, set_ents, ner, ner_model, allow_download)


@lru_cache(maxsize=1)
def domain_tokenizer() -> Any:
    """A ``jieba.Tokenizer`` with zhdoc's domain dictionary (models/userdict.txt).

    A separate instance: jieba's global tokenizer, which other code may rely on, is untouched.
    """
    import jieba

    tok = jieba.Tokenizer()
    with resources.as_file(resources.files("zhdoc.models").joinpath("userdict.txt")) as path:
        tok.load_userdict(str(path))
    return tok
