"""`planx ingest`: list inputs, extract what is missing, write the outputs.

The main process lists the inputs and hands them to the workers, which read, hash,
extract and store each one (worker.process); at the end it copies the finished parts
into the outputs in input-name order. What makes a re-run cheap:

- `.index` (written at the end of a run): for each input, what the listing saw of it
  (device, inode, size, mtime, ctime; for an archive entry, its archive's and its CRC) and
  the sha256 and format of its bytes then. An input whose stamp is unchanged is not read
  again: its result key is made from that hash, the format and this run's settings, so the
  cache is still keyed on bytes + format + settings + planx version; the stamp only stands
  in for reading the bytes to hash them. A write to a file always moves its ctime, which no
  one can set back, so a changed file is always read again; a stamp from within RACY_NS of
  the listing that took it is not trusted (as git does: on a filesystem with coarse
  timestamps, a write in the same tick would not show).
- `.manifest.json`: a digest of what the outputs were written from (every input's name
  and result key or error, the skipped list) and the size and mtime of each output. A
  run that finds the same digest, nothing to extract and the outputs untouched does not
  write them again.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..pipeline import Settings
from ..read import detect_format
from . import parts
from .engines import DaskEngine, LocalEngine, Task
from .inputs import InputRef, Reader, Skipped, UnreadableInput, list_inputs
from .store import (
    SCHEMAS,
    DamagedPart,
    OutputError,
    Store,
    atomic_write,
    build_duckdb,
    jsonl_lines,
    open_output,
    result_key,
    utf8,
)
from .worker import DISK_FULL, Outcome

FINALIZE_TRIES = 3  # a part found damaged while writing the outputs is redone, then the outputs again


@dataclass
class IngestSummary:
    files: int = 0  # inputs found: with_plans + errors + duplicates + skipped
    with_plans: int = 0  # files that gave at least one plan
    errors: int = 0  # files that gave an error record (no plan, unreadable, cut off …)
    duplicates: int = 0  # files whose bytes (and format) another input already has
    skipped: int = 0  # found but not taken (unsupported format, --exclude, a symlink to a folder …)
    plans: int = 0
    extracted: int = 0  # distinct contents extracted in this run (the rest came from earlier runs)
    seconds: float = 0.0
    peak_rss_mb_worker: float = 0.0  # the largest resident memory any worker reached
    peak_rss_mb_main: float = 0.0
    by_stage: dict[str, int] = field(default_factory=dict)
    skipped_by_reason: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return (f"{self.files} files: {self.with_plans} with plans ({self.plans} plans), {self.errors} errors, "
                f"{self.duplicates} duplicates, {self.skipped} skipped; {self.extracted} extracted now, in {self.seconds:.1f} s "
                f"(peak memory: worker {self.peak_rss_mb_worker:.0f} MB, main {self.peak_rss_mb_main:.0f} MB)")


def _progress(total: int, enabled: bool) -> Any:
    if enabled:
        from tqdm import tqdm

        return tqdm(total=total, unit="file", desc="planx ingest", file=sys.stderr, dynamic_ncols=True)

    class _Quiet:
        def update(self, n: int = 1) -> None:
            pass

        def close(self) -> None:
            pass

    return _Quiet()


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM unwinds the run like Ctrl-C does, so that the workers are killed and the lock
    released (the kernel kills the workers also when the ingest dies by kill -9)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def ingest(paths: Iterable[str], out: str | Path, workers: int | None = None, engine: str = "local",
           scheduler: str | None = None, settings: Settings | None = None, progress: bool = True,
           include: Iterable[str] = (), exclude: Iterable[str] = ()) -> IngestSummary:
    """Raises OutputError when `out` cannot be used (a file, read-only, in use by another
    ingest) or fills up while the run writes it."""
    settings = settings or Settings()
    out = Path(out)
    with _stop_on_sigterm(), open_output(out) as store:
        try:
            return _ingest(list(paths), out, store, workers, engine, scheduler, settings, progress,
                           tuple(include), tuple(exclude))
        except OSError as e:
            if e.errno in DISK_FULL or _disk_full(e):
                raise OutputError(f"{out}: cannot write the output folder ({e.strerror or e})") from None
            raise
        except Exception as e:
            if _disk_full(e):  # DuckDB's and Arrow's own errors say so in words only
                raise OutputError(f"{out}: cannot write the output folder ({e})") from None
            raise


def _disk_full(e: BaseException) -> bool:
    text = str(e)
    return any(w in text for w in ("No space left on device", "Disk quota exceeded", "Read-only file system",
                                   "File too large"))


@dataclass
class _Input:
    """What reading one input gave: its content hash, format and result key, or why it could not be read."""

    sha256: str | None = None
    key: str | None = None
    error: dict | None = None
    fmt: str | None = None


INDEX = ".index"
MANIFEST = ".manifest.json"
INDEX_VERSION = 1
RACY_NS = 2_000_000_000  # FAT and some network filesystems keep times to 1–2 s


def _load_index(out: Path) -> dict:
    """InputRef.key -> (stamp, sha256, format) from the last run, without the stamps too close
    to that run's listing to be trusted; empty when missing or damaged."""
    try:
        with open(out / INDEX, "rb") as fh:
            data = marshal.load(fh)
        if isinstance(data, dict) and data.get("version") == INDEX_VERSION and isinstance(data.get("inputs"), dict):
            safe = data.get("listed_ns", 0) - RACY_NS
            return {k: v for k, v in data["inputs"].items()
                    if v[0] is not None and max(v[0][3], v[0][4]) < safe}  # mtime, ctime
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        pass
    return {}


def _outputs_state(out: Path) -> list:
    """Size and mtime of every output: a manifest is good only while they are as it wrote them."""
    names = ["plans.jsonl", "errors.jsonl", "duplicates.jsonl", "skipped.jsonl", "summary.json", "planx.duckdb"]
    names += sorted(f"tables/{p.name}" for p in (out / "tables").glob("*.parquet"))
    state = []
    for name in names:
        try:
            st = os.stat(out / name)
            state.append([name, st.st_size, st.st_mtime_ns])
        except OSError:
            state.append([name, None, None])
    return state


def _digest(refs: list[InputRef], skipped: list[Skipped], seen: dict[tuple[str, str, int], _Input],
            settings: Settings) -> str:
    h = hashlib.sha256(json.dumps([list(settings.stages), __version__, parts.ROWS_VERSION]).encode())
    for ref in refs:
        got = seen.get(ref.key)
        h.update(utf8(json.dumps([ref.name, ref.where(), got.key if got else None,
                                  got.error if got else ref.error], ensure_ascii=False) + "\n"))
    for s in skipped:
        h.update(utf8(json.dumps([s.name, s.reason], ensure_ascii=False) + "\n"))
    return h.hexdigest()


def _unchanged(out: Path, digest: str) -> dict | None:
    """The last run's summary when its outputs were written from exactly this and are intact."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("digest") != digest or manifest.get("outputs") != _outputs_state(out):
            return None
        if manifest.get("retry"):  # some result was cut off by time: tried again
            return None
        return json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _ingest(paths: list[str], out: Path, store: Store, workers: int | None, engine: str, scheduler: str | None,
            settings: Settings, progress: bool, include: tuple[str, ...], exclude: tuple[str, ...]) -> IngestSummary:
    t0 = time.perf_counter()
    listed_ns = time.time_ns()  # before the first stat(): see RACY_NS
    found = list_inputs(paths, include, exclude, out=out)
    refs = found.refs
    summary = IngestSummary(files=len(refs) + len(found.skipped), skipped=len(found.skipped))
    for s in found.skipped:
        summary.skipped_by_reason[s.reason] = summary.skipped_by_reason.get(s.reason, 0) + 1

    # An input the last run hashed, and which has not changed since, is not read again.
    index = _load_index(out)
    seen: dict[tuple[str, str, int], _Input] = {}
    todo: list[InputRef] = []
    for ref in refs:
        if ref.error:
            seen[ref.key] = _Input(error={"stage": "read", "cause": ref.error})
            continue
        hit = index.get(ref.key) if ref.stamp is not None else None
        if hit is not None and tuple(hit[0]) == ref.stamp:
            seen[ref.key] = _Input(hit[1], result_key(hit[1], hit[2], settings), fmt=hit[2])
        else:
            todo.append(ref)
    if not todo:
        last = _unchanged(out, _digest(refs, found.skipped, seen, settings))
        if last is not None:  # a no-op: the outputs are already these
            return _summary_of(last, t0)
    # Known inputs whose result is missing (another --mode, a damaged part …) are done again.
    for ref in refs:
        got = seen.get(ref.key)
        if got is not None and got.key is not None and not store.has(got.key):
            del seen[ref.key]
            todo.append(ref)
    todo.sort(key=lambda r: (r.name, r.key))

    bar = _progress(len(refs), progress)
    bar.update(len(refs) - len(todo))
    for attempt in range(FINALIZE_TRIES):
        _extract(engine, scheduler, workers, settings, out, store, todo, seen, summary, bar)
        if attempt == 0 and todo and not summary.extracted:  # read again (new stamps), yet nothing new?
            last = _unchanged(out, _digest(refs, found.skipped, seen, settings))
            if last is not None:
                _write_index(out, refs, seen, listed_ns)
                bar.close()
                return _summary_of(last, t0)
        try:
            _finalize(out, store, refs, found.skipped, seen, summary, settings, listed_ns)
            break
        except DamagedPart as e:  # found while writing the outputs: redo it, then write them again
            store.discard(e.key)
            todo = [r for r in refs if (got := seen.get(r.key)) is not None and got.key == e.key][:1]
            for r in todo:
                del seen[r.key]
            if attempt == FINALIZE_TRIES - 1:
                raise
    bar.close()
    summary.seconds = time.perf_counter() - t0
    summary.peak_rss_mb_main = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return summary


def _write_index(out: Path, refs: list[InputRef], seen: dict[tuple[str, str, int], _Input], listed_ns: int) -> None:
    index = {ref.key: (ref.stamp, got.sha256, got.fmt) for ref in refs
             if ref.stamp is not None and (got := seen.get(ref.key)) is not None and got.sha256 and got.fmt}
    atomic_write(out / INDEX, marshal.dumps({"version": INDEX_VERSION, "listed_ns": listed_ns, "inputs": index}),
                 durable=False)


def _summary_of(last: dict, t0: float) -> IngestSummary:
    fields = {k: v for k, v in last.items() if k in IngestSummary.__dataclass_fields__}
    summary = IngestSummary(**fields)
    summary.seconds = time.perf_counter() - t0
    summary.peak_rss_mb_main = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return summary


def _extract(engine: str, scheduler: str | None, workers: int | None, settings: Settings, out: Path, store: Store,
             todo: list[InputRef], seen: dict[tuple[str, str, int], _Input], summary: IngestSummary, bar: Any) -> None:
    if not todo:
        return
    if engine == "dask":
        _extract_dask(DaskEngine(scheduler, workers, settings), settings, store, todo, seen, summary, bar)
        return
    claims = parts.Claims(store.parts, f"{os.getpid()}-{time.monotonic_ns()}").make()
    try:
        runner = LocalEngine(store, claims, workers, settings)
        # closing: a stop (SIGTERM, an error here) reaches the engine's clean-up at once
        with closing(runner.run(todo)) as results:
            for done in results:
                _note(done, seen, summary)
                bar.update(1)
    finally:
        claims.remove()


def _note(done: Outcome, seen: dict[tuple[str, str, int], _Input], summary: IngestSummary) -> None:
    if done.fatal:
        raise OutputError(done.fatal)
    if done.key is None:
        seen[done.ref] = _Input(error=done.error or {"stage": "read", "cause": "unreadable"})
        return
    seen[done.ref] = _Input(done.sha256, done.key, fmt=done.fmt)
    if done.extracted:
        summary.extracted += 1
        summary.peak_rss_mb_worker = max(summary.peak_rss_mb_worker, done.rss_mb)


def _extract_dask(runner: DaskEngine, settings: Settings, store: Store, todo: list[InputRef],
                  seen: dict[tuple[str, str, int], _Input], summary: IngestSummary, bar: Any) -> None:
    """Remote workers have no access to the files or the store: the main process reads the
    inputs, ships their bytes, and stores the parts that come back."""
    claimed: set[str] = set()

    def tasks() -> Iterator[Task]:
        with Reader(settings.max_bytes) as reader:
            for ref in todo:
                try:
                    data = reader.read(ref)
                except UnreadableInput as e:
                    seen[ref.key] = _Input(error={"stage": "read", "cause": e.cause})
                    bar.update(1)
                    continue
                sha = hashlib.sha256(data).hexdigest()
                fmt = detect_format(ref.format_name, data)
                key = result_key(sha, fmt, settings)
                seen[ref.key] = _Input(sha, key, fmt=fmt)
                if key in claimed or store.has(key):
                    bar.update(1)
                    continue
                claimed.add(key)
                yield key, ref.name, data, fmt

    with closing(runner.run(tasks())) as results:
        for key, part, rss_mb, transient in results:
            store.put(key, part, transient)
            summary.extracted += 1
            summary.peak_rss_mb_worker = max(summary.peak_rss_mb_worker, rss_mb)
            bar.update(1)


class _Columns:
    """Rows of each table as columns, written to Parquet in row groups (bulk, bounded memory):
    the parts hold them as columns already, so writing is extending lists."""

    def __init__(self, folder: Path, group: int = 20_000) -> None:
        import pyarrow.parquet as pq

        self.folder = folder
        self.group = group
        folder.mkdir(parents=True, exist_ok=True)
        self.names = {k: SCHEMAS[k].names for k in SCHEMAS}
        self.buffers: dict[str, dict[str, list]] = {k: {c: [] for c in self.names[k]} for k in SCHEMAS}
        self.counts = dict.fromkeys(SCHEMAS, 0)
        self.tmp = {k: folder / f".{k}.parquet.tmp" for k in SCHEMAS}
        self.writers = {k: pq.ParquetWriter(self.tmp[k], SCHEMAS[k], compression="zstd") for k in SCHEMAS}

    def add(self, table: str, cols: dict[str, list]) -> None:
        buf = self.buffers[table]
        n = 0
        for name in self.names[table]:
            values = cols[name]  # KeyError: a part of another schema (its key would differ: damaged)
            buf[name].extend(values)
            n = len(values)
        self.counts[table] += n
        if self.counts[table] >= self.group:
            self._flush(table)

    def _flush(self, k: str) -> None:
        import pyarrow as pa

        if self.counts[k]:
            self.writers[k].write_table(pa.Table.from_pydict(self.buffers[k], schema=SCHEMAS[k]))
            self.buffers[k] = {c: [] for c in self.names[k]}
            self.counts[k] = 0

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


def _finalize(out: Path, store: Store, refs: list[InputRef], skipped: list[Skipped],
              seen: dict[tuple[str, str, int], _Input], summary: IngestSummary, settings: Settings,
              listed_ns: int) -> None:
    """Write the outputs from the stored parts, in input-name order. Nothing is replaced
    until all is written: a DamagedPart leaves the old outputs as they were."""
    plans_tmp = out / ".plans.jsonl.tmp"
    errors: list[dict] = []
    duplicates: list[dict] = []
    first_name: dict[str, str] = {}
    with_plans = n_plans = n_dups = 0
    retry = False
    tables = _Columns(out / "tables")
    try:
        with open(plans_tmp, "wb") as plans_fh:
            for ref in refs:
                where = ref.where()
                got = seen.get(ref.key) or _Input(error={"stage": "read", "cause": ref.error or "unreadable"})
                if got.error is not None or got.key is None:
                    errors.append({**where, "sha256": None, **(got.error or {})})
                    continue
                key = got.key
                if not store.stored(key):  # its extraction failed during this run
                    errors.append({**where, "sha256": got.sha256, "stage": "read", "cause": "not extracted"})
                    continue
                if key in first_name:
                    duplicates.append({**where, "sha256": got.sha256, "same_as": first_name[key]})
                    n_dups += 1
                    continue
                first_name[key] = ref.name
                part = store.get(key)
                if part["error"] is not None:
                    errors.append({**where, "sha256": got.sha256, **part["error"]})
                    retry = retry or not store.has(key)  # cut off by time: the next run tries again
                lines = part["lines"]
                if lines:
                    with_plans += 1
                    plans_fh.write(utf8("".join(parts.with_path(line, ref.name) + "\n" for line in lines)))
                    n_plans += len(lines)
                for table, cols in part["rows"].items():
                    if table == "plans":
                        n = len(cols["plan_id"])
                        cols.update(file=[ref.name] * n, archive=[where["archive"]] * n, entry=[where["entry"]] * n,
                                    entry_index=[where["entry_index"]] * n)
                    try:
                        tables.add(table, cols)
                    except (KeyError, TypeError) as e:
                        raise DamagedPart(key) from e
            plans_fh.flush()
            os.fsync(plans_fh.fileno())
    except BaseException:
        tables.abort()
        plans_tmp.unlink(missing_ok=True)
        raise
    os.replace(plans_tmp, out / "plans.jsonl")
    tables.close()
    summary.with_plans, summary.plans, summary.duplicates = with_plans, n_plans, n_dups
    summary.errors = len(errors)  # a part has an error only when it has no plan
    summary.by_stage = {}
    for e in errors:
        summary.by_stage[e["stage"]] = summary.by_stage.get(e["stage"], 0) + 1
    atomic_write(out / "errors.jsonl", b"".join(jsonl_lines(iter(errors))))
    atomic_write(out / "duplicates.jsonl", b"".join(jsonl_lines(iter(duplicates))))
    atomic_write(out / "skipped.jsonl", b"".join(jsonl_lines({"file": s.name, "reason": s.reason} for s in skipped)))
    build_duckdb(out)
    atomic_write(out / "summary.json", utf8(json.dumps(
        {k: v for k, v in asdict(summary).items() if k not in ("seconds", "extracted", "peak_rss_mb_worker",
                                                                 "peak_rss_mb_main")},
        ensure_ascii=False, indent=2, sort_keys=True)))
    # What the next run needs to skip reading unchanged inputs, and writing unchanged outputs.
    _write_index(out, refs, seen, listed_ns)
    atomic_write(out / MANIFEST, utf8(json.dumps({"digest": _digest(refs, skipped, seen, settings), "retry": retry,
                                                  "outputs": _outputs_state(out)})), durable=False)
