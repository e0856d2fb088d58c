"""Text of a .docx as Word shows it: body paragraphs with their automatic numbering (一、 （一）
1. …) rendered in, tables as rows (a row per line, cells joined by ` | `, as the HTML reader
renders them; rows and merged cells kept for the table stage), text boxes after the paragraph
that anchors them, footnotes after the paragraph that cites them, endnotes at the end. Headers,
footers, page-number fields, the table of contents, deleted and hidden text are dropped.

python-docx opens the package (parts found through their relationships, style names and
inheritance); it renders neither numbering nor text boxes, so the walk over the XML is ours.
Its limits are ours too: before python-docx sees the file, the zip is checked (part count,
decompressed size, compression ratio) and every XML part is refused if it declares a DTD or
entities (python-docx's parser resolves none, and loads no DTD).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from ..errors import ReadError
from .builder import CellDraft, TextBuilder
from .source import Table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True)
MAX_PARTS = 5000  # zip entries in one .docx
MAX_TOTAL = 512 * 2**20  # bytes decompressed over all its parts
MAX_RATIO = 200  # decompressed / compressed for a part over 1 MiB: more is a zip bomb

_RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"


@dataclass
class DocxText:
    text: str
    tables: tuple[Table, ...]
    styles: tuple[tuple[int, int, str], ...]


def docx_to_text(data: bytes, path: str | None = None, max_unzipped: int = 200 * 2**20) -> str:
    return read_docx(data, path, max_unzipped).text


def docx_to_text_and_tables(data: bytes, path: str | None = None,
                            max_unzipped: int = 200 * 2**20) -> tuple[str, tuple[Table, ...]]:
    got = read_docx(data, path, max_unzipped)
    return got.text, got.tables


def read_docx(data: bytes, path: str | None = None, max_unzipped: int = 200 * 2**20) -> DocxText:
    """The text, tables and paragraph styles of a .docx; a ReadError names what is wrong."""
    _check_package(data, path, max_unzipped)
    import docx  # python-docx: imported here, the other formats do not need it

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as e:
        raise ReadError(path, f"damaged .docx: a part cannot be unzipped ({e})") from e
    except etree.XMLSyntaxError as e:
        raise ReadError(path, f"damaged .docx: a part is not well-formed XML ({e})") from e
    except (KeyError, ValueError):
        # python-docx wants the package's content types and relationships; a zip that only
        # holds word/document.xml (as some converters write it) is read by its part names.
        body, roots = _raw_parts(data, path, max_unzipped)
    else:
        part = document.part
        body = document.element.find(f"{_W}body")
        roots = [_related_xml(part, rt, path) for rt in (_RT_STYLES, _RT_NUMBERING, _RT_FOOTNOTES, _RT_ENDNOTES)]
    if body is None:
        raise ReadError(path, "the .docx main document has no body")
    styles = _Styles(roots[0])
    walker = _Walker(styles, _Numbering(roots[1], styles), _notes(roots[2], "footnote"),
                     _notes(roots[3], "endnote"))
    out = TextBuilder()
    walker.blocks(body, out)
    for note in walker.endnotes_cited:
        walker.blocks(note, out)
    return DocxText(out.text(), tuple(out.tables), tuple(walker.styles_seen))


def _check_package(data: bytes, path: str | None, max_unzipped: int) -> None:
    """The zip's limits, and no DTD in any XML part, before python-docx reads anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ReadError(path, f"not a valid .docx (zip) file: {e}") from e
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise ReadError(path, f".docx has {len(infos)} parts, over the limit of {MAX_PARTS}")
        names = {i.filename for i in infos}
        if "word/document.xml" not in names and "_rels/.rels" not in names:
            raise ReadError(path, "not a .docx: word/document.xml is missing")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > max_unzipped or (info.file_size > 2**20 and info.compress_size
                                                 and info.file_size / info.compress_size > MAX_RATIO):
                raise ReadError(path, f"{info.filename} unzips to {info.file_size} bytes from "
                                      f"{info.compress_size} (zip bomb?): refused")
            if total > MAX_TOTAL:
                raise ReadError(path, f".docx unzips to over {MAX_TOTAL} bytes (zip bomb?): refused")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(info) as fh:  # reads stop at the declared size
                    xml = fh.read(max_unzipped + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as e:
                # a damaged deflate stream, a bad CRC, an encrypted or unknown compression
                raise ReadError(path, f"damaged .docx: {info.filename} cannot be unzipped ({e})") from e
            if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
                raise ReadError(path, f"{info.filename} declares a DTD or entities: refused (XXE)")


def _raw_parts(data: bytes, path: str | None,
               max_unzipped: int) -> tuple[etree._Element | None, list[etree._Element | None]]:
    roots: list[etree._Element | None] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise ReadError(path, "not a .docx: word/document.xml is missing")
        for name in ("word/document.xml", "word/styles.xml", "word/numbering.xml", "word/footnotes.xml",
                     "word/endnotes.xml"):
            if name not in names:
                roots.append(None)
                continue
            try:
                with archive.open(name) as fh:
                    roots.append(etree.fromstring(fh.read(max_unzipped + 1), _PARSER))
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as e:
                raise ReadError(path, f"damaged .docx: {name} cannot be unzipped ({e})") from e
            except etree.XMLSyntaxError as e:
                raise ReadError(path, f"{name} is not well-formed XML: {e}") from e
    document = roots[0]
    return (document.find(f"{_W}body") if document is not None else None), roots[1:]


def _related_xml(part: object, reltype: str, path: str | None) -> etree._Element | None:
    """The root of the part related to the document by `reltype`, or None."""
    try:
        related = part.part_related_by(reltype)  # type: ignore[attr-defined]
    except KeyError:
        return None
    element = getattr(related, "element", None)
    if element is not None:  # python-docx parsed it already (styles, numbering)
        return element
    blob = getattr(related, "blob", None)
    if not blob:
        return None
    try:
        return etree.fromstring(blob, _PARSER)
    except etree.XMLSyntaxError as e:
        raise ReadError(path, f"damaged .docx: {related.partname} is not well-formed XML ({e})") from e  # type: ignore[attr-defined]


def _notes(root: etree._Element | None, kind: str) -> dict[str, etree._Element]:
    if root is None:
        return {}
    return {n.get(f"{_W}id"): n for n in root.findall(f"{_W}{kind}")
            if n.get(f"{_W}type") in (None, "normal")}  # not the separator lines


# ---- styles ---------------------------------------------------------------------------------

_HEADING = re.compile(r"(?:heading|标题|標題|titre|überschrift)\s*([1-9])", re.I)
_TITLE = re.compile(r"(?:title|标题|標題)", re.I)
_LIST = re.compile(r"(?:list paragraph|列出段落|列表段落|清單段落|list bullet|list number|list)\b", re.I)


@dataclass
class _Style:
    name: str
    based_on: str | None
    ppr: etree._Element | None


class _Styles:
    """Paragraph styles by id: the normalised kind (heading1 … heading9, title, list) of a style,
    through its basedOn chain, and the numbering it carries."""

    def __init__(self, root: etree._Element | None) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default: str | None = None
        if root is None:
            return
        for s in root.findall(f"{_W}style"):
            if s.get(f"{_W}type") not in (None, "paragraph"):
                continue
            sid = s.get(f"{_W}styleId") or ""
            name_el, based = s.find(f"{_W}name"), s.find(f"{_W}basedOn")
            self.by_id[sid] = _Style(name_el.get(f"{_W}val", "") if name_el is not None else "",
                                     based.get(f"{_W}val") if based is not None else None, s.find(f"{_W}pPr"))
            if s.get(f"{_W}default") in ("1", "true", "on"):
                self.default = sid

    def chain(self, sid: str | None) -> list[tuple[str, _Style]]:
        out: list[tuple[str, _Style]] = []
        while sid and sid in self.by_id and len(out) < 10 and all(sid != s for s, _ in out):
            out.append((sid, self.by_id[sid]))
            sid = self.by_id[sid].based_on
        return out

    def kind(self, sid: str | None, ppr: etree._Element | None) -> str | None:
        level = _outline_level(ppr)
        for _, style in self.chain(sid):
            name = style.name.strip()
            m = _HEADING.fullmatch(name)
            if m:
                return f"heading{m.group(1)}"
            if _TITLE.fullmatch(name):
                return "title"
            if _LIST.match(name):
                return "list"
            if level is None:
                level = _outline_level(style.ppr)
        return f"heading{level + 1}" if level is not None else None

    def numpr(self, sid: str | None) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, the style that carries it) from the style chain."""
        for styled, style in self.chain(sid):
            num = style.ppr.find(f"{_W}numPr") if style.ppr is not None else None
            if num is not None:
                return _val(num.find(f"{_W}numId")), _int(_val(num.find(f"{_W}ilvl"))), styled
        return None, None, None


def _outline_level(ppr: etree._Element | None) -> int | None:
    lvl = _int(_val(ppr.find(f"{_W}outlineLvl"))) if ppr is not None else None
    return lvl if lvl is not None and 0 <= lvl <= 8 else None


def _val(el: etree._Element | None) -> str | None:
    return el.get(f"{_W}val") if el is not None else None


def _int(s: str | None) -> int | None:
    try:
        return int(s) if s is not None else None
    except ValueError:
        return None


# ---- numbering ------------------------------------------------------------------------------

@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # lvlText; None: "%N" of its own level
    restart: int | None = None  # lvlRestart
    legal: bool = False  # isLgl: every number decimal
    suffix: str = "tab"
    style: str | None = None  # pStyle: the paragraph style this level belongs to


def _level(lvl: etree._Element) -> _Level:
    text_el = lvl.find(f"{_W}lvlText")
    start = _int(_val(lvl.find(f"{_W}start")))
    return _Level(start=1 if start is None else start,
                  fmt=_val(lvl.find(f"{_W}numFmt")) or "decimal",
                  text=text_el.get(f"{_W}val") if text_el is not None else None,
                  restart=_int(_val(lvl.find(f"{_W}lvlRestart"))),
                  legal=lvl.find(f"{_W}isLgl") is not None and _val(lvl.find(f"{_W}isLgl")) not in ("0", "false"),
                  suffix=_val(lvl.find(f"{_W}suff")) or "tab", style=_val(lvl.find(f"{_W}pStyle")))


@dataclass
class _Instance:
    levels: dict[int, _Level]
    counters: dict[int, int] = field(default_factory=dict)


class _Numbering:
    """Word's list counters: each paragraph with numbering (its own numPr, or its style's)
    advances its level, restarts the levels below, and shows lvlText with %1 … %9 filled in."""

    def __init__(self, root: etree._Element | None, styles: _Styles) -> None:
        self.styles = styles
        self.abstract: dict[str, etree._Element] = {}
        self.nums: dict[str, etree._Element] = {}
        self.instances: dict[str, _Instance] = {}
        if root is None:
            return
        for a in root.findall(f"{_W}abstractNum"):  # a repeated id: the first one counts, as in Word
            self.abstract.setdefault(a.get(f"{_W}abstractNumId") or "", a)
        for n in root.findall(f"{_W}num"):
            self.nums.setdefault(n.get(f"{_W}numId") or "", n)

    def _abstract_of(self, num_id: str, depth: int = 0) -> tuple[str, etree._Element] | None:
        num = self.nums.get(num_id)
        aid = _val(num.find(f"{_W}abstractNumId")) if num is not None else None
        a = self.abstract.get(aid or "")
        if a is None or aid is None:
            return None
        link = _val(a.find(f"{_W}numStyleLink"))
        if link and depth < 3:  # the list is defined by a numbering style's own numPr
            linked, _, _ = self.styles.numpr(link)
            if linked and linked != num_id:
                got = self._abstract_of(linked, depth + 1)
                if got:
                    return got
        return aid, a

    def _instance(self, num_id: str) -> _Instance | None:
        num = self.nums.get(num_id)
        found = self._abstract_of(num_id)
        if num is None or found is None:
            return None
        aid, a = found
        overrides = num.findall(f"{_W}lvlOverride")
        # Numbers of the same abstract list continue across its nums unless a num restarts them.
        key = f"num:{num_id}" if overrides else f"abstract:{aid}"
        inst = self.instances.get(key)
        if inst is None:
            levels = {(_int(lv.get(f"{_W}ilvl")) or 0): _level(lv) for lv in a.findall(f"{_W}lvl")}
            for o in overrides:
                ilvl = _int(o.get(f"{_W}ilvl")) or 0
                lv = o.find(f"{_W}lvl")
                if lv is not None:
                    levels[ilvl] = _level(lv)
                start = _int(_val(o.find(f"{_W}startOverride")))
                if start is not None:
                    levels.setdefault(ilvl, _Level()).start = start
            inst = self.instances[key] = _Instance(levels)
        return inst

    def label(self, ppr: etree._Element | None, style_id: str | None) -> str:
        """The label Word shows before this paragraph ("" where it has none); counts it."""
        num = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id, ilvl = (_val(num.find(f"{_W}numId")), _int(_val(num.find(f"{_W}ilvl")))) if num is not None else (None, None)
        if num_id is None:
            num_id, style_ilvl, carrier = self.styles.numpr(style_id)
            if ilvl is None:
                ilvl = style_ilvl
        else:
            carrier = None
        if not num_id or num_id == "0":
            return ""
        inst = self._instance(num_id)
        if inst is None:
            return ""
        if ilvl is None:  # a style's list: the level that names the style
            ilvl = next((k for k, lv in inst.levels.items() if lv.style in (style_id, carrier)), 0)
        ilvl = max(0, min(ilvl, 8))
        level = inst.levels.get(ilvl, _Level())
        inst.counters[ilvl] = inst.counters[ilvl] + 1 if ilvl in inst.counters else level.start
        for deeper in [k for k in inst.counters if k > ilvl]:
            restart = inst.levels.get(deeper, _Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                del inst.counters[deeper]
        if level.fmt == "none":
            shown = ""
        else:
            template = level.text if level.text is not None else f"%{ilvl + 1}"

            def fill(m: re.Match[str]) -> str:
                k = int(m.group(1)) - 1
                lv = inst.levels.get(k, _Level())
                n = inst.counters.get(k, lv.start)
                return format_number(n, "decimal" if level.legal and k != ilvl else lv.fmt)

            shown = _bullet(template) if level.fmt == "bullet" else re.sub(r"%([1-9])", fill, template)
        if not shown:
            return ""
        # A tab after the number shows as a space: a tab inside a line reads as a table's cell break.
        return shown + ("" if level.suffix == "nothing" else " ")


_CN = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TW_LEGAL = "零壹貳參肆伍陸柒捌玖"


def _chinese(n: int, digits: str = _CN, ten: str = "十", hundred: str = "百", thousand: str = "千",
             legal: bool = False) -> str:
    """1 → 一, 11 → 十一, 20 → 二十, 105 → 一百零五 (as Word counts in chineseCounting); the legal
    forms keep the one before ten (壹拾贰)."""
    if n <= 0 or n >= 10000:
        return str(n)
    out, zero = "", False
    for unit, name in ((1000, thousand), (100, hundred), (10, ten), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero:
                out += "零"
            out += ("" if d == 1 and unit == 10 and not out and not legal else digits[d]) + name
            zero = False
        elif out:
            zero = True
    return out


def _letters(n: int, upper: bool) -> str:
    if n <= 0:
        return str(n)
    ch = chr((ord("A") if upper else ord("a")) + (n - 1) % 26)
    return ch * ((n - 1) // 26 + 1)  # Word: AA, BB after Z


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _enclosed(n: int, first: int, last: int) -> str:
    return chr(first + n - 1) if 1 <= n <= last - first + 1 else str(n)


def format_number(n: int, fmt: str) -> str:
    """A list number as Word writes it in the numFmt `fmt`."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "japaneseCounting", "koreanCounting"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾", "佰", "仟", legal=True)
    if fmt in ("ideographLegalTraditional", "japaneseLegal"):
        return _chinese(n, _TW_LEGAL, "拾", "佰", "仟", legal=True)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed(n, 0x2460, 0x2473)  # ① … ⑳
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, 0x2474, 0x2487)  # ⑴ … ⒇
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(n, 0x2488, 0x249B)  # ⒈ … ⒛
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n, True)
    if fmt == "lowerLetter":
        return _letters(n, False)
    return str(n)  # decimal, ordinal, cardinalText …: the digits


# Bullets in the Symbol / Wingdings fonts are private-use code points: show what they draw.
_SYMBOL_BULLETS = {"\uf0b7": "•", "\uf06c": "●", "\uf0a7": "▪", "\uf06e": "■", "\uf075": "◆", "\uf0d8": "➢",
                   "\uf0fc": "✓", "\uf076": "❖", "\uf0a8": "◆", "\uf071": "❑", "\uf06f": "□", "\uf0e8": "➔"}


def _bullet(text: str) -> str:
    return "".join(_SYMBOL_BULLETS.get(ch, "•" if "\uf000" <= ch <= "\uf0ff" else ch) for ch in text)


# ---- the walk -------------------------------------------------------------------------------

_CONTAINERS = frozenset(f"{_W}{t}" for t in ("sdt", "sdtContent", "customXml", "ins", "smartTag", "moveTo"))
_INLINE = frozenset(f"{_W}{t}" for t in ("hyperlink", "ins", "smartTag", "customXml", "sdt", "sdtContent",
                                         "moveTo", "dir", "bdo", "fldSimple"))
_SKIP = frozenset(f"{_W}{t}" for t in ("del", "moveFrom", "pPr", "rPr", "proofErr", "bookmarkStart",
                                       "bookmarkEnd", "commentRangeStart", "commentRangeEnd"))
# Fields whose result is page furniture, not text: page numbers, and the table of contents
# (its lines repeat the headings, with page numbers).
_DROPPED_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF", "TOC"})


@dataclass
class _Field:
    code: str = ""
    in_result: bool = False

    @property
    def dropped(self) -> bool:
        words = self.code.split(maxsplit=1)
        return not self.in_result or (bool(words) and words[0].upper() in _DROPPED_FIELDS)


@dataclass
class _Para:
    text: list[str] = field(default_factory=list)
    boxes: list[etree._Element] = field(default_factory=list)  # text boxes' contents, in order
    notes: list[etree._Element] = field(default_factory=list)  # the footnotes it cites


class _Walker:
    def __init__(self, styles: _Styles, numbering: _Numbering, footnotes: dict[str, etree._Element],
                 endnotes: dict[str, etree._Element]) -> None:
        self.styles, self.numbering = styles, numbering
        self.footnotes, self.endnotes = footnotes, endnotes
        self.endnotes_cited: list[etree._Element] = []
        self.fields: list[_Field] = []  # complex fields open here (they may span paragraphs)
        self.styles_seen: list[tuple[int, int, str]] = []
        self.depth = 0

    def blocks(self, parent: etree._Element, out: TextBuilder) -> None:
        self.depth += 1
        try:
            if self.depth > 50:  # text boxes in text boxes …: deeper is not a real document
                return
            for el in parent:
                if el.tag == f"{_W}p":
                    self._paragraph_lines(el, out)
                elif el.tag == f"{_W}tbl":
                    self._table(el, out)
                elif el.tag in _CONTAINERS:
                    self.blocks(el, out)
        finally:
            self.depth -= 1

    def _paragraph_lines(self, p: etree._Element, out: TextBuilder) -> None:
        para = self._paragraph(p)
        text = "".join(para.text)
        start = out.length + 1 if out.lines else 0
        for line in text.split("\n"):
            out.add_line(line, keep_blank=True)  # blank paragraphs are blank lines, as in a .txt
        kind = self._style_kind(p)
        if kind and text.strip():
            self.styles_seen.append((start, out.length, kind))
        for box in para.boxes:
            self.blocks(box, out)
        for note in para.notes:
            self.blocks(note, out)

    def _style_id(self, p: etree._Element) -> tuple[str | None, etree._Element | None]:
        ppr = p.find(f"{_W}pPr")
        sid = _val(ppr.find(f"{_W}pStyle")) if ppr is not None else None
        return sid or self.styles.default, ppr

    def _style_kind(self, p: etree._Element) -> str | None:
        sid, ppr = self._style_id(p)
        return self.styles.kind(sid, ppr)

    def _paragraph(self, p: etree._Element) -> _Para:
        para = _Para()
        sid, ppr = self._style_id(p)
        label = self.numbering.label(ppr, sid)
        if label:
            para.text.append(label)
        self._inline(p, para)
        return para

    def _inline(self, parent: etree._Element, para: _Para) -> None:
        for el in parent:
            tag = el.tag
            if tag == f"{_W}r":
                self._run(el, para)
            elif tag == f"{_W}fldSimple":
                code = (el.get(f"{_W}instr") or "").split(maxsplit=1)[:1]
                if not (code and code[0] in _DROPPED_FIELDS):
                    self._inline(el, para)
            elif tag in _INLINE:
                self._inline(el, para)
            elif tag == f"{_M}oMath" or tag == f"{_M}oMathPara":
                para.text.extend(t.text or "" for t in el.iter(f"{_M}t"))
            elif tag == f"{_MC}AlternateContent":
                self._alternate(el, para)

    def _alternate(self, el: etree._Element, para: _Para) -> None:
        """One of the alternatives (the first choice, else the fallback): both hold the same text."""
        chosen = _chosen(el)
        if chosen is not None:
            self._inline(chosen, para)

    def _run(self, r: etree._Element, para: _Para) -> None:
        rpr = r.find(f"{_W}rPr")
        hidden = rpr is not None and rpr.find(f"{_W}vanish") is not None and \
            _val(rpr.find(f"{_W}vanish")) not in ("0", "false")
        for el in r:
            tag = el.tag
            if tag == f"{_W}fldChar":
                kind = el.get(f"{_W}fldCharType")
                if kind == "begin":
                    self.fields.append(_Field())
                elif kind == "separate" and self.fields:
                    self.fields[-1].in_result = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if tag == f"{_W}instrText":
                if self.fields:
                    self.fields[-1].code += el.text or ""
                continue
            if tag in (f"{_W}drawing", f"{_W}pict", f"{_MC}AlternateContent", f"{_W}object"):
                chosen = _chosen(el) if tag == f"{_MC}AlternateContent" else el
                if not hidden and chosen is not None:
                    para.boxes.extend(_boxes(chosen))
                continue
            if tag == f"{_W}footnoteReference" or tag == f"{_W}endnoteReference":
                notes = self.footnotes if tag == f"{_W}footnoteReference" else self.endnotes
                note = notes.get(el.get(f"{_W}id"))
                if note is not None:
                    (para.notes if notes is self.footnotes else self.endnotes_cited).append(note)
                continue
            if hidden or any(f.dropped for f in self.fields):
                continue
            if tag == f"{_W}t":
                para.text.append(el.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                para.text.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                para.text.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                para.text.append("-")
            elif tag == f"{_W}sym":
                code = _int_hex(el.get(f"{_W}char"))
                if code is not None:
                    para.text.append(_bullet(chr(code)))

    def _table(self, tbl: etree._Element, out: TextBuilder) -> None:
        """Rows of a Word table; a vertically merged cell (vMerge) becomes one cell with a rowspan,
        as HTML writes it, so both forms of a table give the same rows."""
        rows: list[list[CellDraft]] = []
        top_of: dict[int, CellDraft] = {}  # grid column -> the open vMerge cell that starts there
        for tr in tbl.iter(f"{_W}tr"):
            if _owner_table(tr) is not tbl:
                continue  # a row of a table nested in a cell: read with that cell
            row: list[CellDraft] = []
            col = _int_val(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
            for tc in tr.iter(f"{_W}tc"):
                if _owner_row(tc) is not tr:
                    continue  # a cell of a table nested in a cell
                span = _int_val(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1)
                merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                if merge is not None and merge.get(f"{_W}val") != "restart" and col in top_of:
                    top_of[col].rowspan += 1
                    self._cell_parts(tc)  # counted by the numbering all the same
                else:
                    draft = CellDraft(colspan=span, parts=self._cell_parts(tc))
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

    def _cell_parts(self, tc: etree._Element) -> list[str]:
        parts: list[str] = []

        def collect(parent: etree._Element) -> None:
            for el in parent:
                if el.tag == f"{_W}p":
                    para = self._paragraph(el)
                    parts.extend(t for t in (x.strip() for x in "".join(para.text).split("\n")) if t)
                    for box in [*para.boxes, *para.notes]:
                        collect(box)
                elif el.tag == f"{_W}tbl":  # a table in a cell: its cells' text, in order
                    for tr in el.findall(f"{_W}tr"):
                        for inner in tr.findall(f"{_W}tc"):
                            collect(inner)
                elif el.tag in _CONTAINERS:
                    collect(el)

        collect(tc)
        return parts


def _chosen(alternate: etree._Element) -> etree._Element | None:
    choice = alternate.find(f"{_MC}Choice")
    return choice if choice is not None else alternate.find(f"{_MC}Fallback")


def _boxes(el: etree._Element) -> list[etree._Element]:
    """The text boxes inside a drawing or a VML shape, outermost only (a box in a box is read
    with the outer one), and of an mc:AlternateContent only one alternative (both hold them)."""
    found: list[etree._Element] = []
    for child in el:
        if child.tag == f"{_W}txbxContent":
            found.append(child)
        elif child.tag == f"{_MC}AlternateContent":
            chosen = _chosen(child)
            if chosen is not None:
                found.extend(_boxes(chosen))
        elif isinstance(child.tag, str):
            found.extend(_boxes(child))
    return found


def _owner_table(tr: etree._Element) -> etree._Element | None:
    return next((a for a in tr.iterancestors(f"{_W}tbl")), None)


def _owner_row(tc: etree._Element) -> etree._Element | None:
    return next((a for a in tc.iterancestors(f"{_W}tr")), None)


def _int_hex(s: str | None) -> int | None:
    try:
        return int(s, 16) if s else None
    except ValueError:
        return None


def _int_val(el: etree._Element | None, default: int) -> int:
    try:
        return max(1, min(int(el.get(f"{_W}val")), 1000)) if el is not None else default
    except (TypeError, ValueError):
        return default
