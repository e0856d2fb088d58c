"""The heading lexicon (resources/roles.tsv): heading terms and the role each names.

Shared by the sections stage (does a line start with a heading term?) and the roles
stage (which role does a heading name?); both only read it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from . import startup
from .records import ROLES

# Terms too common to head a run-on line by themselves ("工作要…", "教学中…").
WEAK = frozenset({
    "工作", "教学", "教研", "研修", "培训", "活动", "建设", "课程", "项目", "常规", "时间", "组织", "内容", "形式",
    "方式", "实施", "任务", "成员", "人员", "管理", "制度", "机制", "分析", "成绩", "优势", "不足", "说明", "意义",
    "理念", "预期", "效果", "检查", "安排", "阶段", "进度", "方法", "行事", "机构", "工作安排", "使命", "愿景", "步骤",
    "策略", "途径", "做法", "依据", "成果", "目的", "现状", "背景", "要求", "保障", "评价", "考核", "奖励", "激励",
    "经费", "措施", "举措", "目标", "原则", "思路", "回顾", "形势", "概况", "简介", "评估", "督导", "成效", "效益",
    "预算", "附件", "备注", "引言", "前言", "总则", "宗旨", "缘起", "职责", "分工", "日程", "进程",
})


# Template sites annotate characters with pinyin: 指导(dǎo)思想, 计(jì)划. Lexicon patterns
# allow an annotation after every character, and `compact` removes them for lookups.
PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
PINYIN = rf"(?:\([{PINYIN_LETTERS}]{{1,6}}\))?"
# The bracket first and the character before it checked behind it: re then scans for "("
# (a lookbehind first makes it try every position).
_PINYIN_RX = re.compile(rf"\((?<=[\u4e00-\u9fff]\()[{PINYIN_LETTERS}]{{1,6}}\)")


def compact(text: str) -> str:
    """`text` without pinyin annotations."""
    return _PINYIN_RX.sub("", text) if "(" in text else text


# A heading set letter-spaced (教 育 目 標, 願 景 說 明): three or more characters, one space apart.
_LETTER_SPACED = re.compile(r"[\u4e00-\u9fff](?:[ \u3000][\u4e00-\u9fff]){2,}")


def unspaced(text: str) -> str:
    """`text` with its letter-spaced runs closed up (教 育 目 標 → 教育目標), else itself."""
    if " " not in text and "\u3000" not in text:
        return text
    return _LETTER_SPACED.sub(lambda m: m.group().replace(" ", "").replace("\u3000", ""), text)


def compact_with_offsets(text: str) -> tuple[str, list[int]] | None:
    """`text` without pinyin annotations, and for each of its characters the offset in
    `text`; None when `text` has none."""
    if "(" not in text or not _PINYIN_RX.search(text):
        return None
    parts: list[str] = []
    offsets: list[int] = []
    last = 0
    for m in _PINYIN_RX.finditer(text):
        parts.append(text[last:m.start()])
        offsets.extend(range(last, m.start()))
        last = m.end()
    parts.append(text[last:])
    offsets.extend(range(last, len(text)))
    return "".join(parts), offsets


def tolerant(term: str) -> str:
    """A regex for `term` that also matches it with pinyin annotations."""
    return PINYIN.join(re.escape(ch) for ch in term)


def trie_pattern(words: Iterable[str], tolerant_pinyin: bool = False) -> str:
    """A regex matching any of `words`, longest first, factored as a trie so that the
    engine tests one branch per character instead of every word at every position."""
    # the pattern depends on the set of words only (a trie, branches sorted): the same key
    # for the same words in any order (debris builds its list from a set)
    return _trie_pattern(tuple(sorted(set(words))), tolerant_pinyin)


@startup.memo("trie_pattern")  # ~10 ms for the heading lexicon's three, at every start
def _trie_pattern(words: tuple[str, ...], tolerant_pinyin: bool) -> str:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    gap = PINYIN if tolerant_pinyin else ""

    def build(node: dict) -> str:
        branches = [re.escape(ch) + (gap if node[ch] != {"": True} or gap else "") + build(node[ch])
                    for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def alternation(terms: list[str]) -> re.Pattern[str]:
    return re.compile(trie_pattern(terms, tolerant_pinyin=True))


@dataclass(frozen=True)
class Lexicon:
    terms: dict[str, str]  # term -> role
    any_term: re.Pattern[str]
    strong_prefix: re.Pattern[str]
    short_prefix: re.Pattern[str]
    term: re.Pattern[str]  # the longest term at a position (terms_in reads them at every position)
    long_terms: tuple[str, ...]  # terms of 4 characters or more, for fuzzy matching
    first: frozenset[str]  # the characters terms start with: a match at a position needs one
    long_masks: dict[str, int] | None = None  # character -> a bit for each long term it occurs in
    long_repeating: int = 0  # bits of the long terms with a character twice (教研研究)

    def fuzzy_candidates(self, text: str, cutoff: float) -> list[str]:
        """The long terms that can score `cutoff` (0-100) in rapidfuzz's partial_ratio with
        `text` (4 characters or more), in their order. That ratio is 2·LCS/(n + w) for the
        shorter string's length n and a window w ≥ LCS of the other, so it needs LCS ≥
        c/(2-c)·n (c = cutoff/100): that many of the shorter's characters must occur in the
        longer. The terms sharing three characters are counted with bit masks, then checked
        one by one; scoring every term costs ~100 µs a heading, this ~5."""
        assert self.long_masks is not None
        ones = twos = threes = 0
        for ch in set(text):
            m = self.long_masks.get(ch, 0)
            threes |= twos & m
            twos |= ones & m
            ones |= m
        need = cutoff / (200 - cutoff)
        n = len(text)
        bits = (threes | (ones & self.long_repeating)) if need * min(4, n) > 2 else ones
        out = []
        k = 0
        while bits:
            if bits & 1:
                term = self.long_terms[k]
                shared = len(set(term).intersection(text)) + len(term) - len(set(term))
                if shared >= need * min(len(term), n):
                    out.append(term)
            bits >>= 1
            k += 1
        return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    terms: dict[str, str] = {}
    text = startup.resource_text("roles.tsv")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, role = line.split("\t")
        if role not in ROLES:
            raise ValueError(f"roles.tsv: unknown role {role!r} for {term!r}")
        terms[term] = role
    strong = [t for t in terms if t not in WEAK]
    plain = trie_pattern(list(terms))
    long_terms = tuple(t for t in terms if len(t) >= 4)
    return Lexicon(terms, alternation(list(terms)), alternation(strong), alternation(list(terms)),
                   re.compile(plain), long_terms, frozenset(t[0] for t in terms), _char_masks(long_terms),
                   sum(1 << k for k, t in enumerate(long_terms) if len(set(t)) < len(t)))


def _char_masks(terms: tuple[str, ...]) -> dict[str, int]:
    masks: dict[str, int] = {}
    for k, t in enumerate(terms):
        for ch in set(t):
            masks[ch] = masks.get(ch, 0) | 1 << k
    return masks


def terms_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, term) at every position where a term starts, the longest one there.
    Each search resumes one past the last start, not at its end (terms overlap: 主要工作目标);
    a lookahead (?=(…)) would find the same, but re then tries every position in turn."""
    rx = lexicon().term
    out: list[tuple[int, int, str]] = []
    pos = 0
    while (m := rx.search(text, pos)) is not None:
        out.append((m.start(), m.end(), m.group()))
        pos = m.start() + 1
    return out


_COLON = re.compile(r"[:：]")
_CLAUSE = re.compile(r"[,，。;；]")


_AND = frozenset("和与及、")


def heading_term(norm: str, start: int, end: int, need_colon: bool, allow_weak: bool = False) -> int | None:
    """If [start, end) begins with a heading term (指导思想, 工作目标 …), where the heading
    ends: through a colon that closes it within a few characters (一、指导思想：…,
    二、工作目标与任务：…); without a colon only when `need_colon` is false and the term
    is specific (一、指导思想坚持以… in run-on text), or any term when `allow_weak` (a run-on
    block under a top-level marker: (一)目的为了…)."""
    lex = lexicon()
    if start >= end or norm[start] not in lex.first:
        return None  # most blocks start with no term's first character: no match to try
    m = lex.short_prefix.match(norm, start, end)
    if not m:
        return None
    stop = m.end()
    while stop + 1 < end and norm[stop] in _AND and (more := lex.short_prefix.match(norm, stop + 1, end)):
        stop = more.end()  # 工作目标和主要任务, 指导思想与工作目标: terms joined are one heading
    colon = _COLON.search(norm, stop, min(end, stop + 8))
    if colon and not _CLAUSE.search(norm, stop, colon.start()):
        return colon.end()
    if need_colon or (not allow_weak and (compact(m.group()) in WEAK or not lex.strong_prefix.match(norm, start, end))):
        return None
    if stop < end and norm[stop] in "。.":
        return stop + 1
    return stop


@lru_cache(maxsize=1)
def _term_at_end() -> re.Pattern[str]:
    strong = [t for t in lexicon().terms if t not in WEAK and len(t) >= 2]
    return re.compile("(?:" + trie_pattern(strong) + r")[:：]?\s*$")


def heading_term_before(norm: str, start: int, end: int) -> bool:
    """True when norm[start:end] ends with a specific heading term (工作目标, 主要措施 …)."""
    return _term_at_end().search(norm, start, end) is not None
