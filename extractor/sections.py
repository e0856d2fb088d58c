"""Stage 6, sections: which blocks are headings, and the heading tree.

Levels come from the numbering, as a careful reader decides them: a style takes the next
level down when it first appears, and the same style later returns to that level. Where
the document is inconsistent (seed 003: 一、 … 2、 … （一） … (三)) a marker that continues an
open sequence (2 after 一) joins that sequence, and a conventionally higher style (二、
after 1.) climbs back to the level of the first open style ranked like it or lower.

A numbered line is a heading when it is a short title phrase that heads content (a
paragraph or deeper numbered items below it), or when it starts with a heading term of
the role lexicon (一、指导思想：…), in which case the heading ends after the term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .doc import Block, Doc, PlanDraft, SectionDraft
from .numbering import RANK
from .roles import heading_term

MAX_DEPTH = 12
_SENTENCE_END = re.compile(r"[。;；!?！？]")
_TRAIL = " :：。.;；,，、"
# A bare line can head a section only if it is short, has no sentence inside, and is
# not a table row, a quotation or a number.
_BARE_MAX = 18
_TITLE_MAX = 20


@dataclass
class _Open:
    style: str
    value: int | None
    block: int
    heading: bool
    section: int | None  # index into plan.sections when this entry is a heading


def _core(norm: str, a: int, b: int) -> str:
    return norm[a:b].strip(_TRAIL)


def _is_short_phrase(norm: str, a: int, b: int, limit: int) -> bool:
    core = _core(norm, a, b)
    return 0 < len(core) <= limit and not _SENTENCE_END.search(core) and core.count(",") + core.count("，") <= 1


def _lead_end(norm: str, a: int, b: int, limit: int = _TITLE_MAX) -> int | None:
    """End of a lead phrase `X:` or `X。` at the start of [a, b), if short; the separator
    is included."""
    m = re.compile(r"[:：。;；]").search(norm, a, min(b, a + limit + 2))
    if not m or m.end() >= b:
        return None
    lead = norm[a:m.start()]
    if not lead.strip() or len(lead) > limit or _SENTENCE_END.search(lead):
        return None
    return m.end()


class _Candidates:
    """Heading candidates of one plan: block index → (end of heading, how it was found)."""

    def __init__(self, doc: Doc, plan: PlanDraft) -> None:
        self.doc = doc
        self.blocks = [i for i in range(plan.first_block, plan.last_block)
                       if doc.blocks[i].kind in ("para",)]
        self.found: dict[int, tuple[int, str]] = {}
        norm = doc.norm
        for i in self.blocks:
            b = doc.blocks[i]
            body = b.body_start
            term = heading_term(norm, body, b.end)
            if b.marker is not None:
                if body >= b.end:
                    continue
                if _is_short_phrase(norm, body, b.end, 30):
                    self.found[i] = (b.end, "short")
                elif term is not None:
                    self.found[i] = (term, "term")
                else:
                    lead = _lead_end(norm, body, b.end)
                    if lead is not None:
                        self.found[i] = (lead, "lead")
            elif not b.table:
                if _is_short_phrase(norm, b.start, b.end, _BARE_MAX) and norm[b.end - 1] not in "。;；":
                    self.found[i] = (b.end, "bare")
                elif term is not None and term < b.end and norm[term - 1] in ":：":
                    self.found[i] = (term, "bare-term")


def _has_content_below(doc: Doc, blocks: list[int], k: int, style: str | None) -> bool:
    """True when what follows block k is content it heads: a paragraph, or a numbered
    block of a style other than its own that is not an open ancestor style."""
    if k + 1 >= len(blocks):
        return False
    nxt = doc.blocks[blocks[k + 1]]
    if nxt.marker is None:
        return True
    return nxt.marker.style != style


def build_sections(doc: Doc) -> Doc:
    for plan in doc.plans:
        _plan_sections(doc, plan)
    return doc


def _plan_sections(doc: Doc, plan: PlanDraft) -> None:
    norm = doc.norm
    cands = _Candidates(doc, plan)
    blocks = cands.blocks
    # First pass: decide headings.
    heading_end: dict[int, int] = {}
    for k, i in enumerate(blocks):
        if i not in cands.found:
            continue
        end, how = cands.found[i]
        b = doc.blocks[i]
        style = b.marker.style if b.marker else None
        below = _has_content_below(doc, blocks, k, style)
        if how == "short":
            core_len = len(_core(norm, b.body_start, b.end))
            term = heading_term(norm, b.body_start, b.end)
            if below and (core_len <= _TITLE_MAX or term is not None or (b.marker and b.marker.rank <= 1)):
                heading_end[i] = end
            elif term is not None and b.marker and b.marker.rank <= 2:
                heading_end[i] = end  # 三、保障措施 at the end of a cut-off page
        elif how == "term":
            if b.marker and b.marker.rank <= 2.6:
                heading_end[i] = end
            elif below:
                heading_end[i] = end
        elif how == "lead":
            nxt = doc.blocks[blocks[k + 1]] if k + 1 < len(blocks) else None
            if nxt is not None and nxt.marker is not None and b.marker is not None \
                    and nxt.marker.style != b.marker.style and nxt.marker.rank > b.marker.rank:
                heading_end[i] = end
        elif how == "bare":
            if below and (heading_term(norm, b.start, b.end) is not None or norm[b.end - 1] in ":："
                          or _next_is_numbered(doc, blocks, k)):
                heading_end[i] = end
        elif how == "bare-term":
            heading_end[i] = end

    # Second pass: levels from the style stack.
    stack: list[_Open] = []
    for i in blocks:
        b = doc.blocks[i]
        is_heading = i in heading_end
        if b.marker is None and not is_heading:
            continue
        style = b.marker.style if b.marker else "bare"
        value = b.marker.value if b.marker else None
        depth, style = _place(stack, style, value, is_heading)
        if depth >= MAX_DEPTH:
            is_heading = False
            depth = MAX_DEPTH
        del stack[depth:]
        parent_section = next((o.section for o in reversed(stack) if o.heading), None)
        section_index = None
        if is_heading:
            level = sum(1 for o in stack if o.heading) + 1
            end = heading_end[i]
            while end > b.start and norm[end - 1] in " \t":
                end -= 1
            section_index = len(plan.sections)
            plan.sections.append(SectionDraft(
                block=i, start=b.start, end=end, level=level, parent=parent_section,
                number=_number(doc, b)))
            b.kind = "heading"
            b.level = level
            if end < b.end:
                b.heading_end = end
        else:
            b.kind = "item"
        b.depth = depth
        stack.append(_Open(style, value, i, is_heading, section_index))
    _assign_sections(doc, plan)


def _next_is_numbered(doc: Doc, blocks: list[int], k: int) -> bool:
    return k + 1 < len(blocks) and doc.blocks[blocks[k + 1]].marker is not None


def _place(stack: list[_Open], style: str, value: int | None, is_heading: bool) -> tuple[int, str]:
    """The depth (0-based) at which a marker of `style`/`value` stands, and the style that
    level keeps (a marker that continues another style's sequence joins that style)."""
    idx = next((j for j, o in enumerate(stack) if o.style == style), None)
    if idx is not None and (value is None or stack[idx].value is None or value == stack[idx].value + 1):
        return idx, style
    if value is not None and value > 1 and is_heading:
        for j, o in enumerate(stack):
            if o.style != style and o.value == value - 1 and o.heading:
                return j, o.style
    if idx is not None:
        return idx, style
    rank = RANK.get(style, 3.0)
    for j, o in enumerate(stack):
        if RANK.get(o.style, 3.0) >= rank and (value is None or value > 1 or o.style == "bare"):
            return j, style
    return len(stack), style


def _number(doc: Doc, b: Block) -> str | None:
    if b.marker is None:
        return None
    return doc.norm[b.marker.start:b.marker.end].strip().rstrip("、.,:：")


def _assign_sections(doc: Doc, plan: PlanDraft) -> None:
    """Every block of the plan learns the innermost section it lies in."""
    current: int | None = None
    by_block = {s.block: k for k, s in enumerate(plan.sections)}
    for i in range(plan.first_block, plan.last_block):
        if i in by_block:
            current = by_block[i]
        doc.blocks[i].section = current


def heading_text(doc: Doc, section: SectionDraft) -> str:
    return doc.clean(section.start, section.end)


def bare_heading(doc: Doc, b: Block) -> bool:
    return b.kind == "heading" and b.marker is None
