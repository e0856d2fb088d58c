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
