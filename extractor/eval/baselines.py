"""Baselines scored with the same `planx eval`, so that the README can show planx against them.

- naive: every line that starts with a numbering marker is a heading, every other
  paragraph an item (a measure); one plan per file.
- jionlp: jionlp's `extract_time` as the schedule-time finder over every line (a peer
  tool, used only here); each time it finds is a schedule item located on its line.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Meta, Plan, ScheduleItem, Section, SourceInfo, TimeExpr
from ..normalise import normalise
from ..numbering import parse_marker
from .gold import GoldDoc


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        while a < b and line[a - pos].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
        pos += len(line) + 1
    return out


def _empty_plan(g: GoldDoc) -> Plan:
    return Plan(id="baseline-1", source=SourceInfo(path=str(g.source), sha256="", format="txt", encoding=None,
                                                   script="simplified", part=1, parts=1,
                                                   source_span=(0, len(g.text))),
                title=None, meta=Meta())


def naive(g: GoldDoc) -> list[Plan]:
    plan = _empty_plan(g)
    norm = normalise(g.text)
    from ..model import Measure

    for k, (a, b) in enumerate(_lines(g.text)):
        if parse_marker(norm, a, b) is not None:
            plan.sections.append(Section(id=f"s{k}", parent=None, level=1, number=None, heading=g.text[a:b],
                                         role="other", source_span=(a, b)))
        else:
            plan.measures.append(Measure(id=f"m{k}", section=None, parent=None, title=None, text=g.text[a:b],
                                         source_span=(a, b)))
    return [plan]


def _jionlp_extract_time():
    import contextlib
    import io
    import logging

    logging.getLogger().setLevel(logging.CRITICAL)  # jionlp logs every phrase it cannot parse
    with contextlib.redirect_stdout(io.StringIO()):
        from jionlp.algorithm.ner import extract_time  # a baseline-only dependency: pip install jionlp
    return extract_time


def jionlp_times(g: GoldDoc) -> list[Plan]:
    """Every time jionlp finds on a line is a schedule item whose activity is that line."""
    extract_time = _jionlp_extract_time()
    plan = _empty_plan(g)
    norm = normalise(g.text)
    for k, (a, b) in enumerate(_lines(g.text)):
        try:
            found = extract_time(norm[a:b], with_parsing=False)
        except Exception:
            continue
        for t in found:
            x, y = t["offset"]
            when = TimeExpr(text=t["text"], source_span=(a + x, a + y), kind="relative")
            plan.schedule.append(ScheduleItem(id=f"t{k}-{x}", section=None, when=when, activity=norm[a:b],
                                              activity_span=(a, b), source_span=(a, b)))
    return [plan]


BASELINES: dict[str, Callable[[GoldDoc], list[Plan]]] = {"naive": naive, "jionlp": jionlp_times}
