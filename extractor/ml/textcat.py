"""Small spaCy text classifiers (blank `zh`, character segmenter, bag-of-n-grams textcat),
shared by the lines, roles and items models. A few layout features (numbering style, length,
punctuation) are prepended as private-use characters, so that the character tokenizer keeps
each feature as one token."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..numbering import _STYLES, parse_marker

_PUNCT_END = re.compile(r"[。;；!?！？]$")
_SENTENCE = re.compile(r"[。;；!?！？]")
_FEATURE_BASE = 0xE000


def _feature(k: int) -> str:
    return chr(_FEATURE_BASE + k)


_STYLE_IDS: dict[str, int] = {name: k for k, name in enumerate(
    ["none", "bullet", *(name for name, _, _ in _STYLES if name != "bullet")])}


def layout_features(text: str) -> str:
    """A few private-use characters describing the layout of a (normalised) line."""
    m = parse_marker(text, 0)
    style = m.style if m else "none"
    if style.startswith("bullet"):
        style = "bullet"
    sid = _STYLE_IDS.get(style, 0)
    n = len(text)
    length = 0 if n <= 8 else 1 if n <= 20 else 2 if n <= 40 else 3 if n <= 100 else 4
    feats = [_feature(100 + sid), _feature(10 + length)]
    if text.endswith((":", "：")):
        feats.append(_feature(20))
    if _PUNCT_END.search(text):
        feats.append(_feature(21))
    if _SENTENCE.search(text[:-1]):
        feats.append(_feature(22))
    if "|" in text:
        feats.append(_feature(23))
    return "".join(feats)


def model_text(text: str, limit: int = 80) -> str:
    return layout_features(text) + text[:limit]


def new_pipeline(labels: list[str]):
    import spacy

    nlp = spacy.blank("zh")  # the default character segmenter: no dictionary, no download
    # The hashed feature table (length x labels floats) is most of the model on disk.
    length = 262144 if len(labels) <= 3 else 65536
    textcat = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 3,
        "no_output_layer": False, "length": length}})
    for label in labels:
        textcat.add_label(label)
    return nlp


def train(examples: list[tuple[str, str]], labels: list[str], epochs: int = 12, seed: int = 0):
    """Train a textcat on (text, label) pairs; deterministic for a seed."""
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = new_pipeline(labels)
    docs = [(nlp.make_doc(t), {"cats": {lab: float(lab == y) for lab in labels}}) for t, y in examples]
    train_examples = [Example.from_dict(d, ann) for d, ann in docs]
    optimizer = nlp.initialize(lambda: train_examples)
    for _ in range(epochs):
        rng.shuffle(train_examples)
        for batch in minibatch(train_examples, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    del spacy
    return nlp


def predict(nlp, texts: Iterable[str]) -> list[dict[str, float]]:
    return [dict(doc.cats) for doc in nlp.pipe(texts, batch_size=256)]


@lru_cache(maxsize=8)
def load(path: str):
    import spacy

    return spacy.load(Path(path))
