"""Start-up cost of `cwa-query lint`, next to a process that only imports lark.

    python bench/cli.py [--runs N] [--check]

Runs, interleaved (rotating which goes first), whole `cwa-query lint` processes for each
dialect with a built-in catalogue and a `python -c "import lark"` process, and prints the
median wall time of each and its ratio to `import lark`, side by side:

* `seed`: `cwa-query lint --dialect seed "Status = 'Online'"` (a catalogue of four endpoints);
* `automate`: `cwa-query lint --dialect automate "ComputerName = 'x'"`, no endpoint: the field
  is looked up over all 93 endpoints of the automate catalogue;
* `automate --endpoint`: the same with `--endpoint Computers`;
* `unknown field`: `cwa-query lint --dialect automate "ComputerNme = 'x'"` (exits 1): the
  finding asks the other dialects' catalogues whether they know the field, and the dialects
  that rename fields for a suggestion, loading only those that can contribute;
* `unknown --endpoint`: the same with `--endpoint Computers` (the seed dialect renames
  fields of Computers, so it is consulted);
* `lint alone`: the automate lint through the lint subcommand only (what the other
  subcommands' imports cost is the difference).

The target (issue 18) is a ratio of at most 1.25 for each: a pre-commit hook runs the lint
once per file, so it should cost about what loading the parsing library alone costs. What
an unknown field adds is no dialect module (tests/lint/test_lazy_unknown_field.py) and no
other catalogue: the name index beside each catalogue (`*_schema.names.txt`, written by
scripts/gen_catalogue_index.py) says whether the manage and seed catalogues know the field
and gives the "did you mean" candidates over every endpoint of the automate catalogue
(tests/schema/test_name_index.py); left are `difflib` and the check of the fix. Every
lint of a built-in catalogue decodes only the endpoints it reads: the one named, or
without `--endpoint` those that have the field (the index's layout and paths files).
`--check` exits 1 above the target. On a shared machine the ratios move by several
hundredths from run to run; compare medians of a few calls.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 1.25
CASES = {
    "seed": ["--dialect", "seed", "Status = 'Online'"],
    "automate": ["--dialect", "automate", "ComputerName = 'x'"],
    "automate --endpoint": ["--dialect", "automate", "--endpoint", "Computers", "ComputerName = 'x'"],
    "unknown field": ["--dialect", "automate", "ComputerNme = 'x'"],
    "unknown --endpoint": ["--dialect", "automate", "--endpoint", "Computers", "ComputerNme = 'x'"],
}
# The exit status a case ends with (1: the lint found an error); any other status is a failure.
EXIT = {"unknown field": 1, "unknown --endpoint": 1}
LINT_ALONE = (
    "import argparse, sys\n"
    "from cwa_query.cli import lint_cmd\n"
    "parser = argparse.ArgumentParser(prog='cwa-query')\n"
    "lint_cmd.register(parser.add_subparsers())\n"
    f"args = parser.parse_args(['lint', *{CASES['automate']!r}])\n"
    "sys.exit(args.run(args))\n"
)


def cwa_query() -> list[str]:
    """The installed `cwa-query` script beside this interpreter, else `python -m cwa_query`."""
    script = Path(sys.executable).with_name("cwa-query")
    if script.exists():
        return [str(script)]
    found = shutil.which("cwa-query")
    if found:
        return [found]
    return [sys.executable, "-m", "cwa_query"]


# Children may write bytecode caches, as an installed package has them (pip compiles at
# install time): a PYTHONDONTWRITEBYTECODE in the caller's environment would otherwise make
# every run compile the changed modules from source and measure the compiler.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def wall_time(command: list[str], status: int = 0) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, check=False)
    elapsed = time.perf_counter() - start
    if completed.returncode != status:
        raise SystemExit(f"{' '.join(command)} exited {completed.returncode}: {completed.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs of each command (default: 30)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a ratio is above {TARGET}")
    args = parser.parse_args()

    commands = {name: [*cwa_query(), "lint", *case] for name, case in CASES.items()}
    commands["lint alone"] = [sys.executable, "-c", LINT_ALONE]
    commands["import lark"] = [sys.executable, "-c", "import lark"]
    for name, command in commands.items():  # warm the disk cache, write the bytecode caches
        wall_time(command, EXIT.get(name, 0))
        wall_time(command, EXIT.get(name, 0))
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for run in range(args.runs):
        order = names[run % len(names) :] + names[: run % len(names)]  # rotate who goes first
        for name in order:
            times[name].append(wall_time(commands[name], EXIT.get(name, 0)))

    medians = {name: statistics.median(values) for name, values in times.items()}
    lark = medians["import lark"]
    print(f"python {sys.version.split()[0]}, {args.runs} interleaved runs each; ratio = median / import lark's")
    over = []
    for name, command in commands.items():
        spread = statistics.quantiles(times[name], n=4) if len(times[name]) >= 4 else [0.0, 0.0, 0.0]
        shown = shlex.join(command) if name != "lint alone" else "python -c <lint subcommand only, automate>"
        ratio = medians[name] / lark
        verdict = ""
        if name in CASES:
            verdict = "ok" if ratio <= TARGET else "OVER TARGET"
            if ratio > TARGET:
                over.append(name)
        print(
            f"{name:<20} median {medians[name] * 1000:6.1f} ms  ratio {ratio:4.2f} {verdict:<11} "
            f"(quartiles {spread[0] * 1000:.1f} - {spread[2] * 1000:.1f} ms)  $ {shown}"
        )
    print(f"target: each lint <= {TARGET} x import lark: " + ("ok" if not over else "over for " + ", ".join(over)))
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
