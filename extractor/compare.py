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
