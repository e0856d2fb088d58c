"""Visible text of an HTML page: block elements become lines; scripts, styles and frames are
dropped. A data table (one with no table inside it) is rendered a row per line, its cells
joined by ` | `, and its rows and cells (rowspan, colspan, <th>) are kept for the table
stage; a table that holds other tables is page layout, and its cells are read as blocks."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from ..errors import ReadError
from .builder import CellDraft, TextBuilder
from .source import Table

_DROP = {"script", "style", "noscript", "iframe", "frame", "frameset", "template", "head", "object",
         "embed", "svg", "canvas", "select", "option", "button", "input", "textarea", "meta", "link"}
_BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol", "li",
          "table", "thead", "tbody", "tfoot", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
          "blockquote", "dl", "dt", "dd", "figure", "figcaption", "form", "fieldset", "address",
          "hr", "body", "html", "center", "caption"}
_CELL = {"td", "th"}
_SECTIONS = {"thead", "tbody", "tfoot"}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_INT = re.compile(r"\s*(\d+)")
MAX_DEPTH = 400  # deeper than this, an element's text is read flat (no recursion past it)
MAX_SPAN = 1000  # rowspan/colspan beyond this are treated as this (a hostile page can say 10**9)


def _tag(el: etree._Element) -> str | None:
    return el.tag.lower().split("}")[-1] if isinstance(el.tag, str) else None


def _span_attr(el: etree._Element, name: str) -> int:
    m = _INT.match(el.get(name) or el.get(name.lower()) or "")
    return min(max(int(m.group(1)), 1), MAX_SPAN) if m else 1


class _Inline:
    """Collects inline text into lines (or, inside a cell, into the cell's paragraphs)."""

    def __init__(self) -> None:
        self.current: list[str] = []
        self.link_chars = 0  # characters of the current line inside <a>

    def add(self, text: str | None, in_link: bool = False) -> None:
        if text:
            collapsed = _SPACES.sub(" ", text)
            if self.current and self.current[-1].endswith(" ") and collapsed.startswith(" "):
                collapsed = collapsed[1:]
            self.current.append(collapsed)
            if in_link:
                self.link_chars += len(collapsed.replace(" ", ""))

    def take(self) -> str:
        line = "".join(self.current).strip(" ").rstrip()
        self.current.clear()
        return line


@dataclass(frozen=True)
class Page:
    text: str
    tables: tuple[Table, ...]
    furniture: tuple[tuple[int, int], ...]  # lines that are only link text
    title_span: tuple[int, int] | None  # the line that repeats the page's <title>


def html_to_text(markup: str, path: str | None = None) -> str:
    return read_page(markup, path).text


def read_page(markup: str, path: str | None = None) -> Page:
    markup = _XML_DECL.sub("", markup)
    if not markup.strip():
        raise ReadError(path, "empty HTML document")
    try:
        # huge_tree: libxml2 otherwise drops what lies deeper than 256 elements, without a word;
        # past 2048 it still does, and says so in the error log (then the page is read flat)
        parser = lxml.html.HTMLParser(huge_tree=True)  # one per page: a parser is not thread-safe
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise ReadError(path, f"cannot parse HTML: {e}") from e
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        return Page(_flat_text(markup), (), (), None)  # nested past libxml2's limit: read flat
    out = TextBuilder()
    inline = _Inline()

    def flush() -> None:
        links, inline.link_chars = inline.link_chars, 0
        out.add_line(inline.take(), link_chars=links)

    def walk(el: etree._Element, in_link: bool = False, depth: int = 0) -> None:
        tag = _tag(el)
        if tag is None:  # comments, processing instructions
            inline.add(el.tail, in_link)
            return
        if depth > MAX_DEPTH:
            if tag not in _DROP:
                inline.add(el.text_content(), in_link)
            inline.add(el.tail, in_link)
            return
        if tag in _DROP:
            inline.add(el.tail, in_link)
            return
        if tag == "br":
            flush()
            inline.add(el.tail, in_link)
            return
        if tag == "table" and not any(True for _ in el.iterdescendants("table")):
            flush()
            data_table(el)
            inline.add(el.tail, in_link)
            return
        if tag in _BLOCK or tag in _CELL:
            flush()
        inside = in_link or (tag == "a" and el.get("href") is not None and not _swallows_text(el))
        inline.add(el.text, inside)
        for child in el:
            walk(child, inside, depth + 1)
        if tag in _BLOCK or tag in _CELL:
            flush()
        inline.add(el.tail, in_link)

    def data_table(table: etree._Element) -> None:
        out.begin_table()

        def rows_of(el: etree._Element) -> None:
            for child in el:
                tag = _tag(child)
                if tag == "tr":
                    out.add_row([cell(td) for td in child if _tag(td) in _CELL])
                elif tag in _SECTIONS:
                    rows_of(child)
                elif tag is not None and tag not in _DROP:
                    # a caption or stray content: its own line, outside the rows
                    walk(child)
                    flush()

        rows_of(table)
        out.end_table()

    def cell(td: etree._Element) -> CellDraft:
        draft = CellDraft(rowspan=_span_attr(td, "rowspan"), colspan=_span_attr(td, "colspan"),
                          header=_tag(td) == "th")
        parts = _Inline()

        def part_break() -> None:
            text = parts.take().strip()
            if text:
                draft.parts.append(text)

        def walk_cell(el: etree._Element, top: bool = False) -> None:
            tag = _tag(el)
            if tag is None or tag in _DROP:
                if not top:
                    parts.add(el.tail)
                return
            if tag == "br":
                part_break()
            else:
                if tag in _BLOCK:
                    part_break()
                parts.add(el.text)
                for child in el:
                    walk_cell(child)
                if tag in _BLOCK:
                    part_break()
            if not top:
                parts.add(el.tail)

        walk_cell(td, top=True)
        part_break()
        return draft

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return Page(out.text(), tuple(out.tables), tuple(out.furniture), _title_line(root, out))


_DROPPED_ELEMENTS = re.compile(r"<(script|style|noscript|template|head)\b.*?</\1\s*>", re.I | re.S)
_BREAKS = re.compile(r"<(?:br|/?(?:" + "|".join(sorted(_BLOCK | _CELL)) + r"))\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>|<!--.*?-->", re.S)


def _swallows_text(a: etree._Element) -> bool:
    """An <a> left open (Word's TOC links) that the parser made the parent of the paragraphs
    after it: its text is the page's content, not a link's."""
    return any(_tag(d) in _BLOCK for d in a.iterdescendants()) and len(a.text_content()) > _LINK_MAX


_LINK_MAX = 200  # characters: no navigation link is this long


def _flat_text(markup: str) -> str:
    """The visible text of markup too deep for the parser: tags dropped, blocks as lines."""
    text = _BREAKS.sub("\n", _DROPPED_ELEMENTS.sub("", markup))
    text = html_lib.unescape(_TAGS.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


_TITLE_PARTS = re.compile(r"\s*(?:--|——|—|_|\||｜)\s*(?!\d)|\s+-\s+")


def _title_line(root: etree._Element, out: TextBuilder) -> tuple[int, int] | None:
    """<title> is often `article -- column - site`: the longest part that is a line of the page."""
    el = root.find(".//title")
    title = (el.text_content() if el is not None else "").strip()
    parts = sorted((p for p in _TITLE_PARTS.split(title) if len(p) >= 4), key=len, reverse=True)
    for part in parts:
        span = out.line_span(_SPACES.sub(" ", part))
        if span:
            return span
    return None
