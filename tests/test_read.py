"""Reading: encodings, HTML, DOCX, and clear errors for what cannot be read."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import docx
import opencc
import pytest

from extractor import ReadError, extract
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
            assert " ".join(norm[a:b].split()) == shown


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
    assert text.split("\n") == ["一、具体安排", "9月 | 开学教研 |", "10月 | 公开课展示 |", "二、保障措施"]


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
