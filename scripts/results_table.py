"""Print the README's results tables: planx and the baselines on gold/dev and gold/test,
soft and strict F1 per field, and planx per layout on gold/test (soft F1), measured with the
same code as `planx eval`.

    python scripts/results_table.py [--systems planx naive jionlp]
"""
from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from extractor.eval.baselines import BASELINES
from extractor.eval.run import by_layout, evaluate, load_all
from extractor.eval.score import FIELDS
from extractor.pipeline import Settings, corpus_dirs, extract_path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--systems", nargs="+", default=["planx", "naive", "jionlp"])
    ap.add_argument("--splits", nargs="+", default=["dev", "test"])
    args = ap.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "extractor"], capture_output=True, text=True).stdout
    print(f"Measured on commit {commit}{' (+ uncommitted changes)' if dirty else ''}.\n")
    print("| split | system | " + " | ".join(f"{f} F1 soft / strict" for f in FIELDS) + " |")
    print("|---|---|" + "---|" * len(FIELDS))
    layouts = None
    for split in args.splits:
        golds, problems = load_all(Path("gold") / split, corpus_dirs())
        if problems:
            raise SystemExit(f"gold/{split} has problems; run planx gold check")
        for system in args.systems:
            if system == "planx":
                settings = Settings()
                ev = evaluate(golds, lambda g, s=settings: extract_path(g.source, s), "planx")
            else:
                ev = evaluate(golds, BASELINES[system], system)
            cells = " | ".join(f"{ev.total.soft[f].f1:.3f} / {ev.total.strict[f].f1:.3f}" for f in FIELDS)
            print(f"| {split} ({len(golds)} docs) | {system} | {cells} |")
            if system == "planx" and split == "test":
                layouts = by_layout(ev)
    if layouts:
        print("\nplanx on gold/test per layout (soft F1; a document counts in each of its layouts):\n")
        print("| layout | docs | " + " | ".join(FIELDS) + " |")
        print("|---|---|" + "---|" * len(FIELDS))
        for tag, (n, s) in layouts.items():
            print(f"| {tag} | {n} | " + " | ".join(f"{s.soft[f].f1:.3f}" for f in FIELDS) + " |")


if __name__ == "__main__":
    main()
