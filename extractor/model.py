"""The canonical plan model (../shared/specs/plan-model.md), defined once.

`planx schema` prints the JSON Schema generated from these classes. Fields named in the
spec are a contract: renaming or changing one means bumping SCHEMA_VERSION.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from . import records

SCHEMA_VERSION = "1"

Span = tuple[int, int]
Role = Literal[
    "guiding", "background", "goals", "measures", "schedule", "organization",
    "safeguards", "evaluation", "outputs", "budget", "other",
]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Frequency(_Model):
    count: int = Field(description="how many times per period")
    per: Literal["week", "month", "term", "year", "day"]
    interval: int = Field(1, description="every `interval` periods (每两周 → 2)")
    minimum: bool = Field(False, description="stated as a minimum (至少, 不少于)")


class TimeExpr(_Model):
    text: str
    source_span: Span
    kind: Literal["date", "month", "term", "year", "weekday", "frequency", "duration", "relative", "week"]
    month: int | None = None
    month_end: int | None = Field(None, description="last month of a range (9-10月 → 10)")
    day: int | None = None
    day_end: int | None = Field(None, description="last day of a date range (6月13-16日 → 16)")
    week: int | None = Field(None, description="week of the term (第18周 → 18; 预备周 → 0)")
    week_end: int | None = Field(None, description="last week of a range (第一、二周 → 2)")
    programme_year: int | None = Field(None, description="year of a multi-year programme (第一年 → 1)")
    part_of_month: Literal["early", "mid", "late", "end"] | None = None
    weekday: int | None = Field(None, description="1 = Monday … 7 = Sunday")
    part_of_day: Literal["morning", "afternoon", "evening"] | None = None
    term: Literal[1, 2] | None = None
    term_part: Literal["start", "mid", "end"] | None = None
    academic_year: str | None = Field(None, description='"2021-2022"')
    year: int | None = None
    holiday: Literal["winter", "summer"] | None = None
    relative: Literal["this", "next", "last"] | None = None
    frequency: Frequency | None = None
    duration: dict | None = Field(None, description='{"quantity": 30, "unit": "day", "comparator": ">="}')


class Target(_Model):
    text: str
    quantity: float
    unit: str | None
    comparator: Literal[">=", "<=", "=", ">", "<", "+"]
    source_span: Span


class Section(_Model):
    id: str
    parent: str | None
    level: int
    number: str | None
    heading: str
    role: Role
    source_span: Span


class Goal(_Model):
    id: str
    section: str | None
    text: str
    source_span: Span
    targets: list[Target] = []
    category: str | None = Field(None, description="the first practice it is about (docs/practices.md)")
    categories: list[str] = Field([], description="every practice it is about")


class Measure(_Model):
    id: str
    section: str | None
    parent: str | None
    title: str | None
    text: str
    source_span: Span
    parties: list[str] = []
    times: list[TimeExpr] = []
    targets: list[Target] = []
    category: str | None = Field(None, description="the first practice it is about (docs/practices.md)")
    categories: list[str] = Field([], description="every practice it is about")


class ScheduleItem(_Model):
    id: str
    section: str | None
    when: TimeExpr
    activity: str
    activity_span: Span | None = None
    parties: list[str] = []
    source_span: Span


class Party(_Model):
    id: str
    name: str
    kind: Literal["office", "group", "role", "person", "external"]
    mentions: list[Span]


class Region(_Model):
    province: str | None = None
    city: str | None = None
    district: str | None = None


class Period(_Model):
    text: str
    source_span: Span
    academic_year: str | None = None
    year: int | None = None
    term: Literal[1, 2] | None = None
    half: Literal[1, 2] | None = None
    relative: Literal["this", "next"] | None = None


class Meta(_Model):
    school: str | None = None
    school_level: str | None = None
    region: Region = Region()
    period: Period | None = None
    doc_type: str | None = None


class SourceInfo(_Model):
    path: str | None
    sha256: str
    format: str
    encoding: str | None
    script: Literal["simplified", "traditional", "mixed"]
    part: int
    parts: int
    source_span: Span


class Plan(_Model):
    schema_version: str = SCHEMA_VERSION
    id: str
    source: SourceInfo
    title: str | None
    title_span: Span | None = None
    meta: Meta
    sections: list[Section] = []
    goals: list[Goal] = []
    measures: list[Measure] = []
    schedule: list[ScheduleItem] = []
    parties: list[Party] = []


def json_schema() -> dict:
    """The JSON Schema of one plan, generated from the models."""
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://planx.dev/schema/plan-v{SCHEMA_VERSION}.json"
    return schema


def trusted(cls: type[BaseModel], fields_set: frozenset[str], **values: object) -> BaseModel:
    """Build a model from values the pipeline made itself, skipping validation (as
    `model_construct`, without its per-field loop; a long document builds thousands).
    Every field not given takes its default."""
    found = _DEFAULTS.get(cls)
    if found is None:
        defaults = {name: f.default for name, f in cls.model_fields.items() if not f.is_required()}
        found = _DEFAULTS[cls] = defaults, tuple(name for name, value in defaults.items() if value == [])
    defaults, lists = found
    data = {**defaults, **values}
    for name in lists:
        if name not in values:
            data[name] = []  # a fresh list, never the shared default
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", data)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


_DEFAULTS: dict[type, tuple[dict[str, object], tuple[str, ...]]] = {}  # defaults, those that are []


def with_fields(obj: BaseModel, **changes: object) -> BaseModel:
    """A copy of a trusted model with some fields changed (model_copy needs a mutable fields-set)."""
    return trusted(type(obj), obj.__pydantic_fields_set__, **{**obj.__dict__, **changes})


def from_record(rec: records.Record) -> BaseModel:
    """The model a record (records.py, what the stages build) stands for. Built unvalidated,
    as `trusted` builds: a record's constructor has made its values what validation makes them
    (tests/test_records.py validates every model of the corpus to check it)."""
    return _CONVERT[type(rec)](rec)


def _converter(model: type[BaseModel]) -> Callable[[records.Record], BaseModel]:
    # one function per model, which converts only the fields that can hold records (a long
    # document has thousands of records: a generic loop over every field cost ~4% of a run)
    nested = [name for name, f in model.model_fields.items() if _holds_model(f.annotation)]
    lines = ["def convert(rec):", "    d = dict(rec.__dict__)"]
    for name in nested:
        lines.append(f"    v = d[{name!r}]")
        lines.append("    if type(v) is list:")
        lines.append(f"        if v: d[{name!r}] = [_CONVERT[type(x)](x) for x in v]")
        lines.append("    elif v is not None:")
        lines.append(f"        d[{name!r}] = _CONVERT[type(v)](v)")
    lines += ["    obj = new(model)", "    setattr_(obj, '__dict__', d)",
              "    setattr_(obj, '__pydantic_fields_set__', rec._set)",
              "    setattr_(obj, '__pydantic_extra__', None)", "    setattr_(obj, '__pydantic_private__', None)",
              "    return obj"]
    scope = {"_CONVERT": _CONVERT, "new": model.__new__, "model": model, "setattr_": object.__setattr__}
    exec("\n".join(lines), scope)  # our own code, from the field names
    return scope["convert"]


def _holds_model(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(a) for a in typing.get_args(annotation))


_CONVERT: dict[type[records.Record], Callable[[records.Record], BaseModel]] = {}
_MODEL_OF: dict[type[records.Record], type[BaseModel]] = {}


for _model in (Frequency, TimeExpr, Target, Section, Goal, Measure, ScheduleItem, Party, Region, Period, Meta,
               SourceInfo, Plan):
    _MODEL_OF[getattr(records, _model.__name__)] = _model
    _CONVERT[getattr(records, _model.__name__)] = _converter(_model)
