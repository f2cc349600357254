"""The archive commands: ``zhdoc batch``, ``zhdoc index`` and ``zhdoc search``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from zhdoc.limits import MAX_INPUT_BYTES, MAX_INPUT_CHARS

_FORMATS = ("json", "records", "es-bulk", "facts")


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=_positive, default=None, help="worker processes (default: CPU cores)")
    p.add_argument("--chunk-chars", type=_positive, default=1000, help="largest record text, in characters")
    p.add_argument("--max-bytes", type=_positive, default=MAX_INPUT_BYTES, help="skip files larger than this")
    p.add_argument("--max-chars", type=_positive, default=MAX_INPUT_CHARS, help="skip texts longer than this")
    p.add_argument("--locality", help="the reports' locality when their text does not name it")
    p.add_argument("--no-entities", action="store_true", help="structure only, skip entity extraction")
    p.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    p.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds one file may take before it is abandoned and recorded as failed (0: no limit)",
    )


def add_commands(sub: Any) -> None:
    """Register ``batch``, ``index`` and ``search`` on the main parser's subparsers."""
    b = sub.add_parser(
        "batch",
        help="convert many files in parallel, resumably, into OUT_DIR",
        description="Convert files, directories (recursively) and globs into OUT_DIR, one output per distinct "
        "input content (named by its SHA-256). Rerunning skips what is done; failures go to OUT_DIR/errors.jsonl.",
    )
    b.add_argument("inputs", nargs="+", metavar="INPUT")
    b.add_argument("-o", "--output-dir", required=True, metavar="OUT_DIR")
    b.add_argument("--format", choices=_FORMATS, default="json")
    b.add_argument("--es-index", default="zhdoc", help="_index in es-bulk actions ('' to leave it out)")
    b.add_argument("--force", action="store_true", help="rewrite outputs that already exist")
    b.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local: a process pool; dask: a Dask cluster (pip install 'zhdoc[dask]'), see docs/archive.md",
    )
    b.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: an existing cluster's scheduler (tcp://host:8786) instead of a local one",
    )
    b.add_argument(
        "--files-per-task",
        type=_positive,
        default=8,
        help="with --executor dask: inputs converted by one Dask task (fewer tasks, less scheduling)",
    )
    _common(b)
    b.set_defaults(func=_cmd_batch)

    i = sub.add_parser(
        "index",
        help="build or update an SQLite full-text index of the records of INPUTS",
        description="Index INPUTS (files, directories, globs) into DB. Only new or changed inputs are parsed.",
    )
    i.add_argument("db", metavar="DB.sqlite")
    i.add_argument("inputs", nargs="+", metavar="INPUT")
    i.add_argument("--prune", action="store_true", help="also forget indexed files that no longer exist")
    _common(i)
    i.set_defaults(func=_cmd_index)

    s = sub.add_parser("search", help="search an index built by `zhdoc index`")
    s.add_argument("db", metavar="DB.sqlite")
    s.add_argument("query", metavar="QUERY", help="words to find (all required); may be empty with a filter")
    s.add_argument("--org", help="only sections naming this organization (substring of the canonical name)")
    s.add_argument("--studio", help="only sections naming this 委员工作室 (substring)")
    s.add_argument("--year", type=int, help="only reports of this year, or sections mentioning it")
    s.add_argument("--limit", type=_positive, default=10)
    s.add_argument("--json", action="store_true", help="JSON lines, one hit per line")
    s.set_defaults(func=_cmd_search)


def _cmd_batch(args: argparse.Namespace) -> int:
    from zhdoc.batch import Options, run_batch

    if args.scheduler and args.executor != "dask":
        print("zhdoc batch: --scheduler needs --executor dask", file=sys.stderr)
        return 2
    if args.scheduler and args.workers is not None:
        print(
            "zhdoc batch: --workers does not apply with --scheduler (the cluster has its own workers); drop one",
            file=sys.stderr,
        )
        return 2
    opts = Options(
        out_dir=args.output_dir,
        fmt=args.format,
        chunk_chars=args.chunk_chars,
        es_index=args.es_index or None,
        max_bytes=args.max_bytes,
        max_chars=args.max_chars,
        locality=args.locality,
        extract=not args.no_entities,
        force=args.force,
        timeout=args.timeout or None,
    )
    summary = run_batch(
        args.inputs,
        opts,
        workers=args.workers,
        progress=None if args.no_progress else sys.stderr,
        executor=args.executor,
        scheduler=args.scheduler,
        files_per_task=args.files_per_task,
    )
    print(summary.text(), file=sys.stderr)
    if summary.failed:
        print(
            f"zhdoc batch: {summary.failed} input(s) failed; see {Path(args.output_dir) / 'errors.jsonl'}",
            file=sys.stderr,
        )
    return 1 if summary.failed else 0


def _cmd_index(args: argparse.Namespace) -> int:
    import sqlite3

    from zhdoc.indexing import IndexOptions, build_index

    opts = IndexOptions(
        chunk_chars=args.chunk_chars,
        max_bytes=args.max_bytes,
        max_chars=args.max_chars,
        locality=args.locality,
        extract=not args.no_entities,
        timeout=args.timeout or None,
    )
    try:
        report = build_index(
            args.db,
            args.inputs,
            opts,
            workers=args.workers,
            prune=args.prune,
            progress=None if args.no_progress else sys.stderr,
        )
    except (ValueError, sqlite3.Error) as exc:
        print(f"zhdoc index: {exc}", file=sys.stderr)
        return 2
    print(report.text(), file=sys.stderr)
    for path, message in report.errors[:20]:
        print(f"zhdoc index: {path}: {message}", file=sys.stderr)
    if len(report.errors) > 20:
        print(f"zhdoc index: … and {len(report.errors) - 20} more failures", file=sys.stderr)
    return 1 if report.errors else 0


def _display_path(path: str) -> str:
    """A path relative to the working directory when it lies below it (shorter to read)."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _cmd_search(args: argparse.Namespace) -> int:
    import sqlite3

    from zhdoc.export.fts import connect, search

    if not Path(args.db).exists():
        print(
            f"zhdoc search: {args.db}: no such index; build it with `zhdoc index {args.db} INPUTS...`",
            file=sys.stderr,
        )
        return 2
    try:
        conn = connect(args.db, readonly=True)
    except (ValueError, sqlite3.Error) as exc:
        print(f"zhdoc search: {exc}", file=sys.stderr)
        return 2
    tty = sys.stdout.isatty() and not args.json and os.environ.get("NO_COLOR") is None
    mark = ("\x1b[1;31m", "\x1b[0m") if tty else ("«", "»")
    started = time.perf_counter()
    hits = search(
        conn, args.query, org=args.org, year=args.year, studio=args.studio, limit=args.limit, mark=mark
    )
    elapsed = time.perf_counter() - started
    out = sys.stdout
    if args.json:
        for hit in hits:
            out.write(json.dumps(hit.to_json(), ensure_ascii=False) + "\n")
        return 0 if hits else 1
    if not hits:
        print(f"no hits ({elapsed * 1000:.1f} ms)", file=sys.stderr)
        return 1
    for hit in hits:
        where = _display_path(hit.paths[0]) if hit.paths else hit.source_name or ""
        out.write(f"{hit.rank}. {' › '.join(hit.breadcrumb) or '(no heading)'}\n")
        out.write(f"   {hit.snippet}\n")
        page = f" p.{hit.page}" if hit.page else ""
        out.write(f"   {where} [{hit.start}:{hit.end}]{page} score {hit.score:.2f}\n")
    print(f"{len(hits)} hit(s) in {elapsed * 1000:.1f} ms", file=sys.stderr)
    return 0
