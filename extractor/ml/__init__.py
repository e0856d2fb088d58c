"""Trained models, GROBID-style: small models with one job each, their own training data
and their own evaluation, trained here by scripts/train.py and shipped in models/.

- lines  (spaCy textcat): is a line a heading, body text, or site noise?
- roles  (spaCy textcat): the role of a heading whose words are not in the lexicon
- items  (spaCy textcat): is a unit a goal, a measure, a schedule entry, or neither?
- tagger (transformers + torch, optional extra): a character-level BERT tagging PARTY /
  TIME / TARGET spans

Nothing is downloaded: a model is loaded from models/<name>/ or not at all.
"""

from __future__ import annotations

import os
from pathlib import Path

MODELS_DIR = Path(os.environ.get("PLANX_MODELS", Path(__file__).resolve().parents[2] / "models"))


def model_path(name: str) -> Path:
    return MODELS_DIR / name


def available(name: str) -> bool:
    return (model_path(name) / "MODEL_CARD.md").exists()
