"""Engines run the extraction over many files: a local process pool (the default), or a
Dask distributed cluster for archives one machine cannot take. Local workers are given
inputs (InputRef) and read, hash, extract and store each one themselves (worker.process),
answering with an Outcome; Dask workers are given bytes and answer with the part for the
main process to store. Results come as they are ready; the order does not matter to the
store. Local workers die with the ingest (see worker.die_with_parent), and a run that is
stopped (SIGTERM, an error) kills its workers at once."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait

from ..pipeline import Settings
from .inputs import InputRef, Reader
from .parts import Claims
from .store import Store
from .worker import Done, Outcome, die_with_parent, extract_part, process

Task = tuple[str, str, bytes, str]  # (key, name, data, format): for Dask
BATCH = 8  # files per message: fewer round trips between processes


def _worker_loop(conn: Connection, settings: Settings, parent: int, store: Store, claims: Claims) -> None:
    die_with_parent(parent)
    with Reader(settings.max_bytes) as reader:  # its own open archives
        while True:
            try:
                batch = conn.recv()
            except EOFError:
                return
            if batch is None:
                return
            for ref in batch:
                try:
                    done = process(ref, settings, reader, store, claims)
                except Exception as e:  # a bug, not the input's fault: named in its error record
                    done = Outcome(ref.key, error={"stage": "extract", "cause": f"internal error: {type(e).__name__}: {e}"})
                conn.send(done)


class LocalEngine:
    """A pool of worker processes, each given a few files at a time. A worker that does not
    answer within the hard time limit (a hang the in-worker alarm could not stop) is killed
    and replaced: the file it was on gets an error record, the rest of its batch is re-queued."""

    def __init__(self, store: Store, claims: Claims, workers: int | None = None,
                 settings: Settings | None = None) -> None:
        self.store = store
        self.claims = claims
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.settings = settings or Settings()
        self.hard_limit = self.settings.max_seconds * 2 + 10
        methods = mp.get_all_start_methods()
        self.ctx = mp.get_context("fork" if "fork" in methods else "spawn")

    def _start(self) -> tuple[mp.Process, Connection]:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_loop, args=(child, self.settings, os.getpid(), self.store,
                                                           self.claims), daemon=True)
        proc.start()
        child.close()
        return proc, parent

    def run(self, tasks: Iterable[InputRef]) -> Iterator[Outcome]:
        source = iter(tasks)
        requeued: list[InputRef] = []
        idle: list[tuple[mp.Process, Connection]] = [self._start() for _ in range(self.workers)]
        # conn -> (process, tasks not answered yet, when the current one started)
        busy: dict[Connection, tuple[mp.Process, list[InputRef], float]] = {}

        def next_batch() -> list[InputRef]:
            batch = []
            while len(batch) < BATCH:
                task = requeued.pop() if requeued else next(source, None)
                if task is None:
                    break
                batch.append(task)
            return batch

        finished = False
        try:
            while True:
                while idle:
                    batch = next_batch()
                    if not batch:
                        break
                    proc, conn = idle.pop()
                    conn.send(batch)
                    busy[conn] = (proc, batch, time.monotonic())
                if not busy:
                    break
                for conn in wait(list(busy), timeout=1.0):
                    proc, left, _ = busy[conn]  # type: ignore[index]
                    try:
                        done = conn.recv()  # type: ignore[union-attr]
                    except (EOFError, OSError):  # the worker died (out of memory, crash)
                        del busy[conn]  # type: ignore[arg-type]
                        proc.join(timeout=1)
                        yield Outcome(left[0].key, error={"stage": "worker",
                                                          "cause": f"worker process died (exit code {proc.exitcode})"})
                        requeued.extend(left[1:])
                        idle.append(self._start())
                        continue
                    left = [t for t in left if t.key != done.ref]
                    if left:
                        busy[conn] = (proc, left, time.monotonic())  # type: ignore[index]
                    else:
                        del busy[conn]  # type: ignore[arg-type]
                        idle.append((proc, conn))  # type: ignore[arg-type]
                    yield done
                now = time.monotonic()
                for conn, (proc, left, started) in list(busy.items()):
                    if now - started > self.hard_limit:
                        proc.kill()
                        proc.join(timeout=5)
                        del busy[conn]
                        yield Outcome(left[0].key, error={"stage": "timeout",
                                                          "cause": f"no answer after {self.hard_limit:g} s: worker killed"})
                        requeued.extend(left[1:])
                        idle.append(self._start())
            finished = True
        finally:
            procs = [p for p, _ in idle] + [p for p, _, _ in busy.values()]
            if not finished:  # stopped (SIGTERM, an error, the consumer gave up): no waiting
                for proc in procs:
                    proc.kill()
            for _, conn in idle:
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
