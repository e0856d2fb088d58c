"""Batch ingest of whole archives (`planx ingest`): parallel, resumable, lossless.

inputs.py finds the files (folders, globs, zip archives read safely; what is not taken is
listed as skipped); worker.py extracts one file in a worker; engines.py runs workers (a
local process pool, or Dask); store.py keeps one result per file content and settings
(atomic, so an interrupted run resumes; the output folder is locked) and writes the
outputs (plans.jsonl, errors.jsonl, Parquet tables, planx.duckdb)."""

from .run import IngestSummary, ingest
from .store import OutputError

__all__ = ["IngestSummary", "OutputError", "ingest"]
