"""Stage 10, practices: which common practice (集体备课, 听课评课, 课题研究 …) each goal and
measure is about, from the taxonomy in resources/practices.tsv (docs/practices.md explains
it). A measure may name several; `category` is the first in the taxonomy's order."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .doc import Doc


@dataclass(frozen=True)
class Practice:
    id: str
    label: str
    pattern: re.Pattern[str]
    covers: str


@lru_cache(maxsize=1)
def any_practice() -> re.Pattern[str]:
    """One alternation of every practice's pattern: a text no practice matches is passed over."""
    return re.compile("|".join(f"(?:{p.pattern.pattern})" for p in taxonomy()))


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Practice, ...]:
    text = resources.files("extractor.resources").joinpath("practices.tsv").read_text("utf-8")
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
    """Each pattern scans each plan once (not once per item); an item takes a practice when a
    match lies inside it. Where a match crosses an item's edge, the item is searched alone, so
    the result is that of a search per item."""
    norm, practices = doc.norm, taxonomy()
    for plan in doc.plans:
        items = sorted(plan.items, key=lambda it: it.start)
        if not items:
            continue
        starts = [it.start for it in items]
        found: list[set[int]] = [set() for _ in items]
        lo, hi = items[0].start, max(it.end for it in items)
        if not any_practice().search(norm, lo, hi):
            for it in items:
                it.categories = []
            continue
        for k, p in enumerate(practices):
            for m in p.pattern.finditer(norm, lo, hi):
                j = bisect.bisect_right(starts, m.start()) - 1
                if j >= 0 and m.end() <= items[j].end:
                    found[j].add(k)
                else:  # crosses an edge: the items it touches are searched alone
                    j = max(j, 0)
                    while j < len(items) and items[j].start < m.end():
                        if p.pattern.search(norm, items[j].start, items[j].end):
                            found[j].add(k)
                        j += 1
        for it, ks in zip(items, found, strict=True):
            it.categories = [practices[k].label for k in sorted(ks)]
    return doc
