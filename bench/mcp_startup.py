"""Start-up of `cwa-query mcp`: the time until it answers `initialize`, beside the SDK's own import.

    python bench/mcp_startup.py [--runs N]

Runs each of these N times (default 7, interleaved) as a fresh process and prints the median and the
best, and the ratio of `cwa-query mcp` to the SDK alone (target: at most 1.3):

* `import mcp.server`: `python -c "import mcp.server"`, the floor any server on the SDK pays,
  timed until it prints that it has imported;
* `mcp initialize`: `python -m cwa_query mcp` spawned, one JSON-RPC `initialize` written to
  its standard input, timed until its answer is read from standard output (then the process
  is closed). The spawn and interpreter start-up are in both.

On a shared machine the numbers move by a tenth from run to run; the medians are the ones
to compare.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "bench", "version": "0"},
    },
}


def sdk_import() -> float:
    """Seconds from spawning `python -c "import mcp.server"` until it says it has imported
    (read from its standard output, as the answer to `initialize` is: neither counts the
    interpreter's tear-down at exit)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", "import mcp.server; print('imported', flush=True)"],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.wait(timeout=30)
    if line.strip() != b"imported":
        raise SystemExit(f"import mcp.server failed: {line!r}")
    return elapsed


def initialize() -> float:
    """Seconds from spawning `cwa-query mcp` until its answer to `initialize` is read."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "cwa_query", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(json.dumps(_INITIALIZE).encode() + b"\n")
    process.stdin.flush()
    answer = json.loads(process.stdout.readline())
    elapsed = time.perf_counter() - start
    if "result" not in answer:
        raise SystemExit(f"no answer to initialize: {answer}")
    process.stdin.close()
    process.wait(timeout=30)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    floor: list[float] = []
    ours: list[float] = []
    for _ in range(args.runs):  # interleaved, so that a busy moment hits both alike
        floor.append(sdk_import())
        ours.append(initialize())
    print(f"{'':<22}{'median':>10}{'best':>10}")
    print(f"{'import mcp.server':<22}{statistics.median(floor):>9.3f}s{min(floor):>9.3f}s")
    print(f"{'mcp initialize':<22}{statistics.median(ours):>9.3f}s{min(ours):>9.3f}s")
    ratio = statistics.median(ours) / statistics.median(floor)
    print(f"ratio: {ratio:.2f}x median, {min(ours) / min(floor):.2f}x best   (target <= 1.3x)")


if __name__ == "__main__":
    main()
