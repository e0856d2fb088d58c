"""What to ingest: files under folders (recursive), globs, and the entries of .zip
archives, in a stable order, each with a way to read its bytes safely."""

from __future__ import annotations

import glob
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_ZIP_RATIO = 200  # uncompressed / compressed: more is a zip bomb
MAX_ZIP_TOTAL = 4 * 2**30  # bytes uncompressed in one archive


@dataclass(frozen=True)
class InputRef:
    """One input file: a path on disk, or an entry of a zip archive (`archive!entry`)."""

    name: str
    path: str
    entry: str | None = None
    error: str | None = None  # why it cannot be read at all (found while listing)

    def read(self, max_bytes: int) -> bytes:
        if self.error:
            raise OSError(self.error)
        if self.entry is None:
            from ..read import read_file_bytes

            return read_file_bytes(self.path, max_bytes)  # regular files only, capped while reading
        with zipfile.ZipFile(self.path) as archive:
            info = archive.getinfo(self.entry)
            if info.file_size > max_bytes:
                raise ValueError(f"archive entry is {info.file_size} bytes, over the limit of {max_bytes}")
            with archive.open(info) as fh:
                data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise ValueError(f"archive entry unzips to over {max_bytes} bytes")
            return data


def _zip_entries(path: Path) -> list[InputRef]:
    refs: list[InputRef] = []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        return [InputRef(str(path), str(path), error=f"not a readable zip archive: {e}")]
    with archive:
        total = 0
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            name = f"{path}!{info.filename}"
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if info.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                refs.append(InputRef(name, str(path), info.filename,
                                     error="unsafe path in archive (absolute or with ..): not extracted"))
                continue
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO and info.file_size > 2**20:
                refs.append(InputRef(name, str(path), info.filename,
                                     error=f"compression ratio {info.file_size // info.compress_size}:1 "
                                           f"(zip bomb?): not extracted"))
                continue
            if total > MAX_ZIP_TOTAL:
                refs.append(InputRef(name, str(path), info.filename,
                                     error=f"archive unzips to over {MAX_ZIP_TOTAL} bytes: not extracted"))
                continue
            refs.append(InputRef(name, str(path), info.filename))
    return refs


def _expand(arg: str) -> list[Path]:
    p = Path(arg)
    if p.exists():
        if p.is_dir():
            return sorted(q for q in p.rglob("*") if q.is_file() and not q.is_symlink())
        return [p]
    if any(c in arg for c in "*?["):
        return sorted(Path(q) for q in glob.glob(arg, recursive=True) if Path(q).is_file())
    return [p]  # a missing path: listed, so that it gets its error record


def list_inputs(args: list[str]) -> list[InputRef]:
    """All inputs of the command line, each once, sorted by name."""
    refs: dict[str, InputRef] = {}
    for arg in args:
        for path in _expand(arg):
            if not path.exists():
                refs[str(path)] = InputRef(str(path), str(path), error="no such file or folder")
            elif path.suffix.lower() == ".zip":
                for ref in _zip_entries(path):
                    refs[ref.name] = ref
            else:
                refs[str(path)] = InputRef(str(path), str(path))
    return [refs[k] for k in sorted(refs)]
