"""The `cwa-query` command line.

Each subcommand lives in its own module of this package and exposes
`register(subparsers) -> None`; heavy imports happen inside the subcommand's run
function, so `cwa-query lint` starts without importing the HTTP stack.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["main"]

# Subcommand modules (`<name>_cmd.py`), in the order `--help` lists them.
_SUBCOMMANDS = ("fetch", "lint", "fmt", "translate", "parse", "fields", "sandbox", "mcp")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered, or just `only`.

    Registering one subcommand imports one module: `cwa-query lint` does not pay for
    the imports of `fetch` or `sandbox`.
    """
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="cwa-query",
        description="Filters for the ConnectWise Automate REST API: build, lint, translate and run them.",
    )
    parser.add_argument("--version", action="version", version=f"cwa-query {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only in _SUBCOMMANDS else _SUBCOMMANDS:
        importlib.import_module(f".{name}_cmd", __name__).register(subparsers)
    return parser


def _subcommand(argv: Sequence[str]) -> str | None:
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in _SUBCOMMANDS else None
        if arg == "--":
            return None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 findings/failure, 2 usage)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_subcommand(args_list))
    args = parser.parse_args(args_list)
    if getattr(args, "run", None) is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
