"""Stage 5, split: a file → plans. Template sites put several plans on one page
("…计划1 … 计划5", "范文第1篇 … 第5篇", "篇一 … 篇三"); each piece is its own plan, the
page title and teaser above them belong to none, and a piece that is not a plan (a survey
abstract, a list of references) is dropped as debris. Also finds each plan's title."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .doc import Block, Doc, PlanDraft
from .lexicon import compact
from .literals import guard, required_literals
from .normalise import is_cjk
from .numbering import cn_to_int, parse_marker
from .segment import last_line

_N = r"(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})"
_DOCTYPE = r"(?:计划|方案|规划|安排|要点|总结|制度|意见|计划书|细则|办法|纲要|指南|通知|注意事项|原则|实施计划|计画|行事历|思路|安排表)"
_PIECE_HEADERS = [
    re.compile(rf"^(?P<stem>.{{2,60}}?)\s*(?:范文|模板|范本|样本|精选|参考|优秀模板精选|优秀范文)?\s*第\s*{_N}\s*篇\s*[:：]?\s*$"),
    re.compile(rf"^(?P<stem>.{{2,60}}?)\s*篇\s*{_N}\s*[:：]?\s*$"),
    # 篇一:《高中学校工作计划》(综合全面型工作计划): a remark in brackets after the name is not the title's
    re.compile(rf"^【?\s*篇\s*{_N}\s*】?\s*[:：]?\s*《?(?P<stem>.{{0,60}}?)》?(?:(?<=》)\s*[(（][^()（）]{{0,20}}[)）])?\s*$"),
    re.compile(rf"^【\s*第?\s*{_N}\s*篇\s*】\s*(?P<stem>.{{0,60}})$"),
    re.compile(rf"^第\s*{_N}\s*篇\s*[:：]\s*(?P<stem>.{{2,60}})$"),
    re.compile(rf"^(?P<stem>.{{4,60}}?{_DOCTYPE}.{{0,12}}?)\s*[(（]?{_N}[)）]?\s*$"),
    re.compile(rf"^(?:计划|方案)\s*{_N}\s*[:：]\s*(?P<stem>.{{0,60}})$"),
]
# "(精选7篇)", "【五篇】", "通用7篇", "(共11篇)": the title of a collection page, not of a plan.
_COLLECTION = re.compile(r"[(（【]\s*(?:精选|通用|推荐|共|汇总|精品|合集)?\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*篇\s*[)）】]"
                         r"|(?:精选|通用|汇总|推荐|合集|锦集|集锦)\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*篇"
                         r"|(?:\d{1,3}|[一二三四五六七八九十]{1,3})篇\s*$|【精品多篇】|【\s*\d+篇\s*】"
                         # a page's intro announcing its pieces (本文将为您呈现五篇…范文, 整理了3篇)
                         r"|(?:呈现|整理|分享|收集|汇总|提供|推荐)了?[^。，,]{0,6}?(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*篇")
_NOT_A_PLAN = re.compile(r"^摘要|关键词\s*[:：]|^\[\d+\]|责任编校|参考文献|^>>")
_NOT_A_PLAN_NEEDS = guard(_NOT_A_PLAN)  # its literals, one fast scan (it is tried on every block)
_NOT_A_PLAN_WORDS = required_literals(_NOT_A_PLAN)
_TITLE_WORDS = re.compile(_DOCTYPE + r"|计划书|工作思路|实施方案|打算")
# A title ends with its document type (plus a version note, a file extension, a subtitle).
# A collection's piece label after a title (小学秋季德育工作计划 【篇一】, …计划 第2篇): not the title's
_PIECE_LABEL = r"\s*[【\[(（]?\s*(?:篇\s*[一二三四五六七八九十\d]{1,3}|第\s*[一二三四五六七八九十\d]{1,3}\s*篇)\s*[】\])）]?"
_TITLE_END = re.compile(r"(?:" + _DOCTYPE[3:-1] + r"|打算|计划表)"
                        r"(?:\s*[(（][^()（）]{0,12}[)）])?(?:的?(?:范文|(?:标准)?模板|范本|参考范文))?(?:\.docx?|\.pdf)?(?:VIP)?"
                        r"(?:\s*\d{1,2}|" + _PIECE_LABEL + r")?(?:\s*[:：—-].{2,30})?》?\s*$")
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|txt)(?:VIP)?\s*$", re.I)
# Decorations around a plan's own title (site piece numbers, file names).
_TITLE_TAIL = re.compile(r"(?:\s*(?:的?(?:范文|(?<!标准)模板|范本|参考范文))?\s*(?:\.docx?|\.pdf)?(?:VIP)?"
                         r"|\s*[(（【]\s*(?:精选|通用|推荐|共)?\s*\d{1,3}\s*篇\s*[)）】]"
                         r"|\s*_第\d+页|(?<=[划案要历结书则法见南知路表度排])\s*\d{1,2}|" + _PIECE_LABEL
                         + r"|(?<=[划案要历结书则法见南知路表度排\)])》)+$")
# The characters a _TITLE_TAIL piece can end with, besides spaces and digits: a title that
# ends with none of them has no tail (most end with their document type: …计划), so the
# search, which tries every position, is not run.
_TAIL_LAST = frozenset("文板本cxfP)）】]篇一二三四五六七八九十页》")


def _tail_start(text: str) -> int:
    """Where _TITLE_TAIL's match starts in text (len(text): no tail)."""
    last = text[-1:]
    if last and last not in _TAIL_LAST and not last.isspace() and not last.isdecimal():
        return len(text)
    m = _TITLE_TAIL.search(text)
    return m.start() if m else len(text)


# what opens a title line without being the title: markup, a Markdown #, a bracketed label, a
# piece label (计划一:, 篇二:, 第3篇:)
_TITLE_HEAD = re.compile(r"(?:(?:<[^<>\n]{0,80}>\s*)+|#+\s*|【[^】]{0,10}】\s*|[【\[(（](?=[^】\])）]*$)|《(?=[^《》]*$)"
                         r"|(?:计划|方案|篇)\s*[一二三四五六七八九十\d]{1,3}\s*[:：]\s*《?|第\s*[一二三四五六七八九十\d]{1,3}\s*篇\s*[:：]\s*《?)")


def _collection(text: str) -> bool:
    """The title of a collection page (精选7篇): every one names 篇, the cheap test first
    (it is tried on every block)."""
    return "篇" in text and _COLLECTION.search(text) is not None


@dataclass
class _Header:
    block: int
    number: int
    stem: str


def _piece_header(text: str) -> tuple[int, str] | None:
    if len(text) > 70 or not ("篇" in text or text[-1] in "0123456789一二三四五六七八九十)）:：" or text.startswith(("计划", "方案"))):
        return None
    for rx in _PIECE_HEADERS:
        m = rx.match(text)
        if m:
            n = cn_to_int(m.group("n"))
            if n:
                return n, _last_copy(m.group("stem").strip())
    return None


def _last_copy(stem: str) -> str:
    """A stem that repeats the title it ends with (run-on text: the page's title, then the
    piece's: 灵感范文站2022…工作计划2022…工作计划): its last copy."""
    for n in range(_COPY_MIN + 2, len(stem) // 2 + 1):
        if stem.endswith(stem[-n:], 0, len(stem) - n):
            return stem[-n:]
    return stem


def _find_headers(doc: Doc, live: list[int]) -> list[_Header]:
    found: list[_Header] = []
    for i in live:
        b = doc.blocks[i]
        if b.marker is not None and b.marker.start == b.start and b.marker.style not in ("1.", "1、"):
            continue
        h = _piece_header(doc.norm[b.start:b.end])
        if h:
            found.append(_Header(i, h[0], h[1]))
    # Keep a run of headers that counts up and names the same kind of document.
    found = found[:200]  # a page holds a few dozen pieces at most; bounds the work on hostile input
    best: list[_Header] = []
    if len(found) > 1:
        from rapidfuzz import fuzz  # here: ~10 ms to import, and most documents have no run of pieces
    for k, h in enumerate(found):
        if h.number != 1 and best:
            continue
        run = [h]
        for g in found[k + 1:]:
            if g.number == run[-1].number + 1 and (not g.stem or not h.stem or
                                                   fuzz.ratio(g.stem, h.stem) >= 60):
                run.append(g)
        if len(run) >= len(best):
            best = run  # of two runs as long, the later: the first is a teaser or a table of contents
    return best if len(best) >= 2 or (best and best[0].number == 1 and _has_collection(doc, live)) else []


def _has_collection(doc: Doc, live: list[int]) -> bool:
    return any(_collection(doc.norm[doc.blocks[i].start:doc.blocks[i].end]) for i in live[:8])


def _is_plan(doc: Doc, blocks: list[Block]) -> bool:
    norm = doc.norm
    lo, hi = (blocks[0].start, blocks[-1].end) if blocks else (0, 0)  # blocks are in the text's order
    # the literals looked for in the blocks' whole extent first (str.find): most plans hold none
    if _NOT_A_PLAN_WORDS is None or any(norm.find(w, lo, hi) >= 0 for w in _NOT_A_PLAN_WORDS):
        texts = [norm[b.start:b.end] for b in blocks]
        bad = sum(1 for t in texts if _NOT_A_PLAN_NEEDS.search(t) and _NOT_A_PLAN.search(t))
    else:
        bad = 0
    numbered = sum(1 for b in blocks if b.marker is not None)
    return not (bad >= 2 and numbered < 3) and not (blocks and norm.startswith("摘要", blocks[0].start, blocks[0].end))


_SENTENCE_OPENING = re.compile(r"(?:根据|依据|按照|遵照|为了|为进一步|为全面|为深入|为切实|为加快|结合|围绕|现将)")


_COLON = re.compile(r"[:：]")


def _is_title_like(text: str) -> bool:
    text = compact(text)  # 縣教研工作計(jì)劃: judged without its pinyin annotations
    if "\n" in text:
        text = text.replace("\n", "")  # a title a hard wrap broke (…工作计划:策 / 马研思提质,聚力素养育人)
    if len(text) > 70 or "。" in text or "是" in text or text.startswith(("以下", "下面", "关于如何")):
        return False
    if text.count("《") > text.count("》") or _SENTENCE_OPENING.match(text):
        return False  # 根据《XX区2023年教育工作要点》和…: a sentence citing a document, not a title
    head = _COLON.split(text, maxsplit=1)[0]
    return bool(_TITLE_END.search(text)) and "," not in head and not _collection(text)


_PUBLISHED = re.compile(r"《([^《》\n]{4,40})》")
_PUBLISHED_REACH = 40  # blocks below the notice searched for the plan's own title line


def _published(doc: Doc, blocks: list[int]) -> tuple[int, int] | None:
    """A notice that publishes a plan (现将《绍兴市第一中学2019学年工作要点》印发给你们 … signature,
    date) carries the plan below it: its title is the line that repeats the name in 《》."""
    norm = doc.norm
    for k, i in enumerate(blocks[:12]):
        b = doc.blocks[i]
        for m in _PUBLISHED.finditer(norm, b.start, b.end):
            name = m.group(1).strip()
            if not _is_title_like(name):
                continue
            for j in blocks[k + 1:k + _PUBLISHED_REACH]:
                c = doc.blocks[j]
                text = norm[c.start:c.end].strip()
                if text == name or (text.startswith(name) and len(text) - len(name) <= 6):
                    a = norm.find(name, c.start, c.end)
                    return a, a + len(name)
    return None


def _copy_after(norm: str, a: int, b: int) -> tuple[int, int]:
    """A run-on title that the article repeats right after it (the page's title glued to the
    article's own: 中学语文学科组教研工作计划中学语文学科组教研工作计划, or with a piece label between:
    …工作计划计划一:中学校本培训工作计划): the copy, where the article starts."""
    title = norm[a:b]
    if len(title) < _COPY_MIN:
        return a, b
    k = norm.find(title, b, b + len(title) + _COPY_GAP)
    if k < 0 or not _COPY_SEP.fullmatch(norm, b, k):
        return a, b
    return k, k + len(title)


_COPY_GAP = 8
_COPY_SEP = re.compile(r"\s*(?:(?:计划|方案|篇)\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[:：]?\s*)?")
_COPY_MIN = 4  # characters of a repeated title


def _title(doc: Doc, blocks: list[int], header: _Header | None) -> tuple[int, int] | None:
    """The plan's own title: the piece header's stem, else the last title-like line before the
    content starts (template sites put the page title, then the plan's own, above it).
    Title-like lines above the chosen one are page furniture."""
    norm = doc.norm
    if header is not None and header.stem:
        b = doc.blocks[header.block]
        i = norm.find(header.stem, b.start, b.end)
        if i >= 0 and _TITLE_WORDS.search(header.stem):
            return _trim_title(doc, i, i + len(header.stem))
    for i in blocks[:8]:
        if doc.blocks[i].kind == "table":
            break
        if (span := _title_before_body(doc, i)) is not None:
            return _trim_title(doc, *span)
    found: list[tuple[int, int, int]] = []  # (block, start, end)
    after_run_on = False
    for i in blocks[:8]:
        b = doc.blocks[i]
        if b.kind == "table":
            break  # a table's rows have begun: the content has started
        if (b.marker is not None and b.marker.start == b.start and b.marker.style not in ("1.", "1、")
                and not b.marker.style.startswith("bullet")):
            break
        text = norm[b.start:b.end]
        if after_run_on and not _ENDS_PIECE_LABEL.search(text) and not _after_page_meta(doc, i):
            break
        if len(text) > 70:
            # Run-on text: the title is what comes before the first sentence or marker, else
            # the last title phrase before the first sentence ends (after furniture)
            m = re.search(_DOCTYPE + r"(?:\([^)]{0,20}\))?", text[:70])
            span = ((b.start, b.start + m.end()) if m and m.end() >= 6 and _is_title_like(text[:m.end()])
                    else _run_on_title(norm, b.start, b.end))
            if span:
                span = _copy_after(norm, *span)
                found.append((i, *span))
                break
            after_run_on = True  # a page's intro run together: its first piece's header may follow
            continue
        if _is_title_like(text):
            found.append((i, b.start, b.end))
        elif (year := _TITLE_YEAR.search(norm, b.start, b.end)) and _is_title_like(norm[year.start():b.end]):
            found.append((i, year.start(), b.end))  # 搭建平台,打造骨干,提升研修品质2021—2022学年…计划: a slogan, then the title
        elif found and len(text) > 40:
            break  # content has started
    if not found and blocks and blocks[0] > 0:
        # a page's run-on furniture (发表日期:… 作者:… 有415位读者读过) that ends in the title
        k = blocks[0] - 1
        b = doc.blocks[k]
        if b.kind == "debris" and b.end - b.start > 70:
            span = _run_on_title(norm, b.start, b.end)
            if span and b.end - span[1] <= 1 and _META.search(norm, max(b.start, span[0] - 30), span[0]):
                return _trim_title(doc, *span)
    if not found:
        return None
    last = found[-1]
    for i in blocks[:8]:
        if i >= last[0]:
            break
        b = doc.blocks[i]
        text = norm[b.start:b.end]
        if any(i == f[0] for f in found) or _FILE_NAME.search(text) or _collection(text):
            b.kind = "debris"
            doc.debris.append((b.start, b.end))
    return _trim_title(doc, last[1], last[2])


# what a title is written with, pinyin annotations (有关(guān)) and brackets included
_TITLE_CHARS = r"[\u4e00-\u9fff\dA-Za-z“”《》「」〈〉\-—~〜·/()āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]"
_TITLE_CHAR = re.compile(_TITLE_CHARS)
_OWN_TITLE = re.compile(_TITLE_CHARS + r"{2,50}?" + _DOCTYPE)  # a title that opens the article
# an earlier title's end inside the run (…参考计划范文县教研室…工作打算): the page's title, then the plan's
_INNER_TITLE_END = re.compile(_DOCTYPE + r"(?:范文|(?:标准)?模板|范本|参考范文)?(?:\.docx?)?")
# a page's meta and buttons just before a run-on title (文档简介, 免费下载26第1页)
_LEAD_FURNITURE = re.compile(r"(?:文档)?(?:摘要|简介|正文)|(?:免费)?(?:下载|阅读)\d*|第?\d+页|\d+千?字"
                             r"|[(（]?(?:精选|通用|最新|热门|优秀|共)?\d{1,3}篇[)）]?")
_IN_SENTENCE = frozenset(",、;")
_PIECE_END = re.compile(r"(?:" + _PIECE_LABEL + r"|(?<=\D)\d{1,2})\s*$")  # 方案1, 计划【篇一】
_VERSION_NOTE = re.compile(r"[(（]?(?:公开)?(?:征求意见稿|讨论稿|试行稿?|草案|修订稿|送审稿|初稿)[)）]?\s*$")
_TITLE_REACH = 60  # characters of a run-on block's end searched for a title


def _title_before_body(doc: Doc, i: int) -> tuple[int, int] | None:
    """A title that ends block i right where the body's first heading or the page's meta
    (文章来源:… 发布时间:…) starts on the same line: the run of title characters before it, after any
    earlier title, page meta or crumb in the run (…总字数:约5.58千字文档摘要县教研室-学年工作参考计划范文
    县教研室XX-XX学年工作打算一、指导思想… → 县教研室XX-XX学年工作打算). With the line breaks gone a page's
    furniture runs into the title; the body's start bounds it."""
    norm, b = doc.norm, doc.blocks[i]
    nxt = doc.blocks[i + 1] if i + 1 < len(doc.blocks) else None
    if nxt is None or nxt.line != last_line(norm, b) or not (
            (nxt.inline and nxt.marker is not None and nxt.marker.start == nxt.start
             and not nxt.marker.style.startswith("bullet"))
            or (nxt.kind == "debris" and _META.search(norm, nxt.start, min(nxt.end, nxt.start + 6)))):
        return None
    piece = _PIECE_END.search(norm, max(b.start, b.end - 12), b.end)
    end = piece.start() if piece else b.end
    if note := _VERSION_NOTE.search(norm, max(b.start, end - 8), end):
        end = note.start()  # …发展规划征求意见稿: the draft's note is not its title
    while end > b.start and norm[end - 1] in " \t":
        end -= 1
    lo = max(b.start, end - _TITLE_REACH)
    if not _TITLE_END.search(norm[lo:end]):
        return None
    start = end
    while start > lo and _TITLE_CHAR.match(norm, start - 1):
        start -= 1
    run_start = start
    for m in _INNER_TITLE_END.finditer(norm, start, end):
        if m.end() < end and end - m.end() >= 6:
            start = m.end()
    for m in _LEAD_FURNITURE.finditer(norm, start, end):
        if end - m.end() >= 6:
            start = m.end()
    for n in range(2, _CRUMB_MAX + 1):  # 教科室教科室2022学年…方案: the breadcrumb's last crumb, the column's heading
        crumb = norm[start:start + n]
        if end - start - 2 * n >= 6 and all(map(is_cjk, crumb)) and norm.startswith(crumb, start + n):
            start += 2 * n
            break
    if start == run_start and start > b.start and norm[start - 1] in _IN_SENTENCE:
        # after a comma the run is a sentence's end (…,特制定…计划) unless a title starts at its year
        # (…,提升研修品质2021—2022学年…计划)
        year = _TITLE_YEAR.search(norm, start + 1, end)
        if year is None:
            return None
        start = year.start()
    if end - start < 6 or _PURPOSE.match(norm, start) or not _is_title_like(norm[start:end]):
        return None
    if nxt.kind == "debris":
        # the page's title, its meta, then the article's own title (its copy, or a fuller one):
        # the article's
        after = nxt.end
        while after < len(norm) and norm[after] in " \t\u3000":
            after += 1
        own = _OWN_TITLE.match(norm, after, min(len(norm), after + 70))
        if own and own.end() - after >= 6 and norm[after] != "《" and _is_title_like(norm[after:own.end()]):
            return after, own.end()
        k = norm.find(norm[start:end], nxt.end, nxt.end + _COPY_GAP + end - start)
        if k >= 0:
            return k, k + end - start
    return start, end


_CRUMB_MAX = 6


def _after_page_meta(doc: Doc, i: int) -> bool:
    """Block i follows a page's meta cut out of run-on text (…党政办绍兴一中…行事历 | 文章来源： 作者：
    发布时间：… 点击数： 次 | 绍兴一中…行事历日期 | …): the article, and its title, start there."""
    prev = doc.blocks[i - 1] if i > 0 else None
    return prev is not None and prev.kind == "debris" and _META.search(doc.norm, prev.start, prev.end) is not None


_ENDS_PIECE_LABEL = re.compile(_PIECE_LABEL + r"\s*[:：]?\s*$")  # …工作计划篇1, …方案【第2篇】
# A title phrase in run-on text: the characters a title is written with, up to its document type.
_TITLE_PHRASE = re.compile(r"[\u4e00-\u9fff\dA-Za-z“”《》「」〈〉\-—~〜·]{2,50}?" + _DOCTYPE
                           + r"(?:[(（][^()（）]{0,12}[)）])?")
_RUN_ON_SCAN = 250  # characters of a run-on block searched for its title


def _run_on_title(norm: str, start: int, end: int) -> tuple[int, int] | None:
    """The last title-like phrase that ends before the block's first sentence does."""
    stop = min(end, start + _RUN_ON_SCAN)
    full_stop = norm.find("。", start, stop)
    if full_stop >= 0:
        stop = full_stop
    best = None
    for m in _TITLE_PHRASE.finditer(norm, start, stop):
        a, b = m.start(), m.end()
        counter = max(_COUNTER.finditer(norm, a, b), key=lambda x: x.start(), default=None)
        if counter is not None:
            a = counter.end()  # 有415位读者读过陆郎小学…工作计划: a page's counter, then the title
        elif a > start and norm[a - 1] not in _BEFORE_TITLE:
            year = _TITLE_YEAR.search(norm, a + 1, b)
            if year is None:
                continue  # …,特制定本年度…计划, …计划和科学教学工作计划: inside a sentence
            a = year.start()  # …,提升研修品质2021—2022学年第一学期校本培训工作计划: a title starts at its year
        lead = _PAGE_WORDS.match(norm, a, b)
        if lead:
            a = lead.end()  # 举报—PAGE1——PAGE2—2026年…计划: the page's buttons, then the title
        if (b - a >= 6 and _is_title_like(norm[a:b]) and not _PURPOSE.match(norm, a)
                and not _COLLECTION.search(norm, a, min(end, b + 8))
                and (b >= end or norm[b] in " \t\u3000:：(（" or _BODY_START.match(norm, b)
                     or parse_marker(norm, b, end) is not None or _PIECE_COUNT.match(norm, b, end))):
            best = (a, b)  # … and the body starts right after it (根据…, 一、…), not a menu (工作安排校长专栏)
    return best


_TITLE_YEAR = re.compile(r"(?<=[\u4e00-\u9fff])(?:19|20)\d{2}(?=[ \t]*(?:[-—–~至]|年|学年|学期))")
# a collection's count after its title (秋季小学德育工作计划6篇时间:…, …计划(精选5篇)): the title ends before it
_PIECE_COUNT = re.compile(r"[(（]?[ \t]*(?:精选|通用|最新|热门|优秀)?[ \t]*\d{1,3}[ \t]*篇")
# a page's buttons and meta before a run-on title (…发布于四川 • 举报2026年…计划): the title starts after them
_BUTTONS = re.compile(r"(?:举报|分享|收藏|下载|打印)(?:[ \t—\-~·•]|PAGE\d*)*")
_BODY_START = re.compile(r"根据|依据|按照|为了|为|以|在|本学期|本学年|新学期|我校|本校|结合|随着|坚持|全面")
_BEFORE_TITLE = frozenset(" \t\u3000】>|:：")  # what a run-on title may follow (furniture, a label)
# Page counters, meta fields and buttons that run into a title in run-on text.
_COUNTER = re.compile(r"读者读过|人读过|次阅读|人阅读|次浏览|阅读量|浏览量|点击数|点击量")
_META = re.compile(_COUNTER.pattern + r"|作者|来源|发布|发表|日期|时间|浏览")
_PAGE_WORDS = re.compile(r"(?:举报|分享|收藏|下载|打印|首页|正文|第?\d*页|PAGE\d*|[—\-~·]+)+")
_PURPOSE = re.compile(r"特制定|制定|现将|特制|为了|为|结合|根据|依据|按照")


_TITLE_MARKERS = {"1、", "1.", "一、", "(一)", "(1)"}
_LABEL_MAX = 10  # characters of a field label before a title (基本信息文件名称:)
_BUTTONS_REACH = 16  # characters of a page's meta before its buttons at a title's start


def _trim_title(doc: Doc, start: int, end: int) -> tuple[int, int]:
    tail = _tail_start(doc.norm[start:end])
    if tail > 0:
        end = start + tail
    h = _TITLE_HEAD.match(doc.norm, start, end)
    if h:
        start = h.end()
    c = _COLLECTION.search(doc.norm, start, end) if doc.norm.find("篇", start, end) >= 0 else None
    if c and end - c.end() >= 4 and _TITLE_WORDS.search(doc.norm, c.end(), end):
        start = c.end()  # …工作计划(精选24篇)小学秋季德育工作计划: the page's title, then the piece's
    elif (n := _PIECE_COUNT.search(doc.norm, start, end)) and end - n.end() >= 4 \
            and _TITLE_WORDS.search(doc.norm, start, n.start()) and _TITLE_WORDS.search(doc.norm, n.end(), end):
        start = n.end()  # 秋季小学德育工作计划6篇秋季小学德育工作计划 (run together): the piece's own
    buttons = [m for m in _BUTTONS.finditer(doc.norm, start, end) if m.start() - start <= _BUTTONS_REACH]
    if buttons and end - buttons[-1].end() >= 6 and _is_title_like(doc.norm[buttons[-1].end():end]):
        start = buttons[-1].end()
    label = _COLON.search(doc.norm, start, min(end, start + _LABEL_MAX + 1))
    if (label and not _TITLE_WORDS.search(doc.norm, start, label.start())
            and end - label.end() >= 4 and _TITLE_WORDS.search(doc.norm, label.end(), end)):
        start = label.end()  # 文件名称:初中学校新学期工作计划, 第一篇:教研工作室制度: a label, then the title
    marker = parse_marker(doc.norm, start, end)  # 1、第一学期…工作计划: the list's number is not the title's
    if marker is not None and marker.style in _TITLE_MARKERS and end - marker.end >= 4:
        start = marker.end
    while end > start and doc.norm[end - 1] in " :：":
        end -= 1
    return start, end


_FOOTER_RUN = 3  # link-only lines within a few lines of each other: the page's closing navigation
_FOOTER_WINDOW = 8
_FOOTER_MAX = 400  # characters that are not links after the closing navigation: a footer, not an article


def _page_footer(doc: Doc, after: int) -> None:
    """A page's article ends where its closing navigation starts (打印正文, 网站地图 … as links):
    the first of at least three link-only lines close together after the title, with little
    text after them; what follows it (copyright, address) is the site's footer."""
    spans = [(a, b) for a, b in doc.source.furniture if a >= after]
    line_of = {a: doc.norm.count("\n", 0, a) for a, _ in spans[:200]}
    for k, (a, _) in enumerate(spans[:200]):
        close = [x for x, _ in spans[k:k + _FOOTER_RUN] if x in line_of and line_of[x] - line_of[a] <= _FOOTER_WINDOW]
        rest = len(doc.norm) - a - sum(e - x for x, e in spans[k:])
        if len(close) >= _FOOTER_RUN and rest <= _FOOTER_MAX:  # a table of contents has the article after it
            for blk in doc.blocks:
                if blk.start >= a and blk.kind != "debris":
                    blk.kind = "debris"
                    doc.debris.append((blk.start, blk.end))
            return


# A related-pages heading (【第一学期美术组工作计划】相关文章:, 相关推荐): the page's links follow it
_RELATED = re.compile(r"\s*(?:【[^】]{1,40}】)?\s*(?:相关文章|相关阅读|相关推荐|推荐阅读|延伸阅读|猜你喜欢)\s*[:：]?\s*")
_LINK_LINE_MAX = 40  # characters of a line in a list of related pages
_LINKS_MAX = 40  # lines a list of related pages holds at most


def _related_pages(doc: Doc) -> None:
    """Where a page without markup lists related pages under their heading at its end, the
    short lines after the heading are the list, not the article's last item."""
    norm = doc.norm
    for k in range(len(doc.blocks) - 1, max(-1, len(doc.blocks) - _LINKS_MAX - 2), -1):
        b = doc.blocks[k]
        if b.kind == "debris" and _RELATED.fullmatch(norm, b.start, b.end):
            after = doc.blocks[k + 1:]
            # a list of links, a few dozen at most (the heading in a page's head, then a whole
            # article hard-wrapped into short lines, is no list)
            if after and all(x.kind == "debris" or x.end - x.start <= _LINK_LINE_MAX for x in after):
                for x in after:
                    if x.kind != "debris":
                        x.kind = "debris"
                        doc.debris.append((x.start, x.end))
            return


def _article_title(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    """The page's title line, or where the article repeats it below its meta line (标题 /
    文章来源… 发布时间… 点击数 / 标题 / 正文): the article itself starts there."""
    text = doc.norm[span[0]:span[1]].strip()
    meta = False
    for b in [b for b in doc.blocks if b.start >= span[1]][:_TITLE_LOOKAHEAD]:
        if b.kind == "debris":
            meta = True
            continue
        if doc.norm[b.start:b.end].strip() != text:
            break
        if meta:
            return b.start, b.end
    return span


_TITLE_LOOKAHEAD = 6  # blocks after the page's title line: its repeats and the meta line


def split_plans(doc: Doc) -> Doc:
    page_title = doc.source.title_span  # the line repeating the page's <title>: the article starts there
    if page_title:
        page_title = _article_title(doc, page_title)
    if page_title:
        for b in doc.blocks:
            if b.end <= page_title[0] and b.kind != "debris":
                b.kind = "debris"
                doc.debris.append((b.start, b.end))
    if page_title and doc.source.furniture:
        _page_footer(doc, page_title[1])
    if not doc.source.furniture:  # a page with markup: its link furniture says where its lists are
        _related_pages(doc)
    live = [i for i, b in enumerate(doc.blocks) if b.kind != "debris"]
    headers = _find_headers(doc, live)
    pieces: list[tuple[list[int], _Header | None]] = []
    if headers:
        starts = [h.block for h in headers]
        for k, h in enumerate(headers):
            stop = starts[k + 1] if k + 1 < len(starts) else len(doc.blocks)
            pieces.append(([i for i in live if h.block <= i < stop], h))
        for i in live:
            if i < starts[0]:
                doc.blocks[i].kind = "debris"  # page title, teaser, repeated titles
        for _, h in pieces:
            doc.blocks[h.block].kind = "title"
    else:
        if "篇" in doc.norm:  # _collection's cheap test, once for the whole text
            body = [i for i in live if not _collection(doc.norm[doc.blocks[i].start:doc.blocks[i].end])
                    or doc.blocks[i].marker is not None]
        else:
            body = list(live)
        keep = set(body)
        for i in live:
            if i not in keep:
                doc.blocks[i].kind = "debris"
        pieces.append((body, None))

    for blocks, header in pieces:
        content = [i for i in blocks if doc.blocks[i].kind != "title"]
        if not blocks or not _is_plan(doc, [doc.blocks[i] for i in content]):
            for i in blocks:
                doc.blocks[i].kind = "debris"
            continue
        title = _published(doc, blocks) or _title(doc, blocks, header)
        if title is None and page_title and not doc.plans and any(
                doc.blocks[i].start == page_title[0] for i in blocks):
            title = _trim_title(doc, *page_title)
        blocks = [i for i in blocks if doc.blocks[i].kind != "debris"]
        first, last = blocks[0], blocks[-1]
        plan = PlanDraft(start=doc.blocks[first].start, end=doc.blocks[last].end, first_block=first,
                         last_block=last + 1)
        plan.title = title
        if plan.title:
            for i in blocks:
                b = doc.blocks[i]
                if b.start <= plan.title[0] < b.end and b.kind == "para":
                    b.kind = "title"
                    if plan.title[1] < b.end - 1:
                        b.heading_end = plan.title[1]  # run-on: content follows the title
        doc.plans.append(plan)
    return doc
