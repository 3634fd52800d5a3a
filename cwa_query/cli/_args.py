"""Arguments and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence

from .._defaults import DEFAULT_DIALECT
from ..errors import ConditionSyntaxError

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "add_conditions_argument",
    "add_schema_options",
    "check_utf8",
    "dialect_choices",
    "is_condition_line",
    "non_negative_float",
    "positive_int",
    "printable",
    "read_conditions",
    "read_stdin",
    "usage_error",
    "utf8_text",
]

# Exit statuses, the same for every subcommand.
EXIT_OK = 0
"""Success (for `lint`: no error found; warnings allowed)."""
EXIT_FAILED = 1
"""Bad input or a finding: a condition that does not parse or cannot be translated, text that is
not UTF-8, a lint error; for `fetch`, also a query the server or the network failed."""
EXIT_USAGE = 2
"""A usage error: a bad option or option value, a missing or unreadable schema, no server."""


def positive_int(text: str) -> int:
    """A whole number >= 1, or a usage error that says what was wrong."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def utf8_text(text: str) -> str:
    """An option value sent to a server as it is (an endpoint, a field list): UTF-8 text, or a
    usage error naming the column of the first byte that is not (never the byte itself)."""
    try:
        return check_utf8(text)
    except ConditionSyntaxError as exc:
        raise argparse.ArgumentTypeError(f"{exc.description} at column {exc.column}") from None


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
            "--dialect",
            choices=dialect_choices(),
            default=DEFAULT_DIALECT,
            help=f"target dialect (default: {DEFAULT_DIALECT}, the real server's; seed: the seed document's)",
        )
    parser.add_argument("--endpoint", metavar="NAME", help="endpoint the condition filters, e.g. Computers")
    parser.add_argument("--schema", metavar="FILE", help="field schema (JSON) instead of the built-in one")


def read_stdin() -> str:
    """Standard input, decoded as UTF-8 whatever the locale; a byte that is not UTF-8 stays
    in the text as a lone surrogate (as in `sys.argv`), for `check_utf8` to report."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream (tests, embedding)
        return sys.stdin.read()
    data: bytes = buffer.read()
    return data.decode("utf-8", "surrogateescape")


def check_utf8(text: str) -> str:
    """`text` if it came from valid UTF-8; else a `ConditionSyntaxError` at the first byte that
    did not decode (the arguments and standard input carry such bytes as lone surrogates).

    The message names the byte's position and value but never holds the byte itself: the
    snippet shows U+FFFD in its place.

    >>> check_utf8("Name = 'caf\\udcc3'")
    Traceback (most recent call last):
    ...
    cwa_query.errors.ConditionSyntaxError: byte 0xc3 is not valid UTF-8 at line 1, column 12
      Name = 'caf�'
                 ^
    hint: write the condition in UTF-8
    """
    for pos, char in enumerate(text):
        if "\udc80" <= char <= "\udcff":
            shown = printable(text)
            byte = ord(char) - 0xDC00
            raise ConditionSyntaxError(
                f"byte 0x{byte:02x} is not valid UTF-8", text=shown, pos=pos, hint="write the condition in UTF-8"
            )
    return text


def printable(text: str) -> str:
    """`text` as printed: the bytes that were not UTF-8 (lone surrogates) as U+FFFD."""
    return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)


def is_condition_line(line: str) -> bool:
    """False for a blank line and a `#` comment line (of standard input or a file of conditions)."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def read_conditions(arguments: Sequence[str]) -> list[str | None]:
    """The conditions to work on: the arguments, with `-` (or no argument at all) standing
    for the lines of standard input. A blank line or a `#` comment line of standard input is
    `None` (skipped, but it keeps its place: condition numbers count every line)."""
    out: list[str | None] = []
    for argument in arguments or ["-"]:
        if argument != "-":
            out.append(argument)
            continue
        out.extend(line if is_condition_line(line) else None for line in read_stdin().splitlines())
    return out


def usage_error(args: argparse.Namespace, message: str) -> int:
    """Print a usage error the way argparse does and return `EXIT_USAGE` (2)."""
    print(f"cwa-query {args.command_name}: error: {message}", file=sys.stderr)
    return EXIT_USAGE
