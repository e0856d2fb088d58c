"""Train every model in models/ from the corpus and gold/dev (never gold/test, which is only
scored), deterministically, and print each model's scores. Writes a model card per model.

    python scripts/train.py [--only lines roles items blocks party_mentions tagger] [--quick]

On the project's 2-core machine all four train in well under 30 minutes.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.ml import MODELS_DIR  # noqa: E402
from extractor.ml.data import (  # noqa: E402
    gold_docs,
    gold_items,
    gold_lines,
    silver_items,
    silver_lines,
    unlabelled_paths,
)
from extractor.ml.textcat import model_text, train  # noqa: E402
from extractor.model import ROLES  # noqa: E402

SEED = 20261123


def _size(folder: Path) -> str:
    n = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return f"{n / 2**20:.1f} MB"


def _prf(pairs: list[tuple[str, str]], labels: list[str]) -> dict:
    out = {}
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        out[lab] = {"precision": round(pr, 3), "recall": round(rc, 3),
                    "f1": round(2 * pr * rc / (pr + rc), 3) if pr + rc else 0.0, "gold": tp + fn}
    out["accuracy"] = round(sum(g == p for g, p in pairs) / max(len(pairs), 1), 3)
    return out


def _card(folder: Path, name: str, job: str, data: str, labels: list[str], scores: dict, extra: str = "") -> None:
    (folder / "MODEL_CARD.md").write_text(
        f"# {name}\n\n{job}\n\n- **Version**: 1 (planx 0.1.0), trained by `scripts/train.py` (seed {SEED})\n"
        f"- **Training data**: {data}\n- **Labels**: {', '.join(labels)}\n- **Size**: {_size(folder)}\n\n"
        f"## Scores on gold/test (never trained on)\n\n```json\n{json.dumps(scores, ensure_ascii=False, indent=1)}\n```\n"
        f"{extra}", encoding="utf-8")


def _save_spacy(nlp, name: str) -> Path:
    folder = MODELS_DIR / name
    if folder.exists():
        shutil.rmtree(folder)
    nlp.to_disk(folder)
    return folder


def _balanced(examples: list[tuple[str, str]], cap: int, rng: random.Random) -> list[tuple[str, str]]:
    """At most `cap` examples per label (silver data is dominated by body lines)."""
    by: dict[str, list] = {}
    for e in examples:
        by.setdefault(e[1], []).append(e)
    out = []
    for rows in by.values():
        rng.shuffle(rows)
        out.extend(rows[:cap])
    rng.shuffle(out)
    return out


def train_lines(quick: bool) -> None:
    rng = random.Random(SEED)
    gold = [(model_text(t), y) for g in gold_docs("dev") for t, y, _ in gold_lines(g)]
    silver = [(model_text(t), y) for p in unlabelled_paths() for t, y, _ in silver_lines(p)]
    examples = gold * 2 + _balanced(silver, 1500, rng)  # gold counts twice
    labels = ["heading", "body", "noise"]
    nlp = train(examples, labels, epochs=4 if quick else 10, seed=SEED)
    test = [(model_text(t), y) for g in gold_docs("test") for t, y, _ in gold_lines(g)]
    pred = [max(d.cats, key=d.cats.get) for d in nlp.pipe([t for t, _ in test])]
    scores = _prf([(y, p) for (_, y), p in zip(test, pred, strict=True)], labels)
    folder = _save_spacy(nlp, "lines")
    counts = Counter(y for _, y in gold)
    _card(folder, "lines: heading / body / noise", "Classifies a line of a plan document (with a few layout "
          "features: numbering style, length, colon, sentence punctuation) as a heading, body text or site noise. "
          "planx uses it on short unnumbered lines, where the numbering says nothing.",
          f"gold/dev lines ({dict(counts)}) twice, plus up to 1,500 silver lines per label from the rules on the "
          f"{len(unlabelled_paths())} corpus documents without gold", labels, scores)
    print("lines:", json.dumps(scores, ensure_ascii=False))


def train_roles(quick: bool) -> None:
    gold = [(model_text(t), r) for g in gold_docs("dev") for t, y, r in gold_lines(g) if y == "heading" and r]
    silver = [(model_text(t), r) for p in unlabelled_paths() for t, y, r in silver_lines(p) if y == "heading" and r]
    examples = gold * 2 + silver
    labels = [r for r in ROLES if any(y == r for _, y in examples)]
    nlp = train(examples, labels, epochs=6 if quick else 16, seed=SEED)
    test = [(model_text(t), r) for g in gold_docs("test") for t, y, r in gold_lines(g) if y == "heading" and r]
    pred = [max(d.cats, key=d.cats.get) for d in nlp.pipe([t for t, _ in test])]
    scores = _prf([(y, p) for (_, y), p in zip(test, pred, strict=True)], labels)
    folder = _save_spacy(nlp, "roles")
    _card(folder, "roles: the role of a heading", "Classifies a heading into the closed role vocabulary. planx "
          "uses it only for headings whose words are not in the role lexicon.",
          f"{len(gold)} gold/dev headings twice and {len(silver)} silver headings (roles the lexicon gave, on "
          "corpus documents without gold)", labels, scores)
    print("roles:", json.dumps({k: v for k, v in scores.items() if k == "accuracy"}, ensure_ascii=False))


def train_items(quick: bool) -> None:
    rng = random.Random(SEED)
    gold = [(model_text(t, 120), y) for g in gold_docs("dev") for t, y in gold_items(g)]
    silver = [(model_text(t, 120), y) for p in unlabelled_paths() for t, y in silver_items(p)]
    examples = gold * 2 + _balanced(silver, 800, rng)
    labels = ["goal", "measure", "other"]
    nlp = train(examples, labels, epochs=5 if quick else 12, seed=SEED)
    test = [(model_text(t, 120), y) for g in gold_docs("test") for t, y in gold_items(g)]
    pred = [max(d.cats, key=d.cats.get) for d in nlp.pipe([t for t, _ in test])]
    scores = _prf([(y, p) for (_, y), p in zip(test, pred, strict=True)], labels)
    folder = _save_spacy(nlp, "items")
    _card(folder, "items: goal / measure / other", "Classifies a unit of a plan (a numbered item or a paragraph) "
          "as a goal, a measure, or neither. planx uses it where the section gives no role (plans without "
          "headings, headings the lexicon does not know).",
          f"{len(gold)} gold/dev units twice, silver goals and measures of lexicon-named sections", labels, scores)
    print("items:", json.dumps(scores, ensure_ascii=False))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="+", default=["lines", "roles", "items", "blocks", "party_mentions", "tagger"])
    ap.add_argument("--quick", action="store_true", help="fewer epochs (for a smoke test)")
    args = ap.parse_args()
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    for name in args.only:
        t = time.perf_counter()
        if name == "tagger":
            from extractor.ml.train_tagger import train_tagger

            train_tagger(args.quick, SEED)
        elif name in ("blocks", "party_mentions"):  # each has its own script (and its own options)
            script = {"blocks": ["train_sequence.py"], "party_mentions": ["train_party_mentions.py", "--write"]}[name]
            subprocess.run([sys.executable, str(ROOT / "scripts" / script[0]), *script[1:]], check=True)
        else:
            {"lines": train_lines, "roles": train_roles, "items": train_items}[name](args.quick)
        print(f"{name}: trained in {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
