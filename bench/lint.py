"""Lint time against input size: does linting stay linear in the text and its findings?

    python bench/lint.py [--small N] [--factor K]

For each shape, lints an input of about N characters (default 40,000) and one K times
longer (default 10: 400,000), in this one process (best of five runs for the small input,
of three for the large one, or one run if it takes over ten seconds; a garbage collection
before each), and prints the time per character of each and the ratio of the two times.
On a shared machine the ratios move by a few units from run to run; linear cost keeps
them near K. The quadratic costs this guards against (a line and column counted from the
start of the text for each finding, a long path re-split once per dot, a whole corrected
copy of the text per finding, the whole line printed under each finding) gave ratios of
30 to 100, or ran out of memory.

Shapes:

* `and-chain`: `a = 1 and a = 1 and ...`, one unknown-field finding per comparison;
* `dotted-path`: `a.a.a. ... .a = 1`, one long field path (a few milliseconds in all at
  400,000 characters; what remains above linear there is Python's `re` matching the
  grammar's FIELD terminal, whose repeated group costs more than linear time on one
  token this long: the lexer, not the linter);
* `files-one-line`: `cwa-query lint --files` (in process, output discarded) on a file
  holding the and-chain as one line, so the text output is part of the cost;
* `fixable`: `Status = 'Onlien' and ...` for Computers, one unknown-value finding with a
  fix per comparison: the linter checks (re-lints) the first `MAX_CHECKED_FIXES` fixes,
  so this one costs about 33 lints of the text (a few seconds at 40,000 characters).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cwa_query import lint
from cwa_query.cli import main as cli_main


def and_chain(size: int) -> str:
    """`a = 1 and a = 1 ...` of at most `size` characters."""
    return " and ".join(["a = 1"] * ((size + 5) // 10))


def fixable(size: int) -> str:
    """`Status = 'Onlien' and ...` of at most `size` characters."""
    return " and ".join(["Status = 'Onlien'"] * ((size + 5) // 22))


def dotted_path(size: int) -> str:
    """A field path of about `size` characters compared with 1."""
    return ".".join(["a"] * (size // 2)) + " = 1"


def _lint_text(make: Callable[[int], str], **options: str) -> Callable[[int], Callable[[], object]]:
    def prepare(size: int) -> Callable[[], object]:
        text = make(size)
        return lambda: lint(text, **options)

    return prepare


def _lint_files(folder: Path) -> Callable[[int], Callable[[], object]]:
    def prepare(size: int) -> Callable[[], object]:
        path = folder / f"one-line-{size}.cwaq"
        path.write_text(and_chain(size) + "\n", encoding="utf-8")

        def run() -> object:
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                return cli_main(["lint", "--files", str(path)])

        return run

    return prepare


def timed(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=40_000, help="characters of the small input (default 40000)")
    parser.add_argument("--factor", type=int, default=10, help="how much longer the large input is (default 10)")
    args = parser.parse_args()
    small, large = args.small, args.small * args.factor
    with tempfile.TemporaryDirectory() as folder:
        shapes = {
            "and-chain": _lint_text(and_chain),
            "dotted-path": _lint_text(dotted_path),
            "files-one-line": _lint_files(Path(folder)),
            "fixable": _lint_text(fixable, endpoint="Computers"),
        }
        print(f"{'shape':<16} {'us/char at ' + format(small, ','):>18} {'us/char at ' + format(large, ','):>20}  ratio")
        for name, prepare in shapes.items():
            prepare(2_000)()  # warm up: imports, the schema, caches
            small_run, large_run = prepare(small), prepare(large)
            t_small = min(timed(small_run) for _ in range(5))
            repeats = 3 if t_small * args.factor < 10 else 1  # the long ones once
            t_large = min(timed(large_run) for _ in range(repeats))
            per_small, per_large = t_small / small * 1e6, t_large / large * 1e6
            print(f"{name:<16} {per_small:>18.3f} {per_large:>20.3f}  {t_large / t_small:5.1f}")
    print(f"(linear: a ratio close to {args.factor})")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
