"""The plan model's values without pydantic: what the stages build and `planx extract` prints.

Importing pydantic and defining the models (model.py) takes ~150 ms, half of a `planx extract
one.txt`; the stages only need objects with the models' fields. So they build these records,
and pydantic comes in only where a caller asks for models: `pipeline.run` (the public
`extract`, ingest, serve, eval) converts the records with `model.from_record`, which builds
each model as before (validated where the stages validated, `trusted` where they trusted),
and the planx command prints `dump(record)`, which is `model_dump(mode="json")` of that model.

A record class has the same name, fields, field order and defaults as its model;
tests/test_records.py checks both, and that `dump` equals `model_dump` on the corpus.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

ROLES: tuple[str, ...] = ("guiding", "background", "goals", "measures", "schedule", "organization",
                          "safeguards", "evaluation", "outputs", "budget", "other")  # model.Role

REQUIRED: Any = object()  # a field without a default
_EMPTY_LIST: Any = object()  # a default of [] (a fresh list each time)


class Record:
    """The values of one model instance. `__dict__` holds exactly the fields (as a model's
    does); `_set` is the fields given (pydantic's fields-set); `_checked` says it was built
    by the constructor (the model's was validated) rather than by `trusted`."""

    __slots__ = ("__dict__", "_checked", "_set")
    FIELDS: ClassVar[tuple[str, ...]] = ()
    DEFAULTS: ClassVar[dict[str, Any]] = {}  # the fields with a default, in order
    FLOATS: ClassVar[frozenset[str]] = frozenset()  # float fields: an int given is made a float
    __hash__ = None  # type: ignore[assignment]  # as a (mutable) model

    def __init__(self, **values: Any) -> None:
        unknown = values.keys() - set(self.FIELDS)
        if unknown:
            raise TypeError(f"{type(self).__name__}: no field {', '.join(sorted(unknown))}")
        missing = [f for f in self.FIELDS if f not in values and f not in self.DEFAULTS]
        if missing:
            raise TypeError(f"{type(self).__name__}: missing {', '.join(missing)}")
        data = {}
        for name in self.FIELDS:
            if name in values:
                data[name] = self._coerce(name, values[name])
            else:
                data[name] = _default(self.DEFAULTS[name])
        object.__setattr__(self, "__dict__", data)
        object.__setattr__(self, "_set", frozenset(values))
        object.__setattr__(self, "_checked", True)

    def _coerce(self, name: str, value: Any) -> Any:
        # what validation changes in the values the stages pass: ints in float fields, spans
        # given as lists; the nested models (Meta.region) are given as records or dicts
        if name in self.FLOATS and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if name in _SPANS and isinstance(value, list):
            return tuple(value)
        nested = _NESTED.get((type(self).__name__, name))
        if nested is not None and isinstance(value, dict):
            return nested(**value)
        return value

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


def _default(d: Any) -> Any:
    if d is _EMPTY_LIST:
        return []
    if isinstance(d, type) and issubclass(d, Record):
        return d()
    return d


def _record(name: str, fields: list[tuple[str, Any]], floats: tuple[str, ...] = ()) -> type[Record]:
    return type(name, (Record,), {
        "__slots__": (),
        "FIELDS": tuple(f for f, _ in fields),
        "DEFAULTS": {f: d for f, d in fields if d is not REQUIRED},
        "FLOATS": frozenset(floats),
    })


R = REQUIRED
L = _EMPTY_LIST

Frequency = _record("Frequency", [("count", R), ("per", R), ("interval", 1), ("minimum", False)])
TimeExpr = _record("TimeExpr", [
    ("text", R), ("source_span", R), ("kind", R), ("month", None), ("month_end", None), ("day", None),
    ("day_end", None), ("week", None), ("week_end", None), ("programme_year", None), ("part_of_month", None),
    ("weekday", None), ("part_of_day", None), ("term", None), ("term_part", None), ("academic_year", None),
    ("year", None), ("holiday", None), ("relative", None), ("frequency", None), ("duration", None)])
Target = _record("Target", [("text", R), ("quantity", R), ("unit", R), ("comparator", R), ("source_span", R)],
                 floats=("quantity",))
Section = _record("Section", [("id", R), ("parent", R), ("level", R), ("number", R), ("heading", R), ("role", R),
                              ("source_span", R)])
Goal = _record("Goal", [("id", R), ("section", R), ("text", R), ("source_span", R), ("targets", L),
                        ("category", None), ("categories", L)])
Measure = _record("Measure", [
    ("id", R), ("section", R), ("parent", R), ("title", R), ("text", R), ("source_span", R), ("parties", L),
    ("times", L), ("targets", L), ("category", None), ("categories", L)])
ScheduleItem = _record("ScheduleItem", [("id", R), ("section", R), ("when", R), ("activity", R),
                                        ("activity_span", None), ("parties", L), ("source_span", R)])
Party = _record("Party", [("id", R), ("name", R), ("kind", R), ("mentions", R)])
Region = _record("Region", [("province", None), ("city", None), ("district", None)])
Period = _record("Period", [("text", R), ("source_span", R), ("academic_year", None), ("year", None),
                            ("term", None), ("half", None), ("relative", None)])
Meta = _record("Meta", [("school", None), ("school_level", None), ("region", Region), ("period", None),
                        ("doc_type", None)])
SourceInfo = _record("SourceInfo", [("path", R), ("sha256", R), ("format", R), ("encoding", R), ("script", R),
                                    ("part", R), ("parts", R), ("source_span", R)])
Plan = _record("Plan", [("schema_version", "1"), ("id", R), ("source", R), ("title", R), ("title_span", None),
                        ("meta", R), ("sections", L), ("goals", L), ("measures", L), ("schedule", L),
                        ("parties", L)])
del R, L

_SPANS = frozenset({"source_span", "title_span", "activity_span"})  # model.Span: a tuple
_NESTED: dict[tuple[str, str], type[Record]] = {("Meta", "region"): Region, ("Meta", "period"): Period}
RECORDS: tuple[type[Record], ...] = (Frequency, TimeExpr, Target, Section, Goal, Measure, ScheduleItem, Party,
                                     Region, Period, Meta, SourceInfo, Plan)


def trusted(cls: type[Record], fields_set: frozenset[str], **values: Any) -> Record:
    """A record of values the pipeline made itself (as `model.trusted`: the model is built
    from it unvalidated). Every field not given takes its default."""
    data = {**cls.DEFAULTS, **values}
    for name, value in data.items():
        if name not in values:
            data[name] = _default(value)  # a fresh list, never the shared default
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", data)
    object.__setattr__(obj, "_set", fields_set)
    object.__setattr__(obj, "_checked", False)
    return obj


def with_fields(obj: Record, **changes: Any) -> Record:
    """A copy of a trusted record with some fields changed."""
    return trusted(type(obj), obj._set, **{**obj.__dict__, **changes})


def dump(obj: Record) -> dict:
    """`model_dump(mode="json")` of the model this record stands for: the fields in the order
    of its `__dict__` (pydantic's serializer keeps it: a trusted one's defaults come first),
    nested models as dicts, tuples as lists, ints in float fields as floats; in an untyped
    value (a dict field), a float that is not finite becomes None, as pydantic's does."""
    out = {name: _json(value) for name, value in obj.__dict__.items()}
    for name in obj.FLOATS:
        value = out[name] = obj.__dict__[name]
        if isinstance(value, int) and not isinstance(value, bool):
            out[name] = float(value)
    return out


def _json(v: Any) -> Any:
    if v is None or isinstance(v, str | bool | int):
        return v
    if isinstance(v, Record):
        return dump(v)
    if isinstance(v, list | tuple):
        return [_json(x) for x in v]
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {k: _json(x) for k, x in v.items()}
    raise TypeError(f"planx: cannot write {type(v).__name__} as JSON")
