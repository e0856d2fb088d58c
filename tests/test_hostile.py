"""Hostile and broken inputs: every file in tests/hostile/ has its expected outcome (plans, or
an error naming the file and the cause), and the large ones stay within time and memory."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor import PlanxError, extract
from extractor.read import read_path

from .conftest import ROOT

HOSTILE = Path(__file__).parent / "hostile"
# file -> ("plans", minimum number of sections) or ("error", words the cause must contain)
EXPECTED: dict[str, tuple[str, object]] = {
    "empty.txt": ("error", "empty file"),
    "whitespace.txt": ("error", "only whitespace"),
    "binary.bin": ("error", "binary file"),
    "image_named.txt": ("error", "binary file (PNG image)"),
    "truncated_utf8.txt": ("plans", 3),
    "utf16_nobom.txt": ("plans", 3),
    "mixed_gbk_utf8.txt": ("plans", 3),
    "lone_surrogates.txt": ("plans", 3),
    "control_chars.txt": ("plans", 1),
    "deep_numbering.txt": ("plans", 1),
    "script_and_style.html": ("plans", 3),
    "xxe.docx": ("error", "DTD or entities: refused"),
    "bomb.docx": ("error", "zip bomb"),
    "not_a_zip.docx": ("error", "not a valid .docx"),
    "corrupt_deflate.docx": ("error", "damaged .docx"),
    "ok.docx": ("plans", 3),
}


def test_every_hostile_file_has_an_expected_outcome() -> None:
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(name: str) -> None:
    path = HOSTILE / name
    kind, what = EXPECTED[name]
    if kind == "error":
        with pytest.raises(PlanxError) as err:
            extract(path)
        assert str(path) in str(err.value) and what in str(err.value)
        return
    plans = extract(path)
    assert plans and len(plans[0].sections) >= what
    text = read_path(path).text
    for p in plans:
        for s in p.sections:
            assert 0 <= s.source_span[0] < s.source_span[1] <= len(text)


def test_html_drops_scripts_styles_frames_and_decodes_entities() -> None:
    text = read_path(HOSTILE / "script_and_style.html").text
    assert "alert" not in text and "body{}" not in text and "iframe" not in text
    assert "&amp;" not in text and "&" in text and "\xa0" in text


def test_deep_numbering_is_capped() -> None:
    [plan] = extract(HOSTILE / "deep_numbering.txt")
    assert len(plan.sections) >= 12
    assert max(s.level for s in plan.sections) <= 12


def test_the_cli_reports_every_bad_file_and_goes_on() -> None:
    bad = [str(HOSTILE / n) for n, (k, _) in sorted(EXPECTED.items()) if k == "error"]
    good = [str(HOSTILE / n) for n, (k, _) in sorted(EXPECTED.items()) if k == "plans"]
    out = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", "--jsonl", *bad, *good],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == len(bad)
    assert len(out.stdout.strip().splitlines()) >= len(good)
    assert "Traceback" not in out.stderr


def _child_peak_mb(code: str) -> tuple[float, float, str]:
    """Run `code` in a fresh interpreter; its peak memory (MB), seconds and stdout."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - t
    assert out.returncode == 0, out.stderr[-2000:]
    peak = float(out.stdout.strip().splitlines()[-1])
    return peak, seconds, out.stdout


def _single_line(tmp_path: Path) -> Path:
    unit = "一、指导思想坚持立德树人。二、工作目标1、提高教学质量。2、建设教师队伍。三、主要措施每两周一次集体备课。"
    line = (unit * (20 * 2**20 // len(unit.encode()) + 1)).encode()[: 20 * 2**20]
    line = line[: len(line.decode("utf-8", errors="ignore").encode())]
    path = tmp_path / "single_line.txt"
    path.write_bytes(line)
    return path


@pytest.mark.slow
def test_a_20_mb_single_line_stays_under_1_gb(tmp_path: Path) -> None:
    """With the default limits it is refused quickly with a named LimitError (it holds about
    400,000 run-on items, twice the per-document limit), far under 1 GB."""
    path = _single_line(tmp_path)
    code = (f"import resource, extractor\ntry:\n    extractor.extract(path={str(path)!r})\n    print('plans')\n"
            f"except extractor.LimitError as e:\n    print('LimitError', e.cause)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    peak, seconds, stdout = _child_peak_mb(code)
    print(f"20 MB single line, default limits: {seconds:.1f} s, peak {peak:.0f} MB: {stdout.splitlines()[0]}")
    assert stdout.startswith("LimitError") and "over the limit" in stdout
    assert peak < 1024


@pytest.mark.slow
def test_a_20_mb_single_line_without_limits(tmp_path: Path) -> None:
    """With the limits lifted it runs to the end: the time and memory are reported, not asserted
    beyond staying under 2 GB (every one of its ~400,000 items is a model object)."""
    path = _single_line(tmp_path)
    code = (f"import resource, extractor; from extractor.pipeline import Settings; "
            f"plans = extractor.extract(path={str(path)!r}, settings=Settings(max_seconds=1800, max_units=10**7)); "
            "print(sum(len(p.measures) + len(p.goals) for p in plans)); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    peak, seconds, stdout = _child_peak_mb(code)
    print(f"20 MB single line, no limits: {seconds:.1f} s, peak {peak:.0f} MB, {stdout.splitlines()[0]} items")
    assert int(stdout.splitlines()[0]) > 100_000
    assert peak < 2048


@pytest.mark.slow
def test_100000_numbered_lines(tmp_path: Path) -> None:
    path = tmp_path / "numbered.txt"
    path.write_text("".join(f"{k % 99 + 1}.第{k}项工作要求落实\n" for k in range(100_000)), encoding="utf-8")
    code = (f"import extractor, resource; plans = extractor.extract(path={str(path)!r}); "
            "print(sum(len(p.measures) for p in plans)); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    peak, seconds, stdout = _child_peak_mb(code)
    print(f"100,000 numbered lines: {seconds:.1f} s, peak {peak:.0f} MB")
    assert int(stdout.splitlines()[0]) > 0
    assert peak < 1024
