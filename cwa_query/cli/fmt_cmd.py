"""`cwa-query fmt`: print conditions in their canonical form."""

from __future__ import annotations

import argparse
import sys
import warnings

from .._defaults import DEFAULT_DIALECT
from ._args import EXIT_FAILED, EXIT_OK, add_conditions_argument, check_utf8, dialect_choices, read_conditions

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `fmt` subcommand."""
    parser = subparsers.add_parser(
        "fmt",
        help="print conditions in canonical form",
        description=(
            "Print each condition in canonical form: single spaces, lowercase keywords, parentheses only "
            "where needed (`status='Online'   AND clientid=1` -> `status = 'Online' and clientid = 1`). "
            "With '-' or no CONDITION, one condition a line from standard input (blank lines and lines "
            "starting with '#' are skipped). Exit status 1 if a condition does not parse or is not UTF-8 (the "
            "message goes to standard error)."
        ),
    )
    add_conditions_argument(parser)
    parser.add_argument(
        "--dialect",
        choices=dialect_choices(),
        default=DEFAULT_DIALECT,
        help=f"dialect to write (default: {DEFAULT_DIALECT}); manage conditions are read in its own syntax",
    )
    parser.set_defaults(run=run, command_name="fmt")


def run(args: argparse.Namespace) -> int:
    """Format every condition; 1 if one of them could not be formatted."""
    from ..dialects import get_dialect
    from ..errors import ConditionError, TranslationWarning

    dialect = get_dialect(args.dialect)

    status = EXIT_OK
    for index, condition in enumerate(read_conditions(args.conditions)):
        if condition is None:
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", TranslationWarning)
                print(dialect.render(dialect.lower(dialect.read(check_utf8(condition)))))
        except ConditionError as exc:
            report_error(args, index, exc)
            status = EXIT_FAILED
            continue
        # a construct the dialect lacks, rewritten exactly only for single-valued fields
        for message in dict.fromkeys(str(warning.message) for warning in caught):
            print(f"cwa-query {args.command_name}: condition #{index}: warning: {message}", file=sys.stderr)
    return status


def report_error(args: argparse.Namespace, index: int, exc: Exception) -> None:
    """The message of a condition that failed (the caret snippet for a syntax error), on stderr."""
    print(f"cwa-query {args.command_name}: condition #{index}: {exc}", file=sys.stderr)
