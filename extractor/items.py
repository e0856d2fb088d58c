"""Stage 8, items: goals and measures, each with its own text only.

A unit is a numbered item, or an unnumbered paragraph that no numbered item precedes in
its section; it runs to the next numbered unit or heading at any level, so that two units
never overlap (a paragraph after a numbered item continues that item). Then, by the role
of the section it lies in: goals sections give goals (an unnumbered goals paragraph gives
one goal per sentence), measures / safeguards / evaluation give measures, organization
gives the duty statements, schedule sections are left to the schedule stage.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from . import tables
from .doc import Doc, ItemDraft, PlanDraft
from .numbering import parse_marker
from .parties import only_names, verbs
from .roles import role_of
from .sections import is_list_label
from .timex import DATE_LINE

_LEAD_IN = re.compile(r"(如下|以下|下列|如次|几点|几个方面|措施是|具体是)\s*[:：]?\s*$|[:：]\s*$")
_SENTENCE = re.compile(r"[^。;；!?！？]+[。;；!?！？]*")
_DUTY = re.compile(r"负责|主持|统筹|协调|落实|牵头|承担|指导|督促|组织|制定|管理|主抓|分管|实施")
_MEMBER_LIST = re.compile(r"^(组长|副组长|组员|成员|委员|主任|副主任|顾问)\s*[:：]")
_MEASURE_ROLES = {"measures", "safeguards", "evaluation"}
_TITLE_SEP = re.compile(r"[:：。;；]")
_TITLE_MAX = 20
_TRIM = " \t\r\n\u3000"


@dataclass(slots=True)
class Unit:
    start: int
    end: int
    section: int | None
    numbered: bool
    depth: int
    block: int
    schedule_role: bool = False


def units(doc: Doc, plan: PlanDraft) -> list[Unit]:
    """The plan's units in document order (contiguous, never overlapping)."""
    out: list[Unit] = []
    open_unit: Unit | None = None
    for i in range(plan.first_block, plan.last_block):
        b = doc.blocks[i]
        if b.kind == "debris":
            continue
        if b.kind == "table":  # a schedule table's row: the schedule stage reads the table
            open_unit = None
            continue
        if b.kind in ("heading", "title"):
            open_unit = None
            if b.heading_end is not None and b.heading_end < b.end:
                start = b.heading_end
                while start < b.end and doc.norm[start] in _TRIM + ":：":
                    start += 1
                if start < b.end:
                    open_unit = Unit(start, b.end, b.section, False, b.depth + 1, i)
                    out.append(open_unit)
            continue
        if b.kind == "item" or (b.marker is not None and b.marker.start == b.start):
            open_unit = Unit(b.start, b.end, b.section, True, b.depth, i)
            out.append(open_unit)
        elif (open_unit is not None and open_unit.section == b.section and open_unit.numbered
              and not is_list_label(doc.norm[b.start:b.end])):
            open_unit.end = b.end  # a paragraph continues the numbered item above it
        else:
            open_unit = Unit(b.start, b.end, b.section, False, b.depth, i)
            out.append(open_unit)
    return out


_ANNOUNCES = re.compile(r"(如下|以下|下列|如次|几点|几个方面)\s*[:：]?\s*$")


def is_lead_in(text: str, numbered: bool) -> bool:
    """主要目标如下： announces a list and is no item; a numbered item that ends with a colon
    (1.加强理论学习，内容包括：) is the lead text of its sub-items, an item itself."""
    if numbered:  # the length first: a search scans the whole text
        return len(text) <= 30 and bool(_ANNOUNCES.search(text))
    return len(text) <= 60 and bool(_LEAD_IN.search(text))


# A line led by its own short label (活动目标：…, 参与对象：…, 地 点：…) says by the label, or by a
# value with no verb, what it states: a goal, an attribute of an activity (who, where, when, how
# much) or what the activity yields (预期成果：…), rather than an action.
_LABEL = re.compile(r"\s*([^:：,，。;；!?！？\n]{1,8})[:：]\s*")
_FIELD_VALUE_MAX = 30
_LABEL_REACH = 16  # characters from a line's start its label's colon lies within (a marker, 8 of label)
_LABEL_ROLE_MAX = 6  # 目标, 活动目标, 预期成果: a label, not an action that names goals (制定学校德育目标)


def label_says(text: str) -> str | None:
    """"goal" or "field" (no action) for a labelled line that states one, else None."""
    if text.find(":", 0, _LABEL_REACH) < 0 and text.find("：", 0, _LABEL_REACH) < 0:
        return None  # the cheap test first: most lines have no label
    marker = parse_marker(text)
    m = _LABEL.match(text, marker.end if marker else 0)
    if m is None:
        return None
    label, value = m.group(1).strip(), text[m.end():].strip(_TRIM + "。.")
    if value and len(label) <= _LABEL_ROLE_MAX:
        guess = role_of(label)
        if guess is not None and guess.specific and guess.at_end and guess.role in ("goals", "outputs"):
            return "goal" if guess.role == "goals" else "field"
    if len(value) > _FIELD_VALUE_MAX:
        return None
    lexicon = verbs()
    return None if any(value[i:i + 2] in lexicon for i in range(len(value) - 1)) else "field"


# 到2025年，力争普惠性幼儿园在园人数占比达到95%…: a paragraph that opens on the year it aims at and
# names figures to reach states a target, a goal, wherever it stands (a district's plan sets them
# in its chapters of action)
_YEAR_AIMED = r"(?:到|至)[ \t]*20\d\d[ \t]*年[ \t]*[,，]"
_TARGET_YEAR = re.compile(r"[ \t]*" + _YEAR_AIMED)
_TARGET_AFTER = re.compile(r"[。；;][ \t]*(?=" + _YEAR_AIMED + ")")  # …。到2025年，: where the target starts
_FIGURE = re.compile(r"\d")


def _states_target(norm: str, a: int, b: int) -> bool:
    m = _TARGET_YEAR.match(norm, a, b)
    return m is not None and _FIGURE.search(norm, m.end(), b) is not None  # a figure after the year


def _target_after(norm: str, a: int, b: int) -> int | None:
    """Where a paragraph of action goes on to the target it sets (…。到2025年，力争…)."""
    if norm.find("20", a, b) < 0:
        return None  # the cheap test first
    m = _TARGET_AFTER.search(norm, a, b)
    return m.end() if m is not None and _states_target(norm, m.end(), b) else None


_HEADER_ROW_MAX = 60  # characters of a header row flattened to a line
_HEADER_CELLS_MIN = 3
_CELL_GAP = re.compile(r"[ \t\u3000|]+")


def _is_header_row(text: str) -> bool:
    """A line of column names only, set apart by spaces or bars (目標 策略 成功準則 評估方法 時間表)."""
    if len(text) > _HEADER_ROW_MAX or text.count(" ") + text.count("|") + text.count("\t") < _HEADER_CELLS_MIN - 1:
        return False  # the cheap test first
    cells = [c for c in _CELL_GAP.split(text) if c]
    return len(cells) >= _HEADER_CELLS_MIN and all(tables.header_role(c, exact=True) for c in cells)


def measure_title(doc: Doc, start: int, end: int, marker_end: int) -> str | None:
    m = _TITLE_SEP.search(doc.norm, marker_end, min(end, marker_end + _TITLE_MAX + 1))
    if not m or m.end() >= end:
        return None
    lead = doc.clean(marker_end, m.start())
    return lead if 1 < len(lead) <= _TITLE_MAX else None


def extract_items(doc: Doc) -> Doc:
    for plan in doc.plans:
        _plan_items(doc, plan)
    return doc


_LABEL_MAX = 12  # characters of a row label's own words (具體作法, 實施方式)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")


def table_cells(doc: Doc, plan: PlanDraft) -> list[tuple[int, int, str]]:
    """(start, end, column role) of the cells of the plan's tables that are no schedule but
    whose header names their columns (方案量化指標 | 操作型定義 | 現況值 …): there a cell's
    column, not the line it is on, says what its text is. A row whose first cell is a label
    naming a section role (具體作法 (請條列) | 1.1…) is read as the text under that label."""
    norm = doc.norm
    out: list[tuple[int, int, str]] = []
    for t in doc.tables:
        if t.is_schedule or not t.header_rows or not plan.start <= t.start < plan.end:
            continue
        if "goal" not in t.roles:
            continue
        indicators = _is_indicator_table(norm, t)
        for r, row in enumerate(t.rows):
            cells = [c for c in row if c.end > c.start]
            if not cells:
                continue
            if r < t.header_rows:
                out.append((cells[0].start, cells[-1].end, "header"))
                continue
            if indicators:
                out.append((cells[0].start, cells[-1].end, "indicator"))
                continue
            label = _BRACKETS.sub("", norm[cells[0].start:cells[0].end]).replace(" ", "")
            guess = role_of(label) if len(label) <= _LABEL_MAX else None
            if 1 < len(cells) < t.n_cols and guess is not None and guess.specific:
                continue  # a label row: its text follows the label's role, as under a heading
            out.extend((c.start, c.end, t.roles[c.col]) for c in cells)
    return sorted(out)


_TARGET_MAX = 8  # characters of a target value (80, 不少于60, 逐年只增不减), not of a goal's statement


def _is_indicator_table(norm: str, t: tables.DocTable) -> bool:
    """Its goal columns hold target values, mostly short (2025目标: 80, 1-2, 不少于60): each row
    names an indicator with its figures."""
    cells = [t.grid[r][c] for c in t.columns("goal") for r in range(t.header_rows, len(t.rows))
             if c < len(t.grid[r]) and t.grid[r][c] is not None]
    values = [norm[x.start:x.end].strip() for x in cells if x.end > x.start]
    return len(values) >= 3 and sum(len(v) <= _TARGET_MAX for v in values) * 5 >= len(values) * 4


def _plan_items(doc: Doc, plan: PlanDraft) -> None:
    norm = doc.norm
    has_sections = bool(plan.sections)
    # A fragment that starts inside a plan (a page cut at its top: no title, and its first
    # heading is 第七章 or (四)): what stands before that heading is the end of a part it lost.
    head = doc.blocks[plan.sections[0].block] if has_sections else None
    first = head.marker if head is not None and not head.inline else None  # run-on: a lost 一、 says nothing
    mid_plan = plan.title is None and first is not None and first.value is not None and first.value >= 2
    not_item: set[int] = doc.memo.get("seq_not_item", set())
    parents: list[tuple[int, int]] = []  # (depth, item index) of open measures, for parent links
    cells = table_cells(doc, plan)  # sorted by start
    starts = [c[0] for c in cells]
    reach = list(itertools.accumulate((c[1] for c in cells), max))  # the furthest end so far
    read: set[int] = set()  # goal cells already read
    read_rows: set[tuple[int, int]] = set()  # indicator rows already read
    columns = _ColumnLists()
    for u in units(doc, plan):
        if columns.skips(doc, u):
            continue  # a flattened table's analysis column (SWOT's 優勢/劣勢): no items
        if cells:
            lo, hi = bisect.bisect_right(reach, u.start), bisect.bisect_left(starts, u.end)
            inside = [(k, cells[k]) for k in range(lo, hi) if cells[k][1] > u.start]
            rows = [(a, b) for _, (a, b, role) in inside if role == "indicator"]
            if rows:
                # a table of indicators (二级 | 十三五期间 | 2025目标): each row, an indicator named
                # with its figures, is a goal (全市省二级以上幼儿园比例（%） | 73.35 | 80)
                for ra, rb in rows:  # a unit may hold several rows (a wrapped cell joined them)
                    # a row laid over several lines (its cells one per line) is one goal, read
                    # at its first line
                    a, b = (ra, rb) if ra >= u.start else (max(u.start, ra), min(u.end, rb))
                    if ra < u.start and (ra, rb) in read_rows:
                        continue
                    read_rows.add((ra, rb))
                    if len(_CJK.findall(norm, a, b)) >= 2:
                        _add(plan, ItemDraft("goal", a, b, u.section, block=u.block))
                continue
            if inside and any(role in ("goal", "header") for _, (_, _, role) in inside):
                for k, (a, b, role) in inside:
                    if role == "goal" and k not in read:
                        read.add(k)
                        cell = tables.TableCell(a, b, ((a, b),), 0, 0)
                        for x, y in tables.activities(norm, cell):
                            if len(_CJK.findall(norm, x, y)) >= 2:  # not a bare figure (80, 35%以上)
                                _add(plan, ItemDraft("goal", x, y, u.section, block=u.block))
                acts = [(max(a, u.start), min(b, u.end)) for _, (a, b, role) in inside if role == "activity"]
                for a, b in acts:
                    if norm[a:b].strip(_TRIM + "|"):
                        _add(plan, ItemDraft("measure", a, b, u.section, block=u.block))
                continue
        while u.end > u.start and norm[u.end - 1] in " \t|":  # a table cell's closing bar
            u.end -= 1
        text = norm[u.start:u.end].strip(_TRIM)
        sec = plan.sections[u.section] if u.section is not None else None
        role = (sec.items_role or sec.role) if sec is not None else None
        if u.block in not_item and role != "schedule":
            continue  # the sequence model reads it as neither goal nor measure (a contents line …)
        if not text or (is_lead_in(text, u.numbered) and role != "schedule"):  # a schedule's 三月份： heads its list
            continue
        if not _CJK.search(text):
            continue  # (2), 3. alone on a line: a page's number or a broken line, no item
        if not u.numbered and (DATE_LINE.fullmatch(text) or (len(text) <= 30 and only_names(norm, u.start, u.end))):
            continue  # a signature: 绍兴一中党委 / 教科室  教学处, and its date (2011年2月)
        if not u.numbered and _is_header_row(text):
            continue  # 目標 策略 成功準則 評估方法 時間表 負責人: a table's header row, flattened to a line
        if role is None:
            # Before the first heading (or in a plan without headings): numbered items are
            # planned actions; an unnumbered paragraph there is purpose and context.
            if u.numbered or (not has_sections and plan.items) or mid_plan:
                role = "measures"
            else:
                continue
        marker = doc.blocks[u.block].marker
        body = marker.end if (u.numbered and marker) else u.start  # the unit's text after its number
        if role == "goals":
            if u.numbered:
                _add(plan, ItemDraft("goal", u.start, u.end, u.section, block=u.block))
            else:
                for a, b in _sentences(norm, u.start, u.end):
                    if not is_lead_in(norm[a:b], False):
                        _add(plan, ItemDraft("goal", a, b, u.section, block=u.block))
        elif role in _MEASURE_ROLES and _states_target(norm, body, u.end):
            _add(plan, ItemDraft("goal", u.start, u.end, u.section, block=u.block))
        elif role in _MEASURE_ROLES and not u.numbered and (k := _target_after(norm, u.start, u.end)) is not None:
            # 全面实施《…行动计划》。到2025年，力争…达到2个…: the action, then the target it sets
            _add(plan, ItemDraft("measure", u.start, k, u.section, block=u.block))
            _add(plan, ItemDraft("goal", k, u.end, u.section, block=u.block))
        elif role in _MEASURE_ROLES and (said := label_says(text)) is not None:
            # a goal; or no measure, but the schedule still reads its time (運作次數：一學年至少8次)
            _add(plan, ItemDraft(said, u.start, u.end, u.section, block=u.block))
        elif role in _MEASURE_ROLES or (role == "organization" and _is_duty(text, u.numbered)):
            while parents and (parents[-1][0] >= u.depth or
                               plan.items[parents[-1][1]].section != u.section):
                parents.pop()
            item = ItemDraft("measure", u.start, u.end, u.section,
                             parent=parents[-1][1] if parents and u.numbered else None,
                             title=measure_title(doc, u.start, u.end, body), block=u.block)
            index = _add(plan, item)
            if u.numbered:
                parents.append((u.depth, index))
        elif role == "schedule":
            _add(plan, ItemDraft("schedule-unit", u.start, u.end, u.section, block=u.block))
        elif role == "outputs":  # no measure; the activities it dates are (每月開會乙次): the schedule reads it
            _add(plan, ItemDraft("field", u.start, u.end, u.section, block=u.block))




_COLUMN_LABEL_MAX = 10  # characters of a column's label alone on its line (S 因應策略)
_COLUMNS_MIN = 3  # labels in a row that make a table's header
_LIST_ROLES = ("activity", "goal")  # the columns whose lists are the plan's items


class _ColumnLists:
    """A table flattened to lines, one cell per run of lines: its header's labels one per line
    (S 優勢 / W 劣勢 / O 機會點 / T 威脅 / S 因應策略), then each column's numbered list in turn,
    each list numbering from 1 again. The lists of analysis, time or criteria columns are no
    items; those of an activity or goal column are."""

    def __init__(self) -> None:
        self.labels: list[str] = []  # the header labels read so far (their roles)
        self.roles: list[str] = []  # the table's columns, once its header is complete
        self.section: int | None = None
        self.column = -1
        self.value = 0  # the number of the last item read

    def skips(self, doc: Doc, u: Unit) -> bool:
        text = doc.norm[u.start:u.end].strip(_TRIM)
        role = (tables.header_role(text, exact=True)
                if not u.numbered and len(text) <= _COLUMN_LABEL_MAX else None)  # S 優勢: a label alone
        if role is not None:
            self.labels.append(role)
            return False
        if len(self.labels) >= _COLUMNS_MIN:  # the header is complete: its columns' lists follow
            self.roles, self.section, self.column, self.value = self.labels, u.section, -1, 0
        self.labels = []
        if not u.numbered:
            return False
        if not self.roles or u.section != self.section:
            self.roles = []
            return False
        marker = doc.blocks[u.block].marker
        if marker is not None and marker.value is not None and u.depth == 0:
            if marker.value <= self.value or self.column < 0:  # the next column's list numbers again (its 1. may be lost)
                self.column = (self.column + 1) % len(self.roles)
            self.value = marker.value
        return self.column >= 0 and self.roles[self.column] not in _LIST_ROLES


def _is_duty(text: str, numbered: bool) -> bool:
    """A duty statement (教务处负责…), not a member list (组长：张三)."""
    body = re.sub(r"^\W*\w?[、.)]\s*", "", text) if numbered else text
    if _MEMBER_LIST.match(body):
        return False
    return numbered or bool(_DUTY.search(text))


def _sentences(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for m in _SENTENCE.finditer(norm, start, end):
        a, b = m.start(), m.end()
        while a < b and norm[a] in _TRIM:
            a += 1
        while b > a and norm[b - 1] in _TRIM:
            b -= 1
        if b - a >= 4:
            out.append((a, b))
    return out


def _add(plan: PlanDraft, item: ItemDraft) -> int:
    plan.items.append(item)
    return len(plan.items) - 1
