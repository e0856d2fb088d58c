"""Scoring the practices classifier against gold/practices.jsonl (hand-labelled goals and
measures): precision, recall and F1 per category, micro over all."""

from __future__ import annotations

import json
from pathlib import Path

from ..normalise import normalise
from ..practices import classify, taxonomy
from .score import PRF


def evaluate_practices(path: Path, split: str | None = None) -> dict[str, PRF]:
    per = {p.label: PRF() for p in taxonomy()}
    total = PRF()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if split and row["split"] != split:
            continue
        gold = set(row["categories"])
        pred = set(classify(normalise(row["text"])))
        for label, prf in per.items():
            g, p = label in gold, label in pred
            prf.tp += g and p
            prf.fp += p and not g
            prf.fn += g and not p
        total.tp += len(gold & pred)
        total.fp += len(pred - gold)
        total.fn += len(gold - pred)
    per["(all, micro)"] = total
    return per


def format_practices(scores: dict[str, PRF]) -> str:
    lines = [f"{'practice':<22} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}"]
    for label, s in scores.items():
        if s.tp + s.fn + s.fp == 0:
            continue
        lines.append(f"{label:<22} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} {s.tp + s.fn:>5} {s.tp + s.fp:>5}")
    return "\n".join(lines)
