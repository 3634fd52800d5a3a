"""The shipped strategies pass hypothesis' own health checks as a user meets them: default
settings, a first run, no example database, no conftest, an empty directory.

Each check runs `python -m pytest` in a fresh temporary directory (with `-p no:cacheprovider`),
on a test module that uses only the public strategies and no settings: what a new project
gets. Whatever is expensive (the catalogue, the grammar, hypothesis' character map) must be
done when the strategy is built, not inside a draw, where `HealthCheck.too_slow` times it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cwa_query import load_schema
from cwa_query.dialects import dialect_names

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # fresh pytest processes, each a first run


def _first_run(directory: Path, module: str) -> subprocess.CompletedProcess[str]:
    """`python -m pytest` on `module` in the empty `directory`, as a new project runs it."""
    directory.mkdir(parents=True, exist_ok=True)
    assert not any(directory.iterdir()), "not a first run: the directory is not empty"
    (directory / "test_user.py").write_text(module, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("HYPOTHESIS", "CI", "PYTEST"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _passed(result: subprocess.CompletedProcess[str], count: int) -> None:
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(rf"\b{count} passed\b", result.stdout), result.stdout[-2000:]
    assert "FailedHealthCheck" not in result.stdout


def _cases() -> list[tuple[str, str | None]]:
    """Every dialect without an endpoint, and with endpoints of its built-in catalogue: all
    of a small one, about 25 spread over a large one (automate has 93, manage 602: all of
    them would take minutes, and they differ only in their fields' types)."""
    cases: list[tuple[str, str | None]] = []
    for dialect in dialect_names():
        cases.append((dialect, None))
        endpoints = sorted(load_schema(dialect=dialect).endpoint_names)
        step = max(1, len(endpoints) // 25)
        cases += [(dialect, endpoint) for endpoint in endpoints[::step]]
    return cases


def test_every_dialect_and_endpoint_in_one_first_run(tmp_path: Path) -> None:
    lines = [
        "from hypothesis import given",
        "from cwa_query.strategies import condition_strings, conditions, field_paths, records, values",
        "",
    ]
    cases = _cases()
    for number, (dialect, endpoint) in enumerate(cases):
        where = f"dialect={dialect!r}" + (f", endpoint={endpoint!r}" if endpoint else "")
        third = f"records({where})" if endpoint else f"field_paths({where})"
        lines += [f"@given(conditions({where}), condition_strings({where}), {third})", f"def test_{number}(a, b, c):"]
        lines += ["    pass", ""]
    lines += ["@given(values(), values('datetime', nullable=True))", "def test_values(a, b):", "    pass", ""]
    _passed(_first_run(tmp_path / "all", "\n".join(lines)), len(cases) + 1)


@pytest.mark.parametrize("dialect", dialect_names())
def test_each_dialect_alone_on_a_first_run(tmp_path: Path, dialect: str) -> None:
    # one test in the process: it pays every first-use cost of the process in its draws
    endpoint = sorted(load_schema(dialect=dialect).endpoint_names)[:1]
    where = f"dialect={dialect!r}" + (f", endpoint={endpoint[0]!r}" if endpoint else "")
    module = (
        "from hypothesis import given\n"
        "from cwa_query.strategies import condition_strings, conditions\n\n"
        f"@given(conditions({where}), condition_strings({where}))\n"
        "def test_first(a, b):\n"
        "    pass\n"
    )
    _passed(_first_run(tmp_path / dialect, module), 1)


def _docs_example() -> str:
    """The "In a test suite" example of docs/property-testing.md, as a reader pastes it."""
    page = (ROOT / "docs" / "property-testing.md").read_text(encoding="utf-8")
    section = page.split("## In a test suite", 1)[1]
    match = re.search(r"^```python\n(.*?)^```", section, re.M | re.S)
    assert match is not None, "the section has no python block"
    return match.group(1)


def test_the_docs_property_test_passes_three_first_runs_of_three(tmp_path: Path) -> None:
    example = _docs_example()
    assert "settings" not in example  # default settings, as a new project has them
    for run in range(3):
        _passed(_first_run(tmp_path / f"run{run}", example), 1)
