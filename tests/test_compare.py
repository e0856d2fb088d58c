"""Comparing plans: practices, parties and schedule matrices, and two plans aligned."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from extractor.compare import CHANGED, SAME, align, compare, load_plans
from extractor.pipeline import extract_path
from extractor.practices import classify

from .conftest import ROOT, seed


def test_seed_002_matrices() -> None:
    plans = extract_path(seed("002"))
    c = compare(plans)
    assert len(c.plans) == 5
    assert c.practices["集体备课"][0] >= 1 and c.practices["课题研究"][0] >= 1  # plan 1: 集體備課, 科研課題
    assert c.practices["师徒结对/青蓝工程"][1] >= 1  # plan 2: 青藍工程, 師徒結對
    assert c.months[0][2:6] == [2, 2, 4, 3]  # plan 1: 三月份 … 六月份
    assert sum(c.months[0]) == 11
    assert c.parties["教研组"][0] and c.parties["领导小组"][2]
    assert c.alignment is not None


def test_alignment_thresholds() -> None:
    plans = extract_path(seed("002"))
    same = align(plans[0].measures, plans[0].measures)
    assert len(same["both"]) == len(plans[0].measures) and not same["only_a"] and not same["only_b"]
    assert all(p["score"] >= SAME for p in same["both"])
    other = align(plans[0].goals, plans[4].goals)
    assert all(p["score"] >= CHANGED for p in other["changed"])
    assert len(other["both"]) + len(other["changed"]) + len(other["only_a"]) == len(plans[0].goals)


def test_classify() -> None:
    assert classify("每两周一次集体备课，组织听课评课") == ["集体备课", "听课评课"]
    assert classify("完善青蓝工程，开展师徒结对") == ["师徒结对/青蓝工程"]
    assert classify("加强学生安全教育") == []


def test_compare_command_json_and_html(tmp_path: Path) -> None:
    files = []
    for prefix in ("000", "001", "003"):
        out = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(seed(prefix))], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        f = tmp_path / f"{prefix}.json"
        f.write_text(out.stdout, encoding="utf-8")
        files.append(str(f))
    assert len(load_plans(files)) == 3
    html = tmp_path / "report.html"
    out = subprocess.run([sys.executable, "-m", "extractor.cli", "compare", *files, "--json", "--html", str(html)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"plans", "practices", "parties", "schedule_by_month", "alignment"}
    assert len(data["plans"]) == 3 and html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_compare_from_an_ingest(tmp_path: Path) -> None:
    from extractor.compare import load_from_ingest
    from extractor.ingest import ingest

    ingest([str(seed("002")), str(seed("000"))], tmp_path / "out", workers=1, progress=False)
    plans = load_from_ingest(str(tmp_path / "out"), "SELECT plan_id FROM plans WHERE parts = 5 ORDER BY part")
    assert [p.source.part for p in plans] == [1, 2, 3, 4, 5]


# ---- plans over the years --------------------------------------------------------------------
def test_school_names_fold_and_years_order() -> None:
    from extractor.compare import Loaded, _clean_school, _school_in, school_key, year_of

    assert school_key("绍兴市第一中学") == school_key("绍兴一中") == "绍兴一中"
    assert school_key("百家湖中学") == "百家湖中学"
    assert _school_in("2009年下半年绍兴一中工会工作要点") == "绍兴一中"
    assert _school_in("2017学年绍兴一中青年教师课堂教学能力比武活动方案") == "绍兴一中"
    for not_a_school in ("第三周学校", "开学预备周及第一周学校", "关于进一步做好中小学", "市直高中"):
        assert _clean_school(not_a_school) is None, not_a_school
    plans = extract_path(seed("000"))  # 2021—2022学年第一学期
    assert year_of(plans[0]) == 2021 and Loaded(plans[0]).site is None


def test_compare_over_time_three_years_of_one_contest(tmp_path: Path, corpus_dir: Path) -> None:
    """The same teaching contest planned in 2017, 2018 and 2021 (the issue's example)."""
    html = tmp_path / "ot.html"
    files = [str(corpus_dir / f) for f in ("0246.html", "0249.html", "0221.html")]
    out = subprocess.run([sys.executable, "-m", "extractor.cli", "compare", "--over-time", *files, "--json",
                          "--html", str(html)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    [school] = json.loads(out.stdout)
    assert school["school"] == "绍兴一中" and school["years"] == [2017, 2018, 2021]
    assert school["practice_trend"]["公开课/示范课"]["trend"] == "every year"
    assert school["practice_trend"]["听课评课"]["trend"] == "every year"
    first, second = school["carry_over"]
    assert (first["from"], first["to"], second["to"]) == (2017, 2018, 2021)
    assert first["goals"]["same"] + first["goals"]["changed"] == 3  # the three goals, reworded a little
    assert first["measures"]["same"] + first["measures"]["changed"] >= 3
    assert second["measures"]["same"] + second["measures"]["changed"] >= 3
    assert all(p["score"] >= CHANGED for p in first["measures"]["carried"])
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'class="practices-years"' in page and "<th>2018</th>" in page
    table = subprocess.run([sys.executable, "-m", "extractor.cli", "compare", "--over-time", *files], cwd=ROOT,
                           capture_output=True, text=True, timeout=120).stdout
    assert "绍兴一中: 3 plans, 3 years (2017–2021)" in table and "2017→2018: goals 3/3" in table


def test_over_time_a_decade_of_one_school(corpus_dir: Path) -> None:
    from extractor.compare import load_inputs, over_time, school_key, school_of, year_of

    files = [str(corpus_dir / f"{k:04d}.html") for k in range(212, 254)]
    items = load_inputs(files)
    histories = over_time(items)
    h = histories[0]
    n = sum(len(v) for v in h.plans.values()) + len(h.undated)
    assert h.school == "绍兴市第一中学" and n >= 40  # 绍兴一中 and 绍兴市第一中学 are one school
    assert h.years == sorted(h.years) and h.years[0] == 2009 and {2010, 2017, 2021} <= set(h.years)
    mine = [it for it in items if school_key(school_of(it) or "") == school_key(h.school)]
    by_year = {y: sum(len(it.plan.schedule) for it in mine if year_of(it.plan) == y) for y in h.years}
    assert h.schedule["items"] == [by_year[y] for y in h.years]
    assert h.practice_trend["教研活动/主题研讨"]["trend"] in ("every year", "persists")
    # the calendars repeat their events: schedule activities carry over from 2009 to 2010
    step = next(s for s in h.carry_over if (s["from"], s["to"]) == (2009, 2010))
    assert step["schedule"]["same"] >= 10
    assert len(h.party_changes) == len(h.years) - 1


def test_compare_takes_documents_and_json_together(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(seed("002"))], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    (tmp_path / "002.json").write_text(out.stdout, encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"not": "a plan"}', encoding="utf-8")
    ran = subprocess.run([sys.executable, "-m", "extractor.cli", "compare", str(seed("000")),
                          str(tmp_path / "002.json"), str(tmp_path / "bad.json"), "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 2 and "bad.json: not plan JSON" in ran.stderr
    assert len(json.loads(ran.stdout)["plans"]) == 6  # seed 000's plan and the five of 002


def test_over_time_from_a_store_selection(tmp_path: Path, corpus_dir: Path) -> None:
    from extractor.ingest import ingest

    files = [str(corpus_dir / f) for f in ("0246.html", "0249.html", "0221.html", "0248.html")]
    ingest(files, tmp_path / "out", workers=1, progress=False)
    ran = subprocess.run([sys.executable, "-m", "extractor.cli", "compare", "--over-time", "--db",
                          str(tmp_path / "out"), "--sql", "SELECT plan_id FROM plans ORDER BY file", "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    [school] = json.loads(ran.stdout)  # 0248 (a 行事历) names no school: its site's <title> does
    assert school["school"] == "绍兴市第一中学" and school["years"] == [2017, 2018, 2021]
    assert len(school["plans"]["2017"]) == 2 and school["schedule"]["items"][0] > 50
