"""`fix()`: every available fix applied, lint again, repeat; what is left is reported."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import cwa_query
from cwa_query import Diagnostic, FixResult, fix, lint, linter
from cwa_query.linter import Splice, _edits

# (condition, dialect, endpoint) -> (fixed text, codes applied, codes remaining)
ROWS = [
    # two findings in separate places: applied together in one round
    (
        "Nmae = 'SRV01' and Status = 'Onlien'",
        "seed",
        "Computers",
        "Name = 'SRV01' and Status = 'Online'",
        ["CWQ102", "CWQ104"],
        [],
    ),
    # a syntax error hides the other rules: its fix first, then the dialect's finding
    (
        "Status == 'Online' && Name like 'SRV%'",
        "seed",
        None,
        "Status = 'Online' and Name startswith 'SRV'",
        ["CWQ101", "CWQ201"],
        [],
    ),
    (
        "ComputerNme startswith 'SRV' && Status = 'Online'",
        "automate",
        "Computers",
        "ComputerName like 'SRV%' and Status = 'Online'",
        ["CWQ101", "CWQ102", "CWQ201"],
        [],
    ),
    # nothing to fix: the input, unchanged
    ("Status = 'Online'", "seed", "Computers", "Status = 'Online'", [], []),
    # no fix known: the finding remains
    ("Nmae = 'x'", "automate", "Computers", "Nmae = 'x'", [], ["CWQ102"]),
]


@pytest.mark.parametrize(("text", "dialect", "endpoint", "fixed", "applied", "remaining"), ROWS)
def test_fix_applies_every_fix_and_reports_what_is_left(
    text: str, dialect: str, endpoint: str | None, fixed: str, applied: list[str], remaining: list[str]
) -> None:
    result = fix(text, dialect=dialect, endpoint=endpoint)
    assert result.text == fixed
    assert sorted(d.code for d in result.applied) == applied
    assert [d.code for d in result.remaining] == remaining
    assert result.complete == (not remaining)
    # the remaining findings are exactly lint's on the final text
    assert list(result.remaining) == lint(result.text, dialect=dialect, endpoint=endpoint)


def test_complete_means_no_error_left_warnings_allowed() -> None:
    result = fix("Status = 'Onlien'", dialect="seed", endpoint="Computers", select=["syntax-error"])
    assert result.text == "Status = 'Onlien'" and result.complete and not result.remaining
    warned = dataclasses.replace(
        result, remaining=tuple(lint("Status = 'Onlien'", dialect="seed", endpoint="Computers"))
    )
    assert [d.severity for d in warned.remaining] == ["warning"] and warned.complete


def test_fix_result_is_frozen_and_public() -> None:
    result = fix("Status = 'Online'")
    assert isinstance(result, FixResult) and cwa_query.fix is fix
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]


def _diagnostic(fixed: str | None, severity: str = "error") -> Diagnostic:
    return Diagnostic("CWQ999", "made-up", "m", severity, 1, 1, 1, 2, fixed)  # type: ignore[arg-type]


def test_edits_that_overlap_wait_for_the_next_round() -> None:
    text = "abcdef"
    found = [
        _diagnostic("aXcdef"),  # b -> X
        _diagnostic("aYYdef"),  # bc -> YY: overlaps the first, left for the next round
        _diagnostic("aXcdef"),  # the same edit again: applied once
        _diagnostic("abcdeZ"),  # f -> Z
        _diagnostic(None),
        _diagnostic(text),  # changes nothing
    ]
    edits = _edits(text, found)
    assert [splice for _, splice in edits] == [Splice(1, 2, "X"), Splice(5, 6, "Z")]


def test_the_rounds_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Status == 'Online' && Name like 'SRV%'"  # two rounds: the syntax, then the dialect
    monkeypatch.setattr(linter, "MAX_FIX_ROUNDS", 1)
    result = fix(text, dialect="seed")
    assert result.text == "Status = 'Online' and Name like 'SRV%'"
    assert [d.code for d in result.applied] == ["CWQ101"] and [d.code for d in result.remaining] == ["CWQ201"]


def test_bad_arguments_are_lints_errors() -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        fix("a = 1", select=["no-such-rule"])
    with pytest.raises(cwa_query.SchemaError):
        fix("a = 1", endpoint="NoSuchEndpoint")


@settings(max_examples=30)
@given(st.text(alphabet="ab =!<>'\"%()&|", max_size=25))
@example("%'\"")
def test_fix_never_makes_more_errors(text: str) -> None:
    for dialect in ("seed", "automate", "manage"):
        before = [d for d in lint(text, dialect=dialect) if d.severity == "error"]
        result = fix(text, dialect=dialect)
        after = [d for d in result.remaining if d.severity == "error"]
        assert len(after) <= len(before) or not result.applied
        if not result.applied:
            assert result.text == text
