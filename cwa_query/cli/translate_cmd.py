"""`cwa-query translate`: render conditions for another dialect."""

from __future__ import annotations

import argparse
import sys

from ._args import (
    EXIT_FAILED,
    EXIT_OK,
    add_conditions_argument,
    add_schema_options,
    check_utf8,
    read_conditions,
    usage_error,
)
from .fmt_cmd import report_error

__all__ = ["register", "run"]

# The findings that say the translation is not faithful.
_MEANING_RULES = ("unsupported-in-dialect", "quoted-date")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `translate` subcommand."""
    parser = subparsers.add_parser(
        "translate",
        help="render conditions for the seed or automate dialect",
        description=(
            "Print each condition as the target dialect writes it. To automate: startswith/endswith become "
            "like, a prefix not is pushed inward, quoted dates on date-time fields are unquoted. To seed: "
            "like becomes startswith/endswith/contains where the pattern allows, not like/not in/not contains "
            "become a prefix not, dates are quoted. What the target cannot express is reported on standard "
            "error, and the exit status is then 1."
        ),
    )
    add_conditions_argument(parser)
    parser.add_argument("--to", choices=("seed", "automate"), required=True, help="target dialect")
    parser.add_argument(
        "--from",
        dest="source",
        choices=("seed", "automate"),
        help="dialect of the input, for its schema (default: the other one)",
    )
    add_schema_options(parser, dialect=False)
    parser.add_argument(
        "--escape-quotes",
        action="store_true",
        help="for automate, write a string holding both ' and \" with the quote doubled instead of refusing it "
        "(no public source shows how the real server escapes a quote)",
    )
    parser.set_defaults(run=run, command_name="translate")


def run(args: argparse.Namespace) -> int:
    """Translate every condition; 1 if one could not be translated faithfully."""
    from ..errors import ConditionError, SchemaError
    from ..language._parser import parse
    from ..language._render import render
    from ..linter import lint
    from ..linter.convert import to_seed, unquote_dates
    from ..schema import load_schema

    source = args.source or ("automate" if args.to == "seed" else "seed")
    try:
        schemas = [load_schema(args.schema, dialect=dialect) for dialect in (source, args.to)]
        if args.endpoint is not None:
            schemas[-1].endpoint(args.endpoint)
    except SchemaError as exc:
        return usage_error(args, str(exc))

    def is_datetime(name: str) -> bool:
        for schema in schemas:
            try:
                info = schema.lookup(name, args.endpoint)
            except SchemaError:
                continue
            if info is not None:
                return info.type == "datetime"
        return False

    status = EXIT_OK
    for index, condition in enumerate(read_conditions(args.conditions)):
        if condition is None:
            continue
        try:
            tree = parse(check_utf8(condition))
            tree = unquote_dates(tree, is_datetime) if args.to == "automate" else to_seed(tree)
            output = render(tree, args.to, escape_quotes=args.escape_quotes)
        except ConditionError as exc:
            report_error(args, index, exc)
            status = EXIT_FAILED
            continue
        print(output)
        for d in lint(output, dialect=args.to, endpoint=args.endpoint, schema=schemas[-1], select=_MEANING_RULES):
            print(f"cwa-query translate: condition #{index}: {d.severity}: {d.message}", file=sys.stderr)
            if d.severity == "error":
                status = EXIT_FAILED
    return status
