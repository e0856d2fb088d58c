"""Stage 6, sections: which blocks are headings, and the heading tree.

Levels come from the numbering, as a careful reader decides them: a style takes the next
depth down when it first appears, and the same style later returns to that depth. Where
the document is inconsistent (seed 003: 一、 … 2、 … （一） … (三)) a heading that continues
an open sequence (2 after 一) joins that sequence, and a conventionally higher style (二、
after 1.) climbs back to the depth of the first open style ranked like it or lower.

A numbered block is a heading when it is a short title phrase that heads content (a
paragraph, or numbered blocks deeper than itself, follow it), when it starts with a heading
term of the role lexicon and a colon (一、指导思想：…; the heading ends at the colon), or when
its lead phrase heads deeper numbered items. Unnumbered short lines head sections when
they carry a heading term or a closing colon and content follows on the next line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .doc import Block, Doc, PlanDraft, SectionDraft
from .lexicon import heading_term, heading_term_before, lexicon, unspaced
from .normalise import is_cjk
from .numbering import FAMILY, rank_of
from .timex import MONTH_LABEL, is_date_line, parse_time

MAX_DEPTH = 11  # 0-based: section levels stay within 1..12 whatever the input
# A mojibake "?" inside a word (聯?掛?幫) ends no sentence.
_SENTENCE_END = re.compile(r"[。;；!！？]|\?(?![\u4e00-\u9fff])")
_INNER_COLON = re.compile(r"[:：].")
_TRAIL = " :：。.;；,，、"
_BARE_MAX = 18  # an unnumbered heading is short
MODEL_HEADING_MIN = 0.6  # with the lines model: a short line it scores at least this heads a section
MODEL_BODY_MAX = 0.15  # … and one it scores under this does not, whatever its words
_SHORT_MAX = 30  # a numbered block this short (without marker) may be a heading
_TITLE_MAX = 20  # … and is a title phrase when it has no more than this
_PARAGRAPH_MIN = 30  # characters after an upper-level title phrase that make it head a paragraph


@dataclass
class _Open:
    style: str
    value: int | None
    block: int
    heading: bool
    opens: bool = False  # a heading candidate that ends with a colon: it announces what follows


def _core(norm: str, a: int, b: int) -> str:
    return norm[a:b].strip(_TRAIL)


def _is_short_phrase(norm: str, a: int, b: int, limit: int) -> bool:
    core = _core(norm, a, b)
    if not 0 < len(core) <= limit or _SENTENCE_END.search(core):
        return False
    # one comma at most, or short parallel clauses of a slogan (狠抓常规,改革教学,提高效率)
    commas = core.count(",")
    return commas <= 1 or (commas <= 3 and len(core) <= _TITLE_MAX)


# What ends a lead phrase: a colon or a stop, or a run of spaces (the line break a flattening
# removed left the next line's indentation: 二、 研修流程      各市、县…)
_LEAD_SEP = re.compile(r"[:：。;；]|[ \t\u3000]{2,}(?=[^ \t\u3000|])")


# A run of spaces inside a line: where a line break was before a flattening removed it (its
# next line's indentation is left: 1. 建立培育站      (1) 确定培育站主题。…)
_GAP = re.compile(r"[ \t\u3000]{2,}(?=[^ \t\u3000|])")


def _line_break_between(norm: str, b: Block, nxt: Block) -> bool:
    return nxt.start - b.end >= 2 and norm[b.end:nxt.start].strip(" \t\u3000") == ""


def _lead_end(norm: str, a: int, b: int, limit: int = _TITLE_MAX) -> int | None:
    """End of a short lead phrase `X:` or `X。` at the start of [a, b), separator included."""
    m = _LEAD_SEP.search(norm, a, min(b, a + limit + 2))
    if not m or m.end() >= b:
        return None
    lead = norm[a:m.start()]
    if not lead.strip() or _SENTENCE_END.search(lead):
        return None
    return m.end()


# Words that open a clause (a preposition, a time, an action verb): where a title phrase run into
# its paragraph ends (…课程建设在全校范围内…, …应用培训加强现代信息技术…). Closed class.
_OPENER = re.compile(r"在|以|为了|通过|根据|依据|按照|结合|围绕|针对|随着|坚持|定期|每月|每周|每学期|每年|组织|开展|"
                     r"鼓励|引导|加强|设立|成立|建立|邀请|利用|借助|依托|实施|制定|推行|全面|积极|认真|进一步|本学期|我校|继续|立足")
_RUN_IN_MIN, _RUN_IN_MAX = 4, 16  # characters of a title phrase run into its paragraph
_RUN_IN_BODY = 10  # characters of the paragraph after it, at least
_NOT_IN_PHRASE = re.compile(r"[^\u4e00-\u9fff“”《》、\w]")  # 、 lists inside a title (教学、作业与评价改革)


def _run_in_end(norm: str, a: int, b: int) -> int | None:
    """Where a title phrase with no mark after it ends: the first clause opener 4–16 characters
    in, with no punctuation before it and a paragraph after it."""
    if _OPENER.match(norm, a) or _CLAUSE_FIRST.match(norm, a):
        return None  # 为了能够…, 向家长及学生…: a clause, not a title
    stop = min(b - _RUN_IN_BODY, a + _RUN_IN_MAX + 1)
    for k in range(a + _RUN_IN_MIN, stop):
        if _NOT_IN_PHRASE.match(norm, k - 1):
            return None  # punctuation or a space: a sentence, or a mark the other rules read
        if _OPENER.match(norm, k):
            if norm[k - 1] in _OPEN_END or _CLAUSE_WORD.search(norm, a, k):
                return None  # …深化并|开展, 主持人为成员|制定, 工作室成员必须|认真: a clause runs on
            return k
    return None


_CLAUSE_FIRST = re.compile(r"[为向对把将由从与和如若凡]")
_CLAUSE_WORD = re.compile(r"为|是|必须|应当|应|要|能(?!力)|可以|将|把|被")  # 能力 is a noun
_OPEN_END = frozenset("并的地得和与及或等对向为被把将了着过")


@lru_cache(maxsize=8192)  # a pure function of a short line (三月份：, 第一周), asked for every such line
def _is_time(phrase: str) -> bool:
    return parse_time(phrase) is not None


def is_list_label(text: str) -> bool:
    """A short line that announces a list (三月份：, 主要事件：) is not content a heading heads."""
    if MONTH_LABEL.fullmatch(text):
        return True  # 十月份 (its list follows on the same line)
    return text.endswith((":", "：")) and (len(text) <= 12 or (len(text) <= 20 and _is_time(text[:-1])))


def build_sections(doc: Doc) -> Doc:
    for plan in doc.plans:
        _plan_sections(doc, plan)
    return doc


_TABLE_LABEL = re.compile(r"([^|]{1,24}?)\s*\|")
_MEMBER = re.compile(r"^(?:副?组长|组员|成员|副?主任|委员|顾问)\s*[:：]")
# A line that is a label, a colon and its text (教学质量提升:通过优化…)
_LABELLED = re.compile(r"[^,，。;；:：\n]{2,10}[:：][^\n]{8,}")
# A notice's salutation (各位教工：, 各支部、处室、年级、学科：): its readers, whom the notice charges
SALUTATION = re.compile(r"^(?:各位|各|全体)[\u4e00-\u9fff、]{1,20}\s*[:：]$")
_LEAD_IN = re.compile(r"(?:如下|以下|下列)[^,，。]{0,6}[:：]$|(?:包括|包含|有|是|为)\s*[:：]$")
_COLON_ENDS = (":", "：", ":\n", "：\n")  # how a _LEAD_IN match ends ($: the end, or a final newline's)


def _candidates(doc: Doc, blocks: list[int]) -> dict[int, tuple[int, str]]:
    """Block index → (end of the heading if it is one, how it qualifies)."""
    norm = doc.norm
    line_heading: dict[int, float] = doc.memo.get("line_heading", {})
    found: dict[int, tuple[int, str]] = {}
    for k, i in enumerate(blocks):
        b = doc.blocks[i]
        nxt = doc.blocks[blocks[k + 1]] if k + 1 < len(blocks) else None
        if b.table and b.marker is None:
            m = _TABLE_LABEL.match(norm, b.start, b.end)
            if m and lexicon().any_term.search(m.group(1)) and not _SENTENCE_END.search(m.group(1)):
                found[i] = (b.start + len(m.group(1).rstrip()), "table")
            continue
        if b.marker is not None:
            body = b.body_start
            if body >= b.end:
                continue
            term = heading_term(norm, body, b.end, need_colon=b.marker.rank > 2,
                                allow_weak=b.inline and b.marker.rank <= 2 and b.end - b.start > 30)
            core = _core(norm, body, b.end)
            if len(core) < 2 or _MEMBER.match(core):
                continue  # 1、組 (a broken line), 2、副組長:__ (a member list)
            gap = _GAP.search(norm, body, min(b.end, body + _TITLE_MAX + 2))  # where a line break was
            if (term is not None and term < b.end - 1 and norm[term - 1] in ":："
                    and _MEMBER.match(norm[term:b.end].lstrip())):
                found[i] = (term, "term")  # 2、组织领导:组长:xx…: the term heads its member list
            elif _is_short_phrase(norm, body, b.end, _SHORT_MAX):
                found[i] = (b.end, "short")
            elif gap and _is_short_phrase(norm, body, gap.start(), _TITLE_MAX) and (term is None or term <= gap.start()):
                found[i] = (gap.start(), "short" if term is None else "term")  # 二、 研修流程      各市、县…
            elif term is not None:
                found[i] = (term, "term")
            else:
                lead = _lead_end(norm, body, b.end)
                if lead is not None:
                    found[i] = (lead, "lead")
                elif b.inline and (run_in := _run_in_end(norm, body, b.end)) is not None:
                    found[i] = (run_in, "run-in")
            continue
        if b.table or nxt is None:
            continue
        if (nxt.inline or nxt.line == b.line) and not _line_break_between(norm, b, nxt):
            # a label with its list on the same line (主要事件：1、…) heads nothing, unless it names
            # a part of a plan (辦學目標： 1. 以學生為本… 2. …): then it heads its items
            text = norm[b.start:b.end]
            if (nxt.marker is not None and text.endswith((":", "：")) and len(text) <= _BARE_MAX
                    and (term := heading_term(norm, b.start, b.end, need_colon=True)) is not None
                    and term >= b.end - 1
                    and not _LEAD_IN.search(text)  # 具体目标包括: announces its list
                    and (lexicon().strong_prefix.match(norm, b.start, b.end) or _run_on_line(norm, b))):
                found[i] = (b.end, "bare")
            continue
        text = norm[b.start:b.end]
        if len(text) <= 20 and _is_time(text.rstrip(" :：")):
            continue  # 三月份： heads a month list, not a section
        closed = unspaced(text)
        if closed != text and closed == closed.strip() and len(closed) <= _BARE_MAX and lexicon().any_term.search(closed):
            found[i] = (b.end, "bare")  # 教 育 目 標 alone on its line: a heading set letter-spaced
            continue
        if SALUTATION.match(text):
            continue  # 各位教工：, 各支部、处室、年级、学科： address a notice's readers, they head nothing
        term = heading_term(norm, b.start, b.end, need_colon=False)
        if text.endswith(_COLON_ENDS) and _LEAD_IN.search(text):
            continue  # 呈现如下特点：, 有效的激励机制包括： announce a list, they head no section
        model = line_heading.get(i)  # P(heading) from the lines model, when it runs
        paired = _PAIRED.fullmatch(text) is not None
        if (_is_short_phrase(norm, b.start, b.end, _PAIRED_MAX if paired else _BARE_MAX) and norm[b.end - 1] not in "。;；"
                and not _INNER_COLON.search(text[:-1])):
            if model is not None and model < MODEL_BODY_MAX:
                continue  # the model reads it as body text
            longer_next = nxt.end - nxt.start > 2 * (b.end - b.start) + 10
            ends_term = heading_term_before(norm, b.start, b.end) and nxt.end - nxt.start > b.end - b.start
            # a phrase alone between paragraphs heads the one below (an unnumbered outline)
            prev = doc.blocks[blocks[k - 1]] if k > 0 else None
            # … after a paragraph, or after a sentence that ends its list (…专业发展机制。 / 研修流程)
            prev_long = prev is not None and (prev.end - prev.start > 2 * len(text) + 10
                                              or (norm[prev.end - 1] in "。；;!！?？" and prev.end - prev.start > len(text)))
            heads = longer_next or _heads_heading(doc, blocks, k)
            # … or right below a heading, itself above its paragraph (开展研修活动 / 导师组业务能力提升 / …)
            # or above a phrase that heads one, below a heading naming a part of a plan (重点工作及措施 /
            # 深化课堂教学改革 / 聚焦核心素养 / …); a dated line in such a stack is a title's part
            below_heading = k > 0 and blocks[k - 1] in found and (longer_next or (
                heads and not doc.times().within(b.start, b.end)
                and heading_term(norm, prev.start, prev.end, need_colon=False) is not None))
            isolated = (prev_long or below_heading) and ("," not in text or paired) and "、" not in text and heads
            if (term is not None or ends_term or isolated or text.endswith((":", "："))
                    or (model is not None and model >= MODEL_HEADING_MIN)):
                # 主要目标 / 实施举措 alone on a line above its paragraph: an unnumbered heading
                found[i] = (b.end, "bare")
        elif term is not None and term < b.end and norm[term - 1] in ":：":
            prev = doc.blocks[blocks[k - 1]] if k > 0 else None
            if any(x is not None and x.marker is None and _LABELLED.match(norm, x.start, x.end)
                   for x in (prev, nxt)):
                continue  # 教学质量提升:通过… among lines of that shape: a labelled list's item, no heading
            found[i] = (term, "bare-term")
    return found


# Two parallel clauses of a slogan (加强教学常规管理,规范教学行为): a heading's shape, not a sentence's
_PAIRED = re.compile(r"[\u4e00-\u9fff“”]{4,10},[\u4e00-\u9fff“”]{4,10}")
_PAIRED_MAX = 21


_TITLE_SENTENCE_MAX = 40  # characters of an upper level's title sentence a list runs on after
_RUN_ON_LINE = 500  # characters of a line that holds a whole page run together


def _run_on_line(norm: str, b: Block) -> bool:
    start = norm.rfind("\n", 0, b.start) + 1
    end = norm.find("\n", b.end)
    return (len(norm) if end < 0 else end) - start >= _RUN_ON_LINE


def _heads_heading(doc: Doc, blocks: list[int], k: int) -> bool:
    """研修流程 / 建立培育站 / (its paragraph): the phrase after this one is itself a phrase alone
    above a longer paragraph, so this one heads it (an unnumbered outline's two levels)."""
    if k + 2 >= len(blocks):
        return False
    norm = doc.norm
    nxt, after = doc.blocks[blocks[k + 1]], doc.blocks[blocks[k + 2]]
    return (nxt.marker is None and not nxt.inline and _is_short_phrase(norm, nxt.start, nxt.end, _BARE_MAX)
            and norm[nxt.end - 1] not in "。;；,，" and not after.inline
            and not _is_time(norm[nxt.start:nxt.end].rstrip(" :："))  # 绍兴市第一中学 / 2019年3月1日: a signature
            and after.end - after.start > 2 * (nxt.end - nxt.start) + 10)


def _plan_sections(doc: Doc, plan: PlanDraft) -> None:
    norm = doc.norm
    blocks = [i for i in range(plan.first_block, plan.last_block) if doc.blocks[i].kind == "para"]
    cands = _candidates(doc, blocks)
    forced: dict[int, bool] = {i: h for i, h in doc.memo.get("seq_heading", {}).items()
                               if plan.first_block <= i < plan.last_block}
    for i, is_heading in forced.items():
        if is_heading and i not in cands and doc.blocks[i].kind == "para":
            cands[i] = (_seq_heading_end(doc, doc.blocks[i]), "seq")

    # Pass 1: the depth of every numbered block (and of unnumbered heading candidates).
    stack: list[_Open] = []
    depth: dict[int, int] = {}
    for i in blocks:
        b = doc.blocks[i]
        if b.marker is None and i not in cands:
            continue
        style = b.marker.style if b.marker else ("table" if cands[i][1] == "table" else "bare")
        value = b.marker.value if b.marker else None
        d, style = _place(stack, style, value, i in cands)
        d = min(d, MAX_DEPTH)
        del stack[d:]
        stack.append(_Open(style, value, i, i in cands, i in cands and norm[cands[i][0] - 1] in ":："))
        depth[i] = d

    # Pass 2: which candidates head content.
    headings: dict[int, int] = {}
    undecided: list[int] = []  # short or lead phrases that head content, if their siblings are headings
    run_in: list[int] = []  # title phrases run into their paragraphs, if their siblings are headings or such too
    for k, i in enumerate(blocks):
        if i not in cands:
            continue
        end, how = cands[i]
        b = doc.blocks[i]
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        nb = doc.blocks[nxt] if nxt is not None else None
        below_para = (nb is not None and nb.marker is None and cands.get(nxt, (0, ""))[1] not in ("bare", "bare-term")
                      and not is_list_label(norm[nb.start:nb.end])
                      and not is_date_line(norm, nb.start, nb.end))  # …加强家校合作 / 2024年2月20日: the signing date
        # Deeper numbered blocks below; sub-items run together on the same line enumerate
        # inside an item (2.聘请专家进行两次专题培训:(1)…(2)…), they do not make it a heading.
        # In a page run onto one line, the line says nothing: a short phrase heads what follows it.
        same_line = nb is not None and nb.inline and nb.line == b.line and not _line_break_between(norm, b, nb)
        below_deeper = (nb is not None and nb.marker is not None and depth.get(nxt, 0) > depth[i]
                        and (not same_line or (how == "short" and norm[b.end - 1] not in ":："
                                               # 二、主要活动(一)开展好书共读活动1 .区教育局荐书…: a phrase
                                               # its list runs into with no mark between heads it
                                               and (_run_on_line(norm, b) or (
                                                   is_cjk(norm[b.end - 1])
                                                   and not _INNER_COLON.search(norm, b.body_start, b.end))))
                             # 3、工作措施:1、…: it names a part of a plan, its list is its content
                             or (how == "short" and heading_term(norm, b.body_start, b.end, True) == b.end)
                             # (一)以科学发展观为指导,寻找更适宜本园的教研方式与方法。1、磨课活动…: an upper
                             # level's title sentence, its list run on after it
                             or (b.marker is not None and norm[b.end - 1] == "。"
                                 and b.end - b.body_start <= (_TITLE_SENTENCE_MAX if b.marker.rank <= 2 else _TITLE_MAX))))
        if b.inline and b.marker is not None and b.marker.rank > 2:
            below_para = False  # a run-on item followed by a new line is still an item
        # a schedule table right below (（四）核心指标 above its table of indicators) is its content
        table_below = i + 1 < len(doc.blocks) and doc.blocks[i + 1].kind == "table" and not b.inline
        below = below_para or below_deeper or table_below
        if how == "short":
            core = _core(norm, b.body_start, b.end)
            sibling_next = nb is not None and nb.marker is not None and depth.get(nxt, 0) <= depth[i]
            if below and (len(core) <= _TITLE_MAX or below_deeper or b.marker.rank <= 1):
                headings[i] = end
            elif end < b.end - 1 and _GAP.match(norm, end):
                headings[i] = end  # (1) 导师组业务能力提升      省、市…: its text after the removed line break
            elif (b.marker.rank <= 1 and depth[i] == 0 and (lead := _lead_end(norm, b.body_start, b.end)) is not None
                  and norm[lead - 1] in ":："):
                headings[i] = lead  # 参、指导单位:教育部…: a top-level label, its value on its line
            elif b.marker.rank <= 1 and nb is not None and not sibling_next:
                headings[i] = end  # 五、具体安排 above a 三月份： list
            elif nb is None and b.marker.rank <= 2 and heading_term(norm, b.body_start, b.end, False):
                headings[i] = end  # 三、保障措施 at the end of a cut-off page
            elif below or nb is None:
                undecided.append(i)
        elif how == "term":
            # 一、指导思想：… heads its section; a deeper item "（1）目标：…" is one item unless it
            # stands at the top of the plan or heads deeper items.
            if b.marker.rank <= 2.6 or depth[i] == 0 or below_deeper:
                headings[i] = end
            elif below_para:
                undecided.append(i)
        elif how == "lead":
            if below_deeper:
                headings[i] = end
            elif (b.marker.rank <= 2 and norm[end - 1] in "。:："
                  and len(norm[end:b.end].strip()) >= _PARAGRAPH_MIN):
                headings[i] = end  # (五)基本普及学前教育。(its paragraph): an upper level's title phrase
            elif below_para or (b.inline and _run_on_line(norm, b) and len(norm[end:b.end].strip()) >= _PARAGRAPH_MIN):
                # in a page run onto one line, a lead phrase before its paragraph heads it if its
                # siblings are headings (1.在摸清家底中促教师发展内需。依照… beside 3.在有向聚焦中促骨干教师成长。)
                undecided.append(i)
        elif how in ("bare", "bare-term", "table", "seq"):
            headings[i] = end
        elif how == "run-in":
            run_in.append(i)
    # A title phrase among title-phrase siblings is one too (2.“二评价”驱动策略:… heads its
    # paragraph, so 1.“三管理”驱动策略:… does; a cut-off last sibling 1. 加强组织 does).
    prev_sib, next_sib = _siblings(doc, blocks, depth)
    # Title phrases run into their paragraphs with no mark between (run-on text: 1. 校本教研活动以学科组
    # 为单位…, 2. 教师自主研修鼓励教师…): one alone may be a sentence; a list of them is a list of headings.
    for i in run_in:
        if any(j is not None and (j in headings or cands.get(j, (0, ""))[1] == "run-in")
               for j in (prev_sib.get(i), next_sib.get(i))):
            headings[i] = cands[i][0]
    for i in undecided:
        near = [j for j in (prev_sib.get(i), next_sib.get(i)) if j is not None]
        if any(j in headings for j in near):
            headings[i] = cands[i][0]
    # The sequence model's decisions, where it ran (sequence stage), overrule the rules'.
    for i, is_heading in forced.items():
        if not is_heading:
            headings.pop(i, None)
    # what the sequence model reads of the rules' decision: how each candidate qualified
    doc.memo.setdefault("heading_how", {}).update({i: how for i, (_e, how) in cands.items()})

    # Pass 3: the heading tree; every block learns its innermost section.
    open_heads: list[tuple[int, int]] = []  # (depth, section index)
    current: int | None = None
    for i in range(plan.first_block, plan.last_block):
        b = doc.blocks[i]
        if b.kind != "para":
            b.section = current
            continue
        if i in depth:
            d = depth[i]
            b.depth = d
            while open_heads and open_heads[-1][0] >= d:
                open_heads.pop()
            if i in headings:
                end = headings[i]
                while end > b.start and norm[end - 1] in " \t":
                    end -= 1
                hidden = cands[i][1] == "table"
                level = sum(1 for _, k in open_heads if not plan.sections[k].hidden) + 1
                parent = next((k for _, k in reversed(open_heads) if not plan.sections[k].hidden), None)
                index = len(plan.sections)
                plan.sections.append(SectionDraft(block=i, start=b.start, end=end, level=level, parent=parent,
                                                  number=_number(doc, b), hidden=hidden))
                b.kind, b.level = "heading", level
                if end < b.end:
                    b.heading_end = end
                open_heads.append((d, index))
            else:
                b.kind = "item"
        current = open_heads[-1][1] if open_heads else None
        b.section = current


def _seq_heading_end(doc: Doc, b: Block) -> int:
    """Where a heading the sequence model found ends: at its heading term or lead phrase
    when content runs on after it, else with the block."""
    norm = doc.norm
    body = b.body_start
    if _is_short_phrase(norm, body, b.end, _SHORT_MAX):
        return b.end
    term = heading_term(norm, body, b.end, need_colon=False, allow_weak=True)
    if term is not None:
        return term
    lead = _lead_end(norm, body, b.end)
    return lead if lead is not None else b.end


def _siblings(doc: Doc, blocks: list[int], depth: dict[int, int]) -> tuple[dict[int, int], dict[int, int]]:
    """For each numbered block, its previous and next sibling: same depth and style, with no
    shallower block between them. One pass over the blocks."""
    prev_sib: dict[int, int] = {}
    next_sib: dict[int, int] = {}
    last: dict[int, int] = {}  # depth -> the last numbered block seen at that depth
    for i in blocks:
        if i not in depth or doc.blocks[i].marker is None:
            continue
        d = depth[i]
        for deeper in [k for k in last if k > d]:
            del last[deeper]
        j = last.get(d)
        if j is not None and doc.blocks[j].marker.style == doc.blocks[i].marker.style:  # type: ignore[union-attr]
            prev_sib[i] = j
            next_sib[j] = i
        last[d] = i
    return prev_sib, next_sib


_CHAPTER_RANK = 0.5  # below this rank, a style numbers parts and chapters (第一部分, 第一章)


def _place(stack: list[_Open], style: str, value: int | None, candidate: bool) -> tuple[int, str]:
    """The depth (0-based) at which a marker of `style`/`value` stands, and the style that
    depth keeps (a heading that continues another style's sequence joins that style)."""
    idx = None
    for j, o in enumerate(stack):  # the first open marker of this style (a loop, not a generator per call)
        if o.style == style:
            idx = j
            break
    if style.startswith("bullet"):
        value = None
    if idx is not None and (value is None or stack[idx].value is None or value == stack[idx].value + 1):
        return idx, style
    if value is not None and idx is not None:
        for j in range(len(stack) - 1, idx, -1):  # a restarted list's next number (3、措施: 1、… 2、…)
            if stack[j].style == style and stack[j].value is not None and value == stack[j].value + 1:
                return j, style
        if value == 1 and stack[-1].style == style and stack[-1].opens:
            return len(stack), style  # 3、工作措施: then 1、…: the list it announces, one level down
    family = FAMILY.get(style)
    if value is not None and family is not None:
        for j, o in enumerate(stack):
            if o.style != style and FAMILY.get(o.style) == family and o.value == value - 1:
                return j, o.style
    if value is not None and value > 1 and candidate:
        for j, o in enumerate(stack):
            # not a part's or chapter's: (一)…(N) numbered through a document's chapters (纲要)
            if o.style != style and o.value == value - 1 and o.heading and rank_of(o.style) >= _CHAPTER_RANK:
                return j, o.style
    if idx is not None:
        return idx, style
    rank = rank_of(style)
    for j, o in enumerate(stack):
        if style.startswith("bullet") and o.style.startswith("bullet"):
            continue  # bullets have no conventional order: a new symbol nests
        if rank_of(o.style) >= rank and (value is None or value > 1 or o.style == "bare"):
            return j, style
    return len(stack), style


def _number(doc: Doc, b: Block) -> str | None:
    if b.marker is None:
        return None
    return doc.norm[b.marker.start:b.marker.end].strip().rstrip("、.,:：")
