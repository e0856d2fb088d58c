"""Every section and item of every document points at exactly its own text."""

from __future__ import annotations

import itertools

import pytest

from extractor import extract
from extractor.doc import clean_text
from extractor.normalise import normalise
from extractor.read import read_path

from .conftest import SEEDS, shared_corpus


def _check(path) -> None:
    text = read_path(path).text
    norm = normalise(text)
    plans = extract(path)
    for plan in plans:
        a, b = plan.source.source_span
        assert 0 <= a < b <= len(text)
        for s in plan.sections:
            x, y = s.source_span
            assert a <= x < y <= b
            assert clean_text(norm[x:y]) == s.heading
        spans = []
        for item in [*plan.goals, *plan.measures]:
            x, y = item.source_span
            assert a <= x < y <= b
            assert clean_text(norm[x:y]) == item.text
            if item in plan.measures:
                spans.append((x, y))
        spans.sort()
        for (_x1, y1), (x2, _y2) in itertools.pairwise(spans):
            assert y1 <= x2, f"{path.name}: measures overlap at {x2}"
        for t in plan.schedule:
            x, y = t.when.source_span
            assert norm[x:y] == t.when.text
        for p in plan.parties:
            for x, y in p.mentions:
                assert 0 <= x < y <= len(text)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_spans(path) -> None:
    _check(path)


def test_corpus_spans() -> None:
    for path in shared_corpus():
        _check(path)
