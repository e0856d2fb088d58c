"""Responsible parties: offices, bodies, roles, people and external bodies that a plan
charges with work (教务处, 教研组, 领导小组, 教研组长, 班主任, 区教研室 …).

Found by the lexicon (resources/parties.tsv, one row per canonical party with its aliases)
and, for names the lexicon lacks, by their form (…处/…室/…组/…中心/…小组/…站/…组长/
…主任/…校长). Canonical names are simplified, without the school's name or a subject or
grade prefix (语文教研组 → 教研组, 高三年级组 → 年级组), so that plans compare."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .normalise import fold_width, to_simplified

_SUBJECT = (r"(?:语文|数学|英语|外语|物理|化学|生物|政治|道德与法治|道法|历史|地理|科学|体育|音乐|美术|艺术|"
            r"信息技术|信息|综合实践|综合|心理|劳动|理化生|理化|文科|理科|音美|体艺|史地政|政史地|"
            r"小学|初中|高中|幼儿园|低段|中段|高段|低年级|中年级|高年级|"
            r"高[一二三]|初[一二三]|[一二三四五六七八九]年级|[七八九]年级)+")
_SCHOOL_PREFIX = re.compile(r"^(?:.{0,12}?(?:小学|中学|学校|幼儿园|完小|中心校)(?=.{2,}))|^(?:我校|本校|全校|学校|校级|各|本|该)")
_SUBJECT_GROUP = re.compile(rf"^{_SUBJECT}(教研组长|备课组长|教研组|备课组|学科组|年级组|组长|组)$")
_STOP_LEFT = set("的和与及各由在对为把被向从以并等或是将要请让给每经报送交到于其该此本我你他她它们了着过也都还又就才")
_SUFFIX = re.compile(r"(?:教研组长|备课组长|年级组长|组长|主任|校长|处|室|中心|小组|组|站|委员会|工作室|局|厅)(?![\u4e00-\u9fff]{0,0}[长员])")
_ROOMS = {"教室", "实验室", "会议室", "阅览室", "功能室", "图书室", "录播室", "活动室", "计算机室", "微机室", "多媒体室",
          "资料室", "档案室", "卫生室", "医务室", "琴房", "专用室", "音乐室", "美术室", "舞蹈室", "心理咨询室",
          "工作室成员", "小组", "组", "室", "处", "中心", "之处", "不足之处", "好处", "长处", "到处", "各处", "此处", "益处",
          "用处", "难处", "深处", "相处", "共处", "出处", "重点难点", "站", "网站", "车站", "学习小组", "合作小组",
          "兴趣小组", "班组", "分组", "每组", "本组", "全组", "我组", "各组", "该组", "小组长", "中心组", "重心",
          "核心", "中心校", "校长", "主任", "组长", "局", "全局", "大局", "格局", "布局", "结局", "厅"}


@dataclass(frozen=True)
class PartyLexicon:
    canonical: dict[str, tuple[str, str]]  # surface form -> (canonical name, kind)
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def party_lexicon() -> PartyLexicon:
    canonical: dict[str, tuple[str, str]] = {}
    text = resources.files("extractor.resources").joinpath("parties.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, *rest = line.split("\t")
        aliases = [a for a in (rest[0].split(",") if rest else []) if a]
        for form in [name, *aliases]:
            canonical[form] = (name, kind)
    ordered = sorted(canonical, key=len, reverse=True)
    return PartyLexicon(canonical, re.compile("|".join(map(re.escape, ordered))))


def canonical_name(name: str) -> tuple[str, str] | None:
    """(canonical simplified name, kind) of a surface form, or None if it is no party."""
    s = to_simplified(fold_width(name)).strip()
    lex = party_lexicon()
    if s in lex.canonical:
        return lex.canonical[s]
    m = _SUBJECT_GROUP.match(s)
    if m:
        core = {"组": "教研组", "组长": "教研组长"}.get(m.group(1), m.group(1))
        return lex.canonical.get(core, (core, "group"))
    stripped = _SCHOOL_PREFIX.sub("", s)
    if stripped != s and stripped:
        return canonical_name(stripped)
    if s in _ROOMS or len(s) < 2:
        return None
    return s, _kind_of(s)


def _kind_of(name: str) -> str:
    if re.search(r"(?:省|市|县|区|镇|国家|教育部|教育局|教育厅|政府|进修|教研室$|研究室$|大学|学院$)", name):
        return "external"
    if re.search(r"(?:组长|主任|校长|书记|园长|教师|老师|员|人)$", name):
        return "role"
    if re.search(r"(?:组|小组|委员会|工作室|站|社群|团队|会)$", name):
        return "group"
    return "office"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    kind: str


def find_parties(norm: str, start: int, end: int) -> list[Mention]:
    """Party mentions in norm[start:end]: lexicon names first, then unseen names by form."""
    lex = party_lexicon()
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in lex.pattern.finditer(norm, start, end):
        a, b = m.start(), m.end()
        name = lex.canonical[m.group()]
        for k in range(a - 1, max(start, a - 12) - 1, -1):  # 语文教研组, 实验小学教务处
            s = norm[k:b]
            if _SUBJECT_GROUP.match(s) or (_SCHOOL_PREFIX.match(s) and _SCHOOL_PREFIX.sub("", s) == m.group()):
                a = k
        if a != m.start():
            name = canonical_name(norm[a:b]) or name
        if not _overlaps(taken, a, b):
            out.append(Mention(a, b, *name))
            taken.append((a, b))
    for m in _SUFFIX.finditer(norm, start, end):
        b = m.end()
        a = _extend_left(norm, m.start(), max(start, m.start() - 6))
        if b - a < 3 or _overlaps(taken, a, b):
            continue
        surface = norm[a:b]
        found = canonical_name(surface)
        if found is None or found[0] in _ROOMS:
            continue
        out.append(Mention(a, b, *found))
        taken.append((a, b))
    out.sort(key=lambda x: x.start)
    return out


def _extend_left(norm: str, i: int, floor: int) -> int:
    while i > floor and "\u4e00" <= norm[i - 1] <= "\u9fff" and norm[i - 1] not in _STOP_LEFT:
        i -= 1
    return i


def _overlaps(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(a < y and b > x for x, y in taken)
