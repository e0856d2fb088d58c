"""The HTML pages in a real headless browser (Debian's chromium): they load without console
errors, their script runs, and a screenshot shows the highlighted document / the heatmap; on
a phone's viewport (390 px, touch) a tapped passage shows its card within the viewport, and
every legend label has WCAG AA contrast, computed from the page's own styles."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from extractor.compare import as_html, compare
from extractor.pipeline import extract_path
from extractor.show import write_show

from .browser import Page
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
    assert _near(colours, "#abdaf4") and _near(colours, "#80ceb9")  # headings and goals are highlighted
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


# ---- a phone: 390 px wide, touch -----------------------------------------------------------
# The passage is brought into the top of the viewport: an open bottom sheet (a party's card is
# tall) covers the middle, and a user taps what they can see.
_RECT = """(sel, k) => { const el = document.querySelectorAll(sel)[k]; el.scrollIntoView({block: 'start'});
  window.scrollBy(0, -innerHeight / 6);
  const r = el.getClientRects()[0]; return {x: r.left + Math.min(8, r.width / 2), y: r.top + r.height / 2}; }"""
_AFTER_TAP = """(() => { const panel = document.getElementById('panel'), card = panel.querySelector('.card');
  if (!card) return null; const c = card.getBoundingClientRect(), p = panel.getBoundingClientRect();
  const picked = document.querySelector('.x.tapped').getBoundingClientRect();
  return {w: innerWidth, h: innerHeight, scrollW: document.documentElement.scrollWidth, cardTop: c.top,
          cardBottom: c.bottom, panelTop: p.top, panelBottom: p.bottom, pickedTop: picked.top,
          pickedBottom: picked.bottom, kind: card.querySelector('.kind').textContent,
          text: card.querySelector('.text').textContent, facts: [...card.querySelectorAll('dt')].map(d => d.textContent),
          json: card.querySelector('details pre').textContent,
          outlined: document.querySelectorAll('.x.picked').length}; })()"""


def _tap_and_read(page: Page, selector: str, k: int) -> dict:
    point = page.js(f"({_RECT})({selector!r}, {k})")
    page.tap(point["x"], point["y"])
    return page.js(_AFTER_TAP)


def test_phone_tap_shows_the_card_in_the_viewport(tmp_path: Path) -> None:
    html = write_show(seed("002"), tmp_path / "show.html")  # five plans, traditional script, weekly slots
    with Page(390, 844, mobile=True) as page:
        page.open(html)
        assert page.js("document.body.dataset.ready") == "yes" and not page.errors()
        assert page.js("[innerWidth, document.documentElement.scrollWidth]") == [390, 390]  # nothing sideways
        assert page.js("document.getElementById('outline-box').open") is False  # the outline folds away
        n = page.js("document.querySelectorAll('.x').length")
        seen = set()
        # (a piece of a measure that is also a party's mention shows the party's card first)
        for selector, k in (("article .x.goal", 3), ("article .x.measure:not(.party)", 40),
                            ("article .x.activity:not(.party)", 2), ("article .x.party", 30),
                            ("article .x.measure:not(.party)", -1 + n // 10)):
            k = min(k, page.js(f"document.querySelectorAll({selector!r}).length") - 1)
            got = _tap_and_read(page, selector, k)
            assert got is not None, selector
            assert 0 <= got["cardTop"] < got["h"] and got["panelBottom"] <= got["h"] + 1, got  # the card is in view
            assert got["panelTop"] > got["h"] / 3  # a bottom sheet, the document above it
            assert 0 <= got["pickedTop"] and got["pickedBottom"] <= got["panelTop"] + 1, got  # the tapped passage too
            assert got["json"].strip().startswith("{") and "null" not in got["json"]
            assert got["outlined"] >= 1
            seen.add(got["kind"])
            if got["kind"] == "activity":
                assert "when" in got["facts"]
        assert {"goal", "measure", "party"} <= seen
        assert not page.errors(), page.errors()
        page.screenshot(tmp_path / "phone.png")


def test_phone_tap_on_a_schedule_activity(tmp_path: Path, corpus_dir: Path) -> None:
    """A calendar page: tapping a row's activity (not its time) opens the item's card, with the
    time in words and the parties by name."""
    html = write_show(corpus_dir / "0248.html", tmp_path / "show.html")
    with Page(390, 844, mobile=True) as page:
        page.open(html)
        got = _tap_and_read(page, "article .x.activity:not(.time)", 5)
        assert got["kind"] == "activity" and got["facts"][0] == "when"
        assert 0 <= got["cardTop"] < got["h"]
        assert not page.errors()


_CONTRAST = """(() => {
  const rgb = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                     return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const under = el => { // the colour behind an element: its own and its ancestors' backgrounds, composited
    const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let out = [255, 255, 255];
    for (const c of layers.reverse()) out = out.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
    return out; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const out = [];
  for (const el of document.querySelectorAll('.legend .chip')) {
    const s = getComputedStyle(el);
    out.push({label: el.textContent, ratio: ratio(rgb(s.color), under(el))});
    const b = getComputedStyle(el, '::before');
    if (b.content && b.content !== 'none') out.push({label: el.textContent + ' badge ' + b.content,
      ratio: ratio(rgb(b.color), rgb(b.backgroundColor)[3] > 0 ? rgb(b.backgroundColor) : under(el))});
  }
  return out; })()"""


def test_every_legend_label_meets_wcag_aa(tmp_path: Path) -> None:
    html = write_show(seed("000"), tmp_path / "show.html")
    for width, mobile in ((1400, False), (390, True)):
        with Page(width, 900, mobile=mobile) as page:
            page.open(html)
            labels = page.js(_CONTRAST)
            assert {x["label"] for x in labels} >= {"heading", "goal", "measure", "activity", "time", "party", "target"}
            assert sum("badge" in x["label"] for x in labels) == 3  # goal, measure, activity: a letter, not only colour
            assert all(isinstance(x["ratio"], float) and x["ratio"] >= 1 for x in labels), labels
            low = [x for x in labels if x["ratio"] < 4.5]
            assert not low, low


def test_over_time_report_in_the_browser(tmp_path: Path, corpus_dir: Path) -> None:
    from extractor.compare import load_inputs, over_time, over_time_html

    items = load_inputs([str(corpus_dir / f) for f in ("0246.html", "0249.html", "0221.html", "0233.html")])
    page = tmp_path / "ot.html"
    page.write_text(over_time_html(over_time(items)), encoding="utf-8")
    for width, mobile in ((1100, False), (390, True)):
        with Page(width, 900, mobile=mobile) as p:
            p.open(page)
            assert p.js("document.body.dataset.ready") == "yes" and not p.errors()
            assert p.js("[...document.querySelectorAll('.practices-years tr:first-child th')].map(t => t.textContent)") \
                == ["", "2017", "2018", "2021", "2023", "trend"]
            assert p.js("document.documentElement.scrollWidth") <= width  # wide tables scroll in their box
            shot = p.screenshot(tmp_path / f"ot-{width}.png")
            assert any(b > 150 and r < 120 for r, _, b in _colours(shot))  # the heatmap's blue
