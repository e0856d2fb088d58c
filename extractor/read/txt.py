"""Decode the bytes of a text file: BOMs, UTF-8, then a real detector (charset-normalizer)
checked against the other Chinese encodings by how plausible their characters are."""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from .. import startup
from ..errors import ReadError

# UTF-32 first: its little-endian BOM begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Chinese encodings worth trying when the detector is unsure.
_CANDIDATES = ("gb18030", "big5", "cp950", "big5hkscs", "utf-16-le", "utf-16-be")  # ties: the first
_BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x7fELF": "executable",
    b"\xd0\xcf\x11\xe0": "legacy Office (OLE) file",
    b"\x1f\x8b": "gzip archive",
}


_BROKEN = re.compile("\ufffd+")


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    text = startup.resource_text("common_chars.txt")
    return frozenset(text.strip())


def plausibility(text: str, lenient: bool = False) -> float:
    """Share of characters that are ASCII, common CJK or common punctuation. `lenient` also
    counts what real documents hold beside Chinese (… — “” ① ⑴ pinyin é ǎ, Japanese kana) as
    good, so that a document is judged against its other readings rather than refused."""
    if not text:
        return 0.0
    common = _common_chars()
    good = bad = 0.0
    for ch in text[:20000]:
        o = ord(ch)
        if ch in common or ch.isspace() or 0x20 <= o < 0x7F or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
            good += 1
        elif lenient and (0x2000 <= o <= 0x206F or 0x2150 <= o <= 0x24FF or 0x2500 <= o <= 0x25FF
                          or 0xB7 == o or 0xD7 == o or 0xF7 == o or 0xA0 <= o <= 0xBF):
            good += 1  # general punctuation, number forms, arrows, maths, ① ⑴ ⒈, box drawing
        elif lenient and (0xC0 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF):
            good += 0.5  # Latin letters with accents: pinyin, names
        elif lenient and 0x3040 <= o <= 0x30FF:
            good += 0.5  # kana: Japanese text (a wrong Big5 reading gives kana too: half credit)
        elif o < 0x20 or 0xE000 <= o <= 0xF8FF or ch == "\ufffd":
            bad += 3  # control characters, private use, replacement: strong signs of a wrong decoding
        else:
            bad += 1 if "\u4e00" <= ch <= "\u9fff" else 2
    return good / (good + bad)


def decode_text(data: bytes, path: str | None) -> tuple[str, str]:
    """Return (text, encoding name). Raise ReadError for empty, binary or undecodable bytes."""
    if not data:
        raise ReadError(path, "empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name), name
            except UnicodeDecodeError as e:
                raise ReadError(path, f"starts with a {name} byte-order mark but is not valid {name}: {e.reason}") from e
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ReadError(path, f"binary file ({what}), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 3 and e.reason == "unexpected end of data":
            # A file cut off inside its last character: keep the text before it.
            return data[:e.start].decode("utf-8"), "utf-8"
    lenient = data.decode("utf-8", errors="replace")
    bad = len(_BROKEN.findall(lenient))
    if bad and bad <= max(2, len(lenient) // 200) and plausibility(lenient) >= 0.85:
        # UTF-8 with a few broken sequences (a lone surrogate, a cut byte): keep the text,
        # each broken sequence shown as U+FFFD, as a reader would see it.
        return lenient, "utf-8"
    # Every Chinese encoding the bytes are valid in is a candidate: a file valid in its own
    # encoding is never refused, and the most plausible reading wins (Big5 bytes are valid
    # GB18030 too, and UTF-16 decodes most even-length byte strings).
    options: dict[str, str] = {}
    for enc in _CANDIDATES:
        if enc.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030":
            text = text.translate(_GB18030_PUA)
        if _text_like(text):
            options[enc] = text
    if not options:
        mixed = _decode_mixed_lines(data)
        if mixed is not None and _text_like(mixed[0]) and plausibility(mixed[0], lenient=True) >= 0.5:
            return mixed
        # not Chinese: whatever the detector names, if it reads as text
        import charset_normalizer  # here: only text that is not UTF-8 needs it (25 ms of start-up)

        best = charset_normalizer.from_bytes(data).best()
        if best is not None and best.encoding:
            try:
                text = data.decode(best.encoding)
                if _text_like(text) and plausibility(text, lenient=True) >= 0.6:
                    return text, best.encoding
            except (UnicodeDecodeError, LookupError):
                pass
        if b"\x00" in data[:4000]:
            raise ReadError(path, "binary file (contains NUL bytes), not text")
        raise ReadError(path, "cannot decode: not valid UTF-8, GB18030, Big5 or UTF-16 text")
    order = {enc: i for i, enc in enumerate(_CANDIDATES)}
    enc, text = max(options.items(), key=lambda kv: (plausibility(kv[1], lenient=True), -order.get(kv[0], 99)))
    score = plausibility(text, lenient=True)
    if score < 0.9:  # a poor reading: the file may join lines of two encodings
        mixed = _decode_mixed_lines(data)
        if mixed is not None and plausibility(mixed[0], lenient=True) > score:
            text, enc, score = mixed[0], mixed[1], plausibility(mixed[0], lenient=True)
    if score < 0.5:
        if b"\x00" in data[:4000]:
            raise ReadError(path, "binary file (contains NUL bytes), not text")
        raise ReadError(path, f"cannot decode: the bytes are valid {enc} but do not read as text")
    return text, enc


# Python's gb18030 codec keeps the characters that GB18030-2005 and -2022 moved out of the
# private use area at their old PUA code points: give them the characters they are.
_GB18030_PUA = {
    0xE816: 0x20087, 0xE817: 0x20089, 0xE818: 0x200CC, 0xE831: 0x215D7, 0xE83B: 0x2298F, 0xE855: 0x241FE,
    0xE7C7: 0x1E3F, 0xE78D: 0xFE10, 0xE78E: 0xFE12, 0xE78F: 0xFE11, 0xE790: 0xFE13, 0xE791: 0xFE14,
    0xE792: 0xFE15, 0xE793: 0xFE16, 0xE794: 0xFE17, 0xE795: 0xFE18, 0xE796: 0xFE19, 0xE81E: 0x9FB4,
    0xE826: 0x9FB5, 0xE82B: 0x9FB6, 0xE82C: 0x9FB7, 0xE832: 0x9FB8, 0xE843: 0x9FB9, 0xE854: 0x9FBA,
    0xE864: 0x9FBB,
}


def _text_like(text: str) -> bool:
    """No NULs, few control characters, few unassigned or lone-surrogate code points: what a
    wrong decoding of binary-looking bytes gives."""
    if "\x00" in text:
        return False
    sample = text[:20000]
    odd = 0
    for ch in sample:
        o = ord(ch)
        if (o < 0x20 and ch not in "\t\n\r\f\v\x1b") or 0x7F <= o < 0xA0:
            odd += 1
        elif o >= 0x3400 and unicodedata.category(ch) in ("Cn", "Cs"):
            odd += 1
    return odd <= max(2, len(sample) // 200)


def _decode_mixed_lines(data: bytes) -> tuple[str, str] | None:
    """Archives sometimes join files of different encodings: the lines that are valid UTF-8 as
    UTF-8, the others in the one legacy encoding that reads them best. None where the file is
    not mixed (no line needs UTF-8, or none needs another encoding)."""
    lines = data.splitlines(keepends=True)
    utf8: dict[int, str] = {}
    for i, line in enumerate(lines):
        if not line.isascii():
            try:
                utf8[i] = line.decode("utf-8")
            except UnicodeDecodeError:
                pass
    rest = [i for i, line in enumerate(lines) if i not in utf8 and not line.isascii()]
    if not utf8 or not rest:
        return None
    joined = b"".join(lines[i] for i in rest)
    best: tuple[float, str] | None = None
    for enc in ("gb18030", "big5hkscs", "cp950", "big5"):
        try:
            score = plausibility(joined.decode(enc), lenient=True)
        except UnicodeDecodeError:
            continue
        if best is None or score > best[0]:
            best = (score, enc)
    if best is None:
        return None
    enc = best[1]
    parts = [utf8[i] if i in utf8 else line.decode(enc if i in rest else "ascii") for i, line in enumerate(lines)]
    text = "".join(parts)
    if enc == "gb18030":
        text = text.translate(_GB18030_PUA)
    return text, f"mixed(utf-8+{enc})"
