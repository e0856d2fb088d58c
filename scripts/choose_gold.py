"""Choose the corpus documents for gold and split them into dev/test.

Deterministic (fixed seed), so the split can be reproduced and audited:
    python scripts/choose_gold.py ../shared/corpus/index.tsv
Prints `<doc id>\t<script>\t<kind>\t<split>` for every chosen document.
"""
import csv
import random
import sys

SEED = 20261123
N_TRADITIONAL, N_SIMPLIFIED = 35, 67  # at least 20 traditional (issue 3); ~1/3 of the corpus is
TEST_SHARE = 1 / 3


def main(index_path: str) -> None:
    rows = list(csv.DictReader(open(index_path, encoding="utf-8"), delimiter="\t"))
    rng = random.Random(SEED)
    trad = sorted(r["id"] for r in rows if r["script"] == "traditional")
    simp = sorted(r["id"] for r in rows if r["script"] != "traditional")
    chosen = {"traditional": rng.sample(trad, N_TRADITIONAL), "simplified": rng.sample(simp, N_SIMPLIFIED)}
    by_id = {r["id"]: r for r in rows}
    for group in ("traditional", "simplified"):
        ids = sorted(chosen[group])
        test = set(rng.sample(ids, round(len(ids) * TEST_SHARE)))
        for i in ids:
            r = by_id[i]
            print(f"{i}\t{r['script']}\t{r['kind']}\t{'test' if i in test else 'dev'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/index.tsv")
