"""The block sequence model (`--mode sequence`): it leaves text the rules read well alone and
mends what hard wrapping and lost numbering do to the seeds, scored against their gold."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from extractor import sequence
from extractor.eval.gold import load_gold
from extractor.eval.score import score_doc
from extractor.pipeline import MODES, Settings, corpus_dirs, run
from extractor.read import Source, read_path

from .conftest import ROOT, SEEDS

sys.path.insert(0, str(ROOT / "scripts"))
from mutations import hard_wrapped, mutate_gold, no_numbering

RULES = Settings(stages=MODES["rules"])
SEQUENCE = Settings(stages=MODES["sequence"])


def _gold(seed: Path):
    for split in ("dev", "test"):
        for f in (ROOT / "gold" / split).glob("*.json"):
            g = load_gold(f, corpus_dirs())
            if g.doc == seed.name:
                return g
    raise LookupError(seed.name)


def test_the_model_is_package_data_and_small():
    assert sequence.available()
    from importlib import resources

    size = resources.files("extractor.resources").joinpath(sequence.MODEL).stat().st_size  # type: ignore[attr-defined]
    assert size < 5 * 2**20


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seeds_as_written_come_out_as_the_rules_read_them(seed):
    # numbered, one unit per line: the rules' assumptions hold, so the model stays out
    source = read_path(seed)
    assert [p.model_dump() for p in run(source, SEQUENCE)] == [p.model_dump() for p in run(source, RULES)]


@pytest.mark.parametrize("mutation", [hard_wrapped, no_numbering], ids=["hard-wrapped", "no numbering"])
def test_mutated_seeds_score_better_with_the_model(mutation):
    gains = {"sections": 0.0, "measures": 0.0}
    for seed in SEEDS:
        g = _gold(seed)
        text, where = mutation(g.text, random.Random(7))
        gm = mutate_gold(g, text, where, inserts=mutation is hard_wrapped)
        rules = score_doc(gm, run(Source.from_text(text), RULES))
        model = score_doc(gm, run(Source.from_text(text), SEQUENCE))
        for f in gains:
            gains[f] += model.soft[f].f1 - rules.soft[f].f1
    assert gains["sections"] + gains["measures"] > 0.03, gains  # summed over the five seeds
    assert min(gains.values()) > -0.05, gains
