"""The README's screenshots, taken in headless Chromium (the DevTools client of tests/browser.py):

- docs/img/show-seed000.png: `planx show` of seed 000 on a desktop;
- docs/img/show-phone.png: the same page on a phone (390 × 844, touch) after tapping a measure;
- docs/img/compare-over-time.png: `planx compare --over-time` of one school's plans over a
  decade (../shared/corpus 0212–0253; skipped where the corpus is absent).

PNGs are reduced to a 256-colour palette to stay small. Run: python scripts/screenshots.py"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.compare import load_inputs, over_time, over_time_html  # noqa: E402
from extractor.pipeline import corpus_dirs  # noqa: E402
from extractor.show import write_show  # noqa: E402
from tests.browser import Page  # noqa: E402

IMG = ROOT / "docs" / "img"


def _small(png: Path, crop: tuple[int, int] | None = None) -> None:
    from PIL import Image

    with Image.open(png) as im:
        im = im.convert("RGB")
        if crop:
            im = im.crop((0, 0, min(crop[0], im.width), min(crop[1], im.height)))
        im.quantize(256, method=Image.Quantize.MEDIANCUT).save(png, optimize=True)
    print(f"{png.relative_to(ROOT)}: {png.stat().st_size // 1024} KB")


def main() -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="planx-shots-"))
    seed = next((ROOT / "corpus" / "seeds").glob("000_*.txt"))
    page = write_show(seed, tmp / "show.html")
    with Page(1400, 1000) as p:
        p.open(page)
        p.screenshot(IMG / "show-seed000.png")
    _small(IMG / "show-seed000.png")
    with Page(390, 844, mobile=True, scale=2) as p:
        p.open(page)
        point = p.js("""(() => { const el = document.querySelectorAll('article .x.measure')[14];
            el.scrollIntoView({block: 'start'}); window.scrollBy(0, -120);
            const r = el.getClientRects()[0]; return [r.left + 20, r.top + r.height / 2]; })()""")
        p.tap(*point)
        p.screenshot(IMG / "show-phone.png")
    _small(IMG / "show-phone.png")
    corpus = next((d for d in corpus_dirs() if (d / "0212.html").exists()), None)
    if corpus is None:
        print("the web corpus is absent: no over-time screenshot")
        return
    items = load_inputs([str(corpus / f"{k:04d}.html") for k in range(212, 254)])
    report = tmp / "over-time.html"
    report.write_text(over_time_html(over_time(items), "planx compare --over-time 0212.html … 0253.html"),
                      encoding="utf-8")
    with Page(1100, 1000) as p:
        p.open(report)
        p.screenshot(IMG / "compare-over-time.png", full=True)
    _small(IMG / "compare-over-time.png", crop=(1100, 1350))


if __name__ == "__main__":
    main()
