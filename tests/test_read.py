"""Reading: encodings, HTML, DOCX, and clear errors for what cannot be read."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import docx
import opencc
import pytest

from extractor import ReadError, extract
from extractor.doc import clean_text
from extractor.normalise import normalise
from extractor.read import read_bytes, read_path

from .conftest import SEEDS, seed


def signature(plans) -> list:
    """What a plan says, without offsets (which differ between formats)."""
    return [
        (p.title, [(s.heading, s.level, s.role) for s in p.sections], [g.text for g in p.goals],
         [m.text for m in p.measures], [(t.when.text, t.activity) for t in p.schedule], [x.name for x in p.parties])
        for p in plans
    ]


def spans(plans) -> list:
    return [([tuple(s.source_span) for s in p.sections], [tuple(m.source_span) for m in p.measures],
             [tuple(g.source_span) for g in p.goals]) for p in plans]


def assert_spans_index(plans, text: str) -> None:
    norm = normalise(text)
    for p in plans:
        for item in [*p.sections, *p.goals, *p.measures]:
            a, b = item.source_span
            shown = item.heading if hasattr(item, "heading") else item.text
            assert clean_text(norm[a:b]) == shown


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_seed_reencoded_gives_the_same_plans(tmp_path: Path, path: Path, encoding: str) -> None:
    text = path.read_text(encoding="utf-8")
    reference = extract(path)
    other = _write(tmp_path, path.name, text.encode(encoding))
    src = read_path(other)
    assert src.text == text, f"{encoding} did not decode back to the same text (got {src.encoding})"
    plans = extract(other)
    assert signature(plans) == signature(reference)
    assert spans(plans) == spans(reference)
    assert extract(other)[0].id == plans[0].id  # same bytes, same ids


def _big5_safe(text: str) -> str:
    """The seed with the few characters Big5 cannot write replaced one for one."""
    s2t = opencc.OpenCC("s2t.json")
    out = []
    for ch in text:
        try:
            ch.encode("cp950")
            out.append(ch)
        except UnicodeEncodeError:
            alt = s2t.convert(ch)
            try:
                alt.encode("cp950")
                out.append(alt if len(alt) == 1 else "?")
            except UnicodeEncodeError:
                out.append(" " if ch.isspace() else "?")
    return "".join(out)


@pytest.mark.parametrize("prefix", ["002", "004"])
def test_traditional_seed_in_big5(tmp_path: Path, prefix: str) -> None:
    text = _big5_safe(seed(prefix).read_text(encoding="utf-8"))
    as_utf8 = extract(_write(tmp_path, "u.txt", text.encode("utf-8")))
    big5 = _write(tmp_path, "b.txt", text.encode("cp950"))
    src = read_path(big5)
    assert src.text == text
    assert src.encoding in ("big5", "cp950", "big5hkscs")
    plans = extract(big5)
    assert signature(plans) == signature(as_utf8)
    assert spans(plans) == spans(as_utf8)
    assert len(plans) == len(as_utf8) >= 4


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_as_html(tmp_path: Path, path: Path) -> None:
    import html as html_lib

    body = "\n".join(f"<p>{html_lib.escape(line.strip(' '))}</p>" for line in _lines(path))
    page = (f"<!DOCTYPE html><html><head><title>x</title><style>p {{color: red}}</style>"
            f"<script>var a = '一、不是正文';</script></head><body>{body}</body></html>")
    p = _write(tmp_path, "seed.html", page.encode("utf-8"))
    src = read_path(p)
    assert src.format == "html"
    assert "不是正文" not in src.text and "color" not in src.text
    plans = extract(p)
    reference = extract(_write(tmp_path, "seed.txt", "\n".join(l.strip(" ") for l in _lines(path)).encode()))
    assert signature(plans) == signature(reference)
    assert_spans_index(plans, src.text)  # in the HTML's own visible text


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_as_docx(tmp_path: Path, path: Path) -> None:
    document = docx.Document()
    lines = path.read_text(encoding="utf-8").split("\n")
    for line in lines:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    p = _write(tmp_path, "seed.docx", buf.getvalue())
    src = read_path(p)
    assert src.format == "docx"
    assert src.text == "\n".join(lines)
    plans = extract(p)
    reference = extract(path)
    assert signature(plans) == signature(reference)
    assert spans(plans) == spans(reference)


def test_docx_tables_are_read_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("一、具体安排")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "9月"
    table.cell(0, 1).text = "开学教研"
    table.cell(1, 0).text = "10月"
    table.cell(1, 1).text = "公开课展示"
    document.add_paragraph("二、保障措施")
    buf = io.BytesIO()
    document.save(buf)
    text = read_bytes(buf.getvalue(), "t.docx").text
    assert text.split("\n") == ["一、具体安排", "9月 | 开学教研", "10月 | 公开课展示", "二、保障措施"]


def test_utf16_without_bom(tmp_path: Path) -> None:
    text = seed("001").read_text(encoding="utf-8")
    p = _write(tmp_path, "x.txt", text.encode("utf-16-le"))
    assert read_path(p).text == text


def test_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.txt", codecs.BOM_UTF8 + "一、指导思想".encode())
    assert read_path(p).text == "一、指导思想"


@pytest.mark.parametrize(("data", "cause"), [
    (b"", "empty file"),
    (b"   \n\t  \n", "only whitespace"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
    (b"\x00\x01\x02\x03\xff\xfe\xfd" * 100, "binary"),
    (bytes(range(128, 256)) * 20, "cannot decode"),
])
def test_unreadable_files_raise_a_clear_error(tmp_path: Path, data: bytes, cause: str) -> None:
    p = _write(tmp_path, "bad.txt", data)
    with pytest.raises(ReadError) as err:
        extract(p)
    assert str(p) in str(err.value) and cause in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_path(tmp_path / "nope.txt")


def _cells(src) -> list[list[str]]:
    return [[src.text[c.start:c.end] for c in row] for t in src.tables for row in t.rows]


_CALENDAR_HTML = """<html><body><p>行事历</p><table><tbody>
<tr><th>周次</th><th>日期</th><th>工作内容</th><th>责任处室</th></tr>
<tr><td rowspan="3">第18周 （6.12-6.19）</td><td rowspan="2">6月13日</td><td><p>推优材料上报</p></td><td>党政办</td></tr>
<tr><td><p>1.疫情防控工作</p><p>2.迎接检查工作</p></td><td>安全处</td></tr>
<tr><td>6月14日</td><td>图书采购</td><td>总务处</td></tr>
</tbody></table><p>以上安排如有变化另行通知。</p></body></html>"""


def test_html_table_rows_are_lines_with_cell_spans() -> None:
    src = read_bytes(_CALENDAR_HTML.encode("utf-8"), "cal.html")
    assert src.text.split("\n") == ["行事历", "周次 | 日期 | 工作内容 | 责任处室",
                                     "第18周 （6.12-6.19） | 6月13日 | 推优材料上报 | 党政办",
                                     "1.疫情防控工作 2.迎接检查工作 | 安全处", "6月14日 | 图书采购 | 总务处",
                                     "以上安排如有变化另行通知。"]
    (table,) = src.tables
    assert [c.header for c in table.rows[0]] == [True] * 4
    assert [(c.rowspan, c.colspan) for c in table.rows[1]] == [(3, 1), (2, 1), (1, 1), (1, 1)]
    two = table.rows[2][0]
    assert [src.text[a:b] for a, b in two.parts] == ["1.疫情防控工作", "2.迎接检查工作"]
    assert _cells(src)[1] == ["第18周 （6.12-6.19）", "6月13日", "推优材料上报", "党政办"]


def test_docx_merged_cells_give_the_rows_of_the_html_form(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("行事历")
    t = document.add_table(rows=4, cols=4)
    for j, h in enumerate(["周次", "日期", "工作内容", "责任处室"]):
        t.cell(0, j).text = h
    t.cell(1, 0).merge(t.cell(3, 0)).text = "第18周 （6.12-6.19）"
    t.cell(1, 1).merge(t.cell(2, 1)).text = "6月13日"
    t.cell(1, 2).text, t.cell(1, 3).text = "推优材料上报", "党政办"
    c = t.cell(2, 2)
    c.text = "1.疫情防控工作"
    c.add_paragraph("2.迎接检查工作")
    t.cell(2, 3).text = "安全处"
    t.cell(3, 1).text, t.cell(3, 2).text, t.cell(3, 3).text = "6月14日", "图书采购", "总务处"
    document.add_paragraph("以上安排如有变化另行通知。")
    buf = io.BytesIO()
    document.save(buf)
    from_docx = read_bytes(buf.getvalue(), "cal.docx")
    from_html = read_bytes(_CALENDAR_HTML.encode("utf-8"), "cal.html")
    assert from_docx.text == from_html.text
    assert _cells(from_docx) == _cells(from_html)
    spans = [[(c.rowspan, c.colspan) for c in r] for r in from_docx.tables[0].rows]
    assert spans == [[(c.rowspan, c.colspan) for c in r] for r in from_html.tables[0].rows]


def test_layout_tables_are_read_as_blocks() -> None:
    page = ("<html><body><table><tr><td>首页</td><td><table><tr><td>9月</td><td>开学教研</td></tr></table>"
            "</td></tr></table></body></html>")
    src = read_bytes(page.encode("utf-8"), "p.html")
    assert src.text.split("\n") == ["首页", "9月 | 开学教研"]
    assert _cells(src) == [["9月", "开学教研"]]


def test_real_calendar_page_rows(corpus_dir: Path) -> None:
    src = read_path(corpus_dir / "0229.html")
    (table,) = src.tables
    assert len(table.rows) == 93
    assert "第18周 （6.12-6.19） | 6月13日 | 推优材料上报（春蚕奖、市防疫先进个人） | 党政办" in src.text.split("\n")


@pytest.mark.parametrize("depth", [300, 5000])
def test_deeply_nested_html_keeps_its_text(depth: int) -> None:
    page = "<html><body>" + "<div>" * depth + "深处的文字" + "</div>" * depth + "<p>后面</p></body></html>"
    assert read_bytes(page.encode("utf-8"), "deep.html").text.split("\n") == ["深处的文字", "后面"]


# ---- encodings: a file valid in its own encoding is never refused ---------------------------

_HK = "二〇二四至二五學年周年計劃\n一、關注事項：照顧學生多樣性…\n（一）推行「自主學習」，舉辦工作坊……\n二、嘅、咗、啲：校本用語\n"


@pytest.mark.parametrize("encoding", ["big5hkscs", "utf-16-le", "utf-16-be", "gb18030"])
def test_hong_kong_plan_with_hkscs_characters(tmp_path: Path, encoding: str) -> None:
    p = _write(tmp_path, "hk.txt", _HK.encode(encoding))
    src = read_path(p)
    assert src.text == _HK
    assert len(extract(p)[0].sections) >= 2


def test_big5_with_ellipsis_is_not_refused(tmp_path: Path) -> None:
    text = "學校周年計劃……\n一、目標：提升學與教效能…\n二、策略：推動電子學習……\n" * 3
    src = read_path(_write(tmp_path, "b.txt", text.encode("big5")))
    assert src.text == text and src.encoding in ("big5", "cp950", "big5hkscs")


def test_gb18030_rare_characters(tmp_path: Path) -> None:
    # four-byte characters (extension B, 䶮, 龴) and pinyin with tones: all valid GB18030
    text = "一、指导思想：𠀀𠂇䶮龴，拼音 lǚ xíng, ḿ\n二、工作目标：“双减”背景下的作业设计。\n"
    assert read_path(_write(tmp_path, "g.txt", text.encode("gb18030"))).text == text
    # what GB18030-2005 encoders write for 𠂇 and 龴 (two bytes, once private-use code points)
    legacy = "一、指导思想：".encode("gb18030") + b"\xfe\x51\xfe\x59" + "。\n二、工作目标。\n".encode("gb18030")
    assert read_path(_write(tmp_path, "g2.txt", legacy)).text == "一、指导思想：𠂇龴。\n二、工作目标。\n"


@pytest.mark.parametrize("other", ["gb18030", "big5"])
def test_mixed_encoding_file_is_read_line_by_line(tmp_path: Path, other: str) -> None:
    utf8 = ["一、指导思想", "坚持立德树人，促进教师专业发展。"]
    legacy = ["二、工作目標", "提升教師研修的實效。"] if other == "big5" else ["二、工作目标", "提升教师研修的实效。"]
    data = ("\n".join(utf8) + "\n").encode("utf-8") + ("\n".join(legacy) + "\n").encode(other)
    src = read_path(_write(tmp_path, "m.txt", data))
    assert src.text == "\n".join(utf8 + legacy) + "\n"
    assert src.encoding.startswith("mixed(")


def test_utf16_without_bom_of_text_with_kana_and_pinyin(tmp_path: Path) -> None:
    text = "一、研修主題：アクティブ・ラーニング（主动学习）\n二、拼音教学：ā á ǎ à\n" * 4
    for enc in ("utf-16-le", "utf-16-be"):
        assert read_path(_write(tmp_path, f"{enc}.txt", text.encode(enc))).text == text


def test_an_anchor_left_open_is_no_link_line(corpus_dir: Path) -> None:
    # 0252's contents are Word links (<a href="…#_Toc6220">) that the parser leaves open, so
    # that the whole plan after them lies inside an <a>: its headings and paragraphs are
    # content, not navigation
    src = read_path(corpus_dir / "0252.html")
    body = src.text.index("二、总体要求\n（一）指导思想")
    assert not any(a <= body < b for a, b in src.furniture)
    [plan] = extract(corpus_dir / "0252.html")
    headings = [s.heading for s in plan.sections]
    assert "二、总体要求" in headings and "(三)主要目标" in headings
    assert any(g.text.startswith("到2025年,总体实现教育现代化") for g in plan.goals)
    markup = "<p><a href='/a'>首页</a></p><p><a href='/b'>学校概况</a></p><p>正文</p>"
    nav = read_bytes(markup.encode(), "nav.html")
    assert [nav.text[a:b] for a, b in nav.furniture] == ["首页", "学校概况"]  # real links still are


def test_markup_left_in_plain_text_reads_as_the_page_shows_it(corpus_dir) -> None:
    # 0180 (a page's source saved as text): …新局面。</p><p>二、主要工作目标:</p><p>1、加强后勤…</p>
    from extractor import extract

    plan = extract(corpus_dir / "0180.txt")[0]
    assert ("二、主要工作目标:", "goals") in [(s.heading, s.role) for s in plan.sections]
    assert plan.goals[0].text.startswith("1、加强后勤人员队伍建设") and "<" not in plan.goals[0].text
    # offsets stay those of the file as found
    text = (corpus_dir / "0180.txt").read_text("utf-8")
    a, b = plan.goals[0].source_span
    assert text[a:b].startswith("1、加强后勤人员队伍建设")
    # the same markup set in full-width characters (＜／ｐ＞＜ｐ＞) reads the same
    wide = text.replace("<", "＜").replace(">", "＞").replace("/", "／").replace("p", "ｐ")
    assert [g.text for g in extract(wide)[0].goals][:3] == [g.text for g in plan.goals][:3]
