"""The Source: the text every `source_span` indexes, and where it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    text: str
    path: str | None
    sha256: str
    format: str  # txt | html | docx | text
    encoding: str | None

    @classmethod
    def from_text(cls, text: str, path: str | None = None) -> Source:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(text=text, path=path, sha256=digest, format="text", encoding=None)
