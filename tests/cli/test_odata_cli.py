"""The command line speaks OData: lint, parse, translate --to / --from odata."""

from __future__ import annotations

import pytest

from cwa_query.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_dialect_choices_come_from_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", "--dialect", "odata", "contains(tolower(Name),'srv')")
    assert code == 0 and "Name contains 'srv'" in out


def test_lint_odata(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--dialect", "odata", "Name eq 'x'", "Tags/any(t: t eq 'x')")
    assert code == 0, out
    code, out, _ = run(capsys, "lint", "--dialect", "odata", "Name = 'x'")
    assert code == 1
    assert "CWQ101" in out and "`Name eq 'x'`" in out


def test_translate_to_odata(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "translate", "--to", "odata", "Status = 'Online' and Id != 5", "Name contains 'kit'")
    assert code == 0, err
    assert out.splitlines() == [
        "tolower(Status) eq 'online' and Id ne null and Id ne 5",
        "contains(tolower(Name),'kit')",
    ]
    assert "condition #1: warning:" in err and "KELVIN SIGN" in err


def test_translate_from_odata(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "translate",
        "--from",
        "odata",
        "--to",
        "automate",
        "startswith(tolower(Name),'srv_')",
        "Price add 1 gt 2",
    )
    assert code == 1
    assert out.splitlines() == ["Name like 'srv\\_%'"]
    assert "condition #1" in err and "arithmetic" in err


def test_translate_to_odata_with_an_endpoint_spells_ids_both_ways_and_warns_not(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The Automate API sends ids as text ('1'): with the catalogue's types the id is compared
    # with both, and the output is rendered with the same schema (no warning about it).
    code, out, err = run(
        capsys, "translate", "--from", "automate", "--to", "odata", "--endpoint", "Computers",
        "Id = 1 and ComputerName = '5'",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == ["(Id eq 1 or Id eq '1') and ComputerName eq '5'"]
    assert "warning" not in err
    code, out, err = run(capsys, "translate", "--from", "automate", "--to", "odata", "Id = 1")
    assert code == 0 and out.splitlines() == ["Id eq 1"]
    assert "condition #0: warning: Id = 1: exact only if Id holds JSON numbers" in err
