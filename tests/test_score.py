"""The scorer itself, on small hand-made cases (gold-format.md's rules)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.eval.gold import load_gold
from extractor.eval.score import match_names, match_spans, score_doc, soft_match, trimmed
from extractor.model import Goal, Measure, Meta, Plan, Section, SourceInfo

TEXT = "学校工作计划\n一、工作目标\n1.提高教学质量。\n2.建设教师队伍。\n二、工作措施\n(1)开展集体备课。\n(2)组织公开课。\n"


def _gold(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "doc.txt").write_text(TEXT, encoding="utf-8")
    g = {"doc": "doc.txt", "layout": ["beginning"], "plans": [{
        "first": "学校工作计划", "title": "学校工作计划", "meta": {"school": None, "school_level": None, "period": None},
        "sections": [{"heading": "一、工作目标", "level": 1, "role": "goals"},
                     {"heading": "二、工作措施", "level": 1, "role": "measures"}],
        "goals": ["1.提高教学质量。", "2.建设教师队伍。"],
        "measures": ["(1)开展集体备课。", "(2)组织公开课。"],
        "schedule": [], "parties": ["教务处"]}]}
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    return path


def _span(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return i, i + len(s)


def _plan(sections=(), goals=(), measures=(), title=None, parties=()) -> Plan:
    from extractor.model import Party

    return Plan(
        id="p", title=None, title_span=_span(title) if title else None, meta=Meta(),
        source=SourceInfo(path=None, sha256="", format="txt", encoding="utf-8", script="simplified", part=1,
                          parts=1, source_span=(0, len(TEXT))),
        sections=[Section(id=f"s{k}", parent=None, level=lvl, number=None, heading=h, role=r, source_span=_span(h))
                  for k, (h, lvl, r) in enumerate(sections)],
        goals=[Goal(id=f"g{k}", section=None, text=g, source_span=_span(g)) for k, g in enumerate(goals)],
        measures=[Measure(id=f"m{k}", section=None, parent=None, title=None, text=m, source_span=_span(m))
                  for k, m in enumerate(measures)],
        parties=[Party(id=f"p{k}", name=n, kind="office", mentions=[]) for k, n in enumerate(parties)])


def test_perfect_prediction_scores_one(tmp_path: Path) -> None:
    gold = load_gold(_gold(tmp_path), [tmp_path / "src"])
    assert not gold.problems
    pred = _plan(sections=[("一、工作目标", 1, "goals"), ("二、工作措施", 1, "measures")],
                 goals=["1.提高教学质量。", "2.建设教师队伍。"], measures=["(1)开展集体备课。", "(2)组织公开课。"],
                 title="学校工作计划", parties=["教務處"])
    s = score_doc(gold, [pred])
    for field in ("sections", "goals", "measures", "parties", "title"):
        assert s.soft[field].f1 == 1.0 and s.strict[field].f1 == 1.0, field
    assert s.acc["section_level"].value == 1.0 and s.acc["section_role"].value == 1.0


def test_empty_prediction_scores_zero(tmp_path: Path) -> None:
    gold = load_gold(_gold(tmp_path), [tmp_path / "src"])
    s = score_doc(gold, [])
    for field in ("sections", "goals", "measures", "parties", "title"):
        assert s.soft[field].f1 == 0.0 and s.soft[field].fn > 0
    assert s.plans.recall == 0.0


def test_wrong_roles_and_levels_are_counted_on_matched_sections(tmp_path: Path) -> None:
    gold = load_gold(_gold(tmp_path), [tmp_path / "src"])
    pred = _plan(sections=[("一、工作目标", 2, "goals"), ("二、工作措施", 1, "safeguards")])
    s = score_doc(gold, [pred])
    assert s.soft["sections"].f1 == 1.0
    assert s.acc["section_level"].value == 0.5 and s.acc["section_role"].value == 0.5


@pytest.mark.parametrize(("gold", "pred", "match"), [
    ((0, 10), (0, 10), True),
    ((0, 10), (5, 10), True),  # overlap 5 = half of the shorter (5)
    ((0, 10), (5, 20), True),  # overlap 5 >= half of 10
    ((0, 10), (6, 20), False),  # overlap 4 < 5
    ((0, 4), (2, 100), True),  # overlap 2 = half of the shorter (4)
    ((0, 4), (3, 100), False),
    ((0, 10), (10, 20), False),
])
def test_soft_match_is_half_of_the_shorter_span(gold, pred, match) -> None:
    assert soft_match(gold, pred) is match


def test_matching_is_one_to_one_best_overlap_first() -> None:
    gold = [(0, 10), (10, 20)]
    pred = [(0, 20)]  # overlaps both by 10: only one may match
    assert len(match_spans(gold, pred, "x" * 30)) == 1
    pairs = match_spans([(0, 10)], [(2, 10), (0, 9)], "x" * 30)
    assert pairs == [(0, 1)]  # the larger overlap wins


def test_strict_trims_whitespace_and_punctuation() -> None:
    text = " 1.开展集体备课。\n"
    assert trimmed(text, (0, len(text))) == (1, 9)
    assert match_spans([(1, 10)], [(0, 11)], text, strict=True) == [(0, 0)]
    assert match_spans([(1, 10)], [(3, 10)], text, strict=True) == []


def test_party_names_fold_script_and_width_and_allow_close_spellings() -> None:
    assert match_names(["教务处"], ["教務處"]) == [(0, 0)]
    assert match_names(["ＡＢ教研组"], ["AB教研组"]) == [(0, 0)]
    assert match_names(["教研组"], ["教科室"]) == []


def test_layout_is_required_and_checked(tmp_path: Path) -> None:
    path = _gold(tmp_path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    for layout, problem in ((None, "'layout' must be a list"), (["page", "beginning"], "exactly one"),
                            (["calendar", "page"], "not one of")):
        raw["layout"] = layout
        path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        assert any(problem in p for p in load_gold(path, [tmp_path / "src"]).problems), layout
    raw["layout"] = ["page", "table"]
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert load_gold(path, [tmp_path / "src"]).layout == ("page", "table")


def test_second_annotations_are_not_gold_documents(tmp_path: Path) -> None:
    from extractor.eval.gold import gold_files

    (tmp_path / "g" / "dev").mkdir(parents=True)
    (tmp_path / "g" / "second").mkdir()
    (tmp_path / "g" / "dev" / "a.json").write_text("{}")
    (tmp_path / "g" / "second" / "a.json").write_text("{}")
    assert [p.parent.name for p in gold_files(tmp_path / "g")] == ["dev"]
    assert [p.parent.name for p in gold_files(tmp_path / "g" / "second")] == ["second"]
