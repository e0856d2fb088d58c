"""`planx compare`: plans from many schools side by side.

- practices × plans: how many goals and measures of each plan are about each practice
  (docs/practices.md);
- parties × plans: who each plan charges with work;
- schedule density: schedule items per month;
- for two plans, their goals and measures aligned: in both, changed, only in A, only in B.

Alignment: the goals (or measures) of A and B are paired one to one, best first, by
rapidfuzz `ratio` over their normalised text without numbering; a pair with the same
practice gets +10. A score of at least SAME (85) is "in both", at least CHANGED (55)
"changed" (the same item, reworded), below that the items are unpaired.

Outputs: a terminal table, JSON, or a self-contained HTML report (heatmap and month
timeline)."""

from __future__ import annotations

import html
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from .model import Plan
from .normalise import normalise
from .practices import taxonomy

SAME = 85
CHANGED = 55
_PLAN_ID = re.compile(r'"id":\s*"([^"]+)"')
_NUMBERING = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[①-⑳]|第[一二三四五六七八九十]+[,，、])\s*")


def load_plans(paths: list[str]) -> list[Plan]:
    """Plans from JSON files: a list of plans (planx extract), one plan, or JSON lines."""
    plans: list[Plan] = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8").strip()
        if not text:
            continue
        if text.startswith("["):
            plans.extend(Plan.model_validate(p) for p in json.loads(text))
        elif "\n" in text and text.lstrip().startswith("{") and text.count("\n{") > 0:
            plans.extend(Plan.model_validate_json(line) for line in text.splitlines() if line.strip())
        else:
            plans.append(Plan.model_validate_json(text))
    return plans


def load_from_ingest(folder: str, sql: str) -> list[Plan]:
    """Plans of an ingest, chosen by a query that returns plan ids (SELECT plan_id FROM plans …)."""
    import duckdb

    con = duckdb.connect(str(Path(folder) / "planx.duckdb"), read_only=True)
    try:
        wanted = [row[0] for row in con.execute(sql).fetchall()]
    finally:
        con.close()
    order = {pid: k for k, pid in enumerate(wanted)}
    found: dict[str, Plan] = {}
    with open(Path(folder) / "plans.jsonl", encoding="utf-8") as fh:
        for line in fh:
            m = _PLAN_ID.search(line, 0, 200)  # the plan's own id comes first in each line
            if m and m.group(1) in order:
                found[m.group(1)] = Plan.model_validate_json(line)
    return [found[p] for p in wanted if p in found]


def label(plan: Plan) -> str:
    name = plan.meta.school or plan.title or Path(plan.source.path or "plan").stem
    return f"{name} #{plan.source.part}" if plan.source.parts > 1 else name


@dataclass
class Comparison:
    plans: list[str]
    practices: dict[str, list[int]]  # practice -> count per plan
    parties: dict[str, list[bool]]
    months: list[list[int]]  # per plan, items in months 1..12
    alignment: dict | None = None

    def as_dict(self) -> dict:
        return {"plans": self.plans, "practices": self.practices, "parties": self.parties,
                "schedule_by_month": self.months, "alignment": self.alignment}


def compare(plans: list[Plan]) -> Comparison:
    practices = {p.label: [0] * len(plans) for p in taxonomy()}
    parties: dict[str, list[bool]] = {}
    months = [[0] * 12 for _ in plans]
    for k, plan in enumerate(plans):
        for item in [*plan.goals, *plan.measures]:
            for c in item.categories:
                practices[c][k] += 1
        for party in plan.parties:
            parties.setdefault(party.name, [False] * len(plans))[k] = True
        for t in plan.schedule:
            if t.when.month:
                last = t.when.month_end or t.when.month
                span = range(t.when.month, last + 1) if last >= t.when.month else [t.when.month]
                for m in span:
                    months[k][m - 1] += 1
    practices = {c: v for c, v in practices.items() if any(v)}
    parties = dict(sorted(parties.items(), key=lambda kv: (-sum(kv[1]), kv[0])))
    result = Comparison([label(p) for p in plans], practices, parties, months)
    if len(plans) >= 2:
        result.alignment = {"a": label(plans[0]), "b": label(plans[1]),
                            "goals": align([g for g in plans[0].goals], [g for g in plans[1].goals]),
                            "measures": align(plans[0].measures, plans[1].measures)}
    return result


def _norm(text: str) -> str:
    return _NUMBERING.sub("", normalise(text)).strip()


def align(a: list, b: list) -> dict[str, list]:
    """Pair items of two plans; see the module docstring for the scores and thresholds."""
    ta, tb = [_norm(x.text) for x in a], [_norm(x.text) for x in b]
    scored = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            score = fuzz.ratio(ta[i], tb[j])
            if x.category and x.category == y.category:
                score += 10
            if score >= CHANGED:
                scored.append((score, i, j))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    used_a, used_b = set(), set()
    both, changed = [], []
    for score, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pair = {"a": a[i].text, "b": b[j].text, "score": round(min(score, 100.0), 1)}
        (both if score >= SAME else changed).append(pair)
    return {"both": both, "changed": changed,
            "only_a": [x.text for i, x in enumerate(a) if i not in used_a],
            "only_b": [y.text for j, y in enumerate(b) if j not in used_b]}


# ---- output ------------------------------------------------------------------------------
def as_table(c: Comparison) -> str:
    head = "practice".ljust(16) + "".join(f"{k + 1:>6}" for k in range(len(c.plans)))
    lines = ["plans: " + "; ".join(f"{k + 1} = {p}" for k, p in enumerate(c.plans)), "", head]
    for practice, counts in c.practices.items():
        lines.append(_pad(practice, 16) + "".join(f"{n or '.':>6}" for n in counts))
    lines += ["", _pad("party", 16) + "".join(f"{k + 1:>6}" for k in range(len(c.plans)))]
    for party, present in c.parties.items():
        lines.append(_pad(party, 16) + "".join(f"{'x' if v else '.':>6}" for v in present))
    lines += ["", "schedule items per month (1-12):"]
    for k, row in enumerate(c.months):
        lines.append(f"  {k + 1:>2} " + " ".join(f"{n:>2}" if n else " ." for n in row))
    if c.alignment:
        al = c.alignment
        lines += ["", f"{al['a']} vs {al['b']}:"]
        for kind in ("goals", "measures"):
            x = al[kind]
            lines.append(f"  {kind}: {len(x['both'])} in both, {len(x['changed'])} changed, "
                         f"{len(x['only_a'])} only in A, {len(x['only_b'])} only in B")
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """Pad by display width (a CJK character is two columns)."""
    cols = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - cols)


_CSS = """body{margin:0;font:14px/1.6 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#222}
header{background:#37474f;color:#fff;padding:.6em 1em}h1{font-size:1.1em;margin:0}h2{font-size:1em;margin:1.2em 0 .4em}
section{padding:0 1em 1em}table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ddd;padding:.25em .5em;
text-align:center}th.row{text-align:left;white-space:nowrap}td.heat{min-width:3em}.wrap{overflow-x:auto}
.legend span{display:inline-block;width:1.5em;height:1em;vertical-align:middle}
.timeline td{width:2.4em;height:1.6em}.pairs td{text-align:left;vertical-align:top;max-width:30em}
.both{background:#e8f5e9}.changed{background:#fff8e1}.only{background:#ffebee}"""


def _heat(n: int, top: int) -> str:
    if not n:
        return "#fafafa"
    level = 0.15 + 0.85 * n / max(top, 1)
    return f"rgba(21,101,192,{level:.2f})"


def as_html(c: Comparison, title: str = "planx compare") -> str:
    def cell_color(n: int, top: int) -> str:
        return f' style="background:{_heat(n, top)};color:{"#fff" if n and n / max(top, 1) > .5 else "#222"}"'

    head = "".join(f'<th title="{html.escape(p)}">{k + 1}</th>' for k, p in enumerate(c.plans))
    names = "".join(f"<li>{k + 1}: {html.escape(p)}</li>" for k, p in enumerate(c.plans))
    top = max((n for v in c.practices.values() for n in v), default=1)
    rows = "".join(f'<tr><th class="row">{html.escape(pr)}</th>' + "".join(
        f'<td class="heat"{cell_color(n, top)}>{n or ""}</td>' for n in v) + "</tr>" for pr, v in c.practices.items())
    party_rows = "".join(f'<tr><th class="row">{html.escape(pa)}</th>' + "".join(
        f"<td>{'●' if v else ''}</td>" for v in present) + "</tr>" for pa, present in c.parties.items())
    mtop = max((n for row in c.months for n in row), default=1)
    month_head = "".join(f"<th>{m}月</th>" for m in range(1, 13))
    timeline = "".join(f'<tr><th class="row">{k + 1}</th>' + "".join(
        f"<td{cell_color(n, mtop)}>{n or ''}</td>" for n in row) + "</tr>" for k, row in enumerate(c.months))
    align_html = ""
    if c.alignment:
        al = c.alignment
        blocks = []
        for kind in ("goals", "measures"):
            x = al[kind]
            trs = "".join(f'<tr class="both"><td>{html.escape(p["a"])}</td><td>{html.escape(p["b"])}</td>'
                          f'<td>{p["score"]}</td></tr>' for p in x["both"])
            trs += "".join(f'<tr class="changed"><td>{html.escape(p["a"])}</td><td>{html.escape(p["b"])}</td>'
                           f'<td>{p["score"]}</td></tr>' for p in x["changed"])
            trs += "".join(f'<tr class="only"><td>{html.escape(t)}</td><td></td><td>only A</td></tr>' for t in x["only_a"])
            trs += "".join(f'<tr class="only"><td></td><td>{html.escape(t)}</td><td>only B</td></tr>' for t in x["only_b"])
            blocks.append(f"<h2>{kind}: {html.escape(al['a'])} vs {html.escape(al['b'])}</h2>"
                          f'<div class="wrap"><table class="pairs"><tr><th>A</th><th>B</th><th>score</th></tr>{trs}'
                          f"</table></div>")
        align_html = "".join(blocks)
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title><style>{_CSS}</style>'
            f'</head><body><header><h1>{html.escape(title)}</h1></header><section>'
            f"<h2>plans</h2><ul>{names}</ul>"
            f'<h2>practices × plans (goals and measures about each practice)</h2><div class="wrap">'
            f'<table id="practices"><tr><th></th>{head}</tr>{rows}</table></div>'
            f'<h2>parties × plans</h2><div class="wrap"><table id="parties"><tr><th></th>{head}</tr>{party_rows}'
            f'</table></div><h2>schedule items per month</h2><div class="wrap"><table class="timeline" id="timeline">'
            f"<tr><th></th>{month_head}</tr>{timeline}</table></div>{align_html}</section>"
            f"<script>document.body.dataset.ready='yes'</script></body></html>")


# ---- inputs of any kind --------------------------------------------------------------------
@dataclass
class Loaded:
    """A plan, and the site name of the page it came from (an HTML <title>'s last part: the
    school whose site published it, where the plan does not name its school)."""

    plan: Plan
    site: str | None = None


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
_TITLE_PARTS = re.compile(r"\s*(?:--|——|—|-|_|\||｜)\s*")


def _site_name(data: bytes, fmt: str) -> str | None:
    if fmt != "html":
        return None
    m = _TITLE.search(data[:65536])
    if not m:
        return None
    from .read.txt import decode_text

    try:
        title = html.unescape(decode_text(m.group(1), None)[0]).strip()
    except Exception:  # an undecodable title only loses the hint
        return None
    parts = [p for p in _TITLE_PARTS.split(title) if p]
    return parts[-1] if len(parts) > 1 else None


def stored(plan: Plan) -> Loaded:
    """A plan from a store, with its page's site name where its source is still there to read."""
    from .errors import PlanxError
    from .show import input_bytes

    site = None
    if plan.source.format == "html" and plan.source.path:
        try:
            site = _site_name(input_bytes(plan.source.path)[1], "html")
        except (PlanxError, OSError):  # the file has gone: the hint only
            site = None
    return Loaded(plan, site)


def _document(spec: str, entry: str | None = None) -> list[Loaded]:
    from .pipeline import run
    from .read import detect_format, read_bytes
    from .show import input_bytes

    name, data = input_bytes(spec, entry)
    fmt = detect_format(name, data)
    site = _site_name(data, fmt)
    return [Loaded(p, site) for p in run(read_bytes(data, name, fmt=fmt))]


def load_inputs(paths: list[str], errors: list[str] | None = None) -> list[Loaded]:
    """Plans from plan JSON (planx extract output, one plan, JSON lines) and from documents of
    any format planx reads, zip archives (every document in them) and zip entries
    (`archive.zip!entry`). A file that cannot be read is named in `errors` (or raised)."""
    import zipfile

    from .errors import PlanxError
    from .show import zip_documents

    out: list[Loaded] = []
    for path in paths:
        try:
            if path.lower().endswith((".json", ".jsonl")):
                try:
                    out.extend(Loaded(p) for p in load_plans([path]))
                except (ValueError, OSError) as e:  # pydantic's ValidationError is a ValueError
                    raise PlanxError(path, f"not plan JSON ({type(e).__name__}: {str(e).splitlines()[0][:200]})") from None
            elif path.lower().endswith(".zip") and Path(path).is_file():
                try:
                    with zipfile.ZipFile(path) as z:
                        names = zip_documents(z)
                except zipfile.BadZipFile as e:
                    raise PlanxError(path, f"not a readable zip archive: {e}") from None
                for name in names:
                    out.extend(_document(path, name))
            else:
                out.extend(_document(path))
        except PlanxError as e:
            if errors is None:
                raise
            errors.append(str(e))
    return out


# ---- plans over the years ------------------------------------------------------------------
_SCHOOL_NAME = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:第[一二三四五六七八九十]{1,3}(?:中学|小学)|[一二三四五六七八九十]{1,2}[中小]"
                          r"|实验学校|外国语学校|高级中学|初级中学|中学|小学|学校|幼儿园)")
_NOT_A_SCHOOL = re.compile(r"^(?:[各全本该我某第]|中小|学校$)|计划|方案|工作|规划|开展|建设|关于|中小学|市直|学期|"
                           r"第[一二三四五六七八九十\d]+周|周学校")
_SCHOOL_END = re.compile(r"(?:中学|小学|学校|幼儿园|[一二三四五六七八九十]中|高中|初中|书院|中心校|学院)$")
_PERIOD_HEAD = re.compile(r"^.*?(?:学年度?|学期|半年|年度|年)(?=[\u4e00-\u9fff]{3,})")
_PERIOD_LEFT = re.compile(r"^(?:[上下]半年|[上下]学期|第[一二]学期)(?=[\u4e00-\u9fff]{3,})")  # 2009年下半年绍兴一中


def _no_period(name: str) -> str:
    return _PERIOD_LEFT.sub("", _PERIOD_HEAD.sub("", name))
_CN_DIGITS = "一二三四五六七八九十"


def school_key(name: str) -> str:
    """One key for the ways a school is written: 绍兴市第一中学 and 绍兴一中 are one school."""
    key = re.sub(rf"第([{_CN_DIGITS}]+)(中学|小学)$", lambda m: m.group(1) + m.group(2)[0], name)
    return re.sub(r"^([\u4e00-\u9fff]{2})[市县区]", r"\1", key)


def _school_in(text: str | None) -> str | None:
    for m in _SCHOOL_NAME.finditer(text or ""):
        name = _no_period(m.group(0))
        if len(name) >= 4 and not _NOT_A_SCHOOL.search(name):
            return name
    return None


def _clean_school(name: str | None) -> str | None:
    """meta.school when it is a school's name (not 第三周学校 or 关于…中小学), without a leading period."""
    name = _no_period(name or "")
    return name if len(name) >= 4 and _SCHOOL_END.search(name) and not _NOT_A_SCHOOL.search(name) else None


def school_of(item: Loaded) -> str | None:
    """The plan's school: as its meta says, else as its title names it, else the site's."""
    plan = item.plan
    site = item.site if item.site and _clean_school(item.site) == item.site else None
    return _clean_school(plan.meta.school) or _school_in(plan.title) or site


def year_of(plan: Plan) -> int | None:
    """The academic year a plan is for, by its first calendar year (2017学年 and 2017-2018 →
    2017); a plan dated by calendar year only (2021年) counts in that year."""
    period = plan.meta.period
    if period and period.academic_year and period.academic_year[:4].isdigit():
        return int(period.academic_year[:4])
    if period and period.year:
        return period.year
    m = re.search(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)", plan.title or "")
    return int(m.group(1)) if m else None


@dataclass
class SchoolHistory:
    school: str
    years: list[int]
    plans: dict[int, list[str]]  # year -> labels of its plans
    undated: list[str]
    practices: dict[str, list[int]]  # practice -> goals, measures and schedule items about it, per year
    practice_trend: dict[str, dict]
    parties: dict[str, list[int]]  # party -> plans of the year that charge it
    party_changes: list[dict]  # per transition: parties new, dropped
    schedule: dict[str, list]  # items, per_plan, months_covered, by_month per year
    carry_over: list[dict]  # per transition: goals, measures and schedule activities aligned

    def as_dict(self) -> dict:
        return {"school": self.school, "years": self.years, "plans": {str(y): v for y, v in self.plans.items()},
                "undated": self.undated, "practices": self.practices, "practice_trend": self.practice_trend,
                "parties": self.parties, "party_changes": self.party_changes, "schedule": self.schedule,
                "carry_over": self.carry_over}


@dataclass
class _Text:
    """What align() needs of an item: its text and its practice."""

    text: str
    category: str | None


def _trend(present: list[bool], years: list[int]) -> dict:
    """How a practice runs through the years: every year; appears (absent before a year, in
    most years since); disappears (in most years up to one, in none of the two or more after);
    persists (in two thirds of the years or more); intermittent."""
    on = [k for k, p in enumerate(present) if p]
    pairs = list(itertools.pairwise(present))
    first, last, n = on[0], on[-1], len(present)

    def mostly(part: list[bool]) -> bool:
        return sum(part) >= 2 / 3 * len(part)

    if all(present):
        word = "every year"
    elif first > 0 and mostly(present[first:]):
        word = "appears"
    elif n - 1 - last >= 2 and mostly(present[:last + 1]):
        word = "disappears"
    elif mostly(present):
        word = "persists"
    else:
        word = "intermittent"
    return {"trend": word, "first": years[first], "last": years[last], "years": len(on),
            "new_in": [years[k + 1] for k, (a, b) in enumerate(pairs) if not a and b],
            "gone_in": [years[k + 1] for k, (a, b) in enumerate(pairs) if a and not b],
            "kept": sum(a and b for a, b in pairs)}


def history(items: list[Loaded], school: str, examples: int = 5) -> SchoolHistory:
    """One school's plans year by year: see over_time()."""
    from .practices import classify

    by_year: dict[int, list[Plan]] = {}
    undated: list[str] = []
    for it in items:
        y = year_of(it.plan)
        if y is None:
            undated.append(_plan_label(it.plan))
        else:
            by_year.setdefault(y, []).append(it.plan)
    years = sorted(by_year)
    practices = {p.label: [0] * len(years) for p in taxonomy()}
    parties: dict[str, list[int]] = {}
    sched: dict[str, list] = {"items": [], "per_plan": [], "months_covered": [], "by_month": []}
    texts: list[dict[str, list[_Text]]] = []
    for k, y in enumerate(years):
        months = [0] * 12
        n_items = 0
        bag: dict[str, list[_Text]] = {"goals": [], "measures": [], "schedule": []}
        for plan in by_year[y]:
            for item in [*plan.goals, *plan.measures]:
                for c in item.categories:
                    practices[c][k] += 1
            for t in plan.schedule:
                for c in classify(t.activity):
                    practices[c][k] += 1
                n_items += 1
                if t.when.month:
                    last = t.when.month_end or t.when.month
                    for m in range(t.when.month, max(last, t.when.month) + 1):
                        months[m - 1] += 1
            for party in {p.name for p in plan.parties}:
                parties.setdefault(party, [0] * len(years))[k] += 1
            bag["goals"] += [_Text(g.text, g.category) for g in plan.goals]
            bag["measures"] += [_Text(m.text, m.category) for m in plan.measures]
            bag["schedule"] += [_Text(t.activity, None) for t in plan.schedule if len(_norm(t.activity)) >= 4]
        texts.append(bag)
        sched["items"].append(n_items)
        sched["per_plan"].append(round(n_items / len(by_year[y]), 1))
        sched["months_covered"].append(sum(1 for n in months if n))
        sched["by_month"].append(months)
    practices = {c: v for c, v in practices.items() if any(v)}
    trend = {c: _trend([n > 0 for n in v], years) for c, v in practices.items()}
    parties = dict(sorted(parties.items(), key=lambda kv: (-sum(1 for n in kv[1] if n), -sum(kv[1]), kv[0])))
    changes, carry = [], []
    for k in range(len(years) - 1):
        before = {p for p, v in parties.items() if v[k]}
        after = {p for p, v in parties.items() if v[k + 1]}
        changes.append({"from": years[k], "to": years[k + 1], "new": sorted(after - before),
                        "dropped": sorted(before - after), "kept": len(before & after)})
        step: dict = {"from": years[k], "to": years[k + 1]}
        for kind in ("goals", "measures", "schedule"):
            a, b = texts[k][kind], texts[k + 1][kind]
            if kind == "measures":  # a measure may have been planned as a dated activity the year before
                a = [*a, *texts[k]["schedule"]]
            al = align(a, b)
            step[kind] = {"in_a": len(a), "in_b": len(b), "same": len(al["both"]), "changed": len(al["changed"]),
                          "carried": [*al["both"], *al["changed"]][:examples] if kind != "schedule"
                          else al["both"][:examples],
                          "share_carried": round((len(al["both"]) + len(al["changed"])) / len(b), 2) if b else None}
        carry.append(step)
    return SchoolHistory(school, years, {y: [_plan_label(p) for p in by_year[y]] for y in years}, undated,
                         practices, trend, parties, changes, sched, carry)


def _plan_label(plan: Plan) -> str:
    return plan.title or Path(plan.source.path or "plan").name


def over_time(items: list[Loaded], examples: int = 5) -> list[SchoolHistory]:
    """Plans grouped by school (school_of, folded with school_key), each school's ordered by
    academic year (year_of): which practices appear, persist and disappear; how many schedule
    items each year has and which parties its plans charge; which goals, measures and
    schedule activities carry over from one year to the next (align(), all the plans of a
    year against all those of the next; a measure is also matched against the year before's
    dated activities). Schools with the most plans first; plans with no
    school make a group of their own ("(school unknown)")."""
    groups: dict[str, list[Loaded]] = {}
    names: dict[str, list[str]] = {}
    for it in items:
        name = school_of(it)
        key = school_key(name) if name else ""
        groups.setdefault(key, []).append(it)
        if name:
            names.setdefault(key, []).append(name)

    def display(key: str) -> str:
        if not key:
            return "(school unknown)"
        variants = names[key]
        return max(set(variants), key=lambda n: (len(n), variants.count(n)))  # the full name: 绍兴市第一中学

    order = sorted(groups, key=lambda k: (k == "", -len(groups[k]), k))
    return [history(groups[k], display(k), examples) for k in order]


def _change_word(step: dict, kind: str) -> str:
    x = step[kind]
    return f"{x['same'] + x['changed']}/{x['in_b']}" if x["in_b"] else "-"


def over_time_table(histories: list[SchoolHistory]) -> str:
    lines: list[str] = []
    for h in histories:
        n = sum(len(v) for v in h.plans.values()) + len(h.undated)
        span = f"{h.years[0]}–{h.years[-1]}" if h.years else "no dated plan"
        lines += [f"{h.school}: {n} plans, {len(h.years)} years ({span}){f', {len(h.undated)} undated' if h.undated else ''}", ""]
        if not h.years:
            continue
        cols = "".join(f"{y:>6}" for y in h.years)
        lines.append(_pad("year", 22) + cols)
        lines.append(_pad("plans", 22) + "".join(f"{len(h.plans[y]):>6}" for y in h.years))
        lines.append(_pad("schedule items", 22) + "".join(f"{n:>6}" for n in h.schedule["items"]))
        lines.append(_pad("months with items", 22) + "".join(f"{n:>6}" for n in h.schedule["months_covered"]))
        lines += ["", _pad("practice", 22) + cols + "  trend"]
        for practice, counts in h.practices.items():
            lines.append(_pad(practice, 22) + "".join(f"{c or '.':>6}" for c in counts) + "  "
                         + _trend_words(h.practice_trend[practice]))
        lines += ["", _pad("party (plans)", 22) + cols]
        for party, counts in list(h.parties.items())[:15]:
            lines.append(_pad(party, 22) + "".join(f"{c or '.':>6}" for c in counts))
        if len(h.parties) > 15:
            lines.append(f"  … {len(h.parties) - 15} more")
        lines += ["", "carried over to the next year (same or reworded / items of that year):"]
        for step, change in zip(h.carry_over, h.party_changes, strict=True):
            lines.append(f"  {step['from']}→{step['to']}: goals {_change_word(step, 'goals')}, measures "
                         f"{_change_word(step, 'measures')}, schedule {_change_word(step, 'schedule')}; parties "
                         f"+{len(change['new'])} −{len(change['dropped'])}")
        lines.append("")
    return "\n".join(lines).rstrip()


_OT_CSS = _CSS + """
.trend{text-align:left;white-space:nowrap}.persists{color:#1b5e20}.appears{color:#0b5394}.disappears{color:#a34800}
.bar{display:inline-block;height:.8em;background:#0072b2;vertical-align:middle}.years li{margin:.1em 0}
.carry td{text-align:left;vertical-align:top}.carry td.n{text-align:right;white-space:nowrap}
.heat-legend{font-size:.85em;color:#444}"""


def over_time_html(histories: list[SchoolHistory], title: str = "planx compare --over-time") -> str:
    def cell(n: int, top: int) -> str:
        if not n:
            return "<td></td>"
        share = n / max(top, 1)
        fg = "#fff" if share > .5 else "#1a1a1a"
        return f'<td class="heat" style="background:{_heat(n, top)};color:{fg}">{n}</td>'

    blocks = []
    for h in histories:
        head = "".join(f"<th>{y}</th>" for y in h.years)
        top = max((n for v in h.practices.values() for n in v), default=1)
        rows = "".join(
            f'<tr><th class="row">{html.escape(pr)}</th>' + "".join(cell(n, top) for n in v)
            + f'<td class="trend {h.practice_trend[pr]["trend"].split()[0]}">{html.escape(_trend_words(h.practice_trend[pr]))}</td></tr>'
            for pr, v in h.practices.items())
        ptop = max((n for v in h.parties.values() for n in v), default=1)
        party_rows = "".join(f'<tr><th class="row">{html.escape(pa)}</th>' + "".join(cell(n, ptop) for n in v)
                             + "</tr>" for pa, v in list(h.parties.items())[:25])
        stop = max(h.schedule["items"], default=1) or 1
        density = "".join(
            f'<tr><th class="row">{y}</th><td class="n">{len(h.plans[y])}</td><td class="n">{n}</td>'
            f'<td class="n">{h.schedule["months_covered"][k]}</td><td style="text-align:left">'
            f'<span class="bar" style="width:{12 * n / stop:.1f}em"></span></td></tr>'
            for k, (y, n) in enumerate(zip(h.years, h.schedule["items"], strict=True)))
        carry_rows = []
        for step, change in zip(h.carry_over, h.party_changes, strict=True):
            examples = "".join(f"<li>{html.escape(p['b'][:80])} <small>({p['score']})</small></li>"
                               for kind in ("goals", "measures", "schedule") for p in step[kind]["carried"][:3])
            carry_rows.append(
                f"<tr><td class='n'>{step['from']}→{step['to']}</td>"
                + "".join(f"<td class='n'>{_change_word(step, k)}</td>" for k in ("goals", "measures", "schedule"))
                + f"<td>{html.escape('、'.join(change['new'][:6]) or '–')}</td>"
                  f"<td>{html.escape('、'.join(change['dropped'][:6]) or '–')}</td><td><ul>{examples}</ul></td></tr>")
        plan_list = "".join(f"<li><b>{y}</b>: {html.escape('；'.join(h.plans[y]))}</li>" for y in h.years)
        if h.undated:
            plan_list += f"<li><b>undated</b>: {html.escape('；'.join(h.undated))}</li>"
        blocks.append(
            f'<section class="school"><h2>{html.escape(h.school)}: {sum(len(v) for v in h.plans.values()) + len(h.undated)}'
            f" plans over {len(h.years)} years</h2>"
            f'<h2>practices × years</h2><p class="heat-legend">goals, measures and schedule items about each practice '
            f'(docs/practices.md); darker is more</p><div class="wrap"><table class="practices-years">'
            f"<tr><th></th>{head}<th>trend</th></tr>{rows}</table></div>"
            f'<h2>schedule density</h2><div class="wrap"><table class="density"><tr><th>year</th><th>plans</th>'
            f"<th>items</th><th>months</th><th></th></tr>{density}</table></div>"
            f'<h2>parties charged (plans of the year)</h2><div class="wrap"><table class="parties-years">'
            f"<tr><th></th>{head}</tr>{party_rows}</table></div>"
            f'<h2>carried over to the next year</h2><p class="heat-legend">same or reworded items / items of the '
            f'later year (rapidfuzz alignment, see planx compare)</p><div class="wrap"><table class="carry"><tr>'
            f"<th>years</th><th>goals</th><th>measures</th><th>schedule</th><th>parties new</th>"
            f"<th>parties dropped</th><th>carried, e.g.</th></tr>{''.join(carry_rows)}</table></div>"
            f'<h2>the plans</h2><ul class="years">{plan_list}</ul></section>')
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title><style>{_OT_CSS}</style>'
            f"</head><body><header><h1>{html.escape(title)}</h1></header>{''.join(blocks)}"
            f"<script>document.body.dataset.ready='yes'</script></body></html>")


def _trend_words(t: dict) -> str:
    return {"every year": "every year", "appears": f"appears {t['first']}",
            "disappears": f"disappears after {t['last']}", "persists": f"persists ({t['years']} years)",
            "intermittent": f"intermittent ({t['years']} years)"}[t["trend"]]
