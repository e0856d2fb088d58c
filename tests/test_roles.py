"""Section roles from heading words (roles.role_of)."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from extractor.lexicon import lexicon
from extractor.roles import role_of

from .conftest import SEEDS, shared_corpus


def _pieces() -> list[str]:
    # heading-length pieces of every line of the seeds and the web corpus
    out = set()
    for path in [*SEEDS, *shared_corpus()]:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            for k in range(0, len(line), 9):
                for n in (4, 5, 7, 10, 16):
                    if len(line) - k >= 4:
                        out.add(line[k:k + n])
    return sorted(out)


def test_fuzzy_candidates_keep_every_term_that_can_match() -> None:
    # the pre-filter drops only terms that cannot reach the cut-off: the same best match as
    # scoring every term, on real text and on near-misses of each term
    lex = lexicon()
    pieces = _pieces()
    for term in lex.long_terms:
        pieces += [term[:-1] + "的", "在" + term[1:], term[0] + "一" + term[1:] + "中", term[::-1]]
    matched = 0
    for text in pieces:
        full = process.extractOne(text, lex.long_terms, scorer=fuzz.partial_ratio, score_cutoff=85)
        candidates = lex.fuzzy_candidates(text, 85)
        assert set(candidates) <= set(lex.long_terms)
        fast = process.extractOne(text, candidates, scorer=fuzz.partial_ratio, score_cutoff=85) if candidates else None
        assert (full and full[:2]) == (fast and fast[:2]), text
        matched += full is not None
    assert matched > 500


def test_role_of_reads_terms_and_near_misses() -> None:
    assert role_of("一、指导思想").role == "guiding"
    assert role_of("主要任务与措施").role == "measures"
    guess = role_of("指导思相")  # a typo: fuzzy
    assert guess is not None and guess.how == "fuzzy" and guess.role == "guiding"
    assert role_of("在摸清家底中促教师发展内需。") is None
