"""The ingest output folder.

- `.lock`: held (flock) by the one ingest writing here; a second one is refused.
- `.parts/xx/<key>.json`: one result per distinct input, written atomically (temporary
  file + rename) as soon as it is known, so an interrupted run (even kill -9) resumes with
  only what is missing. The key is the sha256 of the bytes, their format, the settings
  that change results and the planx version (`result_key`): another --mode or --timeout
  does not reuse old results. A result cut off by time is kept as `<key>.retry.json` and
  tried again by the next run; a part cut short (no fsync, then a crash) is redone.
- `plans.jsonl`, `errors.jsonl`, `duplicates.jsonl`, `summary.json`, `tables/*.parquet`,
  `planx.duckdb` (its tables: docs/store.md): written from the parts as they come (the
  DuckDB database at the end), in a fixed order (by input name), each through a temporary
  file and a rename. The same inputs give the same bytes whatever the
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
from ..practices import classify
from .parts import ROWS_VERSION, decode, part_tail

PARTS = ".parts"
LOCK = ".lock"


class OutputError(Exception):
    """The output folder cannot be used: it is a file, cannot be written, or another
    ingest is writing to it. The message names the folder and why."""


def result_key(sha256: str, fmt: str, settings: Settings) -> str:
    """What a stored result is valid for: these bytes, read as this format, with these
    settings, by this planx, stored as these rows (parts.ROWS_VERSION)."""
    what = {"sha256": sha256, "format": fmt, "stages": list(settings.stages), "max_bytes": settings.max_bytes,
            "max_chars": settings.max_chars, "max_seconds": settings.max_seconds,
            "max_units": settings.max_units, "planx": __version__, "rows": ROWS_VERSION}
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
            return decode(path.read_bytes(), key)
        except (ValueError, UnicodeDecodeError, FileNotFoundError) as e:  # JSONDecodeError is a ValueError
            raise DamagedPart(key) from e

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
# One table per thing a researcher counts; every row carries plan_id, every item its own id
# (ids are unique across an ingest: an item id starts with its plan id), and spans are
# span_start/span_end into the plan's source text. No column name needs quoting. The schema
# is documented table by table in docs/store.md (a test checks that the two agree).
_SPAN = [("span_start", pa.int64()), ("span_end", pa.int64())]
_I32, _STR = pa.int32(), pa.string()
_TIME = [  # a TimeExpr, flat: every field of the model
    ("when_text", _STR), ("when_start", pa.int64()), ("when_end", pa.int64()), ("kind", _STR),
    ("month", _I32), ("month_end", _I32), ("day", _I32), ("day_end", _I32), ("week", _I32), ("week_end", _I32),
    ("programme_year", _I32), ("part_of_month", _STR), ("weekday", _I32), ("part_of_day", _STR),
    ("term", _I32), ("term_part", _STR), ("academic_year", _STR), ("year", _I32), ("holiday", _STR),
    ("relative", _STR), ("freq_count", _I32), ("freq_per", _STR), ("freq_interval", _I32),
    ("freq_minimum", pa.bool_()), ("duration_quantity", pa.float64()), ("duration_unit", _STR),
    ("duration_comparator", _STR)]
_WHERE = [("file", _STR), ("archive", _STR), ("entry", _STR), ("entry_index", _I32), ("sha256", _STR)]
SCHEMAS: dict[str, pa.Schema] = {
    "plans": pa.schema([
        ("plan_id", _STR), ("schema_version", _STR), *_WHERE, ("format", _STR), ("encoding", _STR), ("script", _STR),
        ("part", _I32), ("parts", _I32), ("title", _STR), ("title_start", pa.int64()), ("title_end", pa.int64()),
        ("school", _STR), ("school_level", _STR), ("province", _STR), ("city", _STR), ("district", _STR),
        ("period", _STR), ("period_start", pa.int64()), ("period_end", pa.int64()), ("academic_year", _STR),
        ("academic_year_start", _I32), ("year", _I32), ("term", _I32), ("half", _I32), ("period_relative", _STR),
        ("doc_type", _STR), ("n_sections", _I32), ("n_goals", _I32), ("n_measures", _I32), ("n_schedule", _I32),
        ("n_parties", _I32), *_SPAN]),
    "sections": pa.schema([
        ("plan_id", _STR), ("section_id", _STR), ("parent_id", _STR), ("level", _I32), ("number", _STR),
        ("heading", _STR), ("role", _STR), *_SPAN]),
    "goals": pa.schema([
        ("plan_id", _STR), ("goal_id", _STR), ("section_id", _STR), ("text", _STR), ("category", _STR),
        ("categories", pa.list_(_STR)), ("targets", pa.list_(_STR)), *_SPAN]),
    "measures": pa.schema([
        ("plan_id", _STR), ("measure_id", _STR), ("section_id", _STR), ("parent_id", _STR), ("title", _STR),
        ("text", _STR), ("category", _STR), ("categories", pa.list_(_STR)), ("parties", pa.list_(_STR)),
        ("times", pa.list_(_STR)), ("targets", pa.list_(_STR)), *_SPAN]),
    "measure_times": pa.schema([("plan_id", _STR), ("measure_id", _STR), ("time_no", _I32), *_TIME]),
    "schedule": pa.schema([
        ("plan_id", _STR), ("item_id", _STR), ("section_id", _STR), ("activity", _STR),
        ("activity_start", pa.int64()), ("activity_end", pa.int64()), *_TIME, ("parties", pa.list_(_STR)),
        *_SPAN]),
    "targets": pa.schema([
        ("plan_id", _STR), ("item_id", _STR), ("item_kind", _STR), ("target_no", _I32), ("text", _STR),
        ("quantity", pa.float64()), ("unit", _STR), ("comparator", _STR), *_SPAN]),
    "practices": pa.schema([
        ("plan_id", _STR), ("item_id", _STR), ("item_kind", _STR), ("category", _STR), ("is_first", pa.bool_())]),
    "parties": pa.schema([
        ("plan_id", _STR), ("party_id", _STR), ("name", _STR), ("kind", _STR), ("n_mentions", _I32)]),
    "mentions": pa.schema([
        ("plan_id", _STR), ("party_id", _STR), ("name", _STR), ("mention_no", _I32), *_SPAN]),
    "charges": pa.schema([  # who is charged with what: a party named by a measure or a schedule item
        ("plan_id", _STR), ("item_id", _STR), ("item_kind", _STR), ("party_id", _STR), ("name", _STR)]),
}
# Written from the records at the end (errors.jsonl, duplicates.jsonl, skipped.jsonl): one row
# per input file in `sources`, and `plan_files` maps every file, a duplicate too, to its plans.
RECORD_SCHEMAS: dict[str, pa.Schema] = {
    "errors": pa.schema([*_WHERE, ("stage", _STR), ("cause", _STR)]),
    "duplicates": pa.schema([*_WHERE, ("same_as", _STR)]),
    "sources": pa.schema([*_WHERE, ("status", _STR), ("n_plans", _I32), ("same_as", _STR), ("reason", _STR)]),
    "plan_files": pa.schema([("file", _STR), ("plan_id", _STR), ("via", _STR)]),
}


def _span(span: list | tuple | None) -> tuple[int | None, int | None]:
    return (span[0], span[1]) if span else (None, None)


def _time_row(w: dict) -> dict:
    f, d = w.get("frequency") or {}, w.get("duration") or {}
    start, end = _span(w.get("source_span"))
    return {"when_text": w.get("text"), "when_start": start, "when_end": end, "kind": w.get("kind"),
            **{k: w.get(k) for k in ("month", "month_end", "day", "day_end", "week", "week_end", "programme_year",
                                     "part_of_month", "weekday", "part_of_day", "term", "term_part",
                                     "academic_year", "year", "holiday", "relative")},
            "freq_count": f.get("count"), "freq_per": f.get("per"), "freq_interval": f.get("interval"),
            "freq_minimum": f.get("minimum"), "duration_quantity": d.get("quantity"),
            "duration_unit": d.get("unit"), "duration_comparator": d.get("comparator")}


def _academic_start(academic_year: str | None) -> int | None:
    head = (academic_year or "")[:4]
    return int(head) if head.isdigit() else None


def flatten(plan: dict) -> dict[str, list[dict]]:
    """One plan → rows of each flat table (SCHEMAS). rows["plans"][0] has archive, entry and
    entry_index as None: the caller, who knows the input, fills them in."""
    pid = plan["id"]
    src, meta = plan["source"], plan["meta"]
    period = meta.get("period") or {}
    region = meta.get("region") or {}
    party_names = {p["id"]: p["name"] for p in plan["parties"]}
    rows: dict[str, list[dict]] = {k: [] for k in SCHEMAS}
    title_start, title_end = _span(plan.get("title_span"))
    period_start, period_end = _span(period.get("source_span"))
    rows["plans"].append({
        "plan_id": pid, "schema_version": plan.get("schema_version"), "file": src["path"], "archive": None, "entry": None, "entry_index": None,
        "sha256": src["sha256"], "format": src["format"], "encoding": src["encoding"], "script": src["script"],
        "part": src["part"], "parts": src["parts"], "title": plan["title"], "title_start": title_start,
        "title_end": title_end, "school": meta.get("school"), "school_level": meta.get("school_level"),
        "province": region.get("province"), "city": region.get("city"), "district": region.get("district"),
        "period": period.get("text"), "period_start": period_start, "period_end": period_end,
        "academic_year": period.get("academic_year"),
        "academic_year_start": _academic_start(period.get("academic_year")), "year": period.get("year"),
        "term": period.get("term"), "half": period.get("half"), "period_relative": period.get("relative"),
        "doc_type": meta.get("doc_type"), "n_sections": len(plan["sections"]), "n_goals": len(plan["goals"]),
        "n_measures": len(plan["measures"]), "n_schedule": len(plan["schedule"]),
        "n_parties": len(plan["parties"]), "span_start": src["source_span"][0], "span_end": src["source_span"][1]})
    for s in plan["sections"]:
        rows["sections"].append({"plan_id": pid, "section_id": s["id"], "parent_id": s["parent"], "level": s["level"],
                                 "number": s["number"], "heading": s["heading"], "role": s["role"],
                                 "span_start": s["source_span"][0], "span_end": s["source_span"][1]})

    def practices_and_targets(item: dict, item_id: str, kind: str) -> None:
        for c in item.get("categories") or ([item["category"]] if item.get("category") else []):
            rows["practices"].append({"plan_id": pid, "item_id": item_id, "item_kind": kind, "category": c,
                                      "is_first": c == item.get("category")})
        for k, t in enumerate(item.get("targets") or [], 1):
            rows["targets"].append({"plan_id": pid, "item_id": item_id, "item_kind": kind, "target_no": k,
                                    "text": t["text"], "quantity": t["quantity"], "unit": t["unit"],
                                    "comparator": t["comparator"], "span_start": t["source_span"][0],
                                    "span_end": t["source_span"][1]})

    for g in plan["goals"]:
        rows["goals"].append({"plan_id": pid, "goal_id": g["id"], "section_id": g["section"], "text": g["text"],
                              "category": g.get("category"), "categories": list(g.get("categories") or []),
                              "targets": [t["text"] for t in g.get("targets", [])],
                              "span_start": g["source_span"][0], "span_end": g["source_span"][1]})
        practices_and_targets(g, g["id"], "goal")
    for m in plan["measures"]:
        rows["measures"].append({"plan_id": pid, "measure_id": m["id"], "section_id": m["section"],
                                 "parent_id": m["parent"], "title": m["title"], "text": m["text"],
                                 "category": m.get("category"), "categories": list(m.get("categories") or []),
                                 "parties": [party_names.get(p, p) for p in m.get("parties", [])],
                                 "times": [t["text"] for t in m.get("times", [])],
                                 "targets": [t["text"] for t in m.get("targets", [])],
                                 "span_start": m["source_span"][0], "span_end": m["source_span"][1]})
        practices_and_targets(m, m["id"], "measure")
        for k, t in enumerate(m.get("times") or [], 1):
            rows["measure_times"].append({"plan_id": pid, "measure_id": m["id"], "time_no": k, **_time_row(t)})
        for p in m.get("parties", []):
            rows["charges"].append({"plan_id": pid, "item_id": m["id"], "item_kind": "measure", "party_id": p,
                                    "name": party_names.get(p, p)})
    for t in plan["schedule"]:
        a_start, a_end = _span(t.get("activity_span"))
        rows["schedule"].append({"plan_id": pid, "item_id": t["id"], "section_id": t["section"],
                                 "activity": t["activity"], "activity_start": a_start, "activity_end": a_end,
                                 **_time_row(t["when"]),
                                 "parties": [party_names.get(p, p) for p in t.get("parties", [])],
                                 "span_start": t["source_span"][0], "span_end": t["source_span"][1]})
        # the model gives schedule items no practices: they are classified here, from the activity
        for k, c in enumerate(classify(t["activity"])):
            rows["practices"].append({"plan_id": pid, "item_id": t["id"], "item_kind": "schedule", "category": c,
                                      "is_first": k == 0})
        for p in t.get("parties", []):
            rows["charges"].append({"plan_id": pid, "item_id": t["id"], "item_kind": "schedule", "party_id": p,
                                    "name": party_names.get(p, p)})
    for p in plan["parties"]:
        rows["parties"].append({"plan_id": pid, "party_id": p["id"], "name": p["name"], "kind": p["kind"],
                                "n_mentions": len(p["mentions"])})
        for k, (a, b) in enumerate(p["mentions"], 1):
            rows["mentions"].append({"plan_id": pid, "party_id": p["id"], "name": p["name"], "mention_no": k,
                                     "span_start": a, "span_end": b})
    return rows


# The oldest DuckDB that opens planx.duckdb: the file is written in this storage format
# whatever the writer's version (DuckDB 2.x would otherwise write one only 2.x reads).
STORAGE_VERSION = "v1.0.0"


def _records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


PLAN_WHERE = ("plan_id", "file", "archive", "entry", "entry_index", "sha256")


def _record_rows(out: Path, plans: list[dict] | None = None) -> dict[str, list[dict]]:
    """errors, duplicates, sources and plan_files from the records and the plans table (its
    PLAN_WHERE columns, read from plans.parquet unless given)."""
    errors, duplicates = _records(out / "errors.jsonl"), _records(out / "duplicates.jsonl")
    skipped = _records(out / "skipped.jsonl")
    if plans is None:
        with pq.ParquetFile(out / "tables" / "plans.parquet") as f:  # not read_table: that imports pyarrow.dataset
            plans = f.read(columns=list(PLAN_WHERE)).to_pylist()
    where = ("file", "archive", "entry", "entry_index", "sha256")
    sources: dict[str, dict] = {}
    for p in plans:
        row = sources.setdefault(p["file"], {**{k: p[k] for k in where}, "status": "plans", "n_plans": 0,
                                             "same_as": None, "reason": None})
        row["n_plans"] += 1
    for e in errors:
        row = sources.get(e["file"])
        if row is None:
            sources[e["file"]] = {**{k: e.get(k) for k in where}, "status": "error", "n_plans": 0,
                                  "same_as": None, "reason": e.get("cause")}
        else:  # a file with plans and an error note (cut off after some plans)
            row["reason"] = e.get("cause")
    for d in duplicates:
        n = sources.get(d["same_as"], {}).get("n_plans", 0)
        sources.setdefault(d["file"], {**{k: d.get(k) for k in where}, "status": "duplicate", "n_plans": n,
                                       "same_as": d["same_as"], "reason": None})
    for s in skipped:
        sources.setdefault(s["file"], {"file": s["file"], "archive": None, "entry": None, "entry_index": None,
                                       "sha256": None, "status": "skipped", "n_plans": 0, "same_as": None,
                                       "reason": s.get("reason")})
    by_file: dict[str, list[str]] = {}
    for p in plans:
        by_file.setdefault(p["file"], []).append(p["plan_id"])
    plan_files = [{"file": f, "plan_id": pid, "via": "self"} for f, ids in by_file.items() for pid in ids]
    plan_files += [{"file": d["file"], "plan_id": pid, "via": "duplicate"}
                   for d in duplicates for pid in by_file.get(d["same_as"], [])]
    return {"errors": [{k: e.get(k) for k in RECORD_SCHEMAS["errors"].names} for e in errors],
            "duplicates": [{k: d.get(k) for k in RECORD_SCHEMAS["duplicates"].names} for d in duplicates],
            "sources": sorted(sources.values(), key=lambda r: r["file"]),
            "plan_files": sorted(plan_files, key=lambda r: (r["file"], r["plan_id"]))}


def build_duckdb(out: Path, plans: list[dict] | None = None) -> Path:
    """planx.duckdb with the same tables, bulk-loaded from the Parquet files; first the
    tables of the records (errors, duplicates, sources, plan_files) are written as Parquet too
    (`plans`: the plans table's PLAN_WHERE columns as rows, when the caller has them)."""
    import duckdb

    folder = out / "tables"
    for name, rows in _record_rows(out, plans).items():
        tmp_parquet = folder / f".{name}.parquet.tmp"
        pq.write_table(pa.Table.from_pylist(rows, schema=RECORD_SCHEMAS[name]), tmp_parquet, compression="zstd")
        os.replace(tmp_parquet, folder / f"{name}.parquet")
    tmp = out / ".planx.duckdb.tmp"
    if tmp.exists():
        tmp.unlink()
    con = duckdb.connect(str(tmp), config={"memory_limit": "256MB", "threads": 2,
                                           "storage_compatibility_version": STORAGE_VERSION})
    try:
        for name in [*SCHEMAS, *RECORD_SCHEMAS]:
            path = (folder / f"{name}.parquet").as_posix().replace("'", "''")
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
