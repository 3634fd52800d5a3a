"""`cwa-query lint`: lint conditions from the arguments or standard input.

Only the standard library and the parser are imported, and only when the command runs:
the process starts fast enough for a pre-commit hook or a form validator.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ._args import (
    EXIT_FAILED,
    EXIT_OK,
    add_conditions_argument,
    add_schema_options,
    check_utf8,
    is_condition_line,
    positive_int,
    read_conditions,
    usage_error,
)

if TYPE_CHECKING:
    from ..linter.formats import Origin

__all__ = ["register", "run"]

_FORMATS = ("text", "json", "github", "sarif")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `lint` subcommand."""
    parser = subparsers.add_parser(
        "lint",
        help="lint conditions (exit 1 on errors)",
        description=(
            "Lint conditions: syntax, fields, types and values against a field schema, and what the "
            "dialect supports. With '-' or no CONDITION, one condition a line is read from standard input "
            "(blank lines and lines starting with '#' are skipped). With --fix, every available fix is applied "
            "(lint again, repeat until nothing changes): fixed conditions are printed, one a line (what could not be "
            "fixed goes to standard error), and --files are rewritten in place (--diff shows the change instead). "
            "Exit status: 0 when no error is found or left (warnings allowed), 1 when one is (or a condition is "
            "not UTF-8; with --diff, also when a file would change), 2 on a usage error."
        ),
    )
    add_conditions_argument(parser)
    parser.add_argument(
        "--files",
        action="store_true",
        help="the arguments are files of conditions, one a line (blank lines and lines starting with '#' are "
        "skipped); findings point at FILE:LINE:COLUMN (for pre-commit and CI)",
    )
    add_schema_options(parser)
    parser.add_argument("--format", choices=_FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--parameter",
        metavar="NAME",
        help="the dialect's filter parameter the conditions are for, when it has several "
        "(manage: conditions, childConditions, customFieldConditions)",
    )
    parser.add_argument(
        "--url-budget",
        type=positive_int,
        default=2048,
        metavar="N",
        help="longest query string (paging, parameter, encoded condition) url-too-long accepts, in bytes "
        "(default: 2048, IIS's limit)",
    )
    parser.add_argument("--select", metavar="RULES", help="comma-separated rule codes or names to run only")
    parser.add_argument("--ignore", metavar="RULES", help="comma-separated rule codes or names to skip")
    parser.add_argument(
        "--fix",
        action="store_true",
        help="apply every available fix and lint again until nothing changes; print the fixed conditions "
        "(--files: rewrite the files); what remains is reported",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="with --fix (implied): write nothing, print a unified diff of what would change (exit 1 if any)",
    )
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.set_defaults(run=run, command_name="lint")


def _rule_list(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def _lint_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of `lint` and `fix` that the command's options give."""
    return {
        "dialect": args.dialect,
        "endpoint": args.endpoint,
        "schema": args.schema,
        "url_budget": args.url_budget,
        "select": _rule_list(args.select),
        "ignore": _rule_list(args.ignore) or (),
        "parameter": args.parameter,
    }


def _read_files(paths: list[str]) -> tuple[list[str | None], list[Origin]]:
    """The conditions of `paths`, one a line, with where each one starts."""
    from ..linter.formats import Origin

    conditions: list[str | None] = []
    origins: list[Origin] = []
    for path in paths:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:  # bad bytes: check_utf8
            text = handle.read()
        offset = 0
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            body = line.rstrip("\r\n")
            if is_condition_line(body):
                conditions.append(body)
                origins.append(Origin(path, number, offset))
            offset += len(line)
    return conditions, origins


def run(args: argparse.Namespace) -> int:
    """Lint every condition and print the findings; the exit status."""
    from ..errors import ConditionSyntaxError, SchemaError
    from ..linter import Diagnostic, lint, list_rules
    from ..linter.formats import FORMATS

    if args.list_rules:
        for info in list_rules():
            print(f"{info.code}  {info.name:<24} {info.severity:<8} {info.summary}")
        return EXIT_OK
    if args.fix or args.diff:
        from ._lint_fix import run_fix

        return run_fix(args, _lint_options(args))
    origins: list[Origin] | None = None
    if args.files:
        if not args.conditions:
            return usage_error(args, "--files needs at least one FILE")
        try:
            conditions, origins = _read_files(args.conditions)
        except OSError as exc:
            return usage_error(args, f"cannot read {exc.filename}: {exc}")
    else:
        conditions = read_conditions(args.conditions)
    options = _lint_options(args)
    linted: list[tuple[str, list[Diagnostic]]] = []
    undecodable = False
    try:
        for index, condition in enumerate(conditions):
            if condition is None:
                linted.append(("", []))
                continue
            try:
                check_utf8(condition)
            except ConditionSyntaxError as exc:
                if origins is None:
                    print(f"cwa-query lint: condition #{index}: {exc}", file=sys.stderr)
                else:
                    where = f"{origins[index].path}:{origins[index].line}:{exc.column}"
                    print(f"cwa-query lint: {where}: {exc.description}", file=sys.stderr)
                linted.append(("", []))
                undecodable = True
                continue
            linted.append((condition, lint(condition, **options)))
    except (SchemaError, ValueError) as exc:
        return usage_error(args, str(exc))
    output = FORMATS[args.format](linted, origins)
    if output:
        print(output)
    errors = undecodable or any(d.severity == "error" for _, diagnostics in linted for d in diagnostics)
    return EXIT_FAILED if errors else EXIT_OK
