"""planx: Chinese school plan documents → structured, comparable plans.

    >>> import extractor
    >>> from pathlib import Path
    >>> plans = extractor.extract(Path("corpus/seeds/000_0d6b1fa32328c360.txt"))
    >>> plans[0].sections[0].heading
    '一、问题分析：'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import startup

startup.install()  # before the modules that compile regexes at import

from .errors import LimitError, PlanxError, ReadError  # noqa: E402

if TYPE_CHECKING:
    from .model import Plan

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "LimitError", "Plan", "PlanxError", "ReadError", "extract", "json_schema"]


def __getattr__(name: str) -> Any:
    # The model (pydantic) on first use, not at `import extractor`: the planx command decides
    # first how pydantic starts (cli.py), and `planx --version` needs none of it.
    if name in ("SCHEMA_VERSION", "Plan", "json_schema"):
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def extract(text: str | Path | None = None, settings: object | None = None, *,
            path: str | Path | None = None) -> list[Plan]:
    """Plans found in a text (a `str`) or in a file (a `Path`, or `path=`): a string is always
    text, never probed as a file name.

    Raises PlanxError (ReadError, LimitError) naming the file and the cause, and TypeError for
    anything that is neither text nor a path."""
    from .pipeline import DEFAULT, extract_path, run
    from .read import Source

    cfg = settings or DEFAULT
    if path is not None:
        if text is not None:
            raise TypeError("extract() takes a text or a path=, not both")
        if not isinstance(path, str | Path):
            raise TypeError(f"path must be a str or pathlib.Path, not {type(path).__name__}")
        return extract_path(Path(path), cfg)  # type: ignore[arg-type]
    if isinstance(text, Path):
        return extract_path(text, cfg)  # type: ignore[arg-type]
    if not isinstance(text, str):
        raise TypeError(f"extract() takes the text as a str or a file as a pathlib.Path, not "
                        f"{type(text).__name__}" + (" (decode bytes first, or write them to a file)"
                                                    if isinstance(text, bytes | bytearray) else ""))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ReadError(None, f"the text is not valid Unicode (lone surrogate at {e.start})") from e
    return run(Source.from_text(text), cfg)  # type: ignore[arg-type]
