"""Importing cwa_query.strategies without hypothesis says which extra to install."""

from __future__ import annotations

import subprocess
import sys

BLOCKED = "import sys; sys.modules['hypothesis'] = None  # as if hypothesis were not installed\n"


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCKED + code], capture_output=True, text=True, check=False)


def test_without_hypothesis_the_error_names_the_test_extra() -> None:
    code = (
        "try:\n"
        "    import cwa_query.strategies\n"
        "except ModuleNotFoundError as exc:\n"
        "    print(type(exc).__name__, exc.name, exc, exc.__suppress_context__, sep='|')\n"
    )
    out = _run(code)
    assert out.returncode == 0, out.stderr
    kind, name, message, suppressed = out.stdout.strip().split("|")
    assert (kind, name, suppressed) == ("ModuleNotFoundError", "hypothesis", "True")
    assert "cwa_query[test]" in message
    assert "test` extra" in message


def test_without_hypothesis_the_rest_of_the_package_works() -> None:
    out = _run("import cwa_query; print(cwa_query.render(cwa_query.parse('a = 1'), 'automate'))")
    assert (out.returncode, out.stdout.strip()) == (0, "a = 1"), out.stderr


def test_a_broken_hypothesis_install_gets_the_same_hint() -> None:
    out = _run("sys.modules.pop('hypothesis'); sys.modules['hypothesis.errors'] = None\nimport cwa_query.strategies\n")
    assert out.returncode == 1
    assert "cwa_query[test]" in out.stderr.splitlines()[-1]


def test_a_missing_dependency_of_hypothesis_is_named_as_it_is() -> None:
    # not hypothesis itself: the original error, unchanged (installing the extra may not help)
    out = _run("sys.modules.pop('hypothesis'); sys.modules['sortedcontainers'] = None\nimport cwa_query.strategies\n")
    assert out.returncode == 1
    assert out.stderr.splitlines()[-1] == "ModuleNotFoundError: import of sortedcontainers halted; None in sys.modules"
