"""Stage 7, roles: each section's role from the closed vocabulary, from its heading words
(lexicon, then rapidfuzz against it) and, where the heading says little, from its parent
or its content. The lexicon is data: resources/roles.tsv."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from .doc import Doc, PlanDraft
from .model import ROLES

# Terms too common to head a run-on line by themselves ("工作要…", "教学中…").
_WEAK = {"工作", "教学", "教研", "研修", "培训", "活动", "建设", "课程", "项目", "常规", "时间", "组织",
         "内容", "形式", "方式", "实施", "任务", "成员", "人员", "管理", "制度", "机制", "分析", "成绩",
         "优势", "不足", "说明", "意义", "理念", "预期", "效果", "检查", "安排", "阶段", "进度", "方法",
         "行事", "机构", "工作安排", "使命", "愿景", "步骤", "策略", "途径", "做法", "依据"}
_ACTION = re.compile(r"加强|开展|推进|提高|提升|深化|落实|做好|建立|完善|组织|抓好|强化|注重|实施|创新|优化|构建|"
                     r"打造|培养|搭建|规范|丰富|健全|推动|促进|发挥|坚持|聚焦|实行|举行|开发|探索|引领|依托|"
                     r"以.{1,8}为")


@dataclass(frozen=True)
class Lexicon:
    terms: dict[str, str]
    pattern: re.Pattern[str]
    strong_prefix: re.Pattern[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    terms: dict[str, str] = {}
    text = resources.files("extractor.resources").joinpath("roles.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, role = line.split("\t")
        if role not in ROLES:
            raise ValueError(f"roles.tsv: unknown role {role!r} for {term!r}")
        terms[term] = role
    ordered = sorted(terms, key=len, reverse=True)
    strong = [t for t in ordered if t not in _WEAK]
    return Lexicon(terms, re.compile("|".join(map(re.escape, ordered))),
                   re.compile("(?:" + "|".join(map(re.escape, strong)) + ")"))


def heading_term(norm: str, start: int, end: int) -> int | None:
    """If [start, end) begins with a heading term (指导思想, 工作目标 …), the offset where the
    heading ends: after the term, and through a colon that closes it within a few
    characters (一、指导思想：… , 二、工作目标与任务：…)."""
    m = lexicon().strong_prefix.match(norm, start, end)
    if not m:
        return None
    stop = m.end()
    colon = re.compile(r"[:：]").search(norm, stop, min(end, stop + 8))
    if colon and not re.search(r"[,，。;；]", norm[stop:colon.start()]):
        return colon.end()
    if stop < end and norm[stop] in "。.":
        return stop + 1
    return stop


def role_of(heading: str) -> tuple[str, str] | None:
    """(role, how) from the words of a heading, or None when they say nothing."""
    lex = lexicon()
    best: tuple[int, int, str] | None = None
    for m in lex.pattern.finditer(heading):
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


def _plan_roles(doc: Doc, plan: PlanDraft) -> None:
    for s in plan.sections:
        b = doc.blocks[s.block]
        heading = doc.clean(b.body_start if b.marker else s.start, s.end)
        found = role_of(heading)
        parent = plan.sections[s.parent] if s.parent is not None else None
        if found is not None:
            s.role, s.role_source = found
            # A generic word under a specific parent ("1.课程" under 工作目标) keeps the parent's role.
            if parent is not None and found[1] == "lexicon" and _only_weak(heading) and parent.role != "other":
                s.role, s.role_source = parent.role, "parent"
        elif parent is not None:
            s.role, s.role_source = parent.role, "parent"
        elif _ACTION.search(heading):
            s.role, s.role_source = "measures", "content"
        else:
            s.role, s.role_source = "other", "default"


def _only_weak(heading: str) -> bool:
    lex = lexicon()
    found = [m.group() for m in lex.pattern.finditer(heading)]
    return bool(found) and all(t in _WEAK for t in found)
