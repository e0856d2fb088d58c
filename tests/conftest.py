"""Shared fixtures: the seed documents (bundled) and the web corpus (used in place)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
SHARED_CORPUS = Path(os.environ.get("PLANX_CORPUS", ROOT.parent / "shared" / "corpus"))


def seed(prefix: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(prefix))


def wrapped(text: str, width: int = 30) -> str:
    """Every line cut every `width` characters, as text copied from a PDF viewer is."""
    return "\n".join("\n".join(line[i:i + width] for i in range(0, max(len(line), 1), width))
                     for line in text.split("\n"))


def shared_corpus() -> list[Path]:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the web corpus is not at {SHARED_CORPUS} (set PLANX_CORPUS to use it)")
    return sorted(SHARED_CORPUS.glob("*.txt"))


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture
def corpus_dir() -> Path:
    """The web corpus folder (its .txt page beginnings and .html full pages); skips where absent."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the web corpus is not at {SHARED_CORPUS} (set PLANX_CORPUS to use it)")
    return SHARED_CORPUS
