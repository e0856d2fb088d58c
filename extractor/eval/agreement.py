"""Inter-annotator agreement: a second, independent annotation scored against the first
with the very scorer `planx eval` uses (gold A as gold, gold B as the prediction), so that
the figure is planx's ceiling on the same terms as its own scores."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from .gold import GoldDoc, GoldPlan, gold_files, load_gold
from .run import DocResult, Evaluation
from .score import Scores, score_doc


def as_prediction(g: GoldDoc) -> list[SimpleNamespace]:
    """The plans of a gold file in the shape the scorer reads from a predicted Plan."""
    return [_plan(p) for p in g.plans]


def _plan(p: GoldPlan) -> SimpleNamespace:
    ns = SimpleNamespace
    return ns(
        source=ns(source_span=p.extent),
        title_span=p.title,
        sections=[ns(source_span=span, level=level, role=role) for span, level, role in p.sections],
        goals=[ns(source_span=s) for s in p.goals],
        measures=[ns(source_span=s) for s in p.measures],
        schedule=[ns(activity_span=x.activity, when=ns(
            source_span=x.when or x.activity, month=x.month, weekday=x.weekday,
            frequency=ns(count=x.frequency.get("count"), per=x.frequency.get("per"),
                         interval=x.frequency.get("interval", 1)) if x.frequency else None))
            for x in p.schedule],
        parties=[ns(name=n) for n in p.parties],
    )


def agreement(first_root: Path, second_root: Path, source_dirs: list[Path]) -> tuple[Evaluation, list[str]]:
    """Score every second annotation against the first annotation of the same document."""
    firsts = {f.stem: f for f in gold_files(first_root)}
    problems: list[str] = []
    total, docs = Scores(), []
    for f in gold_files(second_root):
        if f.stem not in firsts:
            problems.append(f"{f}: no first annotation of {f.stem} under {first_root}")
            continue
        a, b = load_gold(firsts[f.stem], source_dirs), load_gold(f, source_dirs)
        problems.extend(a.problems + b.problems)
        s = score_doc(a, as_prediction(b))  # type: ignore[arg-type]
        total.merge(s)
        docs.append(DocResult(a.doc, s, None, a.layout))
    return Evaluation("annotator B vs annotator A", total, docs, 0.0, 0), problems
