"""Property tests of the OData dialect: render/parse round trip, drawn valid and invalid text."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import given, settings

from cwa_query import ConditionSyntaxError, TranslationWarning, ast, parse, render
from cwa_query.language import odata_ast as o
from cwa_query.language._odata import parse_filter
from cwa_query.language._odata_render import render_odata
from cwa_query.strategies import (
    condition_strings,
    conditions,
    invalid_odata_filter_strings,
    odata_filter_strings,
    odata_filters,
)


@given(odata_filters())
def test_parse_render_round_trip(tree: o.Expr) -> None:
    text = render_odata(tree)
    assert parse_filter(text) == tree, text


@given(odata_filter_strings())
def test_drawn_strings_parse_and_render_canonically(text: str) -> None:
    tree = parse_filter(text)
    assert parse_filter(render_odata(tree)) == tree


@given(invalid_odata_filter_strings())
def test_drawn_invalid_strings_are_refused_with_a_position(text: str) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse_filter(text)
    assert 0 <= info.value.pos <= len(text)
    assert "^" in str(info.value)


@pytest.mark.slow
@settings(max_examples=1500)
@given(odata_filters(max_leaves=20))
def test_parse_render_round_trip_many(tree: o.Expr) -> None:
    assert parse_filter(render_odata(tree)) == tree


def _round_trip(tree: ast.Node) -> None:
    """`parse(render(t, odata), odata) == t`. Without a schema the warnings allowed are the ones
    about numbers meeting text (OData compares a number with numbers only, text with text)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TranslationWarning)
        text = render(tree, "odata")
        again = parse(text, dialect="odata")
        assert render(again, "odata") == text
    assert all(re.search("exact only if .* holds (JSON numbers|text)", str(w.message)) for w in caught), [
        str(w.message) for w in caught
    ]
    assert again == tree


@given(conditions(dialect="odata", max_leaves=5))
def test_shared_trees_round_trip_through_odata_text(tree: ast.Node) -> None:
    _round_trip(tree)


@given(condition_strings(dialect="odata", max_leaves=5))
def test_drawn_condition_strings_parse_in_the_dialect(text: str) -> None:
    _round_trip(parse(text, dialect="odata"))
