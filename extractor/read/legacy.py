"""Legacy Word (.doc) and Kingsoft WPS (.wps) files: LibreOffice in headless mode converts them
to .docx, which the DOCX reader then reads (so numbering, styles, tables and merged cells come
through as they do from Word's own format); where LibreOffice is absent, a .doc is read with
antiword (text and tables as text lines, no styles). Neither tool is a Python package: they are
Debian packages (`make setup` and `.ci/run` install them where apt is available), and a missing
tool is a ReadError that names what to install.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from ..errors import LimitError, ReadError
from .docx import DocxText, read_docx

TIMEOUT_S = 120  # one conversion; a hostile file must not hold a worker for longer
INSTALL = ("reading .doc/.wps needs LibreOffice (apt-get install libreoffice-writer-nogui) "
           "or, for .doc only, antiword (apt-get install antiword)")

_lock = threading.Lock()  # one LibreOffice per profile at a time
_profile: str | None = None


def read_legacy(data: bytes, path: str | None, fmt: str) -> DocxText:
    if "EncryptedPackage".encode("utf-16-le") in data:  # a password-protected .docx is OLE2
        raise ReadError(path, "encrypted Office file: needs a password")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        return read_docx(_convert(soffice, data, path, fmt), path)
    antiword = shutil.which("antiword")
    if antiword and fmt == "doc":
        return _antiword(antiword, data, path)
    raise ReadError(path, INSTALL)


def _profile_dir() -> str:
    """A LibreOffice profile of this process's own (two processes on one profile block each
    other), made at its first conversion and removed at exit."""
    global _profile
    if _profile is None:
        _profile = tempfile.mkdtemp(prefix="planx-lo-")
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def _run(cmd: list[str], path: str | None, what: str) -> subprocess.CompletedProcess[bytes]:
    """Run a converter in its own process group, so that a timeout ends all its processes."""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as e:
        raise ReadError(path, f"cannot start {what}: {e}") from e
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise LimitError(path, f"{what} took over {TIMEOUT_S} s to convert the file: cut off") from None
    except BaseException:  # the caller's own time limit (a signal): leave no converter behind
        _kill(proc)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


_WORD_STREAM = "WordDocument".encode("utf-16-le")  # the stream of Word's (and Kingsoft's) binary format
_WORKS_STREAM = "MatOST".encode("utf-16-le")  # Microsoft Works, the other .wps


def _filter(data: bytes, path: str | None, fmt: str) -> str:
    """LibreOffice's import filter, named: left to guess, LibreOffice reads a file it cannot
    parse as plain text and gives garbage instead of an error."""
    if _WORD_STREAM in data:
        return "MS Word 97"
    if fmt == "wps" and _WORKS_STREAM in data:
        return "MS_Works"
    raise ReadError(path, f"not a word-processor .{fmt}: the file holds no Word document stream "
                          "(another Office file, or damaged)")


def _convert(soffice: str, data: bytes, path: str | None, fmt: str) -> bytes:
    infilter = _filter(data, path, fmt)
    with _lock, tempfile.TemporaryDirectory(prefix="planx-doc-") as tmp:
        src = Path(tmp) / f"in.{fmt}"
        src.write_bytes(data)
        profile = Path(_profile_dir()).as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
               "--nodefault", "--nolockcheck", f"--infilter={infilter}", "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)]
        done = _run(cmd, path, "LibreOffice")
        out = Path(tmp) / "in.docx"
        if not out.is_file() or out.stat().st_size == 0:
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            cause = said[-1] if said else f"exit code {done.returncode}"
            raise ReadError(path, f"LibreOffice cannot read this .{fmt} (damaged, encrypted or not a "
                                  f"word-processor file): {cause[:200]}")
        return out.read_bytes()


def _antiword(antiword: str, data: bytes, path: str | None) -> DocxText:
    with tempfile.TemporaryDirectory(prefix="planx-doc-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        done = _run([antiword, "-m", "UTF-8.txt", "-w", "0", str(src)], path, "antiword")
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(path, f"antiword cannot read this .doc: {said[-1][:200] if said else done.returncode}")
    text = done.stdout.decode("utf-8", "replace").replace("\r", "")
    # antiword writes a blank line after every paragraph: one paragraph, one line, as elsewhere.
    return DocxText("\n".join(line.rstrip() for line in text.split("\n") if line.strip()), (), ())
