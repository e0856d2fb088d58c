"""`planx ingest`: list inputs, extract what is missing, write the outputs.

The main process lists the inputs and hands them to the workers, which read, hash,
extract and store each one (worker.process) and make its outputs finished (worker.Fresh:
plans.jsonl bytes, Arrow record batches); it copies them into the outputs in input-name
order as they come, while the workers go on (`_Outputs`), so that at the end only the
closes and the DuckDB build are left. What makes a re-run cheap:

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
from .worker import DISK_FULL, Fresh, Outcome

# results kept in memory while they wait for those ahead of them (a slow file); past that,
# they are read back from the store when their turn comes
FRESH_MAX = 1024
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


def _load_index(out: Path) -> tuple[dict, dict]:
    """InputRef.key -> (stamp, sha256, format) from the last run: those whose stamps can be
    trusted, and those too close to that run's listing to be (racy: their bytes are hashed
    again); empty when missing or damaged."""
    try:
        with open(out / INDEX, "rb") as fh:
            data = marshal.load(fh)
        if isinstance(data, dict) and data.get("version") == INDEX_VERSION and isinstance(data.get("inputs"), dict):
            safe = data.get("listed_ns", 0) - RACY_NS
            trusted, racy = {}, {}
            for k, v in data["inputs"].items():
                if v[0] is not None:
                    (trusted if max(v[0][3], v[0][4]) < safe else racy)[k] = v  # mtime, ctime
            return trusted, racy
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        pass
    return {}, {}


def _same_bytes(reader: Reader, ref: InputRef, sha256: str) -> bool:
    try:
        return hashlib.sha256(reader.read(ref)).hexdigest() == sha256
    except (UnreadableInput, OSError):
        return False


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
    index, racy = _load_index(out)
    seen: dict[tuple[str, str, int], _Input] = {}
    todo: list[InputRef] = []
    reader = Reader(settings.max_bytes) if racy else None
    rehashed = 0  # racy inputs found unchanged by their bytes
    for ref in refs:
        if ref.error:
            seen[ref.key] = _Input(error={"stage": "read", "cause": ref.error})
            continue
        hit = index.get(ref.key) if ref.stamp is not None else None
        if hit is None and ref.stamp is not None and reader is not None:
            # written just before the last listing (its stamp may hide a later write in the same
            # tick, as git's racy-clean files): the same bytes again are the same input
            hit = racy.get(ref.key)
            if hit is not None and tuple(hit[0]) == ref.stamp:
                if _same_bytes(reader, ref, hit[1]):
                    rehashed += 1
                else:
                    hit = None
        if hit is not None and tuple(hit[0]) == ref.stamp:
            seen[ref.key] = _Input(hit[1], result_key(hit[1], hit[2], settings), fmt=hit[2])
        else:
            todo.append(ref)
    if reader is not None:
        reader.close()
    if not todo:
        last = _unchanged(out, _digest(refs, found.skipped, seen, settings))
        if last is not None:  # a no-op: the outputs are already these
            if rehashed:  # their stamps are old enough to trust now: the next run need not read them
                _write_index(out, refs, seen, listed_ns)
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
        outputs = _Outputs(out, store, refs)
        try:
            _extract(engine, scheduler, workers, settings, out, store, todo, seen, summary, bar, outputs)
            if attempt == 0 and todo and not summary.extracted:  # read again (new stamps), yet nothing new?
                last = _unchanged(out, _digest(refs, found.skipped, seen, settings))
                if last is not None:
                    outputs.abort()
                    _write_index(out, refs, seen, listed_ns)
                    bar.close()
                    return _summary_of(last, t0)
            outputs.finish(found.skipped, seen, summary, settings, listed_ns)
            break
        except DamagedPart as e:  # found while writing the outputs: redo it, then write them again
            outputs.abort()
            store.discard(e.key)
            todo = [r for r in refs if (got := seen.get(r.key)) is not None and got.key == e.key][:1]
            for r in todo:
                del seen[r.key]
            if attempt == FINALIZE_TRIES - 1:
                raise
        except BaseException:
            outputs.abort()
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
             todo: list[InputRef], seen: dict[tuple[str, str, int], _Input], summary: IngestSummary, bar: Any,
             outputs: _Outputs) -> None:
    if not todo:
        return
    if engine == "dask":
        _extract_dask(DaskEngine(scheduler, workers, settings), settings, store, todo, seen, summary, bar)
        return
    claims = parts.Claims(store.parts, f"{os.getpid()}-{time.monotonic_ns()}").make()
    pending = {ref.key for ref in todo}
    try:
        runner = LocalEngine(store, claims, workers, settings)
        # closing: a stop (SIGTERM, an error here) reaches the engine's clean-up at once
        with closing(runner.run(todo)) as results:
            for done in results:
                _note(done, seen, summary)
                pending.discard(done.ref)
                outputs.note(done)
                # The outputs are written as results come, while the workers go on (not
                # before something is extracted: a run that extracts nothing may write nothing).
                if summary.extracted:
                    outputs.feed(seen, pending)
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
    """Rows of each table, written to Parquet in row groups (bulk, bounded memory), in order:
    Arrow record batches the workers made (`take`: slices of them, kept as they are), and
    rows of parts read back from the store (`add`: columns, made Arrow a few thousand rows
    at a time, while the workers still extract, so that little is left for the end)."""

    def __init__(self, folder: Path, group: int = 20_000, chunk: int = 2_000) -> None:
        import pyarrow.parquet as pq

        self.folder = folder
        self.group = group
        self.chunk = chunk
        folder.mkdir(parents=True, exist_ok=True)
        self.names = {k: SCHEMAS[k].names for k in SCHEMAS}
        self.buffers: dict[str, dict[str, list]] = {k: {c: [] for c in self.names[k]} for k in SCHEMAS}
        self.counts = dict.fromkeys(SCHEMAS, 0)  # rows in the row group being made
        self.buffered = dict.fromkeys(SCHEMAS, 0)  # of which still in the lists
        self.segments: dict[str, list] = {k: [] for k in SCHEMAS}  # the rest: [batch, start, stop], in order
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
        self.buffered[table] += n
        if self.counts[table] >= self.group:
            self._flush(table)
        elif self.buffered[table] >= self.chunk:
            self._convert(table)

    def take(self, table: str, batch: Any, start: int, stop: int) -> None:
        """Rows start:stop of a record batch of this table's schema."""
        if self.buffered[table]:  # the rows before these
            self._convert(table)
        segments = self.segments[table]
        last = segments[-1] if segments else None
        if last is not None and last[0] is batch and last[2] == start:  # the next rows of the same batch
            last[2] = stop
        else:
            segments.append([batch, start, stop])
        self.counts[table] += stop - start
        if self.counts[table] >= self.group:
            self._flush(table)

    def _convert(self, k: str) -> None:
        import pyarrow as pa

        if self.buffered[k]:
            batch = pa.RecordBatch.from_pydict(self.buffers[k], schema=SCHEMAS[k])
            self.segments[k].append([batch, 0, batch.num_rows])
            self.buffers[k] = {c: [] for c in self.names[k]}
            self.buffered[k] = 0

    def _flush(self, k: str) -> None:
        import pyarrow as pa

        self._convert(k)
        segments = self.segments[k]
        if segments:  # one row group, contiguous: as if made from all its rows at once
            batches = [b if start == 0 and stop == b.num_rows else b.slice(start, stop - start)
                       for b, start, stop in segments]
            self.writers[k].write_table(pa.Table.from_batches(batches, schema=SCHEMAS[k]).combine_chunks())
            self.segments[k] = []
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


class _Outputs:
    """The outputs, written in input-name order from what the workers made of the inputs they
    extracted now (a Fresh), else from the stored parts: while the workers still extract
    (`feed`: a result that comes before those ahead of it waits, in memory or in the store),
    then the rest (`finish`). Nothing is replaced until all is written: a DamagedPart
    leaves the old outputs as they were."""

    def __init__(self, out: Path, store: Store, refs: list[InputRef]) -> None:
        self.out, self.store, self.refs = out, store, refs
        self.pos = 0  # refs[:pos] are written
        self.errors: list[dict] = []
        self.duplicates: list[dict] = []
        self.first_name: dict[str, str] = {}
        self.with_plans = self.n_plans = self.n_dups = 0
        self.retry = False
        self.plans_tmp = out / ".plans.jsonl.tmp"
        self.plans_fh: Any = None
        self.tables: _Columns | None = None  # both opened at the first write
        self.damaged: DamagedPart | None = None
        # key -> (Fresh, its record batches, entry): outputs as the worker that stored the part made them
        self.fresh: dict[str, tuple[Fresh, dict[str, tuple[list[int], Any]], int]] = {}
        self.waiting: set[str] = set()  # keys extracted now whose Fresh is still to come

    def note(self, done: Outcome) -> None:
        """Keep the finished outputs an answer brings (up to FRESH_MAX inputs' worth waiting:
        past that, they are read back from the store when their turn comes)."""
        if done.deferred and done.key is not None and done.key not in self.fresh and done.key not in self.first_name:
            self.waiting.add(done.key)
        self.waiting.difference_update(done.lost)
        fresh = done.fresh
        if fresh is None:
            return
        self.waiting.difference_update(fresh.keys)
        if fresh.refs and len(self.fresh) < FRESH_MAX:
            import pyarrow as pa

            batches = {t: (offsets, pa.ipc.read_record_batch(pa.py_buffer(data), SCHEMAS[t]))
                       for t, (offsets, data) in fresh.tables.items()}
            for i, key in enumerate(fresh.keys[:len(fresh.refs)]):
                self.fresh[key] = (fresh, batches, i)

    def feed(self, seen: dict[tuple[str, str, int], _Input], pending: set[tuple[str, str, int]]) -> None:
        """Write what is ready while inputs are `pending`; a damaged part stops the writing
        here (finish raises it, for the part to be redone)."""
        if self.damaged is not None:
            return
        try:
            self._advance(seen, pending)
        except DamagedPart as e:
            self.damaged = e
            self.abort()

    def _advance(self, seen: dict[tuple[str, str, int], _Input], pending: set[tuple[str, str, int]] | None) -> None:
        refs, store = self.refs, self.store
        if self.plans_fh is None:
            self.tables = _Columns(self.out / "tables")
            self.plans_fh = open(self.plans_tmp, "wb")
        tables, plans_fh = self.tables, self.plans_fh
        assert tables is not None
        while self.pos < len(refs):
            ref = refs[self.pos]
            got = seen.get(ref.key)
            if pending is not None and ref.key in pending:  # still extracting: wait for this input
                return
            got = got or _Input(error={"stage": "read", "cause": ref.error or "unreadable"})
            key = got.key
            if pending is not None and key in self.waiting:  # stored, but the outputs made from it are to come
                return
            stored = got.error is None and key is not None and (key in self.first_name or key in self.fresh
                                                                 or store.stored(key))
            if pending is not None and not stored and got.error is None and key is not None:
                return  # another input with these bytes claimed them: its part is still to come
            self.pos += 1
            where = ref.where()
            if got.error is not None or key is None:
                self.errors.append({**where, "sha256": None, **(got.error or {})})
                continue
            if not stored:  # its extraction failed during this run
                self.errors.append({**where, "sha256": got.sha256, "stage": "read", "cause": "not extracted"})
                continue
            if key in self.first_name:
                self.duplicates.append({**where, "sha256": got.sha256, "same_as": self.first_name[key]})
                self.n_dups += 1
                self.fresh.pop(key, None)  # came after the first of its bytes was written from the store
                continue
            self.first_name[key] = ref.name
            fresh = self.fresh.pop(key, None)
            if fresh is not None and fresh[0].refs[fresh[2]] == ref.key:
                self._copy(where, got, fresh)
                continue
            # from the store (an earlier run's, or made for another input with these bytes)
            part = store.get(key)
            if part["error"] is not None:
                self.errors.append({**where, "sha256": got.sha256, **part["error"]})
                self.retry = self.retry or not store.has(key)  # cut off by time: the next run tries again
            lines = part["lines"]
            if lines:
                self.with_plans += 1
                plans_fh.write(utf8("".join(parts.with_path(line, ref.name) + "\n" for line in lines)))
                self.n_plans += len(lines)
            for table, cols in part["rows"].items():
                try:
                    if table == "plans":
                        n = len(cols["plan_id"])
                        cols.update(file=[ref.name] * n, archive=[where["archive"]] * n, entry=[where["entry"]] * n,
                                    entry_index=[where["entry_index"]] * n)
                    tables.add(table, cols)
                except (KeyError, TypeError) as e:
                    raise DamagedPart(key) from e

    def _copy(self, where: dict, got: _Input,
              fresh: tuple[Fresh, dict[str, tuple[list[int], Any]], int]) -> None:
        """One input's outputs from what its worker made for it: bytes and slices, copied."""
        made, batches, i = fresh
        error = made.errors[i]
        if error is not None:
            self.errors.append({**where, "sha256": got.sha256, **error})
            self.retry = self.retry or not self.store.has(made.keys[i])  # cut off by time: the next run tries again
        n = made.n_lines[i]
        if n:
            self.with_plans += 1
            self.plans_fh.write(made.lines[i])
            self.n_plans += n
        tables = self.tables
        assert tables is not None
        for table, (offsets, batch) in batches.items():
            start, stop = offsets[i], offsets[i + 1]
            if stop > start:
                tables.take(table, batch, start, stop)

    def abort(self) -> None:
        """Drop what was written: the outputs stay as they were."""
        if self.plans_fh is not None:
            self.plans_fh.close()
            self.plans_fh = None
            self.plans_tmp.unlink(missing_ok=True)
        if self.tables is not None:
            self.tables.abort()
            self.tables = None

    def finish(self, skipped: list[Skipped], seen: dict[tuple[str, str, int], _Input], summary: IngestSummary,
               settings: Settings, listed_ns: int) -> None:
        """Write the rest, and replace the outputs."""
        if self.damaged is not None:
            raise self.damaged
        out = self.out
        self._advance(seen, None)
        self.plans_fh.flush()
        os.fsync(self.plans_fh.fileno())
        self.plans_fh.close()
        self.plans_fh = None
        os.replace(self.plans_tmp, out / "plans.jsonl")
        assert self.tables is not None
        self.tables.close()
        self.tables = None
        summary.with_plans, summary.plans, summary.duplicates = self.with_plans, self.n_plans, self.n_dups
        errors = self.errors
        summary.errors = len(errors)  # a part has an error only when it has no plan
        summary.by_stage = {}
        for e in errors:
            summary.by_stage[e["stage"]] = summary.by_stage.get(e["stage"], 0) + 1
        atomic_write(out / "errors.jsonl", b"".join(jsonl_lines(iter(errors))))
        atomic_write(out / "duplicates.jsonl", b"".join(jsonl_lines(iter(self.duplicates))))
        atomic_write(out / "skipped.jsonl",
                     b"".join(jsonl_lines({"file": s.name, "reason": s.reason} for s in skipped)))
        build_duckdb(out)
        atomic_write(out / "summary.json", utf8(json.dumps(
            {k: v for k, v in asdict(summary).items() if k not in ("seconds", "extracted", "peak_rss_mb_worker",
                                                                     "peak_rss_mb_main")},
            ensure_ascii=False, indent=2, sort_keys=True)))
        # What the next run needs to skip reading unchanged inputs, and writing unchanged outputs.
        _write_index(out, refs=self.refs, seen=seen, listed_ns=listed_ns)
        atomic_write(out / MANIFEST, utf8(json.dumps({"digest": _digest(self.refs, skipped, seen, settings),
                                                      "retry": self.retry, "outputs": _outputs_state(out)})),
                     durable=False)
