"""Schedule items: dated or recurring activities.

- In schedule sections: month lists (三月份： then 1.… 2.…: one item per entry, all with
  that month), entries that carry their own time (9月：开学教研; 9月 | 开学教研 |), and
  weekly slots (语文:周三下午). An entry with no time under no time header is a plain
  action: it becomes a measure.
- In measures: recurring rules and dated activities stated in a sentence
  (学科组每月1次、教研组每周1次开展集体教研活动; 每学期开展一次公开课).
"""

from __future__ import annotations

import re

from . import tables
from .doc import Doc, ItemDraft, PlanDraft, ScheduleDraft, keep_items
from .lexicon import PINYIN_LETTERS
from .model import TimeExpr

# Brackets end a clause, except a pinyin annotation's: 工作室会(huì)议.
_CLAUSE_END = re.compile(rf"[,，。;；!?！？:：|（）]|\((?![{PINYIN_LETTERS}]{{1,6}}\))|(?<![{PINYIN_LETTERS}])\)")
_SEP = " \t:：,，、.|-—"
_DATED_KINDS = {"frequency", "month", "date", "weekday"}
_HEADER_MAX_EXTRA = 3  # characters besides the time in a month header line ("三月份：")


def _strip(norm: str, a: int, b: int, chars: str = _SEP) -> tuple[int, int]:
    while a < b and norm[a] in chars:
        a += 1
    while b > a and norm[b - 1] in " \t\n":
        b -= 1
    return a, b


def _item_body(doc: Doc, it: ItemDraft) -> int:
    b = doc.blocks[it.block] if it.block is not None else None
    if b is not None and b.marker is not None and b.marker.start == it.start:
        return b.marker.end
    return it.start


def schedule_section_items(doc: Doc, plan: PlanDraft) -> None:
    """Turn the plan's schedule-section units into schedule items (or measures)."""
    norm = doc.norm
    header: TimeExpr | None = None
    header_section: int | None = None
    for _k, it in enumerate(plan.items):
        if it.kind != "schedule-unit":
            continue
        if it.section != header_section:
            header, header_section = None, it.section
        body = _item_body(doc, it)
        times = [t for t in doc.times().within(body, it.end) if t.kind != "duration"]
        text_len = len(norm[body:it.end].strip(_SEP))
        if times and not norm[body:times[0].source_span[0]].strip(_SEP + "()（）[]【】"):
            t = times[0]
            rest_a, rest_b = _strip(norm, t.source_span[1], it.end)
            if rest_b - rest_a <= _HEADER_MAX_EXTRA - 1 or text_len - len(t.text) <= _HEADER_MAX_EXTRA:
                header = t  # a header line: 三月份：
                it.kind = "dropped"
                continue
            plan.schedule.append(ScheduleDraft(when=t, activity_start=rest_a, activity_end=rest_b,
                                               start=it.start, end=it.end, section=it.section))
            it.kind = "scheduled"
        elif times and times[-1].source_span[1] >= it.end - 1:
            t = times[-1]  # 语文:周三下午 — the activity before, the time after
            a, b = _strip(norm, body, t.source_span[0])
            while b > a and norm[b - 1] in _SEP:
                b -= 1
            plan.schedule.append(ScheduleDraft(when=t, activity_start=a, activity_end=b,
                                               start=it.start, end=it.end, section=it.section))
            it.kind = "scheduled"
        elif header is not None:
            a, b = _strip(norm, body, it.end)
            plan.schedule.append(ScheduleDraft(when=header, activity_start=a, activity_end=b,
                                               start=it.start, end=it.end, section=it.section))
            it.kind = "scheduled"
        else:
            it.kind = "measure"  # a plain list of actions under a schedule heading


def rules_in_text(doc: Doc, plan: PlanDraft, it: ItemDraft) -> None:
    """Recurring rules and dated activities stated inside a measure's sentences."""
    norm = doc.norm
    times = [t for t in doc.times().within(it.start, it.end) if t.kind in _DATED_KINDS]
    for t in times:
        a, b = t.source_span
        clause_start = _clause_start(norm, it.start, a)
        clause_end = _clause_end(norm, b, it.end)
        act_a, act_b = _strip(norm, b, clause_end, " \t")
        act_a = _skip_times(norm, times, act_a, act_b)
        if act_b - act_a < 2:  # 该项活动每学期至少一次: the activity precedes the time
            act_a, act_b = _strip(norm, clause_start, a, " \t、")
        if act_b - act_a < 2:
            continue
        plan.schedule.append(ScheduleDraft(when=t, activity_start=act_a, activity_end=act_b,
                                           start=clause_start, end=clause_end, section=it.section))


def _skip_times(norm: str, times: list[TimeExpr], a: int, b: int) -> int:
    """学科组每月1次、教研组每周1次开展…: the shared activity starts after the last time."""
    for t in times:
        if a <= t.source_span[0] < b and not _CLAUSE_END.search(norm, a, t.source_span[0]):
            a = t.source_span[1]
    while a < b and norm[a] in " \t、":
        a += 1
    return a


def _clause_start(norm: str, floor: int, i: int) -> int:
    j = i
    while j > floor and not _CLAUSE_END.match(norm, j - 1):
        j -= 1
    while j < i and norm[j] in " \t":
        j += 1
    return j


def _clause_end(norm: str, i: int, ceiling: int) -> int:
    m = _CLAUSE_END.search(norm, i, ceiling)
    return m.start() if m else ceiling


def table_items(doc: Doc, plan: PlanDraft) -> None:
    """Each row of a schedule table: one item per activity of its activity cells, dated by the
    row's time (or the time of the row above), charged to the row's responsible cells."""
    for t in doc.tables:
        if not t.is_schedule or not plan.start <= t.start < plan.end:
            continue
        when = None
        for r in range(t.header_rows, len(t.rows)):
            when = tables.row_time(doc, t, r) or when
            acts = [span for c in t.columns("activity") for cell in t.rows[r] if cell.col == c
                    for span in tables.activities(doc.norm, cell)]
            if not acts or when is None:
                continue
            names = []
            for name, kind, a, b in tables.row_parties(doc, t, r):
                entry = plan.parties.setdefault(name, {"kind": kind, "mentions": [], "seen": set()})
                if (a, b) not in entry["seen"]:
                    entry["seen"].add((a, b))
                    entry["mentions"].append((a, b))
                if name not in names:
                    names.append(name)
            section = _section_at(plan, acts[0][0])
            for a, b in acts:
                plan.schedule.append(ScheduleDraft(when=when, activity_start=a, activity_end=b, start=a, end=b,
                                                   section=section, parties=list(names), from_table=True))


def _section_at(plan: PlanDraft, pos: int) -> int | None:
    k = None
    for i, s in enumerate(plan.sections):
        if s.start <= pos:
            k = i
    return k


def tag_schedule(doc: Doc) -> Doc:
    for plan in doc.plans:
        table_items(doc, plan)
        schedule_section_items(doc, plan)
        for it in plan.items:
            if it.kind == "measure":
                rules_in_text(doc, plan, it)
        keep_items(plan, {"goal", "measure"})
        plan.schedule.sort(key=lambda s: (s.activity_start, s.when.source_span[0]))
    return doc
