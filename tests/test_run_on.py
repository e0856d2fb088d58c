"""Layouts the line rules read poorly, on real documents of ../shared/corpus: text with no line
breaks (pages flattened by a crawler, the breaks removed here), and headings set letter-spaced."""

from __future__ import annotations

import re
from pathlib import Path

from extractor import extract

from .conftest import seed


def _run_on(path: Path) -> str:
    return _run_on_text(path.read_text("utf-8"))


def test_a_title_after_the_pages_meta_fields(corpus_dir: Path) -> None:
    # …工作计划发表日期:2025/2/14 13:55:17 作者:许晶晶 有415位读者读过陆郎小学…工作计划一、指导思想…
    [plan] = extract(_run_on(corpus_dir / "0032.txt"))
    assert plan.title == "陆郎小学数学教研组2024-2025学年度第二学期工作计划"
    assert plan.sections[0].heading == "一、指导思想"


def test_a_title_that_runs_into_the_first_heading(corpus_dir: Path) -> None:
    # 中学教科室2020年度工作参考计划范文.docx一、工作目标1.提升教学质量:…
    [plan] = extract(_run_on(corpus_dir / "0028.txt"))
    assert plan.title == "中学教科室2020年度工作参考计划"
    assert plan.sections[0].heading == "一、工作目标"


def test_the_title_is_what_stands_right_before_the_body(corpus_dir: Path) -> None:
    # a document site's file facts run into the title, which the first heading ends:
    # …总字数:约5.58千字文档摘要县教研室-学年工作参考计划范文县教研室XX-XX学年工作打算一、指导思想…
    assert extract(_run_on(corpus_dir / "0120.txt"))[0].title == "县教研室XX-XX学年工作打算"
    # …侵权,请进行举报或认领文档简介数学教研组202X-202X学年度教学计划书一、教学工作指导方向…
    assert extract(_run_on(corpus_dir / "0127.txt"))[0].title == "数学教研组202X-202X学年度教学计划书"
    # …秋季工作计划范文免费下载26第1页20xx-20xx学年度英语教研组工作计划一、 指导思想…
    assert extract(_run_on(corpus_dir / "0147.txt"))[0].title == "20xx-20xx学年度英语教研组工作计划"


def test_a_pages_title_before_its_meta_fields(corpus_dir: Path) -> None:
    # a school site's page with its line breaks gone: menu, breadcrumb, the column's heading, the
    # title, then 文章来源:… 发布时间:…; the article's own title after the meta where it has one
    from extractor.read import read_path

    def title(name: str) -> str | None:
        return extract(_run_on_text(read_path(corpus_dir / name).text))[0].title

    assert title("0236.html") == "2010学年第一学期期末和第二学期开学工作行事历"  # the body starts 各位教工:
    assert title("0232.html") == "2022学年绍兴市第一中学教科节活动方案"  # after 教科室教科室
    assert title("0252.html") == "绍兴市教育事业十四五发展规划"  # before 征求意见稿
    assert title("0231.html") == "绍兴市第一中学2022/2023学年第二学期行事历"  # after the meta, fuller


def _run_on_text(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


def test_no_title_from_inside_a_sentence(corpus_dir: Path) -> None:
    # 为了…,特制定以下2017年度的小学科学实验教学计划和科学教学工作计划。本计划旨在…
    [plan] = extract(_run_on(corpus_dir / "0111.txt"))
    assert plan.title is None


def test_letter_spaced_headings_are_headings_with_their_role(corpus_dir: Path) -> None:
    # 願 景 說 明 / 教 育 目 標 (a Taiwan school's plan sets its headings letter-spaced)
    [plan] = extract(corpus_dir / "0040.txt")
    roles = {s.heading: s.role for s in plan.sections}
    assert roles.get("教 育 目 标") == "goals" and roles.get("愿 景 说 明") == "guiding"
    assert any(g.text.startswith("1. 营造『快乐学习,健康成长』") for g in plan.goals)


def test_a_capital_numeral_and_a_space_number_a_heading(corpus_dir: Path) -> None:
    # PDF text of a Taiwan plan: 參 學校背景分析 一 學校資料 … (壹、 written 壹 and a space)
    [plan] = extract(corpus_dir / "0042.txt")
    assert any(s.heading.startswith("参 学校背景分析") and s.level == 1 and s.role == "background"
               for s in plan.sections)


def test_a_page_title_repeated_below_the_article_meta_line_starts_the_article(corpus_dir: Path) -> None:
    # 0228: 教学处 / 绍兴一中2009学年第二学期教学处行事历 / 文章来源：… 点击数： 次 / the title again / the
    # calendar: the article (and its title) starts at the repeat, above the calendar
    from extractor.read import read_path

    text = read_path(corpus_dir / "0228.html").text
    [plan] = extract(corpus_dir / "0228.html")
    a, b = plan.title_span
    assert text[a:b] == "绍兴一中2009学年第二学期教学处行事历"
    assert "文章来源" in text[:a] and "文章来源" not in text[a:plan.source.source_span[1]]


def test_a_title_without_its_piece_number_or_sample_word(corpus_dir: Path) -> None:
    # 0033: 关于小学数学工作计划1 (the first piece of a collection); 0134: 中学第二学期计划的范文
    assert [p.title for p in extract(corpus_dir / "0033.txt")][:1] == ["关于小学数学工作计划"]
    assert [p.title for p in extract(corpus_dir / "0134.txt")][:1] == ["中学第二学期计划"]
    # 0051: 小学秋季德育工作计划 【篇一】 一、指导思想…: the piece label is the collection's, not the title's
    assert [p.title for p in extract(corpus_dir / "0051.txt")][:1] == ["小学秋季德育工作计划"]


def test_a_notice_that_publishes_a_plan_takes_the_plans_own_title(corpus_dir: Path) -> None:
    # 0212: 现将《绍兴市第一中学2019学年工作要点》印发给你们 … 绍兴市第一中学 / 2019年9月20日 / the
    # plan itself under its own title line
    from extractor.read import read_path

    text = read_path(corpus_dir / "0212.html").text
    [plan] = extract(corpus_dir / "0212.html")
    a, b = plan.title_span
    assert text[a:b] == "绍兴市第一中学2019学年工作要点" and text[a - 1] == "\n" and text[b] == "\n"


def test_a_single_piece_of_an_announced_collection(corpus_dir: Path) -> None:
    # 0086: the page says 本文将为您呈现五篇…范文 and is cut after 篇一:《高中学校工作计划》: that piece
    # is the plan, titled by its own header, not by the page's title above the intro
    from extractor.read import read_path

    text = read_path(corpus_dir / "0086.txt").text
    [plan] = extract(corpus_dir / "0086.txt")
    a, b = plan.title_span
    assert text[a:b] == "高中学校工作计划" and text[a - 4:a] == "篇一:《"


def test_a_run_on_title_glued_to_its_copy_is_the_copy(corpus_dir: Path) -> None:
    # 0084: 中学语文学科组教研工作计划中学语文学科组教研工作计划… (the page's title, then the article's);
    # 0073: 中学校本培训工作计划计划一:中学校本培训工作计划…: the article starts at the copy
    for name, start in (("0084.txt", 13), ("0073.txt", 14)):
        [plan] = extract(corpus_dir / name)[:1]
        assert plan.title_span[0] == start, name


def test_a_sentence_citing_a_document_is_no_title(corpus_dir: Path) -> None:
    # 0007: XXXX小学2023-2024学年工作计划 / 根据《XX区2023年教育工作要点》和学校发展规划,… — the sentence
    # cites a document; the line above it is the title (0245.html: 根据省教育厅…《关于…的通知》)
    assert [p.title for p in extract(corpus_dir / "0007.txt")][:1] == ["XXXX小学2023-2024学年工作计划"]
    assert [p.title for p in extract(corpus_dir / "0245.html")][:1] == ["绍兴市第一中学教师职称评审与推荐实施方案"]


def test_a_file_names_title_keeps_its_standard_template_words(corpus_dir: Path) -> None:
    # 0179: 2026年幼儿园春季学期园务工作计划标准模板.docxVIP — the title keeps its 标准模板
    assert [p.title for p in extract(corpus_dir / "0179.txt")][:1] == ["2026年幼儿园春季学期园务工作计划标准模板"]


def test_a_title_in_book_title_marks(corpus_dir: Path) -> None:
    # 0098: 《新教師(shī)入職培訓指南(nán)》 on its own line (with pinyin annotations): the title, marks dropped
    assert [p.title for p in extract(corpus_dir / "0098.txt")][:1] == ["新教师(shī)入职培训指南(nán)"]


def test_the_next_top_level_number_run_into_the_text_before_it(corpus_dir: Path) -> None:
    # 0106: …加强监管,确保合法合规六、加强教师职业发展管理… — 二、 … 十、 each start a unit
    [plan] = extract(corpus_dir / "0106.txt")
    starts = [m.text[0] for m in plan.measures if m.text[1:2] == "、" and m.text[0] in "一二三四五六七八九十"]
    assert "".join(starts) == "一二三四五六七八九十"
    # seed 002 with its breaks removed: …分散研修三、教研组集中研训时间语文:周三下午… starts 三、 (where
    # its heading ends in the run-on text is the sections stage's guess)
    plans = extract(_run_on(seed("002")))
    assert any(s.heading.startswith("三、教研") for p in plans for s in p.sections)
    # a word's numeral is no number: 高一、高二、高三教师, 周一、周二、周三 stay in their sentence
    [plan] = extract("一、工作安排\n组织高一、高二、高三教师参加培训，周一、周二、周三各一次。\n")
    assert len(plan.measures) == 1


def test_a_collections_pieces_with_no_line_breaks() -> None:
    # seed 002 run together: …工作计划2022…工作计划1本学期…, …工作总结。2022学校校本研训工作计划2一、…;
    # seed 004: …研修总结范文第2篇      摘要 本研究…: each piece title starts its plan
    for name, count in (("002", 5), ("004", 4)):
        text = seed(name).read_text("utf-8")
        lines, run_on = extract(text), extract(text.replace("\n", ""))
        assert len(run_on) == len(lines) == count, name
        assert [p.title for p in run_on] == [p.title for p in lines], name
    # 002's first piece: its month lists (三月份:1.…2.…四月份:1.…2.…) keep their months
    first = extract(seed("002").read_text("utf-8").replace("\n", ""))[0]
    assert [(s.activity, s.when.month) for s in first.schedule if s.when.month] == [
        (s.activity, s.when.month) for s in extract(seed("002"))[0].schedule if s.when.month]


def test_a_lists_next_number_and_a_month_label_run_into_the_item_before() -> None:
    text = "五、具体安排三月份:1.制订校本研训计划。2.第一次主题研讨活动。四月份:1.第二次主题研讨活动2.学校线上教学专题会议五月份:1.集体备课活动2.日常巡课"
    [plan] = extract(text)
    got = [(s.activity, s.when.month) for s in plan.schedule]
    assert ("第二次主题研讨活动", 4) in got and ("学校线上教学专题会议", 4) in got and ("日常巡课", 5) in got, got


def test_the_indentation_a_removed_line_break_left_ends_a_heading() -> None:
    # seed 004 run together keeps its lines' indentation: 二、 研修流程      各市、县(区)教育行政部门要…,
    # 1. 建立培育站      (1) 确定培育站主题。…: the run of spaces is where the heading's line ended
    text = seed("004").read_text("utf-8").replace("\n", "")
    headings = [s.heading for s in extract(text)[0].sections]
    assert headings[:4] == ["一、 研修目标", "二、 研修流程", "1. 建立培育站", "2. 开展研修活动"], headings


def test_the_sites_meta_run_inside_a_run_on_line_is_cut_out_not_the_whole_line(corpus_dir: Path) -> None:
    # 小学2023-2024学年工作计划时间:24-01-06 网友XXXX小学2023-2024学年工作计划根据《…》…一、指导思想…:
    # the meta run is furniture, the title and the opening paragraph around it are not
    [plan] = extract(_run_on(corpus_dir / "0007.txt"))
    assert plan.title == "XXXX小学2023-2024学年工作计划"
    assert plan.sections[0].heading == "一、指导思想"


def test_a_sites_sentences_inside_a_run_on_line_belong_to_no_item(corpus_dir: Path) -> None:
    # 当前位置:范文派>…我要投稿 … 日子如同白驹过隙,… 以下是小编帮大家整理的…,希望大家能够喜欢。…篇1 一、指导思想…
    [plan] = extract(_run_on(corpus_dir / "0031.txt"))
    assert [s.heading for s in plan.sections][:2] == ["一、指导思想", "二、工作目标"]
    texts = [x.text for x in (*plan.goals, *plan.measures)]
    assert texts and not any("小编" in t or "我要投稿" in t or "白驹过隙" in t for t in texts)


def test_a_calendars_dated_entries_run_together_are_items_each(corpus_dir: Path) -> None:
    # 0236 with its line breaks lost: …高三语文、数学会考。1月12日（周三），全校正常上课；… 22日下午，…:
    # a date right after a sentence's end opens the next entry, whose sentences are its items
    from extractor.read import read_path

    text = read_path(corpus_dir / "0236.html").text
    items = {(s.when.text, s.activity) for s in extract(text)[0].schedule}
    [plan] = extract(text.replace("\n", ""))
    flat = {(s.when.text, s.activity) for s in plan.schedule}
    assert ("1月12日(周三)", "全校正常上课") in flat
    assert ("22日下午", "高一、高二学生回家、教师阅卷(要十分认真)") in flat
    assert len(flat & items) >= 40


def test_an_outline_without_its_numbers_keeps_a_heading_above_a_heading(corpus_dir: Path) -> None:
    # 0097 with its numbers gone: 現況說明 / 地理位置 / 柳營鄉界東西狹長…: a phrase alone after a
    # paragraph, above another phrase that heads a paragraph, heads it too
    import re

    marker = re.compile(r"^[ \t]*(?:[一二三四五六七八九十]{1,3}、|[壹貳參肆伍陸柒捌玖拾]{1,2}、|[(（][一二三四五六七八九十\d]{1,2}[)）])[ \t]*",
                        re.M)
    text = marker.sub("", (corpus_dir / "0097.txt").read_text("utf-8"))
    [plan] = extract(text)
    headings = [s.heading for s in plan.sections]
    assert "现况说明" in headings and "社区概况" in headings


def test_an_outline_without_its_numbers_after_a_list_or_below_a_heading() -> None:
    # seed 004 with its numbers gone: …专业发展机制。 / 研修流程 / (its paragraph), and 开展研修活动 /
    # 导师组业务能力提升 / (its paragraph): a phrase alone after a list's last sentence, or right
    # below a heading, above a longer paragraph heads it
    import re

    marker = re.compile(r"^[ \t]*(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.、]|[(（]\d{1,2}[)）])[ \t]*", re.M)
    plans = extract(marker.sub("", seed("004").read_text("utf-8")))
    headings = {s.heading for s in plans[0].sections}
    assert {"研修流程", "开展研修活动", "导师组业务能力提升"} <= headings


def test_a_short_phrase_run_into_its_numbered_items_heads_them(corpus_dir: Path) -> None:
    # 0032 without line breaks: …三、重点工作及措施(一)深化课堂教学改革1. 聚焦核心素养各年级组…: on a
    # line that holds the whole page, (一)… heads the 1. 2. run in after it
    [plan] = extract(_run_on(corpus_dir / "0032.txt"))
    levels = {s.heading: s.level for s in plan.sections}
    assert levels.get("三、重点工作及措施") == 1 and levels.get("(一)深化课堂教学改革") == 2


def test_a_heading_before_the_indentation_of_its_removed_line_break() -> None:
    # seed 004 without line breaks: 2. 开展研修活动      (1) 导师组业务能力提升      省、市教师…: the run of
    # spaces is where the line break was, so (1) … is a heading with its paragraph after it
    [plan, *_] = extract(_run_on(seed("004")))
    assert "(1) 导师组业务能力提升" in [s.heading for s in plan.sections]


def test_a_lists_label_after_a_sentence_heads_the_list(corpus_dir: Path) -> None:
    # 0104 (a Hong Kong plan) without line breaks: …務求達成學校的使命及目標。 目標:1. 推動教職員…
    # 7. 配合學校發展的需要。 原則: 1. …: each label is a heading of its list, its items goals
    [plan] = extract(_run_on(corpus_dir / "0104.txt"))
    roles = {s.heading: s.role for s in plan.sections}
    assert roles.get("目标:") == "goals" and roles.get("工作项目 :") == "measures"
    assert plan.goals[0].text == "1. 推动教职员积极进取,终身学习。"


def test_a_title_after_a_slogan_starts_at_its_year() -> None:
    # seed 000 without line breaks: 搭建平台，打造骨干,提升研修品质2021—2022学年第一学期校本培训工作计划一、问题分析：…
    [plan] = extract(_run_on(seed("000")))
    assert plan.title == "2021—2022学年第一学期校本培训工作计划"


def test_a_markdown_headings_hashes_open_its_unit_in_run_on_text(corpus_dir: Path) -> None:
    # 0074 without its breaks: …构建积极向上的校园文化。#### 二、培训内容与形式##### 2.1 教育理论…
    [plan] = extract(_run_on(corpus_dir / "0074.txt"))
    headings = [s.heading for s in plan.sections]
    assert headings[0].startswith("一、培训") and "二、培训内容与形式" in headings
    assert not any("#" in m.text for m in plan.measures)  # the hashes are the heading's furniture


def test_a_title_after_a_document_sites_meta_and_buttons(corpus_dir: Path) -> None:
    # 0079 without its breaks: - 约8页- 2026-01-20 发布于河北- 举报—PAGE1——PAGE2—2026年春季学期…工作计划以…
    [plan] = extract(_run_on(corpus_dir / "0079.txt"))
    assert plan.title == "2026年春季学期初中语文教研组长工作计划"


def test_a_pieces_label_and_title_run_into_the_page_and_its_content(corpus_dir: Path) -> None:
    # …以供参考。篇一:《高中学校工作计划》(综合全面型工作计划)为全面贯彻…; …精选(九篇)信息教师工作计划
    # 第1篇:信息教师工作计划范文加强…; …举报物理教研组工作计划表(5篇)计划一:新学期…推进计划一、指导思想…
    expected = {"0086.txt": "高中学校工作计划", "0207.txt": "信息教师工作计划",
                "0192.txt": "新学期常规教学深化与课程改革推进计划",
                "0055.txt": "秋季小学德育工作计划",  # …相信一定会对你有所帮助。秋季小学德育工作计划6篇秋季小学德育工作计划篇1一、…
                "0100.txt": "教师入职前培训制度"}  # …认领文档简介PAGE教师入职前培训制度一、总则…
    for name, title in expected.items():
        [plan] = extract(_run_on(corpus_dir / name))
        assert plan.title == title, name
    # with its line breaks the label stays on the title's line and off the title (计划一:中学校本培训工作计划)
    [plan] = extract(corpus_dir / "0073.txt")
    assert plan.title == "中学校本培训工作计划"


def test_the_plans_first_heading_run_into_the_pages_meta() -> None:
    # 0232 with its line breaks removed: …发布时间：2023年04月26日 点击数： 次一、指导思想在深入贯彻…
    text = ("当前位置：首页 > 新闻中心> 学校公告> 教科室教科室2022学年绍兴市第一中学教科节活动方案文章来源： 作者： "
            "发布时间：2023年04月26日 点击数： 次一、指导思想在深入贯彻国务院办公厅《关于新时代推进普通高中育人方式改革的"
            "指导意见》精神，提升教师专业素养。二、活动内容和活动主题课堂教学比武、学科命题研讨。")
    [plan] = extract(text)
    assert plan.sections[0].heading == "一、指导思想"
    # a word's numeral before 一、 is no heading's (统一、规范 inside a sentence: no heading term after it)
    plans = extract("本学期各组要统一、规范地开展集体备课活动，做好记录，每周一次。")
    assert not any(s.heading.startswith("一、") for p in plans for s in p.sections)


def test_a_list_of_title_phrases_run_into_their_paragraphs(corpus_dir: Path) -> None:
    # 0002 with its line breaks removed: …三、主要内容与形式1. 教学观摩与评课活动组织教师开展公开课…
    # 2. 教育理论学习与专题培训定期邀请专家… : each phrase ends where a clause opens (组织, 定期, 以 …)
    headings = [s.heading for p in extract(_run_on(corpus_dir / "0002.txt")) for s in p.sections]
    numbered = [h for h in headings if h[:1].isdigit()][:4]
    assert numbered == ["1. 教学观摩与评课活动", "2. 教育理论学习与专题培训", "3. 校本教研活动", "4. 教师自主研修"]
    # a clause is no title phrase: ⑵主持人为成员制定具体的进步计划…, ⑶工作室成员必须认真参与… (0003)
    headings = [s.heading for p in extract(_run_on(corpus_dir / "0003.txt")) for s in p.sections]
    assert not any(h.startswith(("⑵", "⑶", "(2)", "(3)")) for h in headings)


_LINE_MARKER = re.compile(r"^[ \t]*(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.、]|[(（][一二三四五六七八九十\d]{1,2}[)）])[ \t]*",
                          re.M)


def test_an_outline_without_its_numbers_keeps_its_third_level_and_its_slogan_headings(corpus_dir: Path) -> None:
    # 0032 with its numbers gone: 重点工作及措施 / 深化课堂教学改革 / 聚焦核心素养 / (its paragraph):
    # a phrase between a heading that names a part of a plan and a phrase above a paragraph heads
    # too; 0029: 积极推进人才策略,及时安排教师外出学习 / (its paragraph): two parallel clauses alone
    # on a line after a paragraph head it
    [plan] = extract(_LINE_MARKER.sub("", (corpus_dir / "0032.txt").read_text("utf-8")))
    headings = [s.heading for s in plan.sections]
    assert {"重点工作及措施", "深化课堂教学改革", "聚焦核心素养"} <= set(headings)
    [plan] = extract(_LINE_MARKER.sub("", (corpus_dir / "0029.txt").read_text("utf-8")))
    assert "积极推进人才策略,及时安排教师外出学习" in [s.heading for s in plan.sections]


def test_a_sites_menu_saved_as_text_is_furniture_and_a_run_on_pages_meta_opens_the_article(corpus_dir: Path) -> None:
    # 0214 saved as text: 首页 / 新闻中心 / 学校公告 / 一中新闻 / 工作安排 / … one entry a line is the
    # site's menu, not the plan's title (工作安排); 0221 run together: …教科室2021年课堂教学能力比武活动方案
    # 文章来源： 作者： 发布时间：2021年05月08日 点击数： 次2021年绍兴一中…方案一、指导思想…: the page's meta is
    # furniture, and the article's title follows it
    from extractor.read import read_path

    assert [p.title for p in extract(read_path(corpus_dir / "0214.html").text)] != ["工作安排"]
    [plan] = extract(read_path(corpus_dir / "0221.html").text.replace("\n", ""))
    assert plan.title == "2021年绍兴一中教师课堂教学能力比武活动方案"


def test_a_labelled_heading_run_into_the_heading_above(corpus_dir: Path) -> None:
    # seed 000 run together: …三、工作措施目标一:摸清家底,在平台搭建中提升教师素养1.在摸清家底中…
    [plan] = extract(_run_on(seed("000")))
    headings = [(s.level, s.heading) for s in plan.sections]
    assert (1, "三、工作措施") in headings
    assert (2, "目标一:摸清家底,在平台搭建中提升教师素养") in headings
    assert any(level == 2 and h.startswith("目标三:任务驱动") for level, h in headings)


def test_a_two_clause_heading_run_into_its_first_item(corpus_dir: Path) -> None:
    # a page run onto one line: …特制定…计划。一、实施素养提升行动,推动学生全面发展1.稳步推进…
    [plan] = extract(corpus_dir / "0084.txt")
    assert plan.sections[0].heading == "一、实施素养提升行动,推动学生全面发展"
    assert plan.measures[0].text.startswith("1.稳步推进“书香校园读书节”活动")


def test_a_term_heading_above_a_list_that_numbers_again(corpus_dir: Path) -> None:
    # 2、组织领导:组长:xx副组长:xx组员:… 3、工作措施: 1、加大对实验教学的重视。…: the list
    # restarts at 1 one level down, and the member list is the organisation heading's content
    [plan] = extract(corpus_dir / "0109.txt")
    assert [(s.heading, s.role, s.level) for s in plan.sections] == [
        ("2、组织领导:", "organization", 1), ("3、工作措施:", "measures", 1)]
    assert plan.measures[-1].text.startswith("1、加大对实验教学的重视。")


def test_a_phrase_its_list_runs_into_heads_the_list(corpus_dir: Path) -> None:
    # 0177: 二、主要活动(一)开展好书共读活动1 .区教育局荐书:… — no mark between the phrase and the
    # list it heads; 1. 学校图像:希望达到①… (0040), a label with its value, stays an item
    headings = [s.heading for p in extract(corpus_dir / "0177.txt") for s in p.sections]
    assert "(一)开展好书共读活动" in headings
    headings = [s.heading for p in extract(corpus_dir / "0040.txt") for s in p.sections]
    assert not any("圖像" in h or "图像" in h for h in headings)


def test_a_list_items_phrase_above_its_own_sub_list(corpus_dir: Path) -> None:
    # 0012: 2、狠抓教学常规,促进课程改革1)强化对课堂结构的调整… — the item's phrase heads its sub-list
    # (the 1) runs into it); 0253's (十一)加快普及高中阶段教育 is not cut inside its marker
    headings = [s.heading for p in extract(corpus_dir / "0012.txt") for s in p.sections]
    assert "2、狠抓教学常规,促进课程改革" in headings
    headings = [s.heading for p in extract(corpus_dir / "0253.html") for s in p.sections]
    assert "(十一)加快普及高中阶段教育。" in headings


def test_an_upper_levels_title_sentence_with_its_list_run_on(corpus_dir: Path) -> None:
    # 0068: 二、主要工作与措施(一)以科学发展观为指导,寻找更适宜本园的教研方式与方法。1、磨课活动…
    headings = [s.heading for p in extract(corpus_dir / "0068.txt") for s in p.sections]
    assert "(一)以科学发展观为指导,寻找更适宜本园的教研方式与方法。" in headings


def test_a_list_items_title_sentence_with_its_sub_list_on_its_line(corpus_dir: Path) -> None:
    # 0003: 5、完善工作室的培训制度。⑴采用导师培养制度… — a short title sentence heads its ⑴ list
    headings = [s.heading for p in extract(corpus_dir / "0003.txt") for s in p.sections]
    assert {"5、完善工作室的培训制度。", "6、建立工作室的考核制度。"} <= set(headings)


def test_lead_phrases_run_on_beside_a_sibling_heading_are_headings() -> None:
    # seed 000 run onto one line: 2.在平台搭建中促教师学科素养。以… leads its paragraph, and its
    # sibling 3．在有向聚焦中促骨干教师成长。 is a heading: so is it
    text = _run_on_text(seed("000").read_text("utf-8"))
    [plan] = extract(text)
    heads = [text[s.source_span[0]:s.source_span[1]] for s in plan.sections]
    assert "3．在有向聚焦中促骨干教师成长。" in heads, heads
    assert "2.在平台搭建中促教师学科素养。" in heads, heads
    # a lead phrase inside an item of an ordinary page stays the item's (its line says so)
    plain = "一、工作措施\n1.加强学习。组织教师学习新课标，每月一次，提高理论水平。\n2.开展教研。每周三下午集体备课。"
    [plan] = extract(plain)
    assert [s.heading for s in plan.sections] == ["一、工作措施"]
