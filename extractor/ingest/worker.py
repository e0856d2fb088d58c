"""Extract one file's bytes in a worker: plans as path-independent JSON, or an error record.

The result does not depend on the file's name (the store adds it), so the same bytes give
the same result whichever worker, engine or run handles them. The worker also serialises
it, so that the main process only writes bytes."""

from __future__ import annotations

import ctypes
import dataclasses
import json
import os
import resource
import signal
import sys
import threading
import time
from typing import Any

from ..errors import LimitError, PlanxError
from ..pipeline import Settings, run
from ..read import read_bytes


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the ingest that started it dies, even by
    kill -9 (where no clean-up of ours runs). Linux only; elsewhere the pool's own
    clean-up and SIGTERM handling have to do."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the prctl took effect
        os._exit(1)


def _error(stage: str, cause: str, transient: bool = False) -> dict:
    return {"plans_json": [], "error": {"stage": stage, "cause": cause}, "transient": transient}


def extract_bytes(name: str, data: bytes, settings: Settings | None = None, fmt: str | None = None) -> dict:
    """{"plans_json": [plan JSON, …], "error": None} or {"plans_json": [], "error": {stage, cause}};
    "transient" is true for a result that was cut off by time (another run may finish it)."""
    settings = settings or Settings()
    t = time.perf_counter()
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if use_alarm:  # a hard stop inside a stage, in worker processes (threads cannot take signals)
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, settings.max_seconds)
    try:
        source = dataclasses.replace(read_bytes(data, name, fmt=fmt, max_bytes=settings.max_bytes), path=None)
        plans = run(source, settings)
        result: dict = {"plans_json": [p.model_dump_json() for p in plans], "error": None, "transient": False}
        if not plans:
            result["error"] = {"stage": "split", "cause": "no plan found in this document"}
    except PlanxError as e:
        # the time limit checked between stages is a LimitError too: known by the clock
        timed_out = isinstance(e, LimitError) and time.perf_counter() - t >= settings.max_seconds
        result = _error(e.stage, e.cause, transient=timed_out)
    except _Timeout:
        result = _error("timeout", f"took over {settings.max_seconds:g} s: cut off", transient=True)
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


def part_tail(key: str) -> bytes:
    """How every stored part ends: a part cut short (written without fsync, then a crash)
    lacks it."""
    return f'"key": "{key}"}}'.encode()


def part_bytes(key: str, result: dict) -> bytes:
    """The stored form of a result: JSON with a fixed key order (plans keep the model's order),
    its key last, so that a truncated part is told by its end."""
    plans = ",".join(result["plans_json"])
    error = json.dumps(result["error"], ensure_ascii=False, sort_keys=True)
    return f'{{"error": {error}, "plans": [{plans}], '.encode() + part_tail(key)


Done = tuple[str, bytes, float, bool]  # (key, part bytes, worker peak memory in MB, transient)


def extract_part(key: str, name: str, data: bytes, settings: Settings | None = None,
                 fmt: str | None = None) -> Done:
    """What a worker sends back."""
    result = extract_bytes(name, data, settings, fmt)
    return key, part_bytes(key, result), result["rss_mb"], result["transient"]


def failed_part(key: str, stage: str, cause: str) -> Done:
    """A worker that died or hung: worth another try in a later run."""
    return key, part_bytes(key, _error(stage, cause)), 0.0, True
