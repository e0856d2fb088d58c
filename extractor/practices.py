"""Stage 10, practices: which common practice (集体备课, 听课评课, 课题研究 …) each goal and
measure is about, from the taxonomy in resources/practices.tsv (docs/practices.md explains
it). A measure may name several; `category` is the first in the taxonomy's order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import startup
from .doc import Doc


@dataclass(frozen=True)
class Practice:
    id: str
    label: str
    pattern: re.Pattern[str]
    covers: str


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Practice, ...]:
    text = startup.resource_text("practices.tsv")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pid, label, rx, covers = line.split("\t")
        rows.append(Practice(pid, label, re.compile(rx), covers))
    return tuple(rows)


def classify(text: str) -> list[str]:
    """Labels of the practices a (normalised) text is about, in taxonomy order."""
    return [p.label for p in taxonomy() if p.pattern.search(text)]


def categorize(doc: Doc) -> Doc:
    norm, practices = doc.norm, taxonomy()
    for plan in doc.plans:
        for it in plan.items:
            it.categories = [p.label for p in practices if p.pattern.search(norm, it.start, it.end)]
    return doc
