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


def _models_dir() -> Path:
    """PLANX_MODELS, else the models shipped inside the package (an installed wheel carries
    them as extractor/models/), else the checkout's models/ (where scripts/train.py writes)."""
    if os.environ.get("PLANX_MODELS"):
        return Path(os.environ["PLANX_MODELS"])
    package = Path(__file__).resolve().parents[1]
    if (package / "models").is_dir():
        return package / "models"
    return package.parent / "models"


MODELS_DIR = _models_dir()


def model_path(name: str) -> Path:
    return MODELS_DIR / name


def available(name: str) -> bool:
    return (model_path(name) / "MODEL_CARD.md").exists()
