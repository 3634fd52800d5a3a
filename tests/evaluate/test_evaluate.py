"""Unit tests of the evaluator: one table per semantic rule."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

import pytest

from cwa_query import F, ast, evaluate, parse
from cwa_query.errors import ConditionError, ConditionEvaluationError, ConditionSyntaxError
from cwa_query.language._evaluate import (
    LikeMatcher,
    ascii_lower,
    compile_predicate,
    compile_truth,
    instant_text,
    like_tokens,
    truth,
    truth_function,
)
from tests.evaluate.evaluate_tables import DATES, LIKE, NULLS_AND_LOGIC, NUMBERS, PATHS, TEXT

UTC = dt.UTC
PLUS2 = dt.timezone(dt.timedelta(hours=2))
D = decimal.Decimal


@pytest.mark.parametrize(
    ("condition", "record", "expected"),
    NULLS_AND_LOGIC + PATHS + TEXT + LIKE + NUMBERS + DATES,
)
def test_rule(condition: str, record: dict[str, Any], expected: bool | None) -> None:
    assert truth(condition, record) is expected
    assert evaluate(condition, record) is (expected is True)
    assert compile_predicate(parse(condition))(record) is (expected is True)


@pytest.mark.parametrize(("condition", "record", "expected"), NULLS_AND_LOGIC + PATHS + TEXT + NUMBERS + DATES)
def test_negated_operator_is_not_of_positive(condition: str, record: dict[str, Any], expected: bool | None) -> None:
    node = parse(condition)
    negated = truth(ast.Not(node), record)
    assert negated is (None if expected is None else not expected)


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    ("condition", "value", "expected"),
    [
        ("x = 'RED'", Color.RED, True),
        ("x = 3", Level.HIGH, True),
        ("x > 2.5", Level.HIGH, True),
        ("x = 1", object(), None),
        ("x = 1", b"1", None),
        ("x = 'a'", {"a"}, None),
    ],
)
def test_unusual_values(condition: str, value: Any, expected: bool | None) -> None:
    assert truth(condition, {"x": value}) is expected


@pytest.mark.parametrize(
    ("expr", "record", "expected"),
    [
        (F.Name == "a", {"Name": "A"}, True),
        ((F.a == 1) | (F.b == 2), {"b": 2}, True),
        (~F.Name.startswith("x"), {"Name": "y"}, True),
        (F.a.in_(1, 2), {"a": 2}, True),
    ],
)
def test_builder_and_nodes(expr: Any, record: dict[str, Any], expected: bool) -> None:
    assert evaluate(expr, record) is expected
    assert evaluate(expr.node, record) is expected


def test_compiled_predicate_is_reusable() -> None:
    predicate = compile_predicate("Status = 'Online' and Memory >= 4096")
    records = [{"Status": "online", "Memory": m} for m in (1024, 4096, None, 8192.5)]
    assert [predicate(r) for r in records] == [False, True, False, True]
    three = compile_truth("Status = 'Online' and Memory >= 4096")
    assert [three(r) for r in records] == [False, True, None, True]


def test_compiled_predicate_over_an_odata_expression() -> None:
    """What only OData says (a lambda, arithmetic) compiles into the same record -> bool."""
    predicate = compile_predicate("Tags/any(t: contains(t,'x')) and Price mul 2 gt 10", dialect="odata")
    records = [{"Tags": ["ax", "b"], "Price": 6}, {"Tags": ["a"], "Price": 6}, {"Tags": ["ax"], "Price": 5}, {}]
    assert [predicate(r) for r in records] == [True, False, False, False]
    three = compile_truth("Tags/any(t: contains(t,'x')) and Price mul 2 gt 10", dialect="odata")
    assert [three(r) for r in records] == [True, False, False, False]  # any() over no list is false
    assert three({"Tags": ["x"]}) is False  # OData: null mul 2 gt 10 is false, not unknown


def test_compiled_predicate_keeps_the_collection_budget() -> None:
    """The step budget of any/all holds on the compiled predicate, call after call."""
    from cwa_query.language._evaluate import predicate_function

    node = parse("Tags/any(t: t eq 'z')", dialect="odata")
    assert isinstance(node, ast.Expression)
    predicate = predicate_function(node, max_steps=50)
    assert predicate({"Tags": ["a"] * 10}) is False
    assert predicate({"Tags": ["a"] * 10 + ["z"]}) is True
    with pytest.raises(ConditionEvaluationError, match="more than 50 collection members"):
        predicate({"Tags": ["a"] * 1000})
    assert predicate({"Tags": ["z"]}) is True  # the budget is per record, not spent for good


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: evaluate("x ==", {}), ConditionSyntaxError),
        (lambda: evaluate("x = 1", [("x", 1)]), TypeError),  # type: ignore[arg-type]
        (lambda: evaluate(42, {}), TypeError),  # type: ignore[arg-type]
        (
            lambda: compile_predicate(
                ast.Compare(
                    ast.Field("t"),
                    ast.Op.EQ,
                    ast.DateTime(dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
                )
            ),
            ConditionError,
        ),
        (lambda: compile_predicate(ast.Compare(ast.Field("n"), ast.Op.EQ, ast.Decimal(D("NaN")))), ConditionError),
    ],
)
def test_bad_input_raises_typed_errors(call: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()


def test_deep_trees_are_refused_clearly() -> None:
    node: ast.Node = ast.Compare(ast.Field("x"), ast.Op.EQ, ast.Integer(1))
    for _ in range(401):
        node = ast.Not(node)
    with pytest.raises(ConditionError, match="deeper than 400"):
        compile_predicate(node)


def test_deep_but_allowed_tree_evaluates() -> None:
    node: ast.Node = ast.Compare(ast.Field("x"), ast.Op.EQ, ast.Integer(1))
    for _ in range(400 - 1):
        node = ast.Not(node)
    assert truth(node, {"x": 1}) is (400 % 2 == 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2024, 2, 14, 10, 30, tzinfo=PLUS2), "2024-02-14T08:30:00.000000+00:00"),
        (dt.datetime(2024, 2, 14, 10, 30, 0, 5), "2024-02-14T10:30:00.000005+00:00"),
        (dt.date(999, 1, 2), "0999-01-02T00:00:00.000000+00:00"),
    ],
)
def test_instant_text(value: dt.date, expected: str) -> None:
    assert instant_text(value) == expected
    assert len(expected) == 32


@pytest.mark.parametrize(
    ("pattern", "tokens"),
    [
        ("a%_", ["a", "%", None]),
        (r"\%\_\\", ["\\%", "_", "\\"]),
        ("\\", ["\\"]),
        (r"\a", ["a"]),
    ],
)
def test_like_tokens(pattern: str, tokens: list[str | None]) -> None:
    assert like_tokens(pattern) == tokens


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("%", "", True),
        ("a%", "a", True),
        ("%a", "ba", True),
        ("%a%", "", False),
        ("_%_", "a", False),
        ("_%_", "ab", True),
    ],
)
def test_like_matcher(pattern: str, text: str, expected: bool) -> None:
    assert LikeMatcher(pattern)(text) is expected


def test_ascii_lower_leaves_other_letters() -> None:
    assert ascii_lower("ÀBC İ") == "Àbc İ"


def test_deep_alternating_tree_evaluates() -> None:
    # And(y = 1, Or(x = 398, And(y = 1, Or(x = 396, ...)))), 400 levels deep
    node: ast.Node = ast.Compare(ast.Field("x"), ast.Op.EQ, ast.Integer(0))
    for level in range(1, 400):
        if level % 2:
            node = ast.And((ast.Compare(ast.Field("y"), ast.Op.EQ, ast.Integer(1)), node))
        else:
            node = ast.Or((ast.Compare(ast.Field("x"), ast.Op.EQ, ast.Integer(level)), node))
    assert ast.depth(node) == 400
    assert truth(node, {"y": 1, "x": 398}) is True
    assert truth(node, {"y": 1, "x": 2}) is True
    assert truth(node, {"y": 1, "x": 5}) is False
    assert truth(node, {"y": 2, "x": 398}) is False
    assert truth(node, {}) is None


class Stamp(dt.datetime):
    pass


class Ratio(float):
    pass


@pytest.mark.parametrize(
    ("condition", "record", "expected"),
    [
        ("a.b = 1", {"a": __import__("types").MappingProxyType({"B": 1})}, True),
        ("t = 2024-01-01T00:00:00Z", {"t": Stamp(2024, 1, 1, tzinfo=UTC)}, True),
        ("t like '2024%'", {"t": Stamp(2024, 1, 1)}, True),
        ("r = 0.5", {"r": Ratio(0.5)}, True),
        ("r = 0.5", {"r": D("0.50")}, True),
        ("r > 1", {"r": D("Infinity")}, True),
        ("r = 1", {"r": D("NaN")}, None),
    ],
)
def test_mappings_and_subclasses(condition: str, record: dict[str, Any], expected: bool | None) -> None:
    assert truth(condition, record) is expected


def test_one_step_budget_bounds_a_record_across_the_whole_tree() -> None:
    # Two OData expressions in one tree share one budget per record (each lambda member is a step).
    tree = parse("Tags/any(t: t eq 'x') and Ids/any(i: i eq 1)", dialect="odata")
    record = {"Tags": ["a", "b", "x"], "Ids": [2, 3, 1]}
    assert truth_function(tree, 6)(record) is True
    with pytest.raises(ConditionEvaluationError, match="more than 5 collection members"):
        truth_function(tree, 5)(record)
    assert truth_function(tree, 5)({"Tags": ["x"], "Ids": [1]}) is True  # a fresh budget per record
