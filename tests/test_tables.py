"""Tables and calendars (issue 14): real pages of ../shared/corpus read as tables, their rows
turned into schedule items with their time and parties; the same table as HTML, DOCX and
flattened text gives the same items."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from extractor import extract
from extractor.tables import header_role

from .conftest import seed, wrapped


def _items(plan) -> list[tuple[str, str, int | None, list[str]]]:
    names = {p.id: p.name for p in plan.parties}
    return [(s.when.text, s.activity, s.when.month, [names[i] for i in s.parties]) for s in plan.schedule]


def test_weekly_work_table_rows_are_items_with_their_day_and_offices(corpus_dir: Path) -> None:
    [plan] = extract(corpus_dir / "0215.html")
    assert plan.title == "开学预备周及第一周学校主要工作安排表"
    items = _items(plan)
    assert len(items) >= 70
    # 8.26（周三） spans seven rows: each takes its day, its own office
    day = [i for i in items if i[0] == "8.26(周三)"]
    assert ("8.26(周三)", "网上选课有关事项(通知另发)", 8, ["教科室"]) in day
    assert ("8.26(周三)", "迎接检查工作", 8, ["安全处"]) in day  # 1.… 2.… in one cell: two items
    assert ("8.26(周三)", "学生报到、学法指导", 8, ["年级组"]) in day  # 高二年级 → 年级组
    assert all(s.when.weekday == 3 for s in plan.schedule if s.when.text == "8.26(周三)")
    assert not plan.sections and not plan.measures  # row and cell labels are not sections
    assert {"党政办", "教学处", "德育处", "总务处", "安全处", "信息处"} <= {p.name for p in plan.parties}


def test_term_calendar_gives_one_item_per_activity_with_week_dates_and_office(corpus_dir: Path) -> None:
    [plan] = extract(corpus_dir / "0229.html")
    assert plan.title == "绍兴一中2021学年第二学期期末及暑假工作行事历"
    items = _items(plan)
    assert len(items) >= 100
    assert items[0] == ("6月13日", "推优材料上报(春蚕奖、市防疫先进个人)", 6, ["党政办"])
    assert ("6月13日", "毕业生团员证转出手续办理", 6, ["团委"]) in items  # the date cell spans five rows
    assert ("6月14日", "核酸抽测", 6, ["安全处"]) in items  # ；splits a cell's activities
    assert ("6月14日", "参加越城区消防工作会议", 6, ["安全处"]) in items
    ranged = next(s for s in plan.schedule if s.when.text == "6月13-16日")
    assert (ranged.when.month, ranged.when.day, ranged.when.day_end) == (6, 13, 16)
    # names inside an activity are not parties: only the 责任处室 column charges
    assert "市教育局" not in {p.name for p in plan.parties}


def test_a_calendar_written_as_lines(corpus_dir: Path) -> None:
    [plan] = extract(corpus_dir / "0219.html")
    items = _items(plan)
    assert ("28日(四)", "高一考风考纪教育", 1, []) in [(w, a.rstrip("。"), m, p) for w, a, m, p in items]
    # the days before 2月1日 count down into it: they are in January
    assert all(m == 1 for w, _, m, _ in items[:12] if w.startswith(("25日", "27日", "30日")))
    assert any(w == "2月1日(一)" and m == 2 for w, _, m, _ in items)


def test_seed_002_month_lists_and_weekly_slots_are_kept() -> None:
    plan = extract(seed("002"))[0]
    items = [(s.when.text, s.when.month, s.when.weekday) for s in plan.schedule]
    assert ("三月份", 3, None) in items and ("六月份", 6, None) in items
    assert ("周三下午", None, 3) in items and ("周四下午", None, 4) in items and ("周二下午", None, 2) in items
    assert len(plan.schedule) == 14


def test_header_roles_from_words_and_variants() -> None:
    assert header_role("周次") == "time" and header_role("完成时间") == "time" and header_role("时间表") == "time"
    assert header_role("工作内容") == "activity" and header_role("重点事项") == "activity"
    assert header_role("责任处室") == "responsible" and header_role("负 责 人") == "responsible"
    assert header_role("主要關注事項 Major Concern(s)") == "other" and header_role("目標 Targets") == "goal"
    assert header_role("成功准则") == "evaluation" and header_role("备注") == "other"
    assert header_role("推优材料上报（春蚕奖、市防疫先进个人）") is None


_ROWS = [("9月1日", "开学典礼；新生报到", "德育处"), ("", "教研组长会议", "教科室"), ("9月8日", "1.公开课展示 2.集体备课", "教学处、教科室")]


def _html() -> bytes:
    rows = ["<tr><th>日期</th><th>工作内容</th><th>责任处室</th></tr>"]
    rows.append(f"<tr><td rowspan='2'>{_ROWS[0][0]}</td><td>{_ROWS[0][1]}</td><td>{_ROWS[0][2]}</td></tr>")
    rows.append(f"<tr><td>{_ROWS[1][1]}</td><td>{_ROWS[1][2]}</td></tr>")
    rows.append(f"<tr><td>{_ROWS[2][0]}</td><td>{_ROWS[2][1]}</td><td>{_ROWS[2][2]}</td></tr>")
    return f"<html><body><p>2024学年第一学期行事历</p><table>{''.join(rows)}</table></body></html>".encode()


def _docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("2024学年第一学期行事历")
    t = d.add_table(rows=4, cols=3)
    for j, h in enumerate(["日期", "工作内容", "责任处室"]):
        t.cell(0, j).text = h
    t.cell(1, 0).merge(t.cell(2, 0)).text = _ROWS[0][0]
    for r, (_, act, who) in enumerate(_ROWS, start=1):
        t.cell(r, 1).text, t.cell(r, 2).text = act, who
    t.cell(3, 0).text = _ROWS[2][0]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _text() -> bytes:
    lines = ["2024学年第一学期行事历", "日期 | 工作内容 | 责任处室", " | ".join(_ROWS[0]), " | ".join(_ROWS[1][1:]),
             " | ".join(_ROWS[2])]
    return "\n".join(lines).encode()


def _spaced() -> bytes:
    lines = ["2024学年第一学期行事历", "日期      工作内容                  责任处室",
             "9月1日    开学典礼；新生报到        德育处", "          教研组长会议              教科室",
             "9月8日    1.公开课展示 2.集体备课   教学处、教科室"]
    return "\n".join(lines).encode()


def _spaced_wrapped() -> bytes:
    # the export wrapped the cells at their column's width: 新生报到 and 集体备课 run on under their column
    lines = ["2024学年第一学期行事历", "日期      工作内容          责任处室",
             "9月1日    开学典礼；新生    德育处", "          报到", "          教研组长会议      教科室",
             "9月8日    1.公开课展示 2.   教学处、", "          集体备课          教科室"]
    return "\n".join(lines).encode()


def test_one_table_as_html_docx_and_text_gives_the_same_items(tmp_path: Path) -> None:
    results = []
    for name, data in (("t.html", _html()), ("t.docx", _docx()), ("t.txt", _text()), ("s.txt", _spaced()),
                       ("w.txt", _spaced_wrapped())):
        (tmp_path / name).write_bytes(data)
        [plan] = extract(tmp_path / name)
        results.append(_items(plan))
    expected = [("9月1日", "开学典礼", 9, ["德育处"]), ("9月1日", "新生报到", 9, ["德育处"]),
                ("9月1日", "教研组长会议", 9, ["教科室"]), ("9月8日", "公开课展示", 9, ["教学处", "教科室"]),
                ("9月8日", "集体备课", 9, ["教学处", "教科室"])]
    assert results[0] == expected
    assert results[1] == expected
    assert results[2] == expected  # rows flattened with ` | `
    assert results[3] == expected  # columns aligned with spaces
    assert results[4] == expected  # … and cells wrapped over several lines


def test_show_highlights_a_rows_activity_time_and_parties(corpus_dir: Path, tmp_path: Path) -> None:
    import re

    from extractor.cli import main

    out = tmp_path / "show.html"
    assert main(["show", str(corpus_dir / "0229.html"), "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    kinds = {m.group(2): m.group(1) for m in re.finditer(r'class="x ([a-z ]+)" data-ids="[^"]*">([^<]+)<', page)}
    assert "activity" in kinds["推优材料上报（春蚕奖、市防疫先进个人）"]
    assert "time" in kinds["6月13日"]
    assert "party" in kinds["党政办"]


def test_compare_timeline_counts_calendar_items(corpus_dir: Path) -> None:
    from extractor.compare import compare

    plans = extract(corpus_dir / "0229.html")
    june, july, august = compare(plans).months[0][5:8]
    assert june >= 40 and july >= 20 and august >= 5


def test_a_hong_kong_annual_plan_table_gives_goals_schedule_and_parties(tmp_path: Path) -> None:
    rows = [("關注事項", "目標", "策略/工作", "成功準則", "時間表", "負責人"),
            ("一、提升學生自主學習能力", "1.學生能運用預習策略；2.學生能反思學習", "教師工作坊：為全體教師安排自主學習工作坊",
             "八成教師認同", "2024年9月", "課程發展組"),
            ("", "", "觀課及評課：同儕觀課每學期兩次", "教師完成觀課", "全年", "陳大文")]
    head = "".join(f"<th>{h}</th>" for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows[1:])
    page = f"<html><body><p>學校周年計劃</p><table><tr>{head}</tr>{body}</table></body></html>"
    (tmp_path / "hk.html").write_text(page, encoding="utf-8")
    [plan] = extract(tmp_path / "hk.html")
    assert [g.text for g in plan.goals] == ["学生能运用预习策略", "学生能反思学习"]
    items = _items(plan)
    assert items[0][1].startswith("教师工作坊") and items[0][2] == 9 and items[0][3] == ["课程发展组"]
    assert items[1][0] == "全年" and items[1][3] == ["陈大文"]  # a bare name in 負責人 is a party
    assert {p.name: p.kind for p in plan.parties}["陈大文"] == "person"


def test_a_week_grid_calendar_dates_its_rows_by_week_and_month(corpus_dir: Path) -> None:
    # 周次 | 日 | 一 … 六 | 内容: the day cells mark a month's first day as 2/1, 3/1 …
    [plan] = extract(corpus_dir / "0231.html")
    items = {s.activity: (s.when.text, s.when.month) for s in plan.schedule}
    assert items["2.5元宵节,开学式,名校协作体考试"] == ("一", 2)
    assert items["3.12植树节,省内三位一体报名"] == ("六", 3)


def test_activities_a_calendar_cell_joins_with_a_space_are_items_each(corpus_dir: Path) -> None:
    # 0238: 第9周 | 4月10日--4月16日 | 高三高考体检 高三家长会 校教研组长会议
    week9 = [s.activity for p in extract(corpus_dir / "0238.html") for s in p.schedule
             if s.when and s.when.text.startswith("4月10日")]
    assert week9 == ["高三高考体检", "高三家长会", "校教研组长会议"]
    # 0228: a space inside a book title joins nothing: 高一、高二《人 自然 社会》知识竞赛 stays one
    acts = [s.activity for p in extract(corpus_dir / "0228.html") for s in p.schedule]
    assert any("《人 自然 社会》知识竞赛" in a for a in acts if a), acts


def test_a_bracketed_remark_after_an_activity_is_not_an_activity(corpus_dir: Path) -> None:
    # 0244: 1．期末学校工作行事历编制发布；（12月19日） | 校办
    acts = [s.activity for p in extract(corpus_dir / "0244.html") for s in p.schedule if s.activity]
    assert "期末学校工作行事历编制发布" in acts
    assert not [a for a in acts if a.startswith(("（", "(")) and a.endswith(("）", ")"))], acts


def test_indicator_table_columns_give_goals_and_its_label_row_measures(corpus_dir: Path) -> None:
    # 教育政策關鍵指標 | 辦理項目 | 方案量化指標 | …之操作型定義 | 學校現況值 | 學校年度目標值 | 方案質化指標
    [plan] = extract(corpus_dir / "0094.txt")
    goals = [g.text for g in plan.goals]  # texts are simplified
    assert "1.1学校评鉴各项目成绩未达80分的比率逐次降低" in goals  # 方案量化指標 column
    assert "1.2学校评鉴各项目成绩达90分以上的比率逐次提高" in goals  # a short row, placed by its cells' content
    assert "1.2能强化学校自主管理,增进学校办学绩效" in goals  # 1.1… 1.2… in one 質化指標 cell: two goals
    assert not any("×100%" in g or g.startswith("35%") for g in goals)  # definitions and figures are no goals
    # the row 具體作法 (請條列) | 1.1…(1)…(2)… is read as the text under that label
    measures = [m.text for m in plan.measures]
    assert any(m.startswith("(2)每学期至少召开一次内部控制小组会议") for m in measures)
    assert not any("方案量化指标" in m for m in measures)  # the header row is no item
    assert {s.activity for s in plan.schedule} >= {"管考会议", "内部控制小组会议"}


def test_a_text_tables_short_row_sits_under_the_cells_it_matches() -> None:
    from extractor.pipeline import ALL_STAGES, make_doc
    from extractor.read.source import Source

    text = ("項目 | 指標 | 定義 | 現況值 | 目標值\n"
            "一、提升 | 1.1比率逐次降低。 | 未達數/總數×100% | 0.00 | 0\n"
            "1.2比率逐次提高。 | 達標數/總數×100% | 25.00% | 35%以上\n")
    doc = make_doc(Source.from_text(text))
    for stage in ("segment", "debris", "tables"):
        doc = ALL_STAGES[stage](doc)
    [t] = doc.tables
    assert [c.col for c in t.rows[2]] == [1, 2, 3, 4]  # under 指標 …, the 項目 cell spans it from above


def test_a_note_across_a_calendar_and_the_signature_after_it_are_no_items(corpus_dir: Path) -> None:
    # …| 7、8月份 | 市高中学生研究性学习成果评比… / 上述安排如有变动以通知为准 (3 columns) / 绍兴一中教学处 / 2010年2月
    [plan] = extract(corpus_dir / "0228.html")
    acts = [s.activity for s in plan.schedule]
    assert "市高中学生研究性学习成果评比" in acts
    assert not any("上述安排" in a or "教学处" in a or a == "2010年2月" for a in acts)
    [plan] = extract(corpus_dir / "0238.html")  # a blank row, then the note, then 绍兴一中教务处2011.2
    assert plan.schedule[-1].activity == "暑假开始"
    assert "教务处" in {p.name for p in plan.parties}  # the signature names who issued the calendar


def test_a_table_of_indicators_gives_one_goal_per_row(corpus_dir) -> None:
    # 0252's 核心指标: 一级 | 二级 | 十三五期间 | 2025目标, each row an indicator with its figures
    plan = extract(corpus_dir / "0252.html")[0]
    goals = [g.text for g in plan.goals]
    assert any(g.startswith("普惠性幼儿园在园儿童覆盖面") and g.endswith("| 93.94 | 95") for g in goals), goals
    assert sum(" | " in g for g in goals) >= 40
    # what an indicator counts is no party (赴海外办学机构数(所), 老年教育机构乡镇覆盖率)
    assert not {"赴海外办学机构", "老年教育机构"} & {p.name for p in plan.parties}


def _without_breaks(path: Path) -> str:
    from extractor.read import read_path

    return read_path(path).text.replace("\n", "")


def test_a_calendar_whose_rows_ran_onto_one_line_gives_the_items_of_its_rows(corpus_dir: Path) -> None:
    # 0215 as text with its line breaks lost: …| 负责部门8.25（周二） | 办公室调整安排；… | 党政办高三学生
    # 领档案（1-8班）、排课表 | 教学处高二班主任会议 | 德育处…: each row's last cell runs into the next
    # row's first; the rows come back from the header's columns, the offices and the dates
    items = set(map(lambda i: (i[0], i[1], tuple(i[3])), _items(extract(corpus_dir / "0215.html")[0])))
    [plan] = extract(_without_breaks(corpus_dir / "0215.html"))
    flat = set(map(lambda i: (i[0], i[1], tuple(i[3])), _items(plan)))
    assert ("8.25(周二)", "高二班主任会议", ("德育处",)) in flat
    assert ("8.26(周三)", "网上选课有关事项(通知另发)", ("教科室",)) in flat
    assert len(flat & items) >= 0.9 * len(items)


def test_a_term_calendar_on_one_line_keeps_its_week_and_day_columns(corpus_dir: Path) -> None:
    # 0229: 周次 | 日期 | 工作内容 | 责任处室, a week cell spanning days, a day cell spanning rows,
    # all on one line: …| 团委6月13-16日 | 高三老师校本培训 | 教科室6月14日 |…
    [plan] = extract(_without_breaks(corpus_dir / "0229.html"))
    items = _items(plan)
    assert ("6月13-16日", "高三老师校本培训", 6, ["教科室"]) in items
    assert ("6月14日", "2022年度图书采购", 6, ["总务处"]) in items
    assert len(items) >= 80


def test_a_calendar_hard_wrapped_by_count_keeps_its_rows(corpus_dir: Path) -> None:
    # 0215 cut every 30 characters: 8.25（周二） | 办公室调整安排；…引进名 / 师沟通及相关协议签署准备；… | 党政办:
    # a row's lines are joined while they fill the width, so its cells and office stay together
    from extractor.read import read_path

    text = read_path(corpus_dir / "0215.html").text
    items = {(i[0], i[1], tuple(i[3])) for i in _items(extract(text)[0])}
    [plan] = extract(wrapped(text))
    flat = {(i[0], i[1].replace("\n", ""), tuple(i[3])) for i in _items(plan)}
    assert ("8.25(周二)", "引进名师沟通及相关协议签署准备", ("党政办",)) in flat
    assert len(flat & items) >= 0.9 * len(items)
    assert not plan.measures  # the page's navigation, cut too, is no content


@pytest.mark.parametrize(("page", "width", "share"), [("0215.html", 20, 0.75), ("0215.html", 40, 0.9),
                                                      ("0244.html", 40, 0.85), ("0231.html", 40, 0.9)])
def test_a_calendar_hard_wrapped_at_any_width_keeps_its_rows(corpus_dir: Path, page: str, width: int,
                                                             share: float) -> None:
    # 0215 cut every 20 characters: its header 日期（星期） | 重点事项 | 负责部门 fills the width and is
    # whole (the first row's date ends it); 0244 cut every 40: few of the page's lines are long, but
    # far more end at 40 characters than at any length near it, so the wrap is seen; 0231 cut every 40:
    # its first row 周次 星期 | 日 | 一 | … | 内  容 fills the width, and the line below is a row of its own
    from extractor.read import read_path

    text = read_path(corpus_dir / page).text
    items = {(i[0], i[1], tuple(i[3])) for i in _items(extract(text)[0])}
    [plan] = extract(wrapped(text, width))
    flat = {(i[0], i[1].replace("\n", ""), tuple(i[3])) for i in _items(plan)}
    assert len(flat & items) >= share * len(items)


def test_a_table_of_figures_whose_rows_ran_onto_one_line(corpus_dir: Path) -> None:
    # 0252 without its line breaks: …核心指标一级 | 二级 | 十三五期间 | 2025目标更公平的教育 | 全市…（%） |
    # 73.35 | 80普惠性幼儿园在园儿童覆盖面（%） | 93.94 | 95校际…: each row ends with a figure fused to
    # the next row's first words; each row is an indicator goal, as with the breaks
    from extractor.read import read_path

    [plan] = extract(read_path(corpus_dir / "0252.html").text.replace("\n", ""))
    goals = {g.text for g in plan.goals}
    assert "普惠性幼儿园在园儿童覆盖面(%) | 93.94 | 95" in goals
    assert "全市教育优质均衡示范乡镇创建比例(%) | 86.6 | 100" in goals
    assert sum(" | " in g for g in goals) >= 35


def test_a_calendar_wrapped_by_columns_keeps_its_rows(corpus_dir: Path) -> None:
    # 0215 broken where a line passes 60 columns (a Chinese character two), as a PDF page is: the
    # count of characters a line holds varies, so its rows are joined while they reach the width
    import random
    import sys

    from extractor.read import read_path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from mutations import wrapped_visually

    text = read_path(corpus_dir / "0215.html").text
    items = {(i[0], i[1], tuple(i[3])) for i in _items(extract(text)[0])}
    [plan] = extract(wrapped_visually(60)(text, random.Random(7))[0])
    flat = {(i[0], i[1].replace("\n", ""), tuple(i[3])) for i in _items(plan)}
    assert len(flat & items) >= 0.85 * len(items)


def test_a_date_cut_by_the_wrap_inside_its_brackets_is_no_marker(corpus_dir: Path) -> None:
    # 0215 cut every 20 characters: 第8周主要工作安排表（10.23-10. / 29）[10-24] — the 29） closes the
    # bracket the line above opened: the line goes on, it is no numbered heading
    from extractor.read import read_path

    [plan] = extract(wrapped(read_path(corpus_dir / "0215.html").text, 20))
    assert not [s for s in plan.sections if s.heading.startswith("29)")]


def test_a_swot_table_flattened_to_lines_gives_only_its_strategies(corpus_dir: Path) -> None:
    # a Taiwan plan's SWOT table as PDF text: S 優勢 / W 劣勢 / O 機會點 / T 威脅 / S 因應策略,
    # then each column's numbered list in turn; only the strategies are planned action
    [plan] = extract(corpus_dir / "0093.txt")
    assert [m.text for m in plan.measures] == ["1.善用本校各种硬体设备,开办假期营队。并"]  # the page cuts it off; the wrap joins with no space
    assert header_role("W 劣勢") == "other" and header_role("S 因應策略") == "activity"


def _one_cell_per_line(path: Path) -> str:
    """The page's text with every table cell on a line of its own, as a browser's copy or a
    PDF's text gives a table (its empty cells lost)."""
    from extractor.read import read_path

    lines = []
    for line in read_path(path).text.split("\n"):
        lines.extend(c.strip() for c in line.split(" | ") if c.strip())
    return "\n".join(lines)


@pytest.mark.parametrize("page", ["0215.html", "0229.html", "0230.html"])
def test_a_calendar_with_one_cell_per_line_reads_as_its_table(corpus_dir: Path, page: str) -> None:
    [table] = extract(corpus_dir / page)
    [flat] = extract(_one_cell_per_line(corpus_dir / page))
    want = {(s.when.text, s.activity) for s in table.schedule}
    got = {(s.when.text, s.activity) for s in flat.schedule}
    assert len(want & got) >= 0.9 * len(want)
    assert len(got - want) <= 0.1 * len(got)
    # the responsible cells still charge: the calendar's offices are the plan's parties
    assert {p.name for p in table.parties} & {"党政办", "教学处", "德育处"} <= {p.name for p in flat.parties}
    cells = {w for w, _ in want} | {a for _, a in want} | {"周次", "日期", "日期(星期)", "重点事项", "负责部门"}
    assert not [x.heading for x in flat.sections if x.heading.rstrip(":：") in cells]  # no cell is a heading


def test_a_date_cell_and_an_activity_on_the_next_line_are_two_times_not_one() -> None:
    from extractor.timex import TimeIndex

    text = "6月24日\n6月主题党日活动"
    assert [t.text for t in TimeIndex(text).times] == ["6月24日", "6月"]


def _cells_a_space_apart(path: Path) -> str:
    """The page's text with a table's cells a single space apart on their row's line, as a PDF's
    text gives a table."""
    from extractor.read import read_path

    return read_path(path).text.replace(" | ", " ")


@pytest.mark.parametrize("page", ["0215.html", "0224.html", "0230.html"])
def test_a_calendar_with_its_cells_a_space_apart_reads_as_its_table(corpus_dir: Path, page: str) -> None:
    [table] = extract(corpus_dir / page)
    [spaced] = extract(_cells_a_space_apart(corpus_dir / page))
    want = {(w, a, tuple(p)) for w, a, _, p in _items(table)}
    got = {(w, a, tuple(p)) for w, a, _, p in _items(spaced)}
    # each row's day, activity and office as the table gives them (9.1（周三） … 党政办)
    assert len(want & got) >= 0.85 * len(want)
    assert len(got - want) <= 0.15 * len(got)


def test_a_spaced_calendar_hard_wrapped_keeps_each_rows_office(corpus_dir: Path) -> None:
    # 0215 as a PDF's text: cells a space apart, lines cut at 40 characters; a row the wrap cut
    # (8.25（周二） 办公室调整安排；…签署准备 / ；发布开学重点工作清单 党政办) is one row, its office at the end
    [table] = extract(corpus_dir / "0215.html")
    [cut] = extract(wrapped(_cells_a_space_apart(corpus_dir / "0215.html"), 40))
    offices = {(w, tuple(p)) for w, _, _, p in _items(table)}
    got = _items(cut)
    assert ("8.25(周二)", ("党政办",)) in {(w, tuple(p)) for w, a, _, p in got if a.startswith("办公室调整安排")}
    assert len({(w, tuple(p)) for w, _, _, p in got} & offices) >= 0.9 * len(offices)


def test_a_table_of_figures_with_its_cells_a_space_apart(corpus_dir: Path) -> None:
    # 0252 as a PDF's text: 二级 十三五期间 2025目标 / 普惠性幼儿园在园儿童覆盖面（%） 93.94 95 — each
    # indicator with its figures is a goal, as in the page's table
    goals = [g.text for p in extract(_cells_a_space_apart(corpus_dir / "0252.html")) for g in p.goals]
    assert "普惠性幼儿园在园儿童覆盖面(%) 93.94 95" in goals
    assert sum(bool(re.search(r" [\d.]+%?$", g)) for g in goals) >= 25
    assert "小学 1.76 逐年只增不减" in goals  # a target in words (a trend) ends its row as a figure does


def test_a_table_of_figures_with_one_cell_per_line(corpus_dir: Path) -> None:
    # 0252 with every cell on a line of its own: 普惠性幼儿园在园儿童覆盖面（%） / 93.94 / 95 is one goal
    goals = [g.text for p in extract(_one_cell_per_line(corpus_dir / "0252.html")) for g in p.goals]
    assert "普惠性幼儿园在园儿童覆盖面(%) 93.94 95" in goals  # its lines joined
    assert "93.94" not in goals and "95" not in goals
