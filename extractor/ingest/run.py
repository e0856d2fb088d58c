"""`planx ingest`: list inputs, hash them, extract what is missing, write the outputs."""

from __future__ import annotations

import hashlib
import json
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

from ..pipeline import Settings
from ..read import detect_format
from .engines import DaskEngine, LocalEngine, Task
from .inputs import InputRef, Reader, Skipped, UnreadableInput, list_inputs
from .store import (
    DamagedPart,
    Store,
    TableWriter,
    atomic_write,
    build_duckdb,
    flatten,
    jsonl_lines,
    open_output,
    result_key,
    utf8,
)

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
    """Raises OutputError when `out` cannot be used (a file, read-only, or in use by another ingest)."""
    settings = settings or Settings()
    out = Path(out)
    with _stop_on_sigterm(), open_output(out) as store:
        return _ingest(list(paths), out, store, workers, engine, scheduler, settings, progress,
                       tuple(include), tuple(exclude))


@dataclass
class _Input:
    """What reading one input gave: its content hash and result key, or why it could not be read."""

    sha256: str | None = None
    key: str | None = None
    error: dict | None = None


def _ingest(paths: list[str], out: Path, store: Store, workers: int | None, engine: str, scheduler: str | None,
            settings: Settings, progress: bool, include: tuple[str, ...], exclude: tuple[str, ...]) -> IngestSummary:
    t0 = time.perf_counter()
    found = list_inputs(paths, include, exclude, out=out)
    refs = found.refs
    summary = IngestSummary(files=len(refs) + len(found.skipped), skipped=len(found.skipped))
    for s in found.skipped:
        summary.skipped_by_reason[s.reason] = summary.skipped_by_reason.get(s.reason, 0) + 1

    # Read and hash every input; what already has a whole, final result is not redone.
    seen: dict[tuple[str, str, int], _Input] = {}
    todo: dict[str, tuple[InputRef, str, str]] = {}  # result key -> (first input with it, sha256, format)
    with Reader(settings.max_bytes) as reader:
        for ref in refs:
            try:
                data = reader.read(ref)
            except UnreadableInput as e:
                seen[ref.key] = _Input(error={"stage": "read", "cause": e.cause})
                continue
            sha = hashlib.sha256(data).hexdigest()
            fmt = detect_format(ref.format_name, data)
            key = result_key(sha, fmt, settings)
            seen[ref.key] = _Input(sha, key)
            if key not in todo and not store.has(key):
                todo[key] = (ref, sha, fmt)

        bar = _progress(len(refs), progress)
        bar.update(len(refs) - len(todo))
        runner = (DaskEngine(scheduler, workers, settings) if engine == "dask"
                  else LocalEngine(workers, settings))
        for attempt in range(FINALIZE_TRIES):
            _extract(runner, reader, store, todo, seen, summary, bar)
            try:
                _finalize(out, store, refs, found.skipped, seen, summary)
                break
            except DamagedPart as e:  # found while writing the outputs: redo it, then write them again
                store.discard(e.key)
                ref = next(r for r in refs if seen[r.key].key == e.key)
                todo = {e.key: (ref, seen[ref.key].sha256 or "", "")}
                if attempt == FINALIZE_TRIES - 1:
                    raise
        bar.close()
    summary.seconds = time.perf_counter() - t0
    summary.peak_rss_mb_main = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    atomic_write(out / "summary.json", utf8(json.dumps(
        {k: v for k, v in asdict(summary).items() if k not in ("seconds", "extracted", "peak_rss_mb_worker",
                                                                 "peak_rss_mb_main")},
        ensure_ascii=False, indent=2, sort_keys=True)))
    return summary


def _extract(runner: LocalEngine | DaskEngine, reader: Reader, store: Store, todo: dict[str, tuple[InputRef, str, str]],
             seen: dict[tuple[str, str, int], _Input], summary: IngestSummary, bar: Any) -> None:
    def tasks() -> Iterator[Task]:
        for key, (ref, sha, fmt) in todo.items():
            try:
                data = reader.read(ref)
            except UnreadableInput as e:  # vanished since it was listed
                seen[ref.key] = _Input(error={"stage": "read", "cause": e.cause})
                continue
            if hashlib.sha256(data).hexdigest() != sha:
                seen[ref.key] = _Input(error={"stage": "read", "cause": "the file changed while it was ingested"})
                continue
            yield key, ref.name, data, fmt or detect_format(ref.format_name, data)

    # closing: a stop (SIGTERM, an error here) reaches the engine's clean-up at once
    with closing(runner.run(tasks())) as results:
        for key, part, rss_mb, transient in results:
            store.put(key, part, transient)
            summary.extracted += 1
            summary.peak_rss_mb_worker = max(summary.peak_rss_mb_worker, rss_mb)
            bar.update(1)


def _finalize(out: Path, store: Store, refs: list[InputRef], skipped: list[Skipped],
              seen: dict[tuple[str, str, int], _Input], summary: IngestSummary) -> None:
    """Write the outputs from the stored results, in input-name order. Nothing is replaced
    until all is written: a DamagedPart leaves the old outputs as they were."""
    plans_tmp = out / ".plans.jsonl.tmp"
    errors: list[dict] = []
    duplicates: list[dict] = []
    first_name: dict[str, str] = {}
    with_plans = n_plans = n_dups = 0
    tables = TableWriter(out / "tables")
    try:
        with open(plans_tmp, "wb") as plans_fh:
            for ref in refs:
                where = ref.where()
                got = seen.get(ref.key) or _Input(error={"stage": "read", "cause": ref.error or "unreadable"})
                if got.error is not None or got.key is None:
                    errors.append({**where, "sha256": None, **(got.error or {})})
                    continue
                key = got.key
                if not store.stored(key):  # its read failed during this run
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
                if part["plans"]:
                    with_plans += 1
                for plan in part["plans"]:
                    plan["source"]["path"] = ref.name
                    plans_fh.write(utf8(json.dumps(plan, ensure_ascii=False) + "\n"))
                    rows = flatten(plan)
                    rows["plans"][0].update(archive=where["archive"], entry=where["entry"],
                                            entry_index=where["entry_index"])
                    tables.add(rows)
                    n_plans += 1
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
