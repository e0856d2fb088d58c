"""Text of a .docx: body paragraphs and table rows in document order.

Read with the zip and XML parsers directly (no python-docx at run time) so that limits are
ours: a cap on decompressed size against zip bombs, no DTDs, no entities, no network.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from ..errors import ReadError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True)


def docx_to_text(data: bytes, path: str | None = None, max_unzipped: int = 200 * 2**20) -> str:
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
        with archive.open(info) as fh:
            xml = fh.read(max_unzipped + 1)
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
    lines: list[str] = []
    _blocks(body, lines)
    return "\n".join(lines)


def _blocks(parent: etree._Element, lines: list[str]) -> None:
    for el in parent:
        if el.tag == f"{_W}p":
            lines.append(_paragraph(el))
        elif el.tag == f"{_W}tbl":
            for row in el.findall(f"{_W}tr"):
                cells = []
                for cell in row.findall(f"{_W}tc"):
                    inner: list[str] = []
                    _blocks(cell, inner)
                    cells.append("\n".join(t for t in inner if t.strip()))
                lines.append(" | ".join(cells) + " |")
        elif el.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            _blocks(el, lines)


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
