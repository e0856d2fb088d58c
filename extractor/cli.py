"""The planx command: argument parsing and output only; the work is done elsewhere."""

from __future__ import annotations

import argparse
import json
import os
import sys
import types
from pathlib import Path

from . import __version__
from .errors import PlanxError


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def cmd_extract(args: argparse.Namespace) -> int:
    """One JSON array of the plans of all files (or JSON lines); a file that cannot be read
    gets its line on stderr and exit code 2, and the others are still printed."""
    from .pipeline import MODES, Settings, extract_path_records
    from .records import dump  # the plans' model_dump(mode="json"), without pydantic (~150 ms)

    settings = Settings(stages=MODES[args.mode])
    status = 0
    payload: list[dict] = []
    for path in args.files:
        try:
            plans = extract_path_records(path, settings)
        except PlanxError as e:
            print(f"planx: {e}", file=sys.stderr)
            status = 2
            continue
        if args.jsonl:
            for p in plans:
                print(json.dumps(dump(p), ensure_ascii=False))
        else:
            payload.extend(dump(p) for p in plans)
    if not args.jsonl:
        print(_dump(payload))
    return status


def cmd_text(args: argparse.Namespace) -> int:
    from .read import read_path

    try:
        src = read_path(args.file)
    except PlanxError as e:
        print(f"planx: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(src.text)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .model import json_schema

    print(_dump(json_schema()))
    return 0


def _source_dirs(args: argparse.Namespace) -> list[Path]:
    from .pipeline import corpus_dirs

    return [*(args.corpus or []), *corpus_dirs()]


def cmd_gold_check(args: argparse.Namespace) -> int:
    from .eval.run import gold_stats, load_all

    golds, problems = load_all(args.dir, _source_dirs(args))
    for p in problems:
        print(p)
    if not golds and not problems:
        print(f"planx: no gold files under {args.dir}", file=sys.stderr)
        return 2
    stats = gold_stats(golds)
    print(f"{stats['documents']} gold documents ({stats['traditional_documents']} in traditional script), "
          f"{stats['plans']} plans, {stats['sections']} sections, {stats['goals']} goals, "
          f"{stats['measures']} measures, {stats['schedule']} schedule items, {stats['parties']} parties")
    print("layouts: " + ", ".join(f"{t} {n}" for t, n in stats["layouts"].items()))
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("ok")
    return 0


def cmd_gold_agree(args: argparse.Namespace) -> int:
    from .eval.agreement import agreement
    from .eval.run import format_by_layout, format_report

    ev, problems = agreement(args.first, args.second, _source_dirs(args))
    for p in problems:
        print(p, file=sys.stderr)
    if problems or not ev.docs:
        print(f"planx: {len(problems)} problem(s), {len(ev.docs)} documents compared", file=sys.stderr)
        return 2
    print(format_report(ev, per_doc=args.per_doc).replace(", 0 chars/s", ""))
    print(format_by_layout(ev))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .eval.baselines import BASELINES
    from .eval.run import evaluate, format_by_layout, format_report, load_all, write_json
    from .pipeline import MODES, Settings, extract_path

    if args.practices:
        from .eval.practices import evaluate_practices, format_practices

        for split in ("dev", "test"):
            print(f"practices on gold/{split} items ({args.practices}):")
            print(format_practices(evaluate_practices(args.practices, split)))
        return 0
    golds, problems = load_all(args.gold, _source_dirs(args))
    if problems:
        print(f"planx: the gold has {len(problems)} problem(s); run `planx gold check {args.gold}`", file=sys.stderr)
        return 2
    if args.baseline:
        predictor = BASELINES[args.baseline]
        name = f"baseline:{args.baseline}"
    else:
        settings = Settings(stages=MODES[args.mode])
        unknown = sorted(set(args.without) - set(settings.stages))
        if unknown:
            print(f"planx: no stage {', '.join(unknown)} in mode {args.mode} (its stages: "
                  f"{', '.join(settings.stages)})", file=sys.stderr)
            return 2
        if args.without:
            settings.stages = tuple(s for s in settings.stages if s not in args.without)
        name = f"planx ({args.mode})" + (f" without {','.join(args.without)}" if args.without else "")

        def predictor(g):
            return extract_path(g.source, settings)

    if not golds:
        print(f"planx: no gold files under {args.gold}", file=sys.stderr)
        return 2
    ev = evaluate(golds, predictor, name)
    print(format_report(ev, per_doc=args.per_doc))
    if args.by == "layout":
        print(format_by_layout(ev))
    if args.json:
        write_json(ev, args.json)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import OutputError, ingest
    from .pipeline import MODES, Settings

    settings = Settings(max_seconds=args.timeout, max_bytes=args.max_bytes, stages=MODES[args.mode])
    try:
        summary = ingest([str(p) for p in args.paths], args.out, workers=args.workers, engine=args.engine,
                         scheduler=args.scheduler, settings=settings, progress=not args.quiet,
                         include=args.include, exclude=args.exclude)
    except OutputError as e:
        print(f"planx: {e}", file=sys.stderr)
        return 2
    print(summary.line())
    if summary.by_stage:
        print("errors by stage: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.by_stage.items())))
    print(f"outputs in {args.out}: plans.jsonl, errors.jsonl, duplicates.jsonl, skipped.jsonl, tables/*.parquet, "
          "planx.duckdb")
    return 0


def _cell(v: object) -> str:
    """One value as text: NULL is empty, a list or struct is JSON."""
    if v is None:
        return ""
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def _tsv_cell(v: object) -> str:
    # the escapes of PostgreSQL's text format: a tab, newline or backslash never breaks a row
    return _cell(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(cols: list[str], rows: list[tuple], limit: int = 40) -> str:
    def clip(v: object) -> str:
        text = _cell(v).replace("\n", " ").replace("\t", " ")
        while _width(text) > limit:
            text = text[:-2] + "…"
        return text

    grid = [cols, *([clip(v) for v in r] for r in rows)]
    widths = [max(_width(row[k]) for row in grid) for k in range(len(cols))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in grid]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([*lines, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


def cmd_query(args: argparse.Namespace) -> int:
    import csv

    import duckdb

    db = Path(args.dir) / "planx.duckdb"
    if not db.exists():
        print(f"planx: {db}: no such database (run planx ingest first)", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(args.sql)
        cols = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if cols else []
    except duckdb.Error as e:
        print(f"planx: query failed: {e}", file=sys.stderr)
        return 2
    finally:
        con.close()
    fmt = "json" if args.json else args.format
    if fmt == "json":
        print(json.dumps([dict(zip(cols, r, strict=True)) for r in rows], ensure_ascii=False, default=str))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")  # RFC 4180 quoting
        writer.writerow(cols)
        writer.writerows([_cell(v) for v in r] for r in rows)
    elif fmt == "table":
        print(_table(cols, rows))
    else:
        print("\t".join(_tsv_cell(c) for c in cols))
        for r in rows:
            print("\t".join(_tsv_cell(v) for v in r))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from .show import write_show

    try:
        out = write_show(args.file, args.html, entry=args.entry, db=args.db, plan_id=args.plan)
    except PlanxError as e:
        print(f"planx: {e}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Plans side by side, or (--over-time) each school's plans year by year. Inputs: plan
    JSON, documents of any format, zip archives and entries, or a store selection (--db)."""
    from .compare import (
        as_html,
        as_table,
        compare,
        load_from_ingest,
        load_inputs,
        over_time,
        over_time_html,
        over_time_table,
        stored,
    )

    errors: list[str] = []
    if args.db:
        import duckdb

        try:
            items = [stored(p) for p in load_from_ingest(args.db, args.sql)]
        except (duckdb.Error, OSError) as e:
            print(f"planx: {args.db}: cannot take plans from the store ({e})", file=sys.stderr)
            return 2
    else:
        items = load_inputs([str(p) for p in args.plans], errors)
    for e in errors:
        print(f"planx: {e}", file=sys.stderr)
    if not items:
        print("planx: no plans to compare", file=sys.stderr)
        return 2
    if args.over_time:
        histories = over_time(items)
        print(_dump([h.as_dict() for h in histories]) if args.json else over_time_table(histories))
        page = over_time_html(histories) if args.html else None
    else:
        result = compare([it.plan for it in items])
        print(_dump(result.as_dict()) if args.json else as_table(result))
        page = as_html(result) if args.html else None
    if page is not None:
        Path(args.html).write_text(page, encoding="utf-8")
        print(f"wrote {args.html}", file=sys.stderr)
    return 2 if errors else 0


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .serve import ServeConfig
        from .serve import main as serve
    except ImportError as e:
        print(f"planx: serve needs the serve extra (pip install 'planx[serve]'): {e}", file=sys.stderr)
        return 2
    try:
        config = ServeConfig(workers=ServeConfig().workers if args.workers is None else args.workers,
                             max_queue=args.max_queue, mode=args.mode, timeout=args.timeout,
                             max_bytes=args.max_bytes)
    except ValueError as e:
        print(f"planx: {e}", file=sys.stderr)
        return 2
    return serve(config, host=args.host, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="planx", description="Chinese school plans → structured JSON.")
    p.add_argument("--version", action="version", version=f"planx {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="extract the plans of files (a JSON list per file)")
    e.add_argument("files", nargs="+", type=Path)
    e.add_argument("--jsonl", action="store_true", help="one plan per line")
    e.add_argument("--mode", choices=["rules", "sequence", "spacy", "full"], default="rules",
                   help="rules only (default), + the spaCy models, + the transformer tagger")
    e.set_defaults(func=cmd_extract)

    t = sub.add_parser("text", help="print the source text that every source_span indexes")
    t.add_argument("file", type=Path)
    t.set_defaults(func=cmd_text)

    s = sub.add_parser("schema", help="print the JSON Schema of a plan")
    s.set_defaults(func=cmd_schema)

    g = sub.add_parser("gold", help="gold annotations")
    gsub = g.add_subparsers(dest="gold_command", required=True)
    gc = gsub.add_parser("check", help="validate gold files and print their counts")
    gc.add_argument("dir", type=Path)
    gc.add_argument("--corpus", type=Path, action="append", help="where source documents are (repeatable)")
    gc.set_defaults(func=cmd_gold_check)
    ga = gsub.add_parser("agree", help="agreement of second annotations with the first (the scorer of eval)")
    ga.add_argument("first", type=Path, help="the gold (annotator A), e.g. gold/")
    ga.add_argument("second", type=Path, help="the second annotations (annotator B), e.g. gold/second")
    ga.add_argument("--corpus", type=Path, action="append", help="where source documents are (repeatable)")
    ga.add_argument("--per-doc", action="store_true", help="list documents, worst first")
    ga.set_defaults(func=cmd_gold_agree)

    i = sub.add_parser("ingest", help="extract whole archives: folders, globs, .zip (parallel, resumable)")
    i.add_argument("paths", nargs="+", type=Path)
    i.add_argument("--out", type=Path, required=True)
    i.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    i.add_argument("--engine", choices=["local", "dask"], default="local")
    i.add_argument("--scheduler", default=None, help="Dask scheduler address, tcp://HOST:PORT")
    i.add_argument("--timeout", type=float, default=60.0, help="seconds per file before it is cut off")
    i.add_argument("--max-bytes", type=int, default=50 * 2**20, help="larger files get an error record")
    i.add_argument("--quiet", action="store_true", help="no progress bar")
    i.add_argument("--mode", choices=["rules", "sequence", "spacy", "full"], default="rules")
    i.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="in folders and archives, take only files matching GLOB (repeatable; case counts)")
    i.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="in folders and archives, skip files matching GLOB (repeatable)")
    i.set_defaults(func=cmd_ingest)

    sh = sub.add_parser("show", help="the document with what planx found highlighted, as one HTML page")
    sh.add_argument("file", nargs="?", help="a document, a zip archive's entry (archive.zip!dir/plan.txt), or "
                                            "an archive holding one document")
    sh.add_argument("--entry", help="the entry of the zip archive FILE to show")
    sh.add_argument("--db", type=Path, help="show a stored plan: the ingest's output folder (with --plan)")
    sh.add_argument("--plan", help="the stored plan's id (planx query DIR \"SELECT plan_id, file FROM plans\")")
    sh.add_argument("--html", type=Path, required=True, help="the page to write")
    sh.set_defaults(func=cmd_show)

    c = sub.add_parser("compare", help="plans side by side (practices, parties, schedules; two plans aligned), "
                                       "or a school's plans over the years (--over-time)")
    c.add_argument("plans", nargs="*", type=Path,
                   help="plan JSON (planx extract output, or JSON lines) or documents of any format planx reads, "
                        "zip archives, archive.zip!entry")
    c.add_argument("--over-time", action="store_true",
                   help="each school's plans by academic year: practices, schedule density, parties, carry-over")
    c.add_argument("--db", help="an ingest folder to take plans from (with --sql)")
    c.add_argument("--sql", default="SELECT plan_id FROM plans ORDER BY file, part LIMIT 10",
                   help="a query returning plan ids (with --db)")
    c.add_argument("--json", action="store_true", help="JSON instead of a table")
    c.add_argument("--html", type=Path, help="also write an HTML report")
    c.set_defaults(func=cmd_compare)

    q = sub.add_parser("query", help="run SQL on an ingest's planx.duckdb")
    q.add_argument("dir", type=Path)
    q.add_argument("sql")
    q.add_argument("--format", choices=["tsv", "csv", "json", "table"], default="tsv",
                   help="tsv (default; tab, newline and backslash escaped as \\t \\n \\\\), csv (RFC 4180), "
                        "json (a list of objects), table (aligned, for reading)")
    q.add_argument("--json", action="store_true", help="the same as --format json")
    q.set_defaults(func=cmd_query)

    sv = sub.add_parser("serve", help="an HTTP service: POST /v1/extract, /v1/text; GET /v1/schema, /docs")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8088)
    sv.add_argument("--workers", type=int, default=None, help="extraction processes (default: all cores)")
    sv.add_argument("--max-queue", type=int, default=None,
                    help="requests in flight before 503 + Retry-After (default: 8 per worker)")
    sv.add_argument("--mode", choices=["rules", "sequence", "spacy", "full"], default="rules",
                    help="the default of ?mode= (the workers are warmed for it)")
    sv.add_argument("--timeout", type=float, default=60.0, help="seconds per document before 504")
    sv.add_argument("--max-bytes", type=int, default=50 * 2**20, help="larger uploads get 413")
    sv.set_defaults(func=cmd_serve)

    v = sub.add_parser("eval", help="score planx (or a baseline) against gold")
    v.add_argument("--gold", type=Path, default=Path("gold/test"))
    v.add_argument("--practices", type=Path, help="score the practices taxonomy on this hand-labelled file")
    v.add_argument("--corpus", type=Path, action="append", help="where source documents are (repeatable)")
    v.add_argument("--json", type=Path, help="also write the scores as JSON to this file")
    v.add_argument("--per-doc", action="store_true", help="list documents, worst first")
    v.add_argument("--by", choices=["layout"], help="also report soft F1 per layout (gold files' `layout`)")
    v.add_argument("--baseline", choices=["naive", "jionlp"], help="score a baseline instead of planx")
    v.add_argument("--without", nargs="+", default=[], help="switch stages off (ablation)")
    v.add_argument("--mode", choices=["rules", "sequence", "spacy", "full"], default="rules",
                   help="rules only, + the spaCy models, + the transformer tagger")
    v.set_defaults(func=cmd_eval)
    return p


def _without_pydantic_plugins() -> None:
    """In the planx command's own process, pydantic looks for plugins by importing
    importlib.metadata and reading the entry points of every installed distribution: ~40 ms
    of a start-up whose whole budget is 300 ms, to find plugins for planx's own models. A
    stand-in for its loader finds none. Not where pydantic is loaded already, nor where the
    user set PYDANTIC_DISABLE_PLUGINS (pydantic's own switch), nor where pydantic has no
    such loader (outside pydantic 2). Pydantic is not imported here (~50 ms, and
    `planx extract` needs none of it): its loader's file is looked for."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") is not None or "pydantic.plugin._loader" in sys.modules:
        return
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("pydantic")
    where = spec.submodule_search_locations if spec else None
    if not where or not any(os.path.isfile(os.path.join(d, "plugin", "_loader.py")) for d in where):
        return
    loader = types.ModuleType("pydantic.plugin._loader", "planx: no pydantic plugins in the planx command")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules["pydantic.plugin._loader"] = loader


def main(argv: list[str] | None = None) -> int:
    _without_pydantic_plugins()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
