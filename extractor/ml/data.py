"""Training and evaluation data for the models: gold (hand annotations) and silver (what the
rules produce on corpus documents that have no gold). gold/test is only ever evaluated on:
the functions here take the split to read explicitly, and scripts/train.py passes "dev"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..eval.gold import GoldDoc, gold_files, load_gold
from ..normalise import normalise
from ..pipeline import STAGES, corpus_dirs, make_doc
from ..read import read_path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Line:
    start: int
    end: int
    text: str  # normalised, stripped


def lines_of(text: str) -> Iterator[Line]:
    norm = normalise(text)
    pos = 0
    for raw in norm.split("\n"):
        a, b = pos, pos + len(raw)
        while a < b and norm[a] in " \t\u3000\r":
            a += 1
        while b > a and norm[b - 1] in " \t\u3000\r":
            b -= 1
        if a < b:
            yield Line(a, b, norm[a:b])
        pos += len(raw) + 1


def gold_docs(split: str) -> list[GoldDoc]:
    return [load_gold(f, corpus_dirs()) for f in gold_files(ROOT / "gold" / split)]


def unlabelled_paths() -> list[Path]:
    """Corpus documents that no gold file names (silver data comes from these only)."""
    named = {load_gold(f, corpus_dirs()).doc for split in ("dev", "test") for f in gold_files(ROOT / "gold" / split)}
    shared = Path(os.environ.get("PLANX_CORPUS", ROOT.parent / "shared" / "corpus"))
    return [p for p in sorted(shared.glob("*.txt")) if p.name not in named]


# ---- lines: heading / body / noise, and heading roles ----------------------------------------
def gold_lines(g: GoldDoc) -> Iterator[tuple[str, str, str | None]]:
    """(line text, heading|body|noise, role of a heading) for every line of a gold document."""
    heads = {}
    for p in g.plans:
        for span, _, role in p.sections:
            heads[span[0]] = role
    for ln in lines_of(g.text):
        inside = any(p.extent[0] <= ln.start < p.extent[1] for p in g.plans)
        role = next((r for s, r in heads.items() if ln.start <= s < ln.start + 3), None)
        if role is not None:
            yield ln.text, "heading", role
        elif not inside or ln.start < min((p.extent[0] for p in g.plans), default=0):
            yield ln.text, "noise", None
        else:
            yield ln.text, "body", None


def silver_lines(path: Path) -> Iterator[tuple[str, str, str | None]]:
    doc = make_doc(read_path(path))
    for name, stage in STAGES.items():
        doc = stage(doc)
        if name == "roles":
            break
    roles = {s.start: s.role for p in doc.plans for s in p.sections if s.role_source in ("lexicon", "party")}
    heads = {s.start for p in doc.plans for s in p.sections}
    noise = {b.start for b in doc.blocks if b.kind == "debris"}
    for ln in lines_of(doc.source.text):
        if any(ln.start <= s < ln.start + 3 for s in heads):
            role = next((r for s, r in roles.items() if ln.start <= s < ln.start + 3), None)
            yield ln.text, "heading", role
        elif any(ln.start <= s < ln.end for s in noise):
            yield ln.text, "noise", None
        else:
            yield ln.text, "body", None


# ---- items: goal / measure / schedule / other -------------------------------------------------
def gold_items(g: GoldDoc) -> Iterator[tuple[str, str]]:
    norm = normalise(g.text)
    taken: list[tuple[int, int]] = []
    for p in g.plans:
        for a, b in p.goals:
            taken.append((a, b))
            yield norm[a:b], "goal"
        for a, b in p.measures:
            taken.append((a, b))
            yield norm[a:b], "measure"
        for s in p.schedule:
            if s.activity:
                taken.append(s.activity)
        heads = [sp for sp, _, _ in p.sections]
        for ln in lines_of(g.text):
            if not p.extent[0] <= ln.start < p.extent[1]:
                continue
            if any(a < ln.end and ln.start < b for a, b in taken + heads):
                continue
            yield ln.text, "other"


def silver_items(path: Path) -> Iterator[tuple[str, str]]:
    doc = make_doc(read_path(path))
    for name, stage in STAGES.items():
        doc = stage(doc)
        if name in ("tag", "tag_ml"):
            break
    for p in doc.plans:
        for it in p.items:
            if it.kind in ("goal", "measure") and p.sections and it.section is not None \
                    and p.sections[it.section].role_source == "lexicon":
                yield doc.norm[it.start:it.end], it.kind
