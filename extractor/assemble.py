"""Stage 11, assemble: the drafts of every stage → Plan records (records.py; `pipeline.run`
makes them the public pydantic Plans, the planx command prints them).

Ids are stable: the plan id derives from the file's sha256 and the plan's place in it,
item ids from the plan id and the item's place, so the same bytes give the same ids.

Items are built with `records.trusted` (their models are not re-validated: the stages build
them typed, and the tests check every output against the JSON Schema) and one shared
fields-set per class. The stage consumes the doc: blocks and drafts are released as the
records are built, so that a huge document never holds both at once.
"""

from __future__ import annotations

from .doc import Doc, PlanDraft
from .records import Goal, Measure, Meta, Party, Plan, ScheduleItem, Section, SourceInfo, trusted

_FIELDS = {cls: frozenset(cls.FIELDS) for cls in (Section, Goal, Measure, ScheduleItem, Party)}


def assemble(doc: Doc) -> list[Plan]:
    plans = []
    parts = len(doc.plans)
    doc.blocks = []
    doc.memo.clear()
    for n in range(parts):
        plans.append(_plan(doc, doc.plans[n], n + 1, parts))
        doc.plans[n] = None  # type: ignore[call-overload]
    doc.plans = []
    return plans


def _plan(doc: Doc, d: PlanDraft, part: int, parts: int) -> Plan:
    pid = f"{doc.source.sha256[:16]}-{part}"
    # Hidden sections (a table's row labels) are no sections: what lies in them has none.
    sec_ids: list[str | None] = [None] * len(d.sections)
    sections = []
    for k, s in enumerate(d.sections):
        if s.hidden:
            continue
        sec_ids[k] = f"{pid}/s{len(sections) + 1}"
        sections.append(trusted(
            Section, _FIELDS[Section], id=sec_ids[k], parent=sec_ids[s.parent] if s.parent is not None else None,
            level=s.level, number=s.number, heading=doc.clean(s.start, s.end), role=s.role,
            source_span=(s.start, s.end)))
    party_ids = {name: f"{pid}/p{k + 1}" for k, name in enumerate(d.parties)}
    goals: list[Goal] = []
    measures: list[Measure] = []
    measure_ids: dict[int, str] = {}
    for k, it in enumerate(d.items):
        d.items[k] = None  # type: ignore[call-overload]
        section = sec_ids[it.section] if it.section is not None else None
        category = it.categories[0] if it.categories else None
        if it.kind == "goal":
            goals.append(trusted(
                Goal, _FIELDS[Goal], id=f"{pid}/g{len(goals) + 1}", section=section, text=doc.clean(it.start, it.end),
                source_span=(it.start, it.end), targets=d.targets.get(k, []), category=category,
                categories=it.categories))
        elif it.kind == "measure":
            mid = measure_ids[k] = f"{pid}/m{len(measures) + 1}"
            measures.append(trusted(
                Measure, _FIELDS[Measure], id=mid, section=section,
                parent=measure_ids.get(it.parent) if it.parent is not None else None, title=it.title,
                text=doc.clean(it.start, it.end), source_span=(it.start, it.end),
                parties=[party_ids[p] for p in d.item_parties.get(k, []) if p in party_ids],
                times=d.item_times.get(k, []), targets=d.targets.get(k, []), category=category,
                categories=it.categories))
    schedule = []
    for k, s in enumerate(d.schedule):
        d.schedule[k] = None  # type: ignore[call-overload]
        schedule.append(trusted(
            ScheduleItem, _FIELDS[ScheduleItem], id=f"{pid}/t{k + 1}", section=sec_ids[s.section] if s.section is not None else None,
            when=s.when, activity=("".join(doc.clean(a, b) for a, b in s.activity_pieces) if s.activity_pieces
                                   else doc.clean(s.activity_start, s.activity_end)),
            activity_span=(s.activity_start, s.activity_end),
            parties=[party_ids[p] for p in s.parties if p in party_ids], source_span=(s.start, s.end)))
    parties = [trusted(Party, _FIELDS[Party], id=party_ids[name], name=name, kind=info["kind"],
                                     mentions=info["mentions"]) for name, info in d.parties.items()]
    meta = Meta(**d.meta) if d.meta else Meta()
    source = SourceInfo(path=doc.source.path, sha256=doc.source.sha256, format=doc.source.format,
                        encoding=doc.source.encoding, script=doc.script,  # type: ignore[arg-type]
                        part=part, parts=parts, source_span=(d.start, d.end))
    title = doc.clean(*d.title) if d.title else None
    return Plan(id=pid, source=source, title=title, title_span=d.title, meta=meta, sections=sections,
                goals=goals, measures=measures, schedule=schedule, parties=parties)
