"""Stage 4, debris: web and document-site furniture (banners, "发布时间 … 点击 字号", HTML
tag remnants, `[bookmark: _GoBack]`, download prompts, spam lines) is marked so that it
belongs to no plan, no section and no item. The patterns are data: resources/debris.txt."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from . import startup
from .doc import Block, Doc
from .lexicon import trie_pattern
from .literals import anchored, required_literals
from .numbering import parse_marker

_SPACE = " \t\u3000"


@dataclass(frozen=True)
class DebrisRules:
    short: re.Pattern[str]
    short_start: re.Pattern[str]  # the `short:` patterns anchored at the start (^…), tried there only
    short_rest: re.Pattern[str]  # the other `short:` patterns, searched
    long_literals: re.Pattern[str]  # the patterns that are plain words, as one trie
    long: tuple[re.Pattern[str], ...]  # the others, each compiled alone (keeps re's literal-prefix speed)
    long_needs: tuple[tuple[str, ...] | None, ...]  # for each, the literals it needs (literals.required_literals)
    long_start: re.Pattern[str]  # patterns anchored at a block's start ("^…"), tried there only
    prefix: re.Pattern[str]


_LITERAL_ALT = re.compile(r"^\(?([^\\()\[\]{}.*+?^$]+(?:\|[^\\()\[\]{}.*+?^$]+)*)\)?$")


@lru_cache(maxsize=1)
def rules() -> DebrisRules:
    text = startup.resource_text("debris.txt")
    groups: dict[str, list[str]] = {"short": [], "long": [], "prefix": []}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, rx = line.partition(":")
        groups[kind].append(rx)
    # Prefixes are matched at a block's start with Pattern.match(text, pos), where "^" would
    # refer to the start of the whole text: drop it.
    groups["prefix"] = [p.removeprefix("^") for p in groups["prefix"]]
    groups["long_start"] = [p[1:] for p in groups["long"] if p.startswith("^") and "|" not in p.split(")")[-1]]
    groups["long"] = [p for p in groups["long"] if p[1:] not in groups["long_start"] or not p.startswith("^")]

    def alt(k: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in groups[k]), re.I)

    words: list[str] = []
    others: list[re.Pattern[str]] = []
    for p in groups["long"]:
        m = _LITERAL_ALT.match(p)
        if m:  # case variants instead of re.I, which slows a whole-text scan tenfold
            words.extend({v for w in m.group(1).split("|") for v in (w, w.lower(), w.upper(), w.capitalize())})
        else:  # "$" ends a line when scanning a whole text
            others.append(re.compile(p, re.M))
    # a pattern is not scanned where none of the literals it needs is in the text: str's own
    # search for them (`in`) is far cheaper than re's scan by a prefix character or class
    needs = tuple(required_literals(rx) for rx in others)
    groups["short_start"] = [p for p in groups["short"] if anchored(p)]
    groups["short_rest"] = [p for p in groups["short"] if not anchored(p)]
    return DebrisRules(alt("short"), alt("short_start"), alt("short_rest"), re.compile(trie_pattern(words)),
                       tuple(others), needs, alt("long_start"), alt("prefix"))


# Site furniture is short; a long block is content (and scanning it costs most of this stage).
_MAX_DEBRIS_LEN = 240


def is_debris_text(s: str) -> bool:
    if len(s) > _MAX_DEBRIS_LEN:
        return False
    r = rules()
    return bool((len(s) <= 40 and _short(r, s)) or r.long_start.match(s) or r.long_literals.search(s)
                or any(rx.search(s) for rx in r.long))


def _hits(norm: str) -> list[int]:
    """Start offsets of every match of the unanchored patterns in the whole text: one scan
    per pattern instead of one per block (a block is debris when a match lies inside it)."""
    return [a for a, _ in _hits_by_pattern(norm)]


def _hits_by_pattern(norm: str) -> list[tuple[int, int]]:
    """(start, which pattern: -1 for the plain words, else its index in `long`), sorted."""
    r = rules()
    found = [(m.start(), -1) for m in r.long_literals.finditer(norm)]
    for k, (rx, needs) in enumerate(zip(r.long, r.long_needs, strict=True)):
        if needs is not None:
            for w in needs:
                if w in norm:
                    break
            else:
                continue
        found.extend((m.start(), k) for m in rx.finditer(norm))
    found.sort()
    return found


def mark_debris(doc: Doc) -> Doc:
    r = rules()
    norm = doc.norm
    found = _hits_by_pattern(norm)
    hits = [a for a, _ in found]
    furniture = doc.source.furniture  # lines the markup shows are only links: navigation, TOCs
    f_starts = [a for a, _ in furniture]
    for block in doc.blocks:
        if furniture:
            k = bisect.bisect_right(f_starts, block.start) - 1
            if k >= 0 and block.end <= furniture[k][1]:
                block.kind = "debris"
                doc.debris.append((block.start, block.end))
                continue
        m = r.prefix.match(norm, block.start, block.end)
        if m:
            doc.debris.append((block.start, m.end()))
            start = m.end()
            while start < block.end and norm[start] in _SPACE:
                start += 1
            if start >= block.end:
                block.kind = "debris"
                continue
            block.start = start
            block.marker = parse_marker(norm, start, block.end)
        if block.inline or block.end - block.start > _MAX_DEBRIS_LEN:
            continue  # a run-on segment is part of a sentence stream; a long block is content
        k = bisect.bisect_left(hits, block.start)
        if ((k < len(hits) and hits[k] < block.end and _inside(norm, found, k, block))
                or (block.end - block.start <= 40 and _short_line(norm[block.start:block.end]))
                or r.long_start.match(norm, block.start, block.end)):
            block.kind = "debris"
            doc.debris.append((block.start, block.end))
    return doc


@lru_cache(maxsize=16384)  # a pure function of a short line: sites repeat their furniture on every page
def _short_line(s: str) -> bool:
    return _short(rules(), s)


def _short(r: DebrisRules, s: str) -> bool:
    """r.short.search(s), the anchored patterns tried at the start only (a search of the one
    alternation tries all of them at every position)."""
    return r.short_start.match(s) is not None or r.short_rest.search(s) is not None


def _inside(norm: str, found: list[tuple[int, int]], k: int, block: Block) -> bool:
    """Does a match that starts inside the block also end inside it? (Re-run on the block
    the patterns that matched there: a whole-text match may run past a block's end.)"""
    r = rules()
    text = norm[block.start:block.end]
    tried: set[int] = set()
    while k < len(found) and found[k][0] < block.end:
        which = found[k][1]
        k += 1
        if which in tried:
            continue
        tried.add(which)
        if (r.long_literals if which < 0 else r.long[which]).search(text):
            return True
    return False
