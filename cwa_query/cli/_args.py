"""Arguments and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence

__all__ = [
    "add_conditions_argument",
    "add_schema_options",
    "dialect_choices",
    "non_negative_float",
    "positive_int",
    "read_conditions",
    "usage_error",
]


def positive_int(text: str) -> int:
    """A whole number >= 1, or a usage error that says what was wrong."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def non_negative_float(text: str) -> float:
    """A finite number >= 0, or a usage error that says what was wrong."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value >= 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {text}")
    return value


def dialect_choices() -> tuple[str, ...]:
    """The registered dialect names, for `--dialect` (the registry is the one list)."""
    from ..dialects import dialect_names

    return dialect_names()


def add_conditions_argument(parser: argparse.ArgumentParser) -> None:
    """The `CONDITION ...` positional argument ('-' or none: standard input)."""
    parser.add_argument("conditions", nargs="*", metavar="CONDITION", help="a condition, or '-' for standard input")


def add_schema_options(parser: argparse.ArgumentParser, *, dialect: bool = True) -> None:
    """`--dialect`, `--endpoint` and `--schema`, shared by the subcommands that use a schema."""
    if dialect:
        parser.add_argument(
            "--dialect", choices=dialect_choices(), default="seed", help="target dialect (default: seed)"
        )
    parser.add_argument("--endpoint", metavar="NAME", help="endpoint the condition filters, e.g. Computers")
    parser.add_argument("--schema", metavar="FILE", help="field schema (JSON) instead of the built-in one")


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
