"""to_sql: the evaluator's rule tables run through SQLite, and the storage convention."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import sqlite3
from typing import Any

import pytest

from cwa_query import ast, evaluate, parse, to_sql
from cwa_query.errors import UnrepresentableConditionError, UnsupportedValueError
from cwa_query.language._sql import sql_row, sql_value
from tests.evaluate.evaluate_tables import DATES, LIKE, NULLS_AND_LOGIC, NUMBERS, PATHS, TEXT
from tests.sql.evaluate_sql import select


def _storable(condition: str, record: dict[str, Any]) -> bool:
    """The record fits a table, and no path of the condition goes through a list (a list is
    one column, JSON in a BLOB, so `Users.Name` names no column of `{"Users": [...]}`)."""
    try:
        sql_row(record)
    except UnsupportedValueError:
        return False
    for node in ast.walk(parse(condition)):
        if isinstance(node, (ast.Compare, ast.InList)):
            value: Any = record
            for part in node.field.parts[:-1]:
                value = next((v for k, v in value.items() if k.lower() == part.lower()), None)
                if not isinstance(value, dict):
                    if isinstance(value, list):
                        return False
                    break
    return True


STORABLE_ROWS = [row for row in NULLS_AND_LOGIC + PATHS + TEXT + LIKE + NUMBERS + DATES if _storable(row[0], row[1])]


@pytest.mark.parametrize(("condition", "record", "expected"), STORABLE_ROWS)
def test_rule_tables_through_sqlite(condition: str, record: dict[str, Any], expected: bool | None) -> None:
    node = parse(condition)
    assert select(node, [record]) == ({0} if expected is True else set())
    assert select(ast.Not(node), [record]) == ({0} if expected is False else set())


def test_nearly_every_rule_row_reaches_sqlite() -> None:
    # The filter above keeps the tables honest: only paths through lists are left out.
    rows = NULLS_AND_LOGIC + PATHS + TEXT + LIKE + NUMBERS + DATES
    assert len(STORABLE_ROWS) > 100 and len(rows) - len(STORABLE_ROWS) < 12
    assert any(isinstance(next(iter(record.values()), None), list) for _, record, _ in STORABLE_ROWS)


@pytest.mark.parametrize(
    ("condition", "sql_fragment", "params"),
    [
        ("Client.Id = 5", '"Client.Id"', [5]),
        ("t > 2024-02-14", "GLOB", ["2024-02-14T00:00:00.000000+00:00"]),
        ("b = true", "IN", [1]),
        ("n = 2.5", "IN", [2.5]),
        ("n < 99999999999999999999", "<", [1e20]),
        ("s contains '50%'", "LIKE", ["%50\\%%", "50%"]),  # a list's `contains` asks for a member
        ("s startswith 'a_'", "LIKE", ["a\\_%"]),
        ("s endswith 'a\\'", "LIKE", ["%a\\\\"]),
        ("s like 'a\\'", "ESCAPE", ["a\\\\"]),
        ("s like 'x\\y%'", "ESCAPE", ["xy%"]),
    ],
)
def test_parameters(condition: str, sql_fragment: str, params: list[Any]) -> None:
    sql, got = to_sql(condition)
    assert sql_fragment in sql
    assert got == params


def test_values_are_never_spliced() -> None:
    sql, params = to_sql("Name = 'x'' or 1=1 --' or Name in ('a', 'b')")
    assert "1=1" not in sql and "'a'" not in sql
    assert "x' or 1=1 --" in params


@pytest.mark.slow  # 3,000 items: seconds in SQLite's parser
def test_long_chains_stay_shallow_for_sqlite() -> None:
    items = tuple(ast.Compare(ast.Field("n"), ast.Op.EQ, ast.Integer(i)) for i in range(3000))
    node = ast.Or(items)
    assert select(node, [{"n": 2999}, {"n": 3000}]) == {0}


def test_long_in_list() -> None:
    node = parse("n in (" + ", ".join(str(i) for i in range(5000)) + ")")
    assert select(node, [{"n": 4999}, {"n": "17"}, {"n": 5000}]) == {0, 1}


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (None, None),
        ("x", "x"),
        (True, 1),
        (False, 0),
        (5, 5),
        (2**70, float(2**70)),
        (1.5, 1.5),
        (float("nan"), None),
        (decimal.Decimal("2.50"), 2.5),
        (decimal.Decimal("3.0"), 3),
        (decimal.Decimal("NaN"), None),
        (dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "2024-01-01T17:00:00.000000+00:00"),
        (dt.datetime(2024, 1, 1, 12), "2024-01-01T12:00:00.000000+00:00"),
        (dt.date(2024, 1, 1), "2024-01-01T00:00:00.000000+00:00"),
    ],
)
def test_sql_value(value: Any, stored: Any) -> None:
    assert sql_value(value) == stored
    assert type(sql_value(value)) is type(stored)


@pytest.mark.parametrize(
    "record",
    [
        {"Tags": [{1: "a"}]},
        {"Client": {"Ports": (1, math.inf)}},
        {"x": object()},
        {"x": b"bytes"},
        {"x": "\ud800"},
        {"t": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))},
    ],
)
def test_sql_row_refuses_what_a_column_cannot_hold(record: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedValueError, match="field"):
        sql_row(record)


def test_a_list_is_one_column_of_json_in_a_blob() -> None:
    row = sql_row({"Tags": ["a", True, None, 2.5, [dt.date(2024, 1, 1)], {"k": decimal.Decimal("1.0")}]})
    assert row == {"Tags": b'["a", true, null, 2.5, ["2024-01-01T00:00:00.000000+00:00"], {"k": 1}]'}
    assert select(parse("Tags = 'A' and Tags > 2 and Tags contains 'a'"), [{"Tags": ["a", 3]}, {"Tags": ["b"]}]) == {0}


def test_normal_form_sorts_as_time() -> None:
    moments = [dt.datetime(999, 5, 1, tzinfo=dt.UTC), dt.datetime(2024, 1, 1, 23, 59, 59, 999999), dt.date(2024, 1, 2)]
    texts = [sql_value(m) for m in moments]
    assert texts == sorted(texts)  # type: ignore[type-var]


def test_like_is_ascii_case_insensitive_in_sqlite_too() -> None:
    # the assumption under LIKE and COLLATE NOCASE: SQLite folds ASCII letters only
    db = sqlite3.connect(":memory:")
    assert db.execute("SELECT 'ABC' LIKE 'abc', 'É' LIKE 'é', 'A' = 'a' COLLATE NOCASE").fetchone() == (1, 0, 1)
    assert evaluate("s like 'abc'", {"s": "ABC"}) and not evaluate("s like 'é'", {"s": "É"})


def test_a_lone_surrogate_in_a_literal_is_refused_clearly() -> None:
    node = ast.Compare(ast.Field("Name"), ast.Op.EQ, ast.String("\ud800"))
    with pytest.raises(UnrepresentableConditionError, match="surrogate"):
        to_sql(node)


def _leaf(value: int) -> ast.Node:
    return ast.Compare(ast.Field("x"), ast.Op.EQ, ast.Integer(value))


def _alternating(levels: int, *, deep_first: bool) -> ast.Node:
    node = _leaf(0)
    for level in range(1, levels):
        kind = ast.And if level % 2 else ast.Or
        node = kind((node, _leaf(level)) if deep_first else (_leaf(level), node))
    return node


def test_the_deepest_allowed_not_chain_runs_in_sqlite() -> None:
    node = _leaf(1)
    for _ in range(399):
        node = ast.Not(node)
    assert select(node, [{"x": 1}, {"x": 2}, {}]) == {1}


@pytest.mark.parametrize("deep_first", [True, False])
def test_deep_and_or_trees_run_in_sqlite_as_evaluate_answers(deep_first: bool) -> None:
    node = _alternating(108, deep_first=deep_first)
    batch = [{"x": value} for value in (0, 1, 2, 107, 200)] + [{}, {"x": [3, 107]}]
    assert select(node, batch) == {i for i, record in enumerate(batch) if evaluate(node, record)}
    assert select(ast.Not(node), batch) == {i for i, record in enumerate(batch) if evaluate(ast.Not(node), record)}


def test_trees_too_deep_for_sqlite_are_refused_clearly() -> None:
    with pytest.raises(UnrepresentableConditionError, match="flatten"):
        to_sql(_alternating(112, deep_first=False))


def test_sql_value_of_enums_and_infinity() -> None:
    import enum

    class Level(enum.Enum):
        HIGH = 3

    assert sql_value(Level.HIGH) == 3
    assert sql_value(decimal.Decimal("-Infinity")) == float("-inf")
