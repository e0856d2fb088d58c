"""Stage 3, segment: the normalised text → blocks (lines, and run-on segments that begin
at a numbering marker), each with its marker parsed.

Many web pages run a whole plan together on one line ("一、指导思想坚持…二、工作目标1、…");
a marker inside a line starts a new block when it follows a sentence boundary and fits
the numbering sequence seen so far, so that "2013年" or "1、2年级" never split a sentence.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from .doc import Block, Doc
from .lexicon import heading_term, heading_term_before, lexicon
from .normalise import is_cjk
from .numbering import LABELS, Marker, parse_marker
from .timex import MONTH_LABEL

_SPACE = " \t\r\f\v\u3000\u00a0"
# Characters after which an inline marker may start a new unit.
_BOUNDARY = set("。；;!?！？:：”」』)）|】〉》…#")  # #: a Markdown heading's run of #s (#### 一、…)
# Where an inline marker can start: after a boundary character (and spaces), at an opening
# parenthesis or a circled number anywhere, at 第一部分 anywhere, or at a list's first item
# (一、 1.) right after text. Every other character is skipped without parsing.
# Each kind is its own regex, scanned once over the whole text (one alternation scanned
# line by line costs five times as much).
_CANDIDATE_KINDS = tuple(re.compile(p) for p in (
    r"[。；;!?！？:：”」』)）|】〉》…#][ \t]*([(（一二三四五六七八九十第\d\u2460-\u24ff壹贰叁参肆伍陆柒捌玖A-Ha-h])",
    r"([(\u2460-\u24ff])",
    r"(第)(?=[ \t]*[一二三四五六七八九十\d]{1,3}[ \t]*(?:部分|章|单元|板块))",
    r"([一1])(?<=[\u4e00-\u9fffA-Za-z].)(?=[ \t]*[、.．])",  # …计划一、 …范文.docx一、
    r"(1)(?<=[\u4e00-\u9fff]1)(?=\))",  # …促进课程改革1)强化…: a sub-list's first item (not 十一))
    r"(一)(?<=[\u4e00-\u9fff]\d一)(?=[ \t]*、)",  # …工作计划2一、: a collection's piece number before it
    # …分散研修三、教研组…: the next top-level number run into the text before it
    r"([二三四五六七八九十])(?<=[\u4e00-\u9fff].)(?=[ \t]*、)",  # the numeral first: re scans for it
    r"(?:" + LABELS + r")(?=[ \t]*[一二三四五六七八九十\d]{1,3}[ \t]*[:、.])",
))
# Where the content after a collection's piece title runs into it (…研修总结范文第2篇  摘要 本研究…,
# …工作计划1本学期…), each led by a literal (re scans for it fast)
_PIECE_KINDS = tuple(re.compile(p) for p in (
    r"第[ \t]*[\d一二三四五六七八九十]{1,3}[ \t]*篇[ \t\u3000]*()(?=[\u4e00-\u9fff(（])",
    r"篇[ \t]*[\d一二三四五六七八九十]{1,3}[ \t\u3000]*()(?=[\u4e00-\u9fff(（])",
    *(w + r"\d{1,2}()(?=本学期|本学年|新学期|根据|依据|按照|为了|我校|本校|结合|随着|坚持|[ \t\u3000]{2})"
      for w in ("计划", "方案"))))
# A piece label, then its title, then the content, run together (…以供参考。篇一:《高中学校工作计划》
# (综合全面型工作计划)为全面贯彻…, …精选(九篇)信息教师工作计划第1篇:信息教师工作计划范文加强…):
# the label and title are a unit of their own. Led by the literal 篇 or 计划/方案 (re scans for it).
_PIECE_N = r"[\d一二三四五六七八九十]{1,3}"
_LABELLED_PIECE = re.compile(
    r"(?:第[ \t]*" + _PIECE_N + r"[ \t]*篇|篇[ \t]*" + _PIECE_N + r"|(?:计划|方案)" + _PIECE_N + r")[ \t]*[:：][ \t]*《?"
    r"[\u4e00-\u9fff\d“”—\-]{2,40}?(?:计划|方案|规划|要点|制度|办法|细则|指南|计划书|范文)(?:范文)?"
    r"》?(?:[(（][^()（）。，,]{0,16}[)）])?(?=[\u4e00-\u9fff])(?!范文|模板|范本)")
_PIECE_LABEL_HINT = re.compile(r"[篇划案][ \t]*[\d一二三四五六七八九十]{0,3}[ \t]*[:：]")
# a month list's label run into the text before it (…专题会议五月份:1.集体备课…): found by its 月
# (a scan led by a literal; the numeral before it is read back in _candidates)
_MONTH_LABEL_END = re.compile(r"月份?[:：](?=[ \t]*[(（]?[一1][、.．)）])")
# the marker styles whose next number may run into the text before it
# A piece title's end in run-on text: its document's type or 范文, then the piece label
_PIECE_TITLE_END = re.compile(r"(?:计划|方案|规划|要点|总结|范文|模板|范本|心得|体会)[ \t]*"
                              r"(?:第[ \t]*[\d一二三四五六七八九十]{1,3}[ \t]*篇|篇[ \t]*[\d一二三四五六七八九十]{1,3}|(?<=[划案要结])\d{1,2})"
                              r"[ \t\u3000]*$")
# A calendar's entries run together (…高一考风考纪教育。29日（五）前，班主任…。2月1日（一），…; …。十月份：…):
# a date or a month label right after a sentence's end opens an entry of its own
_DAY = r"(?:\d{1,2}月)?\d{1,2}[日号](?:[ \t]*[(（][^()（）\n]{1,8}[)）])?"
_DATED_ENTRY = re.compile(r"[。；;！？!?][ \t]*(" + _DAY + r"(?:[ \t]*[～~\-—至]{1,2}[ \t]*" + _DAY + r")?"
                          r"(?=[ \t]*(?:[，,：:]|上午|下午|晚上|前|起|全天))"
                          r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?(?=[ \t]*[:：]))")
_MONTH_NUMERALS = frozenset("0123456789一二三四五六七八九十年")
_CONTINUED = frozenset({"1.", "1、", "1)"})
_MIN_ITEM = 4  # characters an item runs at least before the next number run into it
# 一、 after text and spaces (the space looked behind after the numeral: re scans for 一 and 1)
_SPACED_FIRST = re.compile(r"([一1])(?<=[ \t][一1])(?=[ \t]*[、.．])")


def _candidates(norm: str) -> tuple[list[int], frozenset[int], frozenset[int], dict[int, int]]:
    """Sorted offsets where an inline marker may start, in the whole text; those after a
    piece title and those of a month label among them; the content after a labelled piece
    title → where its label starts."""
    found = {m.start(m.lastindex or 0) for rx in _CANDIDATE_KINDS for m in rx.finditer(norm)}
    pieces = frozenset(m.start(1) for rx in _PIECE_KINDS for m in rx.finditer(norm))
    labelled = ({m.end(): m.start() for m in _LABELLED_PIECE.finditer(norm)}
                if _PIECE_LABEL_HINT.search(norm) else {})  # the cheap scan first: most texts have none
    months = set()
    for m in _MONTH_LABEL_END.finditer(norm):
        k = m.start()
        while k > 0 and m.start() - k < 2 and norm[k - 1] in _MONTH_NUMERALS and norm[k - 1] != "年":
            k -= 1
        if k < m.start():
            months.add(k)
    if "月" in norm or "日" in norm or "号" in norm:
        months.update(m.start(1) for m in _DATED_ENTRY.finditer(norm))
    for m in _SPACED_FIRST.finditer(norm):
        k = m.start() - 1
        while norm[k] in " \t":
            k -= 1
        if "\u4e00" <= norm[k] <= "\u9fff":
            found.add(m.start())
    return sorted(found | pieces | months | labelled.keys()), pieces, frozenset(months), labelled


_ALWAYS_INLINE = {"(一)", "(1)", "①", "⑴", "第部分", "第章"}  # unambiguous enough to split anywhere
# A title or a site's piece label ends right before the plan's first marker:
# "…实施方案一、指导思想…", "…计划篇1一、指导思想…".
_TITLE_END = re.compile(r"(?:计划|方案|规划|计划书|要点|制度|办法|细则|意见|纲要|篇\s*[\d一二三四五六七八九十]{1,3}"
                        r"|第\s*[\d一二三四五六七八九十]{1,3}\s*篇)"
                        r"(?:范文|模板|范本)?(?:\.docx?|\.pdf|\.wps)?(?:\s*\d{1,2})?\s*$")
# Where a run-on title starts: after the sentence before it (…工作总结。2022学校校本研训工作计划2一、…),
# a phrase of name characters only
# (or after a page's export artefact: …文档简介PAGE教师入职前培训制度一、总则, ….docxVIP…)
_TITLE_START = re.compile(r"(?:[。；;!?！？]|[ \t\u3000]{2}|PAGE\d*|VIP|\.docx?|\.pdf|\.wps)[ \t\u3000]*([\u4e00-\u9fff\d“”《》—\-]{4,40}[ \t\u3000]*)$")


def _ends_with_heading_term(norm: str, a: int, b: int) -> bool:
    """二、工作目标1、… in run-on text: a list starts right after a heading term."""
    return bool(heading_term_before(norm, a, b))


_OPENING_TERM_MIN = 4  # characters of the heading term after a plan's first 一、 (指导思想, 工作目标)


def _opens_plan(norm: str, marker: Marker, last: dict[str, int], end: int) -> bool:
    """The plan's first top-level heading run into the page's text before it (…点击数： 次一、指导思想在…):
    the first 一、 of the text, a long heading term right after it."""
    if marker.style != "一" or "一" in last:
        return False
    m = lexicon().strong_prefix.match(norm, marker.end, end)
    return m is not None and m.end() - m.start() >= _OPENING_TERM_MIN


def _sequence_ok(marker: Marker, last: dict[str, int], strong: bool) -> bool:
    prev = last.get(marker.style)
    if marker.value == 1:
        return True
    if prev is not None and marker.value == prev + 1:
        return True
    # Top-level styles after a full stop: accept a continuation we did not see start
    # (the first item may sit in the title line or in a cut-off page).
    return strong and marker.style in ("一", "壹", "第部分", "第章") and (prev is None or marker.value > prev)


def _month_label_before(norm: str, start: int, i: int) -> bool:
    """九月份 1、参与… : a month list's first item on its month's line."""
    m = MONTH_LABEL.match(norm, start, i)
    return m is not None and m.end() == i


_SENTENCE_END_INSIDE = re.compile(r"[。;；!?！？]")
_HEAD_PHRASE = 20  # run-on: a top-level heading phrase this short may run into its first item
_LABEL_RANK = 2.6  # … or a labelled one's (目标一:摸清家底,…1.在…)
_LABEL_FIRST = frozenset(w[0] for w in LABELS.split("|"))
_LABEL_HEAD = re.compile(rf"(?:{LABELS})[一二三四五六七八九十]{{1,2}}[ \t]*[:：]")  # 目标一: (not 目标1、)


def _inline_markers(norm: str, start: int, end: int, last: dict[str, int], first: Marker | None,
                    candidates: list[int], pieces: frozenset[int] = frozenset(),
                    months: frozenset[int] = frozenset(), labelled: dict[int, int] | None = None) -> list[int]:
    cuts: list[int] = []
    # a site's teaser of its first piece (…希望能够帮助到大家。X方案1  一、工作室的目标  本工作室以……)
    # is one unit of furniture: its piece title does not start a piece
    teaser = norm.endswith(("……", "..."), start, end)
    head_marker = first  # the marker the current unit starts with
    head_start = start
    pending = (None, -1)  # (the head it was looked for after, where its next number runs in)
    for i in [*candidates, end]:
        # a list's next number run into the item before it (1.第二次…活动2.学校线上…): only the
        # number after the current unit's own, a few characters on, between CJK characters
        while head_marker is not None and head_marker.style in _CONTINUED:
            if pending[0] is not head_marker:
                pending = (head_marker, _next_number(norm, head_marker, head_start + _MIN_ITEM, end))
            k = pending[1]
            if k < 0 or k >= i or k < _last_cut(cuts, start) + 2:
                break
            marker = parse_marker(norm, k, end)
            if marker is None or marker.end >= end or marker.style != head_marker.style \
                    or marker.value != head_marker.value + 1:
                break
            last[marker.style] = marker.value
            cuts.append(k)
            head_marker, head_start = marker, k
        if i == end:
            break
        if cuts and i < cuts[-1] + 2:
            continue
        j = i - 1
        while j > start and norm[j] in _SPACE:
            j -= 1
        prev_ch = norm[j]
        ch = norm[i]
        if norm[i - 1] in "(第":
            continue  # inside a marker that starts one character earlier: (一), 第一
        if i in pieces and not teaser and (
                p := _PIECE_TITLE_END.search(norm, max(start, i - 20), i)):
            # a collection's piece title inside the line: a unit of its own, its content after it
            t = _TITLE_START.search(norm, max(_last_cut(cuts, start), i - 50), p.end())
            if t and t.start(1) - _last_cut(cuts, start) >= 2:
                cuts.append(t.start(1))
            if t or i - _last_cut(cuts, start) >= 2:
                cuts.append(i)
                last.clear()  # a new piece numbers from 1 again
                head_marker, head_start = None, i
            continue
        if labelled and i in labelled and not teaser:
            k = labelled[i]
            if k - _last_cut(cuts, start) >= 2:
                cuts.append(k)
            cuts.append(i)
            last.clear()  # a new piece numbers from 1 again
            head_marker, head_start = None, i
            continue
        if i in months and i - _last_cut(cuts, start) >= 2 and norm[i - 1] not in _MONTH_NUMERALS:
            cuts.append(i)  # 五月份: opens its month's list (no marker: the numbering goes on)
            head_marker, head_start = None, i
            continue
        # Without a boundary before it only (一), (1), ①, ⑴, 第一部分 or a marker after a title
        # can start a unit; most candidates are plain words and need no parsing.
        boundary = prev_ch in _BOUNDARY
        if not boundary and ch not in "(第一1二三四五六七八九十" and not "\u2460" <= ch <= "\u24ff" and not (
                ch in _LABEL_FIRST and _LABEL_HEAD.match(norm, i) and is_cjk(norm[i - 1])
                and _ends_with_heading_term(norm, max(start, i - 8), i)):
            continue  # (三、工作措施目标一:…: a labelled list's first label right after a heading term)
        marker = parse_marker(norm, i, end)
        if marker is None or marker.end >= end:
            continue
        if not boundary and ch in "二三四五六七八九十":
            # only the top level's next number, not a word's numeral (高二、, 周三、, 十三、)
            if (marker.style != "一" or last.get("一") != marker.value - 1 or prev_ch in _NUMERAL_WORDS
                    or i - _last_cut(cuts, start) < _MIN_SECTION):
                continue
            last[marker.style] = marker.value
            cuts.append(i)
            head_marker, head_start = marker, i
            continue
        # A list's first item right after a title, a heading term, or a short top-level
        # heading phrase (三、主要内容与形式1. 教学观摩…) starts a unit too.
        after_head = (head_marker is not None and head_marker.style != marker.style
                      # a top level's phrase, or a list item's phrase above its own sub-list
                      # (2、狠抓教学常规,促进课程改革1)强化…)
                      and (head_marker.rank <= _LABEL_RANK or marker.rank > head_marker.rank)
                      and i - head_marker.end <= _HEAD_PHRASE
                      and not _SENTENCE_END_INSIDE.search(norm, head_marker.end, i)
                      # a title phrase of up to three short clauses (（二）深化行风建设，弘扬师德师风1．…)
                      and norm.count(",", head_marker.end, i) <= 2)
        strong = boundary or (marker.value == 1 and (bool(_TITLE_END.search(norm, max(start, i - 12), i))
                                                     or _ends_with_heading_term(norm, max(start, i - 8), i)
                                                     or after_head
                                                     or _month_label_before(norm, start, i)
                                                     or _opens_plan(norm, marker, last, end)))
        if not strong and marker.style not in _ALWAYS_INLINE:
            continue
        if marker.style in ("A", "a", "(A)") or marker.style.startswith("bullet"):
            continue  # A、…；B、… inside a sentence enumerates, it does not start units
        if marker.style in ("1.", "1、", "1.1", "a", "A") and norm[i - 1:i].isdigit():
            continue
        if marker.style in ("(一)", "(1)") and norm[i - 1:i] in _DAY_WORDS:
            continue  # 25日(一), 周(三): a weekday in brackets, not a list's first item
        if not _sequence_ok(marker, last, strong):
            continue
        if not boundary and marker.value == 1 and marker.style == "一":
            # the plan's first heading after its run-on title: the title is a unit of its own
            # (…工作总结。2022学校校本研训工作计划2一、指导思想…)
            t = _TITLE_START.search(norm, max(_last_cut(cuts, start), i - 44), i)
            if t and _TITLE_END.search(norm, t.start(1), i) and t.start(1) - _last_cut(cuts, start) >= 2:
                cuts.append(t.start(1))
        if marker.value == 1 and ch not in "一二三四五六七八九十" and (
                k := _label_start(norm, max(_last_cut(cuts, start), i - _LABEL_MAX), i)) is not None \
                and k - _last_cut(cuts, start) >= 2:
            cuts.append(k)  # …使命及目标。 目标:1. 推动…: the list's label after a sentence is a unit of its own
        last[marker.style] = marker.value
        if prev_ch == "#":  # a Markdown heading: its #s open the unit (the furniture stage drops them)
            while j > start and norm[j - 1] == "#":
                j -= 1
            if j - _last_cut(cuts, start) >= 2:
                i = j
        cuts.append(i)
        head_marker, head_start = marker, i
    return cuts


_LABEL_MAX = 14  # characters of a list's label run in before its first item
_BEFORE_LABEL = frozenset("。；;!?！？ \t\u3000")


def _label_start(norm: str, lo: int, i: int) -> int | None:
    """Where a heading term's label with its colon (目标:, 工作项目 :) starts, right after a
    sentence's end, before the list item at i; None if no such label ends there."""
    j = i
    while j > lo and norm[j - 1] in " \t\u3000":
        j -= 1
    if j <= lo or norm[j - 1] not in ":：":
        return None
    k = j - 1
    while k > lo and norm[k - 1] in " \t\u3000":
        k -= 1  # 工作项目 :
    while k > lo and norm[k - 1] not in _BEFORE_LABEL:
        k -= 1
    if k <= lo or norm[k - 1] not in _BEFORE_LABEL or j - k < 2:
        return None
    return k if heading_term(norm, k, j, need_colon=True) == j else None


_DAY_WORDS = set("日号周")
# characters that make a word with the numeral after them (高二, 初三, 周五, 第四, 星期三, 其二, 十三)
_NUMERAL_WORDS = set("高初周期第十百千万其之唯统星年月日号级届班组季部楼层区")
_MIN_SECTION = 6  # characters a top-level section runs at least before the next number


def _next_number(norm: str, head: Marker, lo: int, hi: int) -> int:
    """Where the number after `head`'s (2. after 1., 3、 after 2、) runs into the text in
    [lo, hi): after a CJK character that makes no word with it, before a CJK one; -1 if nowhere."""
    text = norm[head.start:head.end].strip()
    digits = len(text) - len(text.lstrip("0123456789"))
    if not digits or digits == len(text):
        return -1
    want = f"{head.value + 1}{text[digits]}"
    k = norm.find(want, lo, hi)
    while k >= 0:
        after = k + len(want)
        if after < hi and norm[after] in " \u3000\xa0":
            after += 1  # 实践2. 具体要求: one space after the number
        if (is_cjk(norm[k - 1]) and norm[k - 1] not in _NUMERAL_WORDS and not norm[k - 1].isdigit()
                and after < len(norm) and is_cjk(norm[after])):
            return k
        k = norm.find(want, k + 1, hi)
    return -1



def _last_cut(cuts: list[int], start: int) -> int:
    return cuts[-1] if cuts else start


def segment(doc: Doc) -> Doc:
    norm = doc.norm
    blocks: list[Block] = []
    last: dict[str, int] = {}
    line_start = 0
    candidates, pieces, months, labelled = _candidates(norm)
    for line_no, raw in enumerate(norm.split("\n")):
        line_end = line_start + len(raw)
        stripped = raw.strip(_SPACE)  # the line without its edge spaces, found by str.strip
        if stripped:
            a = line_start + raw.find(stripped)
            b = a + len(stripped)
            first = parse_marker(norm, a, b)
            if first is not None:
                last[first.style] = first.value
            table = norm.find(" | ", a, b) >= 0 or norm.endswith(" |", a, b)
            lo = bisect.bisect_right(candidates, a)
            hi = bisect.bisect_left(candidates, b, lo)
            continued = first is not None and first.style in _CONTINUED and b - a > _MIN_ITEM + 4
            inline = (_inline_markers(norm, a, b, last, first, candidates[lo:hi], pieces, months, labelled)
                      if hi > lo or continued else [])
            if not inline:  # most lines: one block, its marker already parsed
                blocks.append(Block(start=a, end=b, line=line_no, marker=first, inline=False, table=table))
            else:
                cuts = [a, *inline]
                for k, c in enumerate(cuts):
                    e = cuts[k + 1] if k + 1 < len(cuts) else b
                    while e > c and norm[e - 1] in _SPACE:
                        e -= 1
                    if e <= c:
                        continue
                    blocks.append(Block(start=c, end=e, line=line_no, marker=parse_marker(norm, c, e),
                                        inline=k > 0, table=table))
        line_start = line_end + 1
    width = wrap_width(norm, blocks)
    doc.memo["wrap_width"] = width or 0  # the sequence model's features use it
    chars = char_wrap(norm, blocks)
    doc.memo["char_wrap"] = chars  # the tables stage joins a wrapped row's lines by it
    doc.blocks = _unwrap(norm, blocks, width, chars)
    return doc


_WRAP_MIN = 16  # visual width (a CJK character counts 2) below which a line says nothing of wrapping
_SENTENCE_END = frozenset("。！？；：!?;:")


def _width(norm: str, a: int, b: int) -> int:
    # a CJK character is 3 bytes in UTF-8 and counts 2: the byte count says it without a loop
    text = norm[a:b]
    # … and the stops normalise made half-width (，→ ,) count two as they did on the page
    return (len(text) + (len(text.encode("utf-8")) - len(text)) // 2
            + text.count(",") + text.count(":") + text.count(";") + text.count("(") + text.count(")"))


def wrap_width(norm: str, blocks: list[Block]) -> int | None:
    """The width a hard-wrapped text (copied from a PDF viewer) was wrapped at, or None: many
    lines end within a few columns of one width and hardly any line is longer."""
    if len(blocks) < 6:
        return None
    widths = sorted(w for b in blocks if not b.inline and b.end - b.start >= _WRAP_MIN // 2
                    and (w := _width(norm, b.start, b.end)) >= _WRAP_MIN)
    if len(widths) < 6:
        return None
    best, best_n = None, 0
    for w in set(widths):
        n = bisect.bisect_right(widths, w) - bisect.bisect_left(widths, w - 4)
        if n > best_n or (n == best_n and best is not None and w > best):
            best, best_n = w, n
    longer = len(widths) - bisect.bisect_right(widths, best + 2)
    if best_n < 4 or longer * 10 > len(widths):
        return None
    if best_n * 10 >= len(widths) * 3:
        return best
    # a page of many shorter lines (menus, a table's short rows): half as many again lines end within
    # a few columns of the width as within as few columns anywhere below it
    near = max((bisect.bisect_right(widths, w) - bisect.bisect_left(widths, w - 4)
                for w in range(best * 3 // 4, best - 4)), default=0)
    return best if 2 * best_n >= 3 * near + 4 else None


def char_wrap(norm: str, blocks: list[Block]) -> int | None:
    """The number of characters a text was wrapped at, where its lines were cut by count, not
    by width (digits and Chinese alike): the longest line's length, ending a fifth of the lines
    (the visual width then varies too much for wrap_width, and no text written by hand ends
    so many lines at one length)."""
    lengths = [n for b in blocks if not b.inline and (n := b.end - b.start) >= _WRAP_MIN]
    if len(lengths) < 6:
        return None
    top = max(lengths)
    n = lengths.count(top)
    if n < 4:
        return None
    if n * 5 >= len(lengths):
        return top
    # … or, in a page of many shorter lines (menus, a table's short rows), twice as many lines
    # end at it as at any other length near it
    counts = Counter(lengths)
    near = max((c for k, c in counts.items() if k != top and k >= top * 3 // 4), default=0)
    return top if n >= 2 * near + 2 else None


def _unwrap(norm: str, blocks: list[Block], width: int | None, chars: int | None = None) -> list[Block]:
    """Join a hard-wrapped paragraph back into one block: a line that fills the wrap width (or,
    wrapped by count, has the wrap's number of characters) and does not end a sentence continues
    on the next line, unless that line starts a new unit (a numbering marker) or a blank line
    lies between."""
    if width is None and chars is None:
        return blocks
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (prev is not None and not b.inline and (b.marker is None or _closes_bracket(norm, prev, b))
                and b.line == last_line(norm, prev) + 1
                # a line of the wrap's very count was cut there even after a stop: a sentence ends
                # inside a paragraph far more often than a paragraph ends at the wrap's character
                and (norm[prev.end - 1] not in _SENTENCE_END
                     or fills_wrap(norm, norm.rfind("\n", 0, prev.end) + 1, prev.end, chars, None))
                and not _LINK_DATE_END.search(norm, max(prev.start, prev.end - 12), prev.end)
                and not (_BRACKETED_LINE.fullmatch(norm, b.start, b.end)
                         and not fills_wrap(norm, norm.rfind("\n", 0, prev.end) + 1, prev.end, chars, width))
                and _fills(norm, prev.end, width, chars, b.table or prev.table)):
            prev.end = b.end
            continue
        out.append(b)
    return out


# a list's link ends in its date (第五周主要工作安排表(3.6-3.12)[03-06]): the next line is the next link
_LINK_DATE_END = re.compile(r"[\[【]\d{1,4}(?:[-/.]\d{1,2}){1,2}[\]】]$")

# a line that is one bracketed note ((2017年9月——2020年6月), (征求意见稿)) under a title: its own line
# unless the line above reaches the wrap
_BRACKETED_LINE = re.compile(r"[(（][^()（）\n]{2,30}[)）]")


def _closes_bracket(norm: str, prev: Block, b: Block) -> bool:
    """第8周主要工作安排表（10.23-10. / 29）[10-24], …育人楷模…[02 / -27]: a line that starts by closing the
    bracket the line above left open starts with no marker (the wrap cut the date in it)."""
    if b.marker is None:
        return False
    line = norm[norm.rfind("\n", 0, prev.end) + 1:prev.end]
    head = norm[b.start:min(b.end, b.start + _CLOSE_REACH)]
    for opener, closer in _BRACKETS:
        depth = sum(line.count(o) for o in opener) - sum(line.count(c) for c in closer)
        if depth > 0 and any(c in head for c in closer) and not any(o in head for o in opener):
            return True
    return False


_BRACKETS = (("(", ")"), ("[【", "]】"))  # normalise folded （） to ()
_CLOSE_REACH = 8  # characters of a line searched for the bracket it closes


def _fills(norm: str, end: int, width: int | None, chars: int | None, table: bool) -> bool:
    """Does the line ending at `end` fill the wrap width (three quarters of it will do: a word
    that did not fit went on)? A table's row only where it reaches the wrap's very character or
    column (… | 作 / 息时间 | 图书馆 |…): a row seldom ends there."""
    line_start = norm.rfind("\n", 0, end) + 1
    if fills_wrap(norm, line_start, end, chars, width):
        return True
    # three quarters of the width will do where a Latin word or a number did not fit and went on;
    # Chinese wraps between any two characters, so its lines fill the width
    return (not table and bool(width) and _width(norm, line_start, end) >= width * 3 // 4
            and ((norm[end - 1].isascii() and norm[end - 1].isalnum())
                 or (end + 1 < len(norm) and norm[end + 1].isascii() and norm[end + 1].isalnum())))


def fills_wrap(norm: str, a: int, b: int, chars: int | None, width: int | None) -> bool:
    """The line norm[a:b] reaches the wrap: its count of characters where the text was wrapped
    by count, else its visual width."""
    if chars:
        return b - a == chars
    # a few columns short: a character that did not fit went on (a stop may not open a line, so
    # the character before it goes on with it)
    return bool(width) and _width(norm, a, b) >= width - max(4, width // 10)


def last_line(norm: str, b: Block) -> int:
    """The number of the line a block ends on (a joined, hard-wrapped block spans several)."""
    return b.line + norm.count("\n", b.start, b.end)
