"""`cwa-query lint --fix` and `--diff`: apply the linter's fixes, print or write the result.

* Conditions from the arguments or standard input: the fixed conditions go to standard
  output, one a line (standard input's blank and `#` lines pass through unchanged, so the
  command works as a filter; a line that is not UTF-8 is reported and printed with U+FFFD
  for its bad bytes); the findings no fix removed go to standard error.
* `--files`: each file is rewritten in place (only the lines whose condition changed; line
  endings kept), and the findings that remain are printed as `lint` prints them, at
  `FILE:LINE:COLUMN` of the rewritten file. `--diff` writes nothing and prints a unified
  diff instead.

A one-line summary (how many findings were fixed, how many remain) goes to standard error.
Exit status: 0 when no error remains, 1 when one does or a condition is not UTF-8 (and, with
`--diff`, when a file or condition would change), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ._args import EXIT_FAILED, EXIT_OK, check_utf8, is_condition_line, printable, read_stdin, usage_error

if TYPE_CHECKING:
    from ..linter import Diagnostic, FixResult
    from ..linter.formats import Origin

Linted = list[tuple[str, Sequence["Diagnostic"]]]

__all__ = ["run_fix"]


class _Fixer:
    """Fixes one condition at a time with the command's options; counts what it did."""

    def __init__(self, args: argparse.Namespace, options: dict[str, Any]) -> None:
        from ..schema import load_schema

        self.options = options | {"schema": load_schema(args.schema, dialect=args.dialect)}
        self.fixed = 0
        self.undecodable = False

    def __call__(self, condition: str, where: str) -> FixResult | None:
        """The fix of `condition`, or `None` (reported) when it is not UTF-8."""
        from ..errors import ConditionSyntaxError
        from ..linter import fix

        try:
            check_utf8(condition)
        except ConditionSyntaxError as exc:
            print(f"cwa-query lint: {where}:{exc.column}: {exc.description}", file=sys.stderr)
            self.undecodable = True
            return None
        result = fix(condition, **self.options)
        self.fixed += len(result.applied)
        return result


def run_fix(args: argparse.Namespace, options: dict[str, Any]) -> int:
    """`lint --fix` / `lint --diff` with `lint`'s keyword arguments `options`: the exit status."""
    from ..errors import SchemaError

    try:
        fixer = _Fixer(args, options)
        if args.files:
            if not args.conditions:
                return usage_error(args, "--files needs at least one FILE")
            return _fix_files(args, fixer)
        return _fix_conditions(args, fixer)
    except (SchemaError, ValueError) as exc:
        return usage_error(args, str(exc))


def _fix_conditions(args: argparse.Namespace, fixer: _Fixer) -> int:
    """Conditions from the arguments and standard input: print them fixed."""
    lines: list[str] = []  # the input lines, skipped ones included (a filter keeps them)
    for argument in args.conditions or ["-"]:
        lines.extend(read_stdin().splitlines() if argument == "-" else [argument])
    fixed_lines: list[str] = []
    linted: Linted = []
    results: list[FixResult | None] = []
    for index, line in enumerate(lines):
        result = fixer(line, f"condition #{index}") if is_condition_line(line) else None
        results.append(result)
        fixed_lines.append(line if result is None else result.text)
        linted.append(("", []) if result is None else (result.text, result.remaining))
    changed = any(result is not None and result.changed for result in results)
    if args.diff:
        old, new = ([printable(line) + "\n" for line in version] for version in (lines, fixed_lines))
        sys.stdout.write(_diff(old, new, "conditions"))
    else:
        for line in fixed_lines:
            print(printable(line))
    _report(args, linted, None, sys.stderr)
    _summary(args, fixer, linted)
    return _status(fixer, linted, changed and args.diff)


def _fix_files(args: argparse.Namespace, fixer: _Fixer) -> int:
    """`--files`: rewrite each file (or print its diff); report what remains at its new lines."""
    from ..linter.formats import Origin

    linted: Linted = []
    origins: list[Origin] = []
    changed = False
    for path in args.conditions:
        try:
            with open(path, encoding="utf-8", errors="surrogateescape", newline="") as handle:
                text = handle.read()
        except OSError as exc:
            return usage_error(args, f"cannot read {exc.filename}: {exc}")
        lines = text.splitlines(keepends=True)
        new_lines: list[str] = []
        offset = 0
        for number, line in enumerate(lines, start=1):
            body = line.rstrip("\r\n")
            result = fixer(body, f"{path}:{number}") if is_condition_line(body) else None
            new_lines.append(line if result is None else result.text + line[len(body) :])
            if is_condition_line(body):
                linted.append(("", []) if result is None else (result.text, result.remaining))
                origins.append(Origin(path, number, offset))
            offset += len(new_lines[-1])
        if new_lines != lines:
            changed = True
            if args.diff:
                sys.stdout.write(_diff(lines, new_lines, path))
            else:
                with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
                    handle.write("".join(new_lines))
    if not args.diff:
        _report(args, linted, origins, sys.stdout)
    _summary(args, fixer, linted)
    return _status(fixer, linted, changed and args.diff)


def _diff(old: list[str], new: list[str], name: str) -> str:
    """A unified diff of two lists of lines (a last line without its newline gets one)."""
    return "".join(
        line if line.endswith("\n") else line + "\n"
        for line in difflib.unified_diff(old, new, fromfile=name, tofile=name)
    )


def _report(args: argparse.Namespace, linted: Linted, origins: list[Origin] | None, stream: TextIO) -> None:
    """The findings that remain, in the chosen format (nothing when none remain)."""
    from ..linter.formats import FORMATS

    if any(diagnostics for _, diagnostics in linted):
        print(FORMATS[args.format](linted, origins), file=stream)


def _summary(args: argparse.Namespace, fixer: _Fixer, linted: Linted) -> None:
    left = sum(len(diagnostics) for _, diagnostics in linted)
    verb = "would fix" if args.diff else "fixed"
    noun = "finding" if fixer.fixed == 1 else "findings"
    print(f"cwa-query lint: {verb} {fixer.fixed} {noun}, {left} left", file=sys.stderr)


def _status(fixer: _Fixer, linted: Linted, would_change: bool) -> int:
    errors = any(d.severity == "error" for _, diagnostics in linted for d in diagnostics)
    return EXIT_FAILED if errors or fixer.undecodable or would_change else EXIT_OK
