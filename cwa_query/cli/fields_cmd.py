"""`cwa-query fields`: the fields of an endpoint, with their types and known values.

The fields come from the dialect's built-in catalogue (the same one the linter, the
strategies and the sandbox read) or from `--schema FILE`. Text is one field a line, JSON is
`{"endpoint", "dialect", "schema", "fields": [{"path", "type", "array", "values"}]}`.

>>> import io, contextlib
>>> from cwa_query.cli import main
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     main_code = main(["fields", "Clients", "--dialect", "automate"])
>>> main_code, out.getvalue().splitlines()[2]
(0, 'Id                                         id')
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .._defaults import DEFAULT_DIALECT
from ._args import usage_error

__all__ = ["register", "run"]

_PATH_WIDTH = 42
_TYPE_WIDTH = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `fields` subcommand."""
    parser = subparsers.add_parser(
        "fields",
        help="list an endpoint's fields with their types and known values",
        description="List the fields a condition on ENDPOINT can test (dotted paths into nested objects), "
        "their types (string, integer, decimal, boolean, datetime, id, object, any; [] for an array) and "
        "their known values, from the dialect's built-in catalogue or --schema.",
    )
    parser.add_argument(
        "endpoint", metavar="ENDPOINT", help="an endpoint, e.g. Computers or Computers/{computerId}/Software"
    )
    parser.add_argument(
        "--dialect",
        choices=("seed", "automate", "manage"),
        default=DEFAULT_DIALECT,
        help=f"whose catalogue (default: {DEFAULT_DIALECT}, the real server's; seed: the seed document's)",
    )
    parser.add_argument("--schema", metavar="FILE", help="field schema (JSON) instead of the built-in one")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.set_defaults(run=run, command_name="fields")


def run(args: argparse.Namespace) -> int:
    """Print the fields; 0, or 2 for an unknown endpoint or an unreadable schema."""
    from ..errors import SchemaError
    from ..schema import load_schema

    try:
        schema = load_schema(args.schema, dialect=args.dialect)
        endpoint = schema.endpoint(args.endpoint)
        fields = schema.fields(endpoint)
    except SchemaError as exc:
        return usage_error(args, str(exc))
    rows: list[dict[str, Any]] = [
        {
            "path": info.path,
            "type": info.type,
            "array": info.array,
            "values": list(info.values) if info.values else None,
        }
        for info in fields.values()
    ]
    if args.format == "json":
        document = {"endpoint": endpoint, "dialect": args.dialect, "schema": schema.name, "fields": rows}
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    where = f"{schema.name} catalogue" if args.schema is None else f"schema {schema.name!r}"
    print(f"{endpoint} ({where}): {len(rows)} fields")
    print(f"{'FIELD':<{_PATH_WIDTH}} {'TYPE':<{_TYPE_WIDTH}} VALUES".rstrip())
    for row in rows:
        kind = row["type"] + ("[]" if row["array"] else "")
        values = ", ".join(row["values"]) if row["values"] else ""
        print(f"{row['path']:<{_PATH_WIDTH}} {kind:<{_TYPE_WIDTH}} {values}".rstrip())
    return 0
