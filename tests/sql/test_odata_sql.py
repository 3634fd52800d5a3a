"""`to_sql` of trees read from OData (`ast.Expression`, OData's meaning) agrees with `evaluate`.

The differential of `test_sql.py`, for OData's meaning: for drawn OData tests (text
compared exactly, orderings, `in`, `contains`/`startswith`/`endswith`, null, numbers and
Booleans, under and/or/not, mixed with the condition language's `Compare`s) and drawn
records stored by the storage convention, SQLite selects exactly the records `evaluate`
accepts; what SQL cannot say exactly (`div`, date parts, date-time literals, ISO-date text)
is refused with a typed error at its position. Arithmetic, `any`/`all` over lists (stored
as JSON) and `length`/`trim`/`round` are compared here too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cwa_query import UntranslatableError, ast, evaluate, parse, to_sql
from tests.sql.evaluate_sql import select

FIELDS = ["Name", "Count", "Ratio", "Flag", "At"]
TEXTS = st.text("aAbZ _%'\u00e9-0123", max_size=3)
UTC = dt.UTC
INSTANTS = st.datetimes(dt.datetime(2023, 12, 30), dt.datetime(2024, 1, 2), timezones=st.just(UTC))
VALUES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    TEXTS,
    st.integers(-3, 3),
    st.sampled_from([0.5, -1.5, 2.0]),
    st.booleans(),
    INSTANTS,
    # ISO text as APIs write it; text in the storage's own date-time form (32 characters,
    # microseconds, +00:00) is read back as a date-time: the convention's one ambiguity.
    INSTANTS.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
)
RECORDS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=5)
LITERALS: st.SearchStrategy[ast.Expr] = st.one_of(
    TEXTS.map(ast.String),
    st.integers(-3, 3).map(ast.Integer),
    st.sampled_from(["0.5", "-1.5", "2"]).map(lambda text: ast.Decimal(__import__("decimal").Decimal(text))),
    st.booleans().map(ast.Boolean),
    st.just(ast.Null()),
)
OPS = st.sampled_from([op for op in ast.BinaryOp if op.is_comparison])


@st.composite
def odata_tests(draw: st.DrawFn) -> ast.Expr:
    field = ast.Field(draw(st.sampled_from(FIELDS)))
    kind = draw(st.integers(0, 3))
    if kind == 0:
        left, right = field, draw(LITERALS)
        return ast.Binary(draw(OPS), *((right, left) if draw(st.booleans()) else (left, right)))
    if kind == 1:
        name = draw(st.sampled_from(["contains", "startswith", "endswith"]))
        return ast.Call(name, (field, ast.String(draw(TEXTS))))
    values = draw(st.lists(LITERALS, max_size=3))
    return ast.In(field, ast.ListValue(tuple(values)))  # type: ignore[arg-type]


EXPRESSIONS = st.recursive(
    odata_tests(),
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(lambda items: ast.Connective(ast.BinaryOp.AND, tuple(items))),
        st.lists(children, min_size=2, max_size=3).map(lambda items: ast.Connective(ast.BinaryOp.OR, tuple(items))),
        children.map(lambda item: ast.Unary(ast.UnaryOp.NOT, item)),
    ),
    max_leaves=5,
)
SHARED = st.builds(
    ast.Compare, st.sampled_from(FIELDS).map(ast.Field), st.sampled_from([ast.Op.EQ, ast.Op.GT, ast.Op.CONTAINS]),
    st.one_of(TEXTS.map(ast.String), st.integers(-3, 3).map(ast.Integer)),
)  # fmt: skip
TREES = st.recursive(
    st.one_of(EXPRESSIONS.map(ast.Expression), SHARED),
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(ast.all_of),
        st.lists(children, min_size=2, max_size=3).map(ast.any_of),
        children.map(ast.Not),
    ),
    max_leaves=4,
)


@given(TREES, st.lists(RECORDS, min_size=1, max_size=8))
# finds of the drawn-text differential (tests/sql/test_differential_properties.py):
@example(parse("b eq null and b/a eq null", dialect="odata"), [{"b": {"a": None}}])  # a mapping is not null
@example(
    parse(
        "Tags/any(t: t eq 'a') and Tags/all(t: t/any(u: u gt 1) or t ne 'b') or length(Tags) mod 2 eq 1",
        dialect="odata",
    ),
    [{"Tags": ["a", [2]]}, {"Tags": ["b"]}, {"Tags": []}, {"Tags": "a"}, {"Tags": [None, {"k": 1}]}, {}],
)
@example(
    parse("Name/any() or trim(Name) eq 'a' or -(Count add 1.5) lt 0 or Count divby 2 ge 1", dialect="odata"),
    [{"Name": " a\u3000"}, {"Name": []}, {"Count": 0.5}, {"Count": True}, {"Count": "1"}, {"Count": 2}],
)
@example(
    ast.Expression(ast.Unary(ast.UnaryOp.NOT, ast.Binary(ast.BinaryOp.GT, ast.Field("Name"), ast.String("N")))),
    [{}, {"Name": None}, {"Name": "Adams"}, {"Name": "adams"}, {"Name": 5}],
)
def test_sql_selects_what_evaluate_accepts(tree: ast.Node, records: list[dict[str, Any]]) -> None:
    expected = {index for index, record in enumerate(records) if evaluate(tree, record)}
    assert select(tree, records) == expected, (tree, records)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Price div 2 gt 2", "write `divby`"),
        ("year(At) eq 2024", "to_sql computes"),
        ("Tags/any(t: t/Name eq 'x')", "list member whole"),
        ("At lt 12:00:00", "compares with text, a number"),
        ("Name gt '2024-01-01'", "ISO date"),
        ("Name gt A/B", "compares a value with a literal"),
        ("Flags has Sales.Pattern'Red'", "evaluate the rest"),
        ("Tags/any(t: Value eq 1)", "json_each's own"),
        ("Tags/any(t: t eq 1) eq true", "to_sql computes"),
    ],
)
def test_what_sql_cannot_say_is_refused_at_its_position(text: str, words: str) -> None:
    tree = parse(f"Id eq 1 and ({text})", dialect="odata")
    with pytest.raises(UntranslatableError) as info:
        to_sql(tree)
    assert words in str(info.value) and info.value.target == "SQL"
    assert info.value.column is not None and info.value.column > 1


def test_an_expression_with_another_meaning_is_refused() -> None:
    # the writer resolves the meaning once: OData's is compiled, any other one refused
    folded = ast.Meaning("folded", "false", "whole", "strict")
    tree = ast.Expression(parse("Name eq 'x'", dialect="odata").expr, folded)  # type: ignore[union-attr]
    with pytest.raises(UntranslatableError, match="OData's meaning"):
        to_sql(tree)
