"""translate(): keeps the meaning on every record, or refuses, or warns visibly."""

from __future__ import annotations

import warnings

import pytest

from cwa_query import (
    ConditionError,
    TranslationWarning,
    UntranslatableError,
    evaluate,
    load_schema,
    parse,
    render,
    translate,
)
from cwa_query.dialects import get_dialect

SCHEMA = load_schema(
    {
        "endpoints": {
            "Things": {
                "fields": {
                    "Name": "string",
                    "Ports": "integer[]",
                    "Tags": "string[]",
                    "Count": "integer",
                    "Id": "id",
                    "At": "datetime",
                    "Flag": "boolean",
                    "Users": "object[]",
                    "Users.Name": "string",
                    "Client": "object",
                    "Client.Id": "id",
                }
            }
        }
    }
)


def _exact(cond: str, source: str | None, target: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error", TranslationWarning)
        return render(translate(cond, source, target, schema=SCHEMA, endpoint="Things"), target)


# (condition, source, target, expected text in target)
EXACT = [
    ("Name like 'SRV%'", "automate", "seed", "Name startswith 'SRV'"),
    ("Name like '%01'", "automate", "seed", "Name endswith '01'"),
    ("Name like '%DC%'", "automate", "seed", "Name contains 'DC'"),
    ("Name like 'DC01'", "automate", "seed", "Name = 'DC01'"),
    ("Name not like 'DC01'", "automate", "seed", "Name != 'DC01'"),
    ("Name not like 'a%'", "automate", "seed", "not (Name startswith 'a')"),
    ("Tags not contains 'x'", "automate", "seed", "not (Tags contains 'x')"),
    ("Id not in (1, 2)", "automate", "seed", "not (Id in (1, 2))"),
    ("Flag = true", "automate", "seed", "Flag = 1"),
    ("Flag in (true, false)", "automate", "seed", "Flag in (1, 0)"),
    ("At < 2024-01-01", "automate", "seed", "At < '2024-01-01'"),
    ('Name eq "O\'Brien"', "automate", "seed", "Name = 'O''Brien'"),
    ("Users.Name like '%x%'", "automate", "seed", "Users.Name contains 'x'"),
    ("Name startswith 'a_'", "seed", "automate", "Name like 'a\\_%'"),
    ("not (Name endswith 'x')", "seed", "automate", "Name not like '%x'"),
    ("not (Count < 10)", "seed", "automate", "Count >= 10"),
    ("not (Client.Id <= 5 or Name = 'a')", "seed", "automate", "Client.Id > 5 and Name != 'a'"),
    ("not (Tags = 'x')", "seed", "automate", "Tags != 'x'"),
    ("not (Ports in (1, 2))", "seed", "automate", "Ports not in (1, 2)"),
    ("not (not (Name contains 'a'))", "seed", "automate", "Name contains 'a'"),
    ("At >= '2024-02-14'", "seed", "automate", "At >= 2024-02-14"),
    ("Name = '2024-02-14'", "seed", "automate", "Name = '2024-02-14'"),
]


@pytest.mark.parametrize(("cond", "source", "target", "expected"), EXACT)
def test_exact_translations(cond: str, source: str, target: str, expected: str) -> None:
    assert _exact(cond, source, target) == expected


# (condition, source, target, what the refusal names)
REFUSED = [
    ("Tags like '%a%'", "automate", "seed", "Tags is not a list but holds text"),
    ("Ports like '44'", "automate", "seed", "Ports holds text"),
    ("Client.Id like '5'", "automate", "seed", "Client.Id holds text"),
    ("Name like 'A_C%'", "automate", "seed", "no seed equivalent"),
    ("Name like '%a%b%'", "automate", "seed", "no seed equivalent"),
    ("Count < 2024-01-01", "automate", "seed", "Count holds date-times"),
    ("Name contains true", None, "seed", "text test"),
    ("not (Ports < 10)", "seed", "automate", "Ports holds one value, not a list"),
    ("not (Users.Name >= 'm')", "seed", "automate", "Users.Name holds one value, not a list"),
]


@pytest.mark.parametrize(("cond", "source", "target", "reason"), REFUSED)
def test_refusals_name_the_construct_and_its_position(cond: str, source: str | None, target: str, reason: str) -> None:
    with pytest.raises(UntranslatableError) as caught:
        translate(cond, source, target, schema=SCHEMA, endpoint="Things")
    error = caught.value
    assert isinstance(error, ConditionError)
    assert reason in str(error)
    assert error.target == target
    negated = cond.startswith("not (")
    assert error.construct == (cond[5:-1] if negated else cond)
    assert (error.line, error.column, error.pos) == ((1, 6, 5) if negated else (1, 1, 0))


@pytest.mark.parametrize(
    ("cond", "source", "target"),
    [
        ("Tags like '%a%'", "automate", "seed"),
        ("Client.Id like '5'", "automate", "seed"),
        ("LastContact < 2024-01-01", "automate", "seed"),
        ("not (Ports < 10)", "seed", "automate"),
    ],
)
def test_without_a_schema_scalar_only_rewrites_warn(cond: str, source: str, target: str) -> None:
    with pytest.warns(TranslationWarning, match="nothing says so"):
        translate(cond, source, target)


def test_the_issue_examples_change_no_record_when_the_schema_knows() -> None:
    # not (Ports < 10) is not Ports >= 10 on lists: refused, not silently wrong
    records = [{"Ports": [5, 20]}, {"Ports": []}]
    assert [evaluate("not (Ports < 10)", r) for r in records] == [False, True]
    assert [evaluate("Ports >= 10", r) for r in records] == [True, False]
    with pytest.raises(UntranslatableError):
        translate("not (Ports < 10)", "seed", "automate", schema=SCHEMA, endpoint="Things")


def test_a_date_literal_is_quoted_for_seed_only_on_a_date_time_field_and_means_the_same() -> None:
    tree = translate("At < 2024-01-01", "automate", "seed", schema=SCHEMA, endpoint="Things")
    assert tree == parse("At < 2024-01-01")  # the seed reading of the quoted date, on a date-time field
    assert render(tree, "seed") == "At < '2024-01-01'"


def test_null_is_refused_by_the_condition_dialects() -> None:
    from cwa_query import ast

    tree = ast.Compare(ast.Field("Name"), ast.Op.EQ, ast.Null(ast.Span(7, 11)))
    for target in ("seed", "automate"):
        with pytest.raises(UntranslatableError, match="null"):
            translate(tree, None, target)


def test_text_source_is_read_by_the_source_grammar_and_objects_work_too() -> None:
    seed, automate = get_dialect("seed"), get_dialect("automate")
    assert translate("Name like 'a%'", automate, seed) == translate(parse("Name like 'a%'"), "automate", "seed")
    with pytest.raises(TypeError):
        translate(42, None, "seed")


def test_render_to_seed_writes_any_tree_as_it_is() -> None:
    assert render(parse("Tags like '%a%'"), "seed") == "Tags like '%a%'"


def test_render_and_encode_ask_a_schema_too() -> None:
    from cwa_query import F, encode

    with warnings.catch_warnings():
        warnings.simplefilter("error", TranslationWarning)
        assert render(~(F.Count < 10), "automate", schema=SCHEMA, endpoint="Things") == "Count >= 10"
        assert encode(~(F.Count < 10), "automate", schema=SCHEMA, endpoint="Things") == "Count%20%3E%3D%2010"
    with pytest.raises(UntranslatableError):
        render(~(F.Ports < 10), "automate", schema=SCHEMA, endpoint="Things")
    with pytest.warns(TranslationWarning):
        assert render(~(F.Ports < 10), "automate") == "Ports >= 10"


@pytest.mark.parametrize("bad", ["automate", b"automate", 5, ["automate"]])
def test_a_schema_argument_that_is_no_schema_is_a_type_error_saying_how_to_load_one(bad: object) -> None:
    with pytest.raises(TypeError, match=r"load_schema"):
        render(parse("Name = 'x'"), "odata", schema=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"load_schema"):
        translate("Name = 'x'", "automate", "odata", schema=bad)  # type: ignore[arg-type]
