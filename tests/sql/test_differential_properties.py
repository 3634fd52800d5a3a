"""Differential: SQLite running to_sql selects exactly the records that evaluate accepts.

Records and conditions come from cwa_query.strategies, over scalar fields (to_sql's
domain): the seed Computers endpoint, and a catalogue of untyped (`any`) fields where
every kind of value meets every kind of literal (text, numeric text, normal-form
date-time text, numbers, booleans, date-times, None, missing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cwa_query import ast, load_schema, parse, to_sql
from cwa_query.errors import ConditionEvaluationError, UnrepresentableConditionError
from cwa_query.language._evaluate import compile_truth
from cwa_query.strategies import conditions, odata_filter_strings, records
from tests.sql.evaluate_sql import select

MIXED = load_schema(
    {
        "name": "mixed",
        "endpoints": {
            "Things": {
                "fields": {
                    "a": "any",
                    "B": "any",
                    "c.d": "any",
                    "c.E": "any",
                    "n": "integer",
                    "x": "decimal",
                    "s": "string",
                    "t": "datetime",
                    "f": "boolean",
                    "Id": "id",
                }
            }
        },
    }
)

CASES = {
    "seed-Computers": ({"dialect": "seed", "endpoint": "Computers"}, {"dialect": "seed", "endpoint": "Computers"}),
    "automate-mixed": (
        {"dialect": "automate", "endpoint": "Things", "schema": MIXED},
        {"dialect": "automate", "endpoint": "Things", "schema": MIXED},
    ),
    "seed-mixed": (
        {"dialect": "seed", "endpoint": "Things", "schema": MIXED},
        {"dialect": "automate", "endpoint": "Things", "schema": MIXED},
    ),
}


def _check(tree: ast.Node, batch: list[dict[str, Any]]) -> None:
    three = compile_truth(tree)
    answers = [three(record) for record in batch]
    assert select(tree, batch) == {i for i, answer in enumerate(answers) if answer is True}
    assert select(ast.Not(tree), batch) == {i for i, answer in enumerate(answers) if answer is False}


@pytest.mark.parametrize("case", list(CASES))
def test_sqlite_selects_what_evaluate_accepts(case: str) -> None:
    condition_options, record_options = CASES[case]

    @settings(max_examples=max(settings.default.max_examples // 2, 10))  # 30 in dev, 10 in the quick loop
    @given(
        conditions(max_leaves=6, **condition_options),  # type: ignore[arg-type]
        st.lists(records(**record_options), min_size=1, max_size=8),  # type: ignore[arg-type]
    )
    def check(tree: ast.Node, batch: list[dict[str, Any]]) -> None:
        _check(tree, batch)

    check()


@pytest.mark.slow
@settings(max_examples=max(settings.default.max_examples // 4, 20))
@given(
    st.lists(conditions(max_leaves=1, dialect="automate", endpoint="Things", schema=MIXED), min_size=1, max_size=1),
    st.lists(records(dialect="automate", endpoint="Things", schema=MIXED), min_size=20, max_size=40),
)
def test_single_predicates_over_many_records(trees: list[ast.Node], batch: list[dict[str, Any]]) -> None:
    # one predicate, many values: every kind of value meets the literal in one example
    _check(trees[0], batch)


# --------------------------------------------------------------------------- drawn OData text
# `to_sql` on trees read from OData text (`parse(text, dialect="odata")`: `Compare`s where the
# condition language means the same, `Expression`s with OData's meaning elsewhere), the text
# drawn by the shipped strategies and records drawn to match the tree's paths and literals.
# What SQL cannot say is refused with a typed error; the tests count refusals and require
# that most drawn trees are compiled and compared.

_REFUSED = (UnrepresentableConditionError,)


def _paths(node: ast.Node) -> tuple[set[str], set[str]]:
    """The record paths a tree reads, and those of them read as lists by `any`/`all`."""
    paths: set[str] = set()
    lists: set[str] = set()

    def visit(expr: ast.Expr | ast.Argument, scope: frozenset[str]) -> None:
        if isinstance(expr, ast.Field):
            if expr.parts[0] not in scope:
                paths.add(expr.name)
            return
        if isinstance(expr, ast.Lambda):
            visit(expr.collection, scope)
            if isinstance(expr.collection, ast.Field) and expr.collection.parts[0] not in scope:
                lists.add(expr.collection.name)
            if expr.predicate is not None:
                visit(expr.predicate, scope | {expr.variable or ""})
            return
        for child in ast.children(expr):
            visit(child, scope)

    for item in ast.walk(node):
        if isinstance(item, (ast.Compare, ast.InList)):
            paths.add(item.field.name)
        elif isinstance(item, ast.Expression):
            visit(item.expr, frozenset())
    return paths, lists


def _seeds(node: ast.Node) -> list[Any]:
    """Values near the tree's literals: each one, its text in the other case, numbers next to it."""
    out: list[Any] = []
    literals: list[Any] = []
    for item in ast.walk(node):
        if isinstance(item, ast.Compare):
            literals.append(item.value)
        elif isinstance(item, ast.InList):
            literals.extend(item.values)
        elif isinstance(item, ast.Expression):
            literals.extend(ast.walk_expression(item.expr))
    for literal in literals:
        if isinstance(literal, ast.String):
            out += [literal.value, literal.value.swapcase(), literal.value[1:], " " + literal.value, len(literal.value)]
        elif isinstance(literal, ast.Integer) and abs(literal.value) < 2**53:
            out += [literal.value, literal.value + 1, literal.value - 1, float(literal.value) + 0.5]
        elif isinstance(literal, ast.Decimal):
            out += [literal.value, float(literal.value)]
    return out


_SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    # numbers SQLite's doubles compute exactly (the documented limit): 1e300 mod 7 is not one
    st.sampled_from([0.5, -1.5, 2.0, 1e15]),
    st.text("aAbZ %_'-0\u00e9", max_size=3),
    st.datetimes(timezones=st.just(dt.UTC)),
    # ISO text as APIs write it; text in the storage's own date-time form (32 characters,
    # microseconds, +00:00) is read back as a date-time: the convention's one ambiguity.
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")),
)


def _values(seeds: list[Any], *, as_list: bool) -> st.SearchStrategy[Any]:
    # first what meets the literals: hypothesis draws the first choices most
    scalars = st.one_of(st.sampled_from(seeds), _SCALARS) if seeds else _SCALARS
    members = st.one_of(scalars, st.lists(scalars, max_size=2), st.dictionaries(st.just("k"), scalars, max_size=1))
    lists = st.lists(members, min_size=1, max_size=4)
    return st.one_of(lists, scalars, st.just([])) if as_list else st.one_of(scalars, scalars, lists)


@st.composite
def _records_for(draw: st.DrawFn, node: ast.Node) -> dict[str, Any]:
    """A record holding some of the tree's paths (once each ignoring ASCII case, as SQLite's
    columns are named); a path that leads on to another holds a mapping, never a list."""
    paths, lists = _paths(node)
    seeds = _seeds(node)
    record: dict[str, Any] = {}
    for path in sorted(paths, key=len, reverse=True):
        if draw(st.integers(0, 5)) == 5:
            continue  # missing (rarely: hypothesis draws 0 most)
        *heads, last = path.split(".")
        place: Any = record
        for head in heads:
            key = next((k for k in place if k.lower() == head.lower()), head)
            place = place.setdefault(key, {})
            if not isinstance(place, dict):
                break
        else:
            if not any(k.lower() == last.lower() for k in place):
                place[last] = draw(_values(seeds, as_list=path in lists))
    return record


def _odata_check(counts: dict[str, set[str]], text: str, data: st.DataObject) -> None:
    tree = parse(text, dialect="odata")
    batch = data.draw(st.lists(_records_for(tree), min_size=1, max_size=6))  # first: the same draws either way
    try:
        to_sql(tree)
    except _REFUSED:
        counts["refused"].add(text)
        return
    three = compile_truth(tree)
    answers: dict[int, bool | None] = {}
    for index, record in enumerate(batch):
        try:
            answers[index] = three(record)
        except ConditionEvaluationError:  # where the service's request fails; SQL has no such outcome
            counts["failing records"].add(text)
    kept = [batch[i] for i in answers]
    expected = [answers[i] for i in answers]
    assert select(tree, kept) == {i for i, answer in enumerate(expected) if answer is True}, (text, kept)
    assert select(ast.Not(tree), kept) == {i for i, answer in enumerate(expected) if answer is False}, (text, kept)
    counts["compared"].add(text)


def _odata_differential(max_examples: int, max_leaves: int) -> dict[str, int]:
    """How many distinct drawn filters were compared, refused, or met records that fail."""
    counts: dict[str, set[str]] = {"compared": set(), "refused": set(), "failing records": set()}

    @settings(max_examples=max_examples)
    @given(odata_filter_strings(max_leaves=max_leaves), st.data())
    def check(text: str, data: st.DataObject) -> None:
        _odata_check(counts, text, data)

    check()
    return {name: len(texts) for name, texts in counts.items()}


def test_sqlite_selects_what_evaluate_accepts_on_drawn_odata() -> None:
    counts = _odata_differential(max(settings.default.max_examples, 30), max_leaves=2)
    assert counts["compared"] >= 0.5 * (counts["compared"] + counts["refused"]), counts


@pytest.mark.slow
def test_sqlite_selects_what_evaluate_accepts_on_larger_drawn_odata() -> None:
    counts = _odata_differential(max(settings.default.max_examples * 4, 200), max_leaves=4)
    assert counts["compared"] >= 0.4 * (counts["compared"] + counts["refused"]), counts
