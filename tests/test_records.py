"""The records (extractor/records.py) stand for the pydantic models: same fields, order and
defaults; `dump` gives what `model_dump(mode="json")` of the model gives; and `planx
extract` (records, no pydantic) prints what the models would."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from pydantic_core import PydanticUndefined

from extractor import model, records
from extractor.pipeline import MODES, Settings, run_records
from extractor.read import Source, read_path

from .conftest import ROOT, SEEDS, shared_corpus


@pytest.mark.parametrize("rec", records.RECORDS, ids=lambda r: r.__name__)
def test_a_record_has_its_models_fields_order_and_defaults(rec: type[records.Record]) -> None:
    cls = model._MODEL_OF[rec]
    assert cls.__name__ == rec.__name__
    assert rec.FIELDS == tuple(cls.model_fields)
    for name, f in cls.model_fields.items():
        if f.is_required():
            assert name not in rec.DEFAULTS, name
            continue
        default = records._default(rec.DEFAULTS[name])
        expected = f.get_default(call_default_factory=True)
        if isinstance(expected, model.BaseModel):
            assert isinstance(default, records.Record) and records.dump(default) == expected.model_dump(mode="json")
        else:
            assert default == expected and type(default) is type(expected), name
        assert expected is not PydanticUndefined
    floats = {n for n, f in cls.model_fields.items() if f.annotation in (float, "float")}
    assert rec.FLOATS == floats
    assert records.ROLES == model.ROLES


def _check(source: Source, mode: str = "rules") -> int:
    recs = run_records(source, Settings(stages=MODES[mode]))
    plans = [model.from_record(r) for r in recs]
    for r, p in zip(recs, plans, strict=True):
        assert isinstance(p, model.Plan)
        dumped = records.dump(r)
        assert dumped == p.model_dump(mode="json")
        # byte for byte, as the planx command prints it (the key order counts)
        assert json.dumps(dumped, ensure_ascii=False) == json.dumps(p.model_dump(mode="json"), ensure_ascii=False)
    return len(plans)


def test_dump_is_model_dump_on_the_seeds() -> None:
    assert sum(_check(read_path(s)) for s in SEEDS) > 0
    assert sum(_check(read_path(s), "sequence") for s in SEEDS) > 0


@pytest.mark.slow
def test_dump_is_model_dump_on_the_web_corpus() -> None:
    assert sum(_check(read_path(p)) for p in shared_corpus()) > 0


def test_records_coerce_as_validation_does() -> None:
    t = records.Target(text="30%", quantity=30, unit="%", comparator=">=", source_span=[0, 3])
    assert t.quantity == 30.0 and type(t.quantity) is float and t.source_span == (0, 3)
    m = model.from_record(t)
    assert isinstance(m, model.Target) and m == model.Target(text="30%", quantity=30, unit="%", comparator=">=",
                                                              source_span=(0, 3))
    meta = records.Meta(school="x", region={"province": "广东", "city": None, "district": None})
    assert isinstance(meta.region, records.Region)
    assert model.from_record(meta) == model.Meta(school="x", region={"province": "广东", "city": None,
                                                                      "district": None})
    with pytest.raises(TypeError, match="missing quantity, unit, comparator, source_span"):
        records.Target(text="x")
    with pytest.raises(TypeError, match="no field colour"):
        records.Region(colour="red")
    a, b = records.Goal(id="g1", section="s1", text="t", source_span=(0, 1)), records.trusted(
        records.Goal, frozenset({"id"}), id="g2", section="s1", text="t", source_span=(0, 1))
    assert a.targets == [] and b.targets == [] and a.targets is not b.targets  # fresh defaults
    assert records.Meta().region is not records.Meta().region


def test_the_models_of_the_corpus_are_valid() -> None:
    # from_record builds models unvalidated, trusting the records: every model of the seeds
    # and the web corpus, validated again, is the same model
    files = list(SEEDS) + list(shared_corpus())
    n = 0
    for path in files:
        for rec in run_records(read_path(path)):
            plan = model.from_record(rec)
            assert model.Plan.model_validate(plan.model_dump()) == plan, path
            n += 1
    assert n > len(files) // 2


def test_dump_writes_floats_as_pydantic_does() -> None:
    t = records.trusted(records.TimeExpr, frozenset(records.TimeExpr.FIELDS), text="t", source_span=(0, 1),
                        kind="duration", duration={"quantity": float("nan"), "unit": "day", "comparator": (1, 2)})
    assert records.dump(t) == model.from_record(t).model_dump(mode="json")
    g = records.Target(text="t", quantity=float("inf"), unit=None, comparator="=", source_span=(0, 1))
    assert math.isinf(records.dump(g)["quantity"]) and math.isinf(model.from_record(g).model_dump(mode="json")["quantity"])


def test_planx_extract_does_not_import_pydantic() -> None:
    code = ("import sys; from extractor.cli import main; main(['extract', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')"
            " and m != 'pydantic.plugin._loader'), file=sys.stderr)")  # that one is planx's stand-in
    proc = subprocess.run([sys.executable, "-c", code, str(SEEDS[1])], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(proc.stdout)
