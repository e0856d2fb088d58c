"""When, who and how much: schedule items, parties, targets and meta on real documents."""

from __future__ import annotations

from extractor import extract
from extractor.doc import clean_text
from extractor.normalise import normalise
from extractor.parties import canonical_name, find_parties
from extractor.read import read_path
from extractor.targets import find_targets

from .conftest import SHARED_CORPUS, seed, shared_corpus


def test_seed_002_month_lists_and_weekly_slots() -> None:
    plan = extract(seed("002"))[0]
    items = [(t.when.month, t.when.weekday, t.activity) for t in plan.schedule]
    assert items[:3] == [(None, 3, "语文"), (None, 4, "数学"), (None, 2, "英语")]
    months = [m for m, _, _ in items[3:]]
    assert months == [3, 3, 4, 4, 5, 5, 5, 5, 6, 6, 6]
    assert items[3][2] == "制订校本研训计划,制订教研组工作计划。"
    assert all(t.when.part_of_day == "afternoon" for t in plan.schedule[:3])
    text = read_path(seed("002")).text
    for t in plan.schedule:  # the span of each activity is its own text
        a, b = t.activity_span
        assert clean_text(normalise(text[a:b])) == t.activity


def test_month_list_with_each_first_item_on_its_month_line() -> None:
    # 0191: 三、教學工作布置 / 九月份 1、參與… / 2、討論本學期工作計劃。/ 3、… / 十月份 1、…
    shared_corpus()
    plan = extract(SHARED_CORPUS / "0191.txt")[0]
    assert [s.role for s in plan.sections if s.heading.startswith("三、")] == ["schedule"]
    months = [(t.when.month, t.activity[:4]) for t in plan.schedule if t.when.month]
    assert months[:6] == [(9, "参与县教"), (9, "讨论本学"), (9, "统计全镇"), (10, "召开全镇"), (10, "参与有关"),
                          (11, "号召各校")]
    assert not any(s.heading.startswith("3、") for s in plan.sections)


def test_seed_002_recurring_rule_inside_a_measure() -> None:
    plan = extract(seed("002"))[1]
    rule = next(t for t in plan.schedule if t.when.frequency and t.when.frequency.count == 2)
    assert rule.when.frequency.per == "month"
    assert "示范教研活动" in rule.activity


def test_seed_002_leadership_group_gives_its_parties() -> None:
    plan = extract(seed("002"))[2]
    names = {p.name for p in plan.parties}
    assert {"领导小组", "校长", "副校长", "教研组长"} <= names
    assert "学校" not in names  # a school's own plan does not charge "the school"
    for p in plan.parties:
        assert p.mentions and all(a < b for a, b in p.mentions)


def test_seed_003_recurring_rules_share_their_activity() -> None:
    plan = extract(seed("003"))[0]
    pairs = [(t.when.text, t.activity) for t in plan.schedule]
    assert ("每月1次", "开展集体教研活动") in pairs and ("每周1次", "开展集体教研活动") in pairs


def test_party_canonical_names() -> None:
    assert canonical_name("教務處") == ("教务处", "office")
    assert canonical_name("语文教研组") == ("教研组", "group")
    assert canonical_name("高三年级组")[0] == "年级组"
    assert canonical_name("教研组组长")[0] == "教研组长"
    norm = normalise("由區教研室牽頭，各校教務處負責落實，成立課題研究領導小組。")
    names = [m.name for m in find_parties(norm, 0, len(norm))]
    assert names == ["区教研室", "教务处", "领导小组"]


def test_unseen_parties_by_their_form() -> None:
    norm = normalise("由校务发展委员会负责，简略肯定成功处，成立小组。")
    names = [m.name for m in find_parties(norm, 0, len(norm))]
    assert "校务发展委员会" in names
    assert not any("成功处" in n or n == "成立小组" for n in names)


def test_targets() -> None:
    norm = normalise("合格率达到80%以上，每学期听课不少于20节，至少1项课题，提高5个百分点，每人每学期读一本书。")
    got = [(t.quantity, t.unit, t.comparator) for t in find_targets(norm, 0, len(norm))]
    assert (80, "%", ">=") in got and (20, "节", ">=") in got and (1, "项", ">=") in got
    assert (5, "个百分点", "+") in got and (1, "本", "=") in got


def test_meta_of_the_seeds() -> None:
    p000 = extract(seed("000"))[0]
    assert p000.meta.doc_type == "计划"
    p001 = extract(seed("001"))[0]
    assert p001.meta.period.text == "2023年下半年" and p001.meta.period.half == 2
    assert p001.meta.school_level == "中学"
    p003 = extract(seed("003"))[0]
    assert p003.meta.school == "常州市新北区薛家实验小学"
    assert p003.meta.region.district == "新北区"
