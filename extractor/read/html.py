"""Visible text of an HTML page: block elements become lines, table cells are joined with
` | ` (as the corpus's flattened tables are), scripts, styles and frames are dropped."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..errors import ReadError

_DROP = {"script", "style", "noscript", "iframe", "frame", "frameset", "template", "head", "object",
         "embed", "svg", "canvas", "select", "option", "button", "input", "textarea", "meta", "link"}
_BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol", "li",
          "table", "thead", "tbody", "tfoot", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
          "blockquote", "dl", "dt", "dd", "figure", "figcaption", "form", "fieldset", "address",
          "hr", "body", "html", "center"}
_CELL = {"td", "th"}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def html_to_text(markup: str, path: str | None = None) -> str:
    markup = _XML_DECL.sub("", markup)
    if not markup.strip():
        raise ReadError(path, "empty HTML document")
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as e:
        raise ReadError(path, f"cannot parse HTML: {e}") from e
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = "".join(current).strip(" ")
        current.clear()
        if line:
            lines.append(line)

    def inline(text: str | None) -> None:
        if text:
            collapsed = _SPACES.sub(" ", text)
            if current and current[-1].endswith(" ") and collapsed.startswith(" "):
                collapsed = collapsed[1:]
            current.append(collapsed)

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comments, processing instructions
            inline(el.tail)
            return
        tag = tag.lower().split("}")[-1]
        if tag in _DROP:
            inline(el.tail)
            return
        if tag == "br":
            flush()
            inline(el.tail)
            return
        if tag in _BLOCK:
            flush()
        inline(el.text)
        for child in el:
            walk(child)
        if tag in _CELL:
            current.append(" | ")
        elif tag in _BLOCK:
            flush()
        inline(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return "\n".join(line.rstrip() for line in lines)
