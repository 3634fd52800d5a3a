"""`--dialect manage` on the command line: the choices come from the registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cwa_query.dialects import dialect_names
from tests.cli.test_commands import run


@pytest.mark.parametrize("command", ["lint", "fmt", "parse"])
def test_dialect_choices_are_the_registry(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, _, err = run(capsys, command, "--dialect", "nope", "x")
    assert code == 2
    assert "manage" in dialect_names()
    assert "(choose from " + ", ".join(repr(name) for name in dialect_names()) + ")" in err


def test_fmt_reads_and_writes_manage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "fmt", "--dialect", "manage", 'status/name="Open"  AND company/id in (1,2)', "-", stdin="x=1\n"
    )
    assert code == 0
    assert out.splitlines() == ['status/name = "Open" and company/id in (1, 2)', "x = 1"]


def test_fmt_reports_a_manage_syntax_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "fmt", "--dialect", "manage", "d > 2024-01-01")
    assert code == 1
    assert "square brackets" in err


def test_parse_in_manage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", "--json", "--dialect", "manage", "a/b = null")
    assert code == 0
    assert json.loads(out) == {"type": "compare", "field": "a.b", "op": "=", "value": {"type": "null", "value": None}}


def test_lint_in_manage_with_a_schema_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"endpoints": {"company/companies": {"fields": {"name": "string"}}}}), "utf-8")
    code, out, _ = run(
        capsys, "lint", "--dialect", "manage", "--schema", str(schema), "--endpoint", "company/companies", "nme = 'x'"
    )
    assert code == 1
    assert "did you mean 'name'?" in out
    assert "fix: name = 'x'" in out


def test_lint_in_manage_offers_the_bracketed_fix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--dialect", "manage", "lastUpdated > 2024-01-01T00:00:00Z")
    assert code == 1
    assert "fix: lastUpdated > [2024-01-01T00:00:00Z]" in out


def test_lint_takes_the_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--dialect", "manage", "--parameter", "customFieldConditions", 'caption = "x"')
    assert code == 0  # a warning
    assert "CWQ204" in out
    code, _, err = run(capsys, "lint", "--dialect", "manage", "--parameter", "orderBy", "a = 1")
    assert code == 2
    assert "no filter parameter 'orderBy'" in err


def test_fmt_says_when_a_rewrite_is_exact_only_for_single_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "fmt", "--dialect", "manage", "not (a < 1)")
    assert (code, out) == (0, "a >= 1\n")
    assert err.startswith("cwa-query fmt: condition #0: warning: `a < 1`")


def test_translate_to_and_from_manage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "translate", "--from", "manage", "--to", "automate", "company/id = 5 and d > [2024-01-01]"
    )
    assert (code, out) == (0, "company.id = 5 and d > 2024-01-01\n")
    code, out, _ = run(
        capsys, "translate", "--from", "automate", "--to", "manage", "Client.Id in (1, 2) and D > 2024-01-01"
    )
    assert (code, out) == (0, "Client/Id in (1, 2) and D > [2024-01-01T00:00:00Z]\n")
    code, out, err = run(capsys, "translate", "--from", "automate", "--to", "manage", "Name startswith 'SRV_'")
    assert code == 1
    assert err.count("cannot translate `Name startswith 'SRV_'`") == 1  # reported once
