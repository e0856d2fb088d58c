"""Benchmarks (never asserted in unit tests; the README carries their figures).

    python scripts/bench.py throughput [--mb 20]     pipeline chars/s on the corpus repeated to ≥ MB,
                                                     per-stage time, peak RSS, ratio to jieba.lcut
    python scripts/bench.py scaling                  time against document length, 1 KB … 1 MB
    python scripts/bench.py ingest [--files 100000]  planx ingest of N files into DuckDB (2 workers)

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
    planx_s = jieba_s = 0.0
    plans = 0
    chunks = 10
    for k in range(chunks):
        part = docs[k::chunks]
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


def ingest_bench(files: int, workers: int) -> dict:
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
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "extractor.cli", "ingest", str(src), "--out", str(tmp / "out"),
                               "--workers", str(workers), "--quiet"], cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - t
        if proc.returncode:
            raise SystemExit(proc.stderr)
        summary = json.loads((tmp / "out" / "summary.json").read_text())
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return {"files": files, "workers": workers, "seconds": round(seconds, 1),
                "files_per_s": round(files / seconds, 1), "plans": summary["plans"], "errors": summary["errors"],
                "peak_rss_mb_per_process": round(child_rss, 1), "summary_line": proc.stdout.splitlines()[0]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["throughput", "scaling", "ingest", "all"])
    ap.add_argument("--mb", type=float, default=20)
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mode", default="rules", help="rules | spacy | full (the pipeline's model stages)")
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba comparison")
    args = ap.parse_args()
    out: dict = {"machine": machine()}
    if args.what in ("throughput", "all"):
        out["throughput"] = throughput(args.mb, args.mode, not args.no_jieba)
    if args.what in ("scaling", "all"):
        out["scaling"] = scaling()
    if args.what in ("ingest", "all"):
        out["ingest"] = ingest_bench(args.files, args.workers)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
