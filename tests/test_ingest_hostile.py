"""planx ingest on hostile inputs and output folders (issue 17): names that are not UTF-8,
damaged and huge zip archives, folders with other files, colliding names, symlinks, a stale
or damaged resume cache, two ingests into one folder, and workers outliving their parent.
Every case is built from real files in tmp_path."""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import signal
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from extractor.ingest import OutputError, ingest
from extractor.ingest.store import result_key
from extractor.pipeline import MODES, Settings

from .conftest import ROOT, SEEDS


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _outputs(out: Path) -> dict[str, bytes]:
    names = ["plans.jsonl", "errors.jsonl", "duplicates.jsonl", "skipped.jsonl", "summary.json"]
    data = {n: (out / n).read_bytes() for n in names}
    for t in sorted((out / "tables").glob("*.parquet")):
        data[f"tables/{t.name}"] = t.read_bytes()
    return data


def _plan_text(k: int) -> str:
    return f"一、指导思想\n坚持立德树人，第{k}号计划。\n二、工作措施\n1.每周开展集体备课。\n"


def _adds_up(summary) -> None:
    assert summary.files == summary.with_plans + summary.errors + summary.duplicates + summary.skipped


def _cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor.cli", "ingest", *args, "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


# ---- 1. a file name that is not UTF-8 ---------------------------------------------------

def test_a_file_name_that_is_not_utf8_is_named_printably_in_every_output(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    raw = os.fsencode(src)
    with open(os.path.join(raw, b"bad\xff.txt"), "wb") as fh:
        fh.write(SEEDS[0].read_bytes())
    with open(os.path.join(raw, b"empty\xfe.txt"), "wb") as fh:
        pass  # an empty file: an error record, named
    out = tmp_path / "out"
    summary = ingest([str(src)], out, workers=1, progress=False)
    _adds_up(summary)
    assert summary.files == 2 and summary.with_plans == 1 and summary.errors == 1
    good, bad = f"{src}/bad\\xff.txt", f"{src}/empty\\xfe.txt"
    assert {p["source"]["path"] for p in _records(out / "plans.jsonl")} == {good}
    assert [e["file"] for e in _records(out / "errors.jsonl")] == [bad]
    assert set(pq.read_table(out / "tables" / "plans.parquet").column("file").to_pylist()) == {good}
    con = duckdb.connect(str(out / "planx.duckdb"), read_only=True)
    assert con.execute("SELECT DISTINCT file FROM plans").fetchall() == [(good,)]
    con.close()
    before = _outputs(out)
    again = ingest([str(src)], out, workers=1, progress=False)  # resume: nothing to do, same outputs
    assert again.extracted == 0 and _outputs(out) == before


# ---- 2. zip archives: damaged entries, thousands of entries -----------------------------

def _patch_zip(data: bytes) -> bytes:
    """Damage four entries of an archive in place: a bad CRC, a corrupt deflate stream,
    the encrypted flag, a size header that lies (both ways)."""
    buf = bytearray(data)
    infos = {i.filename: i for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}

    def body(name: str) -> int:
        h = infos[name].header_offset
        nlen, xlen = struct.unpack_from("<HH", buf, h + 26)
        return h + 30 + nlen + xlen

    def central(name: str) -> int:
        pos = 0
        while True:
            pos = buf.index(b"PK\x01\x02", pos)
            nlen = struct.unpack_from("<H", buf, pos + 28)[0]
            if bytes(buf[pos + 46:pos + 46 + nlen]) == name.encode():
                return pos
            pos += 4

    buf[body("crc.txt") + 10] ^= 0xFF  # stored: a changed byte, so the CRC disagrees
    start = body("deflate.txt")
    buf[start:start + 8] = b"\xff" * 8  # not a deflate stream any more
    buf[central("secret.txt") + 8] |= 1  # "encrypted"
    buf[infos["secret.txt"].header_offset + 6] |= 1
    struct.pack_into("<I", buf, central("short.txt") + 24, 100)  # says 100 bytes: more come out
    struct.pack_into("<I", buf, central("long.txt") + 24, infos["long.txt"].file_size * 3)
    return bytes(buf)


def test_damaged_zip_entries_each_get_an_error_record_and_the_rest_are_ingested(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = SEEDS[1].read_text(encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, name in enumerate(["crc.txt", "deflate.txt", "good1.txt", "long.txt", "secret.txt",
                                  "short.txt", "good2.txt"]):
            method = zipfile.ZIP_STORED if name == "crc.txt" else zipfile.ZIP_DEFLATED
            z.writestr(name, text + "\n" * k, compress_type=method)
    archive = src / "damaged.zip"
    archive.write_bytes(_patch_zip(buf.getvalue()))
    summary = ingest([str(src)], tmp_path / "out", workers=2, progress=False)
    _adds_up(summary)
    assert summary.files == 7 and summary.with_plans == 2 and summary.errors == 5
    errors = {e["file"]: e for e in _records(tmp_path / "out" / "errors.jsonl")}
    assert set(errors) == {f"{archive}!{n}" for n in ("crc.txt", "deflate.txt", "long.txt", "secret.txt",
                                                       "short.txt")}
    assert "CRC" in errors[f"{archive}!crc.txt"]["cause"]
    assert "damaged archive entry" in errors[f"{archive}!deflate.txt"]["cause"]
    assert "encrypted" in errors[f"{archive}!secret.txt"]["cause"]
    assert "damaged archive entry" in errors[f"{archive}!short.txt"]["cause"]
    assert "header says" in errors[f"{archive}!long.txt"]["cause"]
    assert all(e["archive"] == str(archive) and e["stage"] == "read" for e in errors.values())
    files = {p["source"]["path"] for p in _records(tmp_path / "out" / "plans.jsonl")}
    assert files == {f"{archive}!good1.txt", f"{archive}!good2.txt"}


def test_a_zip_of_3000_entries_is_read_from_one_open_archive(tmp_path: Path, monkeypatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    with zipfile.ZipFile(src / "many.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for k in range(3000):
            z.writestr(f"plans/{k:05d}.txt", _plan_text(k))
    opened = 0
    real = zipfile.ZipFile.__init__

    def counting(self, *args, **kwargs) -> None:
        nonlocal opened
        opened += 1
        real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting)
    t = time.perf_counter()
    summary = ingest([str(src)], tmp_path / "out", workers=2, progress=False)
    seconds = time.perf_counter() - t
    _adds_up(summary)
    assert summary.files == 3000 == summary.with_plans and summary.errors == 0
    assert opened <= 3  # listed once, read once (hashing and extraction share one open archive)
    assert seconds < 40, f"3,000 entries took {seconds:.1f} s"


# ---- 3. folders: supported formats only, never the output folder, --include/--exclude ---

def _mixed_folder(src: Path) -> None:
    src.mkdir()
    for k, name in enumerate(["a.txt", "b.md", "c.TXT", "sub/d.text", "sub/e.txt"]):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(_plan_text(k), encoding="utf-8")
    (src / "index.tsv").write_text("a.txt\t1\n", encoding="utf-8")
    (src / "meta.json").write_text('{"a": 1}', encoding="utf-8")
    (src / "t.parquet").write_bytes(b"PAR1")
    (src / "README").write_text("notes", encoding="utf-8")


def test_a_folder_gives_only_its_supported_files_and_never_the_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    _mixed_folder(src)
    out = src / "out"  # inside the input folder
    first = ingest([str(src)], out, workers=2, progress=False)
    _adds_up(first)
    assert (first.files, first.with_plans, first.skipped) == (9, 5, 4)
    skipped = {Path(s["file"]).name: s["reason"] for s in _records(out / "skipped.jsonl")}
    assert skipped == {"index.tsv": "unsupported format (.tsv)", "meta.json": "unsupported format (.json)",
                       "t.parquet": "unsupported format (.parquet)", "README": "unsupported format (no extension)"}
    before = _outputs(out)
    second = ingest([str(src)], out, workers=2, progress=False)  # its outputs are now in the folder
    assert (second.files, second.with_plans, second.skipped, second.extracted) == (9, 5, 4, 0)
    assert _outputs(out) == before
    assert len(_records(out / "plans.jsonl")) == 5


def test_include_and_exclude_globs_on_the_command_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    _mixed_folder(src)
    out = tmp_path / "out"
    proc = _cli(str(src), "--out", str(out), "--workers", "1", "--include", "*.txt", "--include", "*.md",
                "--exclude", "sub/*")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    files = sorted(Path(p["source"]["path"]).name for p in _records(out / "plans.jsonl"))
    assert files == ["a.txt", "b.md"]  # globs match case as the shell does: not c.TXT
    assert summary["files"] == 9 and summary["skipped"] == 7
    assert summary["skipped_by_reason"]["excluded by --exclude sub/*"] == 2
    assert summary["skipped_by_reason"]["not matched by --include"] == 5


# ---- 4. every input accounted for -------------------------------------------------------

def test_every_input_is_accounted_for(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    archive = src / "a.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the repeated name
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("x.txt", _plan_text(1))
            z.writestr("y.txt", _plan_text(2))
            z.writestr("y.txt", _plan_text(3))  # the same name twice: both count
            z.writestr("notes.csv", "a,b\n")
    (src / "a.zip!x.txt").write_text(_plan_text(4), encoding="utf-8")  # looks like the entry: is not
    target = tmp_path / "elsewhere.txt"
    target.write_text(_plan_text(5), encoding="utf-8")
    (src / "link.txt").symlink_to(target)  # followed
    (src / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "folder").mkdir()
    (src / "linked_folder").symlink_to(tmp_path / "folder", target_is_directory=True)
    os.mkfifo(src / "pipe.txt")
    summary = ingest([str(src)], tmp_path / "out", workers=2, progress=False)
    _adds_up(summary)
    assert (summary.files, summary.with_plans, summary.skipped) == (9, 5, 4)
    plans = _records(tmp_path / "out" / "plans.jsonl")
    assert sorted(Path(p["source"]["path"]).name for p in plans) == ["a.zip!x.txt", "a.zip!x.txt", "a.zip!y.txt",
                                                                    "a.zip!y.txt", "link.txt"]
    table = pq.read_table(tmp_path / "out" / "tables" / "plans.parquet").to_pylist()
    where = sorted((r["archive"] is not None, r["entry"], r["entry_index"]) for r in table)
    assert where == [(False, None, None), (False, None, None), (True, "x.txt", 0), (True, "y.txt", 1),
                     (True, "y.txt", 2)]
    reasons = {Path(s["file"]).name: s["reason"] for s in _records(tmp_path / "out" / "skipped.jsonl")}
    assert reasons == {"a.zip!notes.csv": "unsupported format (.csv)", "broken.txt": "broken symlink",
                       "linked_folder": "symlink to a folder: not followed (it may loop)",
                       "pipe.txt": "a FIFO: not a regular file"}


# ---- 5. the resume cache is keyed on what changes results -------------------------------

def test_the_cache_key_holds_bytes_format_settings(tmp_path: Path) -> None:
    base = result_key("0" * 64, "txt", Settings())
    assert base == result_key("0" * 64, "txt", Settings())
    assert base != result_key("1" * 64, "txt", Settings())
    assert base != result_key("0" * 64, "html", Settings())
    assert base != result_key("0" * 64, "txt", Settings(stages=MODES["full"]))
    assert base != result_key("0" * 64, "txt", Settings(max_bytes=10))
    assert base != result_key("0" * 64, "txt", Settings(max_seconds=120))

    src = tmp_path / "in"
    src.mkdir()
    text = SEEDS[2].read_bytes()
    (src / "same.txt").write_bytes(text)
    (src / "same.md").write_bytes(text)  # the same format: a duplicate
    (src / "same.html").write_bytes(text)  # another format: its own result
    out = tmp_path / "out"
    first = ingest([str(src)], out, workers=1, progress=False)
    assert first.extracted == 2 and first.duplicates == 1
    longer = ingest([str(src)], out, workers=1, progress=False, settings=Settings(max_seconds=120))
    assert longer.extracted == 2  # another --timeout: nothing reused
    assert ingest([str(src)], out, workers=1, progress=False, settings=Settings(max_seconds=120)).extracted == 0


def test_a_result_cut_off_by_time_is_tried_again(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "slow.txt").write_bytes(SEEDS[4].read_bytes())
    out = tmp_path / "out"
    fast = Settings(max_seconds=0.001)
    first = ingest([str(src)], out, workers=1, progress=False, settings=fast)
    assert first.errors == 1 and first.extracted == 1
    assert len(list((out / ".parts").glob("*/*.retry.json"))) == 1
    second = ingest([str(src)], out, workers=1, progress=False, settings=fast)
    assert second.extracted == 1 and second.errors == 1  # tried again, not taken from the cache


# ---- 6. a damaged resume cache ----------------------------------------------------------

def test_truncated_or_corrupt_parts_are_redone_on_resume(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for k in range(4):
        (src / f"{k}.txt").write_bytes(SEEDS[k].read_bytes())
    out = tmp_path / "out"
    ingest([str(src)], out, workers=2, progress=False)
    reference = _outputs(out)
    parts = sorted((out / ".parts").glob("*/*.json"))
    assert len(parts) == 4
    whole = parts[0].read_bytes()
    parts[0].write_bytes(whole[: len(whole) // 2])  # cut short (a crash before the data reached the disk)
    parts[1].write_bytes(b"")
    middle = bytearray(parts[2].read_bytes())
    middle[10:30] = b"\0" * 20  # garbage inside; the end still looks right
    parts[2].write_bytes(bytes(middle))
    (out / "plans.jsonl").unlink()  # as if the run had been cut off before writing its outputs
    summary = ingest([str(src)], out, workers=2, progress=False)
    assert summary.extracted == 3
    assert _outputs(out) == reference


# ---- 7. the output folder: one ingest at a time, named errors ---------------------------

def test_a_second_ingest_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SEEDS[0].read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(  # another process holds the lock, as a running ingest does
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'w'); "
         "fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)", str(out / ".lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        proc = _cli(str(src), "--out", str(out))
        assert proc.returncode == 2
        assert "another planx ingest" in proc.stderr and "Traceback" not in proc.stderr
        with pytest.raises(OutputError, match="another planx ingest"):
            ingest([str(src)], out, workers=1, progress=False)
        assert not (out / "plans.jsonl").exists()
    finally:
        holder.kill()
        holder.wait()
    assert ingest([str(src)], out, workers=1, progress=False).with_plans == 1  # free again
    with open(out / ".lock", "w") as fh:  # the lock is released when the ingest ends
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _many_files(src: Path, n: int) -> None:
    src.mkdir()
    for k in range(n):
        (src / f"{k:04d}.txt").write_text(SEEDS[k % len(SEEDS)].read_text(encoding="utf-8") + "\n" * k,
                                          encoding="utf-8")


def test_two_running_ingests_do_not_collide(tmp_path: Path) -> None:
    src = tmp_path / "in"
    _many_files(src, 200)
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "extractor.cli", "ingest", str(src), "--out", str(out),
                              "--workers", "1", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None and not any((out / ".parts").glob("*/*.json")):
            time.sleep(0.05)
        assert first.poll() is None, "the first ingest ended too soon to be overlapped"
        second = _cli(str(src), "--out", str(out), "--workers", "1")
        assert first.poll() is None, "the first ingest ended before the second was refused"
        assert second.returncode == 2 and f"(pid {first.pid})" in second.stderr, second.stderr
        assert first.wait(timeout=300) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["files"] == 200 == summary["with_plans"] + summary["errors"] + summary["duplicates"]


def test_an_out_that_is_a_file_or_cannot_be_written_is_a_named_error(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SEEDS[0].read_bytes())
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    proc = _cli(str(src), "--out", str(a_file))
    assert proc.returncode == 2 and "is a file" in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli(str(src), "--out", str(a_file / "sub"))  # a file in the way
    assert proc.returncode == 2 and "cannot write" in proc.stderr and "Traceback" not in proc.stderr
    if os.geteuid() == 0:
        return  # root writes to read-only folders: that case is not there to test
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / ".lock").write_text("", encoding="utf-8")
    ro.chmod(0o555)
    try:
        proc = _cli(str(src), "--out", str(ro))
        assert proc.returncode == 2 and "cannot write" in proc.stderr and "Traceback" not in proc.stderr
    finally:
        ro.chmod(0o755)


# ---- 8. workers die with the ingest -----------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie is dead, only not yet reaped


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG and /proc are Linux's")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_ingest(tmp_path: Path, sig: signal.Signals) -> None:
    src = tmp_path / "in"
    _many_files(src, 400)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "ingest", str(src), "--out", str(out),
                             "--workers", "2", "--quiet"], cwd=ROOT, start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            if len(workers) >= 2 and any((out / ".parts").glob("*/*.json")):
                break
            time.sleep(0.05)
        assert proc.poll() is None and len(workers) >= 2, "the ingest did not get going"
        os.kill(proc.pid, sig)  # the main process only: its workers must follow it by themselves
        rc = proc.wait(timeout=30)
        assert rc == -sig or rc == 128 + sig
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "workers outlived the ingest"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for w in workers:  # a failed check must not leave them running
            if _alive(w):
                os.kill(w, signal.SIGKILL)
    resumed = ingest([str(src)], out, workers=2, progress=False)  # the lock went with it
    assert resumed.files == 400 and resumed.extracted < 400


# ---- 9. folders deeper than PATH_MAX, or than Python's recursion limit -------------------

def _deep(top: Path, depth: int, name: str) -> None:
    """A chain of `depth` folders under `top`, a plan at the bottom: made through file
    descriptors, since the full path may be longer than the system takes."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            nxt = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nxt
        w = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(w, _plan_text(7).encode("utf-8"))
        os.close(w)
    finally:
        os.close(fd)


def test_a_folder_deeper_than_path_max_is_an_error_record_not_a_crash(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(_plan_text(1), encoding="utf-8")
    _deep(src, 24, "长" * 60)  # 24 × 181 bytes: past PATH_MAX (4,096)
    summary = ingest([str(src)], tmp_path / "out", workers=1, progress=False)
    _adds_up(summary)
    assert summary.with_plans == 1 and summary.errors == 1
    (error,) = _records(tmp_path / "out" / "errors.jsonl")
    assert error["stage"] == "read" and "File name too long" in error["cause"]
    assert error["file"].startswith(str(src)) and len(error["file"].encode()) > 4096


def test_a_folder_1500_deep_is_listed_without_recursion(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    _deep(src, 1500, "d")  # deeper than the recursion limit, shorter than PATH_MAX
    try:
        summary = ingest([str(src)], tmp_path / "out", workers=1, progress=False)
        _adds_up(summary)
        assert summary.with_plans == 1 and summary.errors == 0
    finally:  # shutil.rmtree recurses too: take the chain apart from the bottom
        paths = [src / "/".join(["d"] * k) for k in range(1500, 0, -1)]
        (paths[0] / "deep.txt").unlink()
        for p in paths:
            p.rmdir()


# ---- 10. an output folder that fills up --------------------------------------------------

def test_a_full_output_folder_is_a_named_error(tmp_path: Path, monkeypatch) -> None:
    import errno

    from extractor.ingest import run as run_module

    src = tmp_path / "in"
    src.mkdir()
    for k in range(3):
        (src / f"{k}.txt").write_text(_plan_text(k), encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    # while the outputs are written (the main process) …
    monkeypatch.setattr(run_module, "build_duckdb", full)
    with pytest.raises(OutputError, match=r"cannot write the output folder \(No space left on device"):
        ingest([str(src)], tmp_path / "out", workers=1, progress=False)
    monkeypatch.undo()
    # … and while a worker stores a result (the worker reports it; the ingest stops)
    from extractor.ingest import store as store_module

    monkeypatch.setattr(store_module, "atomic_write", full)
    with pytest.raises(OutputError, match="No space left on device"):
        ingest([str(src)], tmp_path / "out2", workers=1, progress=False)
    monkeypatch.undo()
    assert ingest([str(src)], tmp_path / "out", workers=1, progress=False).with_plans == 3  # room again


# ---- 11. a re-run reads only what changed -----------------------------------------------

def test_a_rerun_reads_only_changed_files_and_rewrites_nothing_when_nothing_changed(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    from extractor.ingest import run as run_module

    # files written a moment ago have stamps too fresh to trust (run.RACY_NS): trusted here,
    # so that the index is used
    monkeypatch.setattr(run_module, "RACY_NS", 0)
    src = tmp_path / "in"
    src.mkdir()
    for k in range(4):
        (src / f"{k}.txt").write_text(_plan_text(k), encoding="utf-8")
    out = tmp_path / "out"
    first = ingest([str(src)], out, workers=2, progress=False)
    before = _outputs(out)
    stamps = {n: (out / n).stat().st_mtime_ns for n in ("plans.jsonl", "summary.json", "planx.duckdb")}
    again = ingest([str(src)], out, workers=2, progress=False)
    assert again.extracted == 0 and (again.files, again.with_plans, again.plans) == (first.files, 4, first.plans)
    assert {n: (out / n).stat().st_mtime_ns for n in stamps} == stamps  # not even rewritten
    assert len(run_module._load_index(out)[0]) == 4
    # same size, mtime set back: the ctime still tells that the bytes changed
    victim = src / "2.txt"
    st = victim.stat()
    victim.write_text(_plan_text(9), encoding="utf-8")
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))
    changed = ingest([str(src)], out, workers=2, progress=False)
    assert changed.extracted == 1
    new_sha = hashlib.sha256(victim.read_bytes()).hexdigest()
    assert new_sha in {p["source"]["sha256"] for p in _records(out / "plans.jsonl")}
    # another mode: the hashes are reused, the results are not
    other = ingest([str(src)], out, workers=2, progress=False, settings=Settings(stages=MODES["spacy"]))
    assert other.extracted == 4
    # an output removed: written again from the stored results, with nothing extracted
    ingest([str(src)], out, workers=2, progress=False)
    (out / "tables" / "plans.parquet").unlink()
    restored = ingest([str(src)], out, workers=2, progress=False)
    assert restored.extracted == 0 and (out / "tables" / "plans.parquet").exists()
    assert before.keys() == _outputs(out).keys()


def test_fresh_stamps_are_not_trusted_yet_a_rerun_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    from extractor.ingest import run as run_module

    src = tmp_path / "in"
    src.mkdir()
    for k in range(3):
        (src / f"{k}.txt").write_text(_plan_text(k), encoding="utf-8")
    out = tmp_path / "out"
    ingest([str(src)], out, workers=1, progress=False)
    trusted, racy = run_module._load_index(out)
    assert trusted == {} and len(racy) == 3  # written within RACY_NS of the listing: hashed again next time
    stamp = (out / "plans.jsonl").stat().st_mtime_ns
    hashed = []
    same_bytes = run_module._same_bytes
    monkeypatch.setattr(run_module, "_same_bytes", lambda *a: hashed.append(a[1].name) or same_bytes(*a))
    again = ingest([str(src)], out, workers=1, progress=False)  # hashed again in place: nothing new
    assert again.extracted == 0 and (out / "plans.jsonl").stat().st_mtime_ns == stamp
    assert len(hashed) == 3
    # bytes that differ from the indexed hash (a write the coarse stamp hid) are read and extracted
    monkeypatch.setattr(run_module, "_same_bytes", lambda *a: False)
    (src / "0.txt").write_text(_plan_text(7), encoding="utf-8")
    assert ingest([str(src)], out, workers=1, progress=False).extracted == 1
