"""`planx show` without a browser: the cards (time in words, parties by name, section path,
JSON without nulls), a schedule item's activity highlighted, colours told apart with
colour-vision deficiencies, zip entries and stored plans as inputs, and clear errors."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractor.errors import ReadError
from extractor.model import TimeExpr
from extractor.pipeline import extract_path
from extractor.show import _CSS, _spans, show_html, time_words, write_show

from .conftest import ROOT, seed


def _t(**kw: object) -> TimeExpr:
    return TimeExpr(text="x", source_span=(0, 1), kind="date", **kw)


def test_time_in_words() -> None:
    assert time_words(_t(month=6, day=13, day_end=16)) == "13–16 June"
    assert time_words(_t(month=9, month_end=10)) == "September–October"
    assert time_words(_t(frequency={"count": 1, "per": "week", "interval": 2, "minimum": True})) == \
        "at least once every 2 weeks"
    assert time_words(_t(week=3, weekday=3, part_of_day="afternoon")) == "week 3, Wednesday afternoon"
    assert time_words(_t(academic_year="2021-2022", term=1, term_part="end")) == \
        "academic year 2021-2022, term 1, end of term"
    assert time_words(_t(week=0)) == "preparation week"


def _items(path: Path) -> tuple[list, dict]:
    plans = extract_path(path)
    return plans, _spans(plans)[1]


def test_cards_read_as_words_not_ids() -> None:
    plans, items = _items(seed("002"))
    slot = next(t for t in plans[0].schedule if t.when.weekday)  # 語文:週三下午
    card = items[slot.id]
    facts = dict(card["facts"])
    assert card["kind"] == "activity" and "Wednesday afternoon" in facts["when"]
    charged = next(m for p in plans for m in p.measures if m.parties)
    facts = dict(items[charged.id]["facts"])
    names = {p.id: p.name for p in plans[0].parties} | {p.id: p.name for pl in plans for p in pl.parties}
    assert facts["parties"] == "、".join(names[i] for i in charged.parties)
    assert "/p" not in facts["parties"]  # names, not party ids
    heading = {s.id: s.heading for p in plans for s in p.sections}[charged.section]
    assert facts["section"].endswith(heading)  # the section path, outermost first
    for card in items.values():  # the JSON behind a card: no nulls, no empty lists
        text = json.dumps(card["json"], ensure_ascii=False)
        assert "null" not in text and "[]" not in text
    with_parent = next(s for p in plans for s in p.sections if s.parent)
    assert dict(items[with_parent.id]["facts"])["in"]


def test_a_schedule_item_highlights_its_activity_and_its_time(corpus_dir: Path) -> None:
    from extractor.read import read_path

    source = read_path(corpus_dir / "0248.html")  # a calendar: time and activity in separate cells
    plans = extract_path(corpus_dir / "0248.html")
    page = show_html(source.text, plans, "0248")
    item = plans[0].schedule[3]
    a, b = item.activity_span
    time_a, time_b = item.when.source_span
    assert (a, b) != (time_a, time_b)
    piece = re.search(r'<span( data-starts="[^"]*")? class="x ([^"]*)" data-ids="([^"]*)">'
                      + re.escape(source.text[a:b][:4]), page)
    assert piece and "activity" in piece.group(2).split() and item.id in piece.group(3).split()
    assert 'data-starts="activity"' in (piece.group(1) or "")  # the badge where the activity starts
    piece = re.search(r'<span( data-starts="[^"]*")? class="x ([^"]*)" data-ids="([^"]*)">'
                      + re.escape(source.text[time_a:time_b][:4]), page)
    assert piece and "time" in piece.group(2).split() and item.id in piece.group(3).split()


# Machado et al. (2009) at full severity, on linear RGB
_CVD = {"normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
        "protan": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
        "deutan": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
        "tritan": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900))}


def _lab(hex_colour: str, m: tuple) -> tuple[float, float, float]:
    c = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
    r, g, b = (min(1, max(0, sum(m[i][j] * c[j] for j in range(3)))) for i in range(3))
    x, y, z = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_highlight_colours_are_told_apart_with_colour_vision_deficiencies() -> None:
    tints = dict(re.findall(r"--(heading|goal|measure|activity|target):(#[0-9a-f]{6})", _CSS))
    assert len(tints) == 5
    tints["page"] = "#ffffff"
    for vision, m in _CVD.items():
        for a, b in itertools.combinations(tints, 2):
            delta = sum((p - q) ** 2 for p, q in zip(_lab(tints[a], m), _lab(tints[b], m), strict=True)) ** 0.5
            assert delta >= 9, (vision, a, b, round(delta, 1))


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_show_a_zip_entry(tmp_path: Path) -> None:
    archive = tmp_path / "plans.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(seed("002"), "term/002.txt")
        z.write(seed("000"), "term/000.txt")
    out = tmp_path / "show.html"
    ran = _cli("show", f"{archive}!term/002.txt", "--html", str(out))
    assert ran.returncode == 0, ran.stderr
    assert "週三下午" in out.read_text(encoding="utf-8") and "plan 5/5" in out.read_text(encoding="utf-8")
    ran = _cli("show", str(archive), "--entry", "term/000.txt", "--html", str(out))
    assert ran.returncode == 0 and "三、工作措施" in out.read_text(encoding="utf-8")
    ran = _cli("show", str(archive), "--html", str(out))  # two documents: which one?
    assert ran.returncode == 2 and "holds 2 documents" in ran.stderr and "term/000.txt" in ran.stderr
    ran = _cli("show", f"{archive}!nope.txt", "--html", str(out))
    assert ran.returncode == 2 and "nope.txt: no such entry" in ran.stderr
    with zipfile.ZipFile(tmp_path / "one.zip", "w") as z:
        z.write(seed("001"), "001.txt")
    assert _cli("show", str(tmp_path / "one.zip"), "--html", str(out)).returncode == 0  # its one document


def test_show_a_stored_plan(tmp_path: Path) -> None:
    from extractor.ingest import ingest

    src = tmp_path / "in"
    src.mkdir()
    (src / "002.txt").write_bytes(seed("002").read_bytes())
    with zipfile.ZipFile(src / "more.zip", "w") as z:
        z.write(seed("000"), "000.txt")
    ingest([str(src)], tmp_path / "out", workers=1, progress=False)
    plans = [json.loads(line) for line in (tmp_path / "out" / "plans.jsonl").read_text(encoding="utf-8").splitlines()]
    third = next(p for p in plans if p["source"]["part"] == 3)
    page = write_show(None, tmp_path / "p.html", db=tmp_path / "out", plan_id=third["id"])
    html = page.read_text(encoding="utf-8")
    assert "plan 3/5" in html and "plan 2/5" not in html and "(stored)" in html
    in_zip = next(p for p in plans if p["source"]["path"].endswith("more.zip!000.txt"))
    assert "三、工作措施" in write_show(None, tmp_path / "z.html", db=tmp_path / "out",
                                   plan_id=in_zip["id"]).read_text(encoding="utf-8")
    (src / "002.txt").write_text("changed", encoding="utf-8")
    with pytest.raises(ReadError, match="has changed since plan"):
        write_show(None, tmp_path / "p.html", db=tmp_path / "out", plan_id=third["id"])
    ran = _cli("show", "--db", str(tmp_path / "out"), "--plan", "nope", "--html", str(tmp_path / "p.html"))
    assert ran.returncode == 2 and "no plan with id nope" in ran.stderr
