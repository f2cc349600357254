"""The ``zhdoc`` command. Output goes to stdout (or -o); logs and errors to stderr."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from zhdoc import __version__
from zhdoc.errors import ZhdocError
from zhdoc.limits import MAX_INPUT_CHARS, MAX_VIEW_CHARS


def _outline(doc, out: TextIO) -> None:  # type: ignore[no-untyped-def]
    from zhdoc.export.outline import write_outline

    write_outline(doc, out)


def _cmd_parse(args: argparse.Namespace) -> int:
    from zhdoc.export import write_bytes
    from zhdoc.pipeline import parse_file

    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    failures = 0
    try:
        for name in args.files:
            try:
                doc = parse_file(name, **_parse_options(args))
            except (ZhdocError, OSError) as exc:
                print(f"zhdoc: {name}: {exc}", file=sys.stderr)
                failures += 1
                continue
            if args.format in ("json", "jsonl"):
                write_bytes(out, doc.json_bytes(indent=2 if args.indent and args.format == "json" else None))
                out.write("\n")
            elif args.format == "text":
                out.write(doc.text)
            else:
                _outline(doc, out)
    finally:
        if out is not sys.stdout:
            out.close()
    return 1 if failures else 0


def _parse_options(args: argparse.Namespace) -> dict[str, Any]:
    """parse_file's options from the parse options that `parse` and `view` share."""
    return {
        "locality": args.locality,
        "gazetteer": args.gazetteer,
        "max_chars": args.max_chars,
        "extract": not args.no_entities,
        "ner": args.ner.split(":", 1)[0] if args.ner else None,
        "model": args.ner.split(":", 1)[1] if args.ner and ":" in args.ner else None,
        "allow_download": args.allow_download,
    }


def _cmd_view(args: argparse.Namespace) -> int:
    from zhdoc.export.html import render_html
    from zhdoc.pipeline import parse_file

    name = args.file
    try:
        doc = parse_file(name, **_parse_options(args))
        page = render_html(doc, max_chars=args.max_view_chars).encode("utf-8")
    except (ZhdocError, OSError) as exc:
        print(f"zhdoc: {name}: {exc}", file=sys.stderr)
        return 1
    if args.output:
        with open(args.output, "wb") as fh:
            fh.write(page)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(page)
    return 0


def _add_parse_options(p: argparse.ArgumentParser) -> None:
    """The options that decide what a parse finds, shared by ``parse`` and ``view``."""
    p.add_argument("--locality", help="the report's locality when its text does not name it, e.g. 常州市武进区")
    p.add_argument("--gazetteer", metavar="TSV",
                   help="extra organizations: alias<TAB>canonical[<TAB>generic 0/1] per line")
    p.add_argument("--max-chars", type=int, default=MAX_INPUT_CHARS, help="input size limit in characters")
    p.add_argument("--no-entities", action="store_true", help="structure only, skip entity extraction")
    p.add_argument("--ner", metavar="hanlp:MODEL", help="optional statistical NER backend (see README)")
    p.add_argument("--allow-download", action="store_true", help="let the NER backend download its model")


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.record:
        from zhdoc.export.records import record_json_schema

        schema = record_json_schema()
    else:
        from zhdoc.schema import Document

        schema = Document.model_json_schema()
    json.dump(schema, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhdoc", description="Turn Chinese CPPCC (政协) reports into structured, validated JSON."
    )
    parser.add_argument("--version", action="version", version=f"zhdoc {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse files into Document JSON, JSONL or a readable outline")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=["json", "jsonl", "outline", "text"], default="json")
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.add_argument("--indent", action="store_true", help="pretty-print JSON")
    _add_parse_options(p)
    p.set_defaults(func=_cmd_parse)

    v = sub.add_parser("view", help="write a self-contained HTML view of one file (outline, entities, diagnostics)")
    v.add_argument("file", metavar="FILE")
    v.add_argument("-o", "--output", metavar="OUT.html", help="write here instead of stdout")
    v.add_argument("--max-view-chars", type=int, default=MAX_VIEW_CHARS,
                   help="largest text turned into a page, in characters")
    _add_parse_options(v)
    v.set_defaults(func=_cmd_view)

    s = sub.add_parser("schema", help="print the JSON Schema of Document (or of a search record)")
    s.add_argument("--record", action="store_true", help="the schema of a search record instead")
    s.set_defaults(func=_cmd_schema)

    try:
        from zhdoc.cli_archive import add_commands
    except ImportError:  # the archive commands are optional during development
        pass
    else:
        add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ZhdocError as exc:
        print(f"zhdoc: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `zhdoc parse … | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
