"""Unit tests of the evaluator: one table per semantic rule."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

import pytest

from cwa_query import F, ast, evaluate, parse
from cwa_query._evaluate import (
    LikeMatcher,
    ascii_lower,
    compile_predicate,
    compile_truth,
    instant_text,
    like_tokens,
    truth,
)
from cwa_query.errors import ConditionError, ConditionSyntaxError

UTC = dt.UTC
PLUS1 = dt.timezone(dt.timedelta(hours=1))
PLUS2 = dt.timezone(dt.timedelta(hours=2))
D = decimal.Decimal

# (condition, record, expected three-valued answer)
Row = tuple[str, dict[str, Any], "bool | None"]

NULLS_AND_LOGIC: list[Row] = [
    ("x = 1", {}, None),
    ("x = 1", {"x": None}, None),
    ("x != 1", {}, None),
    ("x != 1", {"x": None}, None),
    ("not (x = 1)", {}, None),
    ("x = 1 or y = 1", {"y": 1}, True),
    ("x = 1 or y = 1", {"y": 2}, None),
    ("x = 1 and y = 1", {"y": 2}, False),
    ("x = 1 and y = 1", {"y": 1}, None),
    ("not (x = 1 and y = 1)", {"y": 2}, True),
    ("not (x = 1 or y = 1)", {"y": 2}, None),
    ("not (not (x = 1))", {"x": 1}, True),
    ("x in (1, 2)", {"x": None}, None),
    ("x not in (1, 2)", {}, None),
    ("x not in (1, 2)", {"x": 3}, True),
    ("x not like 'a%'", {}, None),
    ("x not contains 'a'", {"x": None}, None),
    ("x > 1", {"x": {"nested": 1}}, None),
]

PATHS: list[Row] = [
    ("Client.Id = 5", {"Client": {"Id": 5}}, True),
    ("Client.Id = 5", {"Client": None}, None),
    ("Client.Id = 5", {"Client": "x"}, None),
    ("Client.Id = 5", {"Client": {}}, None),
    ("client.id = 5", {"Client": {"Id": 5}}, True),
    ("CLIENT.ID = 5", {"Client": {"Id": 5}}, True),
    ("a.b.c = 1", {"a": {"b": {"c": 1}}}, True),
    ("Users.Name = 'bob'", {"Users": [{"Name": "alice"}, {"Name": "Bob"}]}, True),
    ("Users.Name = 'bob'", {"Users": [{"Name": "alice"}, {}]}, None),
    ("Users.Name = 'bob'", {"Users": [{"Name": "alice"}]}, False),
    ("Users.Name = 'bob'", {"Users": []}, False),
    ("Users.Name != 'bob'", {"Users": []}, True),
    ("Users.Name != 'bob'", {"Users": [{"Name": "alice"}, {"Name": "bob"}]}, False),
    ("Users.Name contains 'li'", {"Users": [{"Name": "alice"}]}, True),
    ("Users.Name not contains 'li'", {"Users": [{"Name": "alice"}, {"Name": "x"}]}, False),
    ("a.b.c = 1", {"a": [{"b": [{"c": 2}, {"c": 1}]}]}, True),
    ("a.b = 1", {"a": [[{"b": 1}]]}, True),
    ("Tags contains 'db'", {"Tags": ["web", "DB"]}, True),
    ("Tags contains 'd'", {"Tags": ["web", "DB"]}, False),
    ("Tags not contains 'd'", {"Tags": ["web", "DB"]}, True),
    ("Tags not contains 'db'", {"Tags": ["web", "DB"]}, False),
    ("Tags not contains 'x'", {"Tags": []}, True),
    ("Tags not contains 'x'", {"Tags": [None, "y"]}, None),
    ("Tags contains 'x'", {"Tags": [None, "x"]}, True),
    ("Tags = 'web'", {"Tags": ["web", "DB"]}, True),
    ("Tags != 'web'", {"Tags": ["web", "DB"]}, False),
    ("Tags in ('a', 'db')", {"Tags": ["web", "DB"]}, True),
    ("Tags not in ('a', 'db')", {"Tags": ["web", "DB"]}, False),
    ("Tags like 'w%'", {"Tags": ["web", "DB"]}, True),
    ("Tags not like 'w%'", {"Tags": ["web", "DB"]}, False),
    ("Ports contains 443", {"Ports": [80, 443]}, True),
    ("Ports contains 44", {"Ports": [80, 443]}, False),
    ("Ports contains '443'", {"Ports": [80, 443]}, True),
    ("Ports > 100", {"Ports": [80, 443]}, True),
    ("Ports < 10", {"Ports": [80, 443]}, False),
    ("Ports contains 1", {"Ports": [[1, 2], [3]]}, True),
    ("Users.Name = 'x'", {"Users": [["a"]]}, None),
    ("Users contains 'x'", {"Users": [{"Name": "x"}]}, None),
]

TEXT: list[Row] = [
    ("s = 'online'", {"s": "ONLINE"}, True),
    ("s = 'é'", {"s": "É"}, False),
    ("s = 'straße'", {"s": "STRASSE"}, False),
    ("s != 'online'", {"s": "Online"}, False),
    ("s < 'b'", {"s": "A"}, True),
    ("s < 'B'", {"s": "a"}, True),
    ("s > '_'", {"s": "A"}, True),
    ("s >= 'abc'", {"s": "ABC"}, True),
    ("s contains 'DC'", {"s": "srv-dc-01"}, True),
    ("s startswith 'SRV'", {"s": "srv-dc-01"}, True),
    ("s endswith '01'", {"s": "srv-dc-01"}, True),
    ("s endswith 'DC'", {"s": "srv-dc-01"}, False),
    ("s in ('A', 'b')", {"s": "B"}, True),
    ("s contains ''", {"s": ""}, True),
    ("s contains 'x'", {"s": 5}, None),
    ("s startswith '1'", {"s": 12}, None),
    ("s like '1%'", {"s": True}, None),
    ("s contains 1", {"s": "a1b"}, True),
    ("s contains 2024-01-01", {"s": "since 2024-01-01"}, True),
]

LIKE: list[Row] = [
    ("s like 'a%'", {"s": "ABC"}, True),
    ("s like '%b%'", {"s": "ABC"}, True),
    ("s like 'a_c'", {"s": "abc"}, True),
    ("s like 'a_c'", {"s": "abbc"}, False),
    ("s like 'a%c'", {"s": "ac"}, True),
    ("s like 'a%%c'", {"s": "ac"}, True),
    ("s like '%'", {"s": ""}, True),
    ("s like '_'", {"s": ""}, False),
    ("s like '_'", {"s": "é"}, True),
    ("s like 'abc'", {"s": "abcd"}, False),
    (r"s like '50\%'", {"s": "50%"}, True),
    (r"s like '50\%'", {"s": "500"}, False),
    (r"s like 'a\_b'", {"s": "a_b"}, True),
    (r"s like 'a\_b'", {"s": "axb"}, False),
    (r"s like 'a\\b'", {"s": "a\\b"}, True),
    (r"s like 'a\b'", {"s": "ab"}, True),
    ("s like 'a\\'", {"s": "a\\"}, True),
    ("s like '%a%a%a%a%a%a%a%a%a%b'", {"s": "a" * 2000}, False),
    ("s like '%ab%ab%'", {"s": "xabyabz"}, True),
    ("s like '%ab%ab%'", {"s": "xabz"}, False),
    ("s like 'a%b%a'", {"s": "aba"}, True),
    ("s like 'a%a'", {"s": "a"}, False),
    ("s like 'line%'", {"s": "line1\nline2"}, True),
    ("s not like 'a%'", {"s": "ba"}, True),
    ("s like '2024-%'", {"s": dt.datetime(2024, 5, 1, tzinfo=UTC)}, True),
    ("s like '%t10:%'", {"s": dt.datetime(2024, 5, 1, 10, tzinfo=UTC)}, True),
]

NUMBERS: list[Row] = [
    ("n = 5", {"n": 5.0}, True),
    ("n = 5", {"n": D("5.00")}, True),
    ("n = 0.1", {"n": 0.1}, True),
    ("n = 0.3", {"n": 0.1 + 0.2}, False),
    ("n > 0.1", {"n": 0.1 + 0.2}, True),
    ("n < 9007199254740993", {"n": 9007199254740992}, True),
    ("n = 9007199254740993", {"n": 9007199254740993}, True),
    ("n = 1", {"n": True}, True),
    ("n = true", {"n": 1}, True),
    ("n = false", {"n": False}, True),
    ("n > false", {"n": True}, True),
    ("n = '5'", {"n": 5}, True),
    ("n = '5.0'", {"n": 5}, True),
    ("n = '-5'", {"n": -5.0}, True),
    ("n = 'five'", {"n": 5}, None),
    ("n = ' 5'", {"n": 5}, None),
    ("n = '1e3'", {"n": 1000}, None),
    ("n = 5", {"n": "5"}, True),
    ("n = 5", {"n": "05"}, True),
    ("n = 5", {"n": "5.0"}, True),
    ("n > 4.5", {"n": "5"}, True),
    ("n = 5", {"n": "five"}, None),
    ("n in (4, 5)", {"n": "five"}, None),
    ("n in ('five', 5)", {"n": "five"}, True),
    ("n = '05'", {"n": "5"}, False),
    ("n = 5", {"n": float("nan")}, None),
    ("n != 5", {"n": float("nan")}, None),
    ("n > 5", {"n": float("inf")}, True),
    ("n = 5", {"n": dt.datetime(2024, 1, 1)}, None),
    ("n in (1, 2.5, 'x')", {"n": 2.5}, True),
    ("n in (1, 2.5, 'x')", {"n": 3}, None),
    ("n in (1, 2.5)", {"n": 3}, False),
]

DATES: list[Row] = [
    ("t = 2024-02-14", {"t": dt.datetime(2024, 2, 14, tzinfo=UTC)}, True),
    ("t = 2024-02-14", {"t": dt.date(2024, 2, 14)}, True),
    ("t > 2024-02-14", {"t": dt.datetime(2024, 2, 14, 0, 0, 0, 1, tzinfo=UTC)}, True),
    ("t >= '2024-02-14'", {"t": dt.datetime(2024, 2, 14, 1, tzinfo=UTC)}, True),
    ("t = 2024-02-14T10:00:00", {"t": dt.datetime(2024, 2, 14, 10)}, True),
    ("t = 2024-02-14T12:00:00+02:00", {"t": dt.datetime(2024, 2, 14, 10, tzinfo=UTC)}, True),
    ("t = '2024-02-14T10:00:00Z'", {"t": dt.datetime(2024, 2, 14, 11, tzinfo=PLUS1)}, True),
    ("t < 2019-12-18T00:50:19.575Z", {"t": dt.datetime(2019, 12, 18, 0, 50, 19, 574999, tzinfo=UTC)}, True),
    ("t = 'yesterday'", {"t": dt.datetime(2024, 2, 14, tzinfo=UTC)}, None),
    ("t != 'yesterday'", {"t": dt.datetime(2024, 2, 14, tzinfo=UTC)}, None),
    ("t = 2024-02-14", {"t": "2024-02-14"}, None),
    ("t = '2024-02-14'", {"t": "2024-02-14"}, True),
    ("t = 2024-02-14", {"t": "2024-02-14T00:00:00.000000+00:00"}, True),
    ("t > '2024-02-13'", {"t": "2024-02-14T00:00:00.000000+00:00"}, True),
    ("t = 'abc'", {"t": "2024-02-14T00:00:00.000000+00:00"}, None),
    ("t = 5", {"t": dt.date(2024, 2, 14)}, None),
    ("t in (2024-02-14, 2024-02-15)", {"t": dt.datetime(2024, 2, 15, tzinfo=UTC)}, True),
    ("t in (2024-02-14, 'x')", {"t": dt.datetime(2024, 2, 15, tzinfo=UTC)}, None),
]


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


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: evaluate("x ==", {}), ConditionSyntaxError),
        (lambda: evaluate("x = 1", [("x", 1)]), TypeError),  # type: ignore[arg-type]
        (lambda: evaluate(42, {}), TypeError),  # type: ignore[arg-type]
        (lambda: compile_predicate(ast.Compare(ast.Field("t"), ast.Op.EQ, ast.DateTime(
            dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))))), ConditionError),
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
