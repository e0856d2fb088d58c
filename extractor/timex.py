"""A school-calendar time grammar: 三月份, 9月上旬, 週三下午, 每两周一次, 每学期至少1节,
2021—2022学年第一学期, 期末, 寒假, 不少于30天 … → TimeExpr.

Context-free and reusable on any string (GROBID's date parser is the model): `find_times`
scans normalised text (simplified, half-width: normalise.normalise) and returns every time
expression with its span; `parse_time` reads one phrase. Nothing here knows about plans.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from . import startup
from .lexicon import compact_with_offsets, trie_pattern
from .numbering import cn_to_int
from .records import Frequency, TimeExpr, trusted

_NUM = r"(?:\d{1,4}|[一二两三四五六七八九十〇零]{1,3})"
_SMALL = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十])"
# A month label that leads a line of a month list: 三月份：…, 9月 …, 十月份 1、…
MONTH_LABEL = re.compile(rf"(?:(?:19|20)\d{{2}}[ \t]*年[ \t]*)?(?<![\d一二三四五六七八九十]){_MONTH}[ \t]*月份?"
                         r"(?:上旬|中旬|下旬|初|底)?(?=[ \t:：|]|$)[ \t:：]*")
# A line that is only a date, as a notice's or plan's signature writes it (2011年2月23日, 二〇一九年九月):
# the year, and the month and day where given
DATE_LINE = re.compile(r"\s*(?:\d{4}|[〇○零一二三四五六七八九十]{4})\s*年(?:\s*[\d一二三四五六七八九十]{1,3}\s*月"
                       r"(?:\s*(?P<day>[\d一二三四五六七八九十]{1,3})\s*日)?)?\s*")
_PERIOD_UNITS = {"周": "week", "星期": "week", "礼拜": "week", "月": "month", "个月": "month",
                 "学期": "term", "学年": "year", "年": "year", "年度": "year", "天": "day", "日": "day",
                 "季度": "month"}
_WEEKDAY = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "末": 6,
            "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7}
_DAY_PART = {"上午": "morning", "早上": "morning", "早晨": "morning", "下午": "afternoon", "中午": "afternoon",
             "晚上": "evening", "晚": "evening", "傍晚": "evening"}
_MONTH_PART = {"上旬": "early", "初": "early", "中旬": "mid", "中": "mid", "下旬": "late", "底": "end",
               "末": "end", "底前": "end", "前": None}
_COUNT_UNIT = r"(?:次|节|篇|本|个|课时|堂|场|期|轮|项|份|回)"
_COMPARATOR = r"(?:至少|不少于|不低于|最少|起码|不得少于|达到|以上)"


def is_date_line(norm: str, a: int, b: int) -> bool:
    """norm[a:b] is a date with its day and nothing else (a notice's or a plan's signing date)."""
    m = DATE_LINE.fullmatch(norm, a, b)
    return m is not None and m["day"] is not None


def _n(s: str | None) -> int | None:
    if s is None:
        return None
    s = s.replace("两", "二")
    return cn_to_int(s)


Builder = Callable[[re.Match[str]], dict | None]
# (pattern, builder, groups of literals: a line must hold one literal of every group for
# the rule to be tried)
_RULES: list[tuple[re.Pattern[str], Builder, tuple[tuple[str, ...], ...]]] = []


def _rule(pattern: str, needs: tuple[str, ...], also: tuple[str, ...] = ()) -> Callable[[Builder], Builder]:
    def deco(fn: Builder) -> Builder:
        _RULES.append((re.compile(pattern), fn, (needs, also) if also else (needs,)))
        return fn
    return deco


def _term_no(s: str | None) -> int | None:
    if not s:
        return None
    return {"一": 1, "1": 1, "上": 1, "秋": 1, "秋季": 1, "二": 2, "2": 2, "下": 2, "春": 2, "春季": 2}.get(s)


# --- academic years, years, spans --------------------------------------------------------
@_rule(r"(?P<y1>(?:19|20)\d{2})[ \t]*(?:年)?[ \t]*[-—–~至到/]+[ \t]*(?P<y2>(?:19|20)?\d{2})[ \t]*(?:年)?[ \t]*学年(?:度)?"
       r"(?:[ \t]*第?(?P<t>[一二12上下])学期|(?P<s>春季|秋季)(?:学期)?)?", needs=('学年',))
def _academic_span(m: re.Match[str]) -> dict:
    y1 = int(m["y1"])
    t = _term_no(m["t"]) or _term_no(m["s"])
    return {"kind": "term" if t else "year", "academic_year": f"{y1}-{y1 + 1}", "year": y1, "term": t}


@_rule(r"(?P<y>(?:19|20)\d{2})[ \t]*学年(?:度)?(?:[ \t]*第?(?P<t>[一二12上下])学期|(?P<s>春季|秋季)(?:学期)?)?", needs=('学年',))
def _academic_year(m: re.Match[str]) -> dict:
    y = int(m["y"])
    t = _term_no(m["t"]) or _term_no(m["s"])
    return {"kind": "term" if t else "year", "academic_year": f"{y}-{y + 1}", "year": y, "term": t}


@_rule(r"(?<!\d)(?P<y>\d{2,3})[ \t]*学年(?:度)?(?:[ \t]*第?(?P<t>[一二12上下])学期)?", needs=('学年',))
def _roc_year(m: re.Match[str]) -> dict | None:
    y = int(m["y"]) + 1911  # 民国纪年 (Taiwan): 101学年度 = 2012-2013
    if not 1950 <= y <= 2100:
        return None
    t = _term_no(m["t"])
    return {"kind": "term" if t else "year", "academic_year": f"{y}-{y + 1}", "year": y, "term": t}


@_rule(r"(?P<y1>(?:19|20)\d{2})[ \t]*年[ \t]*(?P<m1>\d{1,2})[ \t]*月(?:份)?[ \t]*(?:至|到|—+|-|~|–)[ \t]*"
       r"(?:(?P<y2>(?:19|20)\d{2})[ \t]*年[ \t]*)?(?P<m2>\d{1,2})[ \t]*月(?:份)?", needs=('月',))
def _month_span_years(m: re.Match[str]) -> dict | None:
    m1, m2 = int(m["m1"]), int(m["m2"])
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    return {"kind": "month", "year": int(m["y1"]), "month": m1, "month_end": m2}


@_rule(r"(?P<y1>(?:19|20)\d{2})[ \t]*(?:年)?[ \t]*[-—–~至到]+[ \t]*(?P<y2>(?:19|20)\d{2})[ \t]*年(?:度)?", needs=('年',),
       also=('-', '—', '–', '~', '至', '到'))
def _year_span(m: re.Match[str]) -> dict:
    y1, y2 = int(m["y1"]), int(m["y2"])
    return {"kind": "year", "year": y1, "academic_year": f"{y1}-{y2}" if y2 == y1 + 1 else None,
            "duration": {"quantity": y2 - y1, "unit": "year", "comparator": "="}}


@_rule(r"(?P<y>(?:19|20)\d{2})[ \t]*年(?:度)?(?:[ \t]*(?P<h>上|下)半年|(?P<s>春季|秋季|春|秋)(?:学期)?)?(?![ \t]*\d{1,2}[ \t]*月)", needs=('年',))
def _year(m: re.Match[str]) -> dict:
    out: dict = {"kind": "year", "year": int(m["y"])}
    if m["s"]:
        out.update(kind="term", term=_term_no(m["s"][0]))
    return out


# --- dates and months --------------------------------------------------------------------
@_rule(r"(?:(?P<y>(?:19|20)\d{2}|1[0-2]\d|[89]\d)[ \t]*年[ \t]*)?(?P<m>\d{1,2})[ \t]*月[ \t]*(?P<d>\d{1,2})[ \t]*[日号]"
       r"(?:[ \t]*(?:[(（](?:周|星期)?(?P<w>[一二三四五六日天])[)）]|(?:周|星期)(?P<w2>[一二三四五六日天])))?"
       r"(?:[ \t]*(?P<p>上午|下午|晚上))?", needs=('日', '号'))
def _date(m: re.Match[str]) -> dict | None:
    mo, d = int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return {"kind": "date", "year": _year_of(m["y"]), "month": mo, "day": d,
            "weekday": _WEEKDAY.get(m["w"] or m["w2"] or ""), "part_of_day": _DAY_PART.get(m["p"] or "")}


@_rule(r"(?<![\d.])(?P<y>(?:19|20)\d{2})[./-](?P<m>\d{1,2})[./-](?P<d>\d{1,2})(?![\d.])", needs=('-', '/', '.'), also=('19', '20'))
def _iso_date(m: re.Match[str]) -> dict | None:
    mo, d = int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return {"kind": "date", "year": int(m["y"]), "month": mo, "day": d}


@_rule(rf"(?:(?P<y>(?:19|20)\d{{2}})[ \t]*年[ \t]*)?(?<![\d一二三四五六七八九十每个])(?P<m1>{_MONTH})[ \t]*(?:月份?)?[ \t]*"
       rf"(?:[-—–~至到、])[ \t]*(?P<m2>{_MONTH})[ \t]*月(?:份)?(?P<part>上旬|中旬|下旬|初|底|末)?", needs=('月',))
def _month_range(m: re.Match[str]) -> dict | None:
    m1, m2 = _n(m["m1"]), _n(m["m2"])
    if not m1 or not m2 or not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    return {"kind": "month", "year": int(m["y"]) if m["y"] else None, "month": m1, "month_end": m2,
            "part_of_month": _MONTH_PART.get(m["part"] or "")}


@_rule(rf"(?:(?P<y>(?:19|20)\d{{2}})[ \t]*年[ \t]*)?(?<![\d一二三四五六七八九十每个第])(?P<m>{_MONTH})[ \t]*月(?:份)?"
       rf"(?P<part>上旬|中旬|下旬|初|中旬|底前|底|末|前)?(?![ \t]*\d{{1,2}}[ \t]*[日号])", needs=('月',))
def _month(m: re.Match[str]) -> dict | None:
    mo = _n(m["m"])
    if not mo or not 1 <= mo <= 12:
        return None
    end = m.end()
    text = m.string
    # "一月一主题", "三月一次" are frequencies; "月中" after a digit month is fine.
    if m["m"] in "一" and text[end:end + 1] in "一1" and m["y"] is None:
        return None
    return {"kind": "month", "year": int(m["y"]) if m["y"] else None, "month": mo,
            "part_of_month": _MONTH_PART.get(m["part"] or "")}


# --- calendar tables: week numbers, M.D dates, date ranges ------------------------------
_DASH = r"(?:-{1,2}|—{1,2}|–|~|～|至|到)"
_WD_PAREN = r"(?:[ \t]*[(（](?:周|星期)?(?P<w>[一二三四五六日天])[)）])"
_MD_RANGE = (r"(?P<m>1[0-2]|0?[1-9])\.(?P<d>[0-3]?\d)(?:" + _DASH +
             r"(?:(?P<m2>1[0-2]|0?[1-9])\.)?(?P<d2>[0-3]?\d))?")


def _md(m: re.Match[str], prefix: str = "") -> dict | None:
    mo, d = int(m[prefix + "m"]), int(m[prefix + "d"])
    mo2 = int(m[prefix + "m2"]) if m[prefix + "m2"] else None
    d2 = int(m[prefix + "d2"]) if m[prefix + "d2"] else None
    if not (1 <= mo <= 12 and 1 <= d <= 31) or (d2 is not None and not 1 <= d2 <= 31):
        return None
    if d2 is not None and mo2 is None and d2 <= d:
        return None  # 1.5-1 is no range of days
    return {"kind": "date", "month": mo, "day": d, "month_end": mo2 if mo2 and mo2 != mo else None,
            "day_end": d2}


@_rule(rf"第[ \t]*(?P<w1>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})(?:[ \t]*(?:、|,|，|{_DASH})[ \t]*第?(?P<w2>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}))?"
       rf"[ \t]*(?:周|星期)(?![一二三四五六日天])"
       rf"(?:[ \t]*[(（][ \t]*{_MD_RANGE.replace('(?P<', '(?P<r')}[ \t]*[)）])?|(?P<prep>预备周)", needs=('第', '预备周'),
       also=('周', '星期'))
def _week(m: re.Match[str]) -> dict | None:
    if m["prep"]:
        return {"kind": "week", "week": 0}
    w1, w2 = _n(m["w1"]), _n(m["w2"])
    if w1 is None or w1 > 30 or (w2 is not None and (w2 <= w1 or w2 > 30)):
        return None
    out: dict = {"kind": "week", "week": w1, "week_end": w2}
    if m["rm"]:
        dates = _md(m, "r")
        if dates:
            out.update(month=dates["month"], day=dates["day"], month_end=dates["month_end"], day_end=dates["day_end"])
    return out


# 8.26（周三）, 9.1-9.7, (11.30-12.6): a bare M.D is too often a number (1.5 小时, 2.3 节) or a
# section number (1.1), so it is a date only with a weekday or as a range.
@_rule(rf"(?<![\d.])(?:{_MD_RANGE}{_WD_PAREN}|(?P<rm>1[0-2]|0?[1-9])\.(?P<rd>[0-3]?\d){_DASH}"
       rf"(?:(?P<rm2>1[0-2]|0?[1-9])\.)?(?P<rd2>[0-3]?\d)(?:日|号)?)(?![\d.%])", needs=('.',),
       also=('(', '（', '-', '—', '–', '~', '～', '至', '到'))
def _dotted_date(m: re.Match[str]) -> dict | None:
    out = _md(m, "r" if m["rm"] else "")
    if out and m["w"]:
        out["weekday"] = _WEEKDAY[m["w"]]
    return out


_YEAR = r"(?P<y>(?:19|20)\d{2}|1[0-2]\d|[89]\d)"  # a Gregorian year, or a Republic-of-China year (105年)
_WD_SKIP = r"(?:[ \t]*[(（](?:周|星期)?[一二三四五六日天][)）])?"


def _year_of(s: str | None) -> int | None:
    if not s:
        return None
    y = int(s)
    return y if y >= 1900 else y + 1911


@_rule(rf"(?:{_YEAR}[ \t]*年[ \t]*)?(?P<m>\d{{1,2}})[ \t]*月[ \t]*(?P<d>\d{{1,2}})[ \t]*[日号]?{_WD_PAREN}?[ \t]*{_DASH}[ \t]*"
       rf"(?:(?P<m2>\d{{1,2}})[ \t]*月[ \t]*)?(?P<d2>\d{{1,2}})[ \t]*[日号]{_WD_SKIP}", needs=('日', '号'),
       also=('-', '—', '–', '~', '～', '至', '到'))
def _date_range(m: re.Match[str]) -> dict | None:
    out = _md(m)
    if out:
        out["year"] = _year_of(m["y"])
        if m["w"]:
            out["weekday"] = _WEEKDAY[m["w"]]
    return out


# 4日（四）, 7日～28日, 22日下午: a day of the month the page's calendar names
@_rule(rf"(?<![\d月.])(?P<d>[0-3]?\d)[ \t]*[日号]{_WD_PAREN}?(?:[ \t]*{_DASH}[ \t]*(?P<d2>[0-3]?\d)[ \t]*[日号]"
       rf"(?:[ \t]*[(（](?:周|星期)?[一二三四五六日天][)）])?)?(?:[ \t]*(?P<p>上午|下午|中午|晚上|早上))?", needs=('日', '号'),
       also=('(', '（', '-', '—', '–', '~', '～', '至', '到', '上午', '下午', '中午', '晚上', '早上'))
def _day(m: re.Match[str]) -> dict | None:
    d, d2 = int(m["d"]), int(m["d2"]) if m["d2"] else None
    if not 1 <= d <= 31 or (d2 is not None and not d < d2 <= 31) or (d2 is None and not m["w"] and not m["p"]):
        return None  # a bare 5日 is too often a count (5日内) to be a date; 5日下午 is a day
    return {"kind": "date", "day": d, "day_end": d2, "weekday": _WEEKDAY[m["w"]] if m["w"] else None,
            "part_of_day": _DAY_PART.get(m["p"] or "")}


@_rule(r"第(?P<n>[一二三四五六七八九十]|[1-9])(?:个)?(?:学)?年(?![级度龄代轻纪])", needs=('第',), also=('年',))
def _programme_year(m: re.Match[str]) -> dict | None:
    return {"kind": "year", "programme_year": _n(m["n"])}


# a programme's year as a label (1年: …, 第2年：…): the number and its colon, not a count of years
@_rule(r"(?<![\d\u4e00-\u9fff.])(?P<n>[1-9])[ \t]*年(?=[ \t]*[:：])", needs=('年',), also=(':', '：'))
def _programme_year_label(m: re.Match[str]) -> dict | None:
    return {"kind": "year", "programme_year": int(m["n"])}


@_rule(r"全年|全学年|(?:时间)?(?:待定|另定)|另行通知", needs=('全年', '全学年', '待定', '另定', '另行通知'))
def _open_time(m: re.Match[str]) -> dict:
    return {"kind": "year"} if "全" in m.group(0) else {"kind": "relative"}


@_rule(r"(?<![\d一二三四五六七八九十个每])月(?P<part>初|末|中|底)(?!旬)", needs=('月初', '月末', '月中', '月底'))
def _part_of_month(m: re.Match[str]) -> dict:
    return {"kind": "month", "part_of_month": _MONTH_PART[m["part"]]}


# --- frequencies -------------------------------------------------------------------------
@_rule(rf"每(?P<n>{_SMALL})?(?:个)?(?P<u>周|星期|礼拜|月|学期|学年|年度|年(?![级龄段代轻纪])|天|日|季度)"
       rf"(?:(?:周|星期)(?P<w>[一二三四五六日天1-7])(?P<wp>上午|下午|晚上)?)?"
       rf"(?:[ \t]*(?P<cmp>{_COMPARATOR})?[ \t]*(?:开展|举行|举办|组织|进行|召开|安排|上|听|读|写|撰写|参加|活动|集中)?"
       rf"[ \t]*(?P<c>{_SMALL})[ \t]*(?P<cu>{_COUNT_UNIT})(?P<more>[ \t]*以上)?)?", needs=('每',))
def _every(m: re.Match[str]) -> dict | None:
    unit = m["u"]
    interval = _n(m["n"]) or 1
    per = _PERIOD_UNITS[unit]
    if unit == "季度":
        interval *= 3
    count = _n(m["c"]) or 1
    out: dict = {"kind": "frequency",
                 "frequency": {"count": count, "per": per, "interval": interval,
                               "minimum": bool(m["cmp"] or m["more"])}}  # 每月1节以上: at least
    if m["w"]:
        out["weekday"] = _WEEKDAY[m["w"]]
        out["part_of_day"] = _DAY_PART.get(m["wp"] or "")
    return out


@_rule(rf"(?<![每\d])(?P<p>一|1)[ \t]*(?P<u>年|学年|学期|月|周)[ \t]*(?P<c>{_SMALL})[ \t]*(?P<cu>天|次|节|场)", needs=('次', '天', '节', '场'))
def _per_one_period(m: re.Match[str]) -> dict | None:
    count = _n(m["c"])
    if not count or (m["c"] in "一1" and m["cu"] == "次"):
        return None  # 一年一次 is caught by _n_per_period
    return {"kind": "frequency", "frequency": {"count": count, "per": _PERIOD_UNITS[m["u"]], "interval": 1,
                                               "minimum": False}}


@_rule(r"第(?P<q>[一二三四1-4])季度", needs=('季度',))
def _quarter(m: re.Match[str]) -> dict:
    return {"kind": "month"}


@_rule(r"(?:隔周|双周|单周)(?:(?:周|星期)?(?P<w>[一二三四五六日天]))?(?P<wp>上午|下午|晚上)?", needs=('隔周', '双周', '单周'))
def _alternate(m: re.Match[str]) -> dict:
    return {"kind": "frequency", "frequency": {"count": 1, "per": "week", "interval": 2, "minimum": False},
            "weekday": _WEEKDAY.get(m["w"] or ""), "part_of_day": _DAY_PART.get(m["wp"] or "")}


@_rule(rf"(?<![每\d])(?P<n>{_SMALL})[ \t]*(?:个)?(?P<u>周|星期|月|学期|学年|年)[ \t]*(?P<cmp>{_COMPARATOR})?[ \t]*"
       rf"(?P<c>{_SMALL})[ \t]*(?P<cu>次|节|轮|期|场)", needs=('次', '节', '轮', '期', '场'), also=('周', '星期', '月', '学期', '学年', '年'))
def _n_per_period(m: re.Match[str]) -> dict | None:
    interval, count = _n(m["n"]), _n(m["c"])
    if not interval or not count or interval > 12:
        return None
    return {"kind": "frequency", "frequency": {"count": count, "per": _PERIOD_UNITS[m["u"]], "interval": interval,
                                               "minimum": bool(m["cmp"])}}


# --- weekdays ----------------------------------------------------------------------------
@_rule(r"(?P<every>每)?(?:周|星期|礼拜)(?P<w>[一二三四五六日天1-7])(?:[ \t]*(?:至|到|-|—)[ \t]*(?:周|星期)?[一二三四五六日天])?"
       r"[ \t]*(?P<p>上午|下午|晚上|早上|中午)?(?:第(?P<k>[一二三四五六七八\d])节)?", needs=('周', '星期', '礼拜'))
def _weekday(m: re.Match[str]) -> dict:
    out: dict = {"kind": "weekday", "weekday": _WEEKDAY[m["w"]], "part_of_day": _DAY_PART.get(m["p"] or "")}
    if m["every"]:
        out.update(kind="frequency", frequency={"count": 1, "per": "week", "interval": 1, "minimum": False})
    return out


# --- terms and the school calendar ------------------------------------------------------
@_rule(r"(?:第(?P<t>[一二12])学期|(?P<ud>上|下)学期|(?P<s>春季|秋季)学期|(?P<s2>春学期|秋学期))", needs=('学期',))
def _term(m: re.Match[str]) -> dict:
    t = _term_no(m["t"]) or _term_no(m["ud"]) or _term_no((m["s"] or m["s2"] or "")[:1])
    return {"kind": "term", "term": t}


@_rule(r"(?P<rel>本|这|该|下|新|上)(?P<u>学期|学年度|学年|年度)", needs=('学期', '学年', '年度'))
def _relative(m: re.Match[str]) -> dict:
    rel = {"本": "this", "这": "this", "该": "this", "新": "next", "下": "next", "上": "last"}[m["rel"]]
    kind = "term" if m["u"] == "学期" else "year"
    return {"kind": "relative" if rel else kind, "relative": rel}


@_rule(r"(?:学期|学年)?(?P<p>期初|期中|期末|开学初|开学前|开学后|开学第一周|开学|学期初|学期中|学期末|学期结束|学年末|学年初|年底|年初|年末|年中)"
       r"(?:前|后|时|阶段)?", needs=('期初', '期中', '期末', '期结', '开学', '年底', '年初', '年末', '年中'))
def _term_part(m: re.Match[str]) -> dict:
    p = m["p"]
    part = "start" if ("初" in p or "开学" in p) else "end" if any(c in p for c in "末底") or "结束" in p else "mid"
    return {"kind": "term", "term_part": part}


@_rule(r"(?P<h>寒暑假|寒假|暑假|暑期|假期)(?:期间|前|后|中|里)?", needs=('假', '暑期'))
def _holiday(m: re.Match[str]) -> dict:
    h = m["h"]
    return {"kind": "term", "holiday": "winter" if h == "寒假" else "summer" if h in ("暑假", "暑期") else None}


# --- durations and minimums -------------------------------------------------------------
@_rule(rf"(?P<cmp>{_COMPARATOR})[ \t]*(?P<n>{_NUM}(?:\.\d)?)[ \t]*(?:个)?(?P<u>天|小时|课时|学时|节课|节|分钟|周|个月|年|学期|学分)(?:以上)?", needs=('少于', '低于', '最少', '起码', '达到', '至少', '以上'))
def _minimum(m: re.Match[str]) -> dict | None:
    q = _num(m["n"])
    if q is None:
        return None
    return {"kind": "duration", "duration": {"quantity": q, "unit": _duration_unit(m["u"]), "comparator": ">="}}


@_rule(rf"(?<![\d年])(?P<a>{_SMALL})[ \t]*[-—~至到][ \t]*(?P<b>{_SMALL})[ \t]*(?P<u>年|个月|周|天)(?!级|代)", needs=('-', '—', '~', '至', '到'), also=('年', '个月', '周', '天'))
def _span(m: re.Match[str]) -> dict | None:
    a, b = _n(m["a"]), _n(m["b"])
    if a is None or b is None or a >= b:
        return None
    if m["u"] == "年" and (m["a"].startswith("0") or (a >= 10 and b - a <= 4)):
        # 02-04年, 19-20 年: two-digit years, not a duration of years
        if a >= 50:  # 57~60年: 民国 or 19xx — the phrase alone cannot tell
            return {"kind": "year"}
        y = a + 2000
        return {"kind": "year", "year": y, "academic_year": f"{y}-{y + 1}" if b - a == 1 else None}
    return {"kind": "duration", "duration": {"quantity": a, "quantity_max": b, "unit": _duration_unit(m["u"]),
                                             "comparator": "="}}


@_rule(rf"(?P<n>{_SMALL}|半)[ \t]*(?:个)?(?P<u>年|个月|学期|周|天)[ \t]*(?:内|之内|左右|时间)", needs=('内', '左右', '时间'), also=('年', '个月', '学期', '周', '天'))
def _within(m: re.Match[str]) -> dict | None:
    q = 0.5 if m["n"] == "半" else _n(m["n"])
    if q is None:
        return None
    return {"kind": "duration", "duration": {"quantity": q, "unit": _duration_unit(m["u"]), "comparator": "<="}}


@_rule(r"(?<![\d一二三四五六七八九十])半天|(?<![\d一二三四五六七八九十])(?P<n>[一二两三四五六七八九十]|\d{1,2})[ \t]*天(?=[的,，。;；、[ \t]])", needs=('天',))
def _days(m: re.Match[str]) -> dict | None:
    q = 0.5 if m.group(0) == "半天" else _n(m["n"])
    if q is None:
        return None
    return {"kind": "duration", "duration": {"quantity": q, "unit": "day", "comparator": "="}}


def _num(s: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s) if "." in s else int(s)
    return _n(s)


def _duration_unit(u: str) -> str:
    return {"天": "day", "小时": "hour", "课时": "lesson", "学时": "hour", "节课": "lesson", "节": "lesson",
            "分钟": "minute", "周": "week", "个月": "month", "年": "year", "学期": "term", "学分": "credit"}[u]


_KINDS = {"date", "month", "term", "year", "weekday", "frequency", "duration", "relative", "week"}
SENTENCE_ENDS = "。；;！？!?"  # characters no rule consumes (test_timex: test_no_rule_reads_past_a_sentence_end)
_PIECE_END = re.compile(f"[\n{SENTENCE_ENDS}]")
_LOOKAHEAD_PAST_END = 2  # characters from a sentence end on that a rule's lookahead may read


def find_times(text: str, offset: int = 0, start: int = 0, end: int | None = None) -> list[TimeExpr]:
    """Every time expression in text[start:end], longest first where they overlap.
    Spans are `offset`-shifted (pass the absolute offset of `text` in its document)."""
    end = len(text) if end is None else end
    found: list[tuple[int, int, dict]] = []
    triggers, group_bits, rule_masks = _triggers()
    # Time phrases never cross lines or sentence ends (no rule reads one: test_timex checks the
    # rules), so each sentence is tried with only the rules it holds the literals of. A piece
    # that ends at a sentence end is scanned through the character after it, which a lookahead
    # may read (_days: 天。), and keeps the matches that start before it.
    stops = [m.start() for m in _PIECE_END.finditer(text, start, end)]  # the pieces' ends, in one scan
    last = len(stops)
    stops.append(end)  # the last piece ends with the text (empty where a break ends it)
    # The triggers in one scan of the whole span, not one a piece: no trigger holds a piece's
    # end, so each token lies inside one piece (bisect finds which) and the tokens are those a
    # scan of each piece finds. Only the pieces that hold one are visited.
    present_in: dict[int, int] = {}
    for t in triggers.finditer(text, start, end):
        n = bisect.bisect_left(stops, t.start())
        present_in[n] = present_in.get(n, 0) | group_bits[t.group()]
    for n, present in present_in.items():  # in the pieces' order
        stop = stops[n]
        piece = stops[n - 1] + 1 if n else start
        scan_end = min(end, stop + _LOOKAHEAD_PAST_END) if n < last and text[stop] != "\n" else stop
        rules = _RULES_FOR.get(present)
        if rules is None:  # the rules a set of triggers admits, worked out once per set
            rules = _RULES_FOR[present] = tuple((rx, build) for (rx, build, _), mask
                                                in zip(_RULES, rule_masks, strict=True) if present & mask == mask)
        for rx, build in rules:
            for m in rx.finditer(text, piece, scan_end):
                if m.start() >= stop:
                    break
                if m.end() == m.start():
                    continue
                fields = build(m)
                if fields:
                    a, b = m.start(), m.end()
                    while b > a and text[b - 1] in " \t":
                        b -= 1
                    found.append((a, b, fields))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int, dict]] = []
    covered = bytearray(end - start + 1)  # longest first; a shorter one inside a longer one is dropped
    for a, b, fields in found:
        if not any(covered[a - start:b - start]):
            covered[a - start:b - start] = b"\x01" * (b - a)
            taken.append((a, b, fields))
    taken.sort(key=lambda f: f[0])
    out = []
    for a, b, fields in _compose(text, taken):
        out.append(_make(text[a:b], a + offset, b + offset, fields))
    return out


_COMPOSE_MAX = 24  # characters of a composed expression
# a year is written before a month, a day or a term, never after (三月份 / 2020年省…, 本学期 /
# 2019年立项的课题: two expressions)
_FINER_THAN_YEAR = frozenset({"date", "week", "weekday", "month", "term", "relative"})
_KIND_ORDER = ("frequency", "date", "week", "weekday", "month", "term", "year", "relative")


_BRACKET_OPEN = re.compile(r"[ \t]*[(（][ \t]*")
_BRACKET_CLOSE = re.compile(r"[ \t]*[)）]")


def _compose(text: str, found: list[tuple[int, int, dict]]) -> list[tuple[int, int, dict]]:
    """Expressions that touch read as one (每年 + 八月 → every year in August; 第1周 + 周一上午
    → week 1, Monday morning; 2021学年 + 第一学期): fields are joined, the first keeps a
    field both give, and the kind is the most specific one. Durations never compose."""
    out: list[tuple[int, int, dict]] = []
    for a, b, fields in found:
        if out:
            pa, pb, pf = out[-1]
            gap = text[pb:a]
            if (pf["kind"] == "weekday" and fields["kind"] == "date" and _BRACKET_OPEN.fullmatch(gap)
                    and (close := _BRACKET_CLOSE.match(text, b)) is not None and close.end() - pa <= _COMPOSE_MAX):
                # 周三 （9月18日）, 星期一(2017-02-13): a weekday with its date in brackets
                out[-1] = (pa, close.end(), {**{k: v for k, v in fields.items() if v is not None},
                                             **{k: v for k, v in pf.items() if v is not None}, "kind": "date"})
                continue
            if (gap in ("", " ") and b - pa <= _COMPOSE_MAX and "duration" not in (pf["kind"], fields["kind"])
                    and pf["kind"] != fields["kind"] and not (pf.get("frequency") and fields.get("frequency"))
                    and not (fields["kind"] == "year" and pf["kind"] in _FINER_THAN_YEAR)):
                merged = {**{k: v for k, v in fields.items() if v is not None},
                          **{k: v for k, v in pf.items() if v is not None}}
                merged["kind"] = min((pf["kind"], fields["kind"]), key=_KIND_ORDER.index)
                out[-1] = (pa, b, merged)
                continue
        out.append((a, b, fields))
    return out


_RULES_FOR: dict[int, tuple] = {}


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern[str], dict[str, int], list[int]]:
    """One regex for every literal some rule needs; for each token it finds, the groups it
    satisfies as a bit set (学期 also holds 期, so it satisfies groups that need 期); and
    for each rule, the bits of all its groups."""
    groups = tuple((r, g) for r, (_, _, needs) in enumerate(_RULES) for g in needs)
    _, bits, masks = _trigger_tables(groups, len(_RULES))
    # the same tokens as the longest-first alternation, as a trie: one branch per character
    return re.compile(trie_pattern(bits)), bits, masks


@startup.memo("timex_triggers")  # ~20 ms (the overlap closure and its bit sets), at every start
def _trigger_tables(groups: tuple[tuple[int, tuple[str, ...]], ...], rules: int) -> tuple[str, dict[str, int],
                                                                                           list[int]]:
    literals = {k for _, g in groups for k in g}
    keys = _overlap_closure(literals)
    bits = {k: sum(1 << i for i, (_, g) in enumerate(groups) if any(n in k for n in g)) for k in keys}
    masks = [sum(1 << i for i, (r, _) in enumerate(groups) if r == rule) for rule in range(rules)]
    # sorted first: the same pattern string every run (set order varies), so the start-up cache keeps it
    return "|".join(map(re.escape, sorted(sorted(keys), key=len, reverse=True))), bits, masks


def _overlap_closure(literals: set[str]) -> set[str]:
    """The literals plus every run of overlapping ones (学期 + 期初 → 学期初): a longest-first
    scan finds non-overlapping tokens, and without the runs the token 学期 would hide 期初."""
    keys = set(literals)
    frontier = set(literals)
    while frontier:
        new = {t + k[o:] for t in frontier for k in literals for o in range(1, min(len(t), len(k)))
               if t[-o:] == k[:o]} - keys
        keys |= new
        frontier = new
    return keys


class TimeIndex:
    """All time expressions of a text, found once, looked up by span."""

    def __init__(self, text: str) -> None:
        compacted = compact_with_offsets(text)
        if compacted is None:
            self.times = find_times(text)
        else:  # 每学(xué)期: the grammar reads the text without the annotations
            plain, offsets = compacted
            self.times = find_times(plain)
            for t in self.times:  # fresh objects of our own: re-anchored in place
                a, b = offsets[t.source_span[0]], offsets[t.source_span[1] - 1] + 1
                object.__setattr__(t, "text", text[a:b])
                object.__setattr__(t, "source_span", (a, b))
        self.times = _across_breaks(text, self.times)
        self._starts = [t.source_span[0] for t in self.times]

    def within(self, start: int, end: int) -> list[TimeExpr]:
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.times) and self._starts[i] < end:
            t = self.times[i]
            if t.source_span[1] <= end:
                out.append(t)
            i += 1
        return out


# the break first and the character before it checked behind it, so that re scans for "\n"
_JOINABLE = re.compile(r"\n(?<=[\u4e00-\u9fff\d]\n)(?=[\u4e00-\u9fff\d])")
_BREAK_WINDOW = 8


def _across_breaks(text: str, times: list[TimeExpr]) -> list[TimeExpr]:
    """Times a hard line break cuts in two (每\n学年): the grammar reads each break's
    neighbourhood joined, and a time that spans the break is added with the break inside it."""
    found = []
    triggers = _triggers()[0]
    ends, starts = {t.source_span[1] for t in times}, {t.source_span[0] for t in times}
    for m in _JOINABLE.finditer(text):
        i = m.start()
        if i in ends and i + 1 in starts:
            continue  # two times on two lines (a flattened table's date cell, then 6月主题党日…): none is cut
        near = text[max(0, i - 3):i] + text[i + 1:i + 4]
        if not any(t.start() < 3 < t.end() or t.end() == 3 or t.start() == 3 for t in triggers.finditer(near)):
            continue  # no time word touches the break: nothing to join (the cheap test first)
        lo = max(0, i - _BREAK_WINDOW)
        left, right = text[lo:i], text[i + 1:i + 1 + _BREAK_WINDOW]
        for t in find_times(left + right):
            a, b = t.source_span
            if a < len(left) < b:
                start, end = lo + a, lo + b + 1
                object.__setattr__(t, "text", text[start:end])
                object.__setattr__(t, "source_span", (start, end))
                found.append(t)
    if not found:
        return times
    merged = sorted(times + found, key=lambda t: (t.source_span[0], -t.source_span[1]))
    out: list[TimeExpr] = []
    for t in merged:  # a longer expression already there wins
        if out and t.source_span[0] < out[-1].source_span[1]:
            continue
        out.append(t)
    return out


def parse_time(phrase: str) -> TimeExpr | None:
    """The one time expression that covers `phrase` (normalised), or None."""
    times = find_times(phrase)
    if len(times) == 1 and times[0].source_span[1] - times[0].source_span[0] >= len(phrase.strip()) - 1:
        return times[0]
    return None


_TIME_FIELDS = frozenset(TimeExpr.FIELDS)
_FREQ_FIELDS = frozenset(Frequency.FIELDS)


def _make(text: str, a: int, b: int, fields: dict) -> TimeExpr:
    # Built without re-validation (the rules build typed values) and with one shared
    # fields-set: a long document holds many of them.
    freq = fields.pop("frequency", None)
    kind = fields.pop("kind")
    assert kind in _KINDS
    clean = {k: v for k, v in fields.items() if v is not None}
    return trusted(TimeExpr, _TIME_FIELDS, text=text, source_span=(a, b), kind=kind,  # type: ignore[return-value]
                   frequency=trusted(Frequency, _FREQ_FIELDS, **freq) if freq else None, **clean)
