"""The five seed documents the product was created from must come out right."""

from __future__ import annotations

from extractor import extract
from extractor.read import read_path

from .conftest import seed


def tree(plan) -> list[tuple[int, str, str]]:
    return [(s.level, s.heading, s.role) for s in plan.sections]


def test_seed_000_sections() -> None:
    [plan] = extract(seed("000"))
    assert plan.title == "2021—2022学年第一学期校本培训工作计划"
    top = [(s.heading, s.role) for s in plan.sections if s.level == 1]
    assert top == [("一、问题分析:", "background"), ("二、工作目标", "goals"), ("三、工作措施", "measures")]
    measures_id = plan.sections[2].id
    goals_blocks = [s for s in plan.sections if s.heading.startswith("目标")]
    assert [s.heading[:3] for s in goals_blocks] == ["目标一", "目标二", "目标三"]
    assert all(s.level == 2 and s.parent == measures_id and s.role == "measures" for s in goals_blocks)
    under_first = [s.heading for s in plan.sections if s.parent == goals_blocks[0].id]
    assert under_first == ["1.在摸清家底中促教师发展内需。", "2.在平台搭建中促教师学科素养。", "3.在有向聚焦中促骨干教师成长。"]
    assert len(plan.goals) == 3 and plan.goals[0].text.startswith("1.摸清家底")
    assert plan.meta.period is not None and plan.meta.period.academic_year == "2021-2022"
    assert plan.meta.period.term == 1


def test_seed_001_missing_top_number() -> None:
    [plan] = extract(seed("001"))
    assert tree(plan)[0] == (1, "指导思想", "guiding")
    assert (1, "二、保障措施", "safeguards") in tree(plan)
    level2 = [s.heading for s in plan.sections if s.level == 2]
    assert level2 == ["1.扎实有效的推进校本研修常规工作", "2.深化课题的引领和价值导向",
                      "3.推进教师专业化发展,加强师资队伍的造血功能"]
    assert all(s.role == "measures" for s in plan.sections if s.level >= 2)
    assert plan.meta.school == "江宁区百家湖中学" or plan.meta.school == "百家湖中学"


def test_seed_002_five_plans_with_their_own_trees() -> None:
    plans = extract(seed("002"))
    assert len(plans) == 5
    assert all(p.title == "2022学校校本研训工作计划" for p in plans)
    assert [p.source.part for p in plans] == [1, 2, 3, 4, 5]
    assert all(p.source.parts == 5 and p.source.script == "traditional" for p in plans)
    text = read_path(seed("002")).text
    assert "靈感範文站" not in text[plans[0].source.source_span[0]:]  # the site name is in no plan
    assert [(s.heading, s.role) for s in plans[0].sections if s.level == 1] == [
        ("一、主要目标", "goals"), ("二、研训形式", "measures"), ("三、教研组集中研训时间", "schedule"),
        ("四、研训内容", "measures"), ("五、具体安排", "schedule")]
    assert [s.heading for s in plans[1].sections if s.level == 1] == ["一、指导思想", "二、工作措施"]
    assert [s.role for s in plans[2].sections if s.level == 1][:2] == ["goals", "organization"]
    assert plans[4].sections[0].heading == "一、培训目标和培训重点"
    # each plan's headings lie inside its own extent
    for p in plans:
        a, b = p.source.source_span
        assert all(a <= s.source_span[0] < s.source_span[1] <= b for s in p.sections)


def test_seed_003_mixed_numbering() -> None:
    [plan] = extract(seed("003"))
    assert plan.title == "全面深化新时代校本教研工作实施方案"
    assert [(s.level, s.heading) for s in plan.sections] == [
        (1, "一、主要目标"), (1, "2、 实施举措"), (2, "(一)进一步丰富校本教研内容。"),
        (2, "(二)进一步创新校本教研形式。"), (2, "(三)进一步精细教研过程管理。"), (1, "三、保障措施")]
    assert [s.role for s in plan.sections] == ["goals", "measures", "measures", "measures", "measures",
                                               "safeguards"]
    text = read_path(seed("003")).text
    assert all("[bookmark" not in text[m.source_span[0]:m.source_span[1]] for m in plan.measures)
    assert plan.meta.school_level == "小学"


def test_seed_004_pieces_debris_and_the_survey_abstract() -> None:
    plans = extract(seed("004"))
    text = read_path(seed("004")).text
    assert len(plans) == 4  # 范文第2篇 is a survey abstract, not a plan
    assert all(p.title == "小学骨干教师研修总结" for p in plans)
    spam = text.index("国产另类无码专区")
    header = text.index("發布時間")
    for p in plans:
        a, b = p.source.source_span
        assert not a <= spam < b and not a <= header < b
        assert "<ol" not in text[a:b]
    abstract = text.index("摘要 本研究采用")
    assert not any(p.source.source_span[0] <= abstract < p.source.source_span[1] for p in plans)
    first = [(s.level, s.heading, s.role) for s in plans[0].sections]
    assert first[:3] == [(1, "一、 研修目标", "goals"), (1, "二、 研修流程", "measures"),
                         (2, "1. 建立培育站", "measures")]
    assert (1, "三、 职责分工", "organization") in first and (1, "四、 经费使用", "budget") in first
    assert [s.heading for s in plans[3].sections if s.level == 1][-1].endswith("的保障机制")
