"""The Pydantic models: the one contract between zhdoc's stages and with its users.

Every span is a pair of character offsets (Python ``str`` indices) into the decoded
input text ``Document.text``, so ``Document.text[span.start:span.end]`` is exactly what a
user would highlight in the original.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.2"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Half-open character range ``[start, end)`` into ``Document.text``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)


Severity = Literal["info", "warning", "error"]


class Diagnostic(_Model):
    """Something a reader of the output should know: a numbering gap, a failed check, a repair."""

    code: str = Field(description="Stable machine-readable code, e.g. 'numbering.gap'.")
    severity: Severity = "warning"
    message: str
    span: Span | None = None


class Generator(_Model):
    name: str = "zhdoc"
    version: str


class Source(_Model):
    """Where the text came from."""

    name: str | None = Field(default=None, description="File name, or a caller-given label.")
    path: str | None = None
    format: Literal["text", "html", "docx", "pdf", "string"] = "string"
    encoding: str | None = Field(default=None, description="Detected encoding of the bytes (text input).")
    sha256: str | None = Field(default=None, description="SHA-256 of the input bytes (of the UTF-8 text for strings).")
    size_bytes: int | None = None


class Paragraph(_Model):
    """A paragraph as a reader sees it: layout breaks repaired in ``text``; ``span`` covers the original."""

    text: str = Field(description="Repaired text: layout line breaks and stray CJK spaces removed.")
    span: Span = Field(description="The input range; for a paragraph rejoined across a displaced block, its first part.")
    parts: list[Span] | None = Field(
        default=None, description="Input ranges in reading order, when the paragraph is not one contiguous range."
    )
    page: int | None = Field(default=None, description="1-based page number (PDF input).")


SectionKind = Literal["numbered", "run_in", "unnumbered"]


class Section(_Model):
    """A heading that stands in the text, with everything up to the next heading of its level or above."""

    id: str = Field(description="Stable path of 1-based positions, e.g. '2.3'.")
    level: int = Field(ge=1, description="Depth in the tree: 1 = top-level section of its report.")
    marker: str | None = Field(default=None, description="The marker as written: '一、', '（一）', '1.', '一是', …")
    ordinal: int | None = Field(default=None, description="The number the marker stands for.")
    marker_style: str | None = Field(
        default=None, description="Marker family, e.g. 'cn_dun' (一、), 'cn_paren' (（一）), 'ar_dot' (1.)."
    )
    kind: SectionKind
    title: str = Field(description="Heading text without its marker (repaired).")
    heading_span: Span
    span: Span
    paragraphs: list[Paragraph] = Field(default_factory=list)
    children: list[Section] = Field(default_factory=list)


class ReportMeta(_Model):
    speaker: str | None = None
    meeting: str | None = Field(default=None, description="Meeting or session named in the title or dateline.")
    date: str | None = Field(default=None, description="ISO date (partial allowed) from the dateline.")
    genre: str | None = Field(default=None, description="常委会工作报告, 提案工作情况报告, 政府工作报告, …")
    year: int | None = Field(default=None, description="The report's own year, used to resolve 今年/一年来.")
    locality: str | None = Field(default=None, description="Locality the report belongs to, e.g. 常州市武进区.")
    year_source: Literal["dateline", "title", "meeting", "published"] | None = Field(
        default=None,
        description="Where ``year`` comes from, by precedence: the dateline, the title, the meeting named, the "
        "page's publication date. Relative dates (今年) resolve from the meeting's year: the dateline's, else "
        "what the text's own dates, the page's date and the title say (zhdoc.extract.temporal).",
    )
    dateline: str | None = Field(default=None, description="The dateline lines as printed (garbled ones kept).")
    dateline_span: Span | None = None
    speaker_span: Span | None = None
    speaker_title: str | None = Field(default=None, description="The speaker's office as printed: 北京市政协主席.")
    subtitle: str | None = Field(default=None, description="摘要 / （摘登） lines or a second title of another kind.")
    subtitle_span: Span | None = None
    salutation_span: Span | None = Field(default=None, description="各位委员： and the like.")
    headline_span: Span | None = Field(
        default=None, description="A news article's headline, or a page's headline above the printed title."
    )


# ---------------------------------------------------------------- entities


class _EntityBase(_Model):
    text: str = Field(description="Exactly Document.text[span.start:span.end].")
    span: Span
    section: str | None = Field(default=None, description="Id of the innermost section holding it.")
    source: Literal["rules", "hanlp"] = "rules"


class CountEntity(_EntityBase):
    type: Literal["count"] = "count"
    value: int | float | None = Field(description="The number; null only when the text gives none (多个).")
    value_max: int | float | None = Field(default=None, description="Upper bound of a range (20至30).")
    unit: str | None = Field(default=None, description="Measure word or unit: 次 件 家 % 万元 …")
    approx: str | None = Field(default=None, description="余 多 近 约 超过 逾 左右 以上 …")
    object: str | None = Field(default=None, description="The short noun phrase counted.")
    numeral_script: Literal["arabic", "chinese", "mixed"] = "arabic"
    multiplicity: int = Field(default=1, description="两个100% → value 100, unit %, multiplicity 2.")
    formula: bool = Field(default=False, description="A political formula (四个意识, 两个确立): statistics leave it out.")


class DateEntity(_EntityBase):
    type: Literal["date"] = "date"
    value: str | None = Field(description="ISO 8601: '2024', '2024-10', '2024-03-05', '2024-01-12T09:15' (minute), "
                              "'2024-01-12T09:15:03' (second), '2013/2017' (interval: 五年来).")
    granularity: Literal["year", "month", "day", "minute", "second", "interval"] | None = None
    relative: bool = False


class PeriodEntity(_EntityBase):
    type: Literal["period"] = "period"
    value: str | None = Field(description="'2021-2025'")
    plan_number: int
    start_year: int | None = None
    end_year: int | None = None


class SessionEntity(_EntityBase):
    type: Literal["session"] = "session"
    body: str | None = None
    term: int | None = None
    session: int | list[int] | None = None
    session_kind: Literal["session", "plenum", "congress", "term"] = "session"
    canonical: str


class OrganizationEntity(_EntityBase):
    type: Literal["organization"] = "organization"
    canonical: str
    generic: bool = False
    media: bool = Field(default=False, description="A news outlet or agency: 某某日报, 新华社, 某某发布.")
    term: int | None = Field(default=None, description="The 届 a formal committee name gives: 政协某某市第九届委员会 → 9.")


class StudioEntity(_EntityBase):
    type: Literal["studio"] = "studio"
    name: str | None = None
    location: str | None = None
    full_name: str


class PersonEntity(_EntityBase):
    type: Literal["person"] = "person"
    name: str
    title: str | None = None


class LocationEntity(_EntityBase):
    type: Literal["location"] = "location"
    name: str
    level: str | None = Field(default=None, description="province, city, district, county, town, street, village")
    canonical: str | None = None


class PublicationEntity(_EntityBase):
    type: Literal["publication"] = "publication"
    title: str
    subtitle: str | None = None


class SloganEntity(_EntityBase):
    type: Literal["slogan"] = "slogan"
    value: str


def _main_value(entity: _EntityBase, field: str) -> tuple[Any, ...]:
    value = getattr(entity, field)
    return (value,) if value is not None else ()


def _date_years(entity: Any) -> tuple[int, ...]:
    """The year of a date, both ends of an interval (2013/2017)."""
    ends = entity.value.split("/") if entity.value else ()
    return tuple(dict.fromkeys(int(v[:4]) for v in ends if v[:4].isdigit()))


def _organization_names(entity: Any) -> tuple[str, ...]:
    """An organization's canonical name, but not a generic reference the report left unresolved
    (政协, 党委政府 written as they are): as a facet value it would name no one body."""
    from zhdoc.normalize import fold

    if entity.canonical is None or (entity.generic and entity.canonical == fold(entity.text)):
        return ()
    return (entity.canonical,)


def _period_years(entity: Any) -> tuple[int, ...]:
    return tuple(y for y in (entity.start_year, entity.end_year) if y)


@dataclass(frozen=True, slots=True)
class EntityType:
    """One row of :data:`ENTITY_TABLE`: an entity type and what the exports read from it."""

    name: str  # the ``type`` discriminator
    model: type[_EntityBase]
    #: the field shown as the entity's value in facts rows (zhdoc.export.facts)
    main_field: str
    #: a field that, when set, is shown instead of ``main_field`` (a location's canonical name)
    preferred_field: str | None = None
    #: the search-record facet (zhdoc.export.records.Facets) the type feeds, if any
    facet: str | None = None
    #: what the type adds to its facet; the main field's value when not given
    facet_values: Callable[[Any], Iterable[Any]] | None = None

    def values_for_facet(self, entity: Any) -> Iterable[Any]:
        if self.facet_values is not None:
            return self.facet_values(entity)
        return _main_value(entity, self.main_field)


#: The entity types, in output order: the schema's ``Entity`` union, the facts export's value
#: column and the search records' facets are all read from here. A new entity type is its model
#: above, a row here and an extractor (zhdoc.extract.EXTRACTORS).
ENTITY_TABLE: tuple[EntityType, ...] = (
    EntityType("count", CountEntity, "value", facet="counts", facet_values=lambda e: (e,)),
    EntityType("date", DateEntity, "value", facet="years", facet_values=_date_years),
    EntityType("period", PeriodEntity, "value", facet="years", facet_values=_period_years),
    EntityType("session", SessionEntity, "canonical", facet="sessions"),
    EntityType("organization", OrganizationEntity, "canonical", facet="organizations",
               facet_values=_organization_names),
    EntityType("studio", StudioEntity, "full_name", facet="studios"),
    EntityType("person", PersonEntity, "name"),
    EntityType("location", LocationEntity, "name", preferred_field="canonical"),
    EntityType("publication", PublicationEntity, "title"),
    EntityType("slogan", SloganEntity, "value"),
)
ENTITY_TYPE_BY_NAME: dict[str, EntityType] = {row.name: row for row in ENTITY_TABLE}
ENTITY_TYPES: tuple[str, ...] = tuple(row.name for row in ENTITY_TABLE)

if TYPE_CHECKING:  # what the table builds, spelled out for type checkers
    Entity = Annotated[
        CountEntity | DateEntity | PeriodEntity | SessionEntity | OrganizationEntity | StudioEntity
        | PersonEntity | LocationEntity | PublicationEntity | SloganEntity,
        Field(discriminator="type"),
    ]
else:
    Entity = Annotated[Union[tuple(row.model for row in ENTITY_TABLE)], Field(discriminator="type")]  # noqa: UP007


class CheckItem(_Model):
    label: str | None = None
    value: int | float
    span: Span


class ConsistencyCheck(_Model):
    """A stated total against its stated parts."""

    kind: str = Field(description="'sum' (parts add up to the total) or 'bound' (parts each ≤ total).")
    total: CheckItem
    parts: list[CheckItem]
    holds: bool
    message: str


class Report(_Model):
    title: str | None = None
    title_span: Span | None = None
    span: Span
    meta: ReportMeta = Field(default_factory=ReportMeta)
    preamble: list[Paragraph] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    checks: list[ConsistencyCheck] = Field(default_factory=list)


MaterialKind = Literal[
    "breadcrumb", "widget", "source", "byline", "stamp", "caption", "wrapper", "teaser", "footer", "nav", "other"
]


class Material(_Model):
    """Something the carrier page (portal, news site, essay site) put around the text."""

    kind: MaterialKind
    span: Span
    text: str = Field(description="Exactly Document.text[span.start:span.end].")
    rule: str = Field(description="Name of the rule that recognised it (zhdoc.structure.page).")


class Carrier(_Model):
    """The carrier page: material around the reports (never part of a section tree) and what it says
    about the publication. Named apart from the PDF ``page`` fields."""

    material: list[Material] = Field(default_factory=list)
    published: str | None = Field(
        default=None, description="Publication date/time from a stamp or source line, ISO 8601: '2024-01-12T09:15:03', "
        "'2022-01-07'."
    )
    published_span: Span | None = None
    outlet: str | None = Field(default=None, description="The outlet named by a source line or byline: 北京日报, 新华社.")
    outlet_span: Span | None = None


DocumentGenre = Literal["report", "news", "collection"]


class Document(_Model):
    schema_version: str = SCHEMA_VERSION
    generator: Generator
    source: Source = Field(default_factory=Source)
    text: str = Field(description="The decoded input text every span indexes into.")
    genre: DocumentGenre = Field(
        default="report", description="report (a report's own text), news (an article about one: its headline is "
        "the title, bylines and captions are carrier material) or collection (an essay site wrapping several)."
    )
    carrier: Carrier = Field(default_factory=Carrier)
    reports: list[Report] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)

    def json_bytes(self, *, indent: int | None = None) -> bytes:
        """The document as UTF-8 JSON: ``model_dump_json(indent=indent).encode()``, without the
        round trip. The serializer writes UTF-8; ``model_dump_json`` decodes it into a ``str``
        that a file write encodes again: two passes over JSON several times the input's size
        (docs/measurements.md). The CLI and the batch write these."""
        return self.__pydantic_serializer__.to_json(self, indent=indent)
