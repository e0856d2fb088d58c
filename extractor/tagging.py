"""Stage 9, tag: when, who and how much — schedule items, responsible parties (linked to
the measures and schedule items that charge them), targets, and the plan's meta."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from . import tables
from .doc import Doc, PlanDraft
from .mentions import MentionContext
from .mentions import model as mention_model
from .meta import plan_meta
from .parties import (
    SUBJECT_END,
    Mention,
    TextView,
    canonical_name,
    find_parties,
    only_names,
    party_key,
    verbs,
)
from .schedule import tag_schedule
from .sections import SALUTATION
from .targets import find_targets
from .timex import is_date_line

# Party mentions that receive rather than do the work: 对青年教师进行培训, 培养骨干教师.
_RECIPIENT_BEFORE = re.compile(r"(?:对|为|给|帮助|培养|扶持|关心|指导|带动|促进|服务|面向|邀请|聘请|请|针对|鼓励|要求)\s*$")
_AGENT_AFTER = re.compile(r"^\s*(?:要|应|须|必须|[,，]\s*负责|(?:总|全面|全权|亲自|直接|主要)?负责|牵头|组织|主持|统筹|协调|落实|开展|制定|做好|定期|每|认真|积极|"
                          r"具体|承担|督促|检查|安排|召开|举行|进行|参与|参加|撰写|上|听|完成|提交|按|根据|共同|分别|与|做到|把)")
_AGENT_BEFORE = re.compile(r"(?:由|在|经|(?<![邀聘申])请|以|各|全体|每位|每个)(?:班|年级|学科|科|组|校)?\s*$")  # 各年级班主任…
_GROWN_AFTER = re.compile(r"\s*(?:的)?(?:培养|培训|研修|成长|发展|队伍)")
_LEADER_LIST = re.compile(r"(组长|副组长|主任|副主任|负责人|成员|组员|委员)\s*[:：]")
# Sections whose whole text is searched for parties (besides measures and schedule items).
SCAN_ROLES = {"organization", "goals", "background", "safeguards", "evaluation", "schedule", "measures"}


def tag(doc: Doc, use_mention_model: bool = False) -> Doc:
    tag_schedule(doc)
    for plan in doc.plans:
        _parties(doc, plan, use_model=use_mention_model)
        _targets_and_times(doc, plan)
        plan.meta = plan_meta(doc, plan)
    return doc


def tag_with_mention_model(doc: Doc) -> Doc:
    """tag, with the party-mention classifier overruling the rules where it is confident
    (the model modes; not the default: see the README's ablation)."""
    return tag(doc, use_mention_model=True)


# A body one turns to (与校办公室联系, 向校长室请假, 报教务处备案): a contact or a recipient.
_TO_BEFORE = re.compile(r"(?:与|向|跟|找|到|报|交|送|报送|上报|交给|送交|提交)\s*$")
_TO_AFTER = re.compile(r"\s*(?:联系|联络|咨询|反映|请假|报告|汇报|申请|报名|备案|审批|审核|领取|登记|查询|沟通|销假|说明)")


# An assembly held, not a body acting: 召开教职工代表大会, 九届二次教代会, 开学初召开校务会.
_EVENT_BEFORE = re.compile(r"(?:召开|举行|举办|开好|筹备|出席|列席|届[一二三四五六七八九十\d]{1,3}次)\s*$")


# A body or group counted, not acting: 老年教育机构乡镇覆盖率, 赴海外办学机构数(所), 骨干教师比例达到30%
_COUNTED_AFTER = re.compile(r"(?:(?:的|乡镇|城乡|区域|全市|全县|全区)?(?:覆盖率|比例|占比|比率|数量|人数|个数)|数\s*[(（])")


# A thing of the body, not the body: its website or platform (上传到诸暨教研室网, …研究院数位学习平台),
# or the form an activity takes (以成长营、课题组形式开展)
_THING_AFTER = re.compile(r"(?:网(?!络)|网站|官网|平台|公众号|[\u4e00-\u9fff]{2}平台|[\u4e00-\u9fff]{2}学习平台|的?形式)")
_ADMIN_TAIL = re.compile(r"[省市县区镇](?:级)?$")


def _recipient(norm: str, m: Mention, floor: int) -> bool:
    """The mention is acted on, not acting: trained or served, turned to, counted, or an
    assembly held."""
    if _COUNTED_AFTER.match(norm, m.end, m.end + 8) or _THING_AFTER.match(norm, m.end, m.end + 8):
        return True
    before = _ADMIN_TAIL.sub("", norm[max(floor, m.start - 6):m.start])  # 邀请区|教研员: whose, not who
    if _TO_AFTER.match(norm, m.end, m.end + 4) and _TO_BEFORE.search(before):  # the anchored test first
        return True
    if m.name.endswith("会") and _EVENT_BEFORE.search(before):
        return True
    return bool(_RECIPIENT_BEFORE.search(before)) and not _AGENT_BEFORE.search(before)


# Generic groups (teachers, young or new teachers, students) are parties only where the text
# lays an obligation on them (要求每位教师…, 全体教师每学期至少…, 教师要…), not where they are
# encouraged, organised, trained or served (鼓励教师…, 组织教师…, 培养青年教师…): rule 8.
GENERIC_GROUPS = {"教师", "青年教师", "新教师", "学生", "家长"}
# Teachers named by their stage or standing (parties.tsv's teacher roles)
TEACHER_TIERS = {"骨干教师", "学科带头人", "青年教师", "新教师", "党员教师", "名师"}
_QUANTIFIER = r"(?:全体|广大|每位|每个|每名|各位|所有|各|全组|全校|全园|全镇|全县|全区|组内|校内|\d{1,3}%)"
_OBLIGED_BEFORE = re.compile(rf"(?:(?:要求|请|责成|务必让|要让)\s*{_QUANTIFIER}?|(?:让|使){_QUANTIFIER})\s*$")
# the subject of its clause, counted or placed (全组教师参与…, 100%教师掌握…, 。教师结合…): after
# punctuation or an item's marker, not after 、 or a quote (a list or a name: 「教师成长」)
_SUBJECT_BEFORE = re.compile(rf"(?:[，,。；;：:！？!?\n\t ]|(?:^|[^\d.])\d{{1,2}}[.、)）]){_QUANTIFIER}?$")
_LABEL_AFTER = re.compile(r"[^,，。;；!！?？\n]{0,12}[:：]")
_OBLIGED_AFTER = re.compile(r"^\s*(?:都|均|人人|必须|务必)?\s*(?:要|必须|应当|应|须|需要|需(?!求)|务必|至少|每学期|每学年|"
                            r"每周|每月|每年|每人|负责|承担|做到|不少于)")
_NOT_OBLIGED_BEFORE = re.compile(r"(?:鼓励|倡导|引导|组织|培养|指导|帮助|促进|带动|推动|激励|动员|安排|支持|"
                                 r"对|为|给|针对|面向|服务|提高|提升|发展|关心|引领|推荐|选派)\s*"
                                 r"(?:全体|广大|每位|每个|每名|各位|所有|各|青年|新|年轻)?\s*$")


_EVERY_ONE = re.compile(r"全体|每位|每个|每名|各位|所有")
_ORGANISED_BEFORE = re.compile(r"(?:组织|安排)\s*$")
_QUOTA_AFTER = re.compile(r"\s*(?:每人|人人)?\s*(?:每学期|每学年|每周|每月|每年|每人)\s*(?:至少|不少于)?")
_CLAUSE_STARTS = frozenset("\n，,。；;：:、！？!?(（“「")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SOURCE_BEFORE = re.compile(r"(?:根据|依据|按照|遵照|依照|贯彻|落实|响应|结合)[^,，。;；]{0,8}$")


def _set_quota(norm: str, m: Mention, floor: int, ceiling: int) -> bool:
    """每位教师每学年至少参加…: a quota laid on every one of them, wherever the sentence stands
    (the quantifier before the name or inside its lexicon form)."""
    return (_EVERY_ONE.search(norm, max(floor, m.start - 3), m.end - 1) is not None
            and _QUOTA_AFTER.match(norm, m.end, min(ceiling, m.end + 8)) is not None)


def _obliged(norm: str, m: Mention, floor: int, ceiling: int) -> bool:
    lo = max(floor, m.start - 12)
    before = SUBJECT_END.sub("", norm[lo:m.start])  # 要求美术教师…, 全组语文教师须…: the teachers of a subject
    at_floor = lo == floor and len(before) <= 8
    before = before[-8:]
    after = norm[m.end:min(ceiling, m.end + 8)]
    if _OBLIGED_BEFORE.search(before):
        return True
    if _NOT_OBLIGED_BEFORE.search(before):
        # 学校组织教师每人每学期读一本书: organised to a quota of their own, they are charged with it
        return bool(_ORGANISED_BEFORE.search(before) and _QUOTA_AFTER.match(after))
    if _OBLIGED_AFTER.match(after):
        return True
    if (m.name == "教师" and _SUBJECT_BEFORE.search(("\n" if at_floor else "") + before)
            and (_AGENT_AFTER.match(after) or _MODAL_AFTER.match(after) or after[:2] in verbs())
            and not _LABEL_AFTER.match(norm, m.end, ceiling)):
        return True
    # the subject of its clause with a modal further on (教师每单元都要写…, 种子教师须于…)
    first = m.start == floor or not _CJK.match(norm[m.start - 1])
    return first and bool(_CLAUSE_MODAL.match(norm, m.end, min(ceiling, m.end + 12)))


_CLAUSE_MODAL = re.compile(r"[^,，。;；:：!！?？\n]{0,8}?(?:必须|务必|应当|要|应|须|需)")




_ACTED_ON_BEFORE = re.compile(r"(?:完善|加强|强化|改进|推广|打造|优化|规范|健全|提升|提高|加大|深化|推进|重视|关注|"
                              r"抓好|做好|建设|创建|建立|依托|借助|利用)"
                              r"(?:[\d\-~一二三四五六七八九十两几多]+个)?(?:校级|区级|市级|各级|各类|各|本)?$")


def _verb_first(after: str) -> bool:
    """A verb or a modal opens the text after a mention: it is the subject of what follows."""
    return bool(_AGENT_AFTER.match(after) or _MODAL_AFTER.match(after) or after[:2] in verbs())


def _plays_part(norm: str, m: Mention, before: str, ceiling: int) -> bool:
    """发挥骨干教师的示范引领作用: the part a role is to play in the plan's work."""
    return before.endswith("发挥") and _PART_PLAYED.match(norm, m.end, ceiling) is not None


_REMARK_AFTER = re.compile(r"[(（][^()（）\n]{1,16}[)）]")


def _past_remark(norm: str, i: int, ceiling: int) -> int:
    """Where the clause goes on after a remark in brackets right after a name (教育及青年发展局
    (下称“教青局”)制定了…, 教务处(教导处)负责…)."""
    if i < ceiling and norm[i] in "(（":
        m = _REMARK_AFTER.match(norm, i, ceiling)
        if m:
            return m.end()
    return i


# The duties a role or body is given, named right after it (骨干教师。主要职责:, 班主任管理职责);
# not a trait (责任心, 责任感, 责任意识)
_DUTY_AFTER = re.compile(r"[。.:：]?\s*的?(?:主要|具体|管理|工作|岗位)?(?:职责|责任)(?![心感意])")


def _charged(norm: str, m: Mention, floor: int, ceiling: int, recipient: bool | None = None) -> bool:
    """`recipient`: _recipient(norm, m, floor) where the caller has it already."""
    before = norm[max(floor, m.start - 6):m.start]
    after = norm[(e := _past_remark(norm, m.end, ceiling)):min(ceiling, e + 6)]
    if recipient is None:
        recipient = _recipient(norm, m, floor)
    if _DUTY_AFTER.match(norm, m.end, ceiling) and not recipient:
        return True  # 2. 学科组教师。主要职责:…, 出台班主任管理职责: the duties laid on it
    if m.name in GENERIC_GROUPS:
        return _obliged(norm, m, floor, ceiling)
    if recipient:
        return False
    if _sets_the_work(norm, m, floor, after):
        return True  # 按照教研室和教务处的要求, 根据县教委的工作部署: the body that sets what is done
    if m.kind == "external" and _SOURCE_BEFORE.search(norm[max(floor, m.start - 12):m.start]):
        return False  # 根据市教育局…文件精神: the source of authority, not a party
    if m.kind in ("office", "group", "external") and m.known:
        # 完善教研组管理细则, 加强学校卫生工作, 打造2-3个校级名师工作室: the object an action is done
        # to, or what names it; 组织教研组开展…, 督促教研组落实…: a body made to act
        return not (_ACTED_ON_BEFORE.search(before) and not _verb_first(norm[m.end:min(ceiling, m.end + 6)]))
    if not m.known:  # a name known only by its form must be seen acting, not merely named
        return _acts(norm, m, floor, ceiling)
    # the subject of its clause (校领导慰问离休教师): at the clause's start, a verb after it
    subject = ((m.start == floor or norm[m.start - 1] in _CLAUSE_STARTS) and _CJK.match(after or " ") is not None
               and after[0] != "的")  # 中层干部、校级领导的民主测评: whose, not who acts
    return bool(subject or _AGENT_AFTER.match(after) or _AGENT_BEFORE.search(before)
                or _LEADER_LIST.search(before + after)
                or _plays_part(norm, m, before, ceiling))


# (a quoted description may come first: 发挥备课组“集体研讨、资源共享”的核心作用)
_PART_PLAYED = re.compile(r"(?:[“「\"][^”」\"\n]{1,30}[”」\"])?的?[^,，。;；:：!！?？\n]{0,8}(?:作用|智慧|优势|力量|职能|功能|特长)")


_LIST_SEP = frozenset("、和与及")
_AFTER_NAME = re.compile(r"^[”’」』》)）\]】]*(?:全体成员|成员|组员)?")
_SET_UP_BEFORE = re.compile(r"(?:成立|建立|组建|设立|组成|设置)[^,，。;；:：]{0,4}$")
_FOLLOWS_BEFORE = re.compile(r"(?:按照|根据|依照|遵照)[^,，。;；:：]{0,12}$")
_SETS_AFTER = re.compile(r"的?(?:工作)?(?:要求|安排|部署)")
_CONVENES_BEFORE = re.compile(r"(?:召开|举行|组织|主持)[^,，。;；:：]{0,4}$")
_MEETING_AFTER = re.compile(r"(?:全体|工作|专题)?(?:会议|例会)")
_ACTS_BEFORE = re.compile(r"(?:由|经|在|联合|会同|协同|配合)\s*$")  # 联合医务室: a body that works with the subject
_MODAL_AFTER = re.compile(r"^\s*(?:都|均|也|还|将|要|应|须|需|可|必须|务必|共同|分别|具体|直接|定期|每)")


_EACH_BEFORE = re.compile(r"(?:^|[^\u4e00-\u9fff])(?:各|全体|每位|每个|所有)(?:班|年级|学科|科|组|校|级)?\s*$")


def _sets_the_work(norm: str, m: Mention, floor: int, after: str) -> bool:
    """按照X的要求 / 根据X的工作部署: X sets the plan's work (not 根据X文件精神: a document's issuer)."""
    return _SETS_AFTER.match(after) is not None and _FOLLOWS_BEFORE.search(norm, max(floor, m.start - 14),
                                                                             m.start) is not None


def _acts(norm: str, m: Mention, floor: int, ceiling: int) -> bool:
    """The mention does the work: the subject of its clause with a verb or modal after it
    (住管处收缴…, 种子教师须…), the agent of 由X负责 / 经X审核, a body the plan sets up
    (成立监督小组), or a name in a leadership list."""
    if m.assigned:  # 摄像（何凯）, 何凯老师负责录课: the form that names a person gives the work
        return True
    before = norm[max(floor, m.start - 8):m.start]
    after = norm[(e := _past_remark(norm, m.end, ceiling)):min(ceiling, e + 6)]
    if _LEADER_LIST.search(before[-6:] + after) or _ACTS_BEFORE.search(before):
        return True
    if _DUTY_AFTER.match(norm, m.end, ceiling):
        return True
    if m.kind == "group" and _SET_UP_BEFORE.search(before):
        return True
    if m.kind == "group" and _CONVENES_BEFORE.search(before) and _MEETING_AFTER.match(after):
        return True  # 每学期至少召开一次内部控制小组会议: the body that meets to do its work
    if _sets_the_work(norm, m, floor, after):
        return True  # 按照教研室和教务处的要求开展工作: the body that sets what is done
    if _plays_part(norm, m, before, ceiling):
        return True  # 充分发挥学科带头人及骨干教师的示范带头作用
    # at its clause's start: after punctuation, a quote, a bullet or a list separator, or after
    # a quantifier that opens the clause (。各年级班主任把…)
    first = (m.start == floor or not _CJK.match(norm[m.start - 1]) or norm[m.start - 1] in _LIST_SEP
             or _EACH_BEFORE.search(norm, max(floor, m.start - 5), m.start) is not None)
    after = _AFTER_NAME.sub("", after)  # “学习共同体”根据…, 学术委员会成员听课
    return first and _verb_first(after)


OVERRULE = 8.0  # |score| past which the mention classifier overrules the rules (5-fold CV on dev)


def mention_context(norm: str, m: Mention, a: int, b: int, listed: bool, span_kind: str,
                    repeats: int = 1, charged: bool | None = None) -> MentionContext:
    """The classifier's view of a mention; `charged` is the rules' decision (computed here
    when not given)."""
    return MentionContext(before=norm[max(a, m.start - 6):m.start], after=norm[m.end:min(b, m.end + 6)],
                          name=m.name, kind=m.kind, span_kind=span_kind, listed=listed,
                          recipient=_recipient(norm, m, a),
                          charged=_charged(norm, m, a, b) if charged is None else charged,
                          repeats=repeats, known=m.known)


def _parties(doc: Doc, plan: PlanDraft, use_model: bool = False, sink: list | None = None) -> None:
    """The plan's parties: every mention in a span that may charge (measures, schedule items,
    action sections, the title) is decided by the mention classifier (or, without its model,
    the rules). `sink` collects (plan, mention, context) for training. The grammar reads the
    plan without pinyin annotations (TextView); mentions are stored in normalised offsets."""
    breaks = None
    if doc.memo.get("char_wrap") or doc.memo.get("wrap_width"):
        breaks = [i for b in doc.blocks if plan.start <= b.start < plan.end and b.kind != "debris"
                  for i in range(b.start, b.end) if doc.norm[i] == "\n"]
    view = TextView(doc.norm, plan.start, plan.end, breaks)
    norm, v = view.text, view.to_view
    # (start, end, item index, lists members, what the span is)
    spans: list[tuple[int, int, int | None, bool, str]] = []
    for k, it in enumerate(plan.items):
        if it.kind == "measure":
            spans.append((v(it.start), v(it.end), k, False, "measure"))
    for s in plan.schedule:
        spans.append((v(s.start), v(s.end), None, False, "schedule"))
    sec_starts = sorted(x.start for x in plan.sections)
    for sec in plan.sections:
        if sec.role in SCAN_ROLES:
            k = bisect.bisect_right(sec_starts, sec.start)
            end = sec_starts[k] if k < len(sec_starts) else plan.end
            spans.append((v(sec.start), v(end), None, sec.role == "organization", f"section:{sec.role}"))
    for a, b in _addressed(doc, plan):  # 各备课组： … 教学处\教科室 / 2011年2月23日: a notice's readers and issuers
        spans.append((v(a), v(b), None, True, "notice"))
    if plan.title:  # 语文教研组工作计划: the body that writes the plan carries it out
        spans.append((v(plan.title[0]), v(plan.title[1]), None, True, "title"))
    # the rest of the plan (its opening, guiding and other sections): only a mention seen acting
    # (本学期，语文教研组将全面贯彻…) charges there
    covered = sorted((a, b) for a, b, *_ in spans)
    pos = view.start
    for a, b in [*covered, (view.end, view.end)]:
        if a > pos:
            spans.append((pos, a, None, False, "other"))
        pos = max(pos, b)
    ruled = [(v(a), v(b)) for a, b in tables.responsible_extents(doc)]
    # In a table with a responsible column that column says who is charged; a name inside an
    # activity (上报市教育局) is no party unless it acts there (住管处收缴…, 竞赛兴趣小组组织活动).
    mentions = _with_short_names(norm, find_parties(norm, view.start, view.end), view.start, view.end,
                                 0 if view.offsets is None else view.start)
    # site furniture inside the plan's extent (上一篇：德育处…总结 above its last line) charges no one
    furniture = [(v(b.start), v(b.end)) for b in doc.blocks[plan.first_block:plan.last_block]
                 if b.kind == "debris" and not (plan.title and b.start <= plan.title[0] < b.end)]
    if furniture:
        mentions = [m for m in mentions if not any(a <= m.start < b for a, b in furniture)]
    in_table = {m.start for m in mentions if any(a <= m.start < b for a, b in ruled)} if ruled else set()
    starts = [m.start for m in mentions]
    classifier = mention_model() if use_model else None
    repeats = Counter(m.name for m in mentions) if classifier is not None or sink is not None else Counter()
    accepted: set[int] = set()  # mentions already made parties (by their start in the view)
    lists = _conjoined(norm, mentions)
    for a, b, k, listed, span_kind in spans:
        for m in mentions[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]:  # those starting in [a, b)
            if m.end > b:
                continue
            if k is None and sink is None and m.start in accepted:
                continue  # a party already, and no item to link it to: nothing to decide again
            own = m
            whole = lists.get(m.start)  # 由校长及教导主任直接管理: a list's members share its place in the clause
            if whole is not None and a <= whole[0] and whole[1] <= b:
                m = Mention(whole[0], whole[1], m.name, m.kind, m.known, m.assigned)
            recipient = _recipient(norm, m, a)
            if own.start in in_table or span_kind == "other":
                # a table's responsible column names who is charged, and outside the plan's action only
                # a mention seen acting charges: teachers or pupils doing a row's work are not
                # charged, unless a quota is laid on each of them (每位教师每学年至少参加…)
                by_rule = not recipient and (_set_quota(norm, m, a, b) if m.name in GENERIC_GROUPS else _acts(norm, m, a, b))
            elif span_kind == "title" and m.kind == "role" and _GROWN_AFTER.match(norm, m.end, b):
                # a title names who writes or carries out the plan (语文教研组长工作计划); a role there
                # that the plan trains is whom it is about (骨干教师培养方案, 骨干教师研修总结)
                by_rule = False
            elif span_kind == "section:goals" and m.name in TEACHER_TIERS:
                # a goal of who teachers become (新教师站稳讲台、骨干教师深耕教研) charges no one
                by_rule = not recipient and _obliged(norm, m, a, b)
            else:  # in a leadership list (组长：王校长 …) every office and title named is charged
                by_rule = ((listed and m.name not in GENERIC_GROUPS and not recipient)
                           or _charged(norm, m, a, b, recipient))
                if not by_rule and span_kind == "schedule" and m.name in GENERIC_GROUPS:
                    # a dated activity whose subject they are (高一、高二教师阅卷) lays it on them
                    by_rule = not recipient and _acts(norm, m, a, b)
            m = own
            if sink is not None:
                sink.append((plan, m, mention_context(norm, m, a, b, listed, span_kind, repeats[m.name], by_rule)))
            if classifier is not None:  # the rules decide unless the classifier is confident otherwise
                # score_context(mention_context(...)) without building the context
                score = classifier.score_mention(norm[max(a, m.start - 6):m.start], norm[m.end:min(b, m.end + 6)],
                                                 m.name, m.kind, span_kind, listed, recipient, by_rule,
                                                 repeats[m.name], m.known)
                by_rule = (by_rule and score > -OVERRULE) or score > OVERRULE
            if not by_rule:
                continue
            accepted.add(m.start)
            entry = plan.parties.setdefault(m.name, {"kind": m.kind, "mentions": [], "seen": set()})
            span = view.to_norm(m.start, m.end)
            if span not in entry["seen"]:
                entry["seen"].add(span)
                entry["mentions"].append(span)
            if k is not None:
                names = plan.item_parties.setdefault(k, [])
                if m.name not in names:
                    names.append(m.name)
    _group_variants(plan)
    if "学校" in plan.parties and not _issued_above_school(norm, view.start, view.end):
        del plan.parties["学校"]  # the school itself charges nobody in its own plan (rule 8)
        for names in plan.item_parties.values():
            if "学校" in names:
                names.remove("学校")
    for s in plan.schedule:
        if s.from_table:
            continue  # a table row's parties are its responsible cells
        i = bisect.bisect_left(starts, v(s.start))
        s.parties = []
        while i < len(mentions) and mentions[i].start < v(s.end):
            if mentions[i].name in plan.parties and mentions[i].name not in s.parties:
                s.parties.append(mentions[i].name)
            i += 1
    for entry in plan.parties.values():
        entry.pop("seen", None)
        entry["mentions"].sort()




# A short name declared for a body (教育及青年发展局(下称“教青局”), …国民及学前教育署(以下简称本署))
_SHORT_NAME = re.compile(r"[(（]\s*(?:以下简称|以下称|下称|简称)\s*[为:：]?\s*[“\"「『]?([\u4e00-\u9fff]{2,12}?)[”\"」』]?\s*[)）]")


def _with_short_names(norm: str, mentions: list[Mention], start: int, end: int, text_start: int) -> list[Mention]:
    """Every use in [start, end) of a short name the document declares for a party (from
    `text_start` on, the page's preface included) is that party: one party however it is
    written (rule 8). The declaration follows the full name, which it names whole (教育及青年发展局,
    where the grammar alone reads 青年发展局); the short name inside it is no mention of its own."""
    if "称" not in norm[text_start:end]:
        return mentions
    ends = {m.end: m for m in mentions}
    found: list[Mention] = []
    dropped: list[tuple[int, int]] = []
    for d in _SHORT_NAME.finditer(norm, text_start, end):
        named = ends.get(d.start())
        declared = _declared_name(norm, text_start, d.start())
        # the grammar's name where the lexicon knows it, else the declared one if it is longer
        full = (declared if declared is not None and (named is None or (not named.known and declared.start < named.start))
                else named)
        short = d.group(1)
        if full is None or short == full.name:
            continue
        dropped.append((d.start(), d.end()))
        if full is declared and full.start >= start:
            found.append(full)
        k = norm.find(short, max(d.end(), start), end)
        while k >= 0:
            found.append(Mention(k, k + len(short), full.name, full.kind, full.known))
            k = norm.find(short, k + len(short), end)
    if not dropped:
        return mentions
    cut = [*dropped, *((f.start, f.end) for f in found)]
    kept = [m for m in mentions if not any(a < m.end and m.start < b for a, b in cut)]
    return sorted([*kept, *found], key=lambda m: m.start)


def _declared_name(norm: str, floor: int, j: int) -> Mention | None:
    """The name a short name is declared for, where no mention ends there (教育及青年发展局: the
    grammar reads 青年发展局): the run of its clause's characters before the declaration, when a
    party's head word ends it."""
    i = j
    while i > max(floor, j - _DECLARED_MAX) and _CJK.match(norm[i - 1]) and norm[i - 1] not in _STOP_BEFORE_NAME:
        i -= 1
    surface = norm[i:j]
    inner = find_parties(surface, 0, len(surface))
    if not inner or inner[-1].end != len(surface) or (found := canonical_name(surface)) is None:
        return None
    return Mention(i, j, found[0], inner[-1].kind, True)


_DECLARED_MAX = 16  # characters of a full name a short name is declared for
_STOP_BEFORE_NAME = frozenset("的之在由对为向从经依")  # a clause's word before the name, not the name's


# … and a role's remit before it (校长、分管教学的副校长及教导主任)
_CONJUNCTION = re.compile(r"(?:、|和|与|及|以及|或)(?:各|全体)?(?:(?:分管|主管|负责)[\u4e00-\u9fff]{1,6}的)?")
_CONJUNCTION_MAX = 13  # characters of the longest _CONJUNCTION (以及全体分管教育教学工作的)


def _conjoined(norm: str, mentions: list[Mention]) -> dict[int, tuple[int, int]]:
    """Mentions joined into one list (校长、副校长及教导主任, 学科带头人和骨干教师): each member's
    start → the whole list's (start, end)."""
    out: dict[int, tuple[int, int]] = {}
    k = 0
    while k < len(mentions):
        j = k
        while (j + 1 < len(mentions) and 0 < mentions[j + 1].start - mentions[j].end <= _CONJUNCTION_MAX
               and _CONJUNCTION.fullmatch(norm, mentions[j].end, mentions[j + 1].start)):
            j += 1
        for x in mentions[k:j + 1] if j > k else ():
            out[x.start] = (mentions[k].start, mentions[j].end)
        k = j + 1
    return out


def _signed_date(norm: str, a: int, b: int) -> bool:
    """A notice's date line, day included (2011年2月23日)."""
    return is_date_line(norm, a, b)


def _addressed(doc: Doc, plan: PlanDraft) -> list[tuple[int, int]]:
    """Blocks of a notice that name whom it charges: its salutation (各备课组：) and the
    issuers signing it (教学处\\教科室 on the line above its date)."""
    norm = doc.norm
    blocks = [b for i in range(plan.first_block, plan.last_block)
              if (b := doc.blocks[i]).kind != "debris" and b.end > b.start]
    out = []
    for k, b in enumerate(blocks):
        text = norm[b.start:b.end].strip()
        if text.endswith((":", "：")) and SALUTATION.match(text):
            out.append((b.start, b.end))
        elif (k + 1 < len(blocks) and len(text) <= 30 and _signed_date(norm, blocks[k + 1].start, blocks[k + 1].end)
              and only_names(norm, b.start, b.end)):
            out.append((b.start, b.end))
    return out


def _group_variants(plan: PlanDraft) -> None:
    """One party per plan however it is written: names of one lexicon row (政教处, 德育处)
    become the one the plan writes most (ties: the first written), a short form (工作室) the
    full name it stands for (名师工作室)."""
    groups: dict[str, list[str]] = {}
    for name in plan.parties:
        groups.setdefault(party_key(name), []).append(name)
    for names in groups.values():
        if len(names) < 2:
            continue
        # a short form the plan names the body by (工作室 for 名师工作室) is not its name
        full = [n for n in names if not any(o != n and o.endswith(n) for o in names)]
        keep = max(full, key=lambda n: (len(plan.parties[n]["mentions"]),
                                         -min(plan.parties[n]["mentions"], default=(0, 0))[0]))
        entry = plan.parties[keep]
        for n in names:
            if n == keep:
                continue
            for span in plan.parties.pop(n)["mentions"]:
                if span not in entry["seen"]:
                    entry["seen"].add(span)
                    entry["mentions"].append(span)
            for item_names in [*plan.item_parties.values(), *(x.parties for x in plan.schedule)]:
                if n in item_names:
                    item_names[:] = dict.fromkeys(keep if x == n else x for x in item_names)


# Each alternative starts with a character, so that re scans by them ((?:教育局|…|政府)(?:关于…)
# written as 教(?:育局|…)(?:关于…)|政府(?:关于…): the same matches).
_ABOVE_SCHOOL = re.compile(r"各(?:中小学|学校|校|幼儿园|园)|各级各类学校|各级(?:人民)?政府|"
                           r"全(?:区|县|市|省|镇)(?:中小学|初中|小学|高中|学校|各校|教师|幼儿园)|"
                           r"教(?:育局|育厅|育部|研室|体局)(?:关于|印发|办公室)|政府(?:关于|印发|办公室)|县市政府|本府|本署")


_CITED = re.compile(r"《[^《》\n]{0,60}$|(?:根据|依据|按照|遵照|依照|贯彻|落实|结合)[^,，。;；\n]{0,16}$")


def _issued_above_school(norm: str, start: int, end: int) -> bool:
    """The plan (norm[start:end], read without pinyin annotations: 各學(xué)校) is issued above
    the school (a district's or ministry's rules that charge schools): its wording addresses
    schools or governments. The issuer of a document it cites (根据《市教育局关于…》) says
    nothing of who issues the plan itself."""
    return any(not _CITED.search(norm, max(start, m.start() - 60), m.start())
               for m in _ABOVE_SCHOOL.finditer(norm, start, end))


def _targets_and_times(doc: Doc, plan: PlanDraft) -> None:
    norm = doc.norm
    for k, it in enumerate(plan.items):
        found = find_targets(norm, it.start, it.end)
        if found:
            plan.targets[k] = found
        if it.kind == "measure":
            times = doc.times().within(it.start, it.end)
            if times:
                plan.item_times[k] = times
