"""Text of a PDF's text layer, in reading order, as paragraphs: pdfplumber (over pdfminer.six)
gives the characters with their positions and finds ruled tables; what is ours is the page
furniture and the paragraphs, which no library does for Chinese text:

- running headers and footers (a line at the top or bottom of the page that repeats on most
  pages, digits aside) and page numbers (1, - 1 -, 第1页 共3页, 1/3) are dropped;
- lines the PDF hard-wrapped are joined back: a line that runs to the right edge of the text
  is continued by the next one, unless that one is indented, starts a numbering marker
  (一、 （一） 1. …) or has another font size;
- a table that pdfplumber finds from its rules is one line per row, its cells joined by ` | `,
  merged cells kept with their row and column spans (for the table stage).

A PDF with no text layer (a scan) is a ReadError that says it needs OCR, never an empty text.
Reading order is top to bottom on each page: two-column layouts are read across.
"""

from __future__ import annotations

import io
import re
import statistics
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..errors import LimitError, ReadError
from ..normalise import normalise
from ..numbering import parse_marker
from .builder import CellDraft, TextBuilder
from .docx import _bullet
from .source import Table

MAX_PAGES = 3000
_PAGE_NUMBER = re.compile(
    r"[-—–~·•\s]*(?:\d{1,4}|[ivxlcIVXLC]{1,6})[-—–~·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|第\s*\d{1,4}\s*頁(?:\s*[,，/]?\s*共\s*\d{1,4}\s*頁)?"
    r"|共\s*\d{1,4}\s*[页頁]\s*第\s*\d{1,4}\s*[页頁]|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?",
    re.I)
_EDGE = 0.1  # the top and bottom tenth of a page is where running headers and footers stand


@dataclass
class PdfText:
    text: str
    tables: tuple[Table, ...]
    pages: int


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    page_height: float
    lead: float = 0.0  # width of its first unbreakable piece (a character, a word, 100%。)


@dataclass
class _TableAt:
    top: float
    page: int
    rows: list[list[CellDraft]]


def read_pdf(data: bytes, path: str | None = None, max_pages: int = MAX_PAGES) -> PdfText:
    try:
        import pdfplumber
    except ImportError as e:  # a core dependency, but say what is missing rather than crash
        raise ReadError(path, "reading PDF needs pdfplumber (pip install pdfplumber)") from e
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        n_pages = len(pdf.pages)
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise ReadError(path, _open_error(e)) from e
    with pdf:
        if n_pages == 0:
            raise ReadError(path, "not a valid PDF: it has no pages")
        if n_pages > max_pages:
            raise LimitError(path, f"PDF has {n_pages} pages, over the limit of {max_pages}")
        lines: list[_Line] = []
        tables: list[_TableAt] = []
        any_chars = False
        try:
            for number, page in enumerate(pdf.pages):
                page_lines, page_tables, had_chars = _page(page, number)
                any_chars = any_chars or had_chars
                lines.extend(page_lines)
                tables.extend(page_tables)
                page.close()  # frees its parsed objects: long PDFs stay small in memory
        except (ReadError, LimitError):
            raise
        except Exception as e:
            raise ReadError(path, f"damaged PDF: a page cannot be read ({type(e).__name__}: {e})") from e
    if not any_chars:
        raise ReadError(path, "no text layer: needs OCR (a scanned PDF: its pages are images)")
    joined = "".join(line.text for line in lines)
    if joined.count("(cid:") * 6 > max(len(joined), 1) * 0.3:
        raise ReadError(path, "no usable text layer: its fonts map no characters to Unicode (needs OCR)")
    body = _drop_furniture(lines, n_pages)
    out = TextBuilder()
    _write(body, tables, out)
    text = out.text()
    if not text.strip():
        raise ReadError(path, "no text layer: needs OCR (the PDF shows no text)")
    return PdfText(text, tuple(out.tables), n_pages)


def _open_error(e: Exception) -> str:
    name = type(e).__name__
    if "Password" in name or "Encrypt" in name:
        return "encrypted PDF: needs a password"
    return f"not a valid PDF ({name}: {e})"


# ---- one page -------------------------------------------------------------------------------

def _clean(text: str) -> str:
    """Kangxi radicals and compatibility ideographs (which many PDF fonts map 一 十 and others
    to) as the ideographs they show; one character for one, so nothing else moves."""
    out = []
    for ch in text:
        o = ord(ch)
        if 0x2E80 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF:
            folded = unicodedata.normalize("NFKC", ch)
            out.append(folded if len(folded) == 1 else ch)
        elif ch == "\x00" or (o < 0x20 and ch not in "\t"):
            continue
        elif 0xF000 <= o <= 0xF0FF:  # a Symbol / Wingdings bullet
            out.append(_bullet(ch))
        else:
            out.append(ch)
    return "".join(out)


def _page(page: Any, number: int) -> tuple[list[_Line], list[_TableAt], bool]:
    page = page.dedupe_chars()  # fake bold: each character drawn twice, a hair apart
    chars = [c for c in page.chars if c.get("upright", True) and c["text"].strip()]
    if not chars:
        return [], [], False
    found = []
    try:
        found = page.find_tables()
    except Exception:  # a malformed drawing: the page is read without its tables
        found = []
    boxes = [t.bbox for t in found]

    def in_table(obj: dict) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    # Watermarks and rotated text are not upright: not part of the reading.
    body_page = page.filter(lambda o: o.get("object_type") != "char" or
                            (o.get("upright", True) and not in_table(o)))
    lines = []
    # A gap of a quarter of the font size is a space: Latin glyphs next to Chinese ones stand
    # further apart than pdfplumber's fixed 3 pt at large sizes.
    for raw in body_page.extract_text_lines(strip=True, return_chars=True, x_tolerance_ratio=0.25):
        text = _clean(raw["text"])
        if not text.strip():
            continue
        sizes = [c["size"] for c in raw.get("chars", []) if c["text"].strip()] or [10.0]
        lines.append(_Line(text, raw["x0"], raw["x1"], raw["top"], raw["bottom"], statistics.median(sizes),
                           number, float(page.height), _lead([c for c in raw.get("chars", []) if c["text"].strip()])))
    all_chars = [c for c in page.chars if c.get("upright", True)]  # spaces too: they part words in cells
    tables = [_TableAt(t.bbox[1], number, _table_rows(t, all_chars)) for t in found]
    return lines, [t for t in tables if any(c.parts for r in t.rows for c in r)], True


_NO_START = set("、，。；：！？）》」』】〕〉”’%·…,.;:!?)]}")  # never begins a line (kinsoku)
_NO_END = set("“‘（《「『【〔〈([{")  # never ends one


_QUOTES = set("“”‘’\"'")  # no break on either side of them (UAX #14, LB19)


def _lead(chars: list[dict]) -> float:
    """How wide the line's first piece is that could not have been left on the line before:
    a Latin word or number, else a character, with what may not be parted from it (the
    punctuation that may not begin a line, an opening bracket, quotation marks)."""
    if not chars:
        return 0.0
    k = 1
    while k < len(chars):
        a, b = chars[k - 1]["text"], chars[k]["text"]
        latin = a.isascii() and b.isascii() and \
            chars[k]["x0"] - chars[k - 1]["x1"] < 0.2 * chars[k]["size"]
        if not (latin or b in _NO_START or a in _NO_END or a in _QUOTES or b in _QUOTES):
            break
        k += 1
    return chars[k - 1]["x1"] - chars[0]["x0"]


def _starts_item(paragraph: str, line: str) -> bool:
    """A wrapped line that starts a numbered item of its own: it starts with a marker, the text
    before ends a clause, and the marker does not go on an enumeration inside the paragraph."""
    return (_starts_marker(line) and paragraph.rstrip()[-1:] in set("。；：！？.;:!?）)」』”")
            and not _inline_sequel(paragraph, line))


def _inline_sequel(paragraph: str, line: str) -> bool:
    """The line starts with the marker that follows one standing inside the paragraph (…；2、…
    then 3、…): an enumeration run on in one paragraph, wrapped before its next number."""
    m = parse_marker(normalise(line.lstrip()[:12]), 0)
    if m is None or m.value < 2:
        return False
    norm = normalise(paragraph)
    for i in range(1, len(norm)):
        if norm[i - 1] in "；;：:。，,、 )）":
            before = parse_marker(norm, i)
            if before is not None and before.style == m.style and before.value == m.value - 1:
                return True
    return False


def _table_rows(table: Any, chars: list[dict]) -> list[list[CellDraft]]:
    """A found table's cells on its grid: each cell in the row where it starts, with the rows and
    columns it spans, and its text as paragraphs."""
    cells = [c for c in table.cells if c]
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])

    def index(edges: list[float], v: float) -> int:
        return min(range(len(edges)), key=lambda i: abs(edges[i] - v))

    grid: dict[int, list[tuple[int, CellDraft]]] = {}
    texts: dict[tuple, list[dict]] = {tuple(c): [] for c in cells}
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for c in cells:
            if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]:
                texts[tuple(c)].append(ch)
                break
    for c in cells:
        r0, r1 = index(ys, c[1]), index(ys, c[3])
        c0, c1 = index(xs, c[0]), index(xs, c[2])
        draft = CellDraft(parts=_cell_parts(texts[tuple(c)], c[0], c[2]), rowspan=max(1, r1 - r0),
                          colspan=max(1, c1 - c0))
        grid.setdefault(r0, []).append((c0, draft))
    return [[d for _, d in sorted(grid[r], key=lambda t: t[0])] for r in sorted(grid)]


def _edges(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _cell_parts(chars: list[dict], left: float, right: float) -> list[str]:
    """A cell's lines, the ones it wrapped joined back (as in the body: the next line's first
    piece would not have fitted), each paragraph one part."""
    lines = _char_lines(chars)
    if not lines:
        return []
    pad = max(0.0, min(row[0]["x0"] for _, row in lines) - left)  # the cell's inner margin
    parts: list[str] = []
    prev_x1 = None
    for text, row in lines:
        size = statistics.median(c["size"] for c in row)
        wrapped = prev_x1 is not None and prev_x1 + _lead([c for c in row if c["text"].strip()]) > right - pad - 0.25 * size
        if parts and wrapped and not _starts_item(parts[-1], text):
            parts[-1] = _join(parts[-1], text)
        else:
            parts.append(text)
        prev_x1 = row[-1]["x1"]
    return [p for p in (x.strip() for x in parts) if p]


def _char_lines(chars: list[dict]) -> list[tuple[str, list[dict]]]:
    """(text, characters) of each line of loose characters, top to bottom; a space where the
    PDF has one, or a gap of a quarter of the font size."""
    rows: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if rows and abs(ch["top"] - rows[-1][0]["top"]) <= max(2.0, 0.4 * ch["size"]):
            rows[-1].append(ch)
        else:
            rows.append([ch])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        pieces: list[str] = []
        last = None
        for ch in row:
            if not ch["text"].strip():
                if pieces and pieces[-1] != " ":
                    pieces.append(" ")
                continue
            if last is not None and ch["x0"] - last["x1"] > 0.25 * ch["size"] and pieces[-1] != " ":
                pieces.append(" ")
            pieces.append(ch["text"])
            last = ch
        visible = [c for c in row if c["text"].strip()]
        if visible:
            out.append((_clean("".join(pieces).strip()), visible))
    return out


# ---- the document ---------------------------------------------------------------------------

def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_furniture(lines: list[_Line], n_pages: int) -> list[_Line]:
    """Without running headers and footers (repeated at a page's edge) and page numbers."""
    by_page: dict[int, list[_Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    edge: list[_Line] = []
    for page_lines in by_page.values():
        page_lines.sort(key=lambda ln: (ln.top, ln.x0))
        h = page_lines[0].page_height
        edge += [ln for ln in page_lines[:2] if ln.bottom <= h * _EDGE * 1.5]
        edge += [ln for ln in page_lines[-2:] if ln.top >= h * (1 - _EDGE * 1.5)]
    counts: dict[str, set[int]] = {}
    for ln in edge:
        counts.setdefault(_key(ln.text), set()).add(ln.page)
    repeated = {k for k, pages in counts.items() if len(pages) >= max(2, (n_pages + 1) // 2)}
    dropped = {id(ln) for ln in edge
               if _key(ln.text) in repeated or _PAGE_NUMBER.fullmatch(ln.text.strip())}
    return [ln for p in sorted(by_page) for ln in by_page[p] if id(ln) not in dropped]


def _starts_marker(text: str) -> bool:
    s = text.lstrip()
    return bool(s) and parse_marker(normalise(s[:12]), 0) is not None


def _join(a: str, b: str) -> str:
    """Two pieces of one wrapped line: Chinese runs on without a space, Latin words keep one."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    if a.endswith("-") and len(a) > 1 and a[-2].isascii() and a[-2].isalpha() and b[:1].isascii():
        return a[:-1] + b  # a hyphenated English word
    return a + b


def _write(lines: list[_Line], tables: list[_TableAt], out: TextBuilder) -> None:
    right = 0.0
    if lines:
        rights = sorted(ln.x1 for ln in lines)
        right = rights[int(len(rights) * 0.9)]  # and its right margin, reached by wrapped lines
    items: list[tuple[int, float, int, _Line | _TableAt]] = [(ln.page, ln.top, 1, ln) for ln in lines]
    items += [(t.page, t.top, 0, t) for t in tables]
    items.sort(key=lambda t: (t[0], t[1], t[2]))
    paragraph: list[str] = []
    prev: _Line | None = None  # the paragraph's last line so far
    first = True  # prev is the paragraph's first line

    def flush() -> None:
        if paragraph:
            out.add_line("".join(paragraph))
            paragraph.clear()

    for _, _, _, item in items:
        if isinstance(item, _TableAt):
            flush()
            prev = None
            out.begin_table()
            for row in item.rows:
                out.add_row(row)
            out.end_table()
            continue
        ln = item
        # The text of a wrapped line goes on at the paragraph's indent: under the first line, or
        # after a numbered first line's label (a hanging indent); more indent is a new paragraph.
        indent = 4 * ln.size if first and prev is not None and _starts_marker(prev.text) else 0.5 * ln.size
        continues = (
            prev is not None
            # this line's first piece would not fit after the line before: the PDF wrapped it
            and prev.x1 + ln.lead > right - 0.25 * ln.size
            and ln.x0 <= prev.x0 + indent
            and abs(ln.size - prev.size) <= 0.15 * max(ln.size, prev.size)
            and (ln.page != prev.page or ln.top - prev.bottom <= 1.2 * ln.size)
            and not _starts_item(paragraph[-1], ln.text)
        )
        if continues:
            paragraph[-1] = _join(paragraph[-1], ln.text)
            first = False
        else:
            flush()
            paragraph.append(ln.text)
            first = True
        prev = ln
    flush()
