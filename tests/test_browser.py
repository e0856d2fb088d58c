"""The HTML pages in a real headless browser (Debian's chromium): they load without console
errors, their script runs, and a screenshot shows the highlighted document / the heatmap."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from extractor.compare import as_html, compare
from extractor.pipeline import extract_path
from extractor.show import write_show

from .conftest import seed

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium on this machine (apt-get install chromium)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


def _browse(page: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.iterdir()))}"
    return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=120)


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def _colours(png: Path) -> set[tuple[int, int, int]]:
    from PIL import Image

    with Image.open(png) as im:
        small = im.convert("RGB").resize((im.width // 4, im.height // 4), Image.NEAREST)
        data = small.get_flattened_data() if hasattr(small, "get_flattened_data") else small.getdata()
        return set(data)


def _near(colours: set[tuple[int, int, int]], hex_colour: str, tol: int = 6) -> bool:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return any(abs(r - x) <= tol and abs(g - y) <= tol and abs(b - z) <= tol for x, y, z in colours)


def test_show_page_in_the_browser(tmp_path: Path) -> None:
    page = write_show(seed("000"), tmp_path / "show.html")
    dom = _browse(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not _console(dom.stderr), _console(dom.stderr)
    assert 'data-ready="yes"' in dom.stdout  # the page's script ran
    assert 'id="outline"' in dom.stdout and "三、工作措施" in dom.stdout
    assert dom.stdout.count('class="x heading') >= 10 and 'class="x measure' in dom.stdout
    shot = tmp_path / "show.png"
    out = _browse(page, tmp_path, "--window-size=1400,1000", f"--screenshot={shot}")
    assert out.returncode == 0 and shot.exists()
    colours = _colours(shot)
    assert _near(colours, "#c8e6c9") and _near(colours, "#bbdefb")  # headings and goals are highlighted
    assert _near(colours, "#37474f")  # the header bar


def test_show_keeps_traditional_script(tmp_path: Path) -> None:
    page = write_show(seed("002"), tmp_path / "show.html")
    html = page.read_text(encoding="utf-8")
    assert "週三下午" in html and "周三下午" not in html.split('id="planx-items"')[0]
    dom = _browse(page, tmp_path, "--dump-dom")
    assert not _console(dom.stderr)
    assert "plan 5/5" in dom.stdout


def test_compare_report_in_the_browser(tmp_path: Path) -> None:
    plans = extract_path(seed("002"))
    page = tmp_path / "compare.html"
    page.write_text(as_html(compare(plans), "seed 002"), encoding="utf-8")
    dom = _browse(page, tmp_path, "--dump-dom")
    assert not _console(dom.stderr)
    assert 'data-ready="yes"' in dom.stdout and 'id="practices"' in dom.stdout and 'id="timeline"' in dom.stdout
    shot = tmp_path / "compare.png"
    out = _browse(page, tmp_path, "--window-size=1000,1200", f"--screenshot={shot}")
    assert out.returncode == 0
    assert any(b > 150 and r < 120 for r, _, b in _colours(shot))  # heatmap cells in blue
