"""`planx show FILE --html out.html`: the document as written (traditional stays traditional)
with every section, goal, measure, time and party highlighted, the section tree as a
clickable outline, and a panel with the JSON of the item under the cursor.

One self-contained page: inline CSS and JS, no network, readable on a phone."""

from __future__ import annotations

import html
import itertools
import json
from pathlib import Path

from .model import Plan

KINDS = ("heading", "goal", "measure", "activity", "time", "party", "target")
_CSS = """
:root{--heading:#c8e6c9;--goal:#bbdefb;--measure:#ffe0b2;--activity:#f8bbd0;--time:#d81b60;--party:#6a1b9a;--target:#00838f}
*{box-sizing:border-box}body{margin:0;font:15px/1.7 "Noto Sans CJK SC","Noto Sans CJK TC","PingFang SC",
"Microsoft YaHei",sans-serif;color:#222;background:#fafafa}
header{padding:.6em 1em;background:#37474f;color:#fff}header h1{font-size:1.1em;margin:0}
header .legend span{display:inline-block;margin:.2em .6em .2em 0;padding:0 .4em;border-radius:3px;font-size:.85em}
main{display:flex;gap:1em;padding:1em;align-items:flex-start}
nav{flex:0 0 16em;position:sticky;top:1em;max-height:90vh;overflow:auto;background:#fff;border:1px solid #ddd;
border-radius:6px;padding:.5em;font-size:.9em}nav ul{list-style:none;margin:0;padding-left:1em}nav>ul{padding:0}
nav a{color:#1565c0;text-decoration:none;display:block;padding:.1em 0}nav a:hover{text-decoration:underline}
nav .role{color:#777;font-size:.8em;margin-left:.3em}
article{flex:1 1 auto;min-width:0;background:#fff;border:1px solid #ddd;border-radius:6px;padding:1em;
white-space:pre-wrap;word-break:break-word}
aside{flex:0 0 22em;position:sticky;top:1em;max-height:90vh;overflow:auto;background:#263238;color:#e0f2f1;
border-radius:6px;padding:.6em;font:12px/1.5 ui-monospace,monospace;white-space:pre-wrap}
.debris{color:#aaa}.heading{background:var(--heading);font-weight:600}.goal{background:var(--goal)}
.measure{background:var(--measure)}.activity{background:var(--activity)}.time{border-bottom:2px solid var(--time)}
.party{color:var(--party);font-weight:700}.target{box-shadow:inset 0 -3px 0 var(--target)}
.x{cursor:pointer}.x:hover{outline:1px dashed #555}.plan-start{display:block;border-top:3px solid #37474f;
margin:.5em 0;font:600 .8em sans-serif;color:#37474f}
@media (max-width:900px){main{flex-direction:column}nav,aside{position:static;flex:none;width:100%;max-height:none}}
"""
_JS = """
const items = JSON.parse(document.getElementById('planx-items').textContent);
const panel = document.getElementById('panel');
function showItem(ids){
  const list = ids.split(' ').filter(Boolean).map(i => items[i]).filter(Boolean);
  panel.textContent = list.length ? JSON.stringify(list.length === 1 ? list[0] : list, null, 2)
                                  : 'Point at a highlighted passage to see what planx extracted.';
}
document.querySelectorAll('.x').forEach(el => {
  el.addEventListener('mouseenter', () => showItem(el.dataset.ids));
  el.addEventListener('click', () => showItem(el.dataset.ids));
});
document.body.dataset.ready = 'yes';
"""


def _spans(plans: list[Plan]) -> tuple[list[tuple[int, int, str, str]], dict[str, dict]]:
    """(start, end, kind, item id) for everything shown, and the JSON of each item."""
    spans: list[tuple[int, int, str, str]] = []
    items: dict[str, dict] = {}
    for plan in plans:
        for s in plan.sections:
            spans.append((*s.source_span, "heading", s.id))
            items[s.id] = s.model_dump(mode="json")
        for g in plan.goals:
            spans.append((*g.source_span, "goal", g.id))
            items[g.id] = g.model_dump(mode="json")
            for k, t in enumerate(g.targets):
                tid = f"{g.id}/target{k + 1}"
                spans.append((*t.source_span, "target", tid))
                items[tid] = t.model_dump(mode="json")
        for m in plan.measures:
            spans.append((*m.source_span, "measure", m.id))
            items[m.id] = m.model_dump(mode="json")
        for t in plan.schedule:
            spans.append((*t.when.source_span, "time", t.id))
            if t.activity_span and t.activity_span[1] > t.activity_span[0]:
                spans.append((*t.activity_span, "activity", t.id))  # a table row's activity lies apart
            items[t.id] = t.model_dump(mode="json")
        for p in plan.parties:
            items[p.id] = p.model_dump(mode="json")
            for a, b in p.mentions:
                spans.append((a, b, "party", p.id))
    return spans, items


def render_document(text: str, plans: list[Plan]) -> str:
    """The text as HTML, cut at every span boundary; each piece carries the kinds and the
    ids of the spans it lies in."""
    spans, _ = _spans(plans)
    starts = {p.source.source_span[0]: p for p in plans}
    cuts = sorted({0, len(text), *(a for a, *_ in spans), *(b for _, b, *_ in spans), *starts})
    events: dict[int, list[tuple[int, int, str, str]]] = {}
    for s in spans:
        events.setdefault(s[0], []).append(s)
    active: list[tuple[int, int, str, str]] = []
    anchors = {s.source_span[0]: s.id for p in plans for s in p.sections}
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        if a in starts:
            p = starts[a]
            out.append(f'<span class="plan-start" id="plan-{p.source.part}">plan {p.source.part}/{p.source.parts}'
                       f"{': ' + html.escape(p.title) if p.title else ''}</span>")
        active = [s for s in active if s[1] > a] + events.get(a, [])
        piece = html.escape(text[a:b])
        anchor = f' id="{html.escape(anchors[a])}"' if a in anchors else ""
        if not active:
            out.append(f"<span{anchor}>{piece}</span>" if anchor else piece)
            continue
        kinds = " ".join(sorted({s[2] for s in active}, key=KINDS.index))
        ids = " ".join(s[3] for s in sorted(active, key=lambda s: s[1] - s[0]))
        out.append(f'<span{anchor} class="x {kinds}" data-ids="{html.escape(ids)}">{piece}</span>')
    return "".join(out)


def _tree(children: dict[str | None, list], parent: str | None) -> str:
    kids = children.get(parent, [])
    if not kids:
        return ""
    return "<ul>" + "".join(
        f'<li><a href="#{html.escape(s.id)}">{html.escape(s.heading)}<span class="role">{s.role}</span></a>'
        f"{_tree(children, s.id)}</li>" for s in kids) + "</ul>"


def _outline(plans: list[Plan]) -> str:
    parts = []
    for p in plans:
        parts.append(f'<li><a href="#plan-{p.source.part}"><b>{html.escape(p.title or f"plan {p.source.part}")}</b></a>')
        children: dict[str | None, list] = {}
        for s in p.sections:
            children.setdefault(s.parent, []).append(s)
        parts.append(_tree(children, None) + "</li>")
    return "<ul>" + "".join(parts) + "</ul>"


def show_html(text: str, plans: list[Plan], title: str) -> str:
    _, items = _spans(plans)
    legend = "".join(f'<span class="{k}">{k}</span>' for k in KINDS)
    data = json.dumps(items, ensure_ascii=False).replace("</", "<\\/")
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>planx show: {html.escape(title)}</title><style>{_CSS}</style></head><body>"
            f'<header><h1>{html.escape(title)}</h1><div class="legend">{legend}</div></header>'
            f'<main><nav id="outline">{_outline(plans)}</nav>'
            f'<article id="document">{render_document(text, plans)}</article>'
            f'<aside id="panel">Point at a highlighted passage to see what planx extracted.</aside></main>'
            f'<script type="application/json" id="planx-items">{data}</script><script>{_JS}</script>'
            f"</body></html>")


def write_show(path: str | Path, out: str | Path) -> Path:
    from .pipeline import run
    from .read import read_path

    source = read_path(path)
    plans = run(source)
    out = Path(out)
    out.write_text(show_html(source.text, plans, Path(path).name), encoding="utf-8")
    return out
