"""Responsible parties: offices, bodies, roles, people and external bodies that a plan
charges with work (教务处, 教研组, 领导小组, 教研组长, 班主任, 区教研室 …).

Found by the lexicon (resources/parties.tsv, one row per canonical party with its aliases)
and, for names the lexicon lacks, by their form (…处/…室/…组/…中心/…小组/…站/…组长/
…主任/…校长). Canonical names are simplified, without the school's name or a subject or
grade prefix (语文教研组 → 教研组, 高三年级组 → 年级组), so that plans compare."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from . import startup
from .lexicon import compact_with_offsets, trie_pattern
from .normalise import fold_width, is_cjk, to_simplified

_SUBJECT_WORDS = ("语文|数学|英语|外语|物理|化学|生物|政治|道德与法治|道法|历史|地理|科学|体育|音乐|美术|艺术|"
                  "信息技术|信息|综合实践|综合|心理|劳动|理化生|理化|文科|理科|音美|体艺|史地政|政史地|"
                  "小学|初中|高中|幼儿园|低段|中段|高段|低年级|中年级|高年级").split("|")
_SUBJECT = "(?:" + "|".join(_SUBJECT_WORDS) + r"|高[一二三]|初[一二三]|[一二三四五六七八九]年级|[七八九]年级)+"
# The characters a _SUBJECT can end with: a cheap test before the regex search.
_SUBJECT_LAST = frozenset(w[-1] for w in _SUBJECT_WORDS) | frozenset("一二三级")
_SCHOOL_PREFIX = re.compile(r"^(?:.{0,12}?(?:小学|中学|学校|幼儿园|完小|中心校)(?=.{2,}))|^(?:我校|本校|全校|学校|校级|各|本|该)")
_SUBJECT_GROUP = re.compile(rf"^{_SUBJECT}(教研组长|备课组长|教研组|备课组|学科组|年级组|组长|组)$")
_STOP_LEFT = set("的和与及各由在对为把被向从以并等或是将要请让给每经报送交到至于其该此本我你他她它们了着过也都还又就才")
_ROOMS = {"教室", "实验室", "会议室", "阅览室", "功能室", "图书室", "录播室", "活动室", "计算机室", "微机室", "多媒体室",
          "资料室", "档案室", "卫生室", "医务室", "琴房", "专用室", "音乐室", "美术室", "舞蹈室", "心理咨询室",
          "小组", "组", "室", "处", "中心", "之处", "不足之处", "好处", "长处", "到处", "各处", "此处", "益处",
          "用处", "难处", "深处", "相处", "共处", "出处", "重点难点", "站", "网站", "车站", "学习小组", "合作小组",
          "兴趣小组", "班组", "分组", "每组", "本组", "全组", "我组", "各组", "该组", "小组长", "中心组", "重心",
          "核心", "中心校", "主任", "组长", "副组长", "组员", "局", "全局", "大局", "格局", "布局", "结局", "厅"}


@dataclass(frozen=True)
class PartyLexicon:
    canonical: dict[str, tuple[str, str]]  # surface form -> (canonical name, kind)
    pattern: re.Pattern[str]
    key: dict[str, str]  # canonical name -> the lexicon row it belongs to (variants share one)


@lru_cache(maxsize=1)
def party_lexicon() -> PartyLexicon:
    canonical: dict[str, tuple[str, str]] = {}
    key: dict[str, str] = {}
    text = startup.resource_text("parties.tsv")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, *rest = line.split("\t")
        folds = [a for a in (rest[0].split(",") if rest else []) if a]
        variants = [a for a in (rest[1].split(",") if len(rest) > 1 else []) if a]
        for form in [name, *folds]:
            canonical[form] = (name, kind)
        for form in variants:  # a reader keeps 政教处 as written; the plan's forms still group
            canonical[form] = (form, kind)
            key[form] = name
        key[name] = name
    return PartyLexicon(canonical, re.compile(trie_pattern(list(canonical))), key)


def party_key(name: str) -> str:
    """What names of one party share (政教处 and 德育处, 课程处 and 课程中心): its lexicon row,
    else the name itself."""
    return party_lexicon().key.get(name, name)


@lru_cache(maxsize=8192)  # a pure function of a short name, asked again and again (OpenCC costs most)
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
    if re.search(r"(?:省|市|县|区|镇|国家|教育部|教育局|教育厅|政府|进修|教研室$|研究室$|大学|学院$|[局厅署]$)", name):
        return "external"
    if re.search(r"(?:组长|主任|校长|书记|园长|教师|老师|员|人)$", name):
        return "role"
    if re.search(r"(?:组|小组|委员会|工作室|站|社群|团队|会)$", name):
        return "group"
    return "office"


class TextView:
    """A plan's text as the party grammar reads it: without pinyin annotations (教導(dǎo)處
    → 教导处, 负(fù)责 → 负责) or, given them, the line breaks a hard wrap put inside its
    paragraphs (充分发挥\n学科带头人…, 负\n责), so that names and the words around them match;
    positions map back to the normalised text. Otherwise the view is the text itself."""

    def __init__(self, norm: str, start: int, end: int, breaks: list[int] | None = None) -> None:
        found = compact_with_offsets(norm[start:end])
        self.base = start
        self.offsets: list[int] | None = None
        if found is None and breaks:  # a hard wrap's line breaks, inside its joined paragraphs
            drop = {i - start for i in breaks if start <= i < end}
            self.offsets = [i for i in range(end - start) if i not in drop]
            self.text = "".join(norm[start + i] for i in self.offsets)
            self.start, self.end = 0, len(self.text)
        elif found is None:
            self.text, self.start, self.end = norm, start, end
        else:
            self.text, self.offsets = found
            self.start, self.end = 0, len(self.text)

    def to_view(self, pos: int) -> int:
        if self.offsets is None:
            return pos
        return bisect.bisect_left(self.offsets, pos - self.base)

    def to_norm(self, a: int, b: int) -> tuple[int, int]:
        if self.offsets is None:
            return a, b
        return self.base + self.offsets[a], self.base + self.offsets[b - 1] + 1


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    name: str
    kind: str
    known: bool = True  # a lexicon name; False: recognised by its form (it must be seen acting)
    assigned: bool = False  # named in an assignment form (摄像（何凯）, 何凯老师负责…): charged by that form


# Administrative prefixes kept on external bodies: 区教研室, 市教育局, 县教师进修学校.
_ADMIN = re.compile(r"[省市县区镇乡](?:级)?$")
# An external body named by a lexicon word and the office of it that follows: 教育部国民及学前教育署
# (not a second body joined by a conjunction: 市教育局和林业局).
_SUB_OFFICE = re.compile(r"(?![和与及或])[\u4e00-\u9fff]{1,10}?(?:署|司|局|厅|处|中心|研究院|辅导团)(?![\u4e00-\u9fff]{0,1}[的与和及])")
# Unseen names are recognised by a type word at their end; the words before it must be a
# name, not a clause (成立小组, 简略肯定成功处, 加强组 are no parties).
_UNSEEN_TYPES = ("领导小组", "工作小组", "指导小组", "专项小组", "研究小组", "课题组", "项目组", "导师组", "专家组",
                 "评审组", "考核组", "督导组", "中心组", "委员会", "工作室", "协作区", "读书会", "研究会",
                 "教研室", "研究室", "教科所", "研究所", "教育局", "教育厅", "政府", "中心", "学院",
                 "组长", "主任", "校长", "园长", "书记", "教研员", "负责人", "处", "室",
                 # bodies by their head word (推进小组, 开发团队, 研训机构, 公安部门, 常识科, 教研院) and
                 # roles by theirs (项目主持人, 初中联系人, 授课人员): unseen ones must be seen acting
                 "小组", "工作组", "团队", "共同体", "辅导团", "辅导群", "社群", "机构", "部门",
                 "研究院", "教研院", "教科院", "局", "主持人", "联系人", "责任人", "人员", "教练",
                 "科")  # 常识科, 德育科: a school's subject panel or section (Hong Kong, Macau), seen acting
_UNSEEN = re.compile(trie_pattern(list(_UNSEEN_TYPES)))
_NEEDS_OFFICE_PREFIX = {"处", "室", "中心"}
_NAMED_LABEL = re.compile(r"\s*[:：]")
# a name's last 组 that begins the verb 组织 or 组建 (but 教研组建设, 教研组建立…: the group)
_VERB_OF_GROUP = re.compile(r"织|建(?![设立])")
_CJK2 = re.compile(r"[\u4e00-\u9fff]{1,2}")
# 成立多个功能小组, 召开一次内部控制小组会议: a count (of bodies, or of times) is no part of the name
_QUANTITY = re.compile(r"(?:多|一|两|几|各|若干|每)个|(?:[一二三四五六七八九十两几每]|\d{1,2})[ \t]*(?:次|场|期|轮)")
# A government is named by its place or level: 县市政府, 省级政府, 地方政府, 直辖市人民政府.
_GOVERNMENT_PREFIX = re.compile(r"(?:[省市县区镇乡州府国]|级|人民|中央|地方)$")
# 中心 heads a body after a word of what it does (学生发展中心, 教师研习中心, 片区均衡中心).
_CENTRE_PREFIX = re.compile(r"(?:发展|研习|均衡|研训|培训|研究|科研|指导|服务|管理|资源|教学|德育|课程|信息)$")
# Head words that end ordinary words more often than names: 学科, 本科, 格局, 机构改革 …
_NOT_A_NAME = re.compile(r"(?:学科|教科|本科|专科|各科|分科|文科|理科|工科|百科|学局|格局|布局|结局|全局|大局|当局|开局|"
                         r"出局|残局|成员|人员|专业人员|学习社群|相关部门|各部门|有关部门|部门)$")
_SUBJECT_END = SUBJECT_END = re.compile(f"{_SUBJECT}$")  # a subject or grade word ending a text
# The head of a unit named by the unit's kind (学科主任, 年级主任, 项目负责人, 课题组长).
_UNIT_HEADS = frozenset({"主任", "组长", "负责人", "主管"})
_UNIT_BEFORE = re.compile(r"(?:学科|年级|学部|学段|项目|课题|社团|科组|级组|部门|处室|科室)$")
# A subject's own group written short (语文组, 理化生组, 音乐组长), not 组织/组成/组员/组内 …
_SUBJECT_TEAM = re.compile("(?:" + "|".join(sorted(_SUBJECT_WORDS[:_SUBJECT_WORDS.index("小学")], key=len, reverse=True))
                           + r")组(长)?(?![织成建合员内别稿队])")
_SCHOOL_WORDS = ("小学", "中学", "学校", "幼儿园", "完小", "中心校")
_SCHOOL_LAST = frozenset(w[-1] for w in _SCHOOL_WORDS)
_SCHOOL_END = re.compile(r"[\u4e00-\u9fff]{0,10}(?:" + "|".join(_SCHOOL_WORDS) + ")$")
_VERB = re.compile(r"成立|建立|设立|组建|组织|开展|加强|推荐|提高|进行|召开|协助|指定|成为|参加|参与|通过|利用|依托|"
                   r"融入|接受|同时|有效|上级|响应|借力|借助|第[一二三四五六七八九十\d]+次|学期|学年|每次|"
                   r"配合|联合|邀请|聘请|充分|发挥|形成|打造|创建|完善|健全|落实|设置|安排|确定|评选|表彰|推进|深化|完成|要求|根据|按照")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff]{2,10}$")
_OFFICE_PREFIX = re.compile(r"(?:教务|德育|总务|科研|教导|政教|学生|教学|后勤|教科|人事|财务|学务|辅导|实习|教育|"
                            r"体卫艺|安全|保卫|宣传|师范教育|教科研|教师发展|课程|信息|教研|校长|督导|招生|就业)$")
_PLACE = re.compile(r"(?:活动|实验|会议|阅览|功能|录播|计算机|微机|多媒体|资料|档案|卫生|医务|专用|音乐|美术|舞蹈|"
                    r"咨询|电脑|备课|视听|图书|书苑|宣传|网站)(?:室|中心|处)$")


def find_parties(norm: str, start: int, end: int) -> list[Mention]:
    """Party mentions in norm[start:end]: lexicon names first, then unseen names by form."""
    lex = party_lexicon()
    out: list[Mention] = []
    taken = bytearray(end - start + 1)  # 1 where a mention already lies
    for m in lex.pattern.finditer(norm, start, end):
        a, b = m.start(), m.end()
        name, kind = lex.canonical[m.group()]
        if kind in ("group", "role") and a > start and norm[a - 1] in _SUBJECT_LAST:  # 语文教研组, 高三年级组长
            sub = _SUBJECT_END.search(norm, max(start, a - 12), a)
            if sub and _SUBJECT_GROUP.match(norm[sub.start():b]):
                a = sub.start()
        if a == m.start() and name in _UNIT_HEADS:  # 学科主任, 项目负责人: the head of a unit, as written
            unit = _UNIT_BEFORE.search(norm, max(start, a - 2), a)
            if unit:
                a = unit.start()
                name, kind = norm[a:b], "role"
        if (a == m.start() and a > start and norm[a - 1] in _SCHOOL_LAST  # the cheap test first
                and norm.endswith(_SCHOOL_WORDS, max(start, a - 14), a)):  # 实验小学教务处
            school = _SCHOOL_END.search(norm, max(start, a - 14), a)
            if school:
                a = school.start()
        if a != m.start():
            name, kind = canonical_name(norm[a:b]) or (name, kind)
        elif kind == "external" and name != "学校":
            adm = _ADMIN.search(norm, max(start, a - 3), a)
            if adm and not name.startswith(adm.group()):
                a = adm.start()
                name = adm.group() + name
            sub = _SUB_OFFICE.match(norm, b, min(end, b + 12)) if name.endswith(("部", "厅", "局")) else None
            if sub:
                b = sub.end()
                name = name + norm[m.end():b]
        if name.endswith("会") and norm.startswith("议", b):
            continue  # 校务会议, 教工会议: a meeting, not the body
        if norm.endswith("组", a, b) and _VERB_OF_GROUP.match(norm, b):
            continue  # 学科组织开展, 课题组织实施, 按年级组建: the word 组织 or 组建, not the group
        if not any(taken[a - start:b - start]):
            out.append(Mention(a, b, name, kind))
            taken[a - start:b - start] = b"\x01" * (b - a)
    for m in _SUBJECT_TEAM.finditer(norm, start, end):  # 音乐组每月…, 语文组工作计划: a subject's teachers
        a, b = m.start(), m.end()
        if not any(taken[a - start:b - start]) and (a == start or norm[a - 1] not in _SUBJECT_LAST):
            out.append(Mention(a, b, *(("教研组长", "role") if m.group(1) else ("教研组", "group"))))
            taken[a - start:b - start] = b"\x01" * (b - a)
    for m in _UNSEEN.finditer(norm, start, end):
        b = m.end()
        if any(taken[m.start() - start:b - start]) or (norm.endswith("组", m.start(), b) and _VERB_OF_GROUP.match(norm, b)):
            continue
        head = m.group()
        # an office no list names (住管处): two characters and its head at a clause's start
        bare = (len(head) == 1 and m.start() - start >= 2 and _CJK2.fullmatch(norm, m.start() - 2, m.start()) is not None
                and (m.start() - 2 == start or not _CJK2.match(norm[m.start() - 3])))
        if head in _NEEDS_OFFICE_PREFIX and not bare and not (
                _OFFICE_PREFIX.search(norm, max(start, m.start() - 5), m.start())
                or (head == "中心" and _CENTRE_PREFIX.search(norm, max(start, m.start() - 3), m.start()))):
            continue
        a = _extend_left(norm, m.start(), max(start, m.start() - 8))
        if a > start and norm[a - 1] == "本" and norm[a] in _SELF_BODIES and m.start() - a >= 3:
            a += 1  # 本府教育处: this government's 教育处
        verb = None
        for v in _VERB.finditer(norm, a, m.start()):
            verb = v
        if verb is not None:
            a = verb.end()
        lead = verbs()
        while m.start() - a > 2 and norm[a:a + 2] in lead:  # 促进|教师团队, 规范|校外培训机构: the clause's verb
            a += 2
        if norm.startswith("级", a) and a > start and norm[a - 1] == "各":  # 各级政府 → 政府
            a += 1
        q = _QUANTITY.match(norm, a, m.start())  # 成立多个功能小组: the count is no part of the name
        if q:
            a = q.end()
        if len(head) == 1 and norm[b - 1:b + 1] in lead:  # 信息处理, not 信息处
            continue
        surface = norm[a:b]
        prefix = norm[a:m.start()]
        if _NAMED_LABEL.match(norm, b, end) and any(is_person_name(prefix[:k]) and prefix[k:] in ("", "副")
                                                     for k in (2, 3)):
            continue  # 组长:陈衍副组长:吴志进: a list's person, then the next label
        if not _NAME_CHARS.match(surface) or _PLACE.search(surface) or len(surface) < 3 or _NOT_A_NAME.search(surface):
            continue
        if head == "政府" and not _GOVERNMENT_PREFIX.search(prefix):  # 明确|政府, 列入|政府: no government's name
            continue
        if head in _NEEDS_OFFICE_PREFIX and not bare and not (_OFFICE_PREFIX.search(prefix)
                                               or (head == "中心" and _CENTRE_PREFIX.search(prefix))):
            continue
        if re.match(r"^(?:[一二三四五六七八九十两几若干各每本该此某全]|\d)", prefix):
            continue
        found = canonical_name(surface)
        if found is None or found[0] in _ROOMS:
            continue
        inside = [x for x in out if a <= x.start and x.end <= m.start()  # 教研室组长: a body inside the name
                  and (x.kind != "role" or x.end == m.start())]  # 教师团队, not 校长担任组长
        if any(taken[a - start:b - start]) and (not inside or any(
                taken[k - start] and not any(x.start <= k < x.end for x in inside) for k in range(a, b))):
            continue
        for x in inside:
            out.remove(x)
        known = found[0] in party_lexicon().canonical
        out.append(Mention(a, b, *found, known=known))
        taken[a - start:b - start] = b"\x01" * (b - a)
    out.extend(_staffed_rooms(norm, start, end, taken))
    out.extend(_persons(norm, start, end, taken))
    out.extend(_across_breaks(norm, start, end, taken))
    out.sort(key=lambda x: x.start)
    out = _with_heads(norm, out)
    # 各校教务处, 学校教务处, 县教研室领导小组: a body named right before another only says whose.
    return [m for k, m in enumerate(out)
            if not (k + 1 < len(out) and out[k + 1].start == m.end and (m.kind == "external" or m.name == "学校"))]


# The head of an office or a body named with it (党委书记, 党委副书记, 工会主席, 纪委书记): a role of
# its own, kept apart from the office (rule 8: 工会 and 工会主席 are two parties).

_BREAK_WINDOW = 6  # characters each side of a line break a name cut by it may have


def _across_breaks(norm: str, start: int, end: int, taken: bytearray) -> list[Mention]:
    """Lexicon names a hard line break cuts in two (教务\n处, 教研\n组长): read with the break
    joined, stored with the break inside their span."""
    out: list[Mention] = []
    lex = party_lexicon()
    pairs = _name_pairs()
    i = norm.find("\n", start + 1, end - 1)
    while i >= 0:
        # a name cut here holds the two characters around the break side by side (the cheap test first)
        if norm[i - 1] + norm[i + 1] in pairs and is_cjk(norm[i - 1]) and is_cjk(norm[i + 1]):
            lo, hi = max(start, i - _BREAK_WINDOW), min(end, i + 1 + _BREAK_WINDOW)
            left = norm[lo:i]
            for m in lex.pattern.finditer(left + norm[i + 1:hi]):
                if m.start() < len(left) < m.end():
                    a, b = lo + m.start(), i + 1 + m.end() - len(left)
                    if not any(taken[a - start:b - start]):
                        out.append(Mention(a, b, *lex.canonical[m.group()]))
                        taken[a - start:b - start] = b"\x01" * (b - a)
        i = norm.find("\n", i + 1, end - 1)
    return out


@lru_cache(maxsize=1)
def _name_pairs() -> frozenset[str]:
    """Every two adjacent characters of a lexicon name."""
    return frozenset(w[k:k + 2] for w in party_lexicon().canonical for k in range(len(w) - 1))


# Rooms run by staff of their own (医务室继续做好…, 联合医务室): a body where it is seen acting, a
# place elsewhere (in the 医务室: no party), so known only by form
_STAFFED = frozenset({"医务", "卫生", "图书", "档案", "心理咨询", "阅览", "校医"})


def _staffed_rooms(norm: str, start: int, end: int, taken: bytearray) -> list[Mention]:
    out: list[Mention] = []
    i = norm.find("室", start + 2, end)
    while i >= 0:
        for n in (2, 4):
            a = i - n
            if a >= start and norm[a:i] in _STAFFED and not any(taken[a - start:i + 1 - start]):
                out.append(Mention(a, i + 1, norm[a:i + 1], "office", known=False))
                taken[a - start:i + 1 - start] = b"\x01" * (i + 1 - a)
                break
        i = norm.find("室", i + 1, end)
    return out


_SELF_BODIES = frozenset("府局厅院部委")  # 本府, 本局: the issuing body's own word for itself
_HEAD_AFTER = re.compile(r"副?(?:书记|主任|主席|处长|部长|科长)")
_COMMITTEE_HEAD = re.compile(r"[\u4e00-\u9fff]委副?书记")


def _with_heads(norm: str, found: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in found:
        if out and out[-1].start <= m.start < out[-1].end:
            continue  # inside the head's name just made (党委|书记)
        head = None
        if m.kind in ("office", "group"):
            h = _HEAD_AFTER.match(norm, m.end)
            head = (m.start, h.end()) if h else None
        elif m.kind == "role" and m.start >= 2 and m.name == "书记":  # 纪委书记: a committee no list names
            c = _COMMITTEE_HEAD.match(norm, m.start - 2 - (norm[m.start - 1] == "副"))
            head = (c.start(), c.end()) if c and c.end() == m.end else None
        elif m.kind == "role" and m.name in ("主任", "组长") and m.start >= 3 and norm[m.start - 1] == "副":
            o = _OFFICE_PREFIX.search(norm, max(0, m.start - 6), m.start - 1)  # 教导副主任: a deputy's title
            head = (o.start(), m.end) if o else None
        elif (m.kind == "role" and m.start >= 1 and norm[m.start - 1] == "副" and m.name not in ("主任", "组长")
              and not m.name.startswith("副")):
            head = (m.start - 1, m.end)  # 副班主任: a deputy is a role of its own (rule 8)
        if head is None:
            out.append(m)
            continue
        name = norm[head[0]:head[1]]
        named = party_lexicon().canonical.get(name.replace("处主任", "主任"))  # 教导处主任 → 教导主任
        out.append(Mention(head[0], head[1], *(named or (name, "role"))))
    return out


@dataclass(frozen=True)
class PersonNames:
    surnames: frozenset[str]
    compound: tuple[str, ...]
    words: frozenset[str]  # frequent words that begin with a surname's character: no names


@lru_cache(maxsize=1)
def person_names() -> PersonNames:
    """resources/person_names.txt (scripts/build_names.py)."""
    lines = [x for x in startup.resource_text("person_names.txt").split("\n") if x and not x.startswith("#")]
    return PersonNames(frozenset(lines[0]), tuple(lines[1].split(",")), frozenset(lines[2:]))


# Characters no given name holds: numbers, dates, titles and a body's ending (周三, 高二, 王老师, 陈科).
_NOT_GIVEN = frozenset("一二三四五六七八九十百千万亿〇零两年月日周号级班届元次个名位人等和与及的了在是有为"
                       "老师长任记志总局处科组室部会校院委团队")


def is_person_name(s: str) -> bool:
    """s is a person's name by its form: a common surname and a one- or two-character given
    name, and no frequent word (周密, 方案, 万元)."""
    names = person_names()
    surname = 2 if s[:2] in names.compound else 1
    if not (surname + 1 <= len(s) <= surname + 2) or (surname == 1 and s[0] not in names.surnames):
        return False
    given = s[surname:]
    return (s not in names.words and not any(c in _NOT_GIVEN for c in given)
            and all(map(is_cjk, given)))


# A list of people: names separated by 、 or a comma.
_PERSON_SEPS = "、,，"
_NAME_SEP = re.compile(f"[{_PERSON_SEPS}]")

# A list in parentheses after the task it is given (摄像(何凯), 班牌及入场指挥(何隽豪、侯磊)):
# closing its clause, right after the task's last character.
_ASSIGNEES = re.compile(r"(?<=[\u4e00-\u9fff])\(([\u4e00-\u9fff]{2,4}(?:[、,，][\u4e00-\u9fff]{2,4}){0,7})\)"
                        r"(?=\s*(?:$|[\n,，。;；]))")
# People as the subject of a charge at their clause's start (李余进、林国策负责…, 何凯老师负责录课).
_PERSON_CHARGE = re.compile(r"负责|统筹|牵头|主持|协调|安排|落实|督促|承担|担任|主讲|执教")
_LIST_REACH = 40  # characters before the charge a list of names may start


def _persons(norm: str, start: int, end: int, taken: bytearray) -> list[Mention]:
    """People a plan charges, by the two forms that assign work to a person."""
    out: list[Mention] = []

    def take(a: int, b: int) -> bool:
        """The names of norm[a:b] (a list), all of them people and none inside another mention."""
        if any(taken[a - start:b - start]):
            return False
        pieces, pos = [], a
        for piece in _NAME_SEP.split(norm[a:b]):
            if not is_person_name(piece):
                return False
            pieces.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        out.extend(Mention(x, y, norm[x:y], "person", known=False, assigned=True) for x, y in pieces)
        return True

    pos = start
    while (i := norm.find("(", pos, end)) >= 0:
        pos = i + 1
        m = _ASSIGNEES.match(norm, i, end) if i > start else None
        if m:
            take(m.start(1), m.end(1))
    for m in _PERSON_CHARGE.finditer(norm, start, end):
        a = m.start()
        if norm.endswith(("老师", "同志"), max(start, a - 2), a):
            a -= 2  # 何凯老师负责: the name before the honorific
        if a - start < 2 or not is_cjk(norm[a - 1]):
            continue
        # the last name (two to four characters) must start a clause or follow a separator or 由:
        # the cheap test first, most charges follow a word
        if not any(a - k >= start and (a - k == start or not is_cjk(norm[a - k - 1]) or norm[a - k - 1] == "由")
                   for k in (2, 3, 4)):
            continue
        # the clause's run of characters and list separators before the charge; the list of
        # names it opens with (or that 由 or a separator brings in), the longest first
        floor = max(start, a - _LIST_REACH)
        lo = a
        while lo > floor and (is_cjk(norm[lo - 1]) or norm[lo - 1] in _PERSON_SEPS):
            lo -= 1
        for b0 in range(lo, a - 1):
            if b0 == lo:
                if not (b0 == start or not is_cjk(norm[b0 - 1])):
                    continue
            elif norm[b0 - 1] not in _PERSON_SEPS and norm[b0 - 1] != "由":
                continue
            if is_cjk(norm[b0]) and take(b0, a):
                break
    return out


_SIGNER_SEP = re.compile(r"[\\/、,，\s]+")
_SIGNER_SCHOOL = re.compile(r"[\u4e00-\u9fff]{2,12}(?:学校|小学|中学|幼儿园|学院|[一二三四五六七八九十]中)")


_SIGNER_TRAIL = frozenset("\\/、,， \t\u3000")


@lru_cache(maxsize=1)
def name_finals() -> frozenset[str]:
    """The characters a party's name can end with (the lexicon's names and variants, the
    head words of names known by their form)."""
    lex = party_lexicon()
    return frozenset([w[-1] for w in lex.canonical] + [h[-1] for h in _UNSEEN_TYPES])


def only_names(norm: str, a: int, b: int) -> bool:
    """norm[a:b] names parties and nothing else (教学处\\教科室, 教科室  教学处), the first
    perhaps after its school's name (绍兴一中党委): a signature's line."""
    end = b
    while end > a and norm[end - 1] in _SIGNER_TRAIL:
        end -= 1
    if end == a or norm[end - 1] not in name_finals():
        return False  # most short lines end in no name's last character: no parse
    found = find_parties(norm, a, b)
    if not found:
        return False
    pos = a
    school = _SIGNER_SCHOOL.fullmatch(norm, a, found[0].start)
    if school:
        pos = found[0].start
    for m in found:
        if m.start > pos and not _SIGNER_SEP.fullmatch(norm, pos, m.start):
            return False
        pos = m.end
    return pos == b or _SIGNER_SEP.fullmatch(norm, pos, b) is not None


@lru_cache(maxsize=1)
def verbs() -> frozenset[str]:
    """Two-character verbs (resources/verbs.txt, from jieba's dictionary: scripts/build_verbs.py)."""
    text = startup.resource_text("verbs.txt")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


def _extend_left(norm: str, i: int, floor: int) -> int:
    while i > floor and "\u4e00" <= norm[i - 1] <= "\u9fff" and norm[i - 1] not in _STOP_LEFT:
        i -= 1
    return i

