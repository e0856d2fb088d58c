"""Engines run the extraction over many files: a local process pool (the default), or a
Dask distributed cluster for archives one machine cannot take. Local workers are given
inputs (InputRef) and read, hash, extract and store each one themselves (worker.process),
answering with an Outcome (the finished outputs of each list of inputs come with its last
answer); Dask workers are given bytes and answer with the part for the
main process to store. Results come as they are ready; the order does not matter to the
store. Local workers die with the ingest (see worker.die_with_parent), and a run that is
stopped (SIGTERM, an error) kills its workers at once."""

from __future__ import annotations

import multiprocessing as mp
import os
import selectors
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sized
from multiprocessing.connection import Connection

from ..pipeline import Settings
from .inputs import InputRef, Reader
from .parts import Claims
from .store import Store
from .worker import Done, FreshBuilder, Outcome, die_with_parent, extract_part, process

Task = tuple[str, str, bytes, str]  # (key, name, data, format): for Dask
# Files per list sent to a worker: the outputs of a list's files come back as one Fresh (fewer,
# larger record batches: the per-batch costs are shared); lists shrink near the end, so that
# no worker is left with much while the others have nothing.
BATCH = 32
QUEUED = 2  # lists a worker holds at once: the next is there when it finishes one


def _worker_loop(conn: Connection, settings: Settings, parent: int, store: Store, claims: Claims) -> None:
    die_with_parent(parent)
    fresh = FreshBuilder()
    with Reader(settings.max_bytes) as reader:  # its own open archives
        while True:
            try:
                batch = conn.recv()
            except EOFError:
                return
            if batch is None:
                return
            for k, ref in enumerate(batch):
                try:
                    done = process(ref, settings, reader, store, claims, fresh)
                except Exception as e:  # a bug, not the input's fault: named in its error record
                    done = Outcome(ref.key, error={"stage": "extract", "cause": f"internal error: {type(e).__name__}: {e}"})
                if k == len(batch) - 1 or fresh.full:  # the list's outputs go with its last answer
                    done = done._replace(fresh=fresh.build())
                conn.send(done)


class _Busy:
    """A worker and what it was sent: the inputs not answered yet, in order (lists of them)."""

    def __init__(self, proc: mp.Process) -> None:
        self.proc = proc
        self.left: deque[InputRef] = deque()
        self.lists: deque[int] = deque()  # inputs still to answer in each list sent
        self.started = time.monotonic()  # when the input it is on started
        self.deferred: list[str] = []  # keys answered as deferred whose Fresh has not come yet


class LocalEngine:
    """A pool of worker processes, each given a few files at a time. A worker that does not
    answer within the hard time limit (a hang the in-worker alarm could not stop) is killed
    and replaced: the file it was on gets an error record, the rest of its lists are re-queued."""

    def __init__(self, store: Store, claims: Claims, workers: int | None = None,
                 settings: Settings | None = None) -> None:
        self.store = store
        self.claims = claims
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.settings = settings or Settings()
        self.hard_limit = self.settings.max_seconds * 2 + 10
        methods = mp.get_all_start_methods()
        self.ctx = mp.get_context("fork" if "fork" in methods else "spawn")

    def _start(self) -> tuple[Connection, _Busy]:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_loop, args=(child, self.settings, os.getpid(), self.store,
                                                           self.claims), daemon=True)
        proc.start()
        child.close()
        return parent, _Busy(proc)

    def run(self, tasks: Iterable[InputRef]) -> Iterator[Outcome]:
        source = iter(tasks)
        unsent = len(tasks) if isinstance(tasks, Sized) else None  # for the lists' sizes
        requeued: list[InputRef] = []
        pool: dict[Connection, _Busy] = {}
        ready = selectors.DefaultSelector()  # one for the run: connection.wait() makes one a call

        def start() -> None:
            conn, w = self._start()
            pool[conn] = w
            ready.register(conn, selectors.EVENT_READ)

        for _ in range(self.workers):
            start()

        def next_batch() -> list[InputRef]:
            nonlocal unsent
            size = BATCH
            if unsent is not None:
                size = max(1, min(BATCH, (unsent + len(requeued)) // (QUEUED * self.workers)))
            batch = []
            while len(batch) < size:
                if requeued:
                    task = requeued.pop()
                else:
                    task = next(source, None)
                    if task is None:
                        break
                    if unsent is not None:
                        unsent -= 1
                batch.append(task)
            return batch

        def lost(conn: Connection, w: _Busy) -> tuple[str, ...]:
            """A worker that died or was killed is replaced, the inputs after the one it was on
            re-queued; the keys whose outputs it will not send."""
            del pool[conn]
            ready.unregister(conn)
            conn.close()
            requeued.extend(list(w.left)[1:])
            start()
            return tuple(w.deferred)

        finished = False
        try:
            while True:
                for conn, w in pool.items():  # every worker holds QUEUED lists while there are inputs
                    while len(w.lists) < QUEUED:
                        batch = next_batch()
                        if not batch:
                            break
                        try:
                            conn.send(batch)
                        except OSError:  # it died: seen as such below, when its pipe reads as ended
                            requeued.extend(batch)
                            break
                        if not w.left:
                            w.started = time.monotonic()
                        w.left.extend(batch)
                        w.lists.append(len(batch))
                if not any(w.left for w in pool.values()):
                    break
                for sel, _ in ready.select(timeout=1.0):
                    conn = sel.fileobj
                    w = pool[conn]  # type: ignore[index]
                    if not w.left:  # readable with nothing to answer: an idle worker died
                        w.proc.join(timeout=1)
                        lost(conn, w)  # type: ignore[arg-type]
                        continue
                    try:
                        done = conn.recv()  # type: ignore[union-attr]
                    except (EOFError, OSError):  # the worker died (out of memory, crash)
                        w.proc.join(timeout=1)
                        ref = w.left[0].key
                        yield Outcome(ref, error={"stage": "worker", "cause": "worker process died (exit code "
                                                  f"{w.proc.exitcode})"}, lost=lost(conn, w))  # type: ignore[arg-type]
                        continue
                    if w.left[0].key == done.ref:
                        w.left.popleft()
                    else:  # not in the order sent (cannot happen): dropped wherever it is
                        w.left = deque(t for t in w.left if t.key != done.ref)
                    w.lists[0] -= 1
                    if not w.lists[0]:
                        w.lists.popleft()
                    w.started = time.monotonic()
                    if done.deferred:
                        w.deferred.append(done.key)
                    if done.fresh is not None:
                        w.deferred = []
                    yield done
                now = time.monotonic()
                for conn, w in list(pool.items()):
                    if w.left and now - w.started > self.hard_limit:
                        w.proc.kill()
                        w.proc.join(timeout=5)
                        ref = w.left[0].key
                        yield Outcome(ref, error={"stage": "timeout", "cause": f"no answer after {self.hard_limit:g} s: "
                                                  "worker killed"}, lost=lost(conn, w))
            finished = True
        finally:
            ready.close()
            procs = [w.proc for w in pool.values()]
            if not finished:  # stopped (SIGTERM, an error, the consumer gave up): no waiting
                for proc in procs:
                    proc.kill()
            for conn in pool:
                try:
                    conn.send(None)
                except OSError:
                    pass
            for proc in procs:
                proc.join(timeout=2)
                if proc.is_alive():
                    proc.kill()
                    proc.join(timeout=2)


class DaskEngine:
    """Runs the same extraction on a Dask distributed cluster (`scheduler` = tcp://HOST:PORT),
    or on a local cluster of `workers` processes when no scheduler is given. Each Dask
    worker process imports planx once, so lexicons and models load once per worker."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 settings: Settings | None = None, batch: int = 64) -> None:
        self.scheduler = scheduler
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.settings = settings or Settings()
        self.batch = batch

    def run(self, tasks: Iterable[Task]) -> Iterator[Done]:
        from distributed import Client, LocalCluster, as_completed

        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)
            client = Client(cluster)
        try:
            settings = self.settings
            futures = as_completed()
            in_flight = 0
            batch: list[Task] = []
            it = iter(tasks)
            while True:
                task = next(it, None)
                if task is not None:
                    batch.append(task)
                if batch and (len(batch) >= self.batch or task is None):
                    futures.add(client.submit(_extract_batch, batch, settings, pure=False))
                    in_flight += 1
                    batch = []
                while in_flight and (in_flight >= 4 * self.workers or task is None):
                    done = next(futures)
                    in_flight -= 1
                    yield from done.result()
                if task is None and not in_flight:
                    break
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _extract_batch(batch: list[Task], settings: Settings) -> list[Done]:
    return [extract_part(key, name, data, settings, fmt) for key, name, data, fmt in batch]
