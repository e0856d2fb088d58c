"""The one object every stage reads and adds to (as spaCy's Doc): the source text, its
normalised twin of the same length, the blocks, and per plan what later stages found.

Offsets everywhere are Python str indices into the source text (and, equally, into the
normalised text). Stages work on `norm` and report spans; strings shown to users are
cut from `norm` (simplified) and whitespace-normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .numbering import Marker
from .read import Source

# ideographs, full-width signs, and the punctuation normalise made half-width (,:;) and quotes
_CJK = "\u3000-\u303f\u3400-\u9fff\uff01-\uff0f\uff1a-\uff20\u2018-\u201d\u2026"
_CJK_BREAK = re.compile(f"(?<=[{_CJK},;:)])(?<![。！？])[ \t\u3000]*(?:\n[ \t\u3000]*)+(?=[{_CJK}(])")


def clean_text(text: str) -> str:
    """`text` whitespace-normalised as the plan model's strings are: runs of whitespace one space,
    none at the ends, and none where a line break falls inside a sentence between two Chinese
    characters (a wrap, not a word boundary: …工作计划:策 / 马研思提质 → 策马研思提质)."""
    if "\n" in text:
        text = _CJK_BREAK.sub("", text)
    # str.split splits on the whitespace \s matches (str.isspace), runs and ends included:
    # the same as re.sub(r"\s+", " ", …).strip(), several times faster
    return " ".join(text.split())


@dataclass(slots=True)
class Block:
    """A structural unit: a line, or a run-on segment of a line that begins at a marker."""

    start: int  # first non-space character
    end: int  # just after the last non-space character
    line: int  # index of the source line it lies on
    marker: Marker | None = None
    inline: bool = False  # starts inside a line (run-on text), not at its beginning
    table: bool = False  # part of a table row flattened with ` | `
    kind: str = "para"  # para | heading | item | title | debris | table (a row of a schedule table)
    heading_end: int | None = None  # for headings with content on the same line: end of the heading
    level: int | None = None  # heading depth (headings only)
    depth: int = 0  # depth of its numbering style in the document's style stack
    section: int | None = None  # index (in Doc.sections of its plan) of the section it lies in

    @property
    def body_start(self) -> int:
        """Where the text after the numbering marker begins."""
        return self.marker.end if self.marker else self.start


@dataclass(slots=True)
class SectionDraft:
    block: int  # index into Doc.blocks
    start: int
    end: int  # end of the heading itself
    level: int
    parent: int | None  # index into the plan's sections
    number: str | None
    role: str = "other"
    role_source: str = ""  # lexicon | fuzzy | parent | content | default
    hidden: bool = False  # a table's row label: gives its rows a role, is not itself a section
    items_role: str | None = None  # the role its items take where it differs (a schedule's part: dated entries)


@dataclass(slots=True)
class ItemDraft:
    kind: str  # goal | measure (kept); schedule-unit | field | … (read by the schedule stage, then dropped)
    start: int
    end: int
    section: int | None
    parent: int | None = None  # index of the parent measure
    title: str | None = None
    block: int | None = None
    categories: list[str] = field(default_factory=list)  # practices it is about (practices stage)


@dataclass(slots=True)
class ScheduleDraft:
    when: Any  # TimeExpr
    activity_start: int
    activity_end: int
    start: int
    end: int
    section: int | None
    parties: list[str] = field(default_factory=list)
    from_table: bool = False  # a table row's item: its parties are the row's responsible cells
    # an activity a text table wrapped over lines: its pieces (other columns' text lies between)
    activity_pieces: tuple[tuple[int, int], ...] = ()


@dataclass
class PlanDraft:
    start: int
    end: int
    first_block: int
    last_block: int  # exclusive
    title: tuple[int, int] | None = None
    sections: list[SectionDraft] = field(default_factory=list)
    items: list[ItemDraft] = field(default_factory=list)
    schedule: list[ScheduleDraft] = field(default_factory=list)
    parties: dict[str, dict] = field(default_factory=dict)  # name -> {"kind", "mentions"}
    item_parties: dict[int, list[str]] = field(default_factory=dict)  # item index -> names
    item_times: dict[int, list[Any]] = field(default_factory=dict)
    targets: dict[int, list[Any]] = field(default_factory=dict)  # item index -> targets
    meta: dict[str, Any] = field(default_factory=dict)


def keep_items(plan: PlanDraft, keep: set[str]) -> None:
    """Drop the plan's items whose kind is not in `keep`, re-pointing parent links (an item
    whose parent is dropped gets the nearest kept ancestor)."""
    new_index: dict[int, int] = {}
    kept: list[ItemDraft] = []
    for k, it in enumerate(plan.items):
        if it.kind in keep:
            new_index[k] = len(kept)
            kept.append(it)
    old = plan.items
    for it in kept:
        p = it.parent
        while p is not None and p not in new_index:
            p = old[p].parent
        it.parent = new_index[p] if p is not None else None
    plan.items = kept


@dataclass
class Doc:
    source: Source
    norm: str
    script: str
    blocks: list[Block] = field(default_factory=list)
    plans: list[PlanDraft] = field(default_factory=list)
    debris: list[tuple[int, int]] = field(default_factory=list)
    tables: list[Any] = field(default_factory=list)  # tables.DocTable, found by the tables stage
    memo: dict[str, Any] = field(default_factory=dict)  # derived data a stage computes once per doc

    @property
    def text(self) -> str:
        return self.source.text

    def times(self):
        """The document's time expressions, found once (the grammar is context-free)."""
        if "times" not in self.memo:
            from .timex import TimeIndex

            self.memo["times"] = TimeIndex(self.norm)
        return self.memo["times"]

    def clean(self, start: int, end: int) -> str:
        """Simplified, whitespace-normalised string of a span (for `text`, `heading` …)."""
        return clean_text(self.norm[start:end])
