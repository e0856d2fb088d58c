"""The grammar of Chinese numbering markers: 一、 （一） 1. 1、 （1） 1） ① 第一部分 目标一： A、 …

Context-free: `parse_marker(text, pos)` reads one marker at `pos` of normalised
(simplified, half-width) text. Which marker heads which is decided later, by the order in
which styles appear (sections.py); `RANK` is only the conventional order a reader expects
(一、 above （一） above 1. above （1） above ①), used where the document itself is silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "参": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7,
              "捌": 8, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100}
_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "Ⅵ": 6, "Ⅶ": 7, "Ⅷ": 8, "Ⅸ": 9, "Ⅹ": 10, "Ⅺ": 11,
          "Ⅻ": 12}

CN = "[一二三四五六七八九十]"
CAP = "[壹贰叁参肆伍陆柒捌玖拾]"
LABELS = "目标|措施|策略|任务|专题|项目|主题|板块|模块|行动|工程|途径|方面|阶段|重点|内容|举措|课题|子课题|关注事项|关注项目"


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 贰拾叁 → 23; digits pass through."""
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    s = s.replace(" ", "").replace("\u3000", "")
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


# (style, regex, rank). The style names a family of markers that stand at one level;
# `rank` is the conventional depth (lower = higher in the tree).
_STYLES: list[tuple[str, re.Pattern[str], float]] = [
    # parts above chapters (第一部分 总体战略 / 第一章 指导思想): two levels where a plan has both
    ("第部分", re.compile(rf"第\s*({CN}{{1,3}}|\d{{1,2}})\s*(?:部分|板块)\s*[、,:.]?"), 0.0),
    ("第章", re.compile(rf"第\s*({CN}{{1,3}}|\d{{1,2}})\s*(?:章|单元)\s*[、,:.]?"), 0.2),
    # 壹、依據, and 壹 依據 as PDF text gives it (a space, then words: not 参 考 文 献)
    ("壹", re.compile(rf"({CAP}{{1,3}})(?:\s*[、.,:]|[ \t\u3000]+(?=[\u4e00-\u9fff]{{2}}))"), 0.5),
    ("罗马", re.compile(r"([ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ])\s*[、.,:]?"), 0.8),
    ("一", re.compile(rf"({CN}{{1,3}})\s*[、.,:](?![\d一二三四五六七八九十])"), 1.0),
    ("第节", re.compile(rf"第\s*({CN}{{1,3}}|\d{{1,2}})\s*(?:节|条|项)\s*[、,:.]?"), 1.5),
    # (四 十), (十 八): a two-figure numeral set letter-spaced to the width of (四十一)
    ("(一)", re.compile(rf"\(\s*({CN}(?:[ \u3000]?{CN}){{0,2}})\s*\)\s*[、.]?"), 2.0),
    ("一)", re.compile(rf"({CN}{{1,3}})\s*\)"), 2.2),
    ("第一", re.compile(rf"第\s*({CN}{{1,3}})\s*[、,:;](?=\s*\S)"), 2.5),
    ("标签", re.compile(rf"(?:{LABELS})\s*({CN}{{1,3}}|\d{{1,2}})\s*[:、.]"), 2.6),
    # 2.1 教学内容 (not 1.5万元, 2.5学分: decimals before a unit)
    ("1.1", re.compile(r"(\d{1,2})\s*\.\s*(\d{1,2})(?:\s*\.\s*\d{1,2})?(?![\d%.])\s*[、.]?"
                       r"(?=\s*\D)(?!\s*(?:万|元|亿|倍|个|分|学分|小时|课时|米|千|节|天|年|月|岁|周|次|人|%|篇|本|项))"), 3.5),
    ("1-1", re.compile(r"(\d{1,2})\s*-\s*(\d{1,2})\s*[.、](?!\d)"), 3.6),
    # 2.2020年…: a year after the marker is no decimal
    ("1.", re.compile(r"(\d{1,2})\s*(?:[.,](?:(?![\d%])|(?=(?:19|20)\d\d\s*年))|\s(?=[\u4e00-\u9fff]))"), 3.0),
    ("1、", re.compile(r"(\d{1,2})\s*、"), 3.0),
    ("(1)", re.compile(r"\(\s*(\d{1,2})\s*\)\s*[、.]?"), 4.0),
    ("⑴", re.compile(r"([\u2474-\u2487])"), 4.0),
    ("⒈", re.compile(r"([\u2488-\u249b])\s*"), 3.0),
    ("1)", re.compile(r"(\d{1,2})\s*\)(?!\d)"), 4.5),
    ("①", re.compile(r"([\u2460-\u2473])\s*[、.]?"), 5.0),
    ("A", re.compile(r"([A-H])\s*[、.](?![A-Za-z\d])"), 4.2),
    ("(A)", re.compile(r"\(\s*([a-hA-H])\s*\)"), 5.5),
    ("a", re.compile(r"([a-h])\s*[、.)](?![A-Za-z\d])"), 5.2),
    # Bullets (•, ●, ※, –, 📚 …): no value; each symbol is its own style.
    ("bullet", re.compile(r"([●•·◆◇■□▲△▶►★☆※◎○◉➢➤✓√❖♦\-–*]|[\U0001F300-\U0001FAFF\u2600-\u27BF])"
                          r"(?![\-–—\d\s]*$)(?!-)\s*(?=[\u4e00-\u9fff“\"「《(A-Za-z*\d])"), 5.8),
]
RANK: dict[str, float] = {name: rank for name, _, rank in _STYLES}
RANK_BULLET = RANK.pop("bullet")
RANK["bare"] = 1.0  # an unnumbered heading line (指导思想) usually stands at the top
RANK["table"] = 0.9  # a table's row label (目標 |) heads the rows below it
# Styles that writers mix within one list (1. 2、 3.): a continuation joins the open one.
FAMILY: dict[str, str] = {"1.": "1", "1、": "1", "⒈": "1", "一": "一", "壹": "一"}


_BULLETS = set("●•·◆◇■□▲△▶►★☆※◎○◉➢➤✓√❖♦-–*")


@dataclass(frozen=True, slots=True)
class Marker:
    style: str
    value: int
    start: int  # offset of the marker's first character
    end: int  # offset just after the marker (and its separator)
    sep: str  # the separator as written (、 . ) :), for display

    @property
    def rank(self) -> float:
        return rank_of(self.style)


def rank_of(style: str) -> float:
    return RANK_BULLET if style.startswith("bullet") else RANK.get(style, 3.0)


def _value(style: str, m: re.Match[str]) -> int | None:
    g = m.group(1)
    if style == "bullet":
        return 0
    if style in ("①",):
        return ord(g) - 0x2460 + 1
    if style == "⑴":
        return ord(g) - 0x2474 + 1
    if style == "⒈":
        return ord(g) - 0x2488 + 1
    if style == "罗马":
        return _ROMAN.get(g)
    if style in ("A", "a", "(A)"):
        return ord(g.lower()) - ord("a") + 1
    if style in ("1.1", "1-1"):
        return int(m.group(2))
    return cn_to_int(g)


_STYLE_BY_NAME = {name: (name, rx, rank) for name, rx, rank in _STYLES}
_LABEL_FIRST = {w[0] for w in LABELS.split("|")}


def _styles_for(ch: str) -> tuple:
    """The styles a marker starting with `ch` can have (most characters start none)."""
    names: list[str] = []
    if "0" <= ch <= "9":
        names = ["1.1", "1-1", "1.", "1、", "1)"]
    elif ch == "(":
        names = ["(一)", "(1)", "(A)"]
    elif ch == "第":
        names = ["第部分", "第章", "第节", "第一"]
    elif ch in "一二三四五六七八九十":
        names = ["一", "一)"]
    elif ch in "壹贰叁参肆伍陆柒捌玖拾":
        names = ["壹"]
    elif "\u2160" <= ch <= "\u216b":
        names = ["罗马"]
    elif "\u2460" <= ch <= "\u2473":
        names = ["①"]
    elif "\u2474" <= ch <= "\u2487":
        names = ["⑴"]
    elif "\u2488" <= ch <= "\u249b":
        names = ["⒈"]
    elif "A" <= ch <= "H":
        names = ["A"]
    elif "a" <= ch <= "h":
        names = ["a"]
    if ch in _LABEL_FIRST:
        names.append("标签")
    if ch in _BULLETS or "\u2600" <= ch <= "\u27bf" or ord(ch) >= 0x1F300:
        names.append("bullet")
    return tuple(_STYLE_BY_NAME[n] for n in names)


_FIRST_CHAR_CACHE: dict[str, tuple] = {}


def parse_marker(text: str, pos: int = 0, end: int | None = None) -> Marker | None:
    """The numbering marker starting exactly at `pos`, or None."""
    end = len(text) if end is None else end
    if pos >= end:
        return None
    ch = text[pos]
    styles = _FIRST_CHAR_CACHE.get(ch)
    if styles is None:
        styles = _FIRST_CHAR_CACHE[ch] = _styles_for(ch)
    for style, rx, _ in styles:
        m = rx.match(text, pos, end)
        if not m:
            continue
        value = _value(style, m)
        if style == "bullet":
            style = "bullet" + m.group(1)
        elif value is None or value < 1 or value > 99:
            continue
        if style == "1." and text[m.end() - 1] == ",":
            continue  # "1,2年级" is a list of numbers, not a marker
        stop = m.end()
        while stop < end and text[stop] in " \t":
            stop += 1
        return Marker(style=style, value=value, start=pos, end=stop, sep=m.group(0)[-1:].strip())
    return None
