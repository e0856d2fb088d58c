"""Write extractor/resources/verbs.txt: the two-character verbs of jieba's dictionary (POS v
or ad, frequency >= 300), with which the party grammar tells a clause's verb from a name's
first word (促进|教师团队, 响应|教科研中心, 明确|政府) and a subject from a mention.

    python scripts/build_verbs.py
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIN_FREQ = 300
# POS-tagged verbs that are a name's own head or end (组长, 处长) or usually begin one (学习共同体)
EXCLUDE = {"组长", "处长", "学习", "组合", "组成", "组建", "在校", "留校"}


def main() -> None:
    words = set()
    for line in resources.files("jieba").joinpath("dict.txt").read_text("utf-8").splitlines():
        w, freq, pos = line.split()
        if len(w) == 2 and pos in ("v", "ad") and int(freq) >= MIN_FREQ and w not in EXCLUDE:
            if all("\u4e00" <= ch <= "\u9fff" for ch in w):
                words.add(w)
    out = ROOT / "extractor" / "resources" / "verbs.txt"
    out.write_text("# two-character verbs from jieba's dictionary (scripts/build_verbs.py)\n"
                   + "\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(words)} verbs")


if __name__ == "__main__":
    main()
