"""The text a reader renders, line by line, with the tables it meets: a table row becomes one
line whose cells are joined by ` | ` (a cell's own paragraphs by a space), and the reader
keeps every cell's span, so that the table stage gets the structure and spans stay exact."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .source import Cell, Table

CELL_SEPARATOR = " | "
_LINK_SEPARATORS = re.compile(r"[\s|｜/·•、\-–—>»]+")  # what stands between a menu's links


@dataclass
class CellDraft:
    parts: list[str] = field(default_factory=list)  # the cell's paragraphs, each stripped, non-empty
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


class TextBuilder:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.length = 0  # length of "\n".join(self.lines)
        self.tables: list[Table] = []
        self.furniture: list[tuple[int, int]] = []  # spans of lines that are only link text
        self._rows: list[tuple[Cell, ...]] | None = None
        self._table_start = 0

    def _next_start(self) -> int:
        return self.length + 1 if self.lines else 0

    def add_line(self, line: str, keep_blank: bool = False, link_chars: int = 0) -> None:
        if not line and not keep_blank:
            return
        start = self._next_start()
        self.lines.append(line)
        self.length = start + len(line)
        # only link text, the separators between the links aside (网站地图 | 联系我们)
        if link_chars and link_chars >= 0.9 * len(_LINK_SEPARATORS.sub("", line)):
            self.furniture.append((start, self.length))

    def line_span(self, text: str) -> tuple[int, int] | None:
        """The span of the first line equal to `text` (or starting with it, a few characters more)
        that is not a link (the site's navigation repeats column names)."""
        pos, links = 0, set(self.furniture)
        for line in self.lines:
            span = (pos, pos + len(line))
            if (line == text or (line.startswith(text) and len(line) - len(text) <= 4)) and span not in links:
                return span
            pos += len(line) + 1
        return None

    def begin_table(self) -> None:
        self._rows = []
        self._table_start = self._next_start()

    def add_row(self, cells: list[CellDraft]) -> None:
        """One line for the row (nothing for a row with no text); every cell keeps its span."""
        assert self._rows is not None, "add_row outside a table"
        start = self._next_start()
        pieces: list[str] = []
        pos = start
        out: list[Cell] = []
        for c in cells:
            if not c.parts:
                out.append(Cell(pos, pos, c.rowspan, c.colspan, c.header, ()))
                continue
            if pieces:
                pieces.append(CELL_SEPARATOR)
                pos += len(CELL_SEPARATOR)
            cell_start, spans = pos, []
            for k, part in enumerate(c.parts):
                if k:
                    pieces.append(" ")
                    pos += 1
                spans.append((pos, pos + len(part)))
                pieces.append(part)
                pos += len(part)
            out.append(Cell(cell_start, pos, c.rowspan, c.colspan, c.header, tuple(spans)))
        if pieces:
            self.add_line("".join(pieces))
        self._rows.append(tuple(out))

    def end_table(self) -> None:
        rows, self._rows = self._rows or [], None
        if any(c.end > c.start for r in rows for c in r):
            self.tables.append(Table(self._table_start, self.length, tuple(rows)))

    def text(self) -> str:
        return "\n".join(self.lines)
