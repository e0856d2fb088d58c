"""Measurable targets inside goals and measures: 80%, 不少于20节, 至少1项, 每人每学期读一本书,
提高5个百分点 → quantity, unit, comparator. Context-free: works on any normalised string."""

from __future__ import annotations

import re

from .numbering import cn_to_int
from .records import Target

_CN = "一二两三四五六七八九十百千"
# \d+(?:\.\d+)?|[一…千]+, written to start with one class (re scans for it; two alternatives
# that each start with a repeat make it try every position): the first character, then the
# rest of the digits or of the numerals, as that character was.
_Q = rf"(?P<q>[\d{_CN}](?:(?<=\d)\d*(?:\.\d+)?|(?<=[{_CN}])[{_CN}]*))"
_UNIT = (r"(?P<u>%|个百分点|百分点|节课|节|次|篇|本|项|人次|人|名|个|课时|学时|小时|天|分钟|分|所|门|份|场|堂|"
         r"课|册|部|套|期|轮|届|学分|万元|元)")
# Scanned amount first (a pattern that starts with a class lets the regex engine skip ahead;
# one that starts with an optional comparator tries every position), the comparator then
# read off right before it.
_AMOUNT = re.compile(_Q + r"\s*" + _UNIT + r"(?P<post>以上|以下|及以上|左右|以内)?")
_EVERY = re.compile(r"每(?:人|位教师|位老师|个教师|名教师)?(?:每)?(?:学期|学年|年|月|周)")
_PRE = {"不少于": ">=", "不低于": ">=", "至少": ">=", "最少": ">=", "起码": ">=", "达到": ">=", "达": ">=",
        "超过": ">", "高于": ">", "不超过": "<=", "不多于": "<=", "低于": "<", "控制在": "<=",
        "提高": "+", "提升": "+", "增加": "+", "增长": "+", "降低": "+", "减少": "+"}
_POST = {"以上": ">=", "及以上": ">=", "以下": "<=", "以内": "<=", "左右": "="}


def find_targets(norm: str, start: int, end: int) -> list[Target]:
    out = []
    floor = start  # a comparator never reaches back into the previous amount
    for m in _AMOUNT.finditer(norm, start, end):
        a = m.start()
        while a > floor and norm[a - 1].isspace():
            a -= 1
        pre = next((norm[a - n:a] for n in (3, 2, 1) if a - n >= floor and norm[a - n:a] in _PRE), None)
        floor = m.end()
        q = _quantity(m.group("q"))
        if q is None:
            continue
        unit = m.group("u")
        post = m.group("post")
        if unit == "%" or "百分点" in unit:
            pass
        elif not (pre or post or _EVERY.search(norm, max(start, a - 12), a)):
            continue  # a bare count (三个方面) is no target without a comparator or a rate
        if unit in ("个", "分") and not (pre or post):
            continue
        comparator = _PRE.get(pre or "") or _POST.get(post or "") or "="
        a = a - len(pre) if pre else m.start()
        out.append(Target(text=norm[a:m.end()], quantity=q, unit=unit, comparator=comparator,  # type: ignore[arg-type]
                          source_span=(a, m.end())))
    return out


_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


def _quantity(s: str) -> float | None:
    if _DECIMAL.fullmatch(s):
        return float(s) if "." in s else int(s)
    v = cn_to_int(s.replace("两", "二").replace("千", "")) if "千" not in s else None
    return v
