"""The planx command: JSON out, one-line errors with exit code 2, the schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from extractor import json_schema
from extractor.cli import main

from .conftest import ROOT, seed


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_extract_prints_a_json_list_of_plans() -> None:
    out = run("extract", str(seed("002")))
    assert out.returncode == 0, out.stderr
    plans = json.loads(out.stdout)
    assert len(plans) == 5 and plans[0]["schema_version"] == "1"


def test_text_prints_the_source_text(capsys) -> None:
    assert main(["text", str(seed("001"))]) == 0
    assert capsys.readouterr().out == seed("001").read_text(encoding="utf-8")


def test_errors_are_one_line_with_exit_code_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    for path, cause in ((tmp_path / "missing.txt", "no such file"), (empty, "empty file"), (binary, "binary")):
        out = run("extract", str(path))
        assert out.returncode == 2
        assert json.loads(out.stdout) == []  # still one valid JSON document
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and cause in lines[0]
        assert "Traceback" not in out.stderr


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = run("extract", "--jsonl", str(empty), str(seed("001")))
    assert out.returncode == 2
    assert len(out.stdout.strip().splitlines()) == 1  # the good file's plan


def test_schema_is_generated_from_the_model() -> None:
    out = run("schema")
    schema = json.loads(out.stdout)
    assert schema == json.loads(json.dumps(json_schema()))
    for field in ("schema_version", "id", "source", "title", "meta", "sections", "goals", "measures",
                  "schedule", "parties"):
        assert field in schema["properties"]


def test_output_validates_against_the_schema() -> None:
    import jsonschema

    schema = json_schema()
    for p in json.loads(run("extract", str(seed("004"))).stdout):
        jsonschema.validate(p, schema)


def test_same_bytes_same_output() -> None:
    a = run("extract", str(seed("000"))).stdout
    b = run("extract", str(seed("000"))).stdout
    assert a == b


def test_eval_by_layout_and_gold_agreement(capsys, tmp_path: Path) -> None:
    import shutil

    gold = tmp_path / "gold"
    (gold / "dev").mkdir(parents=True)
    (gold / "second").mkdir()
    shutil.copy("gold/dev/000_0d6b1fa32328c360.json", gold / "dev")
    shutil.copy("gold/dev/000_0d6b1fa32328c360.json", gold / "second")
    assert main(["eval", "--gold", str(gold), "--by", "layout"]) == 0
    out = capsys.readouterr().out
    assert "1 documents" in out and "soft F1 per layout" in out
    assert next(line for line in out.splitlines() if line.startswith("page")).split()[1] == "1"
    # the same annotation twice agrees perfectly, on the scorer of eval
    assert main(["gold", "agree", str(gold), str(gold / "second")]) == 0
    out = capsys.readouterr().out
    assert "annotator B vs annotator A: 1 documents" in out
    assert all(line.split()[3] == "1.000" for line in out.splitlines()[2:8])


def test_eval_and_gold_check_on_nothing_fail(tmp_path: Path, capsys) -> None:
    assert main(["eval", "--gold", str(tmp_path)]) == 2
    assert main(["gold", "check", str(tmp_path)]) == 2
    assert "no gold files" in capsys.readouterr().err


def test_extract_of_several_files_prints_one_json_array(tmp_path: Path) -> None:
    out = run("extract", str(seed("000")), str(seed("001")))
    plans = json.loads(out.stdout)  # one document, not two arrays back to back
    assert [p["source"]["path"].rsplit("/", 1)[-1][:3] for p in plans] == ["000", "001"]
    lines = run("extract", "--jsonl", str(seed("000")), str(seed("001"))).stdout.splitlines()
    assert [json.loads(x)["id"] for x in lines] == [p["id"] for p in plans]


def test_eval_refuses_unknown_stages(capsys) -> None:
    assert main(["eval", "--gold", "gold/dev/0002.json", "--without", "tabels"]) == 2
    assert "no stage tabels" in capsys.readouterr().err


def test_corpus_is_found_from_any_working_directory(tmp_path: Path, monkeypatch) -> None:
    from extractor.pipeline import CHECKOUT, corpus_dirs

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANX_CORPUS", "")
    dirs = corpus_dirs()
    assert dirs[0] == CHECKOUT / "corpus" and tmp_path not in dirs
