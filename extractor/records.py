"""The plan model's values without pydantic: what the stages build and `planx extract` prints.

Importing pydantic and defining the models (model.py) takes ~150 ms, half of a `planx extract
one.txt`; the stages only need objects with the models' fields. So they build these records,
and pydantic comes in only where a caller asks for models: `pipeline.run` (the public
`extract`, ingest, serve, eval) converts the records with `model.from_record`, which builds
each model unvalidated (the record's constructor coerces the values as validation would;
tests/test_records.py validates every model of the corpus again), and the planx command prints `dump(record)`, which is `model_dump(mode="json")` of that model.

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
    does); `_set` is the fields given (pydantic's fields-set)."""

    __slots__ = ("__dict__", "_set")
    FIELDS: ClassVar[tuple[str, ...]] = ()
    DEFAULTS: ClassVar[dict[str, Any]] = {}  # the fields with a default, in order
    FLOATS: ClassVar[frozenset[str]] = frozenset()  # float fields: an int given is made a float
    _FRESH: ClassVar[tuple[tuple[str, Any], ...]] = ()  # fields whose default is made anew each time
    __hash__ = None  # type: ignore[assignment]  # as a (mutable) model

    def __init__(self, **values: Any) -> None:  # each record class has its own (_install)
        raise TypeError(f"{type(self).__name__}: not a record class")

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
    for name, fresh in cls._FRESH:
        if name not in values:
            data[name] = fresh()  # a fresh list, never the shared default
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", data)
    object.__setattr__(obj, "_set", fields_set)
    return obj


def _install(cls: type[Record], nested: dict[str, type[Record]]) -> None:
    """The class's constructor, written out for its fields (as dataclasses does): the stages
    build thousands of records a document, and a loop over the fields with a test per field
    cost a few percent of a run. It does what validation changes in the values the stages
    pass: an int in a float field becomes a float, a span given as a list a tuple, a nested
    model given as a dict its record."""
    scope: dict[str, Any] = {"_FIELDS": frozenset(cls.FIELDS), "_fail": _fail, "cls": cls,
                             "_setattr": object.__setattr__, "_frozenset": frozenset}
    lines = ["def __init__(self, **values):", "    if not values.keys() <= _FIELDS:", "        _fail(cls, values)"]
    for i, name in enumerate(cls.FIELDS):
        v = f"v{i}"
        if name not in cls.DEFAULTS:
            lines += ["    try:", f"        {v} = values[{name!r}]", "    except KeyError:", "        _fail(cls, values)"]
        else:
            d = cls.DEFAULTS[name]
            if d is _EMPTY_LIST:
                lines.append(f"    {v} = values[{name!r}] if {name!r} in values else []")
            elif isinstance(d, type) and issubclass(d, Record):
                scope[f"d{i}"] = d
                lines.append(f"    {v} = values[{name!r}] if {name!r} in values else d{i}()")
            else:
                scope[f"d{i}"] = d
                lines.append(f"    {v} = values.get({name!r}, d{i})")
        if name in cls.FLOATS:
            lines += [f"    if type({v}) is int:", f"        {v} = float({v})"]
        if name in _SPANS:
            lines += [f"    if type({v}) is list:", f"        {v} = tuple({v})"]
        if name in nested:
            scope[f"n{i}"] = nested[name]
            lines += [f"    if type({v}) is dict:", f"        {v} = n{i}(**{v})"]
    fields = ", ".join(f"{name!r}: v{i}" for i, name in enumerate(cls.FIELDS))
    lines += [f"    _setattr(self, '__dict__', {{{fields}}})", "    _setattr(self, '_set', _frozenset(values))"]
    exec("\n".join(lines), scope)  # our own code, from the field names
    cls.__init__ = scope["__init__"]  # type: ignore[misc]
    cls._FRESH = tuple((name, list if d is _EMPTY_LIST else d) for name, d in cls.DEFAULTS.items()
                       if d is _EMPTY_LIST or (isinstance(d, type) and issubclass(d, Record)))


def _fail(cls: type[Record], values: dict[str, Any]) -> None:
    unknown = values.keys() - set(cls.FIELDS)
    if unknown:
        raise TypeError(f"{cls.__name__}: no field {', '.join(sorted(unknown))}")
    missing = [f for f in cls.FIELDS if f not in values and f not in cls.DEFAULTS]
    raise TypeError(f"{cls.__name__}: missing {', '.join(missing)}")


for _cls in RECORDS:
    _install(_cls, {f: n for (owner, f), n in _NESTED.items() if owner == _cls.__name__})
del _cls


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
