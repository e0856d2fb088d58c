"""The start-up cache (extractor/startup.py): what it gives is what a fresh compile gives,
and a missing, damaged or unwritable cache only costs time. Each case runs planx in a
fresh process with its own PLANX_CACHE_DIR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SEEDS

_FINGERPRINT = """
import hashlib, json, sys
from pathlib import Path
from extractor.pipeline import extract_path
h = hashlib.sha256()
for f in sys.argv[1:]:
    h.update(json.dumps([p.model_dump(mode="json") for p in extract_path(Path(f))], ensure_ascii=False).encode())
print(h.hexdigest())
"""


def _run(code: str, cache: str, *args: str) -> str:
    env = {**os.environ, "PLANX_CACHE_DIR": cache}
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("startup-*.marshal"))


def test_cold_warm_and_off_give_the_same_plans(tmp_path: Path) -> None:
    seeds = [str(s) for s in SEEDS[:3]]
    folder = tmp_path / "cache"
    cold = _run(_FINGERPRINT, str(folder), *seeds)
    assert len(_cache_files(folder)) == 1  # written at exit
    before = _cache_files(folder)[0].stat().st_mtime_ns
    warm = _run(_FINGERPRINT, str(folder), *seeds)
    assert _cache_files(folder)[0].stat().st_mtime_ns == before  # nothing new: not rewritten
    off = _run(_FINGERPRINT, "off", *seeds)
    assert cold == warm == off


def test_every_cached_pattern_equals_a_fresh_compile(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    _run(_FINGERPRINT, str(folder), str(SEEDS[0]))
    check = """
import _sre, marshal, sys
from array import array
from extractor import startup
entries = marshal.load(open(startup.cache_file(), "rb"))
n = 0
for key, args in entries.items():
    if key[0] == "fn":
        continue
    cached = _sre.compile(args[0], args[1], array(startup._CODE, args[2]).tolist(), *args[3:])
    fresh = startup._original(*key)
    assert cached == fresh and cached.groupindex == fresh.groupindex, key  # == compares the program
    n += 1
print(n)
"""
    assert int(_run(check, str(folder))) > 100


def test_a_damaged_or_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    seeds = [str(SEEDS[1])]
    reference = _run(_FINGERPRINT, "off", *seeds)
    folder = tmp_path / "cache"
    _run(_FINGERPRINT, str(folder), *seeds)
    (path,) = _cache_files(folder)
    path.write_bytes(b"\x00garbage" * 100)
    assert _run(_FINGERPRINT, str(folder), *seeds) == reference
    assert path.read_bytes()[:8] != b"\x00garbage"  # rewritten whole
    data = bytearray(path.read_bytes())
    data[len(data) // 2:] = b""  # cut short
    path.write_bytes(bytes(data))
    assert _run(_FINGERPRINT, str(folder), *seeds) == reference
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")  # the cache folder cannot be made
    assert _run(_FINGERPRINT, str(blocked / "cache"), *seeds) == reference


def test_extract_cli_with_the_cache(tmp_path: Path) -> None:
    env = {**os.environ, "PLANX_CACHE_DIR": str(tmp_path / "cache")}
    outs = [subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(SEEDS[0])], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120).stdout for _ in range(2)]
    assert outs[0] == outs[1] and json.loads(outs[0])
