"""The differential property of translation, over every registered dialect (later ones too).

For drawn shared trees `c` (list-valued, null, date-time and decimal fields included) and
drawn records `r` (date-times both as `datetime` values and as the ISO-8601 text an API
returns, lists, nulls, missing fields):

* `evaluate(c, r) == evaluate(translate(c, None, d), r)` for every dialect `d`;
* for every pair `(s, d)`, with `t = translate(c, None, s)` written in `s`
  (`render(t, s)`): `evaluate(t, r) == evaluate(translate(render(t, s), s, d), r)`,

whenever the translation succeeds without a warning (a refusal or a warning is the
honest answer; silence must mean the same meaning). The dialects come from the registry,
so a dialect registered later takes part without a change here.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cwa_query import (
    TranslationWarning,
    UnrepresentableConditionError,
    ast,
    evaluate,
    load_schema,
    render,
    translate,
)
from cwa_query.dialects import all_dialects

ENDPOINT = "Things"
SCHEMA = load_schema(
    {
        "endpoints": {
            ENDPOINT: {
                "fields": {
                    "Name": "string",
                    "Count": "integer",
                    "Ratio": "decimal",
                    "Flag": "boolean",
                    "At": "datetime",
                    "Tags": "string[]",
                    "Ports": "integer[]",
                    "Users": "object[]",
                    "Users.Name": "string",
                    "Client": "object",
                    "Client.Id": "id",
                    "Id": "id",
                }
            }
        }
    }
)
FIELDS = ["Name", "Count", "Ratio", "Flag", "At", "Tags", "Ports", "Users.Name", "Client.Id", "Id"]
UTC = dt.UTC
INSTANTS = st.datetimes(dt.datetime(2023, 12, 30), dt.datetime(2024, 1, 2), timezones=st.just(UTC))
TEXTS = st.text("aAbZ _%'\"\u00e9-:T0123", max_size=4)
ISO_TEXTS = st.one_of(
    INSTANTS.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S")),
    INSTANTS.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    INSTANTS.map(lambda d: d.astimezone(dt.timezone(dt.timedelta(hours=-2))).isoformat()),
    INSTANTS.map(lambda d: d.isoformat(timespec="milliseconds").replace("+00:00", "Z")),
    INSTANTS.map(lambda d: d.date().isoformat()),
)
NUMBERS = st.one_of(st.integers(-3, 3), st.decimals(-3, 3, places=1), st.sampled_from([0.5, -1.5, 2.0]))


def _scalar(field: str) -> st.SearchStrategy[Any]:
    return {
        "Name": st.one_of(TEXTS, st.sampled_from(["5", "2024-01-01", "true"])),
        "Count": st.one_of(st.integers(-3, 3), st.sampled_from(["2", "x"])),
        "Ratio": NUMBERS,
        "Flag": st.booleans(),
        "At": st.one_of(INSTANTS, ISO_TEXTS),
        # An id is a number or its digits as text (the Automate API sends ids as JSON strings).
        "Client.Id": st.one_of(st.integers(1, 5), st.integers(1, 5).map(str)),
        "Id": st.one_of(st.integers(1, 5), st.integers(1, 5).map(str)),
    }[field]


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for field in ("Name", "Count", "Ratio", "Flag", "At", "Id"):
        choice = draw(st.integers(0, 6))
        if choice:
            record[field] = None if choice == 1 else draw(_scalar(field))
    if draw(st.booleans()):
        record["Tags"] = draw(st.lists(st.one_of(TEXTS, st.none()), max_size=3))
    if draw(st.booleans()):
        record["Ports"] = draw(st.lists(st.integers(-3, 12), max_size=3))
    if draw(st.booleans()):
        names = st.one_of(TEXTS, st.none())
        record["Users"] = draw(st.lists(st.fixed_dictionaries({}, optional={"Name": names}), max_size=3))
    if draw(st.booleans()):
        record["Client"] = draw(st.fixed_dictionaries({}, optional={"Id": _scalar("Client.Id")}))
    return record


LITERALS: st.SearchStrategy[ast.Literal] = st.one_of(
    TEXTS.map(ast.String),
    st.sampled_from(["2024-01-01", "2023-12-31T12:00:00Z", "5", "%a%", "a%"]).map(ast.String),
    st.integers(-3, 12).map(ast.Integer),
    st.decimals(-3, 3, places=1).map(ast.Decimal),
    st.booleans().map(ast.Boolean),
    st.one_of(INSTANTS, INSTANTS.map(lambda d: d.date())).map(ast.DateTime),
)


@st.composite
def leaves(draw: st.DrawFn) -> ast.Node:
    field = ast.Field(draw(st.sampled_from(FIELDS)))
    if draw(st.integers(0, 5)) == 0:
        values = draw(st.lists(st.one_of(LITERALS, st.just(ast.Null())), min_size=1, max_size=3))
        return ast.InList(field, tuple(values), draw(st.booleans()))
    op = draw(st.sampled_from(list(ast.Op)))
    if op in (ast.Op.EQ, ast.Op.NE) and draw(st.integers(0, 6)) == 0:
        return ast.Compare(field, op, ast.Null())
    return ast.Compare(field, op, draw(LITERALS))


@st.composite
def odata_leaves(draw: st.DrawFn) -> ast.Node:
    """A test only OData says, kept as an `ast.Expression` (OData's meaning): text compared
    exactly, arithmetic, lambdas over lists, an exact `in`."""
    kind = draw(st.integers(0, 4))
    text = ast.String(draw(TEXTS))
    comparison = draw(st.sampled_from([ast.BinaryOp.EQ, ast.BinaryOp.NE, ast.BinaryOp.GT, ast.BinaryOp.LE]))
    expr: ast.Expr
    if kind == 0:
        expr = ast.Binary(comparison, ast.Field("Name"), text)
    elif kind == 1:
        operator = draw(st.sampled_from([ast.BinaryOp.ADD, ast.BinaryOp.SUB, ast.BinaryOp.MUL]))
        subject = ast.Field(draw(st.sampled_from(["Count", "Ratio"])))
        number = ast.Integer(draw(st.integers(-2, 3)))
        expr = ast.Binary(comparison, ast.Binary(operator, subject, number), ast.Integer(draw(st.integers(-3, 6))))
    elif kind == 2:
        quantifier = draw(st.sampled_from(["any", "all"]))
        if draw(st.booleans()):
            test: ast.Expr = ast.Binary(comparison, ast.Field("t"), text)
            expr = ast.Lambda(ast.Field("Tags"), quantifier, "t", test)
        else:
            test = ast.Binary(comparison, ast.Field("p"), ast.Integer(draw(st.integers(-3, 12))))
            expr = ast.Lambda(ast.Field("Ports"), quantifier, "p", test)
    elif kind == 3:
        expr = ast.Call(draw(st.sampled_from(["contains", "startswith", "endswith"])), (ast.Field("Name"), text))
    else:
        values = draw(st.lists(TEXTS.map(ast.String), min_size=1, max_size=3))
        expr = ast.In(ast.Field("Name"), ast.ListValue(tuple(values)))
    return ast.Expression(expr)


CONDITIONS = st.recursive(
    leaves(),
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(ast.all_of),
        st.lists(children, min_size=2, max_size=3).map(ast.any_of),
        children.map(ast.Not),
    ),
    max_leaves=4,
)

_REFUSALS = (UnrepresentableConditionError, TranslationWarning)


def _quietly(function: Any, *args: Any, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)`, or `None` when it refuses or warns."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", TranslationWarning)
        try:
            return function(*args, **kwargs)
        except _REFUSALS:
            return None


def _same(left: ast.Node, right: ast.Node, rows: list[dict[str, Any]], what: str) -> None:
    for row in rows:
        assert evaluate(left, row) == evaluate(right, row), f"{what}: record {row!r}"


def _differential(tree: ast.Node, rows: list[dict[str, Any]]) -> int:
    """Check every dialect and pair; how many translations went through."""
    checked = 0
    for source in all_dialects():
        first = _quietly(translate, tree, None, source, schema=SCHEMA, endpoint=ENDPOINT)
        if first is None:
            continue
        _same(tree, first, rows, f"shared -> {source.name}: {first!r}")
        checked += 1
        text = _quietly(render, first, source)
        if text is None:
            continue
        for target in all_dialects():
            if target is source:
                continue
            second = _quietly(translate, text, source, target, schema=SCHEMA, endpoint=ENDPOINT)
            if second is None:
                continue
            _same(first, second, rows, f"{source.name} {text!r} -> {target.name}: {second!r}")
            checked += 1
    return checked


MIXED_CONDITIONS = st.recursive(
    st.one_of(leaves(), odata_leaves()),
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(ast.all_of),
        st.lists(children, min_size=2, max_size=3).map(ast.any_of),
        children.map(ast.Not),
    ),
    max_leaves=4,
)


@given(MIXED_CONDITIONS, st.lists(records(), min_size=1, max_size=8))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_translation_of_odata_expressions_keeps_the_meaning_or_refuses(
    tree: ast.Node, rows: list[dict[str, Any]]
) -> None:
    # Lambdas, arithmetic and text compared exactly: OData keeps them, every other
    # dialect refuses them visibly (never a silent change of meaning).
    _differential(tree, rows)


@given(CONDITIONS, st.lists(records(), min_size=1, max_size=8))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_translation_keeps_the_meaning_on_every_record(tree: ast.Node, rows: list[dict[str, Any]]) -> None:
    _differential(tree, rows)


@pytest.mark.slow
@given(MIXED_CONDITIONS, st.lists(records(), min_size=4, max_size=16))
@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
def test_translation_keeps_the_meaning_on_every_record_many(tree: ast.Node, rows: list[dict[str, Any]]) -> None:
    _differential(tree, rows)


def test_the_property_has_teeth() -> None:
    # Simple conditions that every condition dialect translates: the check runs for real.
    rows = [{"Count": 5, "Name": "ab", "At": "2023-12-31T23:00:00-02:00"}, {"Count": 1}, {}]
    tree = ast.all_of(
        [
            ast.Compare(ast.Field("Count"), ast.Op.GE, ast.Integer(2)),
            ast.Compare(ast.Field("Name"), ast.Op.STARTSWITH, ast.String("a")),
            ast.Compare(ast.Field("At"), ast.Op.LT, ast.DateTime(dt.date(2024, 1, 1))),
        ]
    )
    assert _differential(tree, rows) >= len(all_dialects()) * 2
    # And it sees a wrong translation: `not (Ports < 10)` as `Ports >= 10` on a list.
    wrong = ast.Compare(ast.Field("Ports"), ast.Op.GE, ast.Integer(10))
    right = ast.Not(ast.Compare(ast.Field("Ports"), ast.Op.LT, ast.Integer(10)))
    with pytest.raises(AssertionError):
        _same(right, wrong, [{"Ports": [5, 20]}], "a rewrite exact only for scalars")


def test_odata_expressions_go_to_odata_and_are_refused_elsewhere() -> None:
    exact = ast.Expression(ast.Binary(ast.BinaryOp.EQ, ast.Field("Name"), ast.String("Ab")))
    some = ast.Expression(
        ast.Lambda(ast.Field("Ports"), "any", "p", ast.Binary(ast.BinaryOp.GT, ast.Field("p"), ast.Integer(10)))
    )
    tree = ast.all_of([exact, some, ast.Compare(ast.Field("Count"), ast.Op.GE, ast.Integer(2))])
    rows = [{"Name": "Ab", "Ports": [3, 11], "Count": 2}, {"Name": "ab", "Ports": [11], "Count": 2}, {}]
    assert [evaluate(tree, row) for row in rows] == [True, False, False]
    checked = _differential(tree, rows)
    assert checked >= 1  # shared -> odata at least; the condition dialects refuse
    for dialect in all_dialects():
        if dialect.name != "odata":
            assert _quietly(translate, tree, None, dialect, schema=SCHEMA, endpoint=ENDPOINT) is None
