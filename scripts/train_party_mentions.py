"""Train the party-mention classifier (extractor/mentions.py) on gold/dev, never gold/test.

Every candidate mention the tag stage considers (in measures, schedule items, action
sections and titles) is an example; its label is whether the gold lists its canonical name
among the parties of the plan it lies in. Reports 5-fold cross-validation on dev (by
document) of plan-level party F1, rules vs classifier, then trains on all of dev and writes
extractor/resources/party_mentions.json. With --evaluate DIR (gold/test: to report, never to
tune) it scores the shipped model there instead: precision and recall over candidate mentions
(a mention is positive where the gold lists its name for its plan), rules vs classifier.

    python scripts/train_party_mentions.py [--folds 5] [--write]
    python scripts/train_party_mentions.py --evaluate gold/test
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import tagging  # noqa: E402
from extractor.eval.gold import load_gold  # noqa: E402
from extractor.eval.score import _fold, match_names, overlap  # noqa: E402
from extractor.mentions import MODEL_FILE, Perceptron, features, model  # noqa: E402
from extractor.pipeline import ALL_STAGES, DEFAULT, corpus_dirs, make_doc  # noqa: E402
from extractor.read import read_path  # noqa: E402
from extractor.schedule import tag_schedule  # noqa: E402


def examples(gold_dir: Path) -> list[tuple[str, list[tuple[int, str, list[str], bool]]]]:
    """Per document: (doc name, [(plan index, canonical name, features, label)])."""
    out = []
    for f in sorted(gold_dir.glob("*.json")):
        g = load_gold(f, corpus_dirs())
        doc = make_doc(read_path(g.source))
        for name in DEFAULT.stages:
            if name in ("tag", "tag_ml"):
                break
            doc = ALL_STAGES[name](doc)
        tag_schedule(doc)
        rows = []
        for k, plan in enumerate(doc.plans):
            sink: list = []
            fixed = list(plan.parties)  # a schedule table's responsible cells: parties already
            tagging._parties(doc, plan, use_model=False, sink=sink)
            rows.extend((k, name, [], True, True) for name in fixed)
            gp = max(g.plans, key=lambda p: overlap(p.extent, (plan.start, plan.end)), default=None)
            wanted = {_fold(n) for n in gp.parties} if gp and overlap(gp.extent, (plan.start, plan.end)) > 0 else set()
            for _, m, ctx in sink:
                label = _fold(m.name) in wanted or any(match_names([w], [m.name]) for w in wanted)
                rows.append((k, m.name, features(ctx), label, ctx.charged))
        out.append((f.stem, rows, g, doc))
    return out


def plan_f1(docs, decide) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for _, rows, g, doc in docs:
        for k, plan in enumerate(doc.plans):
            names = {name for (pk, name, feats, _label, rule) in rows
                     if pk == k and (not feats or decide(feats, rule))}
            if "学校" in names and not tagging._issued_above_school(doc, plan):
                names.discard("学校")
            gp = max(g.plans, key=lambda p: overlap(p.extent, (plan.start, plan.end)), default=None)
            gold = list(gp.parties) if gp and overlap(gp.extent, (plan.start, plan.end)) > 0 else []
            pairs = match_names(gold, sorted(names))
            tp += len(pairs)
            fp += len(names) - len(pairs)
            fn += len(gold) - len(pairs)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def mention_prf(docs, decide) -> tuple[float, float, int, int]:
    """Precision and recall of `decide` over the candidate mentions (table cells excluded)."""
    tp = fp = fn = 0
    for _, rows, _, _ in docs:
        for _k, _name, feats, label, rule in rows:
            if not feats:
                continue
            said = decide(feats, rule)
            tp += said and label
            fp += said and not label
            fn += label and not said
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0), tp + fn, tp + fp + fn


def evaluate(gold_dir: Path) -> None:
    m = model()
    assert m is not None, "no shipped model"
    docs = examples(gold_dir)
    d = tagging.OVERRULE
    tagged = lambda feats, rule: (rule and m.score(feats) > -d) or m.score(feats) > d  # noqa: E731
    alone = lambda feats, rule: m.score(feats) > 0  # noqa: E731
    for label, decide in (("rules", lambda feats, rule: rule), ("classifier as tag_ml uses it", tagged),
                          ("classifier alone", alone)):
        p, r, pos, _ = mention_prf(docs, decide)
        pp, pr, pf = plan_f1(docs, decide)
        print(f"{gold_dir.name} mentions ({pos} positive): {label}: P {p:.3f} R {r:.3f} F1 "
              f"{2 * p * r / (p + r) if p + r else 0:.3f}; plan-level parties P {pp:.3f} R {pr:.3f} F1 {pf:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--evaluate", type=Path, default=None, help="score the shipped model on this gold dir")
    args = ap.parse_args()
    if args.evaluate:
        evaluate(args.evaluate)
        return
    docs = examples(ROOT / "gold" / "dev")
    n = sum(1 for _, r, _, _ in docs for x in r if x[2])
    print(f"{len(docs)} documents, {n} candidate mentions, "
          f"{sum(x[3] for _, r, _, _ in docs for x in r if x[2])} of them names the gold charges")
    rules = plan_f1(docs, lambda feats, rule: rule)
    folds = [docs[i::args.folds] for i in range(args.folds)]
    tp_docs = []
    for i in range(args.folds):
        train = [x for j, f in enumerate(folds) if j != i for _, r, _, _ in f for x in r if x[2]]
        model = Perceptron.train([(x[2], x[3]) for x in train])
        tp_docs.append((folds[i], model))
    d = tagging.OVERRULE
    cv = [0, 0, 0]
    for held, model in tp_docs:  # as the tag stage decides: the rules, unless the model is confident
        p, r, f1 = plan_f1(held, lambda feats, rule, m=model: (rule and m.score(feats) > -d) or m.score(feats) > d)
        cv = [cv[0] + p, cv[1] + r, cv[2] + f1]
    cv = [round(x / args.folds, 3) for x in cv]
    print(f"rules on dev: P {rules[0]:.3f} R {rules[1]:.3f} F1 {rules[2]:.3f}")
    print(f"classifier, {args.folds}-fold CV on dev (mean of folds): P {cv[0]:.3f} R {cv[1]:.3f} F1 {cv[2]:.3f}")
    rules_cv = [0, 0, 0]
    for held, _ in tp_docs:
        p, r, f1 = plan_f1(held, lambda feats, rule: rule)
        rules_cv = [rules_cv[0] + p, rules_cv[1] + r, rules_cv[2] + f1]
    print("rules, same folds (mean): " + " ".join(f"{k} {v / args.folds:.3f}" for k, v in zip("PRF", rules_cv, strict=True)))
    if args.write:
        model = Perceptron.train([(x[2], x[3]) for _, r, _, _ in docs for x in r if x[2]])
        path = ROOT / "extractor" / "resources" / MODEL_FILE
        path.write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB, {len(model.w)} weights)")


if __name__ == "__main__":
    main()
