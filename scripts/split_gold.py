"""Split new gold files (gold/new/) into dev and test, stratified by layout, with a fixed seed.

Documents already in gold/dev or gold/test stay where they are. Each document has one stratum
(the first of table, run-on, traditional, page, beginning that its layout holds); per stratum,
new documents are drawn for test until about a third of the stratum (old and new) is in test.
    python scripts/split_gold.py            # print the draw and the counts
    python scripts/split_gold.py --apply    # and move the files
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

from extractor.eval.gold import load_gold
from extractor.pipeline import corpus_dirs

SEED = 20261201
TEST_SHARE = 1 / 3
STRATA = ("table", "run-on", "traditional", "page", "beginning")
GOLD = Path("gold")


def stratum(layout: tuple[str, ...]) -> str:
    return next(s for s in STRATA if s in layout or s == "beginning")


def main(apply: bool) -> None:
    dirs = corpus_dirs()
    split_of: dict[Path, str] = {}
    strata: dict[Path, str] = {}
    for split in ("dev", "test", "new"):
        for f in sorted((GOLD / split).glob("*.json")):
            strata[f] = stratum(load_gold(f, dirs).layout)
            split_of[f] = split
    rng = random.Random(SEED)
    for s in STRATA:
        members = [f for f in strata if strata[f] == s]
        new = sorted(f for f in members if split_of[f] == "new")
        have = sum(split_of[f] == "test" for f in members)
        want = max(0, min(len(new), round(len(members) * TEST_SHARE) - have))
        test = set(rng.sample(new, want))
        for f in new:
            split_of[f] = "test" if f in test else "dev"
            print(f"{f.stem}\t{s}\t{split_of[f]}")
    counts = Counter((strata[f], split_of[f]) for f in strata)
    print("\nstratum      dev  test")
    for s in STRATA:
        print(f"{s:<11} {counts[s, 'dev']:>4} {counts[s, 'test']:>5}")
    if apply:
        for f, split in split_of.items():
            if f.parent.name == "new":
                f.rename(GOLD / split / f.name)


if __name__ == "__main__":
    main("--apply" in sys.argv[1:])
