"""Red-team inputs (issue 21, items 2-6 and 9): each is bounded and ends in the project's own
typed error, never a bare exception, gigabytes of memory or a process to kill.

No test here times anything (bench/hostile.py prints the worst times); each input is one
that took seconds, minutes or gigabytes before the fix, so a regression shows as a hang.
"""

from __future__ import annotations

import decimal
import warnings

import pytest

from cwa_query import (
    ConditionEvaluationError,
    ConditionLimitError,
    F,
    UnrepresentableConditionError,
    parse,
    render,
    to_sql,
    translate,
)
from cwa_query.errors import ConditionSyntaxError, TranslationWarning, UnsupportedValueError
from cwa_query.language._evaluate import MAX_STEPS, compile_odata
from cwa_query.language._sql import sql_value
from cwa_query.odata import evaluate_odata, parse_odata

# ------------------------------------------------------------------ 2. huge OData exponents


@pytest.mark.parametrize(
    "text",
    [
        "substring(Name,1e999999999) eq 'a'",
        "Price eq 1e999999999",
        "Price eq 1e-999999999",
        "Price eq 1e99999999999999999999",
        "Price eq 1e" + "9" * 5000,
        "Price eq 0." + "0" * 5000 + "1",
    ],
)
def test_huge_exponents_are_a_limit_error_with_a_position(text: str) -> None:
    with pytest.raises(ConditionLimitError) as caught:
        parse_odata(text)
    assert caught.value.limit == "number_digits"
    assert text[caught.value.pos] in "01"


def test_exponents_within_the_bound_stay_exact() -> None:
    tree = parse_odata("Price eq 1.5e3 and Size lt 25e-1 and Big gt 1e4299")
    assert evaluate_odata(tree, {"Price": 1500, "Size": 2.4, "Big": 10**4300})


def test_to_sql_of_a_huge_exponent_never_builds_it() -> None:
    with pytest.raises(ConditionLimitError):
        to_sql(translate("Price eq 1e999999999", "odata", "automate"))


def test_a_built_decimal_with_a_huge_exponent_is_refused() -> None:
    with pytest.raises(UnrepresentableConditionError):
        F.Price == decimal.Decimal("1e999999999")


# ------------------------------------------------------------------ 3. matchesPattern ReDoS


def test_a_catastrophic_pattern_stops_with_a_typed_error() -> None:
    # `^(a|a)*$` backtracks 2**n ways on 'a'*n + '!' in every backtracking engine
    check = compile_odata(parse_odata("matchesPattern(Name,'^(a|a)*$')"))
    with pytest.raises(ConditionEvaluationError) as caught:
        check({"Name": "a" * 40 + "!"})
    assert caught.value.limit == "pattern_seconds"


def test_the_issue_pattern_answers() -> None:
    assert evaluate_odata(parse_odata("matchesPattern(Name,'^(a+)+$')"), {"Name": "a" * 30 + "!"}) is False


# ------------------------------------------------------------------ 4. nested any()


def _nested_any(levels: int) -> str:
    expr = "Name eq 'x'"
    for level in reversed(range(levels)):
        expr = f"L/any(v0:{expr})" if level == 0 else f"v{level - 1}/L/any(v{level}:{expr})"
    return expr


def _doubling_record(levels: int) -> dict[str, object]:
    record: dict[str, object] = {"Name": "y"}
    for _ in range(levels):
        record = {"Name": "y", "L": [record, record]}
    return record


@pytest.mark.parametrize("levels", [24, 40])
def test_nested_any_is_budgeted(levels: int) -> None:
    check = compile_odata(parse_odata(_nested_any(levels)))
    with pytest.raises(ConditionEvaluationError) as caught:
        check(_doubling_record(levels))
    assert caught.value.limit == "max_steps"
    assert f"{MAX_STEPS:,}" in str(caught.value)


def test_nested_any_within_the_budget_answers() -> None:
    assert compile_odata(parse_odata(_nested_any(10)))(_doubling_record(10)) is False
    assert compile_odata(parse_odata(_nested_any(24)), max_steps=2**26)(_doubling_record(4)) is False


# ------------------------------------------------------------------ 5. Manage errors


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("a" * 20_000 + " =", None),
        ("a" * 20_000 + " eq 1", "Manage has no `eq`"),
        ("x in (" + ",".join(["1"] * 20_000) + ",null)", "no source shows null in a list: write `x in (...)"),
        (" " * 20_000 + "x not in (null)", "x not in (...) and x != null"),
    ],
)
def test_manage_errors_stay_linear(text: str, hint: str | None) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(text, dialect="manage")
    if hint is not None:
        assert hint in (caught.value.hint or "")


# ------------------------------------------------------------------ 6. translation to and from OData


def test_a_long_in_list_warns_once_and_briefly() -> None:
    ids = ",".join(map(str, range(4000)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        translate(f"Id in ({ids})", "automate", "odata")
        render(parse(f"Id in ({ids})"), "odata")
        translate(f"Id in ({ids})", "odata", "automate")
    messages = [str(w.message) for w in caught if issubclass(w.category, TranslationWarning)]
    assert len(messages) == 3
    assert all(len(message) < 600 for message in messages)


def test_numeric_text_in_a_long_list_warns_once() -> None:
    values = ",".join(f"'{n}'" for n in range(3000))
    with pytest.warns(TranslationWarning) as caught:
        render(parse(f"Name in ({values})"), "odata")
    assert len(caught) == 1


def test_a_40k_segment_path_translates_with_a_brief_warning() -> None:
    path = "/".join(["a"] * 40_000)
    with pytest.warns(TranslationWarning) as caught:
        tree = translate(f"{path} eq 1", "odata", "automate", schema=None)
    assert len(str(caught[0].message)) < 1000
    assert tree == parse(path.replace("/", ".") + " = 1")


def test_a_deep_path_with_a_schema_translates() -> None:
    from cwa_query import load_schema

    path = "/".join(["a"] * 5_000)
    with pytest.warns(TranslationWarning):
        translate(f"{path} eq 1", "odata", "automate", schema=load_schema(dialect="automate"))


# ------------------------------------------------------------------ 9. integers past SQLite's numbers


@pytest.mark.parametrize(
    ("dialect", "equals"), [("automate", "="), ("seed", "="), ("manage", "="), ("odata", "eq")]
)
def test_to_sql_of_a_400_digit_integer_is_a_typed_error(dialect: str, equals: str) -> None:
    with pytest.raises(UnrepresentableConditionError, match=r"1\.8e308"):
        to_sql(parse(f"Id {equals} " + "9" * 400, dialect=dialect))


def test_a_400_digit_record_value_is_unsupported() -> None:
    with pytest.raises(UnsupportedValueError):
        sql_value(10**400)
    with pytest.raises(UnsupportedValueError):
        sql_value(decimal.Decimal("1e400"))
    assert sql_value(2**63) == float(2**63)
