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

# Subcommand modules, in the order `--help` lists them. A module that does not
# exist yet is skipped, so the command works while subcommands are added.
_SUBCOMMANDS = ("fetch", "lint", "fmt", "translate", "parse", "sandbox")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available subcommand registered."""
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="cwa-query",
        description="Filters for the ConnectWise Automate REST API: build, lint, translate and run them.",
    )
    parser.add_argument("--version", action="version", version=f"cwa-query {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _SUBCOMMANDS:
        try:
            module = importlib.import_module(f".{name}_cmd", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}_cmd":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 findings/failure, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
