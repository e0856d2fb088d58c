"""The ingest output folder.

- `.lock`: held (flock) by the one ingest writing here; a second one is refused.
- `.parts/xx/<key>.json`: one result per distinct input, written atomically (temporary
  file + rename) as soon as it is known, so an interrupted run (even kill -9) resumes with
  only what is missing. The key is the sha256 of the bytes, their format, the settings
  that change results and the planx version (`result_key`): another --mode or --timeout
  does not reuse old results. A result cut off by time is kept as `<key>.retry.json` and
  tried again by the next run; a part cut short (no fsync, then a crash) is redone.
- `plans.jsonl`, `errors.jsonl`, `duplicates.jsonl`, `summary.json`, `tables/*.parquet`,
  `planx.duckdb`: written from the parts at the end, in a fixed order (by input name), each
  through a temporary file and a rename. The same inputs give the same bytes whatever the
  worker count or engine.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..pipeline import Settings
from .worker import part_tail

PARTS = ".parts"
LOCK = ".lock"


class OutputError(Exception):
    """The output folder cannot be used: it is a file, cannot be written, or another
    ingest is writing to it. The message names the folder and why."""


def result_key(sha256: str, fmt: str, settings: Settings) -> str:
    """What a stored result is valid for: these bytes, read as this format, with these
    settings, by this planx."""
    what = {"sha256": sha256, "format": fmt, "stages": list(settings.stages), "max_bytes": settings.max_bytes,
            "max_chars": settings.max_chars, "max_seconds": settings.max_seconds,
            "max_units": settings.max_units, "planx": __version__}
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write through a temporary file and a rename: readers see the old file or the new one,
    never a part. `durable` also survives a power cut (fsync); a killed process needs only
    the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class DamagedPart(Exception):
    """A stored result that does not parse: it is removed and redone."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Store:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.parts = out / PARTS
        self.parts.mkdir(parents=True, exist_ok=True)

    def part_path(self, key: str, transient: bool = False) -> Path:
        return self.parts / key[:2] / (f"{key}.retry.json" if transient else f"{key}.json")

    def has(self, key: str) -> bool:
        """A final result is stored, whole: a part cut short is removed here (and redone)."""
        path = self.part_path(key)
        tail = part_tail(key)
        try:
            with open(path, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                size = fh.tell()
                fh.seek(max(0, size - len(tail)))
                whole = size > len(tail) and fh.read() == tail
        except FileNotFoundError:
            return False
        if not whole:
            self.discard(key)
        return whole

    def put(self, key: str, part: bytes, transient: bool = False) -> None:
        atomic_write(self.part_path(key, transient), part, durable=False)
        other = self.part_path(key, not transient)
        if other.exists():
            other.unlink()

    def get(self, key: str) -> dict:
        """The final result, or else the one cut off by time; DamagedPart if it does not parse."""
        path = self.part_path(key)
        if not path.exists():
            path = self.part_path(key, transient=True)
        try:
            part = json.loads(path.read_bytes().decode("utf-8"))
            if not isinstance(part, dict) or part.get("key") != key or not isinstance(part.get("plans"), list):
                raise ValueError("not a part")
        except (ValueError, UnicodeDecodeError) as e:  # JSONDecodeError is a ValueError
            raise DamagedPart(key) from e
        return part

    def stored(self, key: str) -> bool:
        """Some result, final or cut off by time, is stored."""
        return self.part_path(key).exists() or self.part_path(key, transient=True).exists()

    def discard(self, key: str) -> None:
        for transient in (False, True):
            try:
                self.part_path(key, transient).unlink()
            except FileNotFoundError:
                pass


_HELD_LOCKS: set[int] = set()  # lock fds this process holds


def _drop_locks_in_child() -> None:
    # A forked worker shares the lock (flock belongs to the open file): were it to keep the
    # fd, the lock would outlive a killed ingest until its last worker is gone.
    for fd in _HELD_LOCKS:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


@contextmanager
def open_output(out: Path) -> Iterator[Store]:
    """The output folder, locked for this ingest alone while the block runs."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: --out is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputError(f"{out}: cannot write the output folder ({e.strerror or e})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputError(f"{out}: cannot lock the output folder ({e.strerror or e})") from None
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise OutputError(f"{out}: another planx ingest{f' (pid {holder})' if holder else ''} is writing "
                              f"to this folder; wait for it to finish or choose another --out") from None
        try:  # the lock file may be left over from a run as another user: a probe says if we can write
            fd_probe, probe = tempfile.mkstemp(dir=out, prefix=".write-probe.")
            os.close(fd_probe)
            os.unlink(probe)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            store = Store(out)
        except OSError as e:
            raise OutputError(f"{out}: cannot write the output folder ({e.strerror or e})") from None
        _HELD_LOCKS.add(fd)
        yield store
    finally:
        _HELD_LOCKS.discard(fd)
        os.close(fd)  # closing releases the lock


# ---- flat tables ------------------------------------------------------------------------
_SPAN = [("start", pa.int64()), ("end", pa.int64())]
SCHEMAS: dict[str, pa.Schema] = {
    "plans": pa.schema([
        ("plan_id", pa.string()), ("file", pa.string()), ("archive", pa.string()), ("entry", pa.string()),
        ("entry_index", pa.int32()), ("sha256", pa.string()), ("format", pa.string()),
        ("encoding", pa.string()), ("script", pa.string()), ("part", pa.int32()), ("parts", pa.int32()),
        ("title", pa.string()), ("school", pa.string()), ("school_level", pa.string()),
        ("province", pa.string()), ("city", pa.string()), ("district", pa.string()),
        ("period", pa.string()), ("academic_year", pa.string()), ("year", pa.int32()), ("term", pa.int32()),
        ("doc_type", pa.string()), ("n_sections", pa.int32()), ("n_goals", pa.int32()),
        ("n_measures", pa.int32()), ("n_schedule", pa.int32()), ("n_parties", pa.int32()), *_SPAN]),
    "sections": pa.schema([
        ("plan_id", pa.string()), ("section_id", pa.string()), ("parent", pa.string()), ("level", pa.int32()),
        ("number", pa.string()), ("heading", pa.string()), ("role", pa.string()), *_SPAN]),
    "goals": pa.schema([
        ("plan_id", pa.string()), ("goal_id", pa.string()), ("section_id", pa.string()), ("text", pa.string()),
        ("targets", pa.list_(pa.string())), *_SPAN]),
    "measures": pa.schema([
        ("plan_id", pa.string()), ("measure_id", pa.string()), ("section_id", pa.string()),
        ("parent", pa.string()), ("title", pa.string()), ("text", pa.string()), ("category", pa.string()),
        ("parties", pa.list_(pa.string())), ("times", pa.list_(pa.string())), *_SPAN]),
    "schedule": pa.schema([
        ("plan_id", pa.string()), ("item_id", pa.string()), ("section_id", pa.string()), ("when_text", pa.string()),
        ("kind", pa.string()), ("month", pa.int32()), ("weekday", pa.int32()), ("term", pa.int32()),
        ("freq_count", pa.int32()), ("freq_per", pa.string()), ("freq_interval", pa.int32()),
        ("activity", pa.string()), ("parties", pa.list_(pa.string())), *_SPAN]),
    "parties": pa.schema([
        ("plan_id", pa.string()), ("party_id", pa.string()), ("name", pa.string()), ("kind", pa.string()),
        ("mentions", pa.int32())]),
}


def flatten(plan: dict) -> dict[str, list[dict]]:
    """One plan → rows of each flat table."""
    pid = plan["id"]
    src, meta = plan["source"], plan["meta"]
    period = meta.get("period") or {}
    region = meta.get("region") or {}
    party_names = {p["id"]: p["name"] for p in plan["parties"]}
    rows: dict[str, list[dict]] = {k: [] for k in SCHEMAS}
    rows["plans"].append({
        "plan_id": pid, "file": src["path"], "archive": None, "entry": None, "entry_index": None, "sha256": src["sha256"], "format": src["format"],
        "encoding": src["encoding"], "script": src["script"], "part": src["part"], "parts": src["parts"],
        "title": plan["title"], "school": meta.get("school"), "school_level": meta.get("school_level"),
        "province": region.get("province"), "city": region.get("city"), "district": region.get("district"),
        "period": period.get("text"), "academic_year": period.get("academic_year"), "year": period.get("year"),
        "term": period.get("term"), "doc_type": meta.get("doc_type"), "n_sections": len(plan["sections"]),
        "n_goals": len(plan["goals"]), "n_measures": len(plan["measures"]), "n_schedule": len(plan["schedule"]),
        "n_parties": len(plan["parties"]), "start": src["source_span"][0], "end": src["source_span"][1]})
    for s in plan["sections"]:
        rows["sections"].append({"plan_id": pid, "section_id": s["id"], "parent": s["parent"], "level": s["level"],
                                 "number": s["number"], "heading": s["heading"], "role": s["role"],
                                 "start": s["source_span"][0], "end": s["source_span"][1]})
    for g in plan["goals"]:
        rows["goals"].append({"plan_id": pid, "goal_id": g["id"], "section_id": g["section"], "text": g["text"],
                              "targets": [t["text"] for t in g.get("targets", [])],
                              "start": g["source_span"][0], "end": g["source_span"][1]})
    for m in plan["measures"]:
        rows["measures"].append({"plan_id": pid, "measure_id": m["id"], "section_id": m["section"],
                                 "parent": m["parent"], "title": m["title"], "text": m["text"],
                                 "category": m.get("category"),
                                 "parties": [party_names.get(p, p) for p in m.get("parties", [])],
                                 "times": [t["text"] for t in m.get("times", [])],
                                 "start": m["source_span"][0], "end": m["source_span"][1]})
    for t in plan["schedule"]:
        w, f = t["when"], t["when"].get("frequency") or {}
        rows["schedule"].append({"plan_id": pid, "item_id": t["id"], "section_id": t["section"], "when_text": w["text"],
                                 "kind": w["kind"], "month": w.get("month"), "weekday": w.get("weekday"),
                                 "term": w.get("term"), "freq_count": f.get("count"), "freq_per": f.get("per"),
                                 "freq_interval": f.get("interval"), "activity": t["activity"],
                                 "parties": [party_names.get(p, p) for p in t.get("parties", [])],
                                 "start": t["source_span"][0], "end": t["source_span"][1]})
    for p in plan["parties"]:
        rows["parties"].append({"plan_id": pid, "party_id": p["id"], "name": p["name"], "kind": p["kind"],
                                "mentions": len(p["mentions"])})
    return rows


class TableWriter:
    """Rows of each table, written to Parquet in row groups (bulk, bounded memory)."""

    def __init__(self, folder: Path, group: int = 10_000) -> None:
        self.folder = folder
        self.group = group
        folder.mkdir(parents=True, exist_ok=True)
        self.buffers: dict[str, list[dict]] = {k: [] for k in SCHEMAS}
        self.tmp = {k: folder / f".{k}.parquet.tmp" for k in SCHEMAS}
        self.writers = {k: pq.ParquetWriter(self.tmp[k], SCHEMAS[k], compression="zstd") for k in SCHEMAS}

    def add(self, rows: dict[str, list[dict]]) -> None:
        for k, v in rows.items():
            self.buffers[k].extend(v)
            if len(self.buffers[k]) >= self.group:
                self._flush(k)

    def _flush(self, k: str) -> None:
        if self.buffers[k]:
            self.writers[k].write_table(pa.Table.from_pylist(self.buffers[k], schema=SCHEMAS[k]))
            self.buffers[k] = []

    def close(self) -> None:
        for k in SCHEMAS:
            self._flush(k)
            self.writers[k].close()
            os.replace(self.tmp[k], self.folder / f"{k}.parquet")

    def abort(self) -> None:
        """Drop what was written: the tables stay as they were."""
        for k in SCHEMAS:
            self.writers[k].close()
            self.tmp[k].unlink(missing_ok=True)


def build_duckdb(out: Path) -> Path:
    """planx.duckdb with the same tables, bulk-loaded from the Parquet files."""
    import duckdb

    tmp = out / ".planx.duckdb.tmp"
    if tmp.exists():
        tmp.unlink()
    con = duckdb.connect(str(tmp), config={"memory_limit": "256MB", "threads": 2})
    try:
        for name in SCHEMAS:
            path = (out / "tables" / f"{name}.parquet").as_posix().replace("'", "''")
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    final = out / "planx.duckdb"
    os.replace(tmp, final)
    wal = out / ".planx.duckdb.tmp.wal"
    if wal.exists():
        wal.unlink()
    return final


def utf8(text: str) -> bytes:
    """UTF-8 that never fails at the end of a long run: a lone surrogate that slipped into a
    message (names are made printable before) is written as an escape."""
    return text.encode("utf-8", "backslashreplace")


def jsonl_lines(records: Iterator[dict]) -> Iterator[bytes]:
    for r in records:
        yield utf8(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
