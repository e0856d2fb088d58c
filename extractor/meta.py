"""Plan meta: school, school level, region, period, doc type — from the title, the lines
around it, and (for the level) the grades the plan talks about."""

from __future__ import annotations

import re
from collections import Counter

from .doc import Doc, PlanDraft
from .records import Period

_SCHOOL = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,18}?(?:实验学校|外国语学校|国民小学|国民中学|完全中学|初级中学|高级中学|"
    r"职业技术学校|职业学校|中等专业学校|特殊教育学校|九年制学校|中心小学|中心校|小学|中学|学校|幼儿园|"
    r"国小|国中|高中|高职|书院))")
_NOT_SCHOOL = re.compile(r"^(?:[我本全各该某]|XX|xx|××|中小|学校$|小学$|中学$|幼儿园$|高中$|初中$)|"
                         r"^(?:高中|初中|小学|中学|中职|高职|职业|秋季|春季|争创|创建|示范|特色|品牌|优质|现代化|"
                         r"文明|平安|绿色|智慧|数字|书香|和谐|美丽|星级|合格|标准化|市立高级中等|公办|民办)+"
                         r"(?:学校|小学|中学|高中|幼儿园)$|"
                         r"(?:计划|方案|工作|教研|研修|培训|规划|年|学期|学年|关于|开展|基础|德育|一所|一般|争创|创建|打造)")
_LEVELS = [(level, re.compile(rx)) for level, rx in [
    ("幼儿园", r"幼儿园|园本|幼儿|学前|保教"),
    ("特教", r"特殊教育|特教|培智|启智"),
    ("职校", r"职业|职校|中职|高职|中专|技工|职教|高工|高商|实习处"),
    ("初中", r"初级中学|初中|国中|国民中学|七年级|八年级|九年级|初一|初二|初三"),
    ("高中", r"高级中学|高中|高一|高二|高三|高考"),
    ("小学", r"小学|国小|国民小学|一年级|二年级|三年级|四年级|五年级|六年级|低段|中段|高段"),
    ("中学", r"中学"),
    # 区(?:…)|县(?:…)|…: alternatives that each start with a character let re scan by them
    ("区县", "|".join(f"{c}(?:教育局|教育厅|教研室|教研中心|教师发展中心|进修学校|教育体育局|政府)" for c in "区县市省镇")
     + "|教育局|教育部|各学校|各校|全区|全县|全市|全镇"),
]]
_REGION = re.compile(r"(?P<province>[\u4e00-\u9fff]{2,3}省|北京市|天津市|上海市|重庆市|台湾|香港|澳门)?"
                     r"(?P<city>[\u4e00-\u9fff]{2,3}市)?(?P<district>[\u4e00-\u9fff]{2,3}(?:区|县))")
_DOC_TYPES = [("总结", "总结"), ("规划", "规划"), ("方案", "方案"), ("要点", "要点"), ("制度", "制度"),
              ("通知", "通知"), ("意见", "意见"), ("细则", "细则"), ("指南", "指南"), ("安排", "安排"),
              ("计划", "计划")]
_PERIOD_KINDS = {"year", "term", "relative"}


def plan_meta(doc: Doc, plan: PlanDraft) -> dict:
    norm = doc.norm
    title = norm[plan.title[0]:plan.title[1]] if plan.title else ""
    meta: dict = {}
    school = _school(norm, _name_lines(doc, plan))
    meta["school"] = school
    meta["school_level"] = _level(norm, plan, title, school)
    m = _REGION.search(school or title or "")
    if m and m.group("district") and not _NOT_SCHOOL.search(m.group("district")):
        meta["region"] = {"province": m.group("province"), "city": m.group("city"), "district": m.group("district")}
    meta["period"] = _period(doc, plan)
    meta["doc_type"] = next((t for w, t in _DOC_TYPES if w in title), None)
    return meta


def _name_lines(doc: Doc, plan: PlanDraft) -> list[tuple[int, int]]:
    """Where a school names itself: the title, and short lines at the head of the plan
    (常州市新北区薛家实验小学 under the title) — not sentences of the body."""
    spans = [plan.title] if plan.title else []
    for b in doc.blocks[plan.first_block:plan.first_block + 6]:
        if b.kind in ("para", "title") and b.end - b.start <= 30 and b.marker is None:
            spans.append((b.start, b.end))
    return spans


def _school(norm: str, spans: list[tuple[int, int]]) -> str | None:
    for start, end in spans:
        name = _school_in(norm, start, end)
        if name:
            return name
    return None


def _school_in(norm: str, start: int, end: int) -> str | None:
    for m in _SCHOOL.finditer(norm, start, end):
        name = m.group("name")
        # Drop a leading period or year ("2023年下半年江宁区百家湖中学" → 江宁区百家湖中学).
        name = re.sub(r"^.*?(?:学年度?|学期|半年|年度|年)(?=[\u4e00-\u9fff]{3,})", "", name)
        name = name.strip()
        if len(name) >= 4 and not _NOT_SCHOOL.search(name):
            return name
    return None


def _level(norm: str, plan: PlanDraft, title: str, school: str | None) -> str | None:
    for text in (school or "", title):
        for level, rx in _LEVELS:
            if text and rx.search(text):
                return level
    counts: Counter[str] = Counter()
    body = norm[plan.start:plan.end]
    for level, rx in _LEVELS:
        counts[level] = len(rx.findall(body))
    level, n = counts.most_common(1)[0] if counts else (None, 0)
    return level if n >= 2 else None


def _period(doc: Doc, plan: PlanDraft) -> Period | None:
    spans = []
    if plan.title:
        spans.append(plan.title)
    spans.append((plan.start, min(plan.end, plan.start + 300)))
    for a, b in spans:
        for t in doc.times().within(a, b):
            if t.kind in _PERIOD_KINDS or (t.kind == "month" and t.year):
                half = None
                if "上半年" in t.text:
                    half = 1
                elif "下半年" in t.text:
                    half = 2
                return Period(text=doc.text[t.source_span[0]:t.source_span[1]], source_span=t.source_span,
                              academic_year=t.academic_year, year=t.year, term=t.term, half=half,
                              relative=t.relative if t.relative in ("this", "next") else None)  # type: ignore[arg-type]
    return None
