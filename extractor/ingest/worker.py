"""Extract one file's bytes in a worker: plans as path-independent JSON, or an error record.

The result does not depend on the file's name (the store adds it), so the same bytes give
the same result whichever worker, engine or run handles them."""

from __future__ import annotations

import dataclasses
import json
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


def extract_bytes(name: str, data: bytes, settings: Settings | None = None) -> dict:
    """{"plans": [plan JSON, …], "error": None} or {"plans": [], "error": {stage, cause}}."""
    settings = settings or Settings()
    t = time.perf_counter()
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if use_alarm:  # a hard stop inside a stage, in worker processes (threads cannot take signals)
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, settings.max_seconds)
    try:
        source = read_bytes(data, name, max_bytes=settings.max_bytes)
        source = dataclasses.replace(source, path=None)
        plans = run(source, settings)
        result: dict = {"plans": [json.loads(p.model_dump_json()) for p in plans], "error": None}
        if not plans:
            result["error"] = {"stage": "split", "cause": "no plan found in this document"}
    except PlanxError as e:
        result = {"plans": [], "error": {"stage": e.stage, "cause": e.cause}}
    except _Timeout:
        result = {"plans": [], "error": {"stage": "timeout",
                                         "cause": f"took over {settings.max_seconds:g} s: cut off"}}
    except RecursionError:
        result = {"plans": [], "error": {"stage": "extract", "cause": "structure too deep (recursion limit)"}}
    except Exception as e:
        result = {"plans": [], "error": {"stage": "extract", "cause": f"internal error: {type(e).__name__}: {e}"}}
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    result["seconds"] = round(time.perf_counter() - t, 4)
    return result
