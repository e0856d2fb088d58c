"""Responsible parties on real documents: who a plan charges, by a mention's role in its
clause, names known only by their form, pinyin-annotated names, names as a reader groups them."""

from __future__ import annotations

from extractor import extract
from extractor.normalise import normalise
from extractor.parties import TextView, canonical_name, find_parties, party_key

from .conftest import SHARED_CORPUS, seed, shared_corpus, wrapped


def _names(path) -> list[set[str]]:
    return [{p.name for p in plan.parties} for plan in extract(path)]


def test_seed_002_leadership_group_and_its_members() -> None:
    # 三、…成立校本培训领导小组 组长：校长 副组长：副校长 …, 工作小组, 党支部
    plan = _names(seed("002"))[2]
    assert {"领导小组", "校长", "副校长", "教研组长", "工作小组", "党支部", "骨干教师"} <= plan
    assert "学校" not in plan  # a school's own plan does not charge "the school"


def test_seed_004_unusual_bodies_by_their_form() -> None:
    plans = _names(seed("004"))
    # 省级教育行政部门负责…, 网络研修支持服务机构要通过网络手段…: bodies no lexicon lists
    assert {"省级教育行政部门", "网络研修支持服务机构", "省教育厅", "导师组"} <= plans[0]
    # 县研训机构规定了…, 片区均衡中心成立“…”专项工作小组, 教育主管部门与研训机构共同成立…
    assert {"县研训机构", "片区均衡中心", "专项工作小组", "教育主管部门", "领导小组"} <= plans[3]
    assert not plans[1] - {"骨干教师"}  # a summary (范文第3篇) charges nobody new


def test_an_unseen_name_counts_only_where_it_acts() -> None:
    norm = normalise("住管处收缴下学期不再住宿学生的钥匙。竞赛兴趣小组组织活动。")
    got = {m.name: m.known for m in find_parties(norm, 0, len(norm))}
    assert got == {"住管处": False, "竞赛兴趣小组": False}
    shared_corpus()
    plan = _names(SHARED_CORPUS / "0219.html")[0]  # a calendar table with a 负责 column
    assert {"住管处", "竞赛兴趣小组", "总务处", "班主任"} <= plan


def test_names_start_after_the_clause_verb() -> None:
    norm = normalise("积极性响应教科研中心的号召，明确政府职责，促进教师团队建设，成立多个功能小组，各级政府要定期检查。")
    names = [m.name for m in find_parties(norm, 0, len(norm))]
    assert "教科研中心" in names and "功能小组" in names and "教师团队" in names
    assert not any(n.startswith(("响应", "明确", "促进", "多个", "级")) for n in names)


def test_pinyin_annotations_inside_names() -> None:
    norm = normalise("本学(xué)期由教導(dǎo)處负(fù)责(zé)组织。")
    view = TextView(norm, 0, len(norm))
    found = find_parties(view.text, view.start, view.end)
    assert [m.name for m in found] == ["教导处"]
    a, b = view.to_norm(found[0].start, found[0].end)
    assert norm[a:b] == "教导(dǎo)处"
    shared_corpus()
    assert "教导处" in _names(SHARED_CORPUS / "0050.txt")[0]  # 教导(dǎo)处 in a template site's text


def test_variants_keep_the_plans_own_word_and_group() -> None:
    assert canonical_name("課程處") == ("课程处", "office") and party_key("课程处") == party_key("课程中心")
    assert canonical_name("全体教师")[0] == "教师"  # a quantifier folds, a variant does not
    shared_corpus()
    plan = _names(SHARED_CORPUS / "0244.html")[0]
    assert "课程处" in plan and "课程中心" not in plan


def test_the_issuer_of_a_cited_document_is_not_the_plans_issuer() -> None:
    # 根据《常州市教育局关于…》: a school's plan citing the bureau does not charge 学校
    plan = _names(seed("003"))[0]
    assert "学校" not in plan
    assert canonical_name("学校")[1] != "external"


def test_a_subjects_short_group_name_is_its_teaching_group(corpus_dir) -> None:
    # 本學期音樂組每月開展兩次集體備課活動 / 语文组工作计划: 音乐组, 语文组 → 教研组
    assert "教研组" in _names(corpus_dir / "0189.txt")[0]
    view = normalise("数学组织活动，英语组成员参加")
    assert [m.name for m in find_parties(view, 0, len(view))] == []  # 组织, 组成: no group


def test_a_meeting_or_an_assembly_held_is_no_party(corpus_dir) -> None:
    # 下午第四节课，教工会议 / 九届二次教代会 in a calendar: a meeting and a session, not bodies acting
    names = _names(corpus_dir / "0236.html")[0]
    assert "工会" not in names and "教代会" not in names
    assert {"总务处", "班主任"} <= names
    # 开学初召开校务会专题研究校本研训: the school's council is held, it is not charged
    assert "校务会" not in _names(seed("002"))[1]


def test_teachers_doing_a_rows_work_are_parties_only_where_no_column_names_who(corpus_dir) -> None:
    # 0219, a term calendar with no responsible column: 高一、高二教师阅卷 lays the marking on teachers
    assert "教师" in _names(corpus_dir / "0219.html")[0]
    # 0222, a week table whose 负责部门 column names who: 高三全体教师赴湖州培训学习 | 教科室
    names = _names(corpus_dir / "0222.html")[0]
    assert "教师" not in names and {"教科室", "总务处", "德育处"} <= names


def test_a_goal_of_who_teachers_become_charges_no_one(corpus_dir) -> None:
    # 0079's goals: 新教师快速站稳讲台、骨干教师深耕教研 — what teachers grow into, not a task laid on them
    assert _names(corpus_dir / "0079.txt") == [{"教研组长"}]
    # 0126: 青年教师筑基、骨干教师引领、全体教师… (a goal), and 教研组 writes the plan
    assert _names(corpus_dir / "0126.txt") == [{"教研组"}]


def test_a_notice_charges_its_readers_and_names_its_issuers(corpus_dir) -> None:
    # 0243: 各备课组： … (the request) … 教学处\教科室 above 2011年2月23日. The salutation is no
    # section heading; its readers are charged, the offices signing it issued it
    plan = extract(corpus_dir / "0243.html")[0]
    assert {p.name for p in plan.parties} == {"备课组", "教学处", "教科室"}
    assert not any(s.heading.startswith("各") for s in plan.sections)
    for name in ("0219.html", "0236.html"):  # 各位教工： heads no section
        assert not any("各位教工" in s.heading for p in extract(corpus_dir / name) for s in p.sections)


def test_the_word_organise_is_no_group() -> None:
    # 课题组织实施, 学科组织开展: 组织 (organise), not 课题组 or 学科组 followed by 织
    for text in ("课题组织实施", "学科组织开展活动", "备课组织"):
        assert find_parties(text, 0, len(text)) == [], text
    assert [m.name for m in find_parties("课题组组织实施", 0, 7)] == ["课题组"]


def test_people_named_in_an_assignment_form_are_parties(corpus_dir) -> None:
    # 0075: 李余进、林国策负责校本培训的资金… 徐银娥负责… ; 0223: 摄影（舒凤、何柠柠）, 摄像（何凯）;
    # 0249: 何凯老师负责录课 — a person's name where the form gives the person work
    assert {"李余进", "林国策", "徐银娥", "戴方杰", "教研组长"} <= _names(corpus_dir / "0075.txt")[0]
    people = {p.name for p in extract(corpus_dir / "0223.html")[0].parties if p.kind == "person"}
    assert {"舒凤", "何柠柠", "朱玛莉", "张帆", "祝建强", "何凯", "金笛"} <= people
    assert {"汪陈帅", "何凯"} <= _names(corpus_dir / "0249.html")[0]


def test_words_that_open_with_a_surname_are_no_people() -> None:
    # weekdays, sums, grades, titles and frequent words begin with a surname's character
    for text in ("教研活动（周三）", "经费（万元）", "年级（高二）", "公开课（王老师）", "周密安排各项工作",
                 "规范招生和规范执教", "活动方案（方案）"):
        norm = normalise(text)
        assert not [m for m in find_parties(norm, 0, len(norm)) if m.kind == "person"], text
    norm = normalise("由王宁负责，摄像（欧阳明）")
    assert [m.name for m in find_parties(norm, 0, len(norm)) if m.kind == "person"] == ["王宁", "欧阳明"]


def test_bodies_joined_by_a_conjunction_are_two(corpus_dir) -> None:
    # 0052: 参加由市教育局和林业局举办的…竞赛 — not one office 和林业局 of the 市教育局
    norm = normalise("由市教育局和林业局联合主办")
    assert [(m.name, m.kind) for m in find_parties(norm, 0, len(norm))] == [("市教育局", "external"),
                                                                            ("林业局", "external")]
    norm = normalise("教育部国民及学前教育署补助")  # an office of the ministry keeps its 及
    assert [m.name for m in find_parties(norm, 0, len(norm))] == ["教育部国民及学前教育署"]
    assert {"市教育局", "林业局"} <= _names(corpus_dir / "0052.txt")[0]


def test_a_name_before_its_possessive_is_not_its_clauses_subject(corpus_dir) -> None:
    # 0226: 开展中层干部、校级领导的民主测评 — the leaders are evaluated, not charged
    assert "校级领导" not in _names(corpus_dir / "0226.html")[0]


def test_the_head_of_an_office_is_a_role_of_its_own(corpus_dir) -> None:
    # rule 8 / issue 16: 工会 and 工会主席 are two parties; 党委副书记 keeps its office and 副;
    # 教导处主任 is the lexicon's 教导主任
    got = {}
    for text in ("工会主席负责", "党委副书记负责", "纪委书记负责", "教导处主任负责", "工会负责", "教务处主动联系"):
        norm = normalise(text)
        got[text] = [m.name for m in find_parties(norm, 0, len(norm))]
    assert got == {"工会主席负责": ["工会主席"], "党委副书记负责": ["党委副书记"], "纪委书记负责": ["纪委书记"],
                   "教导处主任负责": ["教导主任"], "工会负责": ["工会"], "教务处主动联系": ["教务处"]}
    assert "党委副书记" in _names(corpus_dir / "0242.html")[0]


def test_the_issuers_own_prefix_is_dropped_and_a_deputys_title_kept() -> None:
    # issue 16: 本府教育处 → 教育处 (本府: the issuing government's word for itself); 教导副主任 is a
    # role as written, not 主任
    for text, want in (("由本府教育处负责统筹", ["教育处"]), ("教导副主任负责", ["教导副主任"]),
                       ("德育副主任负责", ["德育副主任"])):
        norm = normalise(text)
        assert [m.name for m in find_parties(norm, 0, len(norm))] == want, text


def test_a_name_a_line_break_cuts_in_two() -> None:
    # issue 16: names wrapped over a line break (教务\n处, 教研\n组长), as PDF text gives them
    plan = extract("一、组织保障\n1.本次活动由教务\n处负责组织，教研\n组长具体落实。\n")[0]
    assert {p.name for p in plan.parties} == {"教务处", "教研组长"}
    text = "一、组织保障\n1.本次活动由教务\n处负责组织，教研\n组长具体落实。\n"
    party = next(p for p in plan.parties if p.name == "教务处")
    a, b = party.mentions[0]
    assert text[a:b] == "教务\n处"



def test_teachers_as_the_subject_of_a_task_are_a_party(corpus_dir) -> None:
    # rule 8: generic 教师 are a party where a task is laid on them as its clause's subject,
    # counted or at the clause's start (0179: 每月组织课程审议会,教师结合观察记录反馈…;
    # 0175: 自主研读。教师结合自身兴趣…)
    for name in ("0179.txt", "0175.txt"):
        assert "教师" in _names(corpus_dir / name)[0], name
    # enabled or wanted, not charged: 0038 让教师拓宽眼界, 0163 各学科按教师需求自主规划
    for name in ("0038.txt", "0163.txt"):
        assert "教师" not in set().union(*_names(corpus_dir / name)), name


def test_a_room_run_by_its_own_staff_is_a_party_where_it_acts(corpus_dir) -> None:
    # 0218: 医务室继续做好教师、学生因病请假的报备工作; 0215: 食堂卫生安全检查（联合医务室）
    for name in ("0218.html", "0215.html"):
        assert "医务室" in _names(corpus_dir / name)[0], name
    # a place where it is only named (学生到医务室就诊), a body where it acts (医务室每周检查…)
    text = "卫生工作计划\n一、工作措施\n1.学生身体不适时到医务室就诊。\n2.学生按时到图书室借阅。"
    assert not {p.name for p in extract(text)[0].parties}
    assert "医务室" in {p.name for p in extract(text + "\n3.医务室每周检查食堂卫生。")[0].parties}


def test_a_lists_members_share_its_place_in_the_clause(corpus_dir) -> None:
    # 0110: 实验室工作由校长及教导主任直接管理 (由 X 及 Y: both are charged, not the first alone)
    assert "教导主任" in _names(corpus_dir / "0110.txt")[0]
    # and a list the plan trains stays a recipient: 培养青年教师和骨干教师
    plan = extract("一、主要措施\n1.学校培养青年教师和骨干教师，提升业务能力。\n")[0]
    assert not {p.name for p in plan.parties} & {"青年教师", "骨干教师"}


def test_the_part_a_role_is_to_play_charges_it() -> None:
    # seed 001: 充分发挥学科带头人、骨干教师的带头作用 (发挥 X 的…作用: X leads the work)
    names = _names(seed("001_bac17d6412366440.txt"))[0]
    assert {"学科带头人", "骨干教师"} <= names
    # without 的 (发挥资深教师传帮带作用, 0241), and a role only mentioned stays no party
    plan = extract("一、主要措施\n1.完善师徒结对制度,发挥骨干教师传帮带作用,促进青年教师成长。\n")[0]
    assert "骨干教师" in {p.name for p in plan.parties}
    plan = extract("一、主要措施\n1.完善师徒结对制度,表彰骨干教师,促进青年教师成长。\n")[0]
    assert "骨干教师" not in {p.name for p in plan.parties}


def test_a_short_name_the_plan_declares_is_the_party_it_names(corpus_dir) -> None:
    # 0043: 教育及青年發展局(下稱“教青局”)制定了…: one party, under its full name (the grammar alone
    # reads 青年发展局), and the remark between the name and its verb does not hide who acts
    names = _names(corpus_dir / "0043.txt")[0]
    assert "教育及青年发展局" in names and not {"教青局", "青年发展局"} & names
    plan = extract("一、组织保障\n1.本区教师发展中心(以下简称中心)统筹全区研修。中心每月组织一次视导。\n")[0]
    assert [p.name for p in plan.parties] == ["教师发展中心"]


def test_a_body_an_action_is_done_to_is_no_party(corpus_dir) -> None:
    # 0166: 完善教研组管理细则 (the object's possessor), against 组织教研组开展… (made to act)
    assert "教研组" not in _names(corpus_dir / "0166.txt")[0]
    plan = extract("一、主要措施\n1.完善教研组管理细则,明确分工。\n2.加强学校卫生工作。\n")[0]
    assert not {p.name for p in plan.parties}
    plan = extract("一、主要措施\n1.组织教研组开展集体备课。\n")[0]
    assert {p.name for p in plan.parties} == {"教研组"}


def test_the_part_a_role_plays_outside_an_item(corpus_dir) -> None:
    # 0121's guiding text: 充分發揮學科帶頭人及骨幹教師的示範帶頭作用
    assert {"学科带头人", "骨干教师"} <= _names(corpus_dir / "0121.txt")[0]


def test_a_subject_panel_by_its_form(corpus_dir) -> None:
    # 0038 (a Hong Kong annual plan): 常識科參與教育局「小學校本課程發展組」…: a panel that acts
    assert "常识科" in _names(corpus_dir / "0038.txt")[0]
    assert not [m for m in find_parties("加强学科建设,各科要落实", 0, 12) if m.name.endswith("科")]


def test_a_body_that_meets_to_do_its_work_is_charged(corpus_dir) -> None:
    # 0094: 每學期至少召開一次內部控制小組會議,擬定或檢討改進各處室之業務流程 — the count of meetings is
    # no part of the name, and the body that convenes is a party
    s = "每学期至少召开一次内部控制小组会议,拟定或检讨改进各处室之业务流程。"
    assert [m.name for m in find_parties(s, 0, len(s))] == ["内部控制小组"]
    names = {p.name for plan in extract(corpus_dir / "0094.txt") for p in plan.parties}
    assert "内部控制小组" in names


def test_a_deputy_is_a_role_of_its_own(corpus_dir) -> None:
    # 0055: 而副班主任做到默契协助班主任管理班级… — 副班主任 and 班主任 are two parties (rule 8)
    s = "由副班主任协助班主任管理班级"
    assert [m.name for m in find_parties(s, 0, len(s))] == ["副班主任", "班主任"]
    names = {p.name for plan in extract(corpus_dir / "0055.txt") for p in plan.parties}
    assert "副班主任" in names


def test_an_office_whose_requirements_the_plan_follows_is_charged(corpus_dir) -> None:
    # 0164: 根据学校及教科室、高三年级组的工作安排和要求，我组现制定…: the school's own offices set the work
    names = {p.name for plan in extract(corpus_dir / "0164.txt") for p in plan.parties}
    assert {"教科室", "年级组"} <= names


def test_the_capacity_a_body_gives_play_to_charges_it(corpus_dir) -> None:
    # 0164: 充分发挥备课组的集体智慧与力量 — 发挥X的…作用/智慧/优势/职能: the part X plays in the work
    names = {p.name for plan in extract(corpus_dir / "0164.txt") for p in plan.parties}
    assert "备课组" in names


def test_a_quota_laid_on_every_teacher_charges_teachers(corpus_dir) -> None:
    # 0020, a table's row: 每位教师每学年至少参加校内外进修研习计30小时以上 — a quota on each of them;
    # seed 002: 學校組織教師每人每學期讀一本書 — organised to a quota of their own, they are charged
    names = {p.name for plan in extract(corpus_dir / "0020.txt") for p in plan.parties}
    assert "教师" in names
    plans = [p for p in extract(seed("002")) if "每人每学期读一本书" in "".join(m.text for m in p.measures)]
    assert plans and "教师" in {p.name for p in plans[0].parties}


def test_a_hard_wraps_line_breaks_do_not_hide_a_charge() -> None:
    # seed 001 cut every 30 characters: 充分发挥\n学科带头人、骨干教师的带头作用 — the party grammar reads
    # the joined paragraph without the wrap's breaks; the mention's span still lies in the text
    text = seed("001").read_text("utf-8")
    cut = wrapped(text)
    plans = extract(cut)
    parties = {p.name: p for plan in plans for p in plan.parties}
    assert {"学科带头人", "骨干教师"} <= set(parties)
    a, b = parties["学科带头人"].mentions[0]
    assert cut[a:b].replace("\n", "") == "学科带头人"


def test_teachers_of_a_subject_obliged_are_teachers(corpus_dir) -> None:
    # 0191: 要求美術教師認真學習課程新規范 — the subject's name between the obligation and the teachers
    names = {p.name for plan in extract(corpus_dir / "0191.txt") for p in plan.parties}
    assert "教师" in names


def test_the_school_is_charged_in_a_plan_issued_above_it(corpus_dir) -> None:
    # 0122: 各學(xué)校每學(xué)期開展… — a district's rules address schools through pinyin annotations;
    # 0253: a national outline charges 各级各类学校 and 各级政府
    for doc in ("0122.txt", "0253.html"):
        names = {p.name for plan in extract(corpus_dir / doc) for p in plan.parties}
        assert "学校" in names, doc
    # 0001: a school's own plan that cites 国务院关于…的决定 does not charge "the school"
    assert all("学校" not in {p.name for p in plan.parties} for plan in extract(corpus_dir / "0001.txt"))


def test_the_duties_named_for_a_role_charge_it(corpus_dir) -> None:
    # 0166: 明确分工(如备课组长、训练教练责任); 0178: 幼儿园出台班主任管理职责
    assert {"备课组长", "训练教练"} <= {p.name for plan in extract(corpus_dir / "0166.txt") for p in plan.parties}
    assert "班主任" in {p.name for plan in extract(corpus_dir / "0178.txt") for p in plan.parties}
    # but a trait asked of them is no duty: 增强教师的责任心
    assert not extract("一、工作措施\n1.增强班主任的责任心和使命感。\n")[0].parties


def test_a_subject_in_charge_by_an_adverb_or_a_disposal(corpus_dir) -> None:
    # 0050: 實行校長總負責(zé) — 总负责 through pinyin annotations; 0244: 各年级班主任把品德评语…传给
    assert "校长" in {p.name for plan in extract(corpus_dir / "0050.txt") for p in plan.parties}
    assert "班主任" in {p.name for plan in extract(corpus_dir / "0244.html") for p in plan.parties}


def test_words_that_only_look_like_a_party(corpus_dir) -> None:
    cases = {
        "0066.txt": "年级组",  # 按年级组建单元设计小组: the verb 组建
        "0191.txt": "教研室",  # 上传到诸暨教研室网: the office's website
        "0041.txt": "国家教育研究院",  # 至国家教育研究院数位学习平台…: its platform
        "0185.txt": "课题组",  # 以成长营、课题组形式开展: the form an activity takes
        "0184.txt": "教研员",  # 邀请区教研员参与评审: invited
        "0073.txt": "陈衍副组长",  # 组长:陈衍副组长:吴志进: a person, then the next label
    }
    for doc, name in cases.items():
        assert name not in {p.name for plan in extract(corpus_dir / doc) for p in plan.parties}, doc
    assert "单元设计小组" in {p.name for plan in extract(corpus_dir / "0066.txt") for p in plan.parties}


def test_the_body_whose_requirements_or_arrangements_the_plan_follows(corpus_dir) -> None:
    # 0011: 按照教研室和教务处的要求; 0209: 根据县教委的工作部署 (an external body sets the work too)
    assert "教研室" in {p.name for plan in extract(corpus_dir / "0011.txt") for p in plan.parties}
    assert "县教委" in {p.name for plan in extract(corpus_dir / "0209.txt") for p in plan.parties}
    # but the issuer of a document whose spirit is followed is no party (根据《市教育局关于…》精神)
    plan = extract("一、工作措施\n1.根据市教育局文件精神，开展校本研修。\n")[0]
    assert "市教育局" not in {p.name for p in plan.parties}


def test_the_part_a_body_plays_described_in_quotes(corpus_dir) -> None:
    # 0112: 發(fā)揮備課組“集體研討、資源共享、協(xié)同共進”的核心作用
    assert "备课组" in {p.name for plan in extract(corpus_dir / "0112.txt") for p in plan.parties}


def test_a_sites_menu_and_footer_charge_no_one(corpus_dir) -> None:
    # 0085 as another site saves it: a menu that names the school's offices, the neighbouring
    # articles and the page's buttons after the plan (scripts/mutations.py, site menus and footers)
    text = (corpus_dir / "0085.txt").read_text(encoding="utf-8")
    base = [{p.name for p in plan.parties} for plan in extract(text)]
    chrome = [
        ("首页 | 学校概况 | 教务处 | 德育处 | 总务处 | 教科室 | 团委 | 工会 | 校长信箱\n", ""),
        ("", "\n首页\n学校概况\n德育处\n总务处\n团委\n工会\n校长信箱"),
        ("", "\n网站首页｜学校概况｜德育处｜总务处｜联系我们"),
        ("", "\n上一篇：德育处2023学年第一学期工作总结\n下一篇：总务处关于暑期校舍维修的通知\n【打印本页】【关闭窗口】"),
    ]
    for head, foot in chrome:
        assert [{p.name for p in plan.parties} for plan in extract(head + text + foot)] == base, (head, foot)


def test_a_short_form_groups_under_the_full_name(corpus_dir) -> None:
    # 0060: 名师工作室组建方案 … 本工作室以网络平台为主要依托…: one party, by its full name
    names = {p.name for plan in extract(corpus_dir / "0060.txt") for p in plan.parties}
    assert "名师工作室" in names and "工作室" not in names


def test_a_list_of_roles_with_a_remit_inside_is_one_subject() -> None:
    # seed 004: 學校校長、分管教學的副校長及教導主任至少與教研員同流程跟蹤一次課例研究: the remit
    # (分管教學的) stands inside the list, whose members all carry the duty
    names = {n for plan in _names(seed("004")) for n in plan}
    assert {"校长", "副校长", "教导主任"} <= names
