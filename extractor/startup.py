"""Start-up work kept on disk between runs, so that `planx extract one.txt` does not pay
for it every time: compiling planx's regular expressions (the heading lexicon alone is a
17,000-character alternation: ~0.2 s), and tables derived from OpenCC (loading its s2t
dictionaries costs ~0.2 s).

- Regexes: `install()` has `re` look a pattern up here before compiling it. What is stored
  is exactly what `re` hands to `_sre.compile` (the compiled program, flags and groups),
  keyed on the pattern and its flags, so a hit gives a pattern object equal to a fresh
  compile (`Pattern.__eq__` compares the program). Only patterns compiled by planx's own
  modules are stored. CPython 3.11–3.13 only (where `re._compiler.compile` is known);
  elsewhere nothing is installed.
- `remember(name, key)` keeps the result of a function of no arguments, valid while `key`
  (e.g. a library version) is unchanged; `memo(name)` that of a pure function, per
  arguments (the tables planx derives from its lexicons: trie patterns, trigger sets).

The file is `$PLANX_CACHE_DIR` (default `$XDG_CACHE_HOME/planx` or `~/.cache/planx`),
one per Python build; `PLANX_CACHE_DIR=off` switches it off. It is written once, at exit,
atomically, and only when something new was computed; a missing, unreadable or damaged
file only means the work is done again. Like `__pycache__`, it is trusted as the user's own.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

T = TypeVar("T")

MAX_ENTRIES = 4000  # past this, only what this process used is written back (stale patterns go)
_SUPPORTED = (3, 11) <= sys.version_info[:2] <= (3, 13)
_CODE = "I" if array("I").itemsize == 4 else "L"  # sre's code unit is 32 bits

_entries: dict[Any, Any] = {}
_used: set[Any] = set()
_dirty = False
_loaded = False
_installed = False
_original: Callable[..., re.Pattern] | None = None  # re's own compile, once install() replaced it
_pid = os.getpid()


def cache_file() -> str | None:
    """Where the cache lives, or None when it is switched off."""
    where = os.environ.get("PLANX_CACHE_DIR")
    if where is not None and where.strip().lower() in ("", "0", "off", "no", "false"):
        return None
    if not where:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        where = os.path.join(base, "planx")
    tag = f"{sys.implementation.cache_tag}-{sys.hexversion:x}"  # the sre program format is per build
    return os.path.join(where, f"startup-{tag}.marshal")


def _load() -> None:
    global _loaded
    _loaded = True
    path = cache_file()
    if path is None:
        return
    try:
        with open(path, "rb") as fh:
            data = marshal.load(fh)
        if isinstance(data, dict):
            _entries.update(data)
    except (OSError, EOFError, ValueError, TypeError):
        pass  # none yet, or damaged: built again and rewritten


def save() -> None:
    """Write the cache if this process added to it (registered to run at exit)."""
    global _dirty
    path = cache_file()
    if not _dirty or path is None or os.getpid() != _pid:  # a forked worker leaves it to its parent
        return
    keep = _entries if len(_entries) <= MAX_ENTRIES else {k: _entries[k] for k in _used if k in _entries}
    import tempfile  # here: its imports cost a few ms of every start-up

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".startup.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                marshal.dump(keep, fh)
            os.replace(tmp, path)  # readers see the old file or the new one
        except BaseException:
            os.unlink(tmp)
            raise
        _dirty = False
    except (OSError, ValueError):
        pass  # a read-only or full home: the next run compiles again


def remember(name: str, key: object) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Keep a function's result (marshal-able: str, int, tuple, frozenset, dict …) on disk
    while `key` is the same."""

    def wrap(fn: Callable[[], T]) -> Callable[[], T]:
        @wraps(fn)
        def cached() -> T:
            return _lookup(("fn", name, key), fn)

        return cached

    return wrap


def memo(name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Keep the results of a pure function on disk, per arguments: the arguments (hashable,
    marshal-able: str, tuple, frozenset …) are the key, so a changed input is a new entry
    (and the old one goes once the cache is full). The result is marshal-able too."""

    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        @wraps(fn)
        def cached(*args: Any) -> T:
            return _lookup(("fn", f"memo:{name}", args), lambda: fn(*args))

        return cached

    return wrap


def _lookup(k: Any, compute: Callable[[], T]) -> T:
    global _dirty
    if not _loaded:
        _load()
    _used.add(k)
    if k in _entries:
        try:
            return marshal.loads(_entries[k])  # kept as bytes: decoded only when asked for
        except (EOFError, ValueError, TypeError):
            pass
    value = compute()
    try:
        _entries[k] = marshal.dumps(value)
        _dirty = True
    except ValueError:  # not marshal-able: computed every time
        pass
    return value


def _from_planx() -> bool:
    """Is the pattern being compiled for one of planx's modules (and not, say, pydantic's)?"""
    frame = sys._getframe(2)
    for _ in range(6):
        if frame is None:
            return False
        name = frame.f_globals.get("__name__", "")
        if name != "re" and not name.startswith(("re.", "sre_")):
            return name == "extractor" or name.startswith("extractor.")
        frame = frame.f_back
    return False


def install() -> None:
    """Have `re` take planx's compiled patterns from the cache (once per process)."""
    global _installed, _original
    if _installed or not _SUPPORTED or cache_file() is None:
        return
    import _sre
    from re import _compiler, _parser

    original = _original = _compiler.compile

    def cached_compile(p: Any, flags: int = 0) -> re.Pattern:
        global _dirty
        if not isinstance(p, str | bytes) or flags & re.DEBUG:
            return original(p, flags)
        key = (p, flags)
        args = _entries.get(key)
        if args is not None:
            try:
                pattern = _sre.compile(args[0], args[1], array(_CODE, args[2]).tolist(), *args[3:])  # checked by _sre
                _used.add(key)
                return pattern
            except Exception:
                del _entries[key]
        if not _from_planx():
            return original(p, flags)
        # re._compiler.compile, keeping what it passes to _sre.compile
        parsed = _parser.parse(p, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        args = (p, flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        pattern = _sre.compile(*args)
        # the program as bytes: a file of them loads in a memcpy, where lists of ints took 15 ms
        _entries[key] = (*args[:2], array(_CODE, code).tobytes(), *args[3:])
        _used.add(key)
        _dirty = True
        return pattern

    _load()
    _compiler.compile = cached_compile
    _installed = True
    atexit.register(save)


_RESOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resources")


def resource_text(name: str) -> str:
    """The text of a package data file (extractor/resources/NAME): read from the package's
    folder where it is one (an installed or checked-out package: importlib.resources and the
    readers it imports cost ~7 ms of every start-up), else through importlib.resources (a
    zip, other loaders)."""
    try:
        with open(os.path.join(_RESOURCES, name), encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        from importlib import resources

        return resources.files("extractor.resources").joinpath(name).read_text("utf-8")
