"""The shipped models load offline from models/ and behave on a few real lines."""

from __future__ import annotations

import pytest

from extractor.ml import available, model_path
from extractor.ml.textcat import load, model_text
from extractor.normalise import normalise
from extractor.pipeline import MODES, Settings, extract_path

from .conftest import seed

spacy = pytest.importorskip("spacy", reason="the spaCy models need `pip install planx[spacy]`")


def _cats(name: str, text: str) -> dict[str, float]:
    nlp = load(str(model_path(name)))
    return nlp(model_text(normalise(text))).cats


@pytest.mark.parametrize("name", ["lines", "roles", "items", "tagger"])
def test_models_are_shipped_with_a_card(name: str) -> None:
    assert available(name), f"models/{name} is missing: run scripts/train.py"
    card = (model_path(name) / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Training data" in card and "gold/test" in card
    size = sum(f.stat().st_size for f in model_path(name).rglob("*") if f.is_file())
    assert size < 20 * 2**20


def test_lines_model() -> None:
    assert max(_cats("lines", "指导思想").items(), key=lambda kv: kv[1])[0] == "heading"
    body = "坚持以科学发展观为指导，全面贯彻党的教育方针，紧紧围绕立德树人的根本任务，聚焦课堂教学主阵地。"
    assert max(_cats("lines", body).items(), key=lambda kv: kv[1])[0] == "body"


def test_roles_model() -> None:
    for heading, role in [("二、工作目标", "goals"), ("四、保障措施", "safeguards"), ("一、指导思想", "guiding")]:
        assert max(_cats("roles", heading).items(), key=lambda kv: kv[1])[0] == role


def test_items_model() -> None:
    cats = _cats("items", "3.每学期开展一次公开课展示活动，由教研组长负责组织。")
    assert cats["measure"] > cats["goal"]


def test_tagger_finds_parties_and_times() -> None:
    pytest.importorskip("torch", reason="the tagger needs `pip install planx[transformer]`")
    from extractor.ml.tagger import load_tagger

    text = normalise("由教務處負責，每兩週一次集體備課，合格率達到95%以上。")
    spans = load_tagger().spans(text)

    def tagged(word: str, kind: str) -> bool:  # a span of that kind overlaps the word
        a = text.index(word)
        return any(k == kind and x < a + len(word) and a < y for x, y, k in spans)

    assert tagged("每两周一次", "TIME") and tagged("教务处", "PARTY") and tagged("95%", "TARGET")
    assert not tagged("负责", "TIME")


@pytest.mark.parametrize("mode", ["spacy", "full"])
def test_model_modes_run_end_to_end(mode: str) -> None:
    if mode == "full":
        pytest.importorskip("torch", reason="the tagger needs `pip install planx[transformer]`")
    plans = extract_path(seed("002"), Settings(stages=MODES[mode]))
    assert len(plans) == 5 and plans[0].sections
