"""`cwa-query fetch --output FILE` stopped by a signal leaves the old file or the complete new
one, and no temporary file (issue 13, item 6). Real subprocesses, real signals."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

RECORDS = 20_000
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


def start_fetch(target: Path) -> subprocess.Popen[bytes]:
    argv = [
        sys.executable, "-m", "cwa_query", "fetch", "Computers", "--sandbox", "--records", str(RECORDS),
        "--page-size", "20", "--output", str(target),
    ]  # fmt: skip
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_part_file(directory: Path, proc: subprocess.Popen[bytes]) -> bool:
    """Wait until the fetch is writing its temporary file (False if it ended first)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(path.name.endswith(".part") for path in directory.iterdir()):
            return True
        time.sleep(0.01)
    return False


CASES = [
    pytest.param(signum, old, marks=[] if (signum, old) == (signal.SIGTERM, True) else [pytest.mark.slow])
    for signum in SIGNALS
    for old in (True, False)
]


@pytest.mark.parametrize(("signum", "old"), CASES)
def test_a_stopped_fetch_leaves_the_old_file_or_the_new_one(tmp_path: Path, signum: int, old: bool) -> None:
    target = tmp_path / "computers.jsonl"
    if old:
        target.write_text("old\n")
    proc = start_fetch(target)
    try:
        writing = wait_for_part_file(tmp_path, proc)
        proc.send_signal(signum)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    assert writing, f"the fetch ended before it could be interrupted: {err}"
    assert "Traceback" not in err
    names = sorted(path.name for path in tmp_path.iterdir())
    complete = target.exists() and len(target.read_text().splitlines()) == RECORDS
    if code == 0:  # the signal came after the fetch had finished
        assert names == ["computers.jsonl"] and complete
        return
    assert code == 128 + signum, err
    assert f"interrupted ({signal.Signals(signum).name})" in err
    assert ".part" not in " ".join(names)  # no temporary file left
    if complete:  # the signal came during the rename: the new file, whole
        assert names == ["computers.jsonl"]
    elif old:  # else the old file, untouched
        assert names == ["computers.jsonl"] and target.read_text() == "old\n"
    else:
        assert names == []
