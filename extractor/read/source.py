"""The Source: the text every `source_span` indexes, where it came from, and the tables the
reader saw in it (rows and cells with their spans, so later stages keep the structure)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell as the file gives it. `start == end` for an empty cell (it has no text)."""

    start: int
    end: int
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # a <th>, or a cell the file marks as a header
    parts: tuple[tuple[int, int], ...] = ()  # the cell's own paragraphs, in order


@dataclass(frozen=True, slots=True)
class Table:
    """A table of the file: each row is one line of the text, its cells joined by ` | `."""

    start: int
    end: int
    rows: tuple[tuple[Cell, ...], ...]
    origin: str = "markup"  # markup (an HTML/DOCX table) | text (found in plain text)


@dataclass(frozen=True)
class Source:
    text: str
    path: str | None
    sha256: str
    format: str  # txt | html | docx | pdf | doc | wps | text
    encoding: str | None
    tables: tuple[Table, ...] = ()
    # What the markup says about the text: lines that are only link text (a page's navigation,
    # "recommended" lists) and the line that repeats the page's <title> (the article's title).
    furniture: tuple[tuple[int, int], ...] = ()
    title_span: tuple[int, int] | None = None
    # (start, end, style) of each paragraph whose style the file names (DOCX, and .doc/.wps read
    # through it): heading1 … heading9, title or list; a feature for the section stage.
    styles: tuple[tuple[int, int, str], ...] = ()

    @classmethod
    def from_text(cls, text: str, path: str | None = None) -> Source:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(text=text, path=path, sha256=digest, format="text", encoding=None)
