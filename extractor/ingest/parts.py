"""The stored form of one result (`.parts/xx/<key>.json`): finished output, so that writing
the outputs is copying, not re-serialising.

A part is JSON with a fixed key order, its key last (a part cut short is told by its end):
`{"error": …, "lines": [plans.jsonl line, …], "rows": {table: {column: [values]}}, "key": …}`.
The lines and the plans table's rows leave out what depends on the input's name (the
plan's `source.path`; `file`, `archive`, `entry`, `entry_index`), which is filled in when the
outputs are written: the same bytes give the same part whatever they are called.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

PATH_HOLE = '"source": {"path": null'  # where a line's source.path goes (json.dumps' spacing)
NAME_COLUMNS = ("file", "archive", "entry", "entry_index")


def _rows_version() -> str:
    # Rows are made by store.flatten and this module: a part from another version of either
    # (another table schema or flattening) is not reused. In a release this changes with
    # the planx version anyway; in a checkout it follows edits.
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in ("store.py", "parts.py"):
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()[:16]


ROWS_VERSION = _rows_version()


def part_tail(key: str) -> bytes:
    """How every stored part ends: a part cut short (written without fsync, then a crash)
    lacks it."""
    return f'"key": "{key}"}}'.encode()


def columns(rows: dict[str, list[dict]]) -> dict[str, dict[str, list]]:
    """store.flatten's rows (one dict per row) as columns, for the tables that have rows."""
    return {table: {col: [r[col] for r in got] for col in got[0]} for table, got in rows.items() if got}


def encode(key: str, error: dict | None, plans: list[dict]) -> bytes:
    """A part from a worker's result: plan dicts made path-free (source.path is None)."""
    return encode_both(key, error, plans)[0]


def encode_both(key: str, error: dict | None, plans: list[dict]) -> tuple[bytes, dict]:
    """The part's bytes, and the dict that decoding them gives."""
    from .store import flatten

    lines = [json.dumps(p, ensure_ascii=False) for p in plans]
    tables: dict[str, dict[str, list]] = {}
    for plan in plans:
        for table, cols in columns(flatten(plan)).items():
            have = tables.get(table)
            if have is None:
                tables[table] = cols
            else:
                for col, values in cols.items():
                    have[col].extend(values)
    part = {"error": error, "lines": lines, "rows": tables}
    body = json.dumps(part, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    part["key"] = key
    return f"{body[:-1]}, ".encode() + part_tail(key), part


def decode(data: bytes, key: str) -> dict:
    """The part's dict; ValueError when it is not a whole part of this key."""
    part = json.loads(data.decode("utf-8"))
    if (not isinstance(part, dict) or part.get("key") != key or not isinstance(part.get("lines"), list)
            or not isinstance(part.get("rows"), dict)):
        raise ValueError("not a part")
    for line in part["lines"]:
        if not isinstance(line, str) or PATH_HOLE not in line:
            raise ValueError("not a plan line")
    for cols in part["rows"].values():
        if not isinstance(cols, dict) or len({len(v) if isinstance(v, list) else -1 for v in cols.values()}) > 1:
            raise ValueError("ragged rows")
    return part


def with_path(line: str, name: str) -> str:
    """A part's plan line with its source.path filled in (the first, top-level one)."""
    return line.replace(PATH_HOLE, f'"source": {{"path": {json.dumps(name, ensure_ascii=False)}', 1)


class Claims:
    """Which results this run has taken on: a worker that finds a content already claimed
    (another input with the same bytes, in flight or done) does not extract it again.
    One empty file per key in a folder of this run's own, removed when the run ends (a
    killed run's folder is removed by the next). A claim whose final part is stored is given
    back at once (the store says it then): the folder stays small for the end of the run."""

    def __init__(self, parts: Path, run: str) -> None:
        self.folder = parts / f".claims-{run}"

    def make(self) -> Claims:
        import shutil

        for old in self.folder.parent.glob(".claims-*"):
            shutil.rmtree(old, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def take(self, key: str) -> bool:
        try:
            os.close(os.open(self.folder / key, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            return True
        except FileExistsError:
            return False

    def give_back(self, key: str) -> None:
        try:
            os.unlink(self.folder / key)
        except FileNotFoundError:
            pass

    def remove(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)
