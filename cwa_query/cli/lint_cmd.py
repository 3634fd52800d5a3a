"""`cwa-query lint`: lint conditions from the arguments or standard input.

Only the standard library and the parser are imported, and only when the command runs:
the process starts fast enough for a pre-commit hook or a form validator.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = [
    "add_conditions_argument",
    "add_schema_options",
    "positive_int",
    "read_conditions",
    "register",
    "run",
    "usage_error",
]

_FORMATS = ("text", "json", "github", "sarif")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `lint` subcommand."""
    parser = subparsers.add_parser(
        "lint",
        help="lint conditions (exit 1 on errors)",
        description=(
            "Lint conditions: syntax, fields, types and values against a field schema, and what the "
            "dialect supports. With '-' or no CONDITION, one condition a line is read from standard input "
            "(blank lines are skipped). Exit status: 0 when no error is found (warnings allowed), 1 when "
            "one is, 2 on a usage error."
        ),
    )
    add_conditions_argument(parser)
    add_schema_options(parser)
    parser.add_argument("--format", choices=_FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--url-budget",
        type=positive_int,
        default=2000,
        metavar="N",
        help="longest percent-encoded condition url-too-long accepts (default: 2000)",
    )
    parser.add_argument("--select", metavar="RULES", help="comma-separated rule codes or names to run only")
    parser.add_argument("--ignore", metavar="RULES", help="comma-separated rule codes or names to skip")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.set_defaults(run=run, command_name="lint")


def add_conditions_argument(parser: argparse.ArgumentParser) -> None:
    """The `CONDITION ...` positional argument ('-' or none: standard input)."""
    parser.add_argument("conditions", nargs="*", metavar="CONDITION", help="a condition, or '-' for standard input")


def add_schema_options(parser: argparse.ArgumentParser, *, dialect: bool = True) -> None:
    """`--dialect`, `--endpoint` and `--schema`, shared by the subcommands that use a schema."""
    if dialect:
        parser.add_argument(
            "--dialect", choices=("seed", "automate"), default="seed", help="target dialect (default: seed)"
        )
    parser.add_argument("--endpoint", metavar="NAME", help="endpoint the condition filters, e.g. Computers")
    parser.add_argument("--schema", metavar="FILE", help="field schema (JSON) instead of the built-in one")


def positive_int(text: str) -> int:
    """An argparse type: a whole number above zero."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not above zero")
    return value


def read_conditions(arguments: Sequence[str], *, skip_blank_lines: bool = True) -> list[str | None]:
    """The conditions to work on: the arguments, with `-` (or no argument at all) standing
    for the lines of standard input. A blank line of standard input is `None` (skipped, but
    it keeps its index)."""
    out: list[str | None] = []
    for argument in arguments or ["-"]:
        if argument != "-":
            out.append(argument)
            continue
        for line in sys.stdin.read().splitlines():
            out.append(None if skip_blank_lines and not line.strip() else line)
    return out


def usage_error(args: argparse.Namespace, message: str) -> int:
    """Print a usage error the way argparse does and return 2."""
    print(f"cwa-query {args.command_name}: error: {message}", file=sys.stderr)
    return 2


def _rule_list(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def run(args: argparse.Namespace) -> int:
    """Lint every condition and print the findings; the exit status."""
    from ..errors import SchemaError
    from ..linter import Diagnostic, lint, list_rules
    from ..linter.formats import FORMATS

    if args.list_rules:
        for info in list_rules():
            print(f"{info.code}  {info.name:<24} {info.severity:<8} {info.summary}")
        return 0
    conditions = read_conditions(args.conditions)
    select, ignore = _rule_list(args.select), _rule_list(args.ignore) or ()
    linted: list[tuple[str, list[Diagnostic]]] = []
    try:
        for condition in conditions:
            if condition is None:
                linted.append(("", []))
                continue
            found = lint(
                condition,
                dialect=args.dialect,
                endpoint=args.endpoint,
                schema=args.schema,
                url_budget=args.url_budget,
                select=select,
                ignore=ignore,
            )
            linted.append((condition, found))
    except (SchemaError, ValueError) as exc:
        return usage_error(args, str(exc))
    output = FORMATS[args.format](linted)
    if output:
        print(output)
    return 1 if any(d.severity == "error" for _, diagnostics in linted for d in diagnostics) else 0
