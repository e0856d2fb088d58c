"""The store researchers query: its tables agree with docs/store.md, every field of the model
is there, duplicates reach their plans, `planx query` escapes its output, and the README's
three research questions run against an ingest of the seeds and the web corpus."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extractor.ingest import ingest
from extractor.ingest.store import SCHEMAS, STORAGE_VERSION
from extractor.model import Frequency, Goal, Measure, ScheduleItem, TimeExpr

from .conftest import ROOT, SEEDS, seed

DOC = ROOT / "docs" / "store.md"


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, a copy of seed 000 (a duplicate) and an empty file (an error)."""
    src = tmp_path_factory.mktemp("in")
    for f in SEEDS:
        shutil.copy(f, src / f.name)
    shutil.copy(seed("000"), src / "zz_copy_of_000.txt")
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path_factory.mktemp("store") / "out"
    ingest([str(src)], out, workers=1, progress=False)
    return out


def _query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db / "planx.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _documented() -> dict[str, list[tuple[str, str]]]:
    """docs/store.md: `## table` followed by `| `column` | TYPE | meaning |` rows."""
    tables: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip() if re.fullmatch(r"[a-z_]+", line[3:].strip()) else None
            if current:
                tables[current] = []
        m = re.match(r"\| `(\w+)` \| ([A-Z\[\]]+) \|", line)
        if current and m:
            tables[current].append((m.group(1), m.group(2)))
    return tables


def test_the_store_is_what_docs_store_md_says(small_store: Path) -> None:
    actual: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in _query(small_store, "SELECT table_name, column_name, data_type FROM "
                                                    "information_schema.columns ORDER BY table_name, ordinal_position"):
        actual.setdefault(table, []).append((column, dtype))
    assert actual == _documented()
    assert set(actual) >= {"plans", "sections", "goals", "measures", "schedule", "parties", "mentions", "errors",
                           "duplicates", "sources"}
    reserved = {k for (k,) in _query(small_store, "SELECT keyword_name FROM duckdb_keywords() "
                                                  "WHERE keyword_category <> 'unreserved'")}
    assert not {c for cols in actual.values() for c, _ in cols} & reserved  # no name needs quoting
    for name in actual:  # every table is a Parquet file too
        assert (small_store / "tables" / f"{name}.parquet").exists()


def test_every_field_of_the_model_is_a_column() -> None:
    schedule = set(SCHEMAS["schedule"].names)
    times = set(SCHEMAS["measure_times"].names)
    for field in TimeExpr.model_fields:
        if field in ("frequency", "duration"):
            continue
        column = {"text": "when_text", "source_span": "when_start"}.get(field, field)
        assert column in schedule and column in times, field
    for field in Frequency.model_fields:
        assert f"freq_{field}" in schedule
    assert set(Goal.model_fields) - {"id", "section", "source_span"} <= set(SCHEMAS["goals"].names)
    assert set(Measure.model_fields) - {"id", "section", "parent", "source_span"} <= set(SCHEMAS["measures"].names)
    assert "activity_start" in schedule and set(ScheduleItem.model_fields) - {
        "id", "section", "when", "activity_span", "source_span"} <= schedule


def test_keys_join_and_spans_hold(small_store: Path) -> None:
    # item ids are unique across the store, and every item's plan exists
    for table, key in (("plans", "plan_id"), ("sections", "section_id"), ("goals", "goal_id"),
                       ("measures", "measure_id"), ("schedule", "item_id"), ("parties", "party_id")):
        n, distinct, orphans = _query(small_store, f"SELECT count(*), count(DISTINCT {key}), "
                                      f"count(*) FILTER (WHERE plan_id NOT IN (SELECT plan_id FROM plans)) FROM {table}")[0]
        assert n == distinct and orphans == 0, table
    # 002 is traditional script: 週三下午 is a weekly slot, its weekday and time of day as columns
    rows = _query(small_store, "SELECT s.weekday, s.part_of_day, s.when_start, s.when_end, p.file FROM schedule s "
                               "JOIN plans p USING (plan_id) WHERE s.when_text LIKE '%周三下午%'")
    assert rows and all(r[:2] == (3, "afternoon") for r in rows)
    text = seed("002").read_text(encoding="utf-8")
    assert all(text[a:b] == "週三下午" for _, _, a, b, f in rows if f.endswith(seed("002").name))
    # a party charged with a measure is in charges, under its name
    assert _query(small_store, "SELECT count(*) FROM charges c JOIN parties p USING (party_id) "
                               "WHERE c.name <> p.name")[0][0] == 0
    assert _query(small_store, "SELECT count(*) FROM mentions")[0][0] == \
        _query(small_store, "SELECT sum(n_mentions) FROM parties")[0][0]
    # measures' structured times: 每周 … as a frequency
    assert _query(small_store, "SELECT count(*) FROM measure_times WHERE freq_per = 'week'")[0][0] >= 1


def test_a_duplicate_reaches_its_plans_and_every_file_is_a_source(small_store: Path) -> None:
    status = dict(_query(small_store, "SELECT regexp_extract(file, '[^/]+$'), status FROM sources"))
    assert status["zz_copy_of_000.txt"] == "duplicate" and status["empty.txt"] == "error"
    assert status[seed("002").name] == "plans"
    dup = _query(small_store, "SELECT f.plan_id, p.title FROM plan_files f JOIN plans p USING (plan_id) "
                              "WHERE f.file LIKE '%zz_copy_of_000.txt'")
    orig = _query(small_store, f"SELECT plan_id, title FROM plans WHERE file LIKE '%{seed('000').name}'")
    assert dup == orig and len(dup) == 1
    assert _query(small_store, "SELECT stage FROM errors WHERE file LIKE '%empty.txt'") == [("read",)]


def test_the_file_opens_in_duckdb_1_0(small_store: Path) -> None:
    tags = _query(small_store, "SELECT tags FROM duckdb_databases() WHERE database_name = 'planx'")[0][0]
    assert tags["storage_version"].startswith(STORAGE_VERSION)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_query_formats_escape_what_they_must(small_store: Path) -> None:
    sql = "SELECT E'a\\tb\\nc\\\\d' AS messy, 'say \"hi\", ok' AS quoted, NULL AS nothing, ['x', 'y'] AS list"
    tsv = _cli("query", str(small_store), sql)
    assert tsv.returncode == 0, tsv.stderr
    assert tsv.stdout.splitlines() == ["messy\tquoted\tnothing\tlist", 'a\\tb\\nc\\\\d\tsay "hi", ok\t\t["x", "y"]']
    rows = list(csv.reader(io.StringIO(_cli("query", str(small_store), sql, "--format", "csv").stdout)))
    assert rows == [["messy", "quoted", "nothing", "list"], ["a\tb\nc\\d", 'say "hi", ok', "", '["x", "y"]']]
    data = json.loads(_cli("query", str(small_store), sql, "--format", "json").stdout)
    assert data == [{"messy": "a\tb\nc\\d", "quoted": 'say "hi", ok', "nothing": None, "list": ["x", "y"]}]
    table = _cli("query", str(small_store), "SELECT title, n_measures FROM plans ORDER BY file, part",
                 "--format", "table").stdout.splitlines()
    assert table[0].split() == ["title", "n_measures"] and table[-1] == "(12 rows)"
    bad = _cli("query", str(small_store), "SELECT nope FROM plans")
    assert bad.returncode == 2 and "query failed" in bad.stderr


def _readme_questions() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("**Three research questions**"):]
    return re.findall(r"```sql\n(.*?)```", part, re.S)[:3]


def test_the_three_research_questions(tmp_path: Path, corpus_dir: Path) -> None:
    ingest([str(ROOT / "corpus"), str(corpus_dir)], tmp_path / "out", workers=2, progress=False)
    weekly, open_lessons, months = (_query(tmp_path / "out", q) for q in _readme_questions())
    files = {Path(f).name for _, f in weekly}
    assert {"0114.txt", "0115.txt"} <= files  # 每周至少一次集体备课; 每周进行一次集體備課
    assert len(files) >= 5
    top = [party for party, *_ in open_lessons[:3]]
    assert "教研组" in top and all(items >= plans >= 1 for _, items, plans in open_lessons)
    assert len(months) == 12 and {m for m, *_ in months} == set(range(1, 13))
    assert months[0][1] >= months[-1][1]  # busiest first
    n_dated = _query(tmp_path / "out", "SELECT count(*) FROM schedule WHERE month IS NOT NULL")[0][0]
    assert sum(items for _, items, _ in months) >= n_dated
