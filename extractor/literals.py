"""What a regex needs in the text before it can match, read from its parse.

- `required_literals`: strings of which every match contains one (研讨|沙龙 needs 研讨 or
  沙龙; 阅读[^,，]{0,4}书 needs 阅读). A stage that runs a slow pattern (one re cannot scan
  by a literal prefix) over a text tests them first, with one fast scan (`guard`): where
  none is there the pattern cannot match, so the result is the same.
- `finite_language`: every string a plain list of words (集体备课|集备|说课) matches; it
  matches inside a span exactly when one of them occurs there.
"""

from __future__ import annotations

import re
from re import _constants as c
from re import _parser

from .lexicon import trie_pattern

_REPEATS = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}
_LANGUAGE_MAX = 2000  # strings of a finite language we spell out


def _parse(pattern: str | re.Pattern[str]) -> list | None:
    if isinstance(pattern, re.Pattern):
        flags, pattern = pattern.flags, pattern.pattern
    else:
        flags = 0
    try:
        parsed = _parser.parse(pattern, flags)
    except re.error:
        return None
    if (flags | parsed.state.flags) & re.IGNORECASE:
        return None  # a literal then stands for its case variants too
    return list(parsed)


def required_literals(pattern: str | re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of `pattern` contains one, or None when the pattern
    does not tell (a class or a wildcard only, case-insensitive matching)."""
    items = _parse(pattern)
    found = _sequence(items) if items is not None else None
    if not found:
        return None
    # a string that holds another of the set is found whenever that one is: keep the shorter
    return tuple(sorted(w for w in found if not any(o != w and o in w for o in found)))


def guard(pattern: str | re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern that finds one of `pattern`'s required literals (one scan by literal or
    first character, fast in re), or None when it has none."""
    words = required_literals(pattern)
    return re.compile(trie_pattern(list(words))) if words else None


def anchored(pattern: str) -> bool:
    """Whether every match of `pattern` starts at the start of the text (^… with no
    alternative outside it): searching for it is trying it at the start."""
    try:
        items = list(_parser.parse(pattern))
    except re.error:
        return False
    return bool(items) and items[0][0] is c.AT and items[0][1] in (c.AT_BEGINNING, c.AT_BEGINNING_STRING)


def needs(pattern: str | re.Pattern[str], literal: str) -> bool:
    """Whether every match of `pattern` contains `literal` (a hand-written pre-test's check)."""
    items = _parse(pattern)
    return items is not None and _needs(items, literal)


def _needs(items: list, literal: str) -> bool:
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            if literal in "".join(run):
                return True
            continue
        run = []
        if op is c.SUBPATTERN:
            if not av[1] & re.IGNORECASE and _needs(list(av[3]), literal):
                return True
        elif op is c.BRANCH:
            if all(_needs(list(alt), literal) for alt in av[1]):
                return True
        elif op is c.IN and len(literal) == 1 and all(o is c.LITERAL and chr(ch) == literal for o, ch in av):
            return True
        elif op in _REPEATS and av[0] >= 1 and _needs(list(av[2]), literal):
            return True
    return False


def scans_by_prefix(pattern: str | re.Pattern[str]) -> bool:
    """Whether re scans for `pattern` by a literal or first-character prefix (a match starts
    with a literal, a class, or alternatives that each start with a literal): such a scan is
    already fast, and a guard would only add one."""
    items = _parse(pattern)
    while items and items[0][0] is c.SUBPATTERN:
        items = list(items[0][1][3])
    if not items:
        return False
    op, av = items[0]
    if op in (c.LITERAL, c.IN):
        return True
    return op is c.BRANCH and all(alt and alt[0][0] is c.LITERAL for alt in av[1])


def _sequence(items: list) -> set[str] | None:
    """The most selective set one of the sequence's mandatory items requires."""
    options: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))  # consecutive literals are consecutive in the matched text
            continue
        if run:
            options.append({"".join(run)})
            run = []
        found = None
        if op is c.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            found = None if add_flags & re.IGNORECASE else _sequence(list(sub))
        elif op is c.BRANCH:
            alternatives = [_sequence(list(alt)) for alt in av[1]]
            if all(alternatives):
                found = set().union(*alternatives)  # type: ignore[arg-type]
        elif op is c.IN and all(o is c.LITERAL for o, _ in av):
            found = {chr(ch) for _, ch in av}  # 学|校 parses as the class [学校]
        elif op in _REPEATS:
            low, _high, sub = av
            sub = list(sub)
            if low >= 2 and len(sub) == 1 and sub[0][0] is c.LITERAL:
                found = {chr(sub[0][1]) * low}  # \.{3,} needs "...", not just "."
            else:
                found = _sequence(sub) if low >= 1 else None
        if found:
            options.append(found)
        # anything else (a class, a wildcard, an anchor, a lookaround) requires no literal
    if run:
        options.append({"".join(run)})
    if not options:
        return None
    return max(options, key=lambda s: (min(map(len, s)), -len(s)))


def finite_language(pattern: str | re.Pattern[str]) -> frozenset[str] | None:
    """All strings `pattern` matches, when it is made of literals, classes of literals,
    groups and alternatives only (no repeat, anchor or lookaround); else None."""
    items = _parse(pattern)
    found = _language(items) if items is not None else None
    return frozenset(found) if found and "" not in found else None


def _language(items: list) -> set[str] | None:
    out = {""}
    for op, av in items:
        if op is c.LITERAL:
            part = {chr(av)}
        elif op is c.IN and all(o is c.LITERAL for o, _ in av):
            part = {chr(ch) for _, ch in av}
        elif op is c.SUBPATTERN and not av[1] & re.IGNORECASE:
            part = _language(list(av[3]))
        elif op is c.BRANCH:
            alternatives = [_language(list(alt)) for alt in av[1]]
            part = set().union(*alternatives) if all(a is not None for a in alternatives) else None  # type: ignore[arg-type]
        else:
            return None
        if part is None or len(out) * len(part) > _LANGUAGE_MAX:
            return None
        out = {a + b for a in out for b in part}
    return out
