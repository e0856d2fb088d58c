"""Extract one file in a worker: its plans as finished, path-independent output (parts.py),
or an error record.

The result does not depend on the file's name (the outputs add it), so the same bytes give
the same result whichever worker, engine or run handles them. A local worker also reads
and hashes the input and stores the result itself (`process`), and makes the outputs of
each list of inputs it is given finished, names and all (`Fresh`: plans.jsonl bytes, the
table rows as Arrow record batches), so that the main process only lists inputs and copies
finished bytes and batches into the outputs."""

from __future__ import annotations

import ctypes
import dataclasses
import errno
import hashlib
import os
import resource
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any, NamedTuple

from ..errors import LimitError, PlanxError
from ..pipeline import Settings, run
from ..read import detect_format, read_bytes
from . import parts
from .inputs import InputRef, Reader, UnreadableInput
from .store import SCHEMAS, Store, result_key, utf8


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
    return {"plans": [], "error": {"stage": stage, "cause": cause}, "transient": transient}


def extract_bytes(name: str, data: bytes, settings: Settings | None = None, fmt: str | None = None) -> dict:
    """{"plans": [plan dict, …], "error": None} or {"plans": [], "error": {stage, cause}}, the
    plans' source.path None; "transient" is true for a result that was cut off by time
    (another run may finish it)."""
    settings = settings or Settings()
    t = time.perf_counter()
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if use_alarm:  # a hard stop inside a stage, in worker processes (threads cannot take signals)
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, settings.max_seconds)
    try:
        source = dataclasses.replace(read_bytes(data, name, fmt=fmt, max_bytes=settings.max_bytes), path=None)
        plans = run(source, settings)
        result: dict = {"plans": [p.model_dump(mode="json") for p in plans], "error": None, "transient": False}
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


def part_bytes(key: str, result: dict) -> bytes:
    """The stored form of a result (parts.py)."""
    return parts.encode(key, result["error"], result["plans"])


Done = tuple[str, bytes, float, bool]  # (key, part bytes, worker peak memory in MB, transient)


def extract_part(key: str, name: str, data: bytes, settings: Settings | None = None,
                 fmt: str | None = None) -> Done:
    """What a remote (Dask) worker sends back: the main process stores it."""
    result = extract_bytes(name, data, settings, fmt)
    return key, part_bytes(key, result), result["rss_mb"], result["transient"]


def failed_part(key: str, stage: str, cause: str) -> Done:
    """A worker that died or hung: worth another try in a later run."""
    return key, part_bytes(key, _error(stage, cause)), 0.0, True


@dataclass
class Fresh:
    """The outputs of the inputs a worker extracted from one list it was given (or from part of
    it, when they are large), finished for those inputs' names: the main process copies them
    as they are (no per-row work there).
    Row i of `refs` has plans.jsonl bytes `lines[i]` and, in each table, the rows
    `offsets[i]:offsets[i + 1]` of its record batch (Arrow IPC, the table's schema)."""

    keys: list[str] = field(default_factory=list)  # every input of the list that was deferred to this
    refs: list[tuple[str, str, int]] = field(default_factory=list)  # InputRef.key each entry was made for
    errors: list[dict | None] = field(default_factory=list)
    lines: list[bytes] = field(default_factory=list)
    n_lines: list[int] = field(default_factory=list)
    tables: dict[str, tuple[list[int], bytes]] = field(default_factory=dict)  # only tables with rows


def record_batches(entries: list[tuple[dict, dict[str, dict[str, list]]]]) -> dict[str, tuple[list[int], Any]]:
    """The rows of some parts, each with its input's place (InputRef.where) filled into the
    plans table: for each table with rows, the row offset of each part (and the end) and a
    record batch (SCHEMAS). The columns of one type, of all tables, are made one Arrow array
    and sliced: a pa.array call costs far more than a few rows' worth of values."""
    import pyarrow as pa

    by_type: dict[Any, list] = {}
    layout: dict[str, tuple[list[int], list[tuple[Any, int]], int]] = {}
    for table, schema in SCHEMAS.items():
        offsets, present, places, n = [], [], [], 0
        for where, rows in entries:
            offsets.append(n)
            cols = rows.get(table)
            if cols:
                k = len(cols["plan_id"])
                present.append(cols)
                places.append((where, k))
                n += k
        if not n:
            continue
        spans = []
        for f in schema:
            have = by_type.setdefault(f.type, [])
            start, name = len(have), f.name
            if table == "plans" and name in parts.NAME_COLUMNS:
                for where, k in places:
                    have.extend([where[name]] * k)
            else:  # KeyError: not a part of this schema
                have.extend(chain.from_iterable(map(itemgetter(name), present)))
            if len(have) - start != n:
                raise ValueError(f"{table}.{name}: {len(have) - start} rows, not {n}")
            spans.append((f.type, start))
        layout[table] = ([*offsets, n], spans, n)
    arrays = {t: pa.array(values, type=t) for t, values in by_type.items()}
    return {table: (offsets, pa.RecordBatch.from_arrays([arrays[t].slice(start, n) for t, start in spans],
                                                        schema=SCHEMAS[table]))
            for table, (offsets, spans, n) in layout.items()}


FRESH_BYTES = 8 * 2**20


class FreshBuilder:
    """Collects the parts a worker makes from one list of inputs into a Fresh."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.fresh = Fresh()
        self.rows: list[tuple[dict, dict[str, dict[str, list]]]] = []  # (where, part rows) of each entry
        self.size = 0  # bytes of plans.jsonl held: the rows are of the same order

    @property
    def full(self) -> bool:
        """Enough held to be sent before the list ends (large documents: bounded messages)."""
        return self.size >= FRESH_BYTES

    def add(self, ref: InputRef, key: str, part: dict) -> None:
        """One input's part (parts.encode_both's dict), made for this input's name."""
        # all made before anything is kept: an error here leaves the lists in step
        lines = utf8("".join(parts.with_path(line, ref.name) + "\n" for line in part["lines"]))
        entry = (ref.where(), part["rows"])
        fresh = self.fresh
        fresh.keys.append(key)
        fresh.refs.append(ref.key)
        fresh.errors.append(part["error"])
        fresh.lines.append(lines)
        fresh.n_lines.append(len(part["lines"]))
        self.rows.append(entry)
        self.size += len(lines)

    def build(self) -> Fresh | None:
        """The Fresh of what was added (None: nothing was)."""
        import pyarrow as pa

        fresh = self.fresh
        if not fresh.keys:
            return None
        try:
            fresh.tables = {table: (offsets, batch.serialize().to_pybytes())
                            for table, (offsets, batch) in record_batches(self.rows).items()}
        except (pa.ArrowException, KeyError, TypeError, ValueError):
            # only the keys: the main process stops waiting for them and reads them from the
            # store (where they fail alike)
            fresh = Fresh(keys=fresh.keys)
        self._reset()
        return fresh


class Outcome(NamedTuple):
    """What a local worker reports of one input (its result, if any, is in the store)."""

    ref: tuple[str, str, int]  # InputRef.key
    sha256: str | None = None
    fmt: str | None = None
    key: str | None = None  # the result's key (None: it could not be read)
    extracted: bool = False  # extracted now (else: stored by an earlier run, or claimed by another input)
    transient: bool = False
    rss_mb: float = 0.0
    error: dict | None = None  # why it could not be read (stage "read") or extracted (the worker died …)
    fatal: str | None = None  # the output folder cannot be written: the ingest stops
    deferred: bool = False  # extracted now: its outputs come in a Fresh, with the last input of its list
    fresh: Fresh | None = None  # on the last input of a list (or sooner, when large): the deferred inputs' outputs
    lost: tuple[str, ...] = ()  # keys whose Fresh will not come (their worker died): read from the store


DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM)


def process(ref: InputRef, settings: Settings, reader: Reader, store: Store, claims: parts.Claims,
            fresh: FreshBuilder) -> Outcome:
    """Read, hash and (unless a result is stored or claimed already) extract one input, and
    store the result: all in the worker, so the main process does not touch the bytes. The
    outputs of an input extracted now are added to `fresh`."""
    try:
        data = reader.read(ref)
    except UnreadableInput as e:
        return Outcome(ref.key, error={"stage": "read", "cause": e.cause})
    sha = hashlib.sha256(data).hexdigest()
    fmt = detect_format(ref.format_name, data)
    key = result_key(sha, fmt, settings)
    if store.has(key) or not claims.take(key):
        return Outcome(ref.key, sha, fmt, key)
    if store.has(key):  # stored, and its claim given back, between the two looks
        claims.give_back(key)
        return Outcome(ref.key, sha, fmt, key)
    result = extract_bytes(ref.name, data, settings, fmt)
    stored, part = parts.encode_both(key, result["error"], result["plans"])
    try:
        store.put(key, stored, result["transient"])
    except OSError as e:
        if e.errno in DISK_FULL:
            return Outcome(ref.key, sha, fmt, key, fatal=f"cannot write the output folder ({e.strerror or e})")
        raise
    if not result["transient"]:  # the store answers for it now (a part cut off by time is not final)
        claims.give_back(key)
    # the main process writes the outputs from the Fresh, not reading the part back
    fresh.add(ref, key, part)
    return Outcome(ref.key, sha, fmt, key, True, result["transient"], result["rss_mb"], deferred=True)
