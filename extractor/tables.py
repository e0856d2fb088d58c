"""Stage tables: the document's tables as structure, and their column roles.

Tables come from the reader (HTML <table>, Word tables: rows and cells with rowspan and
colspan) or are found in plain text (rows flattened with ` | `, `¦` or tabs). Each table is
laid on a grid (a cell covers the rows and columns it spans), its header rows are found and
each column gets a role from its header (resources/table_columns.tsv, with fuzzy matching
for variants) or, without a header, from what its cells hold (a column of times, of offices).

A table with an activity column and a time or responsible column is a schedule table: its
rows are no sections and no loose items (their blocks get kind "table"); the schedule stage
turns each row into schedule items with the row's time and parties (`rows`).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from . import startup
from .doc import Doc
from .normalise import fold_width, is_cjk, to_simplified
from .parties import canonical_name, find_parties
from .records import TimeExpr
from .segment import fills_wrap
from .timex import parse_time

ROLES = ("time", "activity", "responsible", "goal", "evaluation", "other")
_FUZZY_MIN = 85
_HEADER_CELL_MAX = 14  # characters of a header cell's Chinese part
_TEXT_SEPARATORS = re.compile(r" \| | ¦ |\t+")
_NON_CJK = re.compile(r"[^\u4e00-\u9fff]+")


@dataclass(slots=True)
class TableCell:
    start: int
    end: int
    parts: tuple[tuple[int, int], ...]
    row: int
    col: int  # first grid column
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    wrapped: bool = False  # a text cell whose parts are the lines of one wrapped text


@dataclass
class DocTable:
    start: int
    end: int
    rows: list[list[TableCell]]  # the cells each row holds itself
    grid: list[list[TableCell | None]]  # grid[r][c]: the cell covering row r, column c
    origin: str  # markup | text
    header_rows: int = 0
    roles: list[str] = field(default_factory=list)  # per grid column

    @property
    def n_cols(self) -> int:
        return len(self.roles)

    def columns(self, role: str) -> list[int]:
        return [c for c, r in enumerate(self.roles) if r == role]

    @property
    def is_schedule(self) -> bool:
        return "activity" in self.roles and ("time" in self.roles or "responsible" in self.roles)

    def row_span(self, r: int) -> tuple[int, int] | None:
        cells = [c for c in self.rows[r] if c.end > c.start]
        return (cells[0].start, cells[-1].end) if cells else None


@lru_cache(maxsize=1)
def column_lexicon() -> dict[str, str]:
    words: dict[str, str] = {}
    text = startup.resource_text("table_columns.tsv")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            role, terms = line.split("\t")
            for t in terms.split(","):
                words.setdefault(t.strip(), role)
    return words


@lru_cache(maxsize=4096)  # a pure function of a short cell; tables repeat their headers (OpenCC costs most)
def header_role(text: str, exact: bool = False) -> str | None:
    """The role a header cell names (`完成时间` → time, `目標 Targets` → goal); `exact`: only
    where its words are a header word themselves (no word inside it, no variant)."""
    core = _NON_CJK.sub("", to_simplified(fold_width(text)))
    if not core or len(core) > _HEADER_CELL_MAX:
        return None
    lex = column_lexicon()
    if core in lex:
        return lex[core]
    if exact:
        return None
    best = max((w for w in lex if len(w) >= 2 and w in core), key=len, default=None)
    if best is not None:
        return lex[best]
    from rapidfuzz import fuzz, process  # here: ~10 ms to import, and documents without tables never get here

    hit = process.extractOne(core, list(lex), scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN)
    return lex[hit[0]] if hit else None


def find_tables(doc: Doc) -> Doc:
    tables = [_from_markup(doc, t) for t in doc.source.tables]
    covered = [(t.start, t.end) for t in tables]
    tables += [t for t in _text_tables(doc) if not any(a <= t.start < b for a, b in covered)]
    covered = [(t.start, t.end) for t in tables]
    tables += [t for t in _line_tables(doc) if not any(a < t.end and t.start < b for a, b in covered)]
    covered = [(t.start, t.end) for t in tables]
    tables += [t for t in _spaced_row_tables(doc) if not any(a < t.end and t.start < b for a, b in covered)]
    covered = [(t.start, t.end) for t in tables]
    tables += [t for t in _value_tables(doc) if not any(a < t.end and t.start < b for a, b in covered)]
    tables.sort(key=lambda t: t.start)
    for t in tables:
        _assign_roles(doc, t)
    doc.tables = tables
    _mark_blocks(doc)
    return doc


def _from_markup(doc: Doc, table) -> DocTable:
    rows = [[TableCell(c.start, c.end, c.parts, r, 0, c.rowspan, c.colspan, c.header) for c in row]
            for r, row in enumerate(table.rows)]
    return _lay_out(table.start, table.end, rows, "markup")


def _lay_out(start: int, end: int, rows: list[list[TableCell]], origin: str) -> DocTable:
    """Place every cell on the grid: a rowspan cell covers the rows below it, which is how a
    calendar's day or week cell dates the rows it spans."""
    n = len(rows)
    occupied: list[dict[int, TableCell]] = [{} for _ in range(n)]
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while c in occupied[r]:
                c += 1
            cell.col = c
            cell.rowspan = min(cell.rowspan, n - r)
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    occupied[rr].setdefault(cc, cell)
            c += cell.colspan
        width = max(width, c, max(occupied[r], default=-1) + 1)
    grid = [[occupied[r].get(c) for c in range(width)] for r in range(n)]
    return DocTable(start, end, rows, grid, origin, roles=["other"] * width)


def _text_tables(doc: Doc) -> list[DocTable]:
    """Runs of two or more lines whose cells are separated by ` | `, ` ¦ ` or tabs. A short
    row (fewer cells than the header) is aligned to the right: its first cells are the ones
    the row above spans (a calendar's date cell), as a flattened rowspan reads."""
    norm = doc.norm
    out = _aligned_tables(doc) if "  " in norm else []
    if " | " not in norm and " ¦ " not in norm and "\t" not in norm:
        return out
    run: list[list[TableCell]] = []
    lines, pos = [], 0
    for line in norm.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    # segment found them: the characters or the columns a text was wrapped at
    chars, width = doc.memo.get("char_wrap"), doc.memo.get("wrap_width") or None

    def full(line: tuple[int, int]) -> bool:
        return fills_wrap(norm, *line, chars, width)

    k = 0
    while k < len(lines):
        a, b = lines[k]
        k += 1
        cells = _split_cells(norm, a, b)
        if (chars or width) and full((a, b)) and (run or len(cells) >= 2):
            header = not run and _is_header(norm, cells)
            # a row the text was hard-wrapped in: its lines while they fill the width, as long as
            # they add no more cells than the header has; a header's lines up to the first row's date
            # or number (日期（星期） | 重点事项 | 负责部门 may fill the width and be whole); another first
            # row's up to a line that is a row itself (周次 星期 | 日 | … | 内  容 / 预备周 | 1/30 | 31 | …)
            segs = [(a, b)]
            while k < len(lines) and full(segs[-1]) and lines[k][1] > lines[k][0]:
                joined = _split_wrapped(norm, [*segs, lines[k]])
                if ((run and len(joined) > len(run[0])) or (header and _ROW_START.match(norm, *lines[k]))
                        or (not run and not header and len(_split_cells(norm, *lines[k])) >= _ROW_CELLS)):
                    break
                segs.append(lines[k])
                cells = joined
                k += 1
        if cells and len(cells) >= 2:
            run.append(cells)
            continue
        _close_run(doc, run, out)
        run = []
    _close_run(doc, run, out)
    return out


_ROW_CELLS = 3  # cells of a line that is a row of its own, not the rest of a first row cut by the wrap
_ROW_START = re.compile(r"\s*(?:\d|第[一二三四五六七八九十\d])")  # a row's first cell: a date, a number, 第三周


def _split_wrapped(norm: str, segs: list[tuple[int, int]]) -> list[TableCell]:
    """The cells of a row wrapped over several lines (the breaks removed), each with its pieces."""
    where = [x for a, b in segs for x in range(a, b)]
    out = []
    for s, e in _cell_bounds("".join(norm[a:b] for a, b in segs)):
        parts: list[tuple[int, int]] = []
        for x in where[s:e]:
            if parts and parts[-1][1] == x:
                parts[-1] = (parts[-1][0], x + 1)
            else:
                parts.append((x, x + 1))
        out.append(TableCell(parts[0][0], parts[-1][1], tuple(parts), 0, 0, wrapped=len(parts) > 1))
    return out


def _close_run(doc: Doc, run: list[list[TableCell]], out: list[DocTable]) -> None:
    if len(run) >= 2:
        out.append(_text_table(doc.norm, run))
    elif run and len(run[0]) >= _FUSED_MIN_CELLS and (
            (t := _fused_table(doc, run[0])) is not None or (t := _fused_value_rows(doc.norm, run[0])) is not None):
        out.append(t)


_GAP = re.compile(r" {2,}")


def _aligned_tables(doc: Doc) -> list[DocTable]:
    """Tables laid out with spaces (columns aligned by runs of spaces, as text exports of Word
    tables are): a run of at least three such lines that starts with a header row naming two
    column roles (日期  工作内容  负责人). Without that header, spaced text is only text. Inside
    the run an indented line is a row whose first cells are spanned from the row above, or the
    wrapped text of the cells above it (see _aligned_table)."""
    norm = doc.norm
    out: list[DocTable] = []
    run: list[tuple[int, list[TableCell]]] = []  # (line start, cells)
    second = 0  # display column of the header's second cell
    pos = 0
    for line in [*norm.split("\n"), ""]:
        a, b = pos, pos + len(line)
        pos = b + 1
        cells = _spaced_cells(norm, a, b)
        if run and (len(cells) >= 2 or (len(cells) == 1 and _column(norm, a, cells[0].start) >= second)):
            run.append((a, cells))  # a single cell counts only under a column after the first
            continue
        if len(run) >= 3:
            out.append(_aligned_table(norm, run))
        run = [(a, cells)] if len(cells) >= 2 and _is_header(norm, cells) else []
        second = _column(norm, a, cells[1].start) - 1 if run else 0
    return out


def _column(norm: str, line_start: int, pos: int) -> int:
    """Display column of pos on its line (a CJK character is two columns wide)."""
    return sum(2 if ch >= "\u2e80" else 1 for ch in norm[line_start:pos])


def _aligned_table(norm: str, run: list[tuple[int, list[TableCell]]]) -> DocTable:
    """Each cell goes to the header column it starts under. A line without a first cell whose
    every cell continues a cell above that filled its column to the next one (the export wrapped
    it) adds its text to those cells; otherwise it is a row of its own."""
    head_start, head = run[0]
    starts = [_column(norm, head_start, c.start) for c in head]
    width = len(starts)
    ends = [0] * width  # the widest text seen in each column
    placed: list[tuple[int, list[tuple[int, int, TableCell]]]] = []
    for line_start, cells in run:
        row = []
        for c in cells:
            x, x_end = _column(norm, line_start, c.start), _column(norm, line_start, c.end)
            col = max((k for k in range(width) if starts[k] <= x + 1), default=0)
            row.append((col, x_end, c))
            ends[col] = max(ends[col], x_end)
        placed.append((line_start, row))
    rows: list[list[TableCell]] = []
    last: dict[int, tuple[int, TableCell]] = {}  # col -> (its text's end column, cell) in the row above
    for _, row in placed:
        cols = [col for col, _, _ in row]
        limit = {k: (starts[k + 1] if k + 1 < width else ends[k]) - 5 for k in range(width)}  # gap, a character
        wrapped = bool(rows) and 0 not in cols and len(set(cols)) == len(cols) and all(
            col in last and last[col][0] >= limit[col] for col in cols)
        if wrapped:
            for col, x_end, c in row:
                cell = last[col][1]
                cell.parts = (*cell.parts, (c.start, c.end))
                cell.end = c.end
                cell.wrapped = True
                last[col] = (x_end, cell)
            continue
        cells = []
        for col, x_end, c in row:
            c.row, c.col = len(rows), col
            cells.append(c)
            last[col] = (x_end, c)
        for k in list(last):
            if k not in cols:
                del last[k]
        rows.append(cells)
    grid: list[list[TableCell | None]] = []
    for r, cells in enumerate(rows):
        line: list[TableCell | None] = [grid[-1][k] if r else None for k in range(width)]
        for c in cells:
            line[c.col] = c
        grid.append(line)
    start = rows[0][0].start
    end = max(c.end for cells in rows for c in cells)
    return DocTable(start, end, rows, grid, "text", roles=["other"] * width)


def _spaced_cells(norm: str, a: int, b: int) -> list[TableCell]:
    s, e = a, b
    while s < e and norm[s] == " ":
        s += 1
    cells, last = [], s
    for m in _GAP.finditer(norm, s, e):
        if m.start() > last:
            cells.append(TableCell(last, m.start(), ((last, m.start()),), 0, 0))
        last = m.end()
    if e > last:
        cells.append(TableCell(last, e, ((last, e),), 0, 0))
    return cells


def _is_header(norm: str, cells: list[TableCell]) -> bool:
    roles = [header_role(norm[c.start:c.end]) for c in cells]
    return all(roles) and len(set(roles)) >= 2


def _split_cells(norm: str, a: int, b: int) -> list[TableCell]:
    line = norm[a:b]
    if " | " not in line and " ¦ " not in line and "\t" not in line.strip():
        return []
    return [TableCell(a + s, a + e, ((a + s, a + e),), 0, 0) for s, e in _cell_bounds(line)]


def _cell_bounds(line: str) -> list[tuple[int, int]]:
    """(start, end) in `line` of each non-empty cell between its separators, edges stripped."""
    cells, last = [], 0
    for m in _TEXT_SEPARATORS.finditer(line):
        cells.append((last, m.start()))
        last = m.end()
    cells.append((last, len(line)))
    out = []
    for s, e in cells:
        txt = line[s:e]
        s2 = s + len(txt) - len(txt.lstrip(" |¦"))
        e2 = e - (len(txt) - len(txt.rstrip(" |¦")))
        if e2 > s2:
            out.append((s2, e2))
    return out


_NUMERIC = re.compile(r"[\d.%％/×]")


def _fit(norm: str, cells: list[TableCell], above: list[TableCell | None], shift: int) -> float:
    """How well cells placed from column `shift` on match the cells of the row above."""
    score = 0.0
    for k, cell in enumerate(cells):
        other = above[shift + k]
        if other is None:
            continue
        a, b = norm[cell.start:cell.end], norm[other.start:other.end]
        if not a or not b:
            continue
        num_a = len(_NUMERIC.findall(a)) / len(a)
        num_b = len(_NUMERIC.findall(b)) / len(b)
        score -= abs(num_a - num_b) + abs(math.log(len(a) / len(b))) / 4
    return round(score, 6)


def _text_table(norm: str, run: list[list[TableCell]]) -> DocTable:
    width = max(len(r) for r in run)
    rows = []
    for r, cells in enumerate(run):
        for cell in cells:
            cell.row = r
        rows.append(cells)
    t = _lay_out(run[0][0].start, run[-1][-1].end, rows, "text")
    # A short row's cells sit where they fit the cells above best (numbers under numbers,
    # long text under long text), right-aligned when nothing tells (a calendar's date cell
    # spans the rows below it); the columns it lacks are spanned from the row above.
    grid: list[list[TableCell | None]] = []
    for r, cells in enumerate(rows):
        shift = width - len(cells)
        if r and 0 < shift:
            shift = max(range(shift + 1), key=lambda o: (_fit(norm, cells, grid[-1], o), o))
        line: list[TableCell | None] = [None] * width
        for k, cell in enumerate(cells):
            cell.col = shift + k
            line[shift + k] = cell
        if r and len(cells) < width:
            for c in range(width):
                if line[c] is None:
                    line[c] = grid[-1][c]
        grid.append(line)
    t.grid, t.roles = grid, ["other"] * width
    return t


def _assign_roles(doc: Doc, t: DocTable) -> None:
    norm = doc.norm
    for r in range(min(3, len(t.rows))):
        cells = [c for c in t.rows[r] if c.end > c.start]
        named = [(c, header_role(norm[c.start:c.end])) for c in cells]
        hits = [(c, role) for c, role in named if role]
        kinds = {role for _, role in hits}
        # most cells name a column, or the time and activity columns are named (a week grid's
        # 周次 | 日 | 一 | 二 … | 内容 has day numbers for headers)
        if len(cells) >= 2 and len(kinds) >= 2 and (len(hits) * 2 >= len(cells) or {"time", "activity"} <= kinds):
            for c, role in hits:
                for cc in range(c.col, c.col + c.colspan):
                    if t.roles[cc] == "other" or r == t.header_rows:
                        t.roles[cc] = role
                c.header = True
            t.header_rows = r + 1
            break
    if t.header_rows == 0:
        _roles_from_content(doc, t)


def _roles_from_content(doc: Doc, t: DocTable) -> None:
    """A table without a header: a column whose cells are mostly times is the time column, one
    of office names the responsible column, and the one with the longest text the activity."""
    if len(t.rows) < 3:
        return
    norm = doc.norm
    lengths: list[float] = []
    for c in range(len(t.roles)):
        cells = [t.grid[r][c] for r in range(len(t.rows))]
        own = list({id(x): x for x in cells if x is not None and x.end > x.start}.values())
        if not own:
            lengths.append(0)
            continue
        timed = sum(_leading_time(doc, x) is not None for x in own)
        named = sum(all(canonical_name(p) for p in _names(norm[x.start:x.end])) for x in own)
        if timed * 5 >= len(own) * 3:
            t.roles[c] = "time"
        elif named * 5 >= len(own) * 3 and max(x.end - x.start for x in own) <= 20:
            t.roles[c] = "responsible"
        lengths.append(sum(x.end - x.start for x in own) / len(own))
    free = [c for c in range(len(t.roles)) if t.roles[c] == "other" and lengths[c] > 0]
    if free and ("time" in t.roles or "responsible" in t.roles):
        t.roles[max(free, key=lambda c: lengths[c])] = "activity"


_NAME_SPLIT = re.compile(r"[、，,/／;；\s]+|及|和|与")


def _names(text: str) -> list[str]:
    return [p for p in _NAME_SPLIT.split(text) if p]


def _leading_time(doc: Doc, cell: TableCell):
    times = [x for x in doc.times().within(cell.start, cell.end) if x.kind != "duration"]
    if times and not doc.norm[cell.start:times[0].source_span[0]].strip(" ()（）[]【】"):
        return times[0]
    return None


def _mark_blocks(doc: Doc) -> None:
    """Rows of schedule tables are table rows, not sections or loose items."""
    spans = [(t.start, t.end) for t in doc.tables if t.is_schedule]
    if not spans:
        return
    starts = [a for a, _ in spans]
    for b in doc.blocks:
        k = bisect.bisect_right(starts, b.start) - 1
        if k >= 0 and b.start < spans[k][1] and b.kind != "debris":
            b.kind = "table"
            b.table = True


# --- rows to schedule items (called by the schedule stage) -------------------------------
# 1. 1、 一、 and sub-numbers written without a stop (1.1學校…, 2-1.教師…)
_SUB_NUMBER = r"\d{1,2}[.．-]\d{1,2}[.、．]?(?=[\u4e00-\u9fff])(?![天日月年周个小分秒倍])"
_ITEM_START = re.compile(r"(?:(?<=^)|(?<=\s))(?:" + _SUB_NUMBER + r"|(?:\d{1,2}|[一二三四五六七八九十]{1,2})[.、．)）](?!\d))")
_ACTIVITY_SEP = re.compile(r"[；;]")
_LEAD_NUMBER = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})[.、．)）](?!\d)")
_GRADE_WORD = r"[高初][一二三](?:年级|年段|段)?|[一二三四五六七八九]年级"
_GRADE = re.compile(rf"^(?:{_GRADE_WORD}|年级|年段)$")
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_BODY_ENDS = frozenset("处室组会部局厅团队校院所站长任师员委办科司署中心")
_DATE_RANK = {"date": 3, "week": 2, "weekday": 2, "month": 1}


def activities(norm: str, cell: TableCell) -> list[tuple[int, int]]:
    """The activities of a content cell: its paragraphs, split at `；` and at their own
    numbering (1.… 2.…); the number itself is not part of the activity."""
    return [(p[0][0], p[-1][1]) for p in activity_pieces(norm, cell)]


def activity_pieces(norm: str, cell: TableCell) -> list[list[tuple[int, int]]]:
    """activities(), each as the pieces of text it is made of: one, except in a text cell the
    export wrapped over several lines, where an activity may run from one line on to the next
    (the other columns' text lies between its pieces)."""
    if not cell.wrapped:
        return [[span] for span in _activities(norm, cell.parts or ((cell.start, cell.end),))]
    joined = "".join(norm[a:b] for a, b in cell.parts)
    where = [a + k for a, b in cell.parts for k in range(b - a)]  # joined index -> norm position
    out = []
    for s, e in _activities(joined, ((0, len(joined)),)):
        pieces: list[tuple[int, int]] = []
        for k in range(s, e):
            if pieces and pieces[-1][1] == where[k]:
                pieces[-1] = (pieces[-1][0], where[k] + 1)
            else:
                pieces.append((where[k], where[k] + 1))
        out.append(pieces)
    return out


def _activities(norm: str, parts) -> list[tuple[int, int]]:
    out = []
    for a, b in parts:
        cuts = [a] + [a + m.start() for m in _ITEM_START.finditer(norm[a:b]) if m.start() > 0]
        pieces = []
        for k, s in enumerate(cuts):
            e = cuts[k + 1] if k + 1 < len(cuts) else b
            last = s
            for m in _ACTIVITY_SEP.finditer(norm, s, e):
                pieces.append((last, m.start()))
                last = m.end()
            pieces.append((last, e))
        pieces = [q for s, e in pieces for q in _space_joined(norm, s, e)]
        for s, e in pieces:
            while s < e and norm[s] in " \t":
                s += 1
            m = _LEAD_NUMBER.match(norm, s, e)
            if m:
                s = m.end()
            while s < e and norm[s] in " \t、，,。":
                s += 1
            while e > s and norm[e - 1] in " \t、，,。；;":
                e -= 1
            if out and _BRACKETED.fullmatch(norm, s, e):
                continue  # 编制发布；（12月19日）: a remark on the activity before, not one of its own
            if e - s >= 2:
                out.append((s, e))
    return out


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


# Activities a calendar cell joins with only a space (高三高考体检 高三家长会): a space, or ". ",
# between two runs of at least two CJK characters, outside quotes and titles (《人 自然 社会》)
_SPACE_JOIN = re.compile(r"(?<=[\u4e00-\u9fff]{2})\.?[ \t\u3000]+(?=[\u4e00-\u9fff“《「]{2})")
_OPENERS, _CLOSERS = "“《「『(（", "”》」』)）"
_TIME_HEAD = re.compile(r"^(?:上午|下午|晚上|中午|全天|早上)$|[\d节时分点]$")


def _space_joined(norm: str, a: int, b: int) -> list[tuple[int, int]]:
    out, last = [], a
    for m in _SPACE_JOIN.finditer(norm, a, b):
        head = norm[last:m.start()]
        depth = sum(head.count(c) for c in _OPENERS) - sum(head.count(c) for c in _CLOSERS)
        if depth > 0 or _TIME_HEAD.search(head.strip()):
            continue  # inside a title or quote, or a time phrase before its activity
        out.append((last, m.start()))
        last = m.end()
    out.append((last, b))
    return out


_NOTE_TIME_MAX = 8  # characters of a time cell no time grammar reads (待定, 另行通知) before it is a note


def closes_rows(doc: Doc, t: DocTable, r: int) -> bool:
    """Row r ends the rows a time carries over to: it is blank, or a note (a cell across the
    time and activity columns, or a time cell holding a sentence no time grammar reads)."""
    cells = [c for c in t.grid[r] if c is not None]
    if not any(c.end > c.start for c in cells):
        return True
    times, acts = set(t.columns("time")), set(t.columns("activity"))
    for c in t.rows[r]:
        cols = set(range(c.col, c.col + c.colspan))
        if c.end > c.start and cols & times and cols & acts:
            return True
        if c.end > c.start and cols & times and c.end - c.start > _NOTE_TIME_MAX and not any(
                x.kind != "duration" for x in doc.times().within(c.start, c.end)):
            return True
    return False


def row_time(doc: Doc, t: DocTable, r: int):
    """The most specific time of row r among its time columns (a date before a week)."""
    best, rank = None, -1
    for c in t.columns("time"):
        cell = t.grid[r][c] if c < len(t.grid[r]) else None
        if cell is None or cell.end <= cell.start:
            continue
        times = [x for x in doc.times().within(cell.start, cell.end) if x.kind != "duration"]
        x = max(times, key=lambda x: _DATE_RANK.get(x.kind, 0), default=None) if times else None
        if x is None:
            x = own_time(doc, cell.start, cell.end)
        if x is None:
            x = TimeExpr(text=doc.text[cell.start:cell.end], source_span=(cell.start, cell.end), kind="relative")
        k = _DATE_RANK.get(x.kind, 0) * 10 + (c in [cc.col for cc in t.rows[r]])
        if k > rank:
            best, rank = x, k
    return best


def row_parties(doc: Doc, t: DocTable, r: int) -> list[tuple[str, str, int, int]]:
    """(canonical name, kind, start, end) of the names in row r's responsible cells: the
    party grammar's names where it finds them (安全处医务室 → 安全处, 医务室), else each
    separated piece; a grade (高二年级) is the 年级组, a bare person's name (2–4 characters
    no lexicon knows) a party of kind person."""
    norm = doc.norm
    out = []
    for c in t.columns("responsible"):
        cell = t.grid[r][c] if c < len(t.grid[r]) else None
        if cell is None or cell.end <= cell.start:
            continue
        for start, end in (cell.parts if cell.wrapped else ((cell.start, cell.end),)):
            pos = start
            for piece in _names(norm[start:end]):
                a = norm.find(piece, pos, end)
                pos = b = a + len(piece)
                if _GRADE.match(piece):
                    out.append(("年级组", "group", a, b))
                    continue
                found = [m for m in find_parties(norm, a, b) if a <= m.start and m.end <= b]
                out.extend((m.name, m.kind, m.start, m.end) for m in found)
                last = a
                for s, e in [*((m.start, m.end) for m in found), (b, b)]:  # what the grammar left over
                    if s - last >= 2:
                        out.extend(_piece_party(norm[last:s], last, s))
                    last = max(last, e)
    return sorted(out, key=lambda x: x[2])


def _piece_party(piece: str, a: int, b: int) -> list[tuple[str, str, int, int]]:
    if _GRADE.match(piece):
        return [("年级组", "group", a, b)]
    if _PERSON.match(piece) and piece[-1] not in _BODY_ENDS:
        return [(piece, "person", a, b)]  # 陈大文: a name no lexicon knows, without a body's ending
    # in a responsible column even a room is a body charged (医务室): no lexicon veto here
    named = canonical_name(piece) or ((piece, "office") if len(piece) >= 2 else None)
    return [(named[0], named[1], a, b)] if named else []


def responsible_extents(doc: Doc) -> list[tuple[int, int]]:
    """Extents of the schedule tables with a responsible column: there the column says who is
    charged, and a name inside an activity (上报市教育局) is no party."""
    return [(t.start, t.end) for t in doc.tables if t.is_schedule and "responsible" in t.roles]


# --- a table flattened onto one line (its row breaks lost: …| 党政办高三学生领档案 | 教学处…) ---------
_FUSED_MIN_CELLS = 6  # separators a line needs before it is read as a table whose rows ran together
_HEAD_WORD_MAX = 12  # characters of a header word fused to the text beside it
_HEAD_RUN_MAX = 8
_WEEK_CELL = re.compile(r"第?[ \t]*[\d一二三四五六七八九十]{1,3}[ \t]*周(?!年)")  # a week column's cell (第十五周, 17周)


def _inner_header(norm: str, cell: TableCell) -> bool:
    """A whole header cell between the first and the last: no digits and no week number in it
    (负责处室第十五周 is the last header cell and the first row's week)."""
    text = norm[cell.start:cell.end]
    return (not any(ch.isdigit() for ch in text) and not _WEEK_CELL.search(text)
            and header_role(text) is not None)


def _head_suffix(norm: str, cell: TableCell) -> int | None:
    """Where the header word that ends the cell starts (…点击数： 次日期（星期） → 日期（星期）)."""
    for k in range(max(cell.start, cell.end - _HEAD_WORD_MAX), cell.end - 1):
        if is_cjk(norm[k]) and header_role(norm[k:cell.end], exact=True):
            return k
    k = cell.end
    while k > cell.start and cell.end - k < _HEAD_RUN_MAX and is_cjk(norm[k - 1]):
        k -= 1
    return k if cell.end - k >= 2 and not is_cjk(norm[k - 1]) and header_role(norm[k:cell.end]) else None


def _head_prefix(norm: str, cell: TableCell) -> int | None:
    """Where the header word that starts the cell ends (负责部门8.25（周二） → 负责部门)."""
    exact = None
    for k in range(min(cell.end, cell.start + _HEAD_WORD_MAX), cell.start + 1, -1):
        if (is_cjk(norm[k - 1]) or norm[k - 1] in ")）") and header_role(norm[cell.start:k], exact=True):
            exact = k
            break
    # or a header word inside the run of Chinese before the row's first digit (职能处室8月14日,
    # 主要工作安排第1周): the longer of the two
    k = cell.start
    while k < cell.end and k - cell.start < _HEAD_RUN_MAX and is_cjk(norm[k]) and not _WEEK_CELL.match(norm, k):
        k += 1
    if (k - cell.start >= 2 and k < cell.end and (norm[k].isdigit() or _WEEK_CELL.match(norm, k))
            and header_role(norm[cell.start:k]) and (exact is None or k > exact)):
        return k
    return exact


def _fused_headers(norm: str, cells: list[TableCell], inner) -> Iterator[tuple[int, int, int, int]]:
    """Where a header may stand in a line's run of cells: (first cell, last cell, where the
    header's first word starts in the first, where its last word ends in the last). Its first
    word ends the text before (…点击数： 次日期（星期）), its last starts the first row
    (负责部门8.25（周二）); the cells between pass `inner`."""
    n = len(cells)
    for i in range(n - 1):
        first = cells[i]
        s = first.start if header_role(norm[first.start:first.end], exact=True) else _head_suffix(norm, first)
        if s is None:
            continue
        j = i + 1
        while j < n - 1 and inner(cells[j]):
            j += 1
        p = _head_prefix(norm, cells[j])
        if p is not None and p < cells[j].end:
            yield i, j, s, p


def _fused_table(doc: Doc, cells: list[TableCell]) -> DocTable | None:
    """A table whose rows were run together on one line: every row's last cell is fused to the
    next row's first (…| 党政办高三学生领档案（1-8班）、排课表 | 教学处高二班主任会议 | 德育处…). From a
    header of named columns (日期（星期） | 重点事项 | 负责部门), the cells are dealt out to the columns
    in turn; a last-column cell ends where its names (a responsible column) or its time end,
    or the next row begins where a date does (…| 总务处8.26（周三） |); a row whose first cell is
    no time starts at the second column, its date spanned from the row above."""
    norm = doc.norm
    for i, j, s, p in _fused_headers(norm, cells, lambda c: _inner_header(norm, c)):
        first, last = cells[i], cells[j]
        head = [(s, first.end), *((c.start, c.end) for c in cells[i + 1:j]), (last.start, p)]
        roles = [header_role(norm[a:b]) or "other" for a, b in head]
        if len(head) < 2 or "activity" not in roles or not {"time", "responsible"} & set(roles):
            continue
        rest = [(_skip_space(norm, p, last.end), last.end), *((c.start, c.end) for c in cells[j + 1:])]
        rows = _deal(doc, roles, rest)
        if len(rows) < 2 or not _dealt_well(norm, roles, rows):
            continue
        head_row = [TableCell(a, b, ((a, b),), 0, k, header=True) for k, (a, b) in enumerate(head)]
        return _fused_grid(head_row, rows, roles)
    return None


# A figure that ends a row (80, 0.36, 2100/66.5, 2-3, 不少于60, 35%) with the next row's first
# words fused to it: not a quantity with its measure word (2025年, 3个, 20人)
_ROW_END_VALUE = re.compile(r"(?:不少于|不低于|≥|≧|>)?\s*\d+(?:\.\d+)?%?(?:\s*[/\-~～]\s*\d+(?:\.\d+)?%?)*"
                            r"(?=[\u4e00-\u9fff])(?![年月日号周时分秒个所人名次项本篇节元万亿届级期段倍岁天])")
_VALUE_ROWS_MIN = 3


def _fused_value_rows(norm: str, cells: list[TableCell]) -> DocTable | None:
    """A table of figures whose rows were run together on one line: each row ends with a figure
    fused to the next row's first words (…| 73.35 | 80普惠性幼儿园在园儿童覆盖面（%） | 93.94 | 95校际…),
    the header's last word to the first row's (…| 2025目标更公平的教育 |), its first word to the
    text before (…（四）核心指标一级 |). The rows are cut there, up to the prose after the table; a
    short row's cells are placed as in any text table (its first cells spanned)."""
    for i, j, s, p in _fused_headers(norm, cells, lambda c: not any(ch.isdigit() for ch in norm[c.start:c.end])):
        head = [TableCell(s, cells[i].end, ((s, cells[i].end),), 0, 0), *cells[i + 1:j],
                TableCell(cells[j].start, p, ((cells[j].start, p),), 0, 0)]
        if "goal" not in {header_role(norm[c.start:c.end]) for c in head}:
            continue  # a table of figures aims at targets: one column holds them
        rows: list[list[TableCell]] = [[]]
        for a, b in [(_skip_space(norm, p, cells[j].end), cells[j].end), *((c.start, c.end) for c in cells[j + 1:])]:
            m = _ROW_END_VALUE.match(norm, a, b)
            if m is not None and rows[-1]:
                rows[-1].append(TableCell(a, m.end(), ((a, m.end()),), 0, 0))
                a = _skip_space(norm, m.end(), b)
                if _PROSE.search(norm, a, b) or b - a > _VALUE_ROW_CELL_MAX:
                    break  # the text after the table: its last figure ends it
                rows.append([])
            elif _PROSE.search(norm, a, b) or b - a > _VALUE_ROW_CELL_MAX:
                break
            if a < b:
                rows[-1].append(TableCell(a, b, ((a, b),), 0, 0))
        rows = [r for r in rows if r]
        # most rows fit the header (a row whose figure is a word, 逐年只增不减, runs into the next)
        if len(rows) >= _VALUE_ROWS_MIN and sum(len(r) <= len(head) for r in rows) * 5 >= len(rows) * 4:
            return _text_table(norm, [head, *rows])
    return None


_PROSE = re.compile(r"[。；;!！?？]")
_VALUE_ROW_CELL_MAX = 60  # characters of a cell in a table of figures (a longer run is the text after it)


def _dealt_well(norm: str, roles: list[str], rows: list[list[tuple[int, int, int]]]) -> bool:
    """Most cells dealt to the responsible column are names: the rows came out as written (a
    table whose cells hold their own numbering, 1、 | …, does not deal this way)."""
    if "responsible" not in roles:
        return True
    col = roles.index("responsible")
    cells = [(a, b) for row in rows for c, a, b in row if c == col]
    return len(cells) * 4 <= sum(_names_only(norm, a, b) for a, b in cells) * 5


def _skip_space(norm: str, a: int, b: int) -> int:
    while a < b and norm[a] in " \t\u3000":
        a += 1
    return a


def _deal(doc: Doc, roles: list[str], chunks: list[tuple[int, int]]) -> list[list[tuple[int, int, int]]]:
    """The chunks after the header as rows of (column, start, end)."""
    width = len(roles)
    rows: list[list[tuple[int, int, int]]] = []
    row: list[tuple[int, int, int]] = []
    col = -1
    for k, (a, b) in enumerate(chunks):
        if b <= a:
            continue
        if col < 0:
            col = _first_column(doc, roles, chunks[k:])
        if k == len(chunks) - 1 and col == width - 1:
            # the table's last cell, then the rest of the page (备注：… 【打印正文】 上一篇：…)
            cut = _last_cell_end(doc, roles[-1], a, b)
            row.append((col, a, cut if cut is not None and roles[-1] == "responsible" else b))
            rows.append(row)
            return [r for r in rows if r]
        if col < width - 1 or k == len(chunks) - 1:
            row.append((col, a, b))
            col += 1
            if col >= width:
                rows.append(row)
                row, col = [], -1
            continue
        cut = _next_date(doc, roles, a, b)  # …| 安全处医务室8月24日 |: the next row's date ends it
        if cut is None or (roles[-1] == "responsible" and not _names_only(doc.norm, a, cut)):
            cut = _last_cell_end(doc, roles[-1], a, b)
        if cut is None:
            row.append((col, a, b))
            rows.append(row)
            row, col = [], -1
            continue
        row.append((col, a, cut))
        rows.append(row)
        c = _skip_space(doc.norm, cut, b)
        row = []
        col = _first_column(doc, roles, [(c, b), *chunks[k + 1:]])
        if c < b:
            row.append((col, c, b))
            col += 1
    if row:
        rows.append(row)
    return [r for r in rows if r]


def _time_lead(roles: list[str]) -> int:
    """How many time columns a table's columns start with (周次 | 日期 | …: two)."""
    lead = 0
    while lead < len(roles) and roles[lead] == "time":
        lead += 1
    return lead


def _first_column(doc: Doc, roles: list[str], cells: list[tuple[int, int]]) -> int:
    """The column a row's first cell is in: its row holds as many time cells as it starts with,
    and they fill the last of the leading time columns (周次 | 日期: a date alone is the date,
    the week spanned from the row above); a row without one starts after them."""
    lead = _time_lead(roles)
    if not lead or lead == len(roles):
        return 0
    m = 0
    while m < min(lead, len(cells)) and _is_time_cell(doc, *cells[m]):
        m += 1
    return lead - m


def _is_time_cell(doc: Doc, a: int, b: int) -> bool:
    """The cell is its time (第十五周, 6月15日-19日, 暑期), not an activity dated in it."""
    if b <= a:
        return False
    if _WEEK_CELL.match(doc.norm, a, b):
        return True
    times = [x for x in doc.times().within(a, b) if x.kind != "duration"]
    if not times:  # the document's grammar may have read on past the cell (9.1(周三) 9月防疫…)
        return own_time(doc, a, b) is not None
    return times[0].source_span[0] - a <= 1 and b - times[-1].source_span[1] <= 2


_OWN_TIME_MAX = 24  # characters of a cell read as a time of its own


def own_time(doc: Doc, a: int, b: int) -> TimeExpr | None:
    """The time a cell is by itself, in document offsets, for a cell where no time of the
    document lies: its times read across its edge (a PDF's row 9.1(周三) 9月防疫值岗… reads as one
    date 9.1(周三) 9月)."""
    if b - a > _OWN_TIME_MAX:
        return None
    x = parse_time(doc.norm[a:b])
    if x is None or x.kind == "duration":
        return None
    s, e = x.source_span
    object.__setattr__(x, "source_span", (a + s, a + e))  # a fresh expression of our own: re-anchored
    object.__setattr__(x, "text", doc.norm[a + s:a + e])
    return x


_GRADE_AT = re.compile(_GRADE_WORD)
_NAME_JOIN = frozenset("、，,/")


def _name_end(norm: str, a: int, b: int) -> int | None:
    """Where a responsible name starting at a ends: the party grammar's name, a grade, or the
    shortest run of two to five characters ending as a body's name does (党政办, 医务室)."""
    for m in find_parties(norm, a, min(b, a + 16)):
        if m.start == a:
            return m.end
        break
    g = _GRADE_AT.match(norm, a, b)
    if g:
        return g.end()
    for k in range(a + 1, min(b, a + 5)):
        if not is_cjk(norm[k]):
            return None
        if norm[k] in _BODY_ENDS:
            return k + 1
    return None


def _names_only(norm: str, a: int, b: int) -> bool:
    """norm[a:b] is names only, run together or joined (安全处医务室, 教学处、德育处)."""
    while a < b:
        end = _name_end(norm, a, b + 1)
        if end is None or end > b:
            return False
        a = end + (1 if end < b and norm[end] in _NAME_JOIN else 0)
    return True


def _last_cell_end(doc: Doc, role: str, a: int, b: int) -> int | None:
    """Where a fused last-column cell ends: after its names joined by 、 (党政办、德育处…), or its
    leading time; None if it starts with neither."""
    norm = doc.norm
    if role == "responsible":
        end = _name_end(norm, a, b)
        # names joined by a separator; two run together (教学处高二班主任会议) end at the first
        while end is not None and end + 1 < b and norm[end] in _NAME_JOIN and (
                nxt := _name_end(norm, end + 1, b)) is not None:
            end = nxt
        return end if end is not None and end < b else None
    if role == "time":
        times = [x for x in doc.times().within(a, b) if x.kind != "duration"]
        if times and times[0].source_span[0] - a <= 1 and times[0].source_span[1] < b:
            return times[0].source_span[1]
    return None


def _next_date(doc: Doc, roles: list[str], a: int, b: int) -> int | None:
    """…| 总务处8.26（周三） |: the next row's date at the cell's end."""
    if roles[0] != "time":
        return None
    times = [x for x in doc.times().within(a, b) if x.kind != "duration"]
    if times and times[-1].source_span[0] - a >= 2 and b - times[-1].source_span[1] <= 1:
        return times[-1].source_span[0]
    return None


def _fused_grid(head: list[TableCell], rows: list[list[tuple[int, int, int]]], roles: list[str]) -> DocTable:
    width = len(roles)
    out_rows: list[list[TableCell]] = [head]
    grid: list[list[TableCell | None]] = [list(head)]
    for r, row in enumerate(rows, 1):
        cells = [TableCell(a, b, ((a, b),), r, col) for col, a, b in row if col < width]
        line: list[TableCell | None] = [None] * width
        for c in cells:
            line[c.col] = c
        first = min((c.col for c in cells), default=0)
        for c in range(first):  # the columns before the row's first cell: spanned from above
            line[c] = grid[-1][c] if r > 1 else None
        out_rows.append(cells)
        grid.append(line)
    end = max(c.end for cells in out_rows for c in cells)
    return DocTable(head[0].start, end, out_rows, grid, "text", roles=["other"] * width)


# --- a table flattened to one cell per line (text copied from a browser or a PDF, a Word
# table saved as text: 周次 / 日期 / 主要工作安排 / 第1周 / 2月28日--3月6日 / 全体高三学生会议；… ) ---
_LINE_HEAD_MAX = 6  # cells of a header laid one per line
_LINE_HEAD_CHARS = 16  # characters of such a header line
_LINE_HEAD_BAD = re.compile(r"[\d。，,；;：:！？!?、]")
_LINE_LOOKAHEAD = 6  # lines a row may run on before the next row's time, inside the table
_LINE_ROWS_MIN = 2


def _furniture_lines(doc: Doc):
    """A test of whether the line starting at a position is page furniture: a debris block holds
    it from its first line (not a line that a wrap's joining put into the block of the furniture
    before it: 文章来源：…\n日期（星期） 重点事项 负责部门)."""
    norm = doc.norm
    debris = [(b.start, b.end) for b in doc.blocks if b.kind == "debris"]
    starts = [a for a, _ in debris]

    def in_debris(a: int) -> bool:
        k = bisect.bisect_right(starts, a) - 1
        return k >= 0 and a < debris[k][1] and norm.rfind("\n", debris[k][0], a) < 0

    return in_debris


def _line_tables(doc: Doc) -> list[DocTable]:
    """Tables whose every cell stands on a line of its own. The header is a run of short lines
    that each name a column (one of them a header word exactly), the first a time column; the
    rows are anchored at their time cells, since a flattened table loses its empty cells (the
    cycle of lines is not fixed): the lines from one time cell to the next are one row's cells in
    column order, a cell that is no name in the responsible column is the activity's next line,
    and lines after a full row are a row of their own whose time the row above spans."""
    norm = doc.norm
    if norm.count("\n") < 2 * _LINE_ROWS_MIN + 2 or not _time_head_line().search("\n" + norm):
        return []
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in norm.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        s, e = _skip_space(norm, a, b), b
        while e > s and norm[e - 1] in " \t\u3000":
            e -= 1
        if e > s:
            lines.append((s, e))
    in_debris = _furniture_lines(doc)

    def head_line(k: int, exact: bool) -> str | None:
        a, b = lines[k]
        if b - a > _LINE_HEAD_CHARS or _LINE_HEAD_BAD.search(norm, a, b) or in_debris(a):
            return None
        if exact:  # the normalised text is simplified and width-folded already: no OpenCC pass
            return column_lexicon().get(_NON_CJK.sub("", norm[a:b]))
        return header_role(norm[a:b])

    out: list[DocTable] = []
    k = 0
    while k < len(lines) - _LINE_ROWS_MIN:
        if head_line(k, True) != "time":
            k += 1
            continue
        j = k + 1
        while j < len(lines) and j - k < _LINE_HEAD_MAX and head_line(j, False) is not None:
            j += 1
        roles = [head_line(x, False) or "other" for x in range(k, j)]
        table = None
        if len(roles) >= 2 and "activity" in roles:
            table = _line_table(doc, lines, k, j, roles, in_debris)
        if table is None:
            k += 1
            continue
        out.append(table)
        k = bisect.bisect_left(lines, (table.end, table.end))
    return out


def _row_goes_on(doc: Doc, lines: list[tuple[int, int]], i: int, roles: list[str], lead: int) -> bool:
    """Lines from lines[i] on, after a full row, are a row whose time the row above spans: its
    cells take the shape of a row (a responsible column's names where the table has one after
    the activity), or the next row's time comes soon (the table goes on)."""
    if _is_time_cell(doc, *lines[i]):
        return True
    named = "responsible" in roles[lead + 1:]
    return any(_is_time_cell(doc, *lines[x]) or (named and _names_only(doc.norm, *lines[x]))
               for x in range(i + 1, min(len(lines), i + _LINE_LOOKAHEAD)))


@lru_cache(maxsize=1)
def _time_head_line() -> re.Pattern[str]:
    """A line that is a time column's header word alone (周 次, 日期（星期）): the cheap test
    before a document's lines are read one by one."""
    gap = r"[^\u4e00-\u9fff\n]{0,3}"
    words = sorted((w for w, role in column_lexicon().items() if role == "time"), key=len, reverse=True)
    # the line break first, so that re scans for it
    return re.compile(r"\n" + gap + "(?:" + "|".join(gap.join(map(re.escape, w)) for w in words) + rf"){gap}(?:\n|$)")


def _line_table(doc: Doc, lines: list[tuple[int, int]], k: int, j: int, roles: list[str],
                in_debris) -> DocTable | None:
    """The rows after a header laid on lines[k:j] (see _line_tables), or None if fewer than two
    rows start with a time."""
    norm = doc.norm
    width = len(roles)
    lead = _time_lead(roles)
    if lead == width:
        return None
    rows: list[dict[int, list[tuple[int, int]]]] = []
    row: dict[int, list[tuple[int, int]]] = {}
    col = width  # the next column to fill; width: the row is full (or none is open)
    timed = 0
    i = j
    while i < len(lines):
        a, b = lines[i]
        if in_debris(a):
            break
        if _is_time_cell(doc, a, b) and (col >= lead or not row):
            m = 1  # the row's time cells: as many as it starts with, filling the last time columns
            while m < lead and i + m < len(lines) and _is_time_cell(doc, *lines[i + m]):
                m += 1
            if row:
                rows.append(row)
            row = {lead - m + x: [lines[i + x]] for x in range(m)}
            col, timed, i = lead, timed + 1, i + m
            continue
        if col >= width:  # after a full row: another row in the time of the one above, while the table goes on
            if not rows and not row:
                return None
            if not _row_goes_on(doc, lines, i, roles, lead):
                break
            if row:
                rows.append(row)
            row, col = {}, lead
        if roles[col] == "responsible" and col > lead and not _names_only(norm, a, b):
            # no name where the row's names stand: an activity of its own, its time spanned from
            # above (its names spanned too, or none)
            rows.append(row)
            row, col = {}, lead
        row[col] = [(a, b)]
        col += 1
        i += 1
    if row:
        rows.append(row)
    if timed < _LINE_ROWS_MIN:
        return None
    head = [TableCell(a, b, ((a, b),), 0, c, header=True) for c, (a, b) in enumerate(lines[k:j])]
    out_rows: list[list[TableCell]] = [head]
    grid: list[list[TableCell | None]] = [list(head)]
    names_col = width - 1 if roles[-1] == "responsible" else None
    for cells in rows:
        # a row without a time of its own is in the names of the row above too, where it has none
        _add_row(out_rows, grid, cells, width, names_col if min(cells) >= lead else None)
    end = max(c.end for cells in out_rows for c in cells)
    return DocTable(head[0].start, end, out_rows, grid, "text", roles=["other"] * width)


# --- a table whose cells a single space separates (a PDF's text: 9.1（周三） 开学亮点宣传 党政办) ----
_SPACED_HEAD_CELLS = (2, 6)
_SPACED_HEAD_MAX = 40  # characters of such a header line
_SPACED_MISFITS = 4  # lines in a row that fit no column before the table has ended
_SPACE = re.compile(r"[ \u3000]+")


def _spaced_row_tables(doc: Doc) -> list[DocTable]:
    """Tables whose header is a line of column names a single space apart (日期（星期） 重点事项
    负责部门) and whose rows are lines read against it: a row's leading time cells fill the time
    columns (a row without one is in the time of the row above), its last cell the responsible
    column where it is names only (安全处、医务室), and the text between them the activity. The
    table ends at page furniture or at lines that fit no column (no time before, no names after)."""
    norm = doc.norm
    padded = "\n" + norm  # a match's line break stands where its line starts in norm
    if " " not in norm or not _time_head_word().search(padded):
        return []
    in_debris = _furniture_lines(doc)

    out: list[DocTable] = []
    done = 0
    for m in _time_head_word().finditer(padded):
        a = m.start()
        if a < done:
            continue
        b = norm.find("\n", a)
        b = len(norm) if b < 0 else b
        head = _spaced_header(norm, a, b)
        if head is None or in_debris(a):
            continue
        table = _spaced_rows(doc, head, b + 1, in_debris)
        if table is not None:
            out.append(table)
            done = table.end
    return out


@lru_cache(maxsize=1)
def _time_head_word() -> re.Pattern[str]:
    """A time column's header word as the first cell of a space-separated line, in the text with
    a line break before it."""
    words = sorted((w for w, role in column_lexicon().items() if role == "time" and len(w) >= 2), key=len, reverse=True)
    # a header's first cell, at its line's start; the line break first, so that re scans for it
    return re.compile(r"\n[ \u3000]*(?:" + "|".join(map(re.escape, words)) + r")(?:[(（][^()（）\n]{1,4}[)）])?[ \u3000]")


def _spaced_header(norm: str, a: int, b: int) -> list[TableCell] | None:
    if b - a > _SPACED_HEAD_MAX or _LINE_HEAD_BAD.search(norm, a, b):
        return None
    cells = [TableCell(s, e, ((s, e),), 0, k, header=True) for k, (s, e) in enumerate(_spaced_cells_of(norm, a, b))]
    if not _SPACED_HEAD_CELLS[0] <= len(cells) <= _SPACED_HEAD_CELLS[1]:
        return None
    roles = [header_role(norm[c.start:c.end]) for c in cells]
    if None in roles or roles[0] != "time" or "activity" not in roles:
        return None
    return cells


def _add_row(rows: list[list[TableCell]], grid: list[list[TableCell | None]],
             cells: dict[int, list[tuple[int, int]]], width: int, names_col: int | None = None) -> None:
    """Row `cells` (column → span) on the grid: the time columns before its first cell, and the
    names column (`names_col`) where it has none, are spanned from the row above (a flattened
    table keeps a rowspan cell once, in the first of its rows)."""
    r = len(rows)
    own = [TableCell(parts[0][0], parts[-1][1], tuple(parts), r, c, wrapped=len(parts) > 1)
           for c, parts in sorted(cells.items())]
    line: list[TableCell | None] = [None] * width
    for c in own:
        line[c.col] = c
    for c in [*range(min(cells)), *([names_col] if names_col is not None and names_col not in cells else [])]:
        line[c] = grid[-1][c] if r > 1 else None
    rows.append(own)
    grid.append(line)


def _spaced_rows(doc: Doc, head: list[TableCell], pos: int, in_debris) -> DocTable | None:
    norm = doc.norm
    roles = [header_role(norm[c.start:c.end]) or "other" for c in head]
    width = len(roles)
    lead = _time_lead(roles)
    activity = roles.index("activity")
    named = roles[-1] == "responsible" and activity < width - 1
    rows: list[list[TableCell]] = [head]
    grid: list[list[TableCell | None]] = [list(head)]
    misfits: list[tuple[int, int]] = []
    pending: dict[int, list[tuple[int, int]]] = {}  # the row being read: column → its pieces
    chars, wrap = doc.memo.get("char_wrap"), doc.memo.get("wrap_width") or None
    full = False  # the line before filled the width the text was hard-wrapped at
    timed = 0
    while pos < len(norm):
        end = norm.find("\n", pos)
        end = len(norm) if end < 0 else end
        a, b = _skip_space(norm, pos, end), end
        while b > a and norm[b - 1] in " \t\u3000":
            b -= 1
        line_full = (chars or wrap) and fills_wrap(norm, pos, end, chars, wrap)
        pos = end + 1
        if a >= b:
            continue
        if in_debris(a):
            break
        cells: dict[int, tuple[int, int]] = {}
        # the row's leading time cells, a space after each (9.1（周三）, 第1周 2月28日--3月6日)
        k, times = a, []
        while len(times) < lead:
            sp = _SPACE.search(norm, k, b)
            if sp is None or not _is_time_cell(doc, k, sp.start()):
                break
            times.append((k, sp.start()))
            k = sp.end()
        for x, span in enumerate(times):
            cells[lead - len(times) + x] = span
        e = b
        if named:
            sp = max((m for m in _SPACE.finditer(norm, k, b)), key=lambda m: m.start(), default=None)
            if sp is not None and _names_only(norm, sp.end(), b):
                cells[width - 1] = (sp.end(), b)
                e = sp.start()
        if full and not times and pending and width - 1 not in pending:
            # the rest of the row above, which the wrap cut (…签署准备\n；发布开学重点工作清单 党政办)
            if k < e:
                pending.setdefault(activity, []).append((k, e))
            if width - 1 in cells:
                pending[width - 1] = [cells[width - 1]]
            full = line_full
            continue
        full = line_full
        if not cells:  # no time before, no names after: an activity of a row whose cells span it, or the end
            misfits.append((a, b))
            if len(misfits) > _SPACED_MISFITS:
                break
            continue
        if k < e:
            cells[activity] = (k, e)
        if pending:
            _add_row(rows, grid, pending, width)
        for span in misfits:
            _add_row(rows, grid, {activity: [span]}, width, width - 1 if named else None)
        misfits = []
        timed += bool(times)
        pending = {c: [span] for c, span in cells.items()}
    if pending:
        _add_row(rows, grid, pending, width)
    if timed < _LINE_ROWS_MIN:
        return None
    end = max(c.end for cells in rows for c in cells)
    return DocTable(head[0].start, end, rows, grid, "text", roles=["other"] * width)


# --- a table of figures whose cells a single space separates (a PDF's text of a district's
# indicators: 二级 十三五期间 2025目标 / 全市省二级以上幼儿园比例（%） 73.35 80) ---------------------
# a target: a figure, or a trend in words (逐年只增不减, 稳步提高)
_FIGURE = re.compile(r"(?:不少于|不低于|≥|>|<|≤)?\d+(?:\.\d+)?%?(?:[/\-~～]\d+(?:\.\d+)?%?)*"
                     r"|(?:逐年|稳步|持续|逐步)(?:只增不减|增长|提高|提升|上升|下降|减少)|只增不减")
_VALUE_HEAD_MAX = 40  # characters of the header line
_VALUE_NAME_MAX = 60  # characters of an indicator's name


def _value_tables(doc: Doc) -> list[DocTable]:
    """Tables of figures (a district's indicators) in a PDF's text, below a header that names a
    goal column (二级 十三五期间 2025目标): with the cells a space apart, runs of at least three lines
    that each name an indicator and end with its figures (普惠性幼儿园在园儿童覆盖面（%） 93.94 95);
    with one cell per line, runs of name lines each followed by its figure lines. Each is read as
    the ` | ` form is: a row, an indicator with its figures."""
    norm = doc.norm
    out: list[DocTable] = []
    done = 0
    for m in _goal_word().finditer(norm):  # a goal column's name, then its line read as a header
        h = norm.rfind("\n", 0, m.start()) + 1
        e = norm.find("\n", m.end())
        if h < done or e < 0 or e - h > _VALUE_HEAD_MAX:
            continue
        table = _spaced_values(norm, h, e) if " " in norm[h:e] else _line_values(norm, h, e)
        if table is not None:
            out.append(table)
            done = table.end
    return out


def _spaced_values(norm: str, h: int, e: int) -> DocTable | None:
    head = _value_header(norm, h, e)
    if head is None:
        return None
    rows: list[list[TableCell]] = []
    pos = e + 1
    while pos < len(norm):
        b = norm.find("\n", pos)
        b = len(norm) if b < 0 else b
        row = _value_row(norm, pos, b, len(head))
        if row is None:
            break
        rows.append(row)
        pos = b + 1
    return _text_table(norm, [head, *rows]) if len(rows) >= _VALUE_ROWS_MIN else None


@lru_cache(maxsize=1)
def _goal_word() -> re.Pattern[str]:
    """A goal column's header word (目标, 量化指标 …)."""
    words = sorted((w for w, role in column_lexicon().items() if role == "goal" and len(w) >= 2), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def _spaced_cells_of(norm: str, a: int, b: int) -> list[tuple[int, int]]:
    cells, last = [], _skip_space(norm, a, b)
    for m in [*_SPACE.finditer(norm, last, b), None]:
        e = m.start() if m is not None else b
        if e > last:
            cells.append((last, e))
        if m is not None:
            last = m.end()
    return cells


def _value_header(norm: str, a: int, b: int) -> list[TableCell] | None:
    if not 0 < b - a <= _VALUE_HEAD_MAX or _PROSE.search(norm, a, b):
        return None
    cells = _spaced_cells_of(norm, a, b)
    if not 3 <= len(cells) <= _SPACED_HEAD_CELLS[1] or any(e - s > _HEADER_CELL_MAX for s, e in cells):
        return None
    roles = [header_role(norm[s:e]) for s, e in cells]
    if "goal" not in roles or sum(r is not None for r in roles) * 2 < len(cells):
        return None
    return [TableCell(s, e, ((s, e),), 0, k) for k, (s, e) in enumerate(cells)]


def _value_row(norm: str, a: int, b: int, width: int) -> list[TableCell] | None:
    """An indicator's line: its name (the words before its figures, one cell), then its figures."""
    cells = _spaced_cells_of(norm, a, b)
    k = len(cells)
    while k > 0 and _FIGURE.fullmatch(norm, *cells[k - 1]):
        k -= 1
    if k == 0 or k == len(cells) or len(cells) - k >= width:
        return None
    name = (cells[0][0], cells[k - 1][1])
    if name[1] - name[0] > _VALUE_NAME_MAX or _PROSE.search(norm, *name):
        return None
    return [TableCell(s, e, ((s, e),), 0, 0) for s, e in [name, *cells[k:]]]


def _line_values(norm: str, h: int, e: int) -> DocTable | None:
    """The header's lines up from its goal column's line norm[h:e], then the rows below it."""
    if e - h > _HEADER_CELL_MAX or _PROSE.search(norm, h, e):
        return None
    head = [(h, e)]
    while len(head) < _LINE_HEAD_MAX and head[0][0] > 0:
        b = head[0][0] - 1
        a = norm.rfind("\n", 0, b) + 1
        if not 0 < b - a <= _HEADER_CELL_MAX or _PROSE.search(norm, a, b) or _FIGURE.fullmatch(norm, a, b):
            break
        head.insert(0, (a, b))
    if len(head) < 3 or sum(header_role(norm[a:b]) is not None for a, b in head) * 2 < len(head):
        return None
    rows: list[list[TableCell]] = []
    name: list[tuple[int, int]] = []
    figures: list[tuple[int, int]] = []
    pos = e + 1
    while pos < len(norm):
        b = norm.find("\n", pos)
        b = len(norm) if b < 0 else b
        a, pos = _skip_space(norm, pos, b), b + 1
        if a >= b:
            continue
        if _FIGURE.fullmatch(norm, a, b):
            if not name or len(figures) >= len(head) - 1:
                break
            figures.append((a, b))
            continue
        if figures:  # a name after figures: the next row
            rows.append(_value_cells(name, figures))
            name, figures = [], []
        if b - a > _VALUE_NAME_MAX or _PROSE.search(norm, a, b) or len(name) >= 2:
            break
        name.append((a, b))
    if figures:
        rows.append(_value_cells(name, figures))
    if len(rows) < _VALUE_ROWS_MIN:
        return None
    cells = [TableCell(a, b, ((a, b),), 0, k) for k, (a, b) in enumerate(head)]
    return _text_table(norm, [cells, *rows])


def _value_cells(name: list[tuple[int, int]], figures: list[tuple[int, int]]) -> list[TableCell]:
    return [TableCell(name[0][0], name[-1][1], tuple(name), 0, 0, wrapped=len(name) > 1),
            *(TableCell(a, b, ((a, b),), 0, 0) for a, b in figures)]
