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
from .items import label_says
from .lexicon import PINYIN_LETTERS
from .numbering import parse_marker
from .parties import find_parties, verbs
from .records import TimeExpr, with_fields
from .timex import is_date_line

# Brackets end a clause, except a pinyin annotation's: 工作室会(huì)议; and so does a question
# mark, except one that stands for a character lost with its annotation (向?qū)W校: 向学校)
_CLAUSE_END = re.compile(rf"[,，。;；!！？:：|（）]|\?(?![{PINYIN_LETTERS}]{{1,6}}\))"
                         rf"|\((?![{PINYIN_LETTERS}]{{1,6}}\))|(?<![{PINYIN_LETTERS}])\)")
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
            header, header_section = _heading_time(doc, plan, it.section), it.section
        body = _item_body(doc, it)
        times = [t for t in doc.times().within(body, it.end) if t.kind != "duration"]
        if header is not None and times and times[0].kind == "year":
            times = []  # 三月份 / 2020年省…示范校确认: under a month the year names the activity's edition
        if times and not norm[body:times[0].source_span[0]].strip(_SEP + "()（）[]【】"):
            t = times[0]
            if _header_line(norm, body, it.end, t):
                header = t  # a header line: 三月份：
                it.kind = "dropped"
                continue
            rest_a, rest_b = _strip(norm, t.source_span[1], it.end)
            plan.schedule.append(ScheduleDraft(when=t, activity_start=rest_a, activity_end=rest_b,
                                               start=it.start, end=it.end, section=it.section))
            it.kind = "scheduled"
        elif (times and times[-1].source_span[1] >= it.end - 1
              and not _only_names_the_time(norm[body:times[-1].source_span[0]])):
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
        else:  # a plain list of actions under a schedule heading, read as a measures block
            it.kind = label_says(norm[it.start:it.end]) or "measure"


def rules_in_text(doc: Doc, plan: PlanDraft, it: ItemDraft) -> None:
    """Recurring rules and dated activities stated inside a measure's sentences."""
    norm = doc.norm
    times = [t for t in doc.times().within(it.start, it.end) if _dates_activity(t)]
    for t in times:
        a, b = t.source_span
        if _signing_date(norm, a, b, it.end):
            continue  # …加强家校合作。\n2024年2月20日: the date the plan was signed, at its end, dates nothing
        if norm.startswith("的", b + 2) and norm[b:b + 2] in verbs() and _CJK_AFTER.match(norm, b + 3):
            continue  # 每年颁布的课程标准: the time qualifies a noun, it dates no activity of the plan
        clause_start = _clause_start(norm, it.start, a)
        clause_end = _clause_end(norm, b, it.end)
        act_a, act_b = _strip(norm, b, clause_end, " \t")
        act_a = _skip_times(norm, times, act_a, act_b)
        verb = _COUNTED_ACT.search(norm, a, b) if t.kind == "frequency" else None
        if verb is not None:  # 每学期至少读一本书: the counted verb is the activity, not the time's
            act_a, act_b = _strip(norm, verb.start(), clause_end, " \t")
        if act_b - act_a < 2:  # 该项活动每学期至少一次: the activity precedes the time
            # 北区1：105年7月6日(三)~8日(五)，共3日 — or a label names what is dated (its colon ends
            # the time's clause, so the label is looked for from the item's start)
            label = _label_before(norm, it.start, a)
            label = _after_marker(norm, *label) if label is not None else None
            act_a, act_b = (_introduced(norm, _item_body(doc, it), a)
                            or (label if label is not None and label[1] - label[0] >= 2 else None)
                            or _after_marker(norm, *_strip(norm, clause_start, a, " \t、")))
        elif _BARE_VERB.fullmatch(norm, act_a, act_b):
            # 申报工作计划于4月20日前完成: what follows the time only says it is done; the
            # activity is the clause before the time, without the 于 that brings the time in
            s, e = _after_marker(norm, *_strip(norm, max(clause_start, _item_body(doc, it)), a, " \t、"))
            e = s + len(_TIME_LEAD.sub("", norm[s:e]))
            act_a, act_b = s, e
        elif _STATE.match(norm, act_a, act_b):
            # 本学期有8位老师新入职,继续通过青蓝工程…: the time's clause states how things are; the
            # activity it dates is the next clause
            nxt = _clause_end(norm, act_b + 1, it.end) if act_b < it.end and norm[act_b] in ",，" else act_b
            act_a, act_b = _strip(norm, act_b + 1, nxt, " \t")
            if act_b - act_a < 2 or _STATE.match(norm, act_a, act_b):
                continue
            clause_end = act_b
        elif _CRITERION.match(norm[act_a:act_b]) or _AMOUNT.fullmatch(norm, act_a, act_b):
            # 集中研修：暑假期间每月不少于2天 — what follows the time is how much, not what: the
            # activity is the sentence's label, or the clause before the time; a criterion with
            # neither (每学年提高5个百分点, 每学期以2次以上为合格) dates no activity
            found = _sentence_label(norm, it.start, a) or _after_marker(norm, *_strip(norm, clause_start, a, " \t、"))
            if found[1] - found[0] < 2 or _ADVERBIAL.fullmatch(norm[found[0]:found[1]]):
                # 一年内集中研修时间不少于30天,暑假期间每月不少于2天: the sentence's topic is what
                # its criteria measure
                found = _criteria_topic(norm, _item_body(doc, it), a, doc.times().within(it.start, it.end))
                if found is None:
                    continue
            if _RATE_END.search(norm, found[0], found[1]):
                continue  # 促其合格率至少每学年提高5个百分点: a rate that rises, no activity
            act_a, act_b = found
        if act_b - act_a < 2:
            continue
        plan.schedule.append(ScheduleDraft(when=t, activity_start=act_a, activity_end=act_b,
                                           start=clause_start, end=clause_end, section=it.section))
        if t.kind == "frequency":
            for q_a, q_b in _quota_list(norm, clause_end, it.end, times):
                plan.schedule.append(ScheduleDraft(when=t, activity_start=q_a, activity_end=q_b,
                                                   start=q_a, end=q_b, section=it.section))


_LABEL_MAX = 16
_CJK_AFTER = re.compile(r"[\u4e00-\u9fff“《]")
# a clause that only brings in the time of the activity before it (…集体备课，时间为每周二下午)
_TIME_INTRO = re.compile(r"\s*(?:活动|培训|研修|上课|开课|具体)?时间(?:为|是|定于|定在|安排在|安排为)?\s*[:：]?\s*"
                         r"|\s*(?:定于|定在|安排在)\s*")


def _introduced(norm: str, floor: int, a: int) -> tuple[int, int] | None:
    """The activity a time's own clause follows (各组开展集体备课，时间为每周二下午; 组织外出学习，时间：本学期)."""
    k = max(norm.rfind(",", floor, a), norm.rfind("，", floor, a))
    if k < 0 or not _TIME_INTRO.fullmatch(norm, k + 1, a):
        return None
    s, e = _after_marker(norm, *_strip(norm, _clause_start(norm, floor, k), k, " \t、"))
    return (s, e) if e - s >= 2 else None
# a verb that only says an activity happens or is done (前完成, 举行, 进行): no activity of its own
_BARE_VERB = re.compile(r"(?:前|以前|之前)?\s*(?:完成|举行|进行|开展|召开|实施|结束|截止|上交|上报|提交|报送|启动)\s*[。;；]?")
# what brings a time in after its activity (计划于, 将于, 原定于, 在)
_TIME_LEAD = re.compile(r"\s*(?:请|计划|预计|拟|将|定|原定|须|需|要|应|均|统一)?\s*(?:于|在)?\s*$")
# a frequency that counts a content verb (每学期读一本, 每周听2节): the verb begins the activity
_COUNTED_ACT = re.compile(r"(?:撰写|参加|听|读|写|上)(?=[ \t]*(?:[一两二三四五六七八九十]|\d))")
# how much or how well, with no action named: 不少于2天, 以2次以上为合格, 提高5个百分点, 达到90%
_CRITERION = re.compile(
    r"(?:不少于|不低于|不多于|不超过|至少|最少|约|共|累计|达到?|提高|提升|降低|以)?\s*"
    r"[\d一二两三四五六七八九十半.]+\s*(?:次|天|日|节|课时|小时|学时|学分|篇|个百分点|个|人次|场|期|轮|%|％)"
    r"(?:以上|以下|左右)?(?:为合格|为宜|为原则)?\s*[。;；,，]?$")


# a state, not an activity: how many there are (有8位老师新入职, 共有3个班)
_STATE = re.compile(r"(?:共有|现有|有|共|约)\s*(?:[一两二三四五六七八九十百]+|\d+)\s*(?:位|名|个|所|人)")
# an amount stated of something (研训学时为40课时, 总学分达到10学分): how much, not what is done
_AMOUNT = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:学时|课时|学分|时间|时长|总数|人数|次数)(?:为|是|达到?|共|累计)\s*"
                     r"[\d一二两三四五六七八九十]+\s*"
                     r"(?:课时|学时|学分|小时|天|节|次|%|％)[。;；,，]?")


# the topic of a sentence of criteria: the activity whose time or count is measured
_TOPIC = re.compile(r"([\u4e00-\u9fff]{2,10}?)的?(?:时间|时长|学时|课时|次数)\s*(?:不少于|不低于|至少|累计|为|达到?)")
_RATE_END = re.compile(r"(?:率|比例|比率|成绩|分数|人数)(?:至少|要|应|须|能)?$")


def _criteria_topic(norm: str, floor: int, a: int, times: list[TimeExpr]) -> tuple[int, int] | None:
    """The topic of the sentence a criterion's time stands in (norm[floor:a] back to the
    sentence's start), after any time that opens it (一年内|集中研修时间…)."""
    start = floor
    for m in _SENTENCE_OR_LIST_END.finditer(norm, floor, a):
        start = m.end()
    found = None
    for m in _TOPIC.finditer(norm, start, a):
        found = (m.start(1), m.end(1))
    if found is None:
        return None
    s, e = found
    for t in times:
        if t.source_span[0] <= s < t.source_span[1] or (s <= t.source_span[0] < e and t.source_span[1] < e):
            s = max(s, t.source_span[1])
    s, e = _strip(norm, s, e, " \t、")
    return (s, e) if e - s >= 2 else None


# a clause of adverbs only (平时原则上每月不少于1天) names no activity either (closed class)
_ADVERBIAL = re.compile(r"(?:平时|平常|原则上|一般|通常|另外|同时|此外|其中|其余|每人|人均|均|都|另|再|还|并|且|要|应|须|需|必须|务必)+")


# a quota: a verb, then how many of what (研读一本…, 撰写一篇…, 开设一节…, 命制一份…)
_QUOTA = re.compile(r"[\u4e00-\u9fff]{1,3}?(?:[一两二三四五六七八九十]|\d{1,2})\s*(?:本|篇|节|份|次|个|种|项|堂|场|轮|部)")


def _quota_list(norm: str, i: int, ceiling: int, times: list[TimeExpr]) -> list[tuple[int, int]]:
    """每学期通读一种刊物，研读一本专业著作，撰写一篇论文 — the clauses after a recurring time's
    first activity that are quotas too, up to the sentence's end, share its time."""
    out: list[tuple[int, int]] = []
    stop = _SENTENCE_OR_LIST_END.search(norm, i, ceiling)
    end = stop.start() if stop else ceiling
    while i < end and norm[i] in ",，、":
        a = i + 1
        b = _clause_end(norm, a, end)
        a, b = _strip(norm, a, b, " \t")
        if b - a < 3 or not _QUOTA.match(norm, a, b) or any(a <= t.source_span[0] < b for t in times):
            break  # a clause of another kind, or one with its own time, ends the list
        out.append((a, b))
        i = b
    return out


_SENTENCE_OR_LIST_END = re.compile(r"[。;；!?！？)）]")


def _after_marker(norm: str, a: int, b: int) -> tuple[int, int]:
    """A clause that opens its item keeps the item's numbering out of the activity (2.听课)."""
    m = parse_marker(norm, a, b)
    return (m.end, b) if m is not None and m.end < b else (a, b)


def _sentence_label(norm: str, floor: int, a: int) -> tuple[int, int] | None:
    """The label of the sentence a time lies in (集中研修：…每月…，…每月…), if it has one."""
    stop = max(norm.rfind(ch, floor, a) for ch in "。;；\n")
    colon = max(norm.rfind(ch, max(floor, stop + 1), a) for ch in ":：")
    if colon < 0:
        return None
    return _label_before(norm, max(floor, stop + 1), colon + 1)


def _label_before(norm: str, floor: int, a: int) -> tuple[int, int] | None:
    """A short label and its colon right before a time (活动时间：… is no label: it names the time)."""
    j = a
    while j > floor and norm[j - 1] in " \t":
        j -= 1
    if j <= floor or norm[j - 1] not in ":：":
        return None
    s, e = _strip(norm, max(floor, j - 1 - _LABEL_MAX), j - 1, " \t、")
    s = max(s, norm.rfind("\n", 0, e) + 1)
    while s < e and norm[s] in " \t":
        s += 1
    text = norm[s:e]
    if e - s < 2 or _names_the_time(text) or _CLAUSE_END.search(text):
        return None
    return s, e


def _names_the_time(text: str) -> bool:
    """活动时间：, 日 期: (spaced as in a Word form): a label that names the time, not what it dates."""
    text = text.replace(" ", "")
    return "时间" in text or "日期" in text


def _only_names_the_time(text: str) -> bool:
    """日 期：, 活动时间: (not 集体备课时间：): all the text before a time is its label."""
    label = text.strip(_SEP).replace(" ", "")
    return len(label) <= 4 and _names_the_time(label)


def _signing_date(norm: str, a: int, b: int, end: int) -> bool:
    """A date with its day alone on the last line of [.., end)."""
    line_start = norm.rfind("\n", 0, a) + 1
    line_end = norm.find("\n", b, end)
    if line_end < 0:
        line_end = end
    if norm[line_end:end].strip():
        return False
    return is_date_line(norm, line_start, line_end)


def _dates_activity(t: TimeExpr) -> bool:
    """Times that date an activity in a sentence: days, months, weekdays, recurrences, and the
    school calendar's term words (期末, 开学初, 寒假, 本学期: items with no month, rule 7)."""
    if t.kind in _DATED_KINDS:
        return True
    if t.kind == "term":
        # 寒暑假: both holidays, which the model names no single one of (holiday stays null)
        return t.term_part is not None or t.holiday is not None or "寒暑假" in t.text
    return t.kind == "relative" and t.relative in ("this", "next") and t.text.endswith("学期")


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
    while m is not None and m.start() > i and (aside := _ASIDE.match(norm, m.start(), ceiling)):
        m = _CLAUSE_END.search(norm, aside.end(), ceiling)  # 向学校(或教研组)提供…: the clause goes on
    return m.start() if m else ceiling


# an alternative or an inclusion in brackets inside a clause: a remark, not the clause's end
_ASIDE = re.compile(r"[(（](?:或|含|包括|即|如|及|和)[^()（）,，。;；\n]{1,12}[)）]")


def table_items(doc: Doc, plan: PlanDraft) -> None:
    """Each row of a schedule table: one item per activity of its activity cells, dated by the
    row's time (or the time of the row above), charged to the row's responsible cells."""
    for t in doc.tables:
        if not t.is_schedule or not plan.start <= t.start < plan.end:
            continue
        when = None
        grid_month = None  # a week-grid calendar (周次 | 日 一 二 … 六 | 内容) marks a month's first day 3/1
        for r in range(t.header_rows, len(t.rows)):
            for cell in t.rows[r]:  # a goal column (目標, 關注事項) gives the plan's goals
                if t.roles[cell.col] == "goal":
                    for a, b in tables.activities(doc.norm, cell):
                        plan.items.append(ItemDraft("goal", a, b, _section_at(plan, a)))
            if tables.closes_rows(doc, t, r):  # a blank row, a note across the table (上述安排如有变动…)
                when = None  # … and the signature rows after it take no time from above
                continue
            if when is None and r > t.header_rows and not tables.row_time(doc, t, r):
                _signature(doc, plan, t, r)  # 绍兴一中教务处 under a closed calendar: its issuer
                continue
            row_month, grid_month = _grid_month(doc.norm, t, r, grid_month)
            when = tables.row_time(doc, t, r) or when
            if when is not None and when.month is None and row_month is not None:
                when = with_fields(when, month=row_month)
            acts = [pieces for c in t.columns("activity") for cell in t.rows[r] if cell.col == c
                    for pieces in tables.activity_pieces(doc.norm, cell)]
            if not acts or when is None:
                continue
            names = []
            for name, kind, a, b in tables.row_parties(doc, t, r):
                _add_mention(plan, name, kind, a, b)
                if name not in names:
                    names.append(name)
            section = _section_at(plan, acts[0][0][0])
            for pieces in acts:
                a, b = pieces[0][0], pieces[-1][1]
                plan.schedule.append(ScheduleDraft(when=when, activity_start=a, activity_end=b, start=a, end=b,
                                                   section=section, parties=list(names), from_table=True,
                                                   activity_pieces=tuple(pieces) if len(pieces) > 1 else ()))


def _signature(doc: Doc, plan: PlanDraft, t, r: int) -> None:
    """The offices a row below a calendar's closing note names: they issued it, a party."""
    for cell in t.rows[r]:
        for m in find_parties(doc.norm, cell.start, cell.end):
            if m.kind in ("office", "group") and m.known:
                _add_mention(plan, m.name, m.kind, m.start, m.end)


def _add_mention(plan: PlanDraft, name: str, kind: str, a: int, b: int) -> None:
    entry = plan.parties.setdefault(name, {"kind": kind, "mentions": [], "seen": set()})
    if (a, b) not in entry["seen"]:
        entry["seen"].add((a, b))
        entry["mentions"].append((a, b))


_MONTH_MARK = re.compile(r"^(1[0-2]|[1-9])/([1-3]?\d)$")


def _grid_month(norm: str, t, r: int, month: int | None) -> tuple[int | None, int | None]:
    """(the month row r's week starts in, the month after it) in a week-grid calendar, whose
    day cells mark the first day of a month as M/D; other tables give (None, month)."""
    marks = [(k, int(m.group(1))) for k, c in enumerate(t.rows[r])
             if (m := _MONTH_MARK.match(norm[c.start:c.end].strip()))]
    if not marks:
        return month, month
    k, new = marks[-1]
    first_day = next((j for j, c in enumerate(t.rows[r]) if norm[c.start:c.end].strip().isdigit()
                      or _MONTH_MARK.match(norm[c.start:c.end].strip())), k)
    start = new if k == first_day or month is None else month
    return start, new


def _section_at(plan: PlanDraft, pos: int) -> int | None:
    k = None
    for i, s in enumerate(plan.sections):
        if s.start <= pos:
            k = i
    return k


_DAY_KINDS = {"date", "week"}
_SENTENCE_END = re.compile(r"[。；;！？!?]")
_MIN_DATED_LINES = 3  # a calendar written as lines: 4日（四），高三期末考试。…


def dated_lines(doc: Doc, plan: PlanDraft) -> set[int]:
    """A calendar written as lines (27日（三），…。 2月1日（一），…。): each line that starts with
    a day or week gives one item per sentence after its time; a line without a time in such
    a run continues the day above. Months missing from a day are inferred along the run."""
    norm = doc.norm
    runs: list[list[tuple[int, TimeExpr | None]]] = []  # (block index, its leading time)
    run: list[tuple[int, TimeExpr | None]] = []
    gap = 0
    for i in range(plan.first_block, plan.last_block):
        b = doc.blocks[i]
        # a run-on segment counts where it is a day's entry (…教育。28日（四），…: segment cut it there)
        t = (_leading_day(doc, b.start, b.end)
             if b.kind in ("para", "item") and (not b.inline or norm[b.start].isdigit()) else None)
        if (b.inline and t is None) or b.kind not in ("para", "item"):
            if b.kind in ("heading", "table", "title"):
                runs.append(run)
                run, gap = [], 0
            continue
        if t is not None:
            run.append((i, t))
            gap = 0
        elif run and gap < 2:
            run.append((i, None))
            gap += 1
        else:
            runs.append(run)
            run, gap = [], 0
    runs.append(run)
    consumed: set[int] = set()
    for run in runs:
        while run and run[-1][1] is None:
            run.pop()
        if sum(t is not None for _, t in run) < _MIN_DATED_LINES:
            continue
        months = _infer_months([t for _, t in run])
        when = None
        for (i, t), month in zip(run, months, strict=True):
            b = doc.blocks[i]
            if t is not None:
                when = t if t.month == month or month is None else with_fields(t, month=month)
            start = t.source_span[1] if t is not None else b.start
            for a, e in _sentences(norm, start, b.end):
                plan.schedule.append(ScheduleDraft(when=when, activity_start=a, activity_end=e, start=a, end=e,
                                                   section=b.section))
            consumed.add(i)
    if consumed:
        for it in plan.items:
            if it.block in consumed:
                it.kind = "scheduled"
    return consumed


def _leading_day(doc: Doc, start: int, end: int) -> TimeExpr | None:
    times = doc.times().within(start, min(end, start + 40))
    if times and times[0].kind in _DAY_KINDS and times[0].source_span[0] == start:
        return times[0]
    return None


def _sentences(norm: str, a: int, b: int) -> list[tuple[int, int]]:
    out = []
    while a < b:
        m = _SENTENCE_END.search(norm, a, b)
        e = m.end() if m else b
        s, t = _strip(norm, a, e, _SEP + "，,")
        while t > s and norm[t - 1] in "。；;":
            t -= 1
        if t - s >= 2:
            out.append((s, t))
        a = e
    return out


def _infer_months(times: list[TimeExpr | None]) -> list[int | None]:
    """Months along a calendar: a day without a month takes the month of the day before it;
    days before the first named month take that month, or the month before it where the days
    count down into it (25日 … 30日, then 2月1日: the 25th is in January)."""
    out: list[int | None] = []
    month = None
    for t in times:
        if t is not None and t.month:
            month = t.month
        out.append(month)
    first = next((k for k, t in enumerate(times) if t is not None and t.month), None)
    if first is None:
        return [None] * len(times)
    m0, d0 = times[first].month, times[first].day  # type: ignore[union-attr]
    for k in range(first):
        t = times[k]
        day = t.day if t is not None else None
        out[k] = (m0 - 1 or 12) if day and d0 and day > d0 else m0
    for k in range(first + 1, len(times)):
        if times[k] is None:
            out[k] = out[k - 1]
    return out


_CALENDAR_SHARE = 0.5  # of a plan's text in calendar rows: the plan is a calendar


def calendar_notices(doc: Doc, plan: PlanDraft, dated: set[int]) -> None:
    """A plan that is a calendar (行事历, 周工作安排表: at most a heading or two, most of its
    text in dated rows or lines) plans through its rows; its loose paragraphs are the notice
    around them (现将…予以公布, 以上安排如有变化…, the signature and date), not measures."""
    if len(plan.sections) > 2 or not plan.schedule:
        return
    blocks = [(i, b) for i in range(plan.first_block, plan.last_block) if (b := doc.blocks[i]).kind != "debris"]
    text = sum(b.end - b.start for _, b in blocks)
    rows = sum(b.end - b.start for i, b in blocks if b.kind == "table" or i in dated)
    if text and rows >= _CALENDAR_SHARE * text:
        for it in plan.items:
            if it.kind == "measure" and not (it.block is not None and doc.blocks[it.block].marker):
                it.kind = "notice"


_PHASE_KINDS = {"date", "month", "week"}


def _heading_time(doc: Doc, plan: PlanDraft, section: int | None) -> TimeExpr | None:
    """学科组推优阶段（2018年1月3日——1月22日）: a schedule heading that dates a phase dates the
    units under it that name no time of their own."""
    if section is None:
        return None
    sec = plan.sections[section]
    times = [t for t in doc.times().within(sec.start, sec.end) if t.kind in _PHASE_KINDS]
    return times[-1] if times else None


_LABEL_KINDS = {"month", "week"}
_MIN_LABELS = 2  # 一月份 … 二月份 …: one label alone may be a paragraph's time


def _header_line(norm: str, body: int, end: int, t: TimeExpr) -> bool:
    """The unit from body to end is its leading time t and at most a few characters more (三月份：)."""
    rest_a, rest_b = _strip(norm, t.source_span[1], end)
    return (rest_b - rest_a <= _HEADER_MAX_EXTRA - 1
            or len(norm[body:end].strip(_SEP)) - len(t.text) <= _HEADER_MAX_EXTRA)


def _label_time(doc: Doc, it: ItemDraft) -> TimeExpr | None:
    """The time an item is nothing but (一月份, 九月：, 第3周): a label of the list below it."""
    body = _item_body(doc, it)
    times = doc.times().within(body, it.end)
    if not times or times[0].kind not in _LABEL_KINDS:
        return None
    t = times[0]
    if doc.norm[body:t.source_span[0]].strip(_SEP + "()（）[]【】"):
        return None
    return t if _header_line(doc.norm, body, it.end, t) else None


def month_lists(doc: Doc, plan: PlanDraft) -> None:
    """A list of months outside a schedule section (一月份 then 1.… 2.…, 二月份 then …, under a
    heading the sections stage did not see, or in a plan with none): each label dates the
    list right below it — its numbered entries in one numbering style, or the one line that
    follows it. Its units become schedule units, read as a schedule section's are."""
    items = plan.items
    scopes: list[tuple[int, int]] = []  # (label index, end of its list) of each label
    for k, it in enumerate(items):
        if it.kind != "measure" or it.block is None or _label_time(doc, it) is None:
            continue
        end = k + 1
        first = items[end] if end < len(items) else None
        if first is None or first.kind != "measure" or first.section != it.section or first.block is None:
            continue
        style = doc.blocks[first.block].marker
        if style is None or first.start != style.start:
            end += 1  # one unnumbered line under the label
        else:
            while (end < len(items) and items[end].kind == "measure" and items[end].section == it.section
                   and items[end].block is not None and (m := doc.blocks[items[end].block].marker) is not None
                   and m.start == items[end].start and m.style == style.style
                   and _label_time(doc, items[end]) is None):
                end += 1
        scopes.append((k, end))
    run: list[tuple[int, int]] = []
    for scope in [*scopes, (-1, -1)]:
        if run and scope[0] == run[-1][1]:
            run.append(scope)
            continue
        if len(run) >= _MIN_LABELS:
            for k in range(run[0][0], run[-1][1]):
                items[k].kind = "schedule-unit"
        run = [scope]


def tag_schedule(doc: Doc) -> Doc:
    for plan in doc.plans:
        table_items(doc, plan)
        calendar_notices(doc, plan, dated_lines(doc, plan))
        month_lists(doc, plan)
        schedule_section_items(doc, plan)
        for it in plan.items:
            if it.kind in ("measure", "field"):
                rules_in_text(doc, plan, it)
        keep_items(plan, {"goal", "measure"})
        plan.schedule.sort(key=lambda s: (s.activity_start, s.when.source_span[0]))
    return doc
