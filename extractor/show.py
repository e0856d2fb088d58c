"""`planx show FILE --html out.html`: the document as written (traditional stays traditional)
with every section, goal, measure, schedule item (its time and its activity), party and
target highlighted, the section tree as a collapsible outline, and a card for the item
tapped or pointed at: its kind, text, time in words, parties by name and section path, with
its JSON one click away.

FILE may be any input planx reads, an entry of a zip archive (`archive.zip!dir/plan.txt`,
or `archive.zip --entry dir/plan.txt`), or a plan of an ingest's store (`--db DIR --plan ID`).

One self-contained page: inline CSS and JS, no network. On a phone (≤ 900 px) the outline
folds away and the card is a bottom sheet, so it opens where the thumb is. Colours are
Okabe–Ito tints, ΔE ≥ 9 apart (and from the page) in normal and simulated protan, deutan and
tritan vision (tests/test_show.py); each kind also has a cue that is not colour (a letter
badge, a bar, a line style), and every legend label has at least 4.5:1 contrast (WCAG AA;
tests/test_browser.py measures it in Chromium)."""

from __future__ import annotations

import html
import itertools
import json
import zipfile
from pathlib import Path

from .errors import ReadError
from .model import Plan, Target, TimeExpr
from .read.source import Source

KINDS = ("heading", "goal", "measure", "activity", "time", "party", "target")
BADGES = {"goal": "G", "measure": "M", "activity": "A"}  # the non-colour cue of the passage kinds
_CSS = """
:root{--ink:#1a1a1a;--heading:#abdaf4;--heading-bar:#0072b2;--goal:#80ceb9;--measure:#f4d48c;--activity:#edd0e0;
--time:#d55e00;--party:#005a8c;--party-line:#0072b2;--target:#f9f4b3}
*{box-sizing:border-box}body{margin:0;font:16px/1.75 "Noto Sans CJK SC","Noto Sans CJK TC","PingFang SC",
"Microsoft YaHei",sans-serif;color:var(--ink);background:#f4f5f6}
header{padding:.6em 1em;background:#37474f;color:#fff}header h1{font-size:1.05em;margin:0 0 .3em;word-break:break-all}
.legend{display:flex;flex-wrap:wrap;gap:.35em;margin:0;padding:0;list-style:none}
.chip{display:inline-block;padding:0 .45em;border-radius:4px;font-size:.85em;line-height:1.8;background:#fff;color:var(--ink)}
main{display:flex;gap:1em;padding:1em;align-items:flex-start}
#outline-box{flex:0 0 16em;position:sticky;top:1em;max-height:90vh;overflow:auto;background:#fff;border:1px solid #ccc;
border-radius:6px;padding:.4em .6em;font-size:.9em}#outline-box summary{cursor:pointer;font-weight:600;color:#37474f}
nav ul{list-style:none;margin:0;padding-left:1em}nav>ul{padding:0}
nav a{color:#0b5394;text-decoration:none;display:block;padding:.15em 0}nav a:hover{text-decoration:underline}
nav .role{color:#555;font-size:.8em;margin-left:.3em}
article{flex:1 1 auto;min-width:0;background:#fff;border:1px solid #ccc;border-radius:6px;padding:1em;
white-space:pre-wrap;word-break:break-word}
#panel{flex:0 0 23em;position:sticky;top:1em;max-height:90vh;overflow:auto;background:#fff;border:1px solid #ccc;
border-radius:6px;padding:.7em .8em;font-size:.92em}
#panel .hint{color:#555;margin:0}#panel-close{display:none}
.card{border-top:1px solid #ddd;padding:.4em 0}.card:first-of-type{border-top:0}
.card .kind{display:inline-block;font-weight:700;font-size:.8em;padding:0 .5em;border-radius:4px;background:#eceff1}
.card .kind.goal{background:var(--goal)}.card .kind.measure{background:var(--measure)}
.card .kind.activity{background:var(--activity)}.card .kind.heading{background:var(--heading)}
.card .kind.party{background:#dcecf7}.card .kind.target{background:var(--target)}
.card p{margin:.3em 0}.card dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em .6em;margin:.3em 0}
.card dt{color:#555}.card dd{margin:0}.card pre{white-space:pre-wrap;font:12px/1.45 ui-monospace,monospace;
background:#f4f5f6;padding:.5em;border-radius:4px;margin:.3em 0}.card summary{cursor:pointer;color:#0b5394}
.debris{color:#666}
.heading{background:var(--heading);font-weight:700}[data-starts~="heading"]{border-left:4px solid var(--heading-bar);padding-left:.2em}
.goal{background:var(--goal)}.measure{background:var(--measure)}.activity{background:var(--activity)}
.time{border-bottom:3px double var(--time)}
.party{color:var(--party);font-weight:700;text-decoration:underline dashed var(--party-line);text-underline-offset:.2em}
.target{background-color:var(--target);border-bottom:2px dotted var(--ink)}
[data-starts~="goal"]::before,[data-starts~="measure"]::before,[data-starts~="activity"]::before{display:inline-block;font:700 .62em/1.4 sans-serif;
padding:0 .3em;margin-right:.15em;border-radius:3px;vertical-align:.3em;background:var(--ink);color:#fff}
[data-starts~="goal"]::before{content:"G"}[data-starts~="measure"]::before{content:"M"}[data-starts~="activity"]::before{content:"A"}
.x{cursor:pointer;-webkit-tap-highlight-color:transparent}.x:hover{outline:1px dashed #555}.x.picked{outline:2px solid var(--ink)}
.plan-start{display:block;border-top:3px solid #37474f;margin:.5em 0;font:600 .8em sans-serif;color:#37474f}
@media (max-width:900px){
main{flex-direction:column;padding:.5em;gap:.5em}
#outline-box{position:static;flex:none;width:100%;max-height:none}
#panel{position:fixed;left:0;right:0;bottom:0;top:auto;z-index:10;max-height:55vh;width:auto;flex:none;margin:0;
border-radius:12px 12px 0 0;box-shadow:0 -4px 16px rgba(0,0,0,.25);display:none}
#panel.open{display:block}#panel-close{display:block;float:right;font-size:1.3em;line-height:1;background:none;
border:0;padding:.1em .3em;cursor:pointer;color:var(--ink)}body.sheet{padding-bottom:55vh}}
"""
_JS = """
const items = JSON.parse(document.getElementById('planx-items').textContent);
const panel = document.getElementById('panel');
const body = document.getElementById('panel-body');
const narrow = window.matchMedia('(max-width: 900px)');
if (narrow.matches) document.getElementById('outline-box').open = false;
function el(tag, cls, text){const e = document.createElement(tag); if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text; return e;}
function card(it){
  const c = el('div', 'card'); c.appendChild(el('span', 'kind ' + it.kind, it.kind));
  if (it.title) c.appendChild(el('p', 'title', it.title));
  c.appendChild(el('p', 'text', it.text));
  const dl = el('dl');
  for (const [k, v] of it.facts){dl.appendChild(el('dt', '', k)); dl.appendChild(el('dd', '', v));}
  if (it.facts.length) c.appendChild(dl);
  const d = el('details'); d.appendChild(el('summary', '', 'JSON'));
  d.appendChild(el('pre', '', JSON.stringify(it.json, null, 2))); c.appendChild(d);
  return c;
}
function showItem(ids, from){
  const list = ids.split(' ').filter(Boolean).map(i => items[i]).filter(Boolean);
  if (!list.length) return;
  body.replaceChildren(...list.map(card));
  document.querySelectorAll('.x.picked').forEach(e => e.classList.remove('picked', 'tapped'));
  if (from){ // outline every piece of the item (every mention, for a party)
    document.querySelectorAll('[data-ids~="' + CSS.escape(ids.split(' ').filter(Boolean)[0]) + '"]').forEach(e => e.classList.add('picked'));
    from.classList.add('picked', 'tapped');
  }
  if (narrow.matches){
    panel.classList.add('open'); document.body.classList.add('sheet');
    if (from){ // keep the tapped passage visible above the sheet
      const r = from.getBoundingClientRect(), top = window.innerHeight - panel.offsetHeight;
      if (r.bottom > top || r.top < 0) window.scrollBy(0, r.top - Math.max(8, top / 3));
    }
  }
}
document.getElementById('panel-close').addEventListener('click', () => {
  panel.classList.remove('open'); document.body.classList.remove('sheet');
});
document.querySelectorAll('.x').forEach(x => {
  x.addEventListener('mouseenter', () => { if (!narrow.matches) showItem(x.dataset.ids, x); });
  x.addEventListener('click', () => showItem(x.dataset.ids, x));
});
document.body.dataset.ready = 'yes';
"""
_HINT = "Tap or point at a highlighted passage to see what planx extracted."

# ---- time in words ------------------------------------------------------------------------
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIMES = {1: "once", 2: "twice"}


def _range(a: int, b: int | None, word=str) -> str:
    return f"{word(a)}–{word(b)}" if b is not None and b != a else word(a)


def time_words(t: TimeExpr) -> str:
    """A TimeExpr in plain English: '13–16 June', 'at least once every 2 weeks', 'week 3, Wednesday afternoon'."""
    out: list[str] = []
    if t.frequency:
        f = t.frequency
        n = _TIMES.get(f.count, f"{f.count} times")
        per = f"a {f.per}" if f.interval == 1 else f"every {f.interval} {f.per}s"
        out.append(f"{'at least ' if f.minimum else ''}{n} {per}")
    if t.relative and not (t.term or t.year):
        out.append({"this": "this period", "next": "next period", "last": "last period"}[t.relative])
    if t.academic_year:
        out.append(f"academic year {t.academic_year}")
    elif t.year:
        out.append(str(t.year))
    if t.programme_year:
        out.append(f"year {t.programme_year} of the programme")
    if t.term:
        prefix = {"this": "this ", "next": "next ", "last": "last "}.get(t.relative or "", "")
        out.append(f"{prefix}term {t.term}")
    if t.term_part:
        out.append({"start": "start of term", "mid": "mid-term", "end": "end of term"}[t.term_part])
    if t.holiday:
        out.append(f"{t.holiday} holidays")
    if t.month:
        month = _range(t.month, t.month_end, lambda m: _MONTHS[m - 1])
        if t.day:
            month = f"{_range(t.day, t.day_end)} {_MONTHS[t.month - 1]}" + (
                f" – {_MONTHS[t.month_end - 1]}" if t.month_end and t.month_end != t.month else "")
        if t.part_of_month:
            month = f"{t.part_of_month} {month}" if t.part_of_month != "end" else f"end of {month}"
        out.append(month)
    if t.week is not None:
        out.append("preparation week" if t.week == 0 and t.week_end is None else
                   f"week{'s' if t.week_end not in (None, t.week) else ''} {_range(t.week, t.week_end)}")
    if t.weekday:
        out.append(_WEEKDAYS[t.weekday - 1])
    if t.part_of_day:
        out[-1:] = [f"{out[-1]} {t.part_of_day}"] if t.weekday else [*out[-1:], t.part_of_day]
    if t.duration:
        d = t.duration
        q = d.get("quantity")
        comp = {">=": "at least ", "<=": "at most ", ">": "over ", "<": "under "}.get(d.get("comparator") or "", "")
        out.append(f"for {comp}{q:g} {d.get('unit') or ''}".rstrip() if isinstance(q, (int, float)) else "for a time")
    return ", ".join(out) or t.kind


# ---- the cards ----------------------------------------------------------------------------
def _clean(obj: object) -> object:
    """JSON without the noise: no nulls, no empty lists, no false flags."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items() if v not in (None, [], {}, False)}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    return obj


def _cards(plan: Plan) -> dict[str, dict]:
    names = {p.id: p.name for p in plan.parties}
    heads = {s.id: s for s in plan.sections}

    def path(section: str | None) -> str:
        chain = []
        while section and section in heads and len(chain) < 20:
            s = heads[section]
            chain.append(s.heading)
            section = s.parent
        return " › ".join(reversed(chain))

    def parties(ids: list[str]) -> list[str]:
        return [names.get(i, i) for i in ids]

    def named(data: dict) -> dict:
        data = _clean(data)
        if isinstance(data, dict) and data.get("parties"):
            data["parties"] = parties(data["parties"])
        return data

    cards: dict[str, dict] = {}
    for s in plan.sections:
        facts = [("role", s.role), ("level", str(s.level))]
        if s.parent:
            facts.append(("in", path(s.parent)))
        cards[s.id] = {"kind": "heading", "text": s.heading, "facts": facts, "json": named(s.model_dump(mode="json"))}
    for g in plan.goals:
        facts = [("section", path(g.section))] if g.section else []
        if g.categories:
            facts.append(("practices", "、".join(g.categories)))
        if g.targets:
            facts.append(("targets", "、".join(t.text for t in g.targets)))
        cards[g.id] = {"kind": "goal", "text": g.text, "facts": facts, "json": named(g.model_dump(mode="json"))}
        for k, t in enumerate(g.targets):
            cards[f"{g.id}/target{k + 1}"] = _target_card(t)
    for m in plan.measures:
        facts = []
        if m.times:
            facts.append(("when", "; ".join(f"{time_words(t)} ({t.text})" for t in m.times)))
        if m.parties:
            facts.append(("parties", "、".join(parties(m.parties))))
        if m.section:
            facts.append(("section", path(m.section)))
        if m.categories:
            facts.append(("practices", "、".join(m.categories)))
        cards[m.id] = {"kind": "measure", "title": m.title, "text": m.text, "facts": facts,
                       "json": named(m.model_dump(mode="json"))}
        for k, t in enumerate(m.targets):
            cards[f"{m.id}/target{k + 1}"] = _target_card(t)
    for t in plan.schedule:
        facts = [("when", f"{time_words(t.when)} ({t.when.text})")]
        if t.parties:
            facts.append(("parties", "、".join(parties(t.parties))))
        if t.section:
            facts.append(("section", path(t.section)))
        cards[t.id] = {"kind": "activity", "text": t.activity, "facts": facts, "json": named(t.model_dump(mode="json"))}
    for p in plan.parties:
        cards[p.id] = {"kind": "party", "text": p.name,
                       "facts": [("kind", p.kind), ("named", f"{len(p.mentions)} time{'s' if len(p.mentions) != 1 else ''}")],
                       "json": _clean(p.model_dump(mode="json"))}
    return cards


def _target_card(t: Target) -> dict:
    return {"kind": "target", "text": t.text, "facts": [("figure", f"{t.comparator} {t.quantity:g} {t.unit or ''}".strip())],
            "json": _clean(t.model_dump(mode="json"))}


def _spans(plans: list[Plan]) -> tuple[list[tuple[int, int, str, str]], dict[str, dict]]:
    """(start, end, kind, item id) for everything shown, and the card of each item."""
    spans: list[tuple[int, int, str, str]] = []
    items: dict[str, dict] = {}
    for plan in plans:
        items.update(_cards(plan))
        for s in plan.sections:
            spans.append((*s.source_span, "heading", s.id))
        for g in plan.goals:
            spans.append((*g.source_span, "goal", g.id))
            for k, t in enumerate(g.targets):
                spans.append((*t.source_span, "target", f"{g.id}/target{k + 1}"))
        for m in plan.measures:
            spans.append((*m.source_span, "measure", m.id))
            for k, t in enumerate(m.targets):
                spans.append((*t.source_span, "target", f"{m.id}/target{k + 1}"))
        for t in plan.schedule:
            spans.append((*t.when.source_span, "time", t.id))
            # the activity: its own span (a table row's lies apart from the time), else the item's
            act = t.activity_span if t.activity_span and t.activity_span[1] > t.activity_span[0] else t.source_span
            spans.append((*act, "activity", t.id))
        for p in plan.parties:
            for a, b in p.mentions:
                spans.append((a, b, "party", p.id))
    return spans, items


def render_document(text: str, plans: list[Plan]) -> str:
    """The text as HTML, cut at every span boundary; each piece carries the kinds and the
    ids of the spans it lies in (innermost first), and in data-starts the kinds whose span
    starts there (where the badge goes)."""
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
        kinds = sorted({s[2] for s in active}, key=KINDS.index)
        begins = sorted({s[2] for s in active if s[0] == a and s[2] in (*BADGES, "heading")})
        starts_at = f' data-starts="{" ".join(begins)}"' if begins else ""
        ids = " ".join(dict.fromkeys(s[3] for s in sorted(active, key=lambda s: s[1] - s[0])))
        out.append(f'<span{anchor}{starts_at} class="x {" ".join(kinds)}" data-ids="{html.escape(ids)}">{piece}</span>')
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


def _legend() -> str:
    chips = []
    for k in KINDS:
        starts = f' data-starts="{k}"' if k in BADGES or k == "heading" else ""
        chips.append(f'<li><span{starts} class="chip {k}">{k}</span></li>')
    return f'<ul class="legend" aria-label="what the highlights mean">{"".join(chips)}</ul>'


def show_html(text: str, plans: list[Plan], title: str) -> str:
    _, items = _spans(plans)
    data = json.dumps(items, ensure_ascii=False).replace("</", "<\\/")
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>planx show: {html.escape(title)}</title><style>{_CSS}</style></head><body>"
            f"<header><h1>{html.escape(title)}</h1>{_legend()}</header>"
            f'<main><details id="outline-box" open><summary>Outline</summary><nav id="outline">{_outline(plans)}</nav>'
            f'</details><article id="document">{render_document(text, plans)}</article>'
            f'<aside id="panel" aria-live="polite"><button id="panel-close" aria-label="close">×</button>'
            f'<div id="panel-body"><p class="hint">{_HINT}</p></div></aside></main>'
            f'<script type="application/json" id="planx-items">{data}</script><script>{_JS}</script>'
            f"</body></html>")


# ---- what to show -------------------------------------------------------------------------
def input_bytes(spec: str | Path, entry: str | None = None, max_bytes: int | None = None) -> tuple[str, bytes]:
    """The name and bytes of a file, or of an entry of a zip archive: `entry`, or
    `archive.zip!entry` (the name ingest records give), or the one document of an archive
    that holds one."""
    from .read import read_file_bytes

    spec = str(spec)
    if entry is None and "!" in spec and not Path(spec).exists():
        head, _, rest = spec.partition("!")
        if head.lower().endswith(".zip"):
            spec, entry = head, rest
    if entry is None and not spec.lower().endswith(".zip"):
        return spec, read_file_bytes(spec, max_bytes)
    try:
        archive = zipfile.ZipFile(spec)
    except FileNotFoundError:
        raise ReadError(spec, "no such file") from None
    except (zipfile.BadZipFile, OSError) as e:
        raise ReadError(spec, f"not a readable zip archive: {e}") from None
    with archive:
        if entry is None:
            names = zip_documents(archive)
            if len(names) != 1:
                listed = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
                raise ReadError(spec, f"the archive holds {len(names)} documents; name one with "
                                      f"{spec}!ENTRY or --entry ENTRY ({listed or 'none'})")
            entry = names[0]
        try:
            info = archive.getinfo(entry)
        except KeyError:
            raise ReadError(f"{spec}!{entry}", "no such entry in the archive") from None
        limit = max_bytes or 50 * 2**20
        if info.file_size > limit:
            raise ReadError(f"{spec}!{entry}", f"entry is {info.file_size} bytes, over the limit of {limit}")
        try:
            with archive.open(info) as fh:
                data = fh.read(limit + 1)
        except Exception as e:  # a damaged or encrypted entry
            raise ReadError(f"{spec}!{entry}", f"damaged archive entry: {type(e).__name__}: {e}") from None
    return f"{spec}!{entry}", data


def zip_documents(archive: zipfile.ZipFile) -> list[str]:
    """The entries of an archive that planx reads (by extension), in directory order."""
    from .ingest.inputs import SUPPORTED

    return [i.filename for i in archive.infolist() if not i.is_dir() and Path(i.filename).suffix.lower() in SUPPORTED]


def read_input(spec: str | Path, entry: str | None = None, max_bytes: int | None = None) -> Source:
    """The Source of a file or of a zip entry (see input_bytes)."""
    from .read import read_bytes

    name, data = input_bytes(spec, entry, max_bytes)
    return read_bytes(data, name, max_bytes=max_bytes)


def stored_plan(folder: str | Path, plan_id: str) -> Plan:
    """A plan of an ingest's store, by id (plans.jsonl)."""
    path = Path(folder) / "plans.jsonl"
    if not path.exists():
        raise ReadError(str(folder), "no plans.jsonl: not an ingest's output folder")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if f'"id": "{plan_id}"' in line[:300] or f'"id":"{plan_id}"' in line[:300]:
                plan = Plan.model_validate_json(line)
                if plan.id == plan_id:
                    return plan
    raise ReadError(str(path), f"no plan with id {plan_id}")


def write_show(path: str | Path | None, out: str | Path, entry: str | None = None,
               db: str | Path | None = None, plan_id: str | None = None) -> Path:
    """Write the page for a file (or a zip entry), or for a stored plan (`db` and `plan_id`:
    the plan as stored, over its source read again, which must still have the same bytes)."""
    from .pipeline import run

    if db is not None:
        if not plan_id:
            raise ReadError(str(db), "--db needs --plan PLAN_ID (SELECT plan_id FROM plans …)")
        plan = stored_plan(db, plan_id)
        where = plan.source.path or ""
        try:
            source = read_input(where)
        except ReadError as e:
            raise ReadError(where, f"the source of stored plan {plan_id} cannot be read again ({e.cause})") from None
        if source.sha256 != plan.source.sha256:
            raise ReadError(where, f"the file has changed since plan {plan_id} was stored (sha256 differs)")
        plans, name = [plan], f"{Path(where).name} · plan {plan.source.part}/{plan.source.parts} (stored)"
    else:
        if path is None:
            raise ReadError("planx show", "name a FILE, or --db DIR --plan PLAN_ID")
        source = read_input(path, entry)
        plans, name = run(source), Path(source.path or str(path)).name
    out = Path(out)
    out.write_text(show_html(source.text, plans, name), encoding="utf-8")
    return out
