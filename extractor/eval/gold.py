"""Gold files (../shared/specs/gold-format.md): load, locate every string in the source
text, and check them (`planx gold check`)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PlanxError
from ..model import ROLES
from ..read import read_path

Span = tuple[int, int]
SCHOOL_LEVELS = {"幼儿园", "小学", "初中", "高中", "中学", "职校", "特教", "区县", "其他"}
SPAN_FIELDS = ("sections", "goals", "measures", "schedule")
# A gold file's `layout`: exactly one extent tag, and any of the form tags; `traditional` is added
# from the text's script, so that `planx eval --by layout` can report each kind of document apart.
EXTENT_LAYOUTS = ("beginning", "page")
FORM_LAYOUTS = ("table", "run-on", "wrapped", "outline")
LAYOUTS = (*EXTENT_LAYOUTS, *FORM_LAYOUTS, "traditional")
SECOND_ANNOTATION_DIR = "second"  # independent second annotations: not counted as gold documents


class GoldError(Exception):
    pass


@dataclass
class GoldSchedule:
    when: Span | None
    activity: Span | None
    month: int | None
    weekday: int | None
    frequency: dict | None

    @property
    def anchor(self) -> Span:
        return self.activity or self.when  # type: ignore[return-value]


@dataclass
class GoldPlan:
    extent: Span
    title: Span | None
    meta: dict
    sections: list[tuple[Span, int, str]] = field(default_factory=list)  # (heading span, level, role)
    goals: list[Span] = field(default_factory=list)
    measures: list[Span] = field(default_factory=list)
    schedule: list[GoldSchedule] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)


@dataclass
class GoldDoc:
    path: Path  # the gold file
    doc: str  # the source document's file name
    source: Path  # where the source document was found
    text: str
    plans: list[GoldPlan]
    problems: list[str] = field(default_factory=list)
    layout: tuple[str, ...] = ()  # the file's layout tags, plus `traditional` from the script


def find_source(doc: str, dirs: Iterable[Path]) -> Path | None:
    for d in dirs:
        for candidate in (d / doc, *d.glob(f"**/{doc}")):
            if candidate.is_file():
                return candidate
    return None


def _occurrences(text: str, s: str) -> list[int]:
    out, i = [], text.find(s)
    while i >= 0:
        out.append(i)
        i = text.find(s, i + 1)
    return out


class _Locator:
    def __init__(self, text: str, problems: list[str]) -> None:
        self.text = text
        self.problems = problems

    def __call__(self, item: object, where: str, lo: int = 0, hi: int | None = None) -> Span | None:
        if isinstance(item, dict):
            s, k = item.get("text"), item.get("occurrence")
            if not isinstance(k, int) or k < 1:
                self.problems.append(f"{where}: occurrence must be an integer >= 1")
                return None
        else:
            s, k = item, None
        if not isinstance(s, str) or not s:
            self.problems.append(f"{where}: empty or non-string span {item!r}")
            return None
        occ = _occurrences(self.text, s)
        if not occ:
            self.problems.append(f"{where}: not an exact substring of the source text: {s[:40]!r}")
            return None
        if k is None:
            if len(occ) > 1:
                self.problems.append(f"{where}: {s[:30]!r} occurs {len(occ)} times; give its occurrence")
                return None
            k = 1
        if k > len(occ):
            self.problems.append(f"{where}: occurrence {k}, but {s[:30]!r} occurs only {len(occ)} times")
            return None
        a = occ[k - 1]
        if hi is not None and not (lo <= a and a + len(s) <= hi):
            self.problems.append(f"{where}: {s[:30]!r} (occurrence {k}) lies outside its plan")
        return a, a + len(s)


def load_gold(path: Path, source_dirs: Iterable[Path]) -> GoldDoc:
    """Load and check one gold file; problems are collected in GoldDoc.problems."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise GoldError(f"{path}: not valid JSON: {e}") from e
    doc = raw.get("doc") if isinstance(raw, dict) else None
    if not isinstance(doc, str):
        raise GoldError(f"{path}: missing 'doc' (the source file name)")
    source = find_source(doc, source_dirs)
    if source is None:
        raise GoldError(f"{path}: source document {doc} not found in "
                        f"{', '.join(str(d) for d in source_dirs)}")
    try:
        text = read_path(source).text
    except PlanxError as e:
        raise GoldError(f"{path}: {e}") from e
    problems: list[str] = []
    if path.stem != Path(doc).stem:
        problems.append(f"file name should be {Path(doc).stem}.json")
    plans_raw = raw.get("plans")
    if not isinstance(plans_raw, list):
        raise GoldError(f"{path}: 'plans' must be a list")
    layout = _layout(raw.get("layout"), text, problems)
    locate = _Locator(text, problems)
    starts = [locate(p.get("first"), f"plan {i + 1} first") for i, p in enumerate(plans_raw)]
    plans: list[GoldPlan] = []
    for i, p in enumerate(plans_raw):
        w = f"plan {i + 1}"
        lo = starts[i][0] if starts[i] else 0
        hi = next((s[0] for s in starts[i + 1:] if s), len(text))
        if starts[i] and i and starts[i - 1] and starts[i][0] <= starts[i - 1][0]:
            problems.append(f"{w}: plans are not in document order")
        for key in ("first", "title", "meta", "sections", "goals", "measures", "schedule", "parties"):
            if key not in p:
                problems.append(f"{w}: key '{key}' missing")
        meta = p.get("meta") or {}
        if meta.get("school_level") not in SCHOOL_LEVELS | {None}:
            problems.append(f"{w}: meta.school_level {meta.get('school_level')!r} is not one of "
                            f"{'|'.join(sorted(SCHOOL_LEVELS))}")
        gp = GoldPlan(extent=(lo, hi), title=locate(p["title"], f"{w} title", lo, hi) if p.get("title") else None,
                      meta=meta)
        if meta.get("period") is not None:
            locate(meta["period"], f"{w} meta.period")
        for j, s in enumerate(p.get("sections") or []):
            ww = f"{w} section {j + 1}"
            if not isinstance(s, dict):
                problems.append(f"{ww}: must be an object")
                continue
            span = locate(s.get("heading"), ww, lo, hi)
            role, level = s.get("role"), s.get("level")
            if role not in ROLES:
                problems.append(f"{ww}: role {role!r} is not in the closed vocabulary ({', '.join(ROLES)})")
            if not isinstance(level, int) or level < 1:
                problems.append(f"{ww}: level must be an integer >= 1")
            if span:
                gp.sections.append((span, level if isinstance(level, int) else 0, role))
        for key in ("goals", "measures"):
            for j, it in enumerate(p.get(key) or []):
                span = locate(it, f"{w} {key[:-1]} {j + 1}", lo, hi)
                if span:
                    getattr(gp, key).append(span)
        ms = sorted(gp.measures)
        for x, y in itertools.pairwise(ms):
            if y[0] < x[1]:
                problems.append(f"{w}: measures overlap: {text[x[0]:x[1]][:20]!r} and {text[y[0]:y[1]][:20]!r}")
        for j, it in enumerate(p.get("schedule") or []):
            ww = f"{w} schedule {j + 1}"
            if not isinstance(it, dict):
                problems.append(f"{ww}: must be an object")
                continue
            when = locate(it["when"], ww + " when", lo, hi) if it.get("when") is not None else None
            act = locate(it["activity"], ww + " activity", lo, hi) if it.get("activity") is not None else None
            month, weekday, freq = it.get("month"), it.get("weekday"), it.get("frequency")
            if month is not None and not (isinstance(month, int) and 1 <= month <= 12):
                problems.append(f"{ww}: month must be 1-12 or null")
            if weekday is not None and not (isinstance(weekday, int) and 1 <= weekday <= 7):
                problems.append(f"{ww}: weekday must be 1-7 (Monday = 1) or null")
            if freq is not None and not (isinstance(freq, dict) and isinstance(freq.get("count"), int)
                                         and freq.get("per") in ("week", "month", "term", "year")
                                         and isinstance(freq.get("interval"), int)):
                problems.append(f"{ww}: frequency must be {{count: int, per: week|month|term|year, interval: int}}")
            if when is None and act is None:
                problems.append(f"{ww}: needs a when or an activity")
                continue
            gp.schedule.append(GoldSchedule(when, act, month, weekday, freq))
        names = p.get("parties") or []
        for j, name in enumerate(names):
            if not isinstance(name, str) or not name.strip():
                problems.append(f"{w} party {j + 1}: must be a non-empty name")
        if len(set(names)) != len(names):
            problems.append(f"{w}: a party is listed twice")
        gp.parties = [n for n in names if isinstance(n, str)]
        plans.append(gp)
    return GoldDoc(path=path, doc=doc, source=source, text=text, plans=plans,
                   problems=[f"{path}: {p}" for p in problems], layout=layout)


def _layout(raw: object, text: str, problems: list[str]) -> tuple[str, ...]:
    from ..normalise import detect_script

    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        problems.append(f"'layout' must be a list of tags from {', '.join(LAYOUTS[:-1])}")
        raw = []
    tags = [t for t in raw if t != "traditional"]
    for t in tags:
        if t not in LAYOUTS:
            problems.append(f"layout tag {t!r} is not one of {', '.join(LAYOUTS[:-1])}")
    if sum(t in EXTENT_LAYOUTS for t in tags) != 1:
        problems.append("layout must hold exactly one of 'beginning' (a page beginning) and 'page' (a whole document)")
    if detect_script(text) == "traditional":
        tags.append("traditional")
    return tuple(dict.fromkeys(tags))


def gold_files(root: Path) -> list[Path]:
    """The gold files under `root`; second annotations (`second/` folders below `root`) are
    not gold documents and are left out unless `root` is such a folder."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.json")
                  if p.is_file() and SECOND_ANNOTATION_DIR not in p.relative_to(root).parts[:-1])
