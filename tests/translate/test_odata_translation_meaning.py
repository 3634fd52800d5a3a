"""Translation to OData keeps the meaning or says it cannot; OData's syntax to the ABNF
(issue 21, item 2). The ABNF is OData 4.01's (`odata-abnf-construction-rules.txt`, with the
OASIS test cases copied in data/odata_abnf_testcases.json)."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

from cwa_query import ConditionSyntaxError, UntranslatableError, evaluate, load_schema, parse, render, translate
from cwa_query.cli import main
from cwa_query.errors import TranslationWarning
from cwa_query.language._evaluate import evaluate_odata
from cwa_query.odata import parse_odata

# ------------------------------------------------------------------ a date against a date-time field


@pytest.mark.parametrize(
    ("condition", "odata"),
    [
        ("LastHeartbeat = 2024-01-01", "LastHeartbeat eq 2024-01-01T00:00:00Z"),
        ("LastHeartbeat > 2024-01-01", "LastHeartbeat gt 2024-01-01T00:00:00Z"),
        (
            "LastHeartbeat in (2024-01-01, 2024-01-02)",
            "LastHeartbeat in (2024-01-01T00:00:00Z,2024-01-02T00:00:00Z)",
        ),
    ],
)
def test_a_date_literal_is_written_as_the_instant_the_condition_means(condition: str, odata: str) -> None:
    assert render(parse(condition), "odata") == odata


def test_the_date_time_selects_what_the_condition_selects() -> None:
    """A Date literal against date-time values: §5.1.1.1.1 compares values of one type; the
    condition language means midnight UTC. The instant selects the same records."""
    records = [
        {"LastHeartbeat": f"2024-01-01T{hour:02d}:00:00{zone}"} for hour in (0, 1, 23) for zone in ("Z", "+01:00")
    ]
    records.append({"LastHeartbeat": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)})
    condition = parse("LastHeartbeat = 2024-01-01")
    tree = parse_odata(render(condition, "odata"))
    chosen = [r for r in records if evaluate_odata(tree, r)]
    assert chosen == [r for r in records if evaluate(condition, r)]
    assert len(chosen) == 3  # 00:00Z, 01:00+01:00 and the datetime object


# ------------------------------------------------------------------ `ne` with non-numeric text


@pytest.mark.parametrize(
    "condition", ["TotalMemory != '-'", "not (TotalMemory = '-')", "TotalMemory not in ('-', 'x')"]
)
def test_ne_with_text_warns_without_a_schema(condition: str) -> None:
    # on TotalMemory = 5, OData's `ne '-'` is true; the condition language's comparison is unknown
    with pytest.warns(TranslationWarning, match="exact only if TotalMemory holds text"):
        render(parse(condition), "odata")


def test_ne_with_text_on_a_number_field_is_refused() -> None:
    schema = load_schema(dialect="automate")
    with pytest.raises(UntranslatableError, match="TotalMemory holds numbers"):
        translate("TotalMemory != '-'", "automate", "odata", schema=schema, endpoint="Computers")


def test_ne_with_text_on_a_text_field_is_exact() -> None:
    schema = load_schema(dialect="automate")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tree = translate("Location.Client.City != '-'", "automate", "odata", schema=schema, endpoint="Computers")
        text = render(tree, "odata", schema=schema, endpoint="Computers")
    assert text == "Location/Client/City ne null and Location/Client/City ne '-'"


# ------------------------------------------------------------------ errors and the CLI


def test_a_dotted_path_error_points_at_the_dot() -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse("Client.Name eq 'x'", dialect="odata")
    assert (caught.value.column, caught.value.end_pos) == (7, 7)
    assert "`Client/Name`" in (caught.value.hint or "")


def test_the_cli_prints_the_warning_the_api_gives(capsys: pytest.CaptureFixture[str]) -> None:
    """`Size` is unknown on Computers, so the translation warns, in the API and in the CLI.
    (Without --endpoint the catalogue types Size as an integer on every endpoint that has it,
    and the translation is exact: no warning then, in either.)"""
    with pytest.warns(TranslationWarning):
        translate("not (Size <= 1.71)", "automate", "odata")
    status = main(["translate", "--from", "automate", "--to", "odata", "--endpoint", "Computers", "not (Size <= 1.71)"])
    out, err = capsys.readouterr()
    assert (status, out) == (0, "Size gt 1.71\n")
    assert "warning: Size <= 1.71: exact only if Size holds JSON numbers" in err


# ------------------------------------------------------------------ what the ABNF refuses


@pytest.mark.parametrize(
    ("text", "column", "hint"),
    [
        (" Name eq 'a'", 1, "white space"),  # the suite's `$filter= true` fails at the space
        ("Name eq 'a' ", 12, "white space"),
        ("Name eq 'a'\n", 12, "white space"),
        ("substringof('a',Name)", 1, "contains(Name,'text')"),  # OData 2's
        ("frobnicate(Name) eq 1", 1, "parameters by name"),  # functionExprParameters are named
        ("f(1,2) eq 1", 1, "parameters by name"),
    ],
)
def test_the_abnf_refuses(text: str, column: int, hint: str) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(text, dialect="odata")
    assert caught.value.column == column
    assert hint in (caught.value.hint or "")


@pytest.mark.parametrize("text", ["Items(1)/Name eq 5", "NS.F(p=1) eq 1", "contains(Name,'a')", "CONTAINS(Name,'a')"])
def test_the_abnf_allows(text: str) -> None:
    parse(text, dialect="odata")
