"""Stage 7, roles: each section's role from the closed vocabulary, from its heading words
(lexicon, then rapidfuzz against it) and, where the heading says little, from its parent
or its content. The lexicon is data: resources/roles.tsv."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from .doc import Doc, PlanDraft
from .lexicon import lexicon

_ACTION = re.compile(r"加强|开展|推进|提高|提升|深化|落实|做好|建立|完善|组织|抓好|强化|注重|实施|创新|优化|构建|"
                     r"打造|培养|搭建|规范|丰富|健全|推动|促进|发挥|坚持|聚焦|实行|举行|开发|探索|引领|依托|"
                     r"以.{1,8}为")


def role_of(heading: str) -> tuple[str, str] | None:
    """(role, how) from the words of a heading, or None when they say nothing."""
    lex = lexicon()
    best: tuple[int, int, str] | None = None
    for m in lex.any_term.finditer(heading):
        key = (len(m.group()), m.start(), lex.terms[m.group()])
        if best is None or key[:2] > best[:2]:
            best = key
    # Overlapping terms are found greedily; look for a longer one inside or starting later.
    for term, role in lex.terms.items():
        i = heading.find(term)
        if i >= 0 and (best is None or (len(term), i) > best[:2]):
            best = (len(term), i, role)
    if best is not None:
        return best[2], "lexicon"
    if len(heading) >= 4:
        hit = process.extractOne(heading, [t for t in lex.terms if len(t) >= 4], scorer=fuzz.partial_ratio,
                                 score_cutoff=85)
        if hit:
            return lex.terms[hit[0]], "fuzzy"
    return None


def assign_roles(doc: Doc) -> Doc:
    for plan in doc.plans:
        _plan_roles(doc, plan)
    return doc


# Inside a block of action, a sub-heading's words rarely change what it is: "目标三：…提炼研究
# 成果" under 工作措施 is still a measure block. Only these roles override the parent's.
_OVERRIDE = {
    "measures": {"organization", "safeguards", "evaluation", "budget", "schedule"},
    "safeguards": {"organization", "evaluation", "budget"},
    "evaluation": {"safeguards", "budget"},
    "goals": {"measures", "schedule", "evaluation", "safeguards"},
    "organization": {"safeguards", "evaluation"},
}


def _plan_roles(doc: Doc, plan: PlanDraft) -> None:
    for s in plan.sections:
        b = doc.blocks[s.block]
        heading = doc.clean(b.body_start if b.marker else s.start, s.end)
        found = role_of(heading)
        parent = plan.sections[s.parent] if s.parent is not None else None
        if parent is None or parent.role in ("other", "guiding", "background"):
            if found is not None:
                s.role, s.role_source = found
            elif parent is not None:
                s.role, s.role_source = parent.role, "parent"
            elif _ACTION.search(heading):
                s.role, s.role_source = "measures", "content"
            else:
                s.role, s.role_source = "other", "default"
        elif found is not None and found[0] in _OVERRIDE.get(parent.role, set()) and not _only_weak_for(heading, found[0]):
            s.role, s.role_source = found
        else:
            s.role, s.role_source = parent.role, "parent"


def _only_weak_for(heading: str, role: str) -> bool:
    """True when the only words naming `role` are generic ones (工作, 活动 …)."""
    lex = lexicon()
    terms = [m.group() for m in lex.any_term.finditer(heading) if lex.terms[m.group()] == role]
    return bool(terms) and all(t in ("工作", "活动", "教学", "教研", "研修", "培训", "建设", "课程", "项目",
                                     "时间", "组织", "人员", "成员", "安排", "内容", "形式", "方式") for t in terms)
