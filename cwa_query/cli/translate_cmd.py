"""`cwa-query translate`: conditions rewritten for another dialect, keeping their meaning."""

from __future__ import annotations

import argparse
import sys
import warnings

from .._defaults import DEFAULT_DIALECT
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

# The findings that say the output is still not what the target accepts.
_MEANING_RULES = ("unsupported-in-dialect", "quoted-date")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `translate` subcommand."""
    from ..dialects import dialect_names

    names = dialect_names()
    parser = subparsers.add_parser(
        "translate",
        help="rewrite conditions for another dialect, keeping their meaning",
        description=(
            "Print each condition as the target dialect writes it, with the same meaning on every record. "
            "To automate: startswith/endswith become like, a prefix not is pushed inward, quoted dates on "
            "date-time fields are unquoted. To seed: like becomes startswith/endswith/contains where the "
            "pattern allows, not like/not in/not contains become a prefix not, dates are quoted. A rewrite "
            "that is exact only for some fields (e.g. not (a < 1) as a >= 1, wrong when a is a list) is "
            "refused when the schema says the field is of another kind, and made with a warning on standard "
            "error when the schema does not know the field. What the target cannot express is reported on "
            "standard error, and the exit status is then 1."
        ),
    )
    add_conditions_argument(parser)
    parser.add_argument("--to", choices=names, required=True, help="target dialect")
    parser.add_argument(
        "--from",
        dest="source",
        choices=names,
        help=f"dialect of the input (default: {DEFAULT_DIALECT}, or seed for --to {DEFAULT_DIALECT})",
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
    from ..dialects import dialect_names, get_dialect, translate
    from ..errors import ConditionError, SchemaError, UntranslatableError
    from ..linter import lint
    from ..schema import Schema, load_schema

    target = get_dialect(args.to)
    default = (
        DEFAULT_DIALECT if target.name != DEFAULT_DIALECT else next(n for n in dialect_names() if n != target.name)
    )
    source = get_dialect(args.source or default)
    schemas: list[Schema] = []
    try:
        for dialect in (source, target):
            if args.schema is not None or dialect.schema_file is not None:
                schemas.append(load_schema(args.schema, dialect=dialect))
        if args.endpoint is not None and schemas:
            schemas[-1].endpoint(args.endpoint)
    except SchemaError as exc:
        return usage_error(args, str(exc))

    status = EXIT_OK
    for index, condition in enumerate(read_conditions(args.conditions)):
        if condition is None:
            continue
        failed = False
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                text = check_utf8(condition)
                try:
                    tree = translate(text, source, target, schema=schemas, endpoint=args.endpoint)
                except UntranslatableError as exc:
                    report_error(args, index, exc)
                    failed = True
                    tree = source.lower(source.read(text))
                output = target.render(tree, escape_quotes=args.escape_quotes, schema=schemas, endpoint=args.endpoint)
            except ConditionError as exc:
                if not failed:  # an untranslatable construct is reported once, above
                    report_error(args, index, exc)
                status = EXIT_FAILED
                continue
        for message in dict.fromkeys(str(warning.message) for warning in caught):  # each once
            print(f"cwa-query translate: condition #{index}: warning: {message}", file=sys.stderr)
        print(output)
        if failed:
            status = EXIT_FAILED
        target_schema = schemas[-1] if schemas else None
        for d in lint(output, dialect=target, endpoint=args.endpoint, schema=target_schema, select=_MEANING_RULES):
            if not failed or d.severity != "error":
                print(f"cwa-query translate: condition #{index}: {d.severity}: {d.message}", file=sys.stderr)
            if d.severity == "error":
                status = EXIT_FAILED
    return status
