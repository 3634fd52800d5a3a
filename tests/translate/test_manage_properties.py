"""Properties of the manage dialect: round trips through its text, and translation to and
from the other condition dialects keeping the meaning on every record (or refusing)."""

from __future__ import annotations

import random
import warnings
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from cwa_query import (
    ConditionSyntaxError,
    UnrepresentableConditionError,
    ast,
    evaluate,
    load_schema,
    parse,
    render,
    translate,
)
from cwa_query.dialects import get_dialect
from cwa_query.errors import TranslationWarning
from cwa_query.strategies import (
    condition_strings,
    conditions,
    invalid_manage_condition_strings,
    manage_conditions,
    records,
)
from cwa_query.strategies._text import respell

TYPED = load_schema(
    {
        "name": "typed",
        "endpoints": {
            "Things": {
                "fields": {
                    "a": "string",
                    "B": "integer",
                    "c.d": "string",
                    "c.E": "datetime",
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
# Every field typed and single-valued, so a translation is exact or refused, never merely warned
# about (a warned one is exact only under its stated assumption, and is left out below).
RECORDS = st.lists(records(dialect="automate", endpoint="Things", schema=TYPED), min_size=1, max_size=6)
FEW = settings(max_examples=max(settings.default.max_examples // 5, 5))
MANY = settings(max_examples=max(settings.default.max_examples, 200))


def _round_trip(tree: ast.Node) -> None:
    text = render(tree, "manage")
    assert parse(text, dialect="manage") == tree
    assert render(parse(text, dialect="manage"), "manage") == text


def _respelled(tree: ast.Node, seed: int) -> None:
    text = respell(get_dialect("manage"), render(tree, "manage"), random.Random(seed))
    assert parse(text, dialect="manage") == tree, text


def _refused(text: str) -> None:
    with pytest.raises(ConditionSyntaxError):
        parse(text, dialect="manage")


def _same_meaning(tree: ast.Node, source: str, target: str, batch: list[dict[str, Any]]) -> None:
    """`tree` and its translation into `target` accept the same records (or it is refused)."""
    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always", TranslationWarning)
            text = render(translate(tree, source, target, schema=TYPED, endpoint="Things"), target)
    except UnrepresentableConditionError:
        assume(False)
        return
    assume(not warned)
    translated = parse(text, dialect=target)
    for record in batch:
        assert evaluate(tree, record) == evaluate(translated, record), (text, record)


# --------------------------------------------------------------------------- quick (the fast loop)


@FEW
@given(manage_conditions(max_leaves=5))
def test_round_trip(tree: ast.Node) -> None:
    _round_trip(tree)


@FEW
@given(manage_conditions(max_leaves=5), st.integers(0, 2**32 - 1))
def test_respelled_text_reads_back_the_same_tree(tree: ast.Node, seed: int) -> None:
    _respelled(tree, seed)


@FEW
@given(invalid_manage_condition_strings())
def test_near_misses_are_refused(text: str) -> None:
    _refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "status/name eq 'Open'",
        "lastUpdated > 2024-01-01T00:00:00Z",
        "name like *mail*",
        "name = 'it''s'",
        "id in ()",
        "not (a = 1)",
        'a not contains "x"',
        "a = 1e5",
        "closedFlag = yes",
        "status.name = 'Open'",
        "a startswith 'x'",
        "a = [2024-13-01T00:00:00Z]",
        "a in (1, null)",
        "a is null",
    ],
)
def test_manage_near_misses_are_refused(text: str) -> None:
    _refused(text)


@FEW
@given(conditions(dialect="manage", endpoint="Things", schema=TYPED, max_leaves=4), RECORDS)
def test_manage_to_automate_keeps_the_meaning(tree: ast.Node, batch: list[dict[str, Any]]) -> None:
    _same_meaning(tree, "manage", "automate", batch)


@FEW
@given(conditions(dialect="automate", endpoint="Things", schema=TYPED, max_leaves=4), RECORDS)
def test_automate_to_manage_keeps_the_meaning(tree: ast.Node, batch: list[dict[str, Any]]) -> None:
    _same_meaning(tree, "automate", "manage", batch)


@FEW
@given(conditions(dialect="seed", endpoint="Things", schema=TYPED, max_leaves=4), RECORDS)
def test_seed_to_manage_keeps_the_meaning(tree: ast.Node, batch: list[dict[str, Any]]) -> None:
    _same_meaning(tree, "seed", "manage", batch)


@FEW
@given(condition_strings(dialect="manage", max_leaves=4))
def test_condition_strings_for_manage_parse(text: str) -> None:
    parse(text, dialect="manage")


@FEW
@given(conditions(dialect="manage", endpoint="Things", schema=TYPED, max_leaves=4), RECORDS)
def test_manage_to_seed_keeps_the_meaning(tree: ast.Node, batch: list[dict[str, Any]]) -> None:
    _same_meaning(tree, "manage", "seed", batch)


@FEW
@given(conditions(dialect="automate", endpoint="Things", schema=TYPED, max_leaves=4), RECORDS)
def test_manage_text_to_odata_keeps_the_meaning_in_odatas_own_evaluator(
    tree: ast.Node, batch: list[dict[str, Any]]
) -> None:
    """Well-typed conditions (drawn for automate, sent as Manage text), then Manage text to OData
    text, judged by OData's own evaluator. (Ill-typed ones, a number against a text field, are
    left out: the OData evaluator and the shared one read those differently, whatever the source.)"""
    from cwa_query.dialects.odata import parse_odata
    from cwa_query.language._evaluate import evaluate_odata

    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always", TranslationWarning)
            manage = render(translate(tree, "automate", "manage", schema=TYPED, endpoint="Things"), "manage")
            sent = translate(manage, "manage", "odata", schema=TYPED, endpoint="Things")
            # The id field (a number or its digits as text) included: OData compares it with both.
            text = render(sent, "odata", schema=TYPED, endpoint="Things")
    except UnrepresentableConditionError:
        assume(False)
        return
    assume(not warned)
    sent = parse_odata(text)
    for record in batch:
        assert evaluate_odata(sent, record) == evaluate(tree, record), (manage, text, record)


def test_automate_round_trips_back_to_the_same_manage_text() -> None:
    text = 'status/name = "Open" and (company/id in (19, 20) or _info/lastUpdated <= [2024-01-01T10:00:00Z])'
    automate = render(parse(text, dialect="manage"), "automate")
    assert render(parse(automate, dialect="automate"), "manage") == text


_PIECES = [
    *"abXY_/.()[]'\"%*,=<>!- 0123456789TZ:\n",
    " and ",
    " or ",
    " not ",
    " in ",
    " like ",
    "null",
    "[2024-01-01T00:00:00Z]",
]
_SOUP = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


def _only_typed_errors(text: str) -> None:
    """Whatever the text, parsing, linting and formatting it in manage raise nothing but the
    library's own typed errors."""
    from cwa_query import ConditionError, lint

    try:
        tree = parse(text, dialect="manage")
    except ConditionError:
        pass
    else:
        assert parse(render(tree, "manage"), dialect="manage") == tree
    lint(text, dialect="manage")


@FEW
@given(_SOUP)
@example("%'\"")  # an unquoted pattern holding both quotes: its repair raised
def test_any_text_gets_a_typed_error_or_a_tree(text: str) -> None:
    _only_typed_errors(text)


# --------------------------------------------------------------------------- heavy


@pytest.mark.slow
@MANY
@given(_SOUP)
@example("%'\"")  # an unquoted pattern holding both quotes: its repair raised
def test_any_text_gets_a_typed_error_or_a_tree_many(text: str) -> None:
    _only_typed_errors(text)


@pytest.mark.slow
@MANY
@given(manage_conditions(max_leaves=10), st.integers(0, 2**32 - 1))
def test_round_trip_many(tree: ast.Node, seed: int) -> None:
    _round_trip(tree)
    _respelled(tree, seed)


@pytest.mark.slow
@MANY
@given(invalid_manage_condition_strings())
def test_near_misses_are_refused_many(text: str) -> None:
    _refused(text)


PAIRS = [("manage", "automate"), ("automate", "manage"), ("seed", "manage"), ("manage", "seed"), ("manage", "odata")]


@pytest.mark.slow
@MANY
@given(st.sampled_from(PAIRS), st.data(), RECORDS)
def test_differential_between_the_pairs_with_manage(
    pair: tuple[str, str], data: st.DataObject, batch: list[dict[str, Any]]
) -> None:
    source, target = pair
    tree = data.draw(conditions(dialect=source, endpoint="Things", schema=TYPED, max_leaves=6))
    _same_meaning(tree, source, target, batch)
