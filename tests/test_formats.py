"""Real archive formats: each seed written as a Word file with heading styles and automatic
numbering, as a PDF rendered from it, as a legacy .doc and .wps (LibreOffice), and every corpus
document in the regional encodings; each must give the plans of the text it was made from."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extractor import ReadError, extract
from extractor.normalise import normalise
from extractor.numbering import parse_marker
from extractor.read import detect_format, read_bytes, read_path
from extractor.read.docx import format_number

from .conftest import SEEDS, shared_corpus

docx = pytest.importorskip("docx")
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                   "apt-get install libreoffice-writer-nogui")


def plan_texts(plans) -> list:
    """What a plan says: its sections (heading, level), goals and measures, by their texts."""
    return [(p.title, [(s.heading, s.level) for s in p.sections], [g.text for g in p.goals],
             [m.text for m in p.measures]) for p in plans]


# ---- a seed as a Word document --------------------------------------------------------------

# numbering style of planx's grammar -> (Word's numFmt, the digits as they stand in the marker)
_WORD_FORMATS = {
    "一": ("chineseCounting", "[一二三四五六七八九十]+"), "(一)": ("chineseCounting", "[一二三四五六七八九十]+"),
    "一)": ("chineseCounting", "[一二三四五六七八九十]+"), "1.": ("decimal", r"\d+"), "1、": ("decimal", r"\d+"),
    "(1)": ("decimal", r"\d+"), "1)": ("decimal", r"\d+"), "①": ("decimalEnclosedCircle", "[①-⑳]"),
}
_HEADING_OF = {"一": 1, "(一)": 2, "一)": 2, "1.": 3, "1、": 3, "(1)": 4, "1)": 4, "①": 5}


def _auto_number(line: str) -> tuple[str, str, int, str] | None:
    """(lvlText, numFmt, value, the paragraph's own text) where Word numbering can show the
    line's marker exactly as written, else None."""
    m = parse_marker(normalise(line), 0)
    if m is None or m.style not in _WORD_FORMATS:
        return None
    fmt, digits = _WORD_FORMATS[m.style]
    marker = line[:m.end].rstrip()
    found = re.search(digits, marker)
    if not found or format_number(m.value, fmt) != found.group():
        return None
    template = marker[:found.start()] + "%1" + marker[found.end():]
    if "%" in template.replace("%1", ""):
        return None
    return template, fmt, m.value, line[len(marker):]


def seed_docx(text: str, header: str = "校本研修 · 内部资料") -> tuple[bytes, str]:
    """The text as Word would hold it: numbered lines as list paragraphs whose numbers Word
    counts (a fresh list with its start value wherever the text's numbers do not follow on),
    short numbered lines and the first line as headings and title, a running header and a
    page-number footer. Returns the .docx and the text its reader must give."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    lists: dict[tuple[str, str], tuple[int, int]] = {}  # (lvlText, numFmt) -> (numId, last value)
    defined: list[tuple[int, str, str, int]] = []  # numId (= its abstractNumId), lvlText, numFmt, start
    expected: list[str] = []
    titled = False
    for line in text.split("\n"):
        stripped = line.lstrip(" \u3000\t")
        auto = _auto_number(stripped) if stripped else None
        if auto is None:
            p = document.add_paragraph(line)
            if stripped and not titled:
                p.style = document.styles["Title"]
            titled = titled or bool(stripped)
            expected.append(line)
            continue
        template, fmt, value, own = auto
        key = (template, fmt)
        num_id, last = lists.get(key, (0, -1))
        if value != last + 1:  # a list of its own, that starts at the text's number
            num_id = 100 + len(defined)  # clear of the template's own lists
            defined.append((num_id, template, fmt, value))
        lists[key] = (num_id, value)
        p = document.add_paragraph(own)
        style = parse_marker(normalise(stripped), 0).style
        p.style = document.styles[f"Heading {_HEADING_OF[style]}" if len(stripped) <= 30 else "List Paragraph"]
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
        titled = True
        expected.append(stripped)
    # One list per run of numbers (a restart is a list of its own, not a startOverride: LibreOffice
    # keeps those through .doc), each list its own abstractNum; abstractNums stand before nums.
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for num_id, template, fmt, start in defined:
        add = numbering.append if first_num is None else first_num.addprevious
        add(parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:suff w:val="nothing"/>'
            f'<w:lvlText w:val="{template}"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'))
    for num_id, *_ in defined:
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue(), "\n".join(expected)


def convert(files: list[Path], to: str, outdir: Path) -> list[Path]:
    """LibreOffice headless: the files converted to `to` (pdf, doc) in one start."""
    profile = outdir / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", to, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=300)
    return [outdir / (f.stem + "." + to.split(":")[0]) for f in files]


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Each seed as .txt (the reference), .docx, and where LibreOffice is here .pdf, .doc, .wps."""
    root = tmp_path_factory.mktemp("seeds")
    files: dict[str, dict[str, Path]] = {}
    for seed in SEEDS:
        stem = seed.name[:3]
        data, expected = seed_docx(seed.read_text(encoding="utf-8"))
        (root / f"{stem}.docx").write_bytes(data)
        (root / f"{stem}.expected").write_text(expected, encoding="utf-8")
        files[stem] = {"txt": seed, "docx": root / f"{stem}.docx", "expected": root / f"{stem}.expected"}
    (root / "calendar.docx").write_bytes(calendar_docx())
    files["calendar"] = {"docx": root / "calendar.docx"}
    if SOFFICE:
        docxs = [f["docx"] for f in files.values()]
        for to in ("pdf", "doc"):
            for path in convert(docxs, to, root):
                files[path.stem][to] = path
        for stem, f in files.items():  # Kingsoft WPS writes Word's binary format under its own name
            if stem == "calendar":
                continue
            wps = root / f"{stem}.wps"
            shutil.copyfile(f["doc"], wps)
            f["wps"] = wps
    return files


STEMS = [p.name[:3] for p in SEEDS]


@pytest.mark.parametrize("stem", STEMS)
def test_seed_as_styled_numbered_docx(seed_files: dict, stem: str) -> None:
    f = seed_files[stem]
    src = read_path(f["docx"])
    assert src.format == "docx"
    assert src.text == f["expected"].read_text(encoding="utf-8")  # numbers rendered as the text has them
    assert "校本研修 · 内部资料" not in src.text  # the running header is not text
    kinds = {k for _, _, k in src.styles}
    assert "title" in kinds and kinds & {"heading1", "heading2", "heading3"}
    for a, b, kind in src.styles:
        assert src.text[a:b].strip() and kind in {f"heading{i}" for i in range(1, 10)} | {"title", "list"}
    assert plan_texts(extract(f["docx"])) == plan_texts(extract(f["txt"]))


def _no_private_use(x: object) -> object:
    """A private-use character has no glyph of its own: a PDF keeps whatever its font made of it."""
    import json

    return re.sub("[\ue000-\uf8ff]", "", json.dumps(x, ensure_ascii=False))


@needs_soffice
@pytest.mark.parametrize("stem", STEMS)
def test_seed_as_pdf(seed_files: dict, stem: str) -> None:
    f = seed_files[stem]
    src = read_path(f["pdf"])
    assert src.format == "pdf"
    assert "校本研修 · 内部资料" not in src.text  # the running header, on every page
    assert not any(re.fullmatch(r"\s*\d+\s*", line) for line in src.text.split("\n"))  # page numbers
    # the wrapped lines joined back: the PDF's paragraphs are the text's lines
    expected = [line.strip() for line in f["expected"].read_text(encoding="utf-8").split("\n") if line.strip()]
    assert len([line for line in src.text.split("\n") if line.strip()]) == len(expected)
    assert _no_private_use(plan_texts(extract(f["pdf"]))) == _no_private_use(plan_texts(extract(f["txt"])))


_CALENDAR = [["周次", "日期", "工作内容", "责任处室"],
             ["第18周 （6.12-6.19）", "6月13日", "推优材料上报", "党政办"],
             [None, None, "疫情防控工作", "安全处"],
             [None, "6月14日", "图书采购", "总务处"]]


def calendar_docx() -> bytes:
    """A ruled table with cells merged down (vMerge), between two paragraphs."""
    document = docx.Document()
    document.add_paragraph("一、行事历")
    t = document.add_table(rows=4, cols=4, style="Table Grid")
    for j, h in enumerate(_CALENDAR[0]):
        t.cell(0, j).text = h
    t.cell(1, 0).merge(t.cell(3, 0)).text = _CALENDAR[1][0]
    t.cell(1, 1).merge(t.cell(2, 1)).text = _CALENDAR[1][1]
    for i, row in enumerate(_CALENDAR[1:], start=1):
        for j, cell in enumerate(row):
            if cell is not None and (j >= 2 or i == 3):
                t.cell(i, j).text = cell
    document.add_paragraph("二、以上安排如有变化另行通知。")
    return _save(document)


@needs_soffice
def test_pdf_tables_keep_rows_and_merged_cells(seed_files: dict) -> None:
    from_docx = read_path(seed_files["calendar"]["docx"])
    from_pdf = read_path(seed_files["calendar"]["pdf"])
    assert from_pdf.text == from_docx.text
    assert from_pdf.text.split("\n")[0] == "一、行事历"
    (table,) = from_pdf.tables
    spans = [[(c.rowspan, c.colspan) for c in row] for row in table.rows]
    assert spans == [[(c.rowspan, c.colspan) for c in row] for row in from_docx.tables[0].rows]
    assert spans[1] == [(3, 1), (2, 1), (1, 1), (1, 1)]
    assert [[from_pdf.text[c.start:c.end] for c in row] for row in table.rows][1] == _CALENDAR[1]


# Each legacy file is a LibreOffice start (a few seconds): two seeds in the fast suite, all in `make slow`.
_LEGACY = [pytest.param(stem, fmt, marks=() if (stem, fmt) in {("001", "doc"), ("003", "doc"), ("001", "wps")}
                        else pytest.mark.slow) for stem in STEMS for fmt in ("doc", "wps")]


@needs_soffice
@pytest.mark.parametrize(("stem", "fmt"), _LEGACY)
def test_seed_as_legacy_word(seed_files: dict, stem: str, fmt: str) -> None:
    f = seed_files[stem]
    src = read_path(f[fmt])
    assert src.format == fmt
    assert plan_texts(extract(f[fmt])) == plan_texts(extract(f["txt"]))


# ---- Word: numbering, styles, text boxes, notes, furniture ------------------------------------

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml"')


def _add(document, xml: str) -> None:
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml.replace("<w:p>", f"<w:p {_NS}>", 1) if xml.startswith("<w:p>") else xml))


def _numbered(document, text: str, num: int, ilvl: int = 0) -> None:
    _add(document, f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
                   f'<w:r><w:t>{text}</w:t></w:r></w:p>')


def _lvl(ilvl: int, fmt: str, text: str, suff: str | None = None, restart: int | None = None) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            + (f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else "")
            + (f'<w:suff w:val="{suff}"/>' if suff else "") + f'<w:lvlText w:val="{text}"/></w:lvl>')


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_word_numbering_is_counted_as_word_counts_it() -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    add = numbering.append if first_num is None else first_num.addprevious
    add(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="200">'
                  + _lvl(0, "chineseCounting", "%1、", "nothing") + _lvl(1, "chineseCounting", "（%2）", "nothing")
                  + _lvl(2, "decimal", "%3.") + _lvl(3, "decimalEnclosedCircle", "%4", "space", restart=1)
                  + "</w:abstractNum>"))
    add(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="202">'
                  + _lvl(0, "chineseCounting", "第%1部分", "space") + "</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="200"><w:abstractNumId w:val="200"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="201"><w:abstractNumId w:val="200"/>'
                               '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="202"><w:abstractNumId w:val="202"/></w:num>'))
    # Heading 1 carries its own list: its paragraphs are numbered without a numPr of their own.
    document.styles["Heading 1"].element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="202"/></w:numPr>'))
    document.add_paragraph("总体要求", style="Heading 1")
    for text, num, ilvl in [("指导思想", 200, 0), ("目标", 200, 1), ("学习", 200, 2), ("研讨", 200, 2),
                            ("读书", 200, 3), ("措施", 200, 1), ("备课", 200, 2), ("听课", 200, 3),
                            ("保障", 200, 0), ("考核", 200, 3), ("附则", 201, 0), ("其他", 200, 0)]:
        _numbered(document, text, num, ilvl)
    document.add_paragraph("具体安排", style="Heading 1")
    p = document.add_paragraph("不编号的标题", style="Heading 1")
    p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="0"/></w:numPr>'))
    src = read_bytes(_save(document), "n.docx")
    assert src.text.split("\n") == [
        "第一部分 总体要求", "一、指导思想", "（一）目标", "1. 学习", "2. 研讨", "① 读书", "（二）措施", "1. 备课",
        "② 听课",  # lvlRestart 1: only a first-level paragraph restarts it
        "二、保障", "① 考核", "五、附则",  # startOverride: a list of its own, from 5
        "三、其他", "第二部分 具体安排", "不编号的标题"]
    assert [(src.text[a:b], k) for a, b, k in src.styles] == [
        ("第一部分 总体要求", "heading1"), ("第二部分 具体安排", "heading1"), ("不编号的标题", "heading1")]


@pytest.mark.parametrize(("n", "fmt", "shown"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (23, "chineseCounting", "二十三"), (105, "chineseCountingThousand", "一百零五"),
    (3, "chineseLegalSimplified", "叁"), (12, "ideographLegalTraditional", "壹拾貳"), (2, "ideographTraditional", "乙"),
    (3, "decimalEnclosedCircle", "③"), (4, "decimalEnclosedParen", "⑷"), (5, "decimalFullWidth", "５"),
    (4, "upperRoman", "IV"), (28, "lowerLetter", "bb"), (7, "decimalZero", "07"), (2019, "ideographDigital", "二〇一九"),
])
def test_number_formats(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_word_styles_are_recorded_by_kind() -> None:
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_paragraph("2024学年校本研修计划", style="Title")
    document.add_paragraph("一、指导思想", style="Heading 1")
    cn = document.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)  # as WPS names its styles
    document.add_paragraph("（一）学习", style=cn)
    outline = document.styles.add_style("小节", WD_STYLE_TYPE.PARAGRAPH)
    outline.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="2"/>'))
    document.add_paragraph("1.读书", style=outline)
    based = document.styles.add_style("我的标题", WD_STYLE_TYPE.PARAGRAPH)
    based.base_style = document.styles["Heading 4"]
    document.add_paragraph("（1）分享", style=based)
    document.add_paragraph("每月一次。", style="List Paragraph")
    document.add_paragraph("正文。")
    src = read_bytes(_save(document), "s.docx")
    assert [(src.text[a:b], k) for a, b, k in src.styles] == [
        ("2024学年校本研修计划", "title"), ("一、指导思想", "heading1"), ("（一）学习", "heading2"),
        ("1.读书", "heading3"), ("（1）分享", "heading4"), ("每月一次。", "list")]


def test_word_text_boxes_notes_and_furniture() -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "页眉：某某小学"
    section.footer.paragraphs[0].text = "页脚"
    box = '<w:txbxContent><w:p><w:r><w:t>框内：每周三教研</w:t></w:r></w:p></w:txbxContent>'
    _add(document, '<w:p><w:r><w:t>三、活动安排</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
                   f'<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>'
                   '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>'
                   f'<v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
                   '<w:r><w:t>（见右框）</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>')
    _add(document, '<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删除的</w:delText></w:r></w:del>'
                   '<w:ins><w:r><w:t>新增的</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'
                   '<w:r><w:t>文字，第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                   '<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                   '<w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r>'
                   '<w:hyperlink><w:r><w:t>（链接）</w:t></w:r></w:hyperlink></w:p>')
    # A table of contents (a field over several paragraphs) repeats the headings: dropped.
    _add(document, '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>TOC \\o "1-3"</w:instrText>'
                   '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>三、活动安排</w:t></w:r>'
                   '<w:r><w:tab/><w:t>1</w:t></w:r></w:p>')
    _add(document, '<w:p><w:r><w:t>四、保障措施</w:t></w:r><w:r><w:tab/><w:t>2</w:t></w:r>'
                   '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    document.add_paragraph("四、保障措施")
    notes = (f'<w:footnotes {_NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
             '<w:r><w:t>注：时间如有调整另行通知。</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    src = read_bytes(_save(document), "t.docx")
    assert [line for line in src.text.split("\n") if line] == [
        "三、活动安排（见右框）", "框内：每周三教研", "注：时间如有调整另行通知。", "保留新增的文字，第页（链接）", "四、保障措施"]


def test_docx_limits_hold_before_python_docx_reads(tmp_path: Path) -> None:
    import zipfile

    document = docx.Document()
    document.add_paragraph("一、指导思想")
    data = _save(document)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr("word/media/huge.bin", b"\0" * (8 * 2**20))  # 8 MiB of zeros: ratio over 200
    with pytest.raises(ReadError, match="zip bomb"):
        read_bytes(buf.getvalue(), "bomb.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/styles.xml":  # XXE in a part other than the document
                body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + body[body.index(b"?>") + 2:]
            out.writestr(info, body)
    with pytest.raises(ReadError, match="DTD or entities"):
        read_bytes(buf.getvalue(), "xxe.docx")


# ---- PDF --------------------------------------------------------------------------------------

def _scan_pdf() -> bytes:
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(page)
    for y in range(100, 1000, 40):  # lines of "text" as a scanner sees them: pixels only
        draw.rectangle([80, y, 770, y + 18], fill="black")
    buf = io.BytesIO()
    page.save(buf, "PDF", resolution=100)
    return buf.getvalue()


def test_scanned_pdf_is_an_error_that_says_ocr(tmp_path: Path) -> None:
    from extractor.ingest.worker import extract_bytes

    p = tmp_path / "scan.pdf"
    p.write_bytes(_scan_pdf())
    with pytest.raises(ReadError) as err:
        extract(p)
    assert str(p) in str(err.value) and "no text layer: needs OCR" in str(err.value)
    record = extract_bytes("scan.pdf", p.read_bytes())
    assert not record.get("plans") and record["error"]["stage"] == "read"
    assert "no text layer: needs OCR" in record["error"]["cause"]


@pytest.mark.parametrize(("data", "cause"), [
    (b"%PDF-1.4\n1 0 obj garbage", "not a valid PDF"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 40, "not a valid PDF"),
])
def test_damaged_pdf_is_an_error(data: bytes, cause: str) -> None:
    with pytest.raises(ReadError, match=cause):
        read_bytes(data, "bad.pdf")


def test_formats_by_extension_and_magic() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert detect_format("a.pdf", b"%PDF-1.4") == "pdf"
    assert detect_format("a.txt", b"%PDF-1.4\n") == "pdf"  # the bytes win over a wrong name
    assert detect_format(None, ole) == "doc"
    assert detect_format("a.wps", ole) == "wps"
    assert detect_format("a.doc", ole) == "doc"
    assert detect_format("a.docx", b"PK\x03\x04") == "docx"


def test_missing_converter_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import extractor.read.legacy as legacy

    monkeypatch.setattr(legacy.shutil, "which", lambda _name: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    for name in ("old.doc", "old.wps"):
        with pytest.raises(ReadError) as err:
            read_bytes(ole, name)
        assert name in str(err.value) and "apt-get install libreoffice-writer-nogui" in str(err.value)


@needs_soffice
@pytest.mark.parametrize(("tail", "cause"), [
    (bytes(range(256)) * 8, "no Word document stream"),
    ("WordDocument".encode("utf-16-le") + bytes(range(256)) * 8, r"LibreOffice cannot read this \.doc"),
])
def test_damaged_doc_is_an_error(tail: bytes, cause: str) -> None:
    with pytest.raises(ReadError, match=cause):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + tail, "broken.doc")


# ---- archives and `planx show` --------------------------------------------------------------

def test_zip_of_every_format_is_ingested(seed_files: dict, tmp_path: Path) -> None:
    import json
    import zipfile

    from extractor.ingest import ingest

    f = seed_files["001"]
    archive = tmp_path / "in" / "plans.zip"
    archive.parent.mkdir()
    names = {"docx": "a/计划.docx", "pdf": "a/计划.pdf", "doc": "b/计划.doc", "wps": "b/计划.wps", "txt": "计划.txt"}
    with zipfile.ZipFile(archive, "w") as z:
        for fmt, name in names.items():
            if fmt in f:
                z.write(f[fmt], name)
        z.writestr("scan.pdf", _scan_pdf())
    summary = ingest([str(archive)], tmp_path / "out", workers=1, progress=False)
    plans = [json.loads(x) for x in (tmp_path / "out" / "plans.jsonl").read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_format = {p["source"]["format"] for p in plans}
    assert {k for k in names if k in f} <= by_format
    assert [e["file"] for e in errors] == [f"{archive}!scan.pdf"]
    assert "no text layer: needs OCR" in errors[0]["cause"]
    assert summary.errors == 1
    from extractor.show import write_show

    for fmt in ("pdf", "doc"):  # `planx show` on an archive's entry of each format
        if fmt in f:
            page = write_show(archive, tmp_path / f"{fmt}.html", entry=names[fmt]).read_text(encoding="utf-8")
            assert "百家湖中学" in page


@pytest.mark.parametrize("fmt", ["docx", "pdf", "doc"])
def test_show_works_on_every_format(seed_files: dict, tmp_path: Path, fmt: str) -> None:
    from extractor.show import write_show

    f = seed_files["003"]
    if fmt not in f:
        pytest.skip(f"no .{fmt} here: LibreOffice (soffice) is not installed")
    page = write_show(f[fmt], tmp_path / "show.html").read_text(encoding="utf-8")
    assert "全面深化新时代校本教研工作实施方案" in page and "planx-items" in page


# ---- encodings: every corpus document in every encoding that can write it ----------------

def _encodings(text: str) -> list[tuple[str, bytes]]:
    import codecs

    out = [("gb18030", text.encode("gb18030")), ("utf-16", text.encode("utf-16")),
           ("utf-16-le", text.encode("utf-16-le")), ("utf-16-be", text.encode("utf-16-be")),
           ("utf-16-be+bom", codecs.BOM_UTF16_BE + text.encode("utf-16-be"))]
    for enc in ("big5", "cp950", "big5hkscs"):
        try:
            out.append((enc, text.encode(enc)))
        except UnicodeEncodeError:
            pass  # not representable: a character Big5 has not
    return out


def test_corpus_in_every_encoding_decodes_to_the_same_text() -> None:
    from extractor.read.txt import decode_text

    docs = shared_corpus()
    assert docs
    tried = 0
    for path in docs:
        text = path.read_text(encoding="utf-8")
        for enc, data in _encodings(text):
            got, used = decode_text(data, f"{path.name} as {enc}")
            assert got == text, f"{path.name} in {enc} was read as {used}"
            tried += 1
    assert tried >= 5 * len(docs)


def _plans_by_encoding(paths: list[Path], tmp_path: Path) -> None:
    for path in paths:
        text = path.read_text(encoding="utf-8")
        reference = plan_texts(extract(path))
        for enc, data in _encodings(text):
            other = tmp_path / f"{path.stem}.{enc}.txt"
            other.write_bytes(data)
            assert plan_texts(extract(other)) == reference, f"{path.name} in {enc}"


def test_every_corpus_document_gives_the_same_plans_in_every_encoding(tmp_path: Path) -> None:
    _plans_by_encoding(shared_corpus(), tmp_path)


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed: apt-get install antiword")
def test_doc_falls_back_to_antiword(seed_files: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    import extractor.read.legacy as legacy

    f = seed_files["001"]
    if "doc" not in f:
        pytest.skip("no .doc here: LibreOffice (soffice) is not installed to write one")
    which = shutil.which
    monkeypatch.setattr(legacy.shutil, "which", lambda name: None if name in ("soffice", "libreoffice") else which(name))
    src = read_path(f["doc"])
    lines = src.text.split("\n")
    assert src.format == "doc" and "指导思想" in lines and all(line.strip() for line in lines)
    assert len(extract(f["doc"])[0].sections) >= 3
