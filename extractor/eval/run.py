"""`planx eval` and `planx gold check`: run a predictor over gold documents and report."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import PlanxError
from ..model import Plan
from .gold import GoldDoc, GoldError, gold_files, load_gold
from .score import FIELDS, Predictor, Scores, score_doc


@dataclass
class DocResult:
    doc: str
    scores: Scores
    error: str | None = None
    layout: tuple[str, ...] = ()


@dataclass
class Evaluation:
    name: str
    total: Scores
    docs: list[DocResult]
    seconds: float
    chars: int

    def as_dict(self) -> dict:
        return {"system": self.name, **self.total.as_dict(), "documents": len(self.docs),
                "chars": self.chars, "seconds": round(self.seconds, 3),
                "by_layout": {t: {"documents": n, **{f: round(s.soft[f].f1, 4) for f in FIELDS}}
                      for t, (n, s) in by_layout(self).items()},
        "per_doc": {d.doc: {"mean_f1": round(d.scores.mean_f1(), 4), "layout": list(d.layout),
                                    **{f: round(d.scores.soft[f].f1, 4) for f in FIELDS},
                                    **({"error": d.error} if d.error else {})} for d in self.docs}}


def load_all(gold_root: Path, source_dirs: list[Path]) -> tuple[list[GoldDoc], list[str]]:
    docs, problems = [], []
    for f in gold_files(gold_root):
        try:
            g = load_gold(f, source_dirs)
        except GoldError as e:
            problems.append(str(e))
            continue
        docs.append(g)
        problems.extend(g.problems)
    return docs, problems


def evaluate(golds: list[GoldDoc], predictor: Predictor, name: str = "planx") -> Evaluation:
    total = Scores()
    results = []
    seconds = 0.0
    chars = 0
    for g in golds:
        t = time.perf_counter()
        error = None
        try:
            pred: list[Plan] = predictor(g)
        except PlanxError as e:
            pred, error = [], str(e)
        seconds += time.perf_counter() - t
        chars += len(g.text)
        s = score_doc(g, pred)
        total.merge(s)
        results.append(DocResult(g.doc, s, error, g.layout))
    return Evaluation(name, total, results, seconds, chars)


def format_report(ev: Evaluation, per_doc: bool = False) -> str:
    t = ev.total
    lines = [f"{ev.name}: {len(ev.docs)} documents, {t.plans.tp + t.plans.fn} gold plans "
             f"(plans matched: P {t.plans.precision:.3f} R {t.plans.recall:.3f}), "
             f"{ev.chars / max(ev.seconds, 1e-9):,.0f} chars/s",
             f"{'field':<10} {'soft P':>7} {'soft R':>7} {'soft F1':>7}   {'strict P':>8} {'strict R':>8} "
             f"{'strict F1':>9}   {'gold':>5} {'pred':>5}"]
    for f in FIELDS:
        a, b = t.soft[f], t.strict[f]
        lines.append(f"{f:<10} {a.precision:>7.3f} {a.recall:>7.3f} {a.f1:>7.3f}   {b.precision:>8.3f} "
                     f"{b.recall:>8.3f} {b.f1:>9.3f}   {a.tp + a.fn:>5} {a.tp + a.fp:>5}")
    accs = ", ".join(f"{k} {a.value:.3f} ({a.right}/{a.total})" if a.value is not None else f"{k} n/a"
                     for k, a in t.acc.items())
    lines.append("accuracy on matched items: " + accs)
    if per_doc:
        lines.append("")
        lines.append("per document, worst first (mean soft F1 over fields):")
        for d in sorted(ev.docs, key=lambda d: d.scores.mean_f1()):
            cells = " ".join(f"{f[:4]} {d.scores.soft[f].f1:.2f}" for f in FIELDS)
            lines.append(f"  {d.scores.mean_f1():.3f}  {d.doc:<28} {cells}" + (f"  ERROR {d.error}" if d.error else ""))
    return "\n".join(lines)


def by_layout(ev: Evaluation) -> dict[str, tuple[int, Scores]]:
    """Scores merged over the documents of each layout tag (a document counts in each of its tags)."""
    from .gold import LAYOUTS

    out: dict[str, tuple[int, Scores]] = {}
    for tag in LAYOUTS:
        docs = [d for d in ev.docs if tag in d.layout]
        if docs:
            total = Scores()
            for d in docs:
                total.merge(d.scores)
            out[tag] = (len(docs), total)
    return out


def format_by_layout(ev: Evaluation) -> str:
    lines = ["soft F1 per layout (a document counts in each of its layouts):",
             f"{'layout':<12} {'docs':>4}  " + " ".join(f"{f:>9}" for f in FIELDS)]
    for tag, (n, s) in by_layout(ev).items():
        lines.append(f"{tag:<12} {n:>4}  " + " ".join(f"{s.soft[f].f1:>9.3f}" for f in FIELDS))
    return "\n".join(lines)


def write_json(ev: Evaluation, path: Path) -> None:
    path.write_text(json.dumps(ev.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")


def gold_stats(golds: list[GoldDoc]) -> dict:
    from ..normalise import detect_script
    from .gold import LAYOUTS

    stats = {"documents": len(golds), "plans": 0, "traditional_documents": 0,
             "layouts": {t: sum(t in g.layout for g in golds) for t in LAYOUTS}}
    for f in ("sections", "goals", "measures", "schedule", "parties"):
        stats[f] = 0
    for g in golds:
        stats["plans"] += len(g.plans)
        stats["traditional_documents"] += detect_script(g.text) == "traditional"
        for p in g.plans:
            for f in ("sections", "goals", "measures", "schedule", "parties"):
                stats[f] += len(getattr(p, f))
    return stats
