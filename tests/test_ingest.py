"""Batch ingest: lossless, resumable after kill -9, deterministic, safe with hostile archives,
the same on the Dask engine."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from extractor.ingest import ingest

from .conftest import ROOT, SEEDS, shared_corpus


def _corpus(tmp: Path, copies: int = 1) -> Path:
    """The seeds and the web corpus, each copy with a small edit (so that contents differ)."""
    src = tmp / "in"
    src.mkdir()
    files = [*SEEDS, *shared_corpus()]
    for k in range(copies):
        for f in files:
            text = f.read_text(encoding="utf-8")
            (src / f"{k:03d}_{f.name}").write_text(text + ("\n" * k), encoding="utf-8")
    return src


def _outputs(out: Path) -> dict[str, bytes]:
    names = ["plans.jsonl", "errors.jsonl", "duplicates.jsonl", "summary.json"]
    data = {n: (out / n).read_bytes() for n in names}
    for t in sorted((out / "tables").glob("*.parquet")):
        data[f"tables/{t.name}"] = t.read_bytes()
    return data


def _db(out: Path) -> dict[str, list]:
    con = duckdb.connect(str(out / "planx.duckdb"), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("plans", "sections", "goals", "measures", "schedule", "parties")}
    finally:
        con.close()


def test_ingest_counts_add_up_and_are_queryable(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    (src / "dup.txt").write_bytes(SEEDS[0].read_bytes())  # same bytes as a seed
    summary = ingest([str(src)], tmp_path / "out", workers=2, progress=False)
    assert summary.files == summary.with_plans + summary.errors + summary.duplicates
    assert summary.duplicates == 1 and summary.plans >= summary.with_plans > 150
    lines = (tmp_path / "out" / "plans.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == summary.plans
    con = duckdb.connect(str(tmp_path / "out" / "planx.duckdb"), read_only=True)
    n_plans = con.execute("SELECT count(*) FROM plans").fetchone()[0]
    weekly = con.execute(
        "SELECT DISTINCT p.file FROM schedule s JOIN plans p USING (plan_id) "
        "WHERE s.freq_per = 'week' AND s.activity LIKE '%集体%'").fetchall()
    con.close()
    assert n_plans == summary.plans
    assert weekly  # some plans hold collective lesson preparation every week


def test_same_outputs_whatever_the_worker_count(tmp_path: Path, monkeypatch) -> None:
    from extractor.ingest import worker

    src = _corpus(tmp_path)
    ingest([str(src)], tmp_path / "a", workers=1, progress=False)
    ingest([str(src)], tmp_path / "b", workers=2, progress=False)
    assert _outputs(tmp_path / "a") == _outputs(tmp_path / "b")
    assert _db(tmp_path / "a") == _db(tmp_path / "b")
    # a worker's finished outputs sent with every answer (as for large documents), not once a list
    monkeypatch.setattr(worker, "FRESH_BYTES", 1)
    ingest([str(src)], tmp_path / "c", workers=2, progress=False)
    assert _outputs(tmp_path / "a") == _outputs(tmp_path / "c")


def test_resume_after_kill_9(tmp_path: Path) -> None:
    src = _corpus(tmp_path, copies=4)
    n_inputs = len(list(src.iterdir()))
    reference = tmp_path / "reference"
    ingest([str(src)], reference, workers=2, progress=False)

    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "extractor.cli", "ingest", str(src), "--out", str(out), "--workers", "1",
           "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
    parts = out / ".parts"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until it is midway
        done = len(list(parts.glob("*/*.json"))) if parts.exists() else 0
        if done >= n_inputs // 4:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("*/*.json")))
    assert 0 < done < n_inputs, "the run was not interrupted midway"
    assert not (out / "plans.jsonl").exists()
    assert (out / ".plans.jsonl.tmp").exists()  # killed while writing the outputs as results came

    summary = ingest([str(src)], out, workers=2, progress=False)
    assert summary.extracted == n_inputs - done  # only what was missing
    assert _outputs(out) == _outputs(reference)
    assert _db(out) == _db(reference)
    assert not list(out.glob(".*.tmp")) and not list((out / "tables").glob(".*.tmp"))  # nothing left over


def test_results_that_come_out_of_input_order_give_the_same_outputs(tmp_path: Path, monkeypatch) -> None:
    """The outputs are written while the workers extract, in input order: a result that comes
    before those ahead of it waits, and an input whose bytes another input took on waits
    until that one's part is stored."""
    from extractor.ingest import run as run_module

    src = _corpus(tmp_path)
    names = sorted(p.name for p in src.iterdir())
    middle = src / names[len(names) // 2]
    (src / "zz_dup.txt").write_bytes(middle.read_bytes())  # the same bytes, last in input order
    reference = tmp_path / "reference"
    ingest([str(src)], reference, workers=2, progress=False)
    out = tmp_path / "out"
    seen_streaming = []

    class OutOfOrder(run_module.LocalEngine):
        def run(self, tasks):
            got = list(super().run(tasks))
            a = next(d for d in got if d.ref[0] == str(middle))
            b = next(d for d in got if d.ref[0] == str(src / "zz_dup.txt"))
            assert a.extracted and not b.extracted and a.key == b.key
            # as if the last input had taken the bytes on, and the middle one found them claimed
            a, b = b._replace(ref=a.ref), a._replace(ref=b.ref)
            part = self.store.part_path(b.key)
            hidden = part.with_name(part.name + ".hidden")
            part.rename(hidden)  # not stored yet: the middle input has to wait for it
            rest = [d for d in got if d.ref not in (a.ref, b.ref)]
            swapped = [rest[i ^ 1] if i ^ 1 < len(rest) else rest[i] for i in range(len(rest))]
            k = len(swapped) // 2
            yield from swapped[:k]
            yield a
            yield from swapped[k:]
            seen_streaming.append((out / ".plans.jsonl.tmp").stat().st_size > 0 or
                                  any((out / "tables").glob(".*.parquet.tmp")))
            hidden.rename(part)
            yield b

    monkeypatch.setattr(run_module, "LocalEngine", OutOfOrder)
    monkeypatch.setattr(run_module, "FRESH_MAX", 8)  # past 8 waiting, results are read back from the store
    summary = ingest([str(src)], out, workers=2, progress=False)
    assert seen_streaming == [True] and summary.duplicates == 1
    assert _outputs(out) == _outputs(reference)
    assert _db(out) == _db(reference)


def test_a_worker_that_dies_mid_list_loses_no_output_and_doubles_none(tmp_path: Path, monkeypatch) -> None:
    """A worker sends the finished outputs of a list of inputs with the list's last answer:
    one that dies midway never sends them, and the inputs it had answered for are written
    from the store instead (once each); the input it died on gets an error record, and the
    next run extracts it and gives the reference outputs."""
    from extractor.ingest import engines
    from extractor.ingest import run as run_module

    src = _corpus(tmp_path)
    reference = tmp_path / "reference"
    ingest([str(src)], reference, workers=1, progress=False)
    names = sorted(str(p) for p in src.iterdir())
    victim = names[5]  # in the first list, after five answers that wait for the list's outputs
    marker = tmp_path / "died"
    real = engines.process

    def dies_once(ref, *args):
        if ref.name == victim and not marker.exists():
            marker.touch()
            os._exit(3)
        return real(ref, *args)

    monkeypatch.setattr(engines, "process", dies_once)  # the workers are forked: they have it too
    lost: list[str] = []
    note = run_module._Outputs.note

    def noting(self, done):
        lost.extend(done.lost)
        note(self, done)

    monkeypatch.setattr(run_module._Outputs, "note", noting)
    out = tmp_path / "out"
    summary = ingest([str(src)], out, workers=1, progress=False)
    assert marker.exists() and summary.extracted == len(names) - 1
    assert len(lost) == 5  # the answers before it: their outputs were never sent
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["file"], e["stage"]) for e in errors if e["file"] == victim] == [(victim, "worker")]
    ref_lines = (reference / "plans.jsonl").read_text(encoding="utf-8").splitlines()
    lines = (out / "plans.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines == [line for line in ref_lines if json.loads(line)["source"]["path"] != victim]
    ref_db, db = _db(reference), _db(out)
    assert ref_db["plans"] != db["plans"] and len(db["plans"]) == len(ref_db["plans"]) - 1
    assert ingest([str(src)], out, workers=1, progress=False).extracted == 1
    assert _outputs(out) == _outputs(reference)
    assert _db(out) == _db(reference)


def test_a_worker_killed_for_a_hang_mid_list_loses_no_output(tmp_path: Path, monkeypatch) -> None:
    """A worker that stops answering is killed after the hard limit: the outputs of the inputs
    it had answered for in that list come from the store, the input it hung on gets an error
    record, the rest of its lists go to another worker."""
    from extractor.ingest import engines
    from extractor.ingest import run as run_module

    src = tmp_path / "in"
    src.mkdir()
    for k, f in enumerate(shared_corpus()[:12]):
        (src / f"{k:02d}.txt").write_bytes(f.read_bytes())
    reference = tmp_path / "reference"
    ingest([str(src)], reference, workers=1, progress=False)
    victim = str(src / "03.txt")  # lists of 6: after three answers in the first
    marker = tmp_path / "hung"
    real = engines.process

    def hangs_once(ref, *args):
        if ref.name == victim and not marker.exists():
            marker.touch()
            time.sleep(120)  # outside the extraction: no alarm stops it
        return real(ref, *args)

    class Impatient(engines.LocalEngine):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.hard_limit = 3.0

    lost: list[str] = []
    note = run_module._Outputs.note

    def noting(self, done):
        lost.extend(done.lost)
        note(self, done)

    monkeypatch.setattr(engines, "process", hangs_once)  # the workers are forked: they have it too
    monkeypatch.setattr(run_module, "LocalEngine", Impatient)
    monkeypatch.setattr(run_module._Outputs, "note", noting)
    out = tmp_path / "out"
    summary = ingest([str(src)], out, workers=1, progress=False)
    assert marker.exists() and summary.files == 12 and summary.extracted == 11 and len(lost) == 3
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["file"], e["stage"]) for e in errors] == [(victim, "timeout")]
    ref_lines = (reference / "plans.jsonl").read_text(encoding="utf-8").splitlines()
    lines = (out / "plans.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines == [line for line in ref_lines if json.loads(line)["source"]["path"] != victim]


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", b"0" * (64 * 2**20))
    return buf.getvalue()


def test_bad_files_get_error_records_and_good_ones_their_plans(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    good = [SEEDS[1], SEEDS[3]]
    for f in good:
        (src / f.name).write_bytes(f.read_bytes())
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 50)
    seed_bytes = SEEDS[2].read_bytes()
    (src / "truncated.txt").write_bytes(seed_bytes[: len(seed_bytes) // 2 + 1])
    (src / "bomb.zip").write_bytes(_zip_bomb())
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../../evil.txt", "一、指导思想\n坚持立德树人。")
        z.writestr("ok/plan.txt", SEEDS[0].read_text(encoding="utf-8"))
    (src / "evil.zip").write_bytes(evil.getvalue())
    summary = ingest([str(src)], tmp_path / "out", workers=2, progress=False)
    assert summary.files == 8 == summary.with_plans + summary.errors + summary.duplicates
    errors = {json.loads(line)["file"]: json.loads(line)
              for line in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()}
    assert "empty file" in errors[str(src / "empty.txt")]["cause"]
    assert "binary" in errors[str(src / "binary.txt")]["cause"] or "decode" in errors[str(src / "binary.txt")]["cause"]
    assert "zip bomb" in errors[f"{src / 'bomb.zip'}!bomb.txt"]["cause"]
    assert "unsafe path" in errors[f"{src / 'evil.zip'}!../../evil.txt"]["cause"]
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()
    files = {json.loads(line)["source"]["path"]
             for line in (tmp_path / "out" / "plans.jsonl").read_text(encoding="utf-8").splitlines()}
    assert {str(src / f.name) for f in good} <= files
    assert str(src / "truncated.txt") in files  # cut off mid-character: still read
    assert f"{src / 'evil.zip'}!ok/plan.txt" in files


def test_dask_local_cluster_gives_the_same_outputs(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    src = _corpus(tmp_path)
    ingest([str(src)], tmp_path / "local", workers=2, progress=False)
    ingest([str(src)], tmp_path / "dask", workers=2, engine="dask", progress=False)
    assert _outputs(tmp_path / "local") == _outputs(tmp_path / "dask")
    assert _db(tmp_path / "local") == _db(tmp_path / "dask")


def test_a_file_over_the_time_limit_is_cut_off_and_recorded(tmp_path: Path) -> None:
    from extractor.pipeline import Settings

    src = tmp_path / "in"
    src.mkdir()
    (src / "slow.txt").write_bytes(SEEDS[4].read_bytes())
    summary = ingest([str(src)], tmp_path / "out", workers=1, progress=False, settings=Settings(max_seconds=0.001))
    assert summary.errors == 1 and summary.with_plans == 0
    record = json.loads((tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8"))
    assert record["file"] == str(src / "slow.txt") and record["stage"] in ("timeout", "tag", "split", "sections",
                                                                          "segment", "debris", "roles", "items")
    assert "took over" in record["cause"] or "cut off" in record["cause"]
