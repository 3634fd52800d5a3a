"""The strategies serve a dialect they have never seen: everything comes from the dialect
object (its features, rendering, parsing, grammar and respellings), nothing from its name."""

from __future__ import annotations

import pytest
from hypothesis import given

from cwa_query import ConditionSyntaxError, ast, parse
from cwa_query.dialects import Feature, dialect_names, features_used, get_dialect
from cwa_query.dialects.condition import ConditionDialect
from cwa_query.strategies import condition_strings, conditions, invalid_condition_strings


class Lean(ConditionDialect):
    """A dialect of the condition grammar with few constructs (no `name`: not registered,
    so no other test meets it): `like`, `in`, and the comparisons."""

    title = "the lean dialect"
    features = frozenset({Feature.LIKE, Feature.IN, Feature.EQ_KEYWORD})


LEAN = Lean()


@given(conditions(dialect=LEAN, max_leaves=5))
def test_trees_use_only_the_dialects_features_and_round_trip(tree: ast.Node) -> None:
    assert {feature for feature, _ in features_used(tree)} <= LEAN.features
    assert LEAN.parse(LEAN.render(tree)) == tree


@given(condition_strings(dialect=LEAN, max_leaves=5))
def test_text_parses_in_the_dialect(text: str) -> None:
    tree = LEAN.parse(text)
    assert LEAN.parse(LEAN.render(tree)) == tree


@given(invalid_condition_strings(dialect=LEAN))
def test_near_misses_are_refused_by_the_dialect(text: str) -> None:
    with pytest.raises(ConditionSyntaxError):
        LEAN.parse(text)


def test_near_misses_include_the_constructs_it_lacks() -> None:
    from cwa_query.strategies._text import construct_misses

    misses = construct_misses(LEAN)
    assert "not (a = 1)" in misses  # a prefix `not`, as the seed dialect writes it
    assert "a startswith 'x%'" in misses
    assert "a not like 'x%'" in misses
    assert "a like 'x%'" not in misses  # it has `like`


@pytest.mark.parametrize("dialect", dialect_names())
def test_fixed_near_misses_are_refused_by_every_registered_dialect(dialect: str) -> None:
    from cwa_query.strategies._text import FIXED_NEAR_MISSES, construct_misses

    for text in (*FIXED_NEAR_MISSES, *construct_misses(get_dialect(dialect))):
        with pytest.raises(ConditionSyntaxError):
            parse(text, dialect=dialect)


def test_every_edit_of_a_text_with_eq_breaks_it() -> None:
    # Found by the explore profile: `a EQ ''` edited to `a = ''` (the word comparison
    # written as a symbol) is no near miss in a dialect where `eq` spells `=`.
    from cwa_query.strategies._text import _edits, _joined, _pieces

    for edit in _edits(LEAN, own_features=True):
        edited = edit(_pieces(LEAN, "(a EQ '' AND\ta = '')"))
        if edited is not None:
            with pytest.raises(ConditionSyntaxError):
                LEAN.parse(_joined(edited))


@pytest.mark.parametrize("dialect", dialect_names())
def test_near_misses_of_every_registered_dialect_are_refused(dialect: str) -> None:
    @given(invalid_condition_strings(dialect=dialect))
    def check(text: str) -> None:
        with pytest.raises(ConditionSyntaxError):
            parse(text, dialect=dialect)

    check()
