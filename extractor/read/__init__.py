"""Stage 1, read: file bytes → Source (the text every source_span indexes)."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..errors import LimitError, ReadError
from .source import Cell, Source, Table
from .txt import decode_text

__all__ = ["Cell", "Source", "Table", "detect_format", "read_bytes", "read_file_bytes", "read_path"]

_EXT = {".txt": "txt", ".text": "txt", ".md": "txt", ".html": "html", ".htm": "html", ".xhtml": "html",
        ".docx": "docx", ".pdf": "pdf", ".doc": "doc", ".wps": "wps"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (.doc, Kingsoft .wps)


def detect_format(path: str | None, data: bytes) -> str:
    """The format by the name's extension, else by the first bytes (a .txt that is really a
    PDF or a .doc is read as one: the bytes win over a text extension)."""
    ext = Path(path).suffix.lower() if path else ""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(OLE2):
        return "wps" if ext == ".wps" else "doc"
    if ext in _EXT:
        return _EXT[ext]
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "txt"


def read_bytes(data: bytes, path: str | None = None, fmt: str | None = None,
               max_bytes: int | None = None) -> Source:
    if max_bytes is not None and len(data) > max_bytes:
        raise LimitError(path, f"file is {len(data)} bytes, over the limit of {max_bytes}", stage="read")
    fmt = fmt or detect_format(path, data)
    encoding: str | None
    tables: tuple[Table, ...] = ()
    furniture: tuple[tuple[int, int], ...] = ()
    title_span = None
    styles: tuple[tuple[int, int, str], ...] = ()
    if fmt == "docx":
        from .docx import read_docx  # here, as pdf and legacy: lxml costs a text file's start-up 30 ms

        got, encoding = read_docx(data, path), None
        text, tables, styles = got.text, got.tables, got.styles
    elif fmt == "pdf":
        from .pdf import read_pdf

        page_text, encoding = read_pdf(data, path), None
        text, tables = page_text.text, page_text.tables
    elif fmt in ("doc", "wps"):
        from .legacy import read_legacy

        got, encoding = read_legacy(data, path, fmt), None
        text, tables, styles = got.text, got.tables, got.styles
    elif fmt == "html":
        from .html import read_page

        markup, encoding = decode_text(data, path)
        page = read_page(markup, path)
        text, tables, furniture, title_span = page.text, page.tables, page.furniture, page.title_span
    else:
        text, encoding = decode_text(data, path)
    if not text.strip():
        raise ReadError(path, "no text: the file holds only whitespace")
    return Source(text=text, path=path, sha256=hashlib.sha256(data).hexdigest(), format=fmt,
                  encoding=encoding, tables=tables, furniture=furniture, title_span=title_span, styles=styles)


def read_path(path: str | Path, max_bytes: int | None = None) -> Source:
    return read_bytes(read_file_bytes(path, max_bytes), str(path), max_bytes=max_bytes)


def read_file_bytes(path: str | Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file (a symlink is followed to one): a FIFO, a device or a
    socket is refused without being opened for reading, and the size cap holds while reading
    (a file that grows, or lies about its size, is never read past it)."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ReadError(str(path), "no such file") from None
    except OSError as e:
        raise ReadError(str(path), f"cannot read: {e.strerror or e}") from e
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(str(path), "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(str(path), f"is not a regular file ({_file_kind(st.st_mode)}): refused")
    if max_bytes is not None and st.st_size > max_bytes:
        raise LimitError(str(path), f"file is {st.st_size} bytes, over the limit of {max_bytes}")
    try:
        # O_NONBLOCK: a file swapped for a FIFO between stat and open must not hang the open
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ReadError(str(path), "is not a regular file: refused")
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except OSError as e:
        raise ReadError(str(path), f"cannot read: {e.strerror or e}") from e
    if max_bytes is not None and len(data) > max_bytes:
        raise LimitError(str(path), f"file is over the limit of {max_bytes} bytes")
    return data


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"
