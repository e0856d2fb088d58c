"""The package as pip installs it: every package listed, the models and resources shipped as
package data, and (slow) a plain `pip install` into a fresh venv whose planx runs every
--mode with its models found inside the installed package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS


def test_pyproject_lists_every_package_and_ships_the_models() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "extractor").rglob("__init__.py")
             if "__pycache__" not in p.parts}
    assert set(config["packages"]) == found | {"extractor.models"}, "a package is missing from pyproject.toml"
    assert config["package-dir"]["extractor.models"] == "models"
    assert config["package-data"]["extractor.models"] == ["**/*"]
    for name in ("lines", "roles", "items", "tagger"):
        assert (ROOT / "models" / name / "MODEL_CARD.md").exists()


def test_the_models_are_found_in_both_layouts(tmp_path: Path) -> None:
    code = "from extractor.ml import MODELS_DIR; print(MODELS_DIR)"
    env = {k: v for k, v in os.environ.items() if k != "PLANX_MODELS"}
    checkout = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert Path(checkout.stdout.strip()) == ROOT / "models"  # a checkout: its root's models/


_CHECK = """
import json, subprocess, sys
from pathlib import Path
import extractor
from extractor.ml import MODELS_DIR, available
from extractor.pipeline import MODES
package = Path(extractor.__file__).parent
assert "site-packages" in str(package), package
assert MODELS_DIR == package / "models", MODELS_DIR
print(json.dumps({"modes": sorted(MODES), "models": {n: available(n) for n in ("lines", "roles", "items", "tagger")}}))
"""


@pytest.mark.slow
def test_a_plain_pip_install_runs_every_mode(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"{ROOT}[transformer]"],
                         capture_output=True, text=True, timeout=3000)
    assert pip.returncode == 0, pip.stderr[-3000:]
    work = tmp_path / "elsewhere"  # nothing relative to the checkout
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PLANX_MODELS", "PYTHONPATH")}
    env["PLANX_CACHE_DIR"] = str(tmp_path / "cache")
    check = subprocess.run([str(venv / "bin" / "python"), "-c", _CHECK], cwd=work, env=env, capture_output=True,
                           text=True, timeout=300)
    assert check.returncode == 0, check.stderr[-3000:]
    info = json.loads(check.stdout)
    assert all(info["models"].values()), info["models"]
    seed = work / "seed.txt"
    seed.write_bytes(SEEDS[0].read_bytes())
    for mode in info["modes"]:
        proc = subprocess.run([str(venv / "bin" / "planx"), "extract", str(seed), "--mode", mode], cwd=work, env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"--mode {mode}: {proc.stderr[-3000:]}"
        plans = json.loads(proc.stdout)
        assert plans and plans[0]["sections"], f"--mode {mode} found nothing"
    out = work / "out"
    proc = subprocess.run([str(venv / "bin" / "planx"), "ingest", str(seed), "--out", str(out), "--quiet"], cwd=work,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and (out / "planx.duckdb").exists(), proc.stderr[-3000:]
