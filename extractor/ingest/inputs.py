"""What to ingest: files under folders (recursive), globs, and the entries of .zip
archives, in a stable order; what is found but not taken is listed as skipped, with why.

A path named on the command line is always taken. What a folder, a glob or an archive
holds is taken when it has a supported format and passes --include/--exclude; the output
folder is never looked into. `Reader` reads the bytes safely (caps, damaged entries named)
and keeps archives open, so the entries of one archive are read from one open file."""

from __future__ import annotations

import fnmatch
import glob
import os
import stat
import zipfile
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..errors import PlanxError

MAX_ZIP_RATIO = 200  # uncompressed / compressed: more is a zip bomb
MAX_ZIP_TOTAL = 4 * 2**30  # bytes uncompressed in one archive
SUPPORTED = frozenset({".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".docx", ".pdf", ".doc", ".wps"})
ARCHIVE = ".zip"
OPEN_ARCHIVES = 4  # archives kept open by a Reader (entries of one archive mostly come together)


def printable(name: str) -> str:
    """A name as JSON, Parquet and DuckDB can hold it: bytes of a file name that are not
    UTF-8 (which Python keeps as lone surrogates) are written as \\xNN escapes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no file name byte gave
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class InputRef:
    """One input file: a path on disk, or an entry of a zip archive (shown as `archive!entry`).

    `name` is for records only; `key` tells inputs apart (a file named `a.zip!x.txt`, or
    two entries of one archive with the same name, are different inputs)."""

    name: str
    path: str  # on disk (may hold surrogate escapes: os functions take them back as bytes)
    entry: str | None = None
    index: int = -1  # position in the archive's directory (entry names may repeat)
    error: str | None = None  # why it cannot be read at all (found while listing)
    # what the listing saw of it (device, inode, size, mtime, ctime; for an entry, its archive's
    # and its CRC, sizes and offset): while this is unchanged, its bytes' hash is taken from the
    # last run's index instead of reading it again (see run.py); None: always read
    stamp: tuple[int, ...] | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.path, "" if self.entry is None else self.entry, self.index)

    @property
    def format_name(self) -> str:
        """The name whose extension says the format."""
        return self.path if self.entry is None else self.entry

    def where(self) -> dict:
        """The fields that place this input in a record: archive and entry kept apart."""
        if self.entry is None:
            return {"file": self.name, "archive": None, "entry": None, "entry_index": None}
        return {"file": self.name, "archive": printable(self.path), "entry": printable(self.entry),
                "entry_index": self.index}


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


@dataclass
class Inputs:
    refs: list[InputRef] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    """--include / --exclude globs, matched against a path relative to its folder (or an
    archive entry's name) and against its base name; `out` is never looked into."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    out: str | None = None  # the output folder, resolved
    out_id: tuple[int, int] | None = None  # its device and inode: a folder is told by these in a walk

    def why_not(self, rel: str) -> str | None:
        base = rel.rsplit("/", 1)[-1]
        for pat in self.exclude:
            if fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(base, pat):
                return f"excluded by --exclude {printable(pat)}"
        if self.include and not any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(base, p)
                                    for p in self.include):
            return "not matched by --include"
        return None

    def is_out(self, path: str, entry: os.DirEntry | None = None) -> bool:
        if self.out_id is not None and entry is not None:
            # realpath lstat()s every component: in a folder 2,000 deep that was quadratic
            try:
                st = entry.stat()
            except OSError:
                return False
            return (st.st_dev, st.st_ino) == self.out_id
        return self.out is not None and os.path.realpath(path) == self.out


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _unsupported(name: str) -> str:
    ext = PurePosixPath(name).suffix.lower()
    return f"unsupported format ({printable(ext) or 'no extension'})"


def _stamp(st: os.stat_result) -> tuple[int, ...]:
    # ctime as well as mtime: a write always moves ctime, and no one can set it back
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _zip_entries(path: str, filters: Filters, found: Inputs, st: os.stat_result | None = None) -> None:
    name_of = printable(path)
    try:
        archive = zipfile.ZipFile(path)
    except Exception as e:  # hostile central directories raise many kinds of error
        found.refs.append(InputRef(name_of, path, error=f"not a readable zip archive: {type(e).__name__}: {e}"))
        return
    with archive:
        total = 0
        infos = sorted(enumerate(archive.infolist()), key=lambda t: (t[1].filename, t[0]))
        for index, info in infos:
            if info.is_dir():
                continue
            name = f"{name_of}!{printable(info.filename)}"
            why = filters.why_not(info.filename)
            ext = PurePosixPath(info.filename).suffix.lower()
            if why is None and ext == ARCHIVE:
                why = "an archive inside an archive: not opened"
            elif why is None and ext not in SUPPORTED:
                why = _unsupported(info.filename)
            if why:
                found.skipped.append(Skipped(name, why))
                continue
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            error: str | None = None  # listed with its error record: found, not extracted
            if info.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                error = "unsafe path in archive (absolute or with ..): not extracted"
            elif info.flag_bits & 0x1:
                error = "encrypted archive entry (needs a password): not extracted"
            else:
                total += info.file_size
                if (info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO
                        and info.file_size > 2**20):
                    error = f"compression ratio {info.file_size // info.compress_size}:1 (zip bomb?): not extracted"
                elif total > MAX_ZIP_TOTAL:
                    error = f"archive unzips to over {MAX_ZIP_TOTAL} bytes: not extracted"
            stamp = None if st is None else (*_stamp(st), info.CRC, info.file_size, info.compress_size,
                                             info.header_offset)
            found.refs.append(InputRef(name, path, info.filename, index, error=error, stamp=stamp))


def _take(path: str, rel: str, filters: Filters, found: Inputs, named: bool = False) -> None:
    """One path met in a folder or a glob (or, `named`, on the command line)."""
    name = printable(path)
    try:
        st = os.stat(path)  # follows a symlink to what it points to
    except OSError as e:
        if os.path.islink(path):
            found.skipped.append(Skipped(name, "broken symlink"))
        else:
            found.refs.append(InputRef(name, path, error=f"cannot read: {e.strerror or e}"))
        return
    link = "symlink to " if os.path.islink(path) else ""
    if not named:
        if not stat.S_ISREG(st.st_mode):
            found.skipped.append(Skipped(name, f"{link}{_kind(st.st_mode)}: not a regular file"))
            return
        why = filters.why_not(rel)
        if why:
            found.skipped.append(Skipped(name, why))
            return
    ext = os.path.splitext(path)[1].lower()
    if ext == ARCHIVE and stat.S_ISREG(st.st_mode):
        _zip_entries(path, filters, found, st)
    elif named or ext in SUPPORTED:
        # a named FIFO or device gets its error when read
        found.refs.append(InputRef(name, path, stamp=_stamp(st) if stat.S_ISREG(st.st_mode) else None))
    else:
        found.skipped.append(Skipped(name, _unsupported(path)))


def _walk(top: str, filters: Filters, found: Inputs) -> None:
    """Every file under `top`, depth first. A loop, not os.walk: os.walk recurses (a folder
    1,000 deep raised RecursionError and ended the ingest). A folder that cannot be listed
    (no permission, a path longer than PATH_MAX) is an error record naming it."""
    stack = [top]
    while stack:
        root = stack.pop()
        try:
            with os.scandir(root) as it:
                entries = sorted(((e.name, e.path, _is_dir(e), e) for e in it), key=lambda t: t[0], reverse=True)
        except OSError as e:
            found.refs.append(InputRef(printable(root), root, error=f"cannot list folder: {e.strerror or e}"))
            continue
        for _, full, is_dir, entry in entries:  # reversed: the stack gives them back in name order
            if not is_dir:
                _take(full, os.path.relpath(full, top).replace(os.sep, "/"), filters, found)
            elif filters.is_out(full, entry):
                continue  # our own outputs are never inputs
            elif entry.is_symlink():
                found.skipped.append(Skipped(printable(full), "symlink to a folder: not followed (it may loop)"))
            else:
                stack.append(full)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows a symlink, as os.walk does
    except OSError:
        return False


def list_inputs(args: Iterable[str], include: Iterable[str] = (), exclude: Iterable[str] = (),
                out: str | os.PathLike | None = None) -> Inputs:
    """All inputs of the command line, each once, sorted by name, and what was skipped."""
    out_id = None
    if out is not None:
        try:
            st = os.stat(out)
            out_id = (st.st_dev, st.st_ino)
        except OSError:
            pass  # not made yet: nothing of it to find
    filters = Filters(tuple(include), tuple(exclude), os.path.realpath(out) if out is not None else None, out_id)
    found = Inputs()
    walked: list[str] = []  # folders a glob matched, resolved
    for arg in args:
        arg = os.fspath(arg)
        if os.path.isdir(arg):
            if filters.is_out(arg):
                found.skipped.append(Skipped(printable(arg), "the output folder: never an input"))
            else:
                _walk(arg, filters, found)
        elif os.path.lexists(arg):
            _take(arg, os.path.basename(arg), filters, found, named=True)
        elif any(c in arg for c in "*?["):
            for match in sorted(glob.glob(arg, recursive=True)):
                if filters.out is not None and (os.path.realpath(match) + os.sep).startswith(filters.out + os.sep):
                    continue  # our own outputs are never inputs
                if os.path.isdir(match):
                    real = os.path.realpath(match)
                    if not any(real == w or real.startswith(w + os.sep) for w in walked):  # `**` gives subfolders too
                        walked.append(real)
                        _walk(match, filters, found)  # as a folder named on the command line
                else:
                    _take(match, os.path.basename(match), filters, found)
        else:  # a missing path: listed, so that it gets its error record
            found.refs.append(InputRef(printable(arg), arg, error="no such file or folder"))
    unique: dict[tuple[str, str, int], InputRef] = {}
    for ref in found.refs:
        unique.setdefault(ref.key, ref)
    found.refs = sorted(unique.values(), key=lambda r: (r.name, r.key))
    found.skipped = sorted({s.name: s for s in reversed(found.skipped)}.values(), key=lambda s: s.name)
    return found


class UnreadableInput(Exception):
    """An input whose bytes cannot be had; `cause` says why (for its error record)."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class Reader:
    """Reads inputs' bytes, capped at `max_bytes`. Archives stay open (the last few used),
    so that thousands of entries do not each re-open and re-parse their archive."""

    def __init__(self, max_bytes: int, keep: int = OPEN_ARCHIVES) -> None:
        self.max_bytes = max_bytes
        self.keep = keep
        self.archives: OrderedDict[str, zipfile.ZipFile] = OrderedDict()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        while self.archives:
            self.archives.popitem()[1].close()

    def _archive(self, path: str) -> zipfile.ZipFile:
        if path in self.archives:
            self.archives.move_to_end(path)
            return self.archives[path]
        archive = zipfile.ZipFile(path)
        self.archives[path] = archive
        if len(self.archives) > self.keep:
            self.archives.popitem(last=False)[1].close()
        return archive

    def read(self, ref: InputRef) -> bytes:
        if ref.error:
            raise UnreadableInput(ref.error)
        if ref.entry is None:
            from ..read import read_file_bytes

            try:
                return read_file_bytes(ref.path, self.max_bytes)  # regular files only, capped while reading
            except PlanxError as e:
                raise UnreadableInput(e.cause) from e
            except OSError as e:
                raise UnreadableInput(f"cannot read: {e.strerror or e}") from e
        try:
            archive = self._archive(ref.path)
            infos = archive.infolist()
            info = infos[ref.index] if 0 <= ref.index < len(infos) else None
        except Exception as e:
            raise UnreadableInput(f"not a readable zip archive: {type(e).__name__}: {e}") from e
        if info is None or info.filename != ref.entry:
            raise UnreadableInput("the archive changed while it was ingested")
        if info.file_size > self.max_bytes:
            raise UnreadableInput(f"archive entry is {info.file_size} bytes, over the limit of {self.max_bytes}")
        try:
            with archive.open(info) as fh:
                data = fh.read(self.max_bytes + 1)
        except Exception as e:  # bad CRC, a corrupt stream, a lying header …: this entry only
            raise UnreadableInput(f"damaged archive entry: {type(e).__name__}: {e}") from e
        if len(data) > self.max_bytes:
            raise UnreadableInput(f"archive entry unzips to over {self.max_bytes} bytes")
        if len(data) != info.file_size:  # the CRC can agree with a header that lies about the size
            raise UnreadableInput(f"damaged archive entry: {len(data)} bytes where its header says {info.file_size}")
        return data
