"""`planx ingest`: list inputs, hash them, extract what is missing, write the outputs."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import PlanxError
from ..pipeline import Settings
from .engines import DaskEngine, LocalEngine, Task
from .inputs import InputRef, list_inputs
from .store import Store, TableWriter, atomic_write, build_duckdb, flatten, jsonl_lines


@dataclass
class IngestSummary:
    files: int = 0  # inputs listed
    with_plans: int = 0  # files that gave at least one plan
    errors: int = 0  # files that gave an error record (no plan, unreadable, cut off …)
    duplicates: int = 0  # files whose bytes another input already has
    plans: int = 0
    extracted: int = 0  # distinct contents extracted in this run (the rest came from earlier runs)
    seconds: float = 0.0
    peak_rss_mb_worker: float = 0.0  # the largest resident memory any worker reached
    peak_rss_mb_main: float = 0.0
    by_stage: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return (f"{self.files} files: {self.with_plans} with plans ({self.plans} plans), {self.errors} errors, "
                f"{self.duplicates} duplicates; {self.extracted} extracted now, in {self.seconds:.1f} s "
                f"(peak memory: worker {self.peak_rss_mb_worker:.0f} MB, main {self.peak_rss_mb_main:.0f} MB)")


def _progress(total: int, enabled: bool):
    if enabled:
        from tqdm import tqdm

        return tqdm(total=total, unit="file", desc="planx ingest", file=sys.stderr, dynamic_ncols=True)

    class _Quiet:
        def update(self, n: int = 1) -> None:
            pass

        def close(self) -> None:
            pass

    return _Quiet()


def ingest(paths: list[str], out: str | Path, workers: int | None = None, engine: str = "local",
           scheduler: str | None = None, settings: Settings | None = None, progress: bool = True) -> IngestSummary:
    settings = settings or Settings()
    t0 = time.perf_counter()
    out = Path(out)
    store = Store(out)
    refs = list_inputs(paths)
    summary = IngestSummary(files=len(refs))

    # Read and hash every input; what a file's bytes already have a result for is skipped.
    sha_of: dict[str, str] = {}  # input name -> sha256
    read_errors: dict[str, dict] = {}  # input name -> error record
    todo: dict[str, InputRef] = {}  # sha256 -> first input (in name order) with those bytes
    for ref in refs:
        try:
            data = ref.read(settings.max_bytes)
        except (OSError, ValueError, PlanxError) as e:
            read_errors[ref.name] = {"stage": "read", "cause": getattr(e, "cause", None) or str(e) or type(e).__name__}
            continue
        sha = hashlib.sha256(data).hexdigest()
        sha_of[ref.name] = sha
        if sha not in todo and not store.has(sha):
            todo[sha] = ref

    bar = _progress(len(refs), progress)
    bar.update(len(refs) - len(todo))

    def tasks() -> Iterator[Task]:
        for sha, ref in todo.items():
            try:
                data = ref.read(settings.max_bytes)
            except (OSError, ValueError, PlanxError) as e:  # vanished since it was listed
                read_errors[ref.name] = {"stage": "read", "cause": getattr(e, "cause", None) or str(e)}
                continue
            if hashlib.sha256(data).hexdigest() != sha:
                read_errors[ref.name] = {"stage": "read", "cause": "the file changed while it was ingested"}
                continue
            yield sha, ref.name, data

    runner = (DaskEngine(scheduler, workers, settings) if engine == "dask"
              else LocalEngine(workers, settings))
    for sha, part, rss_mb in runner.run(tasks()):
        store.put(sha, part)
        summary.extracted += 1
        summary.peak_rss_mb_worker = max(summary.peak_rss_mb_worker, rss_mb)
        bar.update(1)
    bar.close()
    _finalize(out, store, refs, sha_of, read_errors, summary)
    summary.seconds = time.perf_counter() - t0
    summary.peak_rss_mb_main = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    atomic_write(out / "summary.json", json.dumps(
        {k: v for k, v in asdict(summary).items() if k not in ("seconds", "extracted", "peak_rss_mb_worker",
                                                                 "peak_rss_mb_main")},
        ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"))
    return summary


def _finalize(out: Path, store: Store, refs: list[InputRef], sha_of: dict[str, str],
              read_errors: dict[str, dict], summary: IngestSummary) -> None:
    plans_tmp = out / ".plans.jsonl.tmp"
    errors: list[dict] = []
    duplicates: list[dict] = []
    first_name: dict[str, str] = {}
    tables = TableWriter(out / "tables")
    with open(plans_tmp, "wb") as plans_fh:
        for ref in refs:
            name = ref.name
            if name in read_errors or name not in sha_of:
                err = read_errors.get(name) or {"stage": "read", "cause": ref.error or "unreadable"}
                errors.append({"file": name, "sha256": None, **err})
                continue
            sha = sha_of[name]
            if not store.has(sha):  # its read failed during this run
                errors.append({"file": name, "sha256": sha, "stage": "read", "cause": "not extracted"})
                continue
            if sha in first_name:
                duplicates.append({"file": name, "sha256": sha, "same_as": first_name[sha]})
                summary.duplicates += 1
                continue
            first_name[sha] = name
            part = store.get(sha)
            if part["error"] is not None:
                errors.append({"file": name, "sha256": sha, **part["error"]})
            if part["plans"]:
                summary.with_plans += 1
            for plan in part["plans"]:
                plan["source"]["path"] = name
                plans_fh.write((json.dumps(plan, ensure_ascii=False) + "\n").encode("utf-8"))
                tables.add(flatten(plan))
                summary.plans += 1
        plans_fh.flush()
        os.fsync(plans_fh.fileno())
    os.replace(plans_tmp, out / "plans.jsonl")
    tables.close()
    summary.errors = len(errors)  # a part has an error only when it has no plan
    for e in errors:
        summary.by_stage[e["stage"]] = summary.by_stage.get(e["stage"], 0) + 1
    atomic_write(out / "errors.jsonl", b"".join(jsonl_lines(iter(errors))))
    atomic_write(out / "duplicates.jsonl", b"".join(jsonl_lines(iter(duplicates))))
    build_duckdb(out)
