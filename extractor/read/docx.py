"""Text of a .docx: body paragraphs and table rows in document order (a row per line, cells
joined by ` | `, as the HTML reader renders them; the rows and cells are kept for the table stage).

Read with the zip and XML parsers directly (no python-docx at run time) so that limits are
ours: a cap on decompressed size against zip bombs, no DTDs, no entities, no network.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from ..errors import ReadError
from .builder import CellDraft, TextBuilder
from .source import Table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True)


def docx_to_text(data: bytes, path: str | None = None, max_unzipped: int = 200 * 2**20) -> str:
    return docx_to_text_and_tables(data, path, max_unzipped)[0]


def docx_to_text_and_tables(data: bytes, path: str | None = None,
                            max_unzipped: int = 200 * 2**20) -> tuple[str, tuple[Table, ...]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ReadError(path, f"not a valid .docx (zip) file: {e}") from e
    with archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError as e:
            raise ReadError(path, "not a .docx: word/document.xml is missing") from e
        if info.file_size > max_unzipped:
            raise ReadError(path, f"word/document.xml unzips to {info.file_size} bytes, over the "
                                  f"limit of {max_unzipped} (zip bomb?)")
        try:
            with archive.open(info) as fh:
                xml = fh.read(max_unzipped + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as e:  # RuntimeError: encrypted, unknown compression
            # a damaged deflate stream, a bad CRC, an encrypted or unknown compression
            raise ReadError(path, f"damaged .docx: word/document.xml cannot be unzipped ({e})") from e
        if len(xml) > max_unzipped:
            raise ReadError(path, f"word/document.xml unzips to over {max_unzipped} bytes (zip bomb?)")
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise ReadError(path, "word/document.xml declares a DTD or entities: refused (XXE)")
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as e:
        raise ReadError(path, f"word/document.xml is not well-formed XML: {e}") from e
    body = root.find(f"{_W}body")
    if body is None:
        raise ReadError(path, "word/document.xml has no body")
    out = TextBuilder()
    _blocks(body, out)
    return out.text(), tuple(out.tables)


_CONTAINERS = (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag")


def _blocks(parent: etree._Element, out: TextBuilder) -> None:
    for el in parent:
        if el.tag == f"{_W}p":
            for line in _paragraph(el).split("\n"):
                out.add_line(line, keep_blank=True)  # blank paragraphs are blank lines, as in a .txt
        elif el.tag == f"{_W}tbl":
            _table(el, out)
        elif el.tag in _CONTAINERS:
            _blocks(el, out)


def _table(tbl: etree._Element, out: TextBuilder) -> None:
    """Rows of a Word table; a vertically merged cell (vMerge) becomes one cell with a rowspan,
    as HTML writes it, so both forms of a table give the same rows."""
    rows: list[list[CellDraft]] = []
    top_of: dict[int, CellDraft] = {}  # grid column -> the open vMerge cell that starts there
    for tr in tbl.findall(f"{_W}tr"):
        row: list[CellDraft] = []
        col = _int_val(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
        for tc in tr.findall(f"{_W}tc"):
            span = _int_val(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1)
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val") != "restart" and col in top_of:
                top_of[col].rowspan += 1
            else:
                draft = CellDraft(colspan=span, parts=_cell_parts(tc))
                row.append(draft)
                if merge is not None:
                    top_of[col] = draft
                else:
                    top_of.pop(col, None)
            col += span
        rows.append(row)
    out.begin_table()
    for row in rows:
        out.add_row(row)
    out.end_table()


def _cell_parts(tc: etree._Element) -> list[str]:
    parts: list[str] = []
    for p in tc.iter(f"{_W}p"):
        parts.extend(t for t in (x.strip() for x in _paragraph(p).split("\n")) if t)
    return parts


def _int_val(el: etree._Element | None, default: int) -> int:
    try:
        return max(1, min(int(el.get(f"{_W}val")), 1000)) if el is not None else default
    except (TypeError, ValueError):
        return default


def _paragraph(p: etree._Element) -> str:
    out: list[str] = []
    for node in p.iter():
        tag = node.tag
        if tag == f"{_W}t" and node.text:
            out.append(node.text)
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
    return "".join(out)
