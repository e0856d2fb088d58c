"""Show where planx and the gold disagree on one document, field by field.

    python scripts/diff_gold.py gold/dev/0002.json [--field sections]
"""
from __future__ import annotations

import argparse
from pathlib import Path

from extractor.eval.gold import load_gold
from extractor.eval.score import match_names, match_spans, overlap
from extractor.pipeline import corpus_dirs, extract_path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", type=Path, nargs="+")
    ap.add_argument("--field", default=None)
    args = ap.parse_args()
    for path in args.gold:
        g = load_gold(path, corpus_dirs())
        text = g.text
        pred = extract_path(g.source)
        print(f"=== {g.doc}: {len(g.plans)} gold plans, {len(pred)} predicted")
        for gi, gp in enumerate(g.plans):
            pp = max(pred, key=lambda p: overlap(gp.extent, tuple(p.source.source_span)), default=None)
            if pp is None:
                print("  no predicted plan")
                continue
            print(f"-- plan {gi + 1}: title gold={text[gp.title[0]:gp.title[1]] if gp.title else None!r} "
                  f"pred={pp.title!r}")
            fields = {
                "sections": ([s[0] for s in gp.sections], [tuple(s.source_span) for s in pp.sections],
                             [f"L{s[1]} {s[2]}" for s in gp.sections], [f"L{s.level} {s.role}" for s in pp.sections]),
                "goals": (gp.goals, [tuple(x.source_span) for x in pp.goals], None, None),
                "measures": (gp.measures, [tuple(x.source_span) for x in pp.measures], None, None),
                "schedule": ([s.anchor for s in gp.schedule], [tuple(s.activity_span or s.when.source_span)
                                                              for s in pp.schedule],
                             [f"{text[s.when[0]:s.when[1]] if s.when else ''} m{s.month} w{s.weekday} {s.frequency}"
                              for s in gp.schedule],
                             [f"{s.when.text} m{s.when.month} w{s.when.weekday} {s.when.frequency}" for s in pp.schedule]),
            }
            for name, (gs, ps, gl, pl) in fields.items():
                if args.field and name != args.field:
                    continue
                pairs = match_spans(gs, ps, text)
                mg = {i: j for i, j in pairs}
                mp = {j for _, j in pairs}
                bad = [i for i in range(len(gs)) if i not in mg] + [j for j in range(len(ps)) if j not in mp]
                mism = [(i, j) for i, j in pairs if gl and gl[i] != pl[j]]
                if not bad and not mism:
                    continue
                print(f"  [{name}]")
                for i in range(len(gs)):
                    if i not in mg:
                        a, b = gs[i]
                        print(f"    MISS {text[a:b][:60]!r}" + (f"  ({gl[i]})" if gl else ""))
                for j in range(len(ps)):
                    if j not in mp:
                        a, b = ps[j]
                        print(f"    FP   {text[a:b][:60]!r}" + (f"  ({pl[j]})" if pl else ""))
                for i, j in mism:
                    a, b = gs[i]
                    print(f"    DIFF {text[a:b][:40]!r} gold {gl[i]} pred {pl[j]}")
            if not args.field or args.field == "parties":
                gn, pn = gp.parties, [p.name for p in pp.parties]
                pairs = match_names(gn, pn)
                miss = [gn[i] for i in range(len(gn)) if i not in {i for i, _ in pairs}]
                fp = [pn[j] for j in range(len(pn)) if j not in {j for _, j in pairs}]
                if miss or fp:
                    print(f"  [parties] MISS {miss} FP {fp}")


if __name__ == "__main__":
    main()
