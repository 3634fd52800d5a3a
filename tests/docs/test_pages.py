"""The hand-written parts of the docs that list things the code defines stay complete."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from cwa_query.sandbox import FAULT_KINDS, Sandbox, SandboxConfig

pytest_plugins = ["pytester"]  # in the module: pytest refuses it in a non-root conftest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _table_rows(page: str, header: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    start = text.index(header)
    rows = []
    for line in text[start:].split("\n")[2:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_every_sandbox_option_is_in_the_options_table() -> None:
    rows = "\n".join(_table_rows("sandbox.md", "| Python | command line | meaning |"))
    keywords = [name for name in inspect.signature(Sandbox.__init__).parameters if name not in ("self", "options")]
    python_only = {"clock"}
    for name in [*keywords, *(f.name for f in dataclasses.fields(SandboxConfig))]:
        assert f"`{name}`" in rows, name
        if name not in python_only:
            assert f"`--{name.replace('_', '-')}`" in rows, name


def test_every_fault_kind_is_in_the_faults_table() -> None:
    rows = "\n".join(_table_rows("sandbox.md", "| kind | what the request gets |"))
    documented = set(re.findall(r"`([^`]+)`", "\n".join(row.split("|")[1] for row in rows.split("\n"))))
    assert documented == set(FAULT_KINDS)


def test_every_page_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = set(re.findall(r":\s+(\S+\.md)\s*$", config, re.M))
    pages = {
        str(p.relative_to(DOCS))
        for p in DOCS.rglob("*.md")
        if p.relative_to(DOCS).parts[0] not in ("hooks", "examples")
    }
    assert pages == nav


def test_the_fixture_example_module_passes(pytester: pytest.Pytester) -> None:
    """docs/examples/test_with_sandbox.py, shown on the sandbox page, passes under pytest."""
    pytester.makepyfile(test_with_sandbox=(DOCS / "examples" / "test_with_sandbox.py").read_text(encoding="utf-8"))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:asyncio", "--strict-markers")
    result.assert_outcomes(passed=3)


def test_every_registered_dialect_is_in_the_dialects_table() -> None:
    from cwa_query.dialects import dialect_names

    rows = "\n".join(_table_rows("dialects.md", "| dialect | grammar |"))
    for name in dialect_names():
        assert f"| `{name}` |" in rows, name
