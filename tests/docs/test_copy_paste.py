"""The README's and getting-started's copy-paste blocks run as written.

The Python blocks of every page run as doctests (test_examples.py). Here the shell blocks
of the two pages a newcomer follows first are run as they are written, by bash, in a fresh
copy of the repository's files, the install commands included (a fresh virtualenv: slow).

Left out, by what they need: blocks that run the test suite itself (`pytest`: CI runs that
command), and blocks that set `CONNECTWISE_AUTOMATE_*` variables for a real server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
GETTING_STARTED = ROOT / "docs" / "getting-started.md"
NEEDS_MORE = ("pytest", "export CONNECTWISE_", "CONNECTWISE_AUTOMATE_SERVER")


def shell_blocks(page: Path) -> list[str]:
    """The shell commands of the page that need nothing but a clone, in order: each ```bash
    block as one script, each `$ ` line of a ```console block as one (a transcript shows
    each command's own exit)."""
    text = page.read_text(encoding="utf-8")
    scripts: list[str] = []
    for kind, body in re.findall(r"^```(bash|sh|console)\n(.*?)^```", text, re.M | re.S):
        if kind == "console":
            commands = [line[2:] for line in body.splitlines() if line.startswith("$ ")]
            if not any(marker in "\n".join(commands) for marker in NEEDS_MORE):
                scripts += commands
        elif not any(marker in body for marker in NEEDS_MORE):
            scripts.append(body.strip())
    return scripts


def test_the_pages_have_copy_paste_blocks() -> None:
    readme = shell_blocks(README)
    assert any("pip install ." in script and "cwa-query fetch" in script for script in readme)
    assert any(script.startswith("cwa-query lint") for script in readme)
    assert any("pip install ." in script for script in shell_blocks(GETTING_STARTED))


def _fresh_clone(target: Path) -> Path:
    """The repository's files (tracked, as they are in the working tree), nothing else."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.mark.slow  # a virtualenv and `pip install .` per page: about half a minute each
@pytest.mark.parametrize("page", [README, GETTING_STARTED], ids=["README", "getting-started"])
def test_shell_blocks_run_as_written_in_a_fresh_clone(page: Path, tmp_path: Path) -> None:
    clone = _fresh_clone(tmp_path / "cwa_query")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CONNECTWISE_", "VIRTUAL_ENV"))}
    # as after `source .venv/bin/activate`: the blocks call `cwa-query` once it is installed
    environment["PATH"] = f"{clone / '.venv' / 'bin'}{os.pathsep}{environment.get('PATH', '')}"
    for script in shell_blocks(page):
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=clone,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        # `cwa-query lint` of a condition with findings exits 1 by design (the page says so);
        # `--fix` of one it can fix completely, 0
        expected = 1 if script.startswith("cwa-query lint") and "--fix" not in script else 0
        assert done.returncode == expected, f"{page.name}: {script}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        if "cwa-query fetch" in script:
            assert "ComputerName" in done.stdout and "SRV" in done.stdout, done.stdout[-2000:]
