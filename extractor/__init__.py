"""planx: Chinese school plan documents → structured, comparable plans.

    >>> import extractor
    >>> plans = extractor.extract("corpus/seeds/000_0d6b1fa32328c360.txt")
    >>> plans[0].sections[0].heading
    '一、问题分析：'
"""

from __future__ import annotations

from pathlib import Path

from .errors import LimitError, PlanxError, ReadError
from .model import SCHEMA_VERSION, Plan, json_schema

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "LimitError", "Plan", "PlanxError", "ReadError", "extract", "json_schema"]


def extract(path_or_text: str | Path, settings: object | None = None) -> list[Plan]:
    """Plans found in a file (a path) or in a text (a str that is not an existing path).

    Raises PlanxError (ReadError, LimitError) naming the file and the cause."""
    from .pipeline import DEFAULT, extract_path, run
    from .read import Source

    cfg = settings or DEFAULT
    if isinstance(path_or_text, Path) or (
        isinstance(path_or_text, str) and "\n" not in path_or_text and len(path_or_text) < 4096
        and Path(path_or_text).is_file()
    ):
        return extract_path(path_or_text, cfg)  # type: ignore[arg-type]
    return run(Source.from_text(str(path_or_text)), cfg)  # type: ignore[arg-type]
