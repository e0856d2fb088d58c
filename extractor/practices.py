"""Stage 10, practices: which common practice (集体备课, 听课评课, 课题研究 …) each goal and
measure is about, from the taxonomy in resources/practices.tsv (docs/practices.md explains
it). A measure may name several; `category` is the first in the taxonomy's order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import startup
from .doc import Doc
from .lexicon import trie_pattern
from .literals import finite_language, required_literals


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


@dataclass(frozen=True)
class _Scan:
    """One scan of an item for every practice at once (instead of one search per row): at
    each position where a word of any row starts, the longest one; a row whose pattern is a
    plain list of words matches exactly when one of its words is found, any other row is
    searched only where a literal it needs is found."""

    words: re.Pattern[str]  # the longest word at a position
    rows_of: dict[str, int]  # word -> bits of the rows that one of its prefixes settles or admits
    exact: int  # bits of the rows settled by their words alone
    always: int  # bits of the rows with no literal to test (searched in every item)


@lru_cache(maxsize=1)
def _scan() -> _Scan:
    rows = taxonomy()
    words: dict[int, frozenset[str]] = {}
    exact = always = 0
    for k, p in enumerate(rows):
        language = finite_language(p.pattern)
        found = language if language is not None else required_literals(p.pattern)
        if language is not None:
            exact |= 1 << k
        if found is None:
            always |= 1 << k
        else:
            words[k] = frozenset(found)
    every = sorted(set().union(*words.values()))
    # the words starting at a position are the longest one there and those of its prefixes
    # that are words too
    rows_of = {w: sum(1 << k for k, ws in words.items() if any(w.startswith(u) for u in ws)) for w in every}
    return _Scan(re.compile(trie_pattern(every)), rows_of, exact, always)


def categorize(doc: Doc) -> Doc:
    norm, practices, scan = doc.norm, taxonomy(), _scan()
    for plan in doc.plans:
        for it in plan.items:
            bits, pos = scan.always, it.start
            # from the next position, not the match's end: words overlap (课题研究, 专题研究)
            while (m := scan.words.search(norm, pos, it.end)) is not None:
                bits |= scan.rows_of[m.group()]
                pos = m.start() + 1
            cats = []
            while bits:  # the set bits only, lowest first (the taxonomy's order)
                low = bits & -bits
                k = low.bit_length() - 1
                bits ^= low
                if scan.exact & low or practices[k].pattern.search(norm, it.start, it.end):
                    cats.append(practices[k].label)
            it.categories = cats
    return doc
