"""Property tests: parse(render(tree)) == tree in both dialects, and any string value
survives F.Name == value -> render -> parse."""

from __future__ import annotations

import datetime as dt
import decimal
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwa_query import F, UnrepresentableConditionError, ast, parse, render, to_dialect

KEYWORDS = {"or", "and", "not", "eq", "in", "like", "contains", "startswith", "endswith", "true", "false"}

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True).filter(lambda s: s.lower() not in KEYWORDS)
fields = st.lists(names, min_size=1, max_size=3).map(lambda parts: ast.Field(".".join(parts)))

strings = st.text(max_size=12).map(ast.String)
integers = st.integers(min_value=-(10**12), max_value=10**12).map(ast.Integer)
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6).map(
    lambda d: ast.Decimal(decimal.Decimal(format(d, "f")))
)
booleans = st.booleans().map(ast.Boolean)
dates = st.dates(min_value=dt.date(1000, 1, 1)).map(ast.DateTime)
datetimes = st.datetimes(min_value=dt.datetime(1000, 1, 1), timezones=st.sampled_from([None, dt.UTC])).map(ast.DateTime)


def literals(*, dialect: str) -> st.SearchStrategy[ast.Literal]:
    common = strings | integers | decimals.filter(lambda d: "." in format(d.value, "f")) | booleans
    if dialect == "seed":  # seed writes dates as quoted strings: they come back as strings
        return common
    return common | dates | datetimes


def predicates(*, dialect: str) -> st.SearchStrategy[ast.Node]:
    value = literals(dialect=dialect)
    ops = [op for op in ast.Op if op not in (ast.Op.STARTSWITH, ast.Op.ENDSWITH, ast.Op.LIKE, ast.Op.NOT_LIKE)]
    text_ops = [ast.Op.LIKE, ast.Op.NOT_LIKE]
    if dialect == "seed":
        text_ops += [ast.Op.STARTSWITH, ast.Op.ENDSWITH]
    return st.one_of(
        st.builds(ast.Compare, fields, st.sampled_from(ops), value),
        st.builds(ast.Compare, fields, st.sampled_from(text_ops), strings),
        st.builds(ast.InList, fields, st.lists(value, min_size=1, max_size=4).map(tuple), st.booleans()),
    )


def _flatten(kind: type[ast.And] | type[ast.Or], items: list[ast.Node]) -> ast.Node:
    flat: list[ast.Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, kind) else [item])
    return kind(tuple(flat))


def trees(*, dialect: str) -> st.SearchStrategy[ast.Node]:
    def extend(children: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
        pairs = st.lists(children, min_size=2, max_size=4)
        branches = [pairs.map(lambda xs: _flatten(ast.And, xs)), pairs.map(lambda xs: _flatten(ast.Or, xs))]
        if dialect == "seed":
            branches.append(children.map(ast.Not))
        return st.one_of(*branches)

    return st.recursive(predicates(dialect=dialect), extend, max_leaves=12)


@given(trees(dialect="seed"))
def test_seed_round_trip(tree: ast.Node) -> None:
    assert parse(render(tree, "seed")) == tree


@given(trees(dialect="automate"))
def test_automate_round_trip(tree: ast.Node) -> None:
    try:
        text = render(tree, "automate")
    except UnrepresentableConditionError:
        return
    assert parse(text) == tree


# The syntax of the rendering, not its meaning: drawn trees meet fields of no catalogue, so
# automate's `not (a < 1)` as `a >= 1` warns (a list would differ); tests/translate checks that.
@pytest.mark.filterwarnings("ignore::cwa_query.errors.TranslationWarning")
@given(trees(dialect="seed"))
def test_automate_rendering_of_any_tree_parses_to_its_dialect_form(tree: ast.Node) -> None:
    try:
        text = render(tree, "automate")
    except UnrepresentableConditionError:
        return
    assert parse(text) == to_dialect(tree, "automate")
    assert not any(isinstance(node, ast.Not) for node in ast.walk(parse(text)))


@given(st.text())
def test_any_string_value_survives(value: str) -> None:
    cond = F.Name == value
    assert parse(render(cond, "seed")) == cond.node
    try:
        text = render(cond, "automate")
    except UnrepresentableConditionError:
        assert "'" in value and '"' in value
        return
    assert parse(text) == cond.node
    assert parse(render(cond, "automate", escape_quotes=True)) == cond.node


@given(st.text(), st.sampled_from(["startswith", "endswith"]))
def test_startswith_endswith_values_survive_as_literal_like_patterns(value: str, method: str) -> None:
    cond = getattr(F.Name, method)(value)
    try:
        text = render(cond, "automate")
    except UnrepresentableConditionError:
        return
    node = parse(text)
    assert isinstance(node, ast.Compare) and node.op is ast.Op.LIKE
    assert isinstance(node.value, ast.String)
    pattern = node.value.value
    body = pattern[:-1] if method == "startswith" else pattern[1:]
    unescaped = re.sub(r"\\(.)", r"\1", body, flags=re.DOTALL)
    assert unescaped == value
