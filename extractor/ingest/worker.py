"""Extract one file's bytes in a worker: plans as path-independent JSON, or an error record.

The result does not depend on the file's name (the store adds it), so the same bytes give
the same result whichever worker, engine or run handles them. The worker also serialises
it, so that the main process only writes bytes."""

from __future__ import annotations

import dataclasses
import json
import resource
import signal
import threading
import time
from typing import Any

from ..errors import PlanxError
from ..pipeline import Settings, run
from ..read import read_bytes


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _error(stage: str, cause: str) -> dict:
    return {"plans_json": [], "error": {"stage": stage, "cause": cause}}


def extract_bytes(name: str, data: bytes, settings: Settings | None = None) -> dict:
    """{"plans_json": [plan JSON, …], "error": None} or {"plans_json": [], "error": {stage, cause}}."""
    settings = settings or Settings()
    t = time.perf_counter()
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if use_alarm:  # a hard stop inside a stage, in worker processes (threads cannot take signals)
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, settings.max_seconds)
    try:
        source = dataclasses.replace(read_bytes(data, name, max_bytes=settings.max_bytes), path=None)
        plans = run(source, settings)
        result: dict = {"plans_json": [p.model_dump_json() for p in plans], "error": None}
        if not plans:
            result["error"] = {"stage": "split", "cause": "no plan found in this document"}
    except PlanxError as e:
        result = _error(e.stage, e.cause)
    except _Timeout:
        result = _error("timeout", f"took over {settings.max_seconds:g} s: cut off")
    except RecursionError:
        result = _error("extract", "structure too deep (recursion limit)")
    except Exception as e:
        result = _error("extract", f"internal error: {type(e).__name__}: {e}")
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    result["seconds"] = round(time.perf_counter() - t, 4)
    result["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def part_bytes(sha: str, result: dict) -> bytes:
    """The stored form of a result: JSON with a fixed key order (plans keep the model's order)."""
    plans = ",".join(result["plans_json"])
    error = json.dumps(result["error"], ensure_ascii=False, sort_keys=True)
    return f'{{"error": {error}, "plans": [{plans}], "sha256": "{sha}"}}'.encode()


def extract_part(key: str, name: str, data: bytes, settings: Settings | None = None) -> tuple[str, bytes, float]:
    """What a worker sends back: (key, part bytes, its peak memory in MB)."""
    result = extract_bytes(name, data, settings)
    return key, part_bytes(key, result), result["rss_mb"]


def failed_part(key: str, stage: str, cause: str) -> tuple[str, bytes, float]:
    return key, part_bytes(key, _error(stage, cause)), 0.0
