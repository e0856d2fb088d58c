"""The party-mention classifier: an averaged perceptron over the rules' signals, trained on
gold/dev (scripts/train_party_mentions.py), used by the model modes."""

from __future__ import annotations

from extractor import extract
from extractor.mentions import MentionContext, Perceptron, features, model
from extractor.pipeline import MODES, Settings

from .conftest import seed


def _ctx(before: str, name: str, after: str, charged: bool) -> MentionContext:
    return MentionContext(before=before, after=after, name=name, kind="office", span_kind="measure",
                          listed=False, recipient=False, charged=charged)


def test_training_is_deterministic_and_learns_the_signal() -> None:
    data = [(features(_ctx("由", "教务处", "负责", True)), True), (features(_ctx("依据", "教育局", "文件", False)), False)] * 5
    a, b = Perceptron.train(data), Perceptron.train(data)
    assert a.to_json() == b.to_json()
    assert a.score(data[0][0]) > 0 > a.score(data[1][0])


def test_the_shipped_model_loads_and_the_model_modes_use_it() -> None:
    m = model()
    assert m is not None and len(m.w) > 1000
    assert "tag_ml" in MODES["spacy"] and "tag" not in MODES["spacy"] and "tag" in MODES["rules"]
    rules = {p.name for p in extract(seed("003"))[0].parties}
    settings = Settings(stages=(*(s for s in MODES["rules"] if s != "tag"), "tag_ml"))
    settings.stages = tuple(sorted(settings.stages, key=list(MODES["full"]).index))
    with_model = {p.name for p in extract(seed("003"), settings)[0].parties}
    assert with_model and len(with_model ^ rules) <= len(rules)  # it overrules a few, not all
