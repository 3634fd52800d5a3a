"""Start-up cost of `cwa-query lint`, next to a process that only imports lark.

    python bench/cli.py [--runs N] [--check]

Runs, interleaved (rotating which goes first), a whole `cwa-query lint "Status = 'Online'"`
process and a `python -c "import lark"` process, and prints the median wall time of each
and their ratio. The target is a ratio of at most 1.6: linting a condition should cost
about what loading the parsing library alone costs. `--check` exits 1 above the target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 1.6
CONDITION = "Status = 'Online'"
LINT_ALONE = (
    "import argparse, sys\n"
    "from cwa_query.cli import lint_cmd\n"
    "parser = argparse.ArgumentParser(prog='cwa-query')\n"
    "lint_cmd.register(parser.add_subparsers())\n"
    f"args = parser.parse_args(['lint', {CONDITION!r}])\n"
    "sys.exit(args.run(args))\n"
)


def lint_command() -> list[str]:
    """The installed `cwa-query` script beside this interpreter, else `python -m cwa_query`."""
    script = Path(sys.executable).with_name("cwa-query")
    if script.exists():
        return [str(script), "lint", CONDITION]
    found = shutil.which("cwa-query")
    if found:
        return [found, "lint", CONDITION]
    return [sys.executable, "-m", "cwa_query", "lint", CONDITION]


# Children may write bytecode caches, as an installed package has them (pip compiles at
# install time): a PYTHONDONTWRITEBYTECODE in the caller's environment would otherwise make
# every run compile the changed modules from source and measure the compiler.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def wall_time(command: list[str]) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, check=False)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {completed.returncode}: {completed.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="runs of each command (default: 40)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if the ratio is above {TARGET}")
    args = parser.parse_args()

    commands = {
        "cwa-query lint": lint_command(),
        "import lark": [sys.executable, "-c", "import lark"],
        "lint alone": [sys.executable, "-c", LINT_ALONE],
    }
    for command in commands.values():  # warm the disk cache, write the bytecode caches
        wall_time(command)
        wall_time(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for run in range(args.runs):
        order = names[run % len(names) :] + names[: run % len(names)]  # rotate who goes first
        for name in order:
            times[name].append(wall_time(commands[name]))

    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["cwa-query lint"] / medians["import lark"]
    print(f"python {sys.version.split()[0]}, {args.runs} interleaved runs each")
    for name, command in commands.items():
        spread = statistics.quantiles(times[name], n=4) if len(times[name]) >= 4 else [0.0, 0.0, 0.0]
        shown = " ".join(command) if name != "lint alone" else "python -c <lint subcommand only>"
        print(
            f"{name:<16} median {medians[name] * 1000:7.1f} ms  "
            f"(quartiles {spread[0] * 1000:.1f} - {spread[2] * 1000:.1f} ms)  $ {shown}"
        )
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"ratio {ratio:.2f} (target <= {TARGET}): {verdict}")
    alone = medians["lint alone"] / medians["import lark"]
    print(f"(lint subcommand alone: ratio {alone:.2f}; other subcommands' imports cost "
          f"{(medians['cwa-query lint'] - medians['lint alone']) * 1000:.1f} ms)")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
