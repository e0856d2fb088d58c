"""Stage 2, normalise: traditional → simplified (OpenCC t2s) and full-width → half-width,
character for character, so that every offset is valid in both the source and the
normalised text. Also tells the document's script."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

from . import startup


def is_cjk(ch: str) -> bool:
    """A CJK unified ideograph (the characters names, words and numbers here are made of)."""
    return "\u4e00" <= ch <= "\u9fff"

# Full-width ASCII and a few bracket/colon variants used in numbering. 、 and 。 stay: they
# carry meaning the grammar relies on.
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20,
               0xFE59: 0x28, 0xFE5A: 0x29, 0x3014: 0x28, 0x3015: 0x29, 0xFE30: 0x3A, 0xFE55: 0x3A,
               0xFE50: 0x2C, 0xFE52: 0x2E, 0xFF64: 0x3001, 0x2236: 0x3A, 0xFEFF: 0x20})
_WIDTH_CHARS = {chr(k): chr(v) for k, v in _WIDTH.items()}
# One regex over the characters to fold: str.translate with a sparse table raises and
# clears a LookupError for every character it leaves alone, which is 15x slower.
_WIDTH_RX = re.compile("[" + "".join(map(re.escape, _WIDTH_CHARS)) + "]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t.json")


def fold_width(text: str) -> str:
    return _WIDTH_RX.sub(_fold_char, text)


def _fold_char(m: re.Match[str]) -> str:
    return _WIDTH_CHARS[m.group()]


def to_simplified(text: str) -> str:
    """t2s that never changes length: the whole text when OpenCC keeps its length, else per
    line, falling back per character where OpenCC's phrase conversion would change it."""
    conv = _t2s()
    whole = conv.convert(text)
    if len(whole) == len(text) and whole.count("\n") == text.count("\n"):
        return whole
    out = []
    for line in text.splitlines(keepends=True):
        s = conv.convert(line)
        if len(s) != len(line):
            s = "".join(c2 if len(c2 := conv.convert(ch)) == 1 else ch for ch in line)
        out.append(s)
    result = "".join(out)
    assert len(result) == len(text)
    return result


# Markup left in plain text (a page's source saved as .txt: <p>光阴…</p><p>二、主要工作目标:</p>):
# a block tag ends a line as the page shows it, any other tag is nothing but space
_BLOCK_TAGS = re.compile(r"</?(?:p|br|div|h[1-6]|li|ul|ol|tr|table|section|article|blockquote)\b[^<>\n]{0,200}>",
                         re.I)
_INLINE_TAGS = re.compile(r"</?(?:span|a|strong|b|i|em|font|u|td|th|tbody|thead|img)\b[^<>\n]{0,200}>", re.I)


def _unmarked(text: str) -> str:
    """The text with its tags as spaces, a block tag as a line break (the same length)."""
    if "<" not in text:
        return text
    text = _BLOCK_TAGS.sub(lambda m: "\n" + " " * (len(m.group()) - 1), text)
    return _INLINE_TAGS.sub(lambda m: " " * len(m.group()), text)


def normalise(text: str) -> str:
    """Simplified, half-width text of exactly the same length as `text`; markup left in it
    reads as the page shows it."""
    result = to_simplified(_unmarked(fold_width(text)))
    if len(result) != len(text):  # pragma: no cover - guarded above, kept as the contract
        raise AssertionError("normalisation changed the text length")
    return result


@lru_cache(maxsize=1)
def _script_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regex character classes (counted in C) of the two scripts' own characters."""
    trad, simp = _script_sets()
    return (re.compile("[" + "".join(sorted(trad)) + "]"), re.compile("[" + "".join(sorted(simp)) + "]"))


@lru_cache(maxsize=1)
@startup.remember("script_sets", getattr(opencc, "__version__", "?"))  # spares loading s2t (~0.2 s)
def _script_sets() -> tuple[frozenset[str], frozenset[str]]:
    """CJK characters only traditional script writes, and those only simplified writes."""
    block = "".join(map(chr, range(0x4E00, 0xA000)))
    t2s, s2t = _t2s().convert(block), _s2t().convert(block)
    if len(t2s) != len(block) or len(s2t) != len(block):  # pragma: no cover - OpenCC is 1:1 per character
        t2s = "".join(_t2s().convert(c)[:1] or c for c in block)
        s2t = "".join(_s2t().convert(c)[:1] or c for c in block)
    trad = frozenset(c for c, s in zip(block, t2s, strict=True) if s != c)
    simp = frozenset(c for c, t in zip(block, s2t, strict=True) if t != c and c not in trad)
    return trad, simp


def detect_script(text: str) -> str:
    """simplified | traditional | mixed, from the characters only one script writes."""
    trad_rx, simp_rx = _script_classes()
    trad = len(trad_rx.findall(text))
    if trad == 0:
        return "simplified"  # what the share says too: no need to count the other script
    simp = len(simp_rx.findall(text))
    if trad + simp == 0:
        return "simplified"
    share = trad / (trad + simp)
    if share >= 0.8:
        return "traditional"
    if share <= 0.2:
        return "simplified"
    return "mixed"
