"""Property-based tests: whatever the text, extraction never raises (other than a clear
PlanxError), every span lies in the text and says what the item says, measures never
overlap, the output validates against the JSON Schema, and the same input gives
byte-identical JSON.

CI runs 120 cases per property (the default profile). The thorough run, 10,000 cases
(2,500 for each of the four properties):
    HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py      (make fuzz)
"""

from __future__ import annotations

import itertools
import os

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import PlanxError, json_schema
from extractor.doc import clean_text
from extractor.normalise import normalise
from extractor.pipeline import run
from extractor.read import Source, read_bytes

settings.register_profile("ci", max_examples=120, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2_500, deadline=None,  # x 4 properties = 10,000 cases
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PIECES = ["一、", "二、", "（一）", "(二)", "1.", "2、", "（1）", "1)", "①", "⑴", "第一部分", "目标一：", "A、", "a.",
          "1.1 ", "• ", "📚", "指导思想", "工作目标", "主要措施", "保障措施", "具体安排", "领导小组", "三月份：",
          "每两周一次", "周三下午", "每学期至少1节", "2021—2022学年第一学期", "教务处", "教研组长负责",
          "由教科室牵头", "80%以上", "。", "；", "：", ":", "，", ",", "\n", "\n\n", "\r\n", "\u3000", " ", " | ",
          "范文第1篇", "工作计划1", "篇二", "𠮷", "é", "\u0301", "\x00", "\x0b", "\u200b", "\ufffd", "?", "<ol>",
          "[bookmark: _GoBack]", "發布時間:", "精选优质文档-倾情为你奉上", "計(jì)劃", "（", "）", "(", ")", "“", "”"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES),
                          st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
                          st.text(alphabet="一二三四五六七八九十学校教师研修计划方案组织开展活动目标措施", max_size=30)),
                max_size=80).map("".join)
SCHEMA = json_schema()


def _check(text: str) -> None:
    try:
        plans = run(Source.from_text(text))
    except PlanxError:
        assert not text.strip() or len(text) > 5_000_000
        return
    norm = normalise(text)
    dumped = [p.model_dump_json() for p in plans]
    assert dumped == [p.model_dump_json() for p in run(Source.from_text(text))]  # deterministic
    for plan in plans:
        jsonschema.validate(plan.model_dump(mode="json"), SCHEMA)
        a, b = plan.source.source_span
        assert 0 <= a <= b <= len(text)
        for s in plan.sections:
            x, y = s.source_span
            assert a <= x < y <= b and clean_text(norm[x:y]) == s.heading
        for item in [*plan.goals, *plan.measures]:
            x, y = item.source_span
            assert a <= x < y <= b and clean_text(norm[x:y]) == item.text
        spans = sorted(tuple(m.source_span) for m in plan.measures)
        for (_, y1), (x2, _) in itertools.pairwise(spans):
            assert y1 <= x2
        for t in plan.schedule:
            x, y = t.when.source_span
            assert 0 <= x < y <= len(text) and norm[x:y] == t.when.text
        for p in plan.parties:
            assert all(0 <= x < y <= len(text) for x, y in p.mentions)


@given(TEXT)
def test_any_text(text: str) -> None:
    _check(text)


@given(st.text(max_size=300))
def test_any_unicode(text: str) -> None:
    _check(text)


@given(st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    try:
        source = read_bytes(data, "x.txt")
    except PlanxError:
        return
    _check(source.text)


@given(st.lists(st.sampled_from(["\xed\xa0\x80", "\xed\xb0\x80", "一、指导思想\n", "1.开展活动。\n"]), max_size=20))
def test_lone_surrogates_written_as_bytes(parts: list[str]) -> None:
    data = b"".join(p.encode("latin-1") if p.startswith("\xed") else p.encode("utf-8") for p in parts)
    try:
        source = read_bytes(data, "x.txt")
    except PlanxError:
        return
    _check(source.text)
