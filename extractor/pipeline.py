"""The ordered stages and their settings. A stage is a pure step `Doc -> Doc` that reads
what earlier stages wrote and adds its own; the pipeline is configuration, so a stage can
be switched off or swapped and the effect measured with `planx eval` (an ablation)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import debris, items, practices, roles, sections, segment, sequence, split, tables, tagging
from .doc import Doc
from .errors import LimitError
from .ml import stages as ml
from .normalise import detect_script, normalise
from .read import Source, read_path
from .records import Plan as PlanRecord

if TYPE_CHECKING:
    from .model import Plan

Stage = Callable[[Doc], Doc]

# Every stage, in order; a mode (MODES) is the subset that runs.
ALL_STAGES: dict[str, Stage] = {
    "segment": segment.segment,
    "debris": debris.mark_debris,
    "tables": tables.find_tables,
    "ml_lines": ml.ml_lines,
    "split": split.split_plans,
    "sections": sections.build_sections,
    "sequence": sequence.label_blocks,
    "roles": roles.assign_roles,
    "ml_roles": ml.ml_roles,
    "items": items.extract_items,
    "ml_items": ml.ml_items,
    "tag": tagging.tag,
    "tag_ml": tagging.tag_with_mention_model,
    "ml_tagger": ml.ml_tagger,
    "practices": practices.categorize,
}
RULES = ("segment", "debris", "tables", "split", "sections", "roles", "items", "tag", "practices")
MODES: dict[str, tuple[str, ...]] = {
    "rules": RULES,
    # the model modes decide parties with the mention classifier too (tag_ml in place of tag)
    "spacy": tuple(s for s in ALL_STAGES if (s in RULES and s != "tag") or s in ("ml_lines", "ml_roles", "ml_items",
                                                                               "tag_ml")),
    "full": tuple(s for s in ALL_STAGES if s not in ("tag", "sequence")),
    # the rules with the block sequence model (a CRF) deciding headings and continuations
    "sequence": tuple(s for s in ALL_STAGES if s in RULES or s == "sequence"),
}
DEFAULT_MODE = "rules"
STAGES: dict[str, Stage] = {name: ALL_STAGES[name] for name in MODES[DEFAULT_MODE]}


@dataclass
class Settings:
    """How planx runs. Defaults are safe for archives of untrusted files."""

    stages: tuple[str, ...] = MODES[DEFAULT_MODE]
    max_bytes: int = 50 * 2**20  # a larger file is refused with a LimitError
    max_chars: int = 12_000_000  # characters of decoded text (a 20 MB file of Chinese is about 7 million)
    max_seconds: float = 60.0  # per document; checked between stages (a hard kill is the engine's job)
    max_units: int = 200_000  # lines and run-on segments per document (a long real plan has a few thousand)
    timings: dict[str, float] = field(default_factory=dict)  # filled per stage when collecting


DEFAULT = Settings()


CHECKOUT = Path(__file__).resolve().parents[1]


def corpus_dirs() -> list[Path]:
    """Where documents named by gold files are looked up: the bundled corpus/, then the
    third-party web corpus, used in place (PLANX_CORPUS, default ../shared/corpus), both
    resolved against the checkout, not the working directory; an empty or missing folder
    is left out (an empty PLANX_CORPUS must not mean the working directory)."""
    env = os.environ.get("PLANX_CORPUS", "").strip()
    shared = Path(env) if env else CHECKOUT.parent / "shared" / "corpus"
    return [d for d in (CHECKOUT / "corpus", shared) if d.is_dir()]


def make_doc(source: Source) -> Doc:
    norm = normalise(source.text)
    return Doc(source=source, norm=norm, script=detect_script(source.text))


def run(source: Source, settings: Settings = DEFAULT) -> list[Plan]:
    """The plans of a source, as the public (pydantic) models."""
    from .model import from_record

    records = run_records(source, settings)
    t = time.perf_counter()
    plans = [from_record(p) for p in records]
    _tick(settings, "assemble", t)
    return plans  # type: ignore[return-value]


def run_records(source: Source, settings: Settings = DEFAULT) -> list[PlanRecord]:
    """The plans of a source as records (records.py), which `records.dump` writes as JSON
    without pydantic: what the planx command prints."""
    from .assemble import assemble

    if len(source.text) > settings.max_chars:
        raise LimitError(source.path, f"text has {len(source.text)} characters, over the limit of "
                                      f"{settings.max_chars}", stage="read")
    t0 = t = time.perf_counter()
    doc = make_doc(source)
    _tick(settings, "normalise", t)
    for name in settings.stages:
        t = time.perf_counter()
        doc = ALL_STAGES[name](doc)
        _tick(settings, name, t)
        if name == "segment" and len(doc.blocks) > settings.max_units:
            raise LimitError(source.path, f"{len(doc.blocks)} lines and segments, over the limit of "
                                          f"{settings.max_units} per document", stage=name)
        if time.perf_counter() - t0 > settings.max_seconds:
            raise LimitError(source.path, f"took over {settings.max_seconds:g} s (at stage {name})", stage=name)
    t = time.perf_counter()
    plans = assemble(doc)
    _tick(settings, "assemble", t)
    return plans


def _tick(settings: Settings, name: str, t0: float) -> None:
    settings.timings[name] = settings.timings.get(name, 0.0) + time.perf_counter() - t0


def extract_path(path: str | Path, settings: Settings = DEFAULT) -> list[Plan]:
    t = time.perf_counter()
    source = read_path(path, max_bytes=settings.max_bytes)
    _tick(settings, "read", t)
    return run(source, settings)


def extract_path_records(path: str | Path, settings: Settings = DEFAULT) -> list[PlanRecord]:
    t = time.perf_counter()
    source = read_path(path, max_bytes=settings.max_bytes)
    _tick(settings, "read", t)
    return run_records(source, settings)
