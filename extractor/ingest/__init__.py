"""Batch ingest of whole archives (`planx ingest`): parallel, resumable, lossless.

inputs.py finds the files (folders, globs, zip archives read safely); worker.py extracts
one file in a worker; engines.py runs workers (a local process pool, or Dask); store.py
keeps one result per file content (atomic, so an interrupted run resumes) and writes the
outputs (plans.jsonl, errors.jsonl, Parquet tables, planx.duckdb)."""

from .run import IngestSummary, ingest

__all__ = ["IngestSummary", "ingest"]
