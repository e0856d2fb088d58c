"""Print a document's blocks as the pipeline sees them (kind, marker, level, section role).

    python scripts/show_blocks.py FILE [--until STAGE]
"""
from __future__ import annotations

import argparse

from extractor.pipeline import STAGES, make_doc
from extractor.read import read_path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--until", default="tag")
    args = ap.parse_args()
    doc = make_doc(read_path(args.file))
    for name, stage in STAGES.items():
        doc = stage(doc)
        if name == args.until:
            break
    for k, p in enumerate(doc.plans):
        print(f"## plan {k + 1} [{p.start}:{p.end}] blocks {p.first_block}-{p.last_block} title={doc.norm[p.title[0]:p.title[1]] if p.title else None!r}")
    for i, b in enumerate(doc.blocks):
        m = f"{b.marker.style}:{b.marker.value}" if b.marker else ""
        sec = ""
        for p in doc.plans:
            if p.first_block <= i < p.last_block and b.section is not None:
                s = p.sections[b.section]
                sec = f"s{b.section}/{s.role}"
        lvl = f"L{b.level}" if b.level else ""
        print(f"{i:3} {b.kind[:4]:4} {m:8} d{b.depth} {lvl:3} {sec:18} {'I' if b.inline else ' '} {doc.norm[b.start:b.end][:50]!r}")


if __name__ == "__main__":
    main()
