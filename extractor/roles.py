"""Stage 7, roles: each section's role from the closed vocabulary, from its heading words
(lexicon, then rapidfuzz against it) and, where the heading says little, from its parent
or its content. The lexicon is data: resources/roles.tsv."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .doc import Doc, PlanDraft
from .lexicon import compact, lexicon, terms_in, unspaced
from .parties import find_parties, name_finals
from .timex import MONTH_LABEL, find_times

_ACTION = re.compile(r"加强|开展|推进|提高|提升|深化|落实|做好|建立|完善|组织|抓好|强化|注重|实施|创新|优化|构建|"
                     r"打造|培养|搭建|规范|丰富|健全|推动|促进|发挥|坚持|聚焦|实行|举行|开发|探索|引领|依托|"
                     r"以.{1,8}为")


_REMARK = re.compile(r"(?<!^)[(（][^()（）]*[)）]")
# Words that name a role only weakly (a heading "教学工作" says little); a specific term wins.
GENERIC = frozenset({"工作", "教学", "教研", "研修", "培训", "活动", "建设", "课程", "项目", "常规", "时间", "组织",
                     "内容", "形式", "方式", "实施", "任务", "成员", "人员", "管理", "制度", "机制", "分析", "成绩",
                     "说明", "意义", "理念", "预期", "效果", "检查", "安排", "阶段", "方法", "机构", "进度", "行事",
                     "优势", "不足"})
# Where a heading names two roles (培训目标及措施, 保障措施和预期效果), the first in this order wins.
PRIORITY = ("safeguards", "evaluation", "measures", "schedule", "organization", "budget", "goals", "outputs",
            "guiding", "background", "other")


@dataclass(frozen=True)
class RoleGuess:
    role: str
    how: str  # lexicon | fuzzy
    head_role: str  # the role of the heading's last specific term (its head noun)
    specific: bool
    at_end: bool  # that term ends the heading (年度评价考核), not a modifier (评价改革)


_FUZZY_CUTOFF = 85


@lru_cache(maxsize=8192)  # a pure function of a short heading; plans repeat their headings' words
def role_of(heading: str) -> RoleGuess | None:
    """The role a heading's words name, or None when they name none."""
    lex = lexicon()
    text = compact(unspaced(heading))
    bare = _REMARK.sub("", text)
    if len(bare) >= 2:
        # 預期效益 (與實施方式呼應): a remark in brackets names no role of its own, unless the
        # heading's words name none and the remark is its label (端正思想 明确认识(指导思想))
        remark = text[len(bare):] if text.startswith(bare) else ""
        text = bare
        if remark and not terms_in(bare) and terms_in(remark[1:-1]):
            text = remark[1:-1]
    # The longest term starting at each position (shorter ones are inside it).
    hits = terms_in(text)
    maximal = [h for h in hits if not any(o != h and o[0] <= h[0] and h[1] <= o[1] for o in hits)]
    # Overlapping terms (主要工作|工作目标 in 主要工作目标): the one that ends later is the head.
    maximal = [h for h in maximal if not any(o[0] < h[1] and h[0] < o[1] and o[1] > h[1] for o in maximal)]
    if maximal:
        specific = [h for h in maximal if h[2] not in GENERIC]
        pool = specific or maximal
        head = max(pool, key=lambda h: h[1])
        if specific:
            role = min((lex.terms[t] for _, _, t in pool), key=PRIORITY.index)
        else:
            # generic words only: the head noun (教研组集中研训时间), unless it is 说明, which
            # explains what the words before it name (时间说明 is about time)
            if head[2] == "说明" and len(pool) > 1:
                head = max((h for h in pool if h is not head), key=lambda h: h[1])
            role = lex.terms[head[2]]
        tail = text[head[1]:].strip(" :：。.、,，")
        return RoleGuess(role, "lexicon", lex.terms[head[2]], bool(specific), len(tail) <= 1)
    candidates = lex.fuzzy_candidates(text, _FUZZY_CUTOFF) if len(text) >= 4 else None
    if candidates:
        from rapidfuzz import fuzz, process  # here: ~10 ms to import, and most headings never get here

        hit = process.extractOne(text, candidates, scorer=fuzz.partial_ratio, score_cutoff=_FUZZY_CUTOFF)
        if hit:
            role = lex.terms[hit[0]]
            return RoleGuess(role, "fuzzy", role, True, True)
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
    # A role read from generic words only (一、科学实验教学计划) says little about the parts
    # below it: a part that names its own role by a specific term (（一）目标设定) keeps it.
    weak: list[bool] = []
    for s in plan.sections:
        b = doc.blocks[s.block]
        heading = doc.clean(b.body_start if b.marker else s.start, s.end)
        guess = role_of(heading)
        parent = plan.sections[s.parent] if s.parent is not None else None
        if _names_a_party(heading) and (heading.endswith((":", "：")) or (parent and parent.role == "organization")):
            s.role, s.role_source = "organization", "party"
        elif (parent is None or parent.role in ("other", "guiding", "background") or parent.role_source == "default"
              or (weak[s.parent] and guess is not None and guess.specific
                  and guess.role not in ("guiding", "background", "other"))):
            if guess is not None:
                s.role, s.role_source = guess.role, guess.how
            elif parent is not None and parent.role == "background":
                s.role, s.role_source = parent.role, "parent"  # (二)问题聚焦 under 现状分析与问题聚焦
            elif _ACTION.search(heading):
                s.role, s.role_source = "measures", "content"
            elif parent is not None:
                s.role, s.role_source = parent.role, "parent"
            else:
                s.role, s.role_source = "measures", "default"  # most unnamed blocks of a plan are action
        elif (guess is not None and guess.specific and guess.head_role == guess.role and guess.at_end
              and guess.role in _OVERRIDE.get(parent.role, set())):
            s.role, s.role_source = guess.role, guess.how
        elif parent.role == "schedule" and not find_times(heading):
            # (一)课堂教学比武 under 三、具体安排: a sub-heading with no time of its own names an
            # activity the schedule holds, or a part of it (2. 具体要求, 3. 处室分工) by its words
            if guess is not None and guess.specific and guess.role != "schedule":
                s.role, s.role_source = guess.role, guess.how
            else:
                s.role, s.role_source = "measures", "content"
            s.items_role = "schedule"  # … whose lines are still the schedule's entries
        else:
            s.role, s.role_source = parent.role, "parent"
        if parent is not None and parent.items_role and s.items_role is None and s.role != "schedule":
            s.items_role = parent.items_role
        weak.append(s.role_source == "lexicon" and guess is not None and not guess.specific)
    _month_lists(doc, plan)


def _month_lists(doc: Doc, plan: PlanDraft) -> None:
    """A section of action whose own lines lead with months (九月份 1、…, 十月份 …) is the
    plan's schedule, whatever its heading says (三、教学工作布置)."""
    months: dict[int, int] = {}
    for b in doc.blocks[plan.first_block:plan.last_block]:
        if b.section is not None and b.kind != "heading" and not b.inline and MONTH_LABEL.match(doc.norm, b.start, b.end):
            months[b.section] = months.get(b.section, 0) + 1
    for k, n in months.items():
        s = plan.sections[k]
        if n >= 2 and s.role in ("measures", "other"):
            s.role, s.role_source = "schedule", "content"


_SPACE_COLON = re.compile(r"[\s:：]")  # compiled once: re.sub looks its cache up on every call


@lru_cache(maxsize=8192)  # a pure function of a short heading, as role_of
def _names_a_party(heading: str) -> bool:
    """(一)县(市)政府：, 教务处： — a heading that is a party's name heads its duties."""
    name = _SPACE_COLON.sub("", compact(heading))
    if not 2 <= len(name) <= 12 or not any(c in name_finals() for c in name[-4:]):
        return False  # no party's name ends near its end: no parse
    mentions = find_parties(name, 0, len(name))
    return len(mentions) == 1 and mentions[0].end - mentions[0].start >= len(name) - 3
