"""Stage 4, debris: web and document-site furniture (banners, "发布时间 … 点击 字号", HTML
tag remnants, `[bookmark: _GoBack]`, download prompts, spam lines) is marked so that it
belongs to no plan, no section and no item. The patterns are data: resources/debris.txt."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from . import startup
from .doc import Block, Doc
from .lexicon import trie_pattern
from .literals import anchored, required_literals
from .normalise import is_cjk
from .numbering import parse_marker

_SPACE = " \t\u3000"


@dataclass(frozen=True)
class DebrisRules:
    short: re.Pattern[str]
    short_start: re.Pattern[str]  # the `short:` patterns anchored at the start (^…), tried there only
    short_rest: re.Pattern[str]  # the other `short:` patterns, searched
    long_literals: re.Pattern[str]  # the patterns that are plain words, as one trie
    long: tuple[re.Pattern[str], ...]  # the others, each compiled alone (keeps re's literal-prefix speed)
    long_needs: tuple[tuple[str, ...] | None, ...]  # for each, the literals it needs (literals.required_literals)
    long_start: re.Pattern[str]  # patterns anchored at a block's start ("^…"), tried there only
    prefix: re.Pattern[str]


_LITERAL_ALT = re.compile(r"^\(?([^\\()\[\]{}.*+?^$]+(?:\|[^\\()\[\]{}.*+?^$]+)*)\)?$")


@lru_cache(maxsize=1)
def rules() -> DebrisRules:
    text = startup.resource_text("debris.txt")
    groups: dict[str, list[str]] = {"short": [], "long": [], "prefix": []}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, rx = line.partition(":")
        groups[kind].append(rx)
    # Prefixes are matched at a block's start with Pattern.match(text, pos), where "^" would
    # refer to the start of the whole text: drop it.
    groups["prefix"] = [p.removeprefix("^") for p in groups["prefix"]]
    groups["long_start"] = [p[1:] for p in groups["long"] if p.startswith("^") and "|" not in p.split(")")[-1]]
    groups["long"] = [p for p in groups["long"] if p[1:] not in groups["long_start"] or not p.startswith("^")]

    def alt(k: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in groups[k]), re.I)

    words: list[str] = []
    others: list[re.Pattern[str]] = []
    for p in groups["long"]:
        m = _LITERAL_ALT.match(p)
        if m:  # case variants instead of re.I, which slows a whole-text scan tenfold
            words.extend({v for w in m.group(1).split("|") for v in (w, w.lower(), w.upper(), w.capitalize())})
        else:  # "$" ends a line when scanning a whole text
            others.append(re.compile(p, re.M))
    # a pattern is not scanned where none of the literals it needs is in the text: str's own
    # search for them (`in`) is far cheaper than re's scan by a prefix character or class
    needs = tuple(required_literals(rx) for rx in others)
    groups["short_start"] = [p for p in groups["short"] if anchored(p)]
    groups["short_rest"] = [p for p in groups["short"] if not anchored(p)]
    return DebrisRules(alt("short"), alt("short_start"), alt("short_rest"), re.compile(trie_pattern(words)),
                       tuple(others), needs, alt("long_start"), alt("prefix"))


# Site furniture is short; a long block is content (and scanning it costs most of this stage).
_MAX_DEBRIS_LEN = 240


def is_debris_text(s: str) -> bool:
    if len(s) > _MAX_DEBRIS_LEN:
        return False
    r = rules()
    return bool((len(s) <= 40 and _short(r, s)) or r.long_start.match(s) or r.long_literals.search(s)
                or any(rx.search(s) for rx in r.long))


def _hits(norm: str) -> list[int]:
    """Start offsets of every match of the unanchored patterns in the whole text: one scan
    per pattern instead of one per block (a block is debris when a match lies inside it)."""
    return [a for a, _ in _hits_by_pattern(norm)]


def _hits_by_pattern(norm: str) -> list[tuple[int, int]]:
    """(start, which pattern: -1 for the plain words, else its index in `long`), sorted."""
    r = rules()
    found = [(m.start(), -1) for m in r.long_literals.finditer(norm)]
    for k, (rx, needs) in enumerate(zip(r.long, r.long_needs, strict=True)):
        if needs is not None:
            for w in needs:
                if w in norm:
                    break
            else:
                continue
        found.extend((m.start(), k) for m in rx.finditer(norm))
    found.sort()
    return found


def mark_debris(doc: Doc) -> Doc:
    r = rules()
    norm = doc.norm
    found = _hits_by_pattern(norm)
    hits = [a for a, _ in found]
    furniture = doc.source.furniture  # lines the markup shows are only links: navigation, TOCs
    f_starts = [a for a, _ in furniture]
    blocks = doc.blocks
    cut: dict[int, list[Block]] = {}  # block index -> the pieces it was cut into
    for i, block in enumerate(blocks):
        if furniture:
            k = bisect.bisect_right(f_starts, block.start) - 1
            if k >= 0 and block.end <= furniture[k][1]:
                block.kind = "debris"
                doc.debris.append((block.start, block.end))
                continue
        m = r.prefix.match(norm, block.start, block.end)
        if m:
            doc.debris.append((block.start, m.end()))
            start = m.end()
            while start < block.end and norm[start] in _SPACE:
                start += 1
            if start >= block.end:
                block.kind = "debris"
                continue
            block.start = start
            block.marker = parse_marker(norm, start, block.end)
        k = bisect.bisect_left(hits, block.start)
        if (k < len(hits) and hits[k] < block.end and block.end - block.start > _RUN_ON_MIN
                and (block.end - block.start > _MAX_DEBRIS_LEN or block.inline
                     or (i + 1 < len(blocks) and blocks[i + 1].line == block.line))):
            # a line of run-on text: the furniture inside it is cut out, the rest stays content
            spans = _furniture_spans(norm, found, k, block)
            if spans:
                cut[i] = pieces = _cut(doc, block, spans)
                for piece in pieces:  # what is left between the furniture: furniture of its own?
                    if piece.kind != "debris" and (
                            _few_words(norm, piece)
                            or (piece.end - piece.start <= 40 and _short_line(norm[piece.start:piece.end]))
                            or r.long_start.match(norm, piece.start, piece.end)):
                        piece.kind = "debris"
                        doc.debris.append((piece.start, piece.end))
                continue
        if block.inline or block.end - block.start > _MAX_DEBRIS_LEN:
            continue  # a run-on segment is part of a sentence stream; a long block is content
        if ((k < len(hits) and hits[k] < block.end and _inside(norm, found, k, block))
                or (block.end - block.start <= 40 and _short_line(norm[block.start:block.end]))
                or r.long_start.match(norm, block.start, block.end)):
            block.kind = "debris"
            doc.debris.append((block.start, block.end))
    if cut:
        doc.blocks = [piece for i, b in enumerate(blocks) for piece in cut.get(i, (b,))]
    _mark_menus(doc)
    _mark_related_lists(doc)
    return doc


# A site's list of other articles (热门文章 / 2023学年教务处工作计划 / 2024年德育处工作要点 …): under
# its header, lines of a title's shape that run to the page's end or its footer
_RELATED_HEADER = re.compile(r"(?:热门|最新|相关|推荐|精彩|延伸|点击|阅读)(?:文章|推荐|阅读|公告|动态|新闻|发布|排行|资讯)"
                             r"(?:排行)?\s*[:：]?\s*$|(?:猜你喜欢|热点新闻|推荐阅读|相关链接)\s*[:：]?\s*$")
_RELATED_ITEM_MAX = 40
_TITLE_PUNCTUATION = re.compile(r"[。；;，,！？!?]")


_ATTACHMENTS = re.compile(r"附\s*件\s*[:：]?\s*$")  # 附件：/ 1.教师研修登记表 / 2.听课记录表 at the end: files, no plan text


def _mark_related_lists(doc: Doc) -> None:
    norm = doc.norm
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if block.inline or block.end - block.start > 12:
            continue
        attachments = _ATTACHMENTS.match(norm, block.start, block.end) is not None
        if not attachments and not _RELATED_HEADER.match(norm, block.start, block.end):
            continue
        if block.kind != "debris":
            block.kind = "debris"
            doc.debris.append((block.start, block.end))
        run = []
        k = i + 1
        while k < len(blocks) and not (
                blocks[k].kind == "debris" or blocks[k].inline or (blocks[k].marker is not None and not attachments) or blocks[k].end - blocks[k].start > _RELATED_ITEM_MAX
                or _TITLE_PUNCTUATION.search(norm, blocks[k].start, blocks[k].end)):
            run.append(blocks[k])
            k += 1
        if k < len(blocks) and blocks[k].kind != "debris":
            continue  # content follows: those may be the article's title and headings, not a list of others
        for b in run:
            if b.kind != "debris":
                b.kind = "debris"
                doc.debris.append((b.start, b.end))


_MENU_ITEM_MAX = 8  # characters of a menu's entry (首页, 新闻中心, 学校公告, 正高特级教师)
_MENU_MIN = 12  # entries in a row that make a site's menu: an outline's lines are longer or fewer
_HOME_MENU_MIN = 5  # … or this many, one of them the link home: a site's menu however short
_HOME = frozenset({"首页", "网站首页", "返回首页", "主页", "学校首页"})
_MENU_PUNCTUATION = re.compile(r"[。；;，,：:！？!?、]")


def _mark_menus(doc: Doc) -> None:
    """A site's navigation saved as text (首页 / 新闻中心 / 学校公告 / … one entry a line): a long run
    of very short lines, none of them numbered or punctuated, is furniture."""
    norm = doc.norm
    run: list[Block] = []
    for block in [*doc.blocks, None]:
        if block is not None and not block.inline and (
                block.kind == "debris" or (block.end - block.start <= _MENU_ITEM_MAX and block.marker is None
                                           and not _MENU_PUNCTUATION.search(norm, block.start, block.end))):
            run.append(block)
            continue
        entries = sum(b.kind != "debris" for b in run)
        if entries >= _MENU_MIN or (entries >= _HOME_MENU_MIN and any(
                norm[b.start:b.end].strip() in _HOME for b in run)):
            for b in run:
                if b.kind != "debris":
                    b.kind = "debris"
                    doc.debris.append((b.start, b.end))
        run = []


_RUN_ON_MIN = 70  # characters of a line above which furniture inside it is cut out, not the whole line
_SENTENCE_END = "。！？!?"
_GAP_MIN = 12
_REACH = 40  # characters a furniture match is widened by, to the ends of its sentence
_BEFORE_SENTENCE = frozenset("。！？!?；;)）】」》 \u3000>")  # where a site's sentence may start


def _furniture_spans(norm: str, found: list[tuple[int, int]], k: int, block: Block) -> list[tuple[int, int]]:
    """The furniture matches inside a run-on block, each widened to the sentence it is part of
    where that ends near it (下面是小编整理的…,仅供参考,希望能够帮助到大家。), merged."""
    a, b = block.start, block.end
    spans = []
    for rx in _patterns_from(found, k, b):
        for m in rx.finditer(norm, a, b):
            if m.end() > m.start():
                spans.append(_widened(norm, m.start(), m.end(), a, b))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1] + _GAP_MIN:  # a few characters between two matches: furniture too
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _few_words(norm: str, piece: Block) -> bool:
    """A piece left between furniture that is mostly not Chinese (ICP备 14042003号-1, SXYZ.NET All
    Rights Reserved.) is the footer's too."""
    text = norm[piece.start:piece.end]
    return sum(1 for ch in text if is_cjk(ch)) * 5 < len(text) * 2


def _widened(norm: str, s: int, e: int, a: int, b: int) -> tuple[int, int]:
    end = -1
    for ch in _SENTENCE_END:
        x = norm.find(ch, e, min(b, e + _REACH))
        if x >= 0 and (end < 0 or x < end):
            end = x
    if end >= 0:
        e = end + 1
        x = s
        while x > a and s - x < _REACH and norm[x - 1] not in _BEFORE_SENTENCE:
            x -= 1
        if x == a or norm[x - 1] in _BEFORE_SENTENCE:
            s = x
    return s, e


def _cut(doc: Doc, block: Block, spans: list[tuple[int, int]]) -> list[Block]:
    """The block in pieces: the furniture spans as debris, the text between them as blocks."""
    norm = doc.norm
    pieces: list[Block] = []
    pos = block.start
    for s, e in [*spans, (block.end, block.end)]:
        for x, y, junk in ((pos, s, False), (s, e, True)):
            while x < y and norm[x] in _SPACE:
                x += 1
            while y > x and norm[y - 1] in _SPACE:
                y -= 1
            if y <= x:
                continue
            first = not pieces
            piece = Block(start=x, end=y, line=block.line,
                          marker=block.marker if first and x == block.start else parse_marker(norm, x, y),
                          inline=block.inline if first else True, table=block.table)
            if junk:
                piece.kind = "debris"
                doc.debris.append((x, y))
            pieces.append(piece)
        pos = e
    return pieces


@lru_cache(maxsize=16384)  # a pure function of a short line: sites repeat their furniture on every page
def _short_line(s: str) -> bool:
    return _short(rules(), s)


def _short(r: DebrisRules, s: str) -> bool:
    """r.short.search(s), the anchored patterns tried at the start only (a search of the one
    alternation tries all of them at every position)."""
    return r.short_start.match(s) is not None or r.short_rest.search(s) is not None


def _inside(norm: str, found: list[tuple[int, int]], k: int, block: Block) -> bool:
    """Does a match that starts inside the block also end inside it? (Re-run on the block
    the patterns that matched there: a whole-text match may run past a block's end.)"""
    text = norm[block.start:block.end]
    return any(rx.search(text) for rx in _patterns_from(found, k, block.end))


def _patterns_from(found: list[tuple[int, int]], k: int, end: int):
    """Each pattern that matched from found[k] on, before `end`, once."""
    r = rules()
    tried: set[int] = set()
    while k < len(found) and found[k][0] < end:
        which = found[k][1]
        k += 1
        if which not in tried:
            tried.add(which)
            yield r.long_literals if which < 0 else r.long[which]
