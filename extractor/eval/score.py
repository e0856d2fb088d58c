"""Scoring predictions against gold, exactly as ../shared/specs/gold-format.md says.

Per field, predictions are matched one-to-one to gold items (greedy, best overlap first),
per plan; plans are matched by the overlap of their extents.
- soft: two spans match when their overlap is at least half of the shorter span; parties
  match when their names are equal after simplified-script and width folding, or rapidfuzz
  ratio >= 90.
- strict: spans equal after trimming whitespace and punctuation at both ends.
Schedule items are located by their activity span (by their when span without one).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..model import Plan
from ..normalise import normalise
from .gold import GoldDoc, GoldPlan, GoldSchedule

Span = tuple[int, int]
FIELDS = ("sections", "goals", "measures", "schedule", "parties", "title")


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def merge(self, other: Accuracy) -> None:
        self.right += other.right
        self.total += other.total

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass
class Scores:
    soft: dict[str, PRF] = field(default_factory=lambda: {f: PRF() for f in FIELDS})
    strict: dict[str, PRF] = field(default_factory=lambda: {f: PRF() for f in FIELDS})
    acc: dict[str, Accuracy] = field(default_factory=lambda: {k: Accuracy() for k in (
        "section_level", "section_role", "schedule_month", "schedule_weekday", "schedule_frequency")})
    plans: PRF = field(default_factory=PRF)

    def merge(self, other: Scores) -> None:
        for f in FIELDS:
            self.soft[f].add(other.soft[f])
            self.strict[f].add(other.strict[f])
        for k, a in other.acc.items():
            self.acc[k].merge(a)
        self.plans.add(other.plans)

    def as_dict(self) -> dict:
        return {"soft": {f: p.as_dict() for f, p in self.soft.items()},
                "strict": {f: p.as_dict() for f, p in self.strict.items()},
                "accuracy": {k: (round(a.value, 4) if a.value is not None else None) for k, a in self.acc.items()},
                "accuracy_counts": {k: [a.right, a.total] for k, a in self.acc.items()},
                "plans": self.plans.as_dict()}

    def mean_f1(self) -> float:
        return sum(self.soft[f].f1 for f in FIELDS) / len(FIELDS)


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def soft_match(a: Span, b: Span) -> bool:
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and overlap(a, b) * 2 >= shorter


def _is_trim(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P") or unicodedata.category(ch) in ("Sm", "So")


def trimmed(text: str, span: Span) -> Span:
    a, b = span
    while a < b and _is_trim(text[a]):
        a += 1
    while b > a and _is_trim(text[b - 1]):
        b -= 1
    return a, b


def match_spans(gold: Sequence[Span], pred: Sequence[Span], text: str,
                strict: bool = False) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index), greedy, best overlap first."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if strict:
                ok = trimmed(text, g) == trimmed(text, p)
            else:
                ok = soft_match(g, p)
            if ok:
                candidates.append((-overlap(g, p), i, j))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def _fold(name: str) -> str:
    return normalise(name).replace(" ", "")


def match_names(gold: Sequence[str], pred: Sequence[str]) -> list[tuple[int, int]]:
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            fg, fp = _fold(g), _fold(p)
            score = 100.0 if fg == fp else fuzz.ratio(fg, fp)
            if score >= 90:
                candidates.append((-score, i, j))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def _prf(n_gold: int, n_pred: int, n_pairs: int) -> PRF:
    return PRF(tp=n_pairs, fp=n_pred - n_pairs, fn=n_gold - n_pairs)


def _schedule_anchor(item) -> Span:
    if item.activity_span and item.activity_span[1] > item.activity_span[0]:
        return tuple(item.activity_span)
    return tuple(item.when.source_span)


def _freq_equal(gold: dict | None, pred) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return (gold.get("count"), gold.get("per"), gold.get("interval", 1)) == (pred.count, pred.per, pred.interval)


def score_plan(text: str, gold: GoldPlan | None, pred: Plan | None) -> Scores:
    s = Scores()
    g_sections = gold.sections if gold else []
    p_sections = pred.sections if pred else []
    fields: dict[str, tuple[list[Span], list[Span]]] = {
        "sections": ([x[0] for x in g_sections], [tuple(x.source_span) for x in p_sections]),
        "goals": (list(gold.goals) if gold else [], [tuple(x.source_span) for x in pred.goals] if pred else []),
        "measures": (list(gold.measures) if gold else [],
                     [tuple(x.source_span) for x in pred.measures] if pred else []),
        "schedule": ([x.anchor for x in gold.schedule] if gold else [],
                     [_schedule_anchor(x) for x in pred.schedule] if pred else []),
        "title": ([gold.title] if gold and gold.title else [],
                  [tuple(pred.title_span)] if pred and pred.title_span else []),
    }
    for name, (g, p) in fields.items():
        soft = match_spans(g, p, text)
        s.soft[name] = _prf(len(g), len(p), len(soft))
        s.strict[name] = _prf(len(g), len(p), len(match_spans(g, p, text, strict=True)))
        if name == "sections":
            for i, j in soft:
                s.acc["section_level"].add(g_sections[i][1] == p_sections[j].level)
                s.acc["section_role"].add(g_sections[i][2] == p_sections[j].role)
        if name == "schedule" and gold and pred:
            for i, j in soft:
                gi: GoldSchedule = gold.schedule[i]
                pj = pred.schedule[j]
                s.acc["schedule_month"].add(gi.month == pj.when.month)
                s.acc["schedule_weekday"].add(gi.weekday == pj.when.weekday)
                s.acc["schedule_frequency"].add(_freq_equal(gi.frequency, pj.when.frequency))
    g_names = list(gold.parties) if gold else []
    p_names = [x.name for x in pred.parties] if pred else []
    pairs = match_names(g_names, p_names)
    s.soft["parties"] = _prf(len(g_names), len(p_names), len(pairs))
    exact = sum(1 for i, j in pairs if _fold(g_names[i]) == _fold(p_names[j]))
    s.strict["parties"] = _prf(len(g_names), len(p_names), exact)
    return s


def score_doc(gold: GoldDoc, pred: list[Plan]) -> Scores:
    """Match plans by the overlap of their extents, then score each pair."""
    g_ext = [p.extent for p in gold.plans]
    p_ext = [tuple(p.source.source_span) for p in pred]
    candidates = sorted((-overlap(g, p), i, j) for i, g in enumerate(g_ext) for j, p in enumerate(p_ext)
                        if overlap(g, p) > 0)
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    total = Scores()
    total.plans = _prf(len(gold.plans), len(pred), len(pairs))
    for i, j in pairs:
        total.merge(score_plan(gold.text, gold.plans[i], pred[j]))
    for i in set(range(len(gold.plans))) - used_g:
        total.merge(score_plan(gold.text, gold.plans[i], None))
    for j in set(range(len(pred))) - used_p:
        total.merge(score_plan(gold.text, None, pred[j]))
    return total


Predictor = Callable[[GoldDoc], list[Plan]]
