"""Goals and measures: own text only, parents, lead phrases, lead-ins."""

from __future__ import annotations

import itertools

import pytest

from extractor import extract
from extractor.pipeline import run
from extractor.read import Source

from .conftest import seed, wrapped

PLAN = ("学校校本研修计划\n一、工作目标\n教师专业素养明显提升；形成研修特色。\n二、主要措施\n"
        "1.加强教师理论学习，每月组织一次集中学习，学习内容包括：\n（1）学习新课程标准。\n（2）学习教育理论专著。\n"
        "2.开展课题研究：每学期完成一项校级课题的结题。\n为此，学校将提供经费保障。\n3.每两周一次集体备课。\n")


def test_measures_parents_titles_and_goals() -> None:
    [plan] = run(Source.from_text(PLAN))
    texts = [m.text for m in plan.measures]
    assert texts[0].startswith("1.加强教师理论学习") and texts[0].endswith("学习内容包括:")
    assert texts[1] == "(1)学习新课程标准。" and texts[2] == "(2)学习教育理论专著。"
    assert plan.measures[1].parent == plan.measures[0].id and plan.measures[2].parent == plan.measures[0].id
    # a paragraph after a numbered item belongs to it
    assert texts[3] == "2.开展课题研究:每学期完成一项校级课题的结题。 为此,学校将提供经费保障。"
    assert plan.measures[3].title == "开展课题研究" and plan.measures[3].parent is None
    assert [g.text for g in plan.goals] == ["教师专业素养明显提升;", "形成研修特色。"]
    spans = sorted(tuple(m.source_span) for m in plan.measures)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert any(t.when.frequency and t.when.frequency.interval == 2 for t in plan.schedule)


@pytest.mark.parametrize("prefix", ["000", "001", "003"])
def test_hard_wrapped_paragraphs_are_joined_back(prefix: str) -> None:
    """Text copied from a PDF viewer breaks every line at the page width: the paragraphs come
    back whole, with the same headings and measures as the original."""
    text = seed(prefix).read_text(encoding="utf-8")
    original, rejoined = extract(text)[0], extract(wrapped(text))[0]
    flat = [m.text.replace(" ", "") for m in original.measures]
    assert [m.text.replace(" ", "") for m in rejoined.measures] == flat
    assert [s.heading for s in rejoined.sections] == [s.heading for s in original.sections]


def test_a_line_of_the_wraps_count_that_ends_a_sentence_goes_on() -> None:
    # seed 000 cut every 20 characters: 1．摸清家底，在平台搭建中提升教师素养。 is the 20 characters of
    # the first line and ends a sentence; the paragraph goes on (搭建“精神引领…), so it is a goal's
    # first line, not a heading over the next
    [plan] = extract(wrapped(seed("000").read_text(encoding="utf-8"), 20))[:1]
    assert not [s for s in plan.sections if "摸清家底,在平台搭建" in s.heading and s.heading.startswith("1.")]
    assert any(g.text.startswith("1.摸清家底,在平台搭建中提升教师素养。") and "搭建“精神引领" in g.text
               for g in plan.goals)


@pytest.mark.parametrize(("name", "title"), [
    ("0126.txt", "2025-2026学年春季第二学期初中数学教研组工作计划:策马研思提质,聚力素养育人"),  # wrapped inside
    ("0236.html", "2010学年第一学期期末和第二学期开学工作行事历"),  # a shorter line above the page's meta
    ("0253.html", "国家中长期教育改革和发展规划纲要"),  # under a list of links, each ending in its date
])
def test_a_hard_wrapped_page_keeps_its_title(corpus_dir, name: str, title: str) -> None:
    # the page as a PDF viewer's text, every line cut at 30 characters: the title a wrap broke comes
    # back whole, with no space where the wrap fell; a title line shorter than the wrap is no
    # wrapped line; a list of dated links (…任务清单[04-29]) stays one link a line, so furniture
    from extractor.read import read_path

    text = read_path(corpus_dir / name).text
    assert extract(text)[0].title == title
    assert extract(wrapped(text))[0].title == title


def test_a_table_of_contents_is_furniture(corpus_dir) -> None:
    # 0038 (a Hong Kong annual plan) and 0252 (a district's plan) open with their contents:
    # 關注事項一: …………………… p9, （三）主要目标……………4 are no measures or sections
    from extractor.debris import is_debris_text

    for name in ("0038.txt", "0252.html"):
        for plan in extract(corpus_dir / name):
            for item in [*plan.measures, *plan.goals, *plan.sections]:
                text = item.text if hasattr(item, "text") else item.heading
                assert "……" not in text and text.strip() not in ("p9", "p17", "頁 3"), (name, text)
    assert is_debris_text("（三）主要目标…………………………………………………4")
    assert is_debris_text("p17") and is_debris_text("頁 3")
    assert not is_debris_text("可以采取边讲边练、先练后讲再训练……还有,我们如何利用")  # an ellipsis in prose


def test_document_site_notices_and_related_links_are_furniture(corpus_dir) -> None:
    # 0130: • 15.06 KB, • 7页, • 当前文档由用户上传发布,收益归属用户; 0191: a list of related
    # pages, each title glued to its date (第一學期美術組讀書計劃08-07); 0145: contents as 貳、計畫目標 ... 15
    from extractor.debris import is_debris_text

    for name, noise in (("0130.txt", ("KB", "7页", "收益归属")), ("0191.txt", ("08-07", "06-30")),
                        ("0145.txt", (" ... ",))):
        for plan in extract(corpus_dir / name):
            for item in [*plan.measures, *plan.goals]:
                assert not any(n in item.text for n in noise), (name, item.text)
            for s in plan.sections:
                assert not any(n in s.heading for n in noise), (name, s.heading)
    assert not is_debris_text("日期：9月01-05")  # a date range in a calendar line is content


def test_site_headings_for_related_pages_and_contacts_are_furniture(corpus_dir) -> None:
    # 0191: 【第一學期美術組工作計劃】相關文章: ; 0130: 4. 网站客服QQ:403074932 ; 0038: - 目 錄 -
    for name, noise in (("0191.txt", "相关文章"), ("0130.txt", "客服"), ("0038.txt", "目 录")):
        for plan in extract(corpus_dir / name):
            assert not any(noise in s.heading for s in plan.sections), name


def test_parts_stand_above_chapters_and_items_numbered_through_chapters(corpus_dir) -> None:
    # 0253 (国家中长期教育改革和发展规划纲要): 第一部分 > 第一章 > (一)…(二); then 第二章 with (三)…:
    # the (一) numbering runs through the chapters, and (三) does not continue 第二章's sequence
    [plan] = extract(corpus_dir / "0253.html")
    levels = {s.heading: s.level for s in plan.sections}
    assert levels["第一部分 总体战略"] == 1 and levels["第一章 指导思想和工作方针"] == 2
    assert levels["第二章 战略目标和战略主题"] == 2 and levels["第二部分 发展任务"] == 1
    assert levels["第三章 学前教育"] == 2
    # (三)战略目标。到2020年…: a chapter's numbered title phrase heads the paragraph that runs on after it
    roles = {s.heading: s.role for s in plan.sections}
    assert levels["(三)战略目标。"] == 3 and roles["(三)战略目标。"] == "goals"
    assert levels["(五)基本普及学前教育。"] == 3 and levels["(六十九)加强和改进教育系统党的建设。"] == 3
    assert levels["(四 十)完善中国特色现代大学制度。"] == 3  # a two-figure numeral letter-spaced
    assert any(g.text.startswith("到2020年,基本实现教育现代化") for g in plan.goals)
    assert any(m.text.startswith("学前教育对幼儿习惯养成") for m in plan.measures)


def test_a_signature_and_its_date_are_no_measures(corpus_dir) -> None:
    # 0241 ends 绍兴一中党委 / 2011年2月; 0232 signs 教科室  教学处
    for name, lines in (("0241.html", {"绍兴一中党委", "2011年2月"}), ("0232.html", {"教科室  教学处"})):
        texts = {m.text for p in extract(corpus_dir / name) for m in p.measures}
        assert not texts & lines, name


def test_a_labelled_list_is_items_not_headings(corpus_dir) -> None:
    # 0065's 二、工作目标: 教学质量提升:通过… / 教师专业成长:组织… / … — four goals, no sub-headings
    [plan] = extract(corpus_dir / "0065.txt")
    assert not any(s.heading in ("教学质量提升:", "课程资源建设:") for s in plan.sections)
    labels = [g.text.split(":")[0] for g in plan.goals]
    assert {"教学质量提升", "教师专业成长", "学生能力培养", "课程资源建设"} <= set(labels)


def test_a_plan_part_label_with_its_list_on_its_line_heads_the_list(corpus_dir) -> None:
    # 0036 (a Hong Kong school development plan, PDF text): 辦學目標: 1. 以學生為本… 2. 啟發… — the
    # label names the plan's goals, so its items are goals (a 主要事件：1、… label still heads nothing)
    [plan] = extract(corpus_dir / "0036.txt")
    assert "办学目标:" in [s.heading for s in plan.sections]
    assert any(g.text.startswith("1. 以学生为本") for g in plan.goals)


def test_a_heading_right_above_a_table_heads_it(corpus_dir) -> None:
    # 0252: （四）核心指标 / 一级 | 二级 | 十三五期间 | 2025目标 / …: the table is the heading's content
    [plan] = extract(corpus_dir / "0252.html")
    assert "(四)核心指标" in [s.heading for s in plan.sections]


def test_a_year_after_an_item_number_is_no_decimal() -> None:
    # 0213: 2.2020年浙江省…, 3.2020年全市… are items 2 and 3; 1.5万元 and 2.5学分 stay numbers
    from extractor.normalise import normalise
    from extractor.numbering import parse_marker

    m = parse_marker(normalise("2.2020年浙江省中小学心理健康教育示范点建设申报"), 0)
    assert m is not None and (m.style, m.value, m.end) == ("1.", 2, 2)
    for text in ("1.5万元用于培训", "2.5学分", "3.14159"):
        m = parse_marker(normalise(text), 0)
        assert m is None or m.style != "1.", text


def test_a_related_pages_list_at_a_plain_pages_end_is_furniture(corpus_dir) -> None:
    # 0191: …2、参与美术优秀论文评比,并上传到诸暨教研室网。 / 【第一学期美术组工作计划】相关文章: /
    # 第一学期美术组教研工作计划06-30 / … — the links are no part of the last item
    plan = extract(corpus_dir / "0191.txt")[0]
    last = plan.schedule[-1]
    assert last.activity == "参与美术优秀论文评比,并上传到诸暨教研室网。"
    assert not any("相关文章" in s.activity or "06-30" in s.activity for s in plan.schedule)


def test_a_related_pages_heading_in_a_pages_head_leaves_the_article(corpus_dir) -> None:
    # 0229 as plain text: 推荐阅读 in the site's navigation at the top, then a calendar; hard-wrapped
    # into short lines (as PDF text is) its rows are still the article's, not a list of links
    import random

    from extractor.read import read_path
    from scripts.mutations import wrapped_at

    text = read_path(corpus_dir / "0229.html").text
    wrapped, _ = wrapped_at(30)(text, random.Random(7))
    assert len(extract(wrapped)[0].schedule) >= 0.5 * len(extract(text)[0].schedule)  # 0 when they were links


def test_a_number_alone_is_no_item(corpus_dir) -> None:
    # 0145 (a PDF's text): its pages' numbers (1) (2) … stand alone on their lines
    texts = [m.text.strip() for p in extract(corpus_dir / "0145.txt") for m in p.measures]
    assert not any(t in {"(2)", "(3)", "(4)", "(5)"} for t in texts)


def test_an_activitys_attribute_lines_are_no_measures(corpus_dir) -> None:
    # 0193: 活动一 is described by 活动目标：… (a goal), 参与对象：… (an attribute), 预期成果：…
    # (what it yields) and its steps (主题引领：教研组长和骨干教师做主旨发言…, measures)
    from extractor.items import label_says

    [plan] = extract(corpus_dir / "0193.txt")
    measures = [m.text for m in plan.measures]
    assert not any(t.startswith(("参与对象", "活动目标", "预期成果")) for t in measures)
    assert any(t.startswith("主题引领:教研组长和骨干教师做主旨发言") for t in measures)
    assert any(g.text.startswith("活动目标:系统解读新课标") for g in plan.goals)
    assert label_says("地 点: 臺中國小視聽教室") == label_says("3、组  员:__ __ __ 及各教研组长") == "field"
    assert label_says("1.集体研讨:定期组织集体备课") is None  # an action after its label
    assert label_says("- 目标:熟悉实验室环境,了解基本的安全规则。") == "goal"
    assert label_says("1. 制定学校德育目标:制定具体、明确的学校德育目标") is None  # an action naming goals
    # 0039: 運作次數：一學年至少8次以上 is no measure, but its time is still a schedule item
    plans = extract(corpus_dir / "0039.txt")
    assert not any(m.text.startswith("六、运作次数") or m.text.startswith("六、運作次數") for p in plans for m in p.measures)
    assert any("8次" in s.when.text for p in plans for s in p.schedule)


def test_a_page_cut_inside_a_plan_keeps_the_action_before_its_first_heading(corpus_dir) -> None:
    # 0136 starts inside a plan (no title, its first heading (四)丰厚教师文化底蕴): the paragraphs
    # before that heading end a part the page lost, and they are action, not the plan's purpose
    [plan] = extract(corpus_dir / "0136.txt")
    measures = [m.text for m in plan.measures]
    assert measures[0].startswith("深入开展青年教师") and any(t.startswith("实施高端备课") for t in measures)


def test_a_tables_header_row_flattened_to_a_line_is_no_item(corpus_dir) -> None:
    # 0038 (a Hong Kong annual plan from a PDF): 目標 策略 成功準則 評估方法 時間表 負責人 所需資源
    from extractor.items import _is_header_row

    for plan in extract(corpus_dir / "0038.txt"):
        assert not any("成功準則 評估方法" in x.text or "成功准则 评估方法" in x.text for x in [*plan.goals, *plan.measures])
    assert not _is_header_row("教学 研究 工作")  # words, not column names


def test_a_target_set_by_its_year_is_a_goal_inside_a_chapter_of_action(corpus_dir) -> None:
    # 0252 (a city's five-year plan): 全面落实《全面实施高等教育强市战略的意见》。到2025年，力争在绍高校数
    # 达到14所… — the action is a measure, the target it sets a goal
    [plan] = extract(corpus_dir / "0252.html")
    assert any(m.text.startswith("全面落实《全面实施高等教育强市战略的意见》") and "到2025年" not in m.text
               for m in plan.measures)
    assert any(g.text.startswith("到2025年,力争在绍高校数达到14所") for g in plan.goals)


def test_a_fresh_sites_chrome_around_a_plan_is_furniture(corpus_dir) -> None:
    # 0012 as another school's site saves it: a breadcrumb in other words above it; sharing
    # buttons, a list of other articles and the site's footer below it
    text = (corpus_dir / "0012.txt").read_text(encoding="utf-8")
    head = "您现在的位置：网站首页 >> 教学教研 >> 工作计划\n"
    foot = ("\n分享到：微信 微博 QQ空间\n热门文章\n2023学年教务处工作计划\n2024年德育处工作要点\n校本研修实施方案\n"
            "主办单位：某某市第一中学  技术支持：某某科技有限公司\n扫一扫在手机打开当前页")

    def shape(plans):
        return [(p.title, [s.heading for s in p.sections], [m.text for m in p.measures], sorted(x.name for x in p.parties))
                for p in plans]

    assert shape(extract(head + text + foot)) == shape(extract(text))
    # a content farm's preview notice and a public account's buttons below it
    foot = ("\n展开全文\n下载文档\n温馨提示：当前文档最多只能预览5页，若文档总页数超出了5页，请下载原文档以浏览全部内容。\n"
            "本文来源：网络整理  版权归原作者所有，如有侵权请联系删除。\n关注微信公众号\n长按识别二维码\n赞  在看")
    assert shape(extract(text + foot)) == shape(extract(text))
    # an article's end mark, its credits (the office that wrote it up is no party) and counters, and
    # the files attached to it
    foot = "\n（完）\n供稿：教务处  审核：王校长  编辑：李老师\n阅读 1024  赞 12\n附件：\n1.教师研修登记表\n2.听课记录表"
    assert shape(extract(text + foot)) == shape(extract(text))


def test_a_fresh_templates_chrome_around_a_page_is_furniture(corpus_dir, tmp_path) -> None:
    # 0010's lines as another CMS renders them: a menu and a list of other notices as links, a
    # breadcrumb, a footer whose links are set a bar apart (网站地图 | 联系我们)
    import html

    text = (corpus_dir / "0010.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    links = "".join(f'<li><a href="/{k}">{w}</a></li>' for k, w in enumerate(
        ["首页", "学校概况", "教务处", "德育处", "总务处", "2024学年第二学期教务处工作计划", "德育处2024年工作要点"]))
    bare = tmp_path / "bare.html"
    bare.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><ul>{links}</ul><div>当前位置：<a href='/'>首页</a> &gt; <a href='/j'>教务处</a></div>"
                    f"{body}<p>版权所有：某某中学 地址：人民路1号</p><p><a href='/m'>网站地图</a> | "
                    "<a href='/c'>联系我们</a></p></body></html>", encoding="utf-8")

    def shape(plans):
        return [([s.heading for s in p.sections], [m.text for m in p.measures], sorted(x.name for x in p.parties))
                for p in plans]

    assert shape(extract(page)) == shape(extract(bare))
