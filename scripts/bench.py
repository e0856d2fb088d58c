"""Benchmarks (never asserted in unit tests; the README carries their figures).

    python scripts/bench.py throughput [--mb 20]     pipeline chars/s on the corpus repeated to ≥ MB,
                                                     per-stage time, peak RSS, ratio to jieba.lcut
    python scripts/bench.py scaling                  time against document length, 1 KB … 1 MB
    python scripts/bench.py ingest [--files 100000]  planx ingest of N files into DuckDB (2 workers);
                       [--scaling] [--rerun]         also with 1 worker (the files/s ratio), and a no-op
                                                     re-run of the same command (its share of the full run)
    python scripts/bench.py startup [--runs 7]       wall time of `planx extract` of one small file, each
                                                     run a fresh process (median, min, max)
    python scripts/bench.py serve [--requests 2000 --concurrency 16 --workers 2 --max-queue M]
                                                     planx serve over loopback: the seeds as uploads,
                                                     requests/s, p50/p99 latency, non-200 answers

The corpus is corpus/seeds plus the web corpus (PLANX_CORPUS, default ../shared/corpus).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus_texts() -> list[str]:
    files = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    shared = Path(os.environ.get("PLANX_CORPUS", ROOT.parent / "shared" / "corpus"))
    files += sorted(shared.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, commit {commit}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def throughput(mb: float, mode: str = "rules", with_jieba: bool = True) -> dict:
    import jieba

    from extractor.pipeline import MODES, Settings, run
    from extractor.read import Source

    texts = corpus_texts()
    size = sum(len(t.encode("utf-8")) for t in texts)
    reps = max(1, int(mb * 2**20 / size) + 1)
    docs = texts * reps
    chars = sum(map(len, docs))
    nbytes = size * reps
    settings = Settings(stages=MODES[mode])
    run(Source.from_text(texts[0]), settings)  # load lexicons and models once, as a worker does
    jieba.lcut("预热")
    settings.timings.clear()
    # planx and jieba take turns on the same chunks, so that both run under the same machine
    # state (this shared VM's speed drifts by ±15% over a minute; one long run each did not
    # give a stable ratio)
    # Each turn is one pass over the corpus, and planx's caches keyed on text (a heading's role,
    # a furniture line's test …) are emptied before it: a pass meets its documents for the first
    # time, as an archive's batch does, and repeating the corpus to fill the megabytes gains nothing.
    planx_s = jieba_s = 0.0
    plans = 0
    for _ in range(reps):
        part = texts
        _clear_text_caches()
        t = time.perf_counter()
        for d in part:
            plans += len(run(Source.from_text(d), settings))
        planx_s += time.perf_counter() - t
        if with_jieba:
            t = time.perf_counter()
            for d in part:
                jieba.lcut(d)
            jieba_s += time.perf_counter() - t
    if not with_jieba:
        jieba_s = float("nan")
    stages = {k: round(v / planx_s * 100, 1) for k, v in sorted(settings.timings.items(), key=lambda kv: -kv[1])}
    return {"mode": mode, "documents": len(docs), "MB": round(nbytes / 2**20, 1), "chars": chars, "plans": plans,
            "planx_s": round(planx_s, 2), "planx_chars_per_s": round(chars / planx_s),
            "planx_docs_per_s": round(len(docs) / planx_s, 1), "jieba_s": round(jieba_s, 2) if with_jieba else None,
            "jieba_chars_per_s": round(chars / jieba_s) if with_jieba else None,
            "ratio_to_jieba": round(jieba_s / planx_s, 2) if with_jieba else None,
            "stage_share_pct": stages, "peak_rss_mb": round(peak_rss_mb(), 1)}


def _clear_text_caches() -> None:
    """Empty planx's functools caches keyed on text (those of more than a few entries: the
    one-entry loaders of lexicons and models stay)."""
    import functools
    import gc

    for obj in gc.get_objects():
        if (isinstance(obj, functools._lru_cache_wrapper) and getattr(obj, "__module__", "").startswith("extractor")
                and (obj.cache_parameters()["maxsize"] or 0) >= 1000):
            obj.cache_clear()


def scaling() -> list[dict]:
    from extractor.pipeline import run
    from extractor.read import Source

    pool = "\n".join(corpus_texts())
    rows = []
    run(Source.from_text(pool[:2000]))
    for kb in (1, 10, 100, 1000):
        n = kb * 1024
        text = (pool * (n // len(pool) + 1))[: n // 3]  # ~3 bytes per character in UTF-8
        best = float("inf")
        for _ in range(3 if kb < 1000 else 1):
            t = time.perf_counter()
            plans = run(Source.from_text(text))
            best = min(best, time.perf_counter() - t)
        rows.append({"KB": kb, "chars": len(text), "seconds": round(best, 4),
                     "us_per_char": round(best / len(text) * 1e6, 2), "plans": len(plans)})
    return rows


def _planx() -> list[str]:
    """The planx command as a user runs it: the venv's launcher, else `python -m extractor.cli`."""
    launcher = Path(sys.executable).parent / "planx"
    return [str(launcher)] if launcher.exists() else [sys.executable, "-m", "extractor.cli"]


def _timed_ingest(src: Path, out: Path, workers: int) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run([*_planx(), "ingest", str(src), "--out", str(out), "--workers", str(workers), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return seconds, proc.stdout.splitlines()[0]


def ingest_bench(files: int, workers: int, scaling: bool = False, rerun: bool = False) -> dict:
    """`files` inputs (the corpus repeated, a line added to each copy so that all differ) into
    a fresh output folder, with `workers` workers; `scaling` also with 1 worker into another
    (their files/s ratio); `rerun` then runs the same command again (nothing changed: a no-op)."""
    texts = corpus_texts()
    tmp = Path(tempfile.mkdtemp(prefix="planx-bench-"))
    try:
        src = tmp / "in"
        for k in range(files):
            d = src / f"{k // 1000:03d}"
            if k % 1000 == 0:
                d.mkdir(parents=True)
            base = texts[k % len(texts)]
            (d / f"{k:06d}.txt").write_text(f"{base}\n编号{k}\n", encoding="utf-8")  # small edits: all distinct
        result: dict = {"files": files, "workers": workers}
        runs = [1, workers] if scaling and workers != 1 else [workers]
        for w in runs:
            seconds, line = _timed_ingest(src, tmp / f"out{w}", w)
            result[f"workers_{w}"] = {"seconds": round(seconds, 1), "files_per_s": round(files / seconds, 1),
                                      "summary_line": line}
        if len(runs) == 2:
            result["speedup"] = round(result["workers_1"]["seconds"] / result[f"workers_{workers}"]["seconds"], 2)
        summary = json.loads((tmp / f"out{workers}" / "summary.json").read_text())
        result.update(plans=summary["plans"], errors=summary["errors"],
                      peak_rss_mb_per_process=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1))
        if rerun:
            seconds, line = _timed_ingest(src, tmp / f"out{workers}", workers)
            full = result[f"workers_{workers}"]["seconds"]
            result["rerun"] = {"seconds": round(seconds, 2), "share_of_full_run_pct": round(seconds / full * 100, 2),
                               "summary_line": line}
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def startup_bench(runs: int, file: Path) -> dict:
    """`planx extract FILE` as a user runs it per file: a fresh process each time, output
    discarded. The first run is left out of the figures: it fills the start-up cache, and
    writes planx's .pyc files as any run does, also where the environment says not to
    (PYTHONDONTWRITEBYTECODE, set in some sandboxes: without them every run compiles planx's
    modules from source, ~0.05 s)."""
    cmd = [*_planx(), "extract", str(file)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True, env=env)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    times.sort()
    return {"file": str(file), "bytes": file.stat().st_size, "runs": runs, "median_s": round(times[len(times) // 2], 3),
            "min_s": round(times[0], 3), "max_s": round(times[-1], 3), "all_s": [round(x, 3) for x in times]}


def serve_bench(requests: int, concurrency: int, workers: int, max_queue: int | None) -> dict:
    """A bounded load test of `planx serve`: `requests` uploads of the seeds, `concurrency` at a
    time, from one asyncio client on the same machine (which takes CPU from the server)."""
    import asyncio
    import socket

    import httpx

    seeds = [(p.name, p.read_bytes()) for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "extractor.cli", "serve", "--port", str(port), "--workers", str(workers)]
    if max_queue:
        cmd += ["--max-queue", str(max_queue)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                ready = httpx.get(url + "/ready", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("planx serve did not start")
            time.sleep(0.2)
        latencies: list[tuple[float, int]] = []
        statuses: dict[int, int] = {}

        async def load() -> None:
            todo = iter(range(requests))
            limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
            async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
                async def user() -> None:
                    for k in todo:
                        name, data = seeds[k % len(seeds)]
                        t = time.perf_counter()
                        r = await client.post("/v1/extract", files={"file": (name, data, "text/plain")})
                        latencies.append((time.perf_counter() - t, r.status_code))
                        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

                await asyncio.gather(*(user() for _ in range(concurrency)))

        t = time.perf_counter()
        asyncio.run(load())
        seconds = time.perf_counter() - t

        def ms(xs: list[float], q: float) -> float | None:
            return round(sorted(xs)[int(len(xs) * q)] * 1000, 1) if xs else None

        every = [x for x, _ in latencies]
        ok = [x for x, status in latencies if status == 200]
        return {"requests": requests, "concurrency": concurrency, "workers": workers,
                "max_queue": ready.json()["max_queue"], "seconds": round(seconds, 2),
                "requests_per_s": round(requests / seconds, 1), "ok_per_s": round(len(ok) / seconds, 1),
                "p50_ms": ms(every, 0.5), "p99_ms": ms(every, 0.99),
                "ok_p50_ms": ms(ok, 0.5), "ok_p99_ms": ms(ok, 0.99),
                "non_200": {str(k): v for k, v in sorted(statuses.items()) if k != 200}}
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["throughput", "scaling", "ingest", "startup", "serve", "all"])
    ap.add_argument("--mb", type=float, default=20)
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scaling", action="store_true", help="ingest: also with 1 worker (the speed-up)")
    ap.add_argument("--rerun", action="store_true", help="ingest: then a no-op re-run of the same command")
    ap.add_argument("--runs", type=int, default=7, help="startup: how many runs")
    ap.add_argument("--file", type=Path, default=ROOT / "corpus" / "seeds" / "001_bac17d6412366440.txt",
                    help="startup: the file to extract")
    ap.add_argument("--mode", default="rules", help="rules | spacy | full (the pipeline's model stages)")
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba comparison")
    ap.add_argument("--requests", type=int, default=2000, help="serve: how many uploads")
    ap.add_argument("--concurrency", type=int, default=16, help="serve: uploads at a time")
    ap.add_argument("--max-queue", type=int, default=None, help="serve: the server's --max-queue")
    args = ap.parse_args()
    out: dict = {"machine": machine()}
    if args.what in ("throughput", "all"):
        out["throughput"] = throughput(args.mb, args.mode, not args.no_jieba)
    if args.what in ("scaling", "all"):
        out["scaling"] = scaling()
    if args.what in ("ingest", "all"):
        out["ingest"] = ingest_bench(args.files, args.workers, args.scaling, args.rerun)
    if args.what == "startup":
        out["startup"] = startup_bench(args.runs, args.file)
    if args.what == "serve":  # not in "all": it measures the service, not the pipeline
        out["serve"] = serve_bench(args.requests, args.concurrency, args.workers, args.max_queue)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
