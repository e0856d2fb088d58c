"""Build extractor/resources/common_chars.txt: the most frequent Chinese characters (from
jieba's dictionary word frequencies) in both scripts. The text reader uses it to tell a
right decoding from mojibake when several encodings decode the same bytes.

    python scripts/build_common_chars.py
"""
from collections import Counter
from pathlib import Path

import jieba
import opencc

TOP = 5000


def main() -> None:
    counts: Counter[str] = Counter()
    dict_path = Path(jieba.__file__).parent / "dict.txt"
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        for ch in word:
            if "\u4e00" <= ch <= "\u9fff":
                counts[ch] += int(freq)
    top = [c for c, _ in counts.most_common(TOP)]
    s2t = opencc.OpenCC("s2t.json")
    chars = set(top)
    for c in top:
        chars.update(s2t.convert(c))
    out = Path(__file__).resolve().parents[1] / "extractor" / "resources" / "common_chars.txt"
    out.write_text("".join(sorted(chars)) + "\n", encoding="utf-8")
    print(f"{len(chars)} characters -> {out}")


if __name__ == "__main__":
    main()
