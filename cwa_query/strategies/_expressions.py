"""Value expressions of the one tree (arithmetic, calls, lambdas, `in`, `has`, every literal
kind): what an `ast.Expression` holds, drawn for the dialects that have
[`Feature.EXPRESSIONS`][cwa_query.dialects.Feature] and by
[`odata_filters`][cwa_query.strategies.odata_filters]."""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal

from hypothesis import strategies as st

from ..language import ast

__all__ = ["expression_literals", "expressions", "predicates"]


def _decimals() -> st.SearchStrategy[_decimal.Decimal]:
    return st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(lambda d: abs(d.adjusted()) < 30)


def _datetimes() -> st.SearchStrategy[_dt.datetime]:
    zones = st.sampled_from([_dt.UTC, _dt.timezone(_dt.timedelta(hours=2)), _dt.timezone(-_dt.timedelta(hours=5))])
    return st.datetimes(min_value=_dt.datetime(1000, 1, 2), max_value=_dt.datetime(9998, 12, 30), timezones=zones)


def expression_literals(
    names: st.SearchStrategy[str], texts: st.SearchStrategy[str]
) -> st.SearchStrategy[ast.ODataLiteral]:
    """Every kind of primitive literal (geo ones aside)."""
    return st.one_of(
        texts.map(ast.String),
        st.integers(min_value=-(2**63), max_value=2**63 - 1).map(ast.Integer),
        _decimals().map(ast.Decimal),
        st.booleans().map(ast.Boolean),
        st.just(ast.Null()),
        st.sampled_from(["INF", "-INF", "NaN"]).map(ast.SpecialNumber),
        st.dates(min_value=_dt.date(1000, 1, 1)).map(ast.DateTime),
        _datetimes().map(ast.DateTime),
        st.times().map(ast.TimeOfDay),
        st.timedeltas(min_value=_dt.timedelta(days=-9999), max_value=_dt.timedelta(days=9999)).map(ast.Duration),
        st.uuids().map(ast.Guid),
        st.binary(max_size=12).map(ast.BinaryData),
        st.tuples(st.sampled_from(["Sales.Pattern", "Model.Color"]), st.lists(names, min_size=1, max_size=2)).map(
            lambda t: ast.EnumValue(t[0], tuple(t[1]))
        ),
    )


_COMPARISONS = [ast.BinaryOp.EQ, ast.BinaryOp.NE, ast.BinaryOp.GT, ast.BinaryOp.GE, ast.BinaryOp.LT, ast.BinaryOp.LE]
_ARITHMETIC = [
    ast.BinaryOp.ADD,
    ast.BinaryOp.SUB,
    ast.BinaryOp.MUL,
    ast.BinaryOp.DIV,
    ast.BinaryOp.DIVBY,
    ast.BinaryOp.MOD,
]


@st.composite
def predicates(
    draw: st.DrawFn, paths: st.SearchStrategy[str], names: st.SearchStrategy[str], texts: st.SearchStrategy[str]
) -> ast.Expr:
    """One Boolean expression: a comparison either way round, a string function, a function's
    result compared, `in` a list or an array, arithmetic, a lambda, `has`, a `null` test or a
    bare path."""
    field = ast.Field(draw(paths))
    literals = expression_literals(names, texts)
    kind = draw(st.integers(0, 9))
    if kind == 0:
        op = draw(st.sampled_from(_COMPARISONS))
        value = draw(literals)
        return ast.Binary(op, value, field) if draw(st.booleans()) else ast.Binary(op, field, value)
    if kind == 1:
        function = draw(st.sampled_from(["contains", "startswith", "endswith"]))
        return ast.Call(function, (field, ast.String(draw(texts))))
    if kind == 2:
        function = draw(st.sampled_from(["tolower", "toupper", "trim", "length", "year", "round"]))
        return ast.Binary(draw(st.sampled_from(_COMPARISONS)), ast.Call(function, (field,)), draw(literals))
    if kind == 3:
        return ast.In(field, ast.ListValue(tuple(draw(st.lists(literals, max_size=4)))))
    if kind == 4:
        left: ast.Expr = ast.Binary(draw(st.sampled_from(_ARITHMETIC)), field, ast.Integer(draw(st.integers(-99, 99))))
        if draw(st.booleans()):
            left = ast.Unary(ast.UnaryOp.NEG, left)
        return ast.Binary(draw(st.sampled_from(_COMPARISONS)), left, ast.Integer(draw(st.integers(-99, 99))))
    if kind == 5:
        variable = draw(names)
        quantifier = draw(st.sampled_from(["any", "all"]))
        if quantifier == "any" and draw(st.booleans()):
            return ast.Lambda(field, "any")
        test = ast.Binary(draw(st.sampled_from(_COMPARISONS)), ast.Field(variable), ast.String(draw(texts)))
        return ast.Lambda(field, quantifier, variable, test)
    if kind == 6:
        members = tuple(draw(st.lists(names, min_size=1, max_size=2)))
        return ast.Binary(ast.BinaryOp.HAS, field, ast.EnumValue("Sales.Pattern", members))
    if kind == 7:
        return ast.Binary(draw(st.sampled_from([ast.BinaryOp.EQ, ast.BinaryOp.NE])), field, ast.Null())
    if kind == 8:
        return field
    return ast.In(field, ast.Array(tuple(draw(st.lists(literals, max_size=3)))))


def _logical(op: ast.BinaryOp, items: list[ast.Expr]) -> ast.Expr:
    flat: list[ast.Expr] = []
    for item in items:
        flat.extend(item.items if isinstance(item, ast.Connective) and item.op is op else (item,))
    return ast.Connective(op, tuple(flat))


def expressions(leaves: st.SearchStrategy[ast.Expr], max_leaves: int) -> st.SearchStrategy[ast.Expr]:
    """Trees of `leaves` under `and`, `or` (two or three items, flattened) and `not`."""
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, min_size=2, max_size=3).map(lambda items: _logical(ast.BinaryOp.AND, items)),
            st.lists(children, min_size=2, max_size=3).map(lambda items: _logical(ast.BinaryOp.OR, items)),
            children.map(lambda item: ast.Unary(ast.UnaryOp.NOT, item)),
        ),
        max_leaves=max_leaves,
    )
