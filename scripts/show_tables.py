"""Print the tables the reader found in a file: one row per line, cells as the file gives them
(`rowspan`/`colspan` noted), a cell's own paragraphs separated by ` ⏎ `. For annotators and
for debugging the table stage:  python scripts/show_tables.py ../shared/corpus/0229.html"""

import sys

from extractor.read import read_path


def main(path: str) -> None:
    src = read_path(path)
    if not src.tables:
        print("no tables")
    for k, table in enumerate(src.tables):
        print(f"== table {k + 1}: {len(table.rows)} rows, text [{table.start}:{table.end}]")
        for i, row in enumerate(table.rows):
            cells = []
            for c in row:
                spans = "" if (c.rowspan, c.colspan) == (1, 1) else f"<{c.rowspan}x{c.colspan}>"
                cells.append(spans + " ⏎ ".join(src.text[a:b] for a, b in c.parts))
            print(f"{i:3d}: " + " | ".join(cells))


if __name__ == "__main__":
    main(sys.argv[1])
