"""Decode the bytes of a text file: BOMs, UTF-8, then a real detector (charset-normalizer)
checked against the other Chinese encodings by how plausible their characters are."""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from importlib import resources

import charset_normalizer

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
_CANDIDATES = ("gb18030", "big5", "cp950", "big5hkscs", "utf-16-le", "utf-16-be")
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
    text = resources.files("extractor.resources").joinpath("common_chars.txt").read_text("utf-8")
    return frozenset(text.strip())


def plausibility(text: str) -> float:
    """Share of characters that are ASCII, common CJK or common punctuation."""
    if not text:
        return 0.0
    common = _common_chars()
    good = bad = 0
    for ch in text[:20000]:
        o = ord(ch)
        if ch in common or ch.isspace() or 0x20 <= o < 0x7F or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
            good += 1
        elif o < 0x20 or 0xE000 <= o <= 0xF8FF or ch == "\ufffd":
            bad += 3  # control characters, private use, replacement: strong signs of a wrong decoding
        else:
            bad += 1 if "\u4e00" <= ch <= "\u9fff" else 2
    return good / (good + bad)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: one byte order reads as plausible text and the
    other as noise (CJK text has few NUL bytes, so their count alone cannot tell)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8000]
    scores = {}
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            scores[enc] = plausibility(sample.decode(enc))
        except UnicodeDecodeError:
            scores[enc] = 0.0
    enc, best = max(scores.items(), key=lambda kv: kv[1])
    other = min(scores.values())
    if best > 0.85 and other < 0.5:
        try:
            data.decode(enc)
        except UnicodeDecodeError:
            return None
        return enc
    return None


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
    if b"\x00" in data[:4000]:
        enc = _looks_utf16(data)
        if enc:
            return data.decode(enc), enc
        raise ReadError(path, "binary file (contains NUL bytes), not text")
    enc16 = _looks_utf16(data)
    if enc16:
        return data.decode(enc16), enc16

    options: dict[str, str] = {}
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        try:
            options[best.encoding] = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    for enc in _CANDIDATES:
        if enc in options:
            continue
        try:
            options[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    if options:
        detected = best.encoding if best is not None else None
        scored = sorted(options.items(), key=lambda kv: (-plausibility(kv[1]), kv[0] != detected))
        enc, text = scored[0]
        if plausibility(text) >= 0.85:
            return text, enc
    mixed = _decode_mixed_lines(data)
    if mixed is not None:
        return mixed
    raise ReadError(path, "cannot decode: not valid UTF-8, GB18030, Big5 or UTF-16 text")


def _decode_mixed_lines(data: bytes) -> tuple[str, str] | None:
    """Archives sometimes join files of different encodings: decode line by line."""
    parts, used = [], set()
    for line in data.splitlines(keepends=True):
        for enc in ("utf-8", "gb18030", "big5"):
            try:
                parts.append(line.decode(enc))
                used.add(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
    text = "".join(parts)
    if len(used) > 1 and plausibility(text) >= 0.85:
        return text, "mixed(" + "+".join(sorted(used)) + ")"
    return None
