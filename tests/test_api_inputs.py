"""The public API and the readers refuse what is not a text or a regular file, clearly and
at once: no hang on a FIFO, no endless read of a device, no file name probed in a text."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import extractor
from extractor import ReadError

from .conftest import ROOT, seed


def test_a_str_is_text_and_a_path_is_a_file() -> None:
    text = seed("000").read_text(encoding="utf-8")
    from_text = extractor.extract(text)
    from_path = extractor.extract(seed("000"))
    assert [s.heading for s in from_text[0].sections] == [s.heading for s in from_path[0].sections]
    assert extractor.extract(path=str(seed("000")))[0].sections[0].heading == from_path[0].sections[0].heading
    # a string that names a file is text all the same: /etc/passwd is not read
    for text in ("/etc/passwd", "x" * 300):  # no file read, no OSError "File name too long"
        for plan in extractor.extract(text):
            assert plan.source.path is None and plan.source.source_span[1] <= len(text)


@pytest.mark.parametrize("bad", [None, b"bytes", 3, ["a"]])
def test_wrong_types_are_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError):
        extractor.extract(bad)  # type: ignore[arg-type]


def test_a_lone_surrogate_is_a_named_error() -> None:
    with pytest.raises(ReadError, match="surrogate"):
        extractor.extract("一、目标\ud800")


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    for cmd in (["extract"], ["text"], ["show", "--html", str(tmp_path / "s.html")]):
        t = time.monotonic()
        r = subprocess.run([sys.executable, "-m", "extractor.cli", *cmd[:1], str(fifo), *cmd[1:]],
                           capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert time.monotonic() - t < 30
        assert r.returncode == 2 and "not a regular file (a FIFO)" in r.stderr, r.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_refused(tmp_path: Path, device: str) -> None:
    link = tmp_path / "doc.txt"
    link.symlink_to(device)
    with pytest.raises(ReadError, match="a device"):
        extractor.extract(link)
