"""Pipeline stages that consult the trained models. Each reads what earlier stages wrote and
adds its own, like the rule stages; switched on in Settings.stages (see pipeline.MODES).

- ml_lines (after debris): scores the short unnumbered lines; sections reads the scores
  (a line the model calls a heading may head a section, one it calls body may not).
- ml_roles (after roles): the role of headings whose words say nothing (rule: default).
- ml_items (after items): goal / measure / neither, for units the rules placed by default.
- ml_tagger (after tag): party mentions the character tagger finds and the rules missed.
"""

from __future__ import annotations

from functools import lru_cache

from ..doc import Doc, keep_items
from . import available, model_path
from .textcat import load, model_text

LINE_MAX = 25  # the lines model decides on short unnumbered lines only (thresholds: sections.MODEL_*)
ROLE_MIN = 0.5
ITEM_MIN = 0.6


@lru_cache(maxsize=4)
def _model(name: str):
    if not available(name):
        raise FileNotFoundError(f"model {name!r} is not in {model_path(name)} (run scripts/train.py)")
    return load(str(model_path(name)))


def ml_lines(doc: Doc) -> Doc:
    idx = [i for i, b in enumerate(doc.blocks)
           if b.kind == "para" and b.marker is None and not b.inline and b.end - b.start <= LINE_MAX]
    if not idx:
        return doc
    nlp = _model("lines")
    texts = [model_text(doc.norm[doc.blocks[i].start:doc.blocks[i].end]) for i in idx]
    scores = {}
    for i, d in zip(idx, nlp.pipe(texts, batch_size=256), strict=True):
        scores[i] = d.cats.get("heading", 0.0)
    doc.memo["line_heading"] = scores
    return doc


def ml_roles(doc: Doc) -> Doc:
    todo = [(p, s) for p in doc.plans for s in p.sections if s.role_source in ("default", "content")]
    if not todo:
        return doc
    nlp = _model("roles")
    texts = [model_text(doc.norm[s.start:s.end]) for _, s in todo]
    for (_, s), d in zip(todo, nlp.pipe(texts, batch_size=256), strict=True):
        role, p = max(d.cats.items(), key=lambda kv: kv[1])
        if p >= ROLE_MIN:
            s.role, s.role_source = role, "model"
    return doc


def ml_items(doc: Doc) -> Doc:
    todo = []
    for p in doc.plans:
        for it in p.items:
            if it.kind not in ("goal", "measure"):
                continue
            sec = p.sections[it.section] if it.section is not None else None
            if sec is None or sec.role_source in ("default", "content", "model"):
                todo.append(it)
    if not todo:
        return doc
    nlp = _model("items")
    texts = [model_text(doc.norm[it.start:it.end], 120) for it in todo]
    for it, d in zip(todo, nlp.pipe(texts, batch_size=256), strict=True):
        label, p = max(d.cats.items(), key=lambda kv: kv[1])
        if p < ITEM_MIN:
            continue
        if label in ("goal", "measure"):
            it.kind = label
        elif label == "other":
            it.kind = "dropped"
    for p in doc.plans:
        keep_items(p, {"goal", "measure", "schedule-unit"})
    return doc


def ml_tagger(doc: Doc) -> Doc:
    from .tagger import add_tagged_parties

    return add_tagged_parties(doc)
