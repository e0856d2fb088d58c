"""Schedule items read from sentences: the activity a time dates, never a quantity."""

from __future__ import annotations

import extractor

from .conftest import seed


def test_a_criterion_after_a_time_is_not_an_activity():
    # seed 004: 一年內集中研修時間不少于30天,暑假期間每月不少于2天,平時原則上每月不少于1天。
    plans = extractor.extract(seed("004"))
    activities = [s.activity for p in plans for s in p.schedule]
    assert not [a for a in activities if a and a.startswith(("不少于", "不少於"))], activities
    assert "平时原则上" not in activities
    # the recurring rules that do name their activity stay (该项活动每学期至少一次 …)
    assert sum(1 for a in activities if a == "该项活动") >= 3


def test_a_sentence_label_names_what_its_criteria_date():
    text = "四、研修安排\n集中研修：暑假期间每月不少于2天，平时每月不少于1天。\n"
    items = [(s.activity, s.when.text) for p in extractor.extract(text) for s in p.schedule]
    assert items == [("集中研修", "暑假期间每月"), ("集中研修", "每月")], items


def test_quotas_listed_after_a_recurring_time_share_it(corpus_dir):
    # 0185: 每学期通读一种语文教学专业刊物,研读一本专业理论着作,撰写一篇研究性论文…,开设一节…,命制一份试题
    from pathlib import Path

    plans = extractor.extract(Path(corpus_dir / "0185.txt"))
    termly = [s.activity for p in plans for s in p.schedule if s.when and s.when.text == "每学期"]
    for activity in ("通读一种语文教学专业刊物", "研读一本专业理论着作", "开设一节市级或校际研究课", "命制一份试题"):
        assert activity in termly, termly


def test_a_dated_phase_heading_dates_the_units_under_it(corpus_dir):
    # 0246: （一）组内评比：学科组推优阶段（2018年1月3日——1月22日） above its numbered units
    from pathlib import Path

    plans = extractor.extract(Path(corpus_dir / "0246.html"))
    phase = [s.activity for p in plans for s in p.schedule if s.when and s.when.text == "2018年1月3日——1月22日"]
    assert any(a.startswith("各学科主任按照学科组推优阶段的安排时间") for a in phase), phase
    assert any(a.startswith("在无课时冲突的情况下") for a in phase), phase


def test_a_counted_verb_in_a_frequency_begins_the_activity():
    # seed 002: 學校組織教師每人每學期讀一本書,寫一篇讀書心得體會 — the activity is 读一本书, not 学校组织教师每人
    items = [(s.activity, s.when.text) for p in extractor.extract(seed("002")) for s in p.schedule if s.when]
    assert any(a == "读一本书" and w.startswith("每学期") for a, w in items), items
    assert not any(a == "学校组织教师每人" for a, _ in items)


def test_a_month_list_outside_a_schedule_section_dates_its_entries(corpus_dir):
    # 0213: 附：…行事历（调整） then 一月份 / 1. 长三角家庭教育论文选送 / 2. … / 三月份 / (one line) …,
    # in a plan the sections stage finds no heading in: each label dates the list below it
    plan = extractor.extract(corpus_dir / "0213.html")[0]
    when = {s.activity: s.when.month for s in plan.schedule}
    assert when["长三角家庭教育论文选送"] == 1
    assert when["2020年省心理健康教育100所示范校确认"] == 3  # the one unnumbered line under 三月份
    assert when["牌头中学进行省一级辅导站初评"] == 6
    assert when["全市高中生生涯规划书大赛第二轮现场答辩赛"] == 10
    assert not [m for m in plan.measures if m.text in ("一月份", "二月份")]


def test_a_verb_that_only_says_it_is_done_leaves_the_activity_before_the_time(corpus_dir):
    # 0213: 2.2020年浙江省…申报工作计划于4月20日前完成; 0052: 征文活动在9月底结束
    plan = extractor.extract(corpus_dir / "0213.html")[0]
    items = {s.activity: s.when.text for s in plan.schedule}
    assert items["2020年浙江省中小学心理健康教育20所示范点建设申报工作"] == "4月20日"
    assert items["市直学校C证续证工作"] == "8月底前"
    assert not {"前完成", "完成", "举行"} & set(items)
    assert "征文活动" in {s.activity for p in extractor.extract(corpus_dir / "0052.txt") for s in p.schedule}


def test_a_count_with_at_least_after_it_is_part_of_the_time(corpus_dir):
    # 0031: 备课组长组织教师听青年教师课每月1节以上 — 以上 (at least) is the time's, the activity before it
    items = {s.activity: s.when for p in extractor.extract(corpus_dir / "0031.txt") for s in p.schedule}
    when = items["备课组长组织教师听青年教师课"]
    assert when.text == "每月1节以上" and when.frequency.minimum and when.frequency.per == "month"
    assert "以上" not in items


def test_a_time_in_a_clause_of_its_own_dates_the_activity_before_it():
    # issue 16's phrase: 各组开展集体备课，时间为每周二下午 — the time's clause only brings the time in
    text = ("一、主要措施\n1.各组开展集体备课，时间为每周二下午。\n2.开展青年教师汇报课，时间定于11月中旬。\n"
            "3.组织教师外出学习，时间：本学期。\n")
    items = [(s.when.text, s.activity) for p in extractor.extract(text) for s in p.schedule]
    assert items == [("每周二下午", "各组开展集体备课"), ("11月中旬", "开展青年教师汇报课"), ("本学期", "组织教师外出学习")]


def test_a_time_that_qualifies_a_noun_dates_no_activity(corpus_dir):
    # issue 16: 每年颁布的… (a time inside exposition); 0213: 原定于7月10-15日举行的…培训推迟
    text = "一、主要措施\n1.认真学习教育部每年颁布的课程标准，提高认识。\n2.每学期开展一次公开课。\n"
    assert [(s.when.text, s.activity) for p in extractor.extract(text) for s in p.schedule] == [
        ("每学期开展一次", "公开课")]
    plan = extractor.extract(corpus_dir / "0213.html")[0]
    assert not [s for s in plan.schedule if s.activity.startswith("举行的")]


def test_a_dated_activity_among_a_plans_expected_outputs_is_a_schedule_item(corpus_dir):
    # 0020 (a table plan): 預期效益 | … 2-2.每月開會乙次,自訂議題進行專題研究分享對話 … 4-1.每學年至少校際交流觀摩一次
    # — the outputs are no measures, but the activities they date are on the calendar
    [plan] = extractor.extract(corpus_dir / "0020.txt")
    items = {s.activity: s.when.text for s in plan.schedule}
    assert items.get("开会乙次") == "每月" and items.get("至少校际交流观摩一次") == "每学年"
    assert not plan.measures or all("达成率" not in m.text for m in plan.measures)


def test_a_state_or_an_amount_after_a_time_is_no_activity():
    # seed 002: 本學期有8位老師新入職,繼續通過青藍工程結對及過程管理… — the next clause is what is
    # done this term; 每學年研訓學時爲40課時 states an amount
    text = seed("002").read_text(encoding="utf-8")
    acts = {text[s.activity_span[0]:s.activity_span[1]] for p in extractor.extract(seed("002")) for s in p.schedule}
    assert "繼續通過青藍工程結對及過程管理" in acts
    assert not any(a.startswith("有8位") or "學時爲40課時" in a for a in acts)


def test_a_holiday_the_model_names_no_single_one_of_dates_an_activity():
    # seed 002: 學校組織各項考察活動,寒暑假進行家訪 — 寒暑假 (holiday null) is a calendar word (rule 7)
    text = seed("002").read_text(encoding="utf-8")
    items = [s for p in extractor.extract(seed("002")) for s in p.schedule]
    visits = [s for s in items if text[s.activity_span[0]:s.activity_span[1]] == "進行家訪"]
    assert visits and visits[0].when.holiday is None and visits[0].when.text == "寒暑假"


def test_criteria_in_a_sentence_measure_its_topic():
    # seed 004: 一年內集中研修時間不少于30天,暑假期間每月不少于2天,平時原則上每月不少于1天 — the
    # three criteria measure 集中研修; 促其合格率至少每學年提高5個百分點 — a rate that rises, no activity
    text = seed("004").read_text(encoding="utf-8")
    items = [(text[slice(*s.when.source_span)], text[slice(*s.activity_span)])
             for p in extractor.extract(seed("004")) for s in p.schedule]
    assert ("暑假期間每月", "集中研修") in items and ("每月", "集中研修") in items
    assert not [a for _, a in items if "合格率" in a]


def test_a_signing_date_at_a_plans_end_dates_nothing(corpus_dir):
    # 0012 signed: 2024年2月20日 on the line after its last item heads nothing and dates nothing
    text = (corpus_dir / "0012.txt").read_text(encoding="utf-8")

    def shape(plans):
        return [([s.heading for s in p.sections], [(s.when.text, s.activity) for s in p.schedule]) for p in plans]

    assert shape(extractor.extract(text + "\n2024年2月20日")) == shape(extractor.extract(text))


def test_a_remark_in_brackets_or_a_lost_character_does_not_end_the_activity(corpus_dir):
    # 0122 (pinyin-annotated, a character lost as ?): 教師每學(xué)期向?qū)W校(或教研組)提供一個(gè)…問題。 —
    # the ? with its pinyin stands for a character, (或教研組) is an aside: the activity runs on to
    # the sentence's end, and is not the subject before the time
    plans = extractor.extract(corpus_dir / "0122.txt")
    acts = [s.activity for p in plans for s in p.schedule]
    assert any(a.startswith("向?qū)W校(或教研组)提供") and a.endswith("值得探讨的问题") for a in acts), acts
    assert "教师" not in acts
    # the same sentence as plain text
    [plan] = extractor.extract("一、工作安排\n2、教师每学期向学校(或教研组)提供一个教学实践中遇到的值得探讨的问题。")
    assert [s.activity for s in plan.schedule] == ["向学校(或教研组)提供一个教学实践中遇到的值得探讨的问题"]


def test_a_label_before_a_time_names_what_it_dates(corpus_dir):
    # 0041 (Taiwan, 陸、活動日期:): 一、北區1:105年7月6日(三)~8日(五),共3日。 — nothing follows the
    # time in its clause, so the label before its colon is what the time dates
    [plan] = extractor.extract(corpus_dir / "0041.txt")
    dated = {s.activity: s.when.month for s in plan.schedule}
    assert {"北区1": 7, "北区2": 7, "南区": 8}.items() <= dated.items(), dated
    # a label that only names the time (日 期:, spaced as in a Word form) dates nothing
    [plan] = extractor.extract("一、会议安排\n日 期: 102 年 8 月 28 日(星期三)\n二、会议内容\n1.讨论校务")
    assert all(s.activity.replace(" ", "") != "日期" for s in plan.schedule), plan.schedule
