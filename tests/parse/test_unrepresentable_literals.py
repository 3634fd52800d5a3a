"""Issue 13 items 2 and 3: literals the language cannot carry are typed errors at their position."""

from __future__ import annotations

import pytest

from cwa_query import (
    ConditionSyntaxError,
    F,
    UnrepresentableConditionError,
    ast,
    encode,
    evaluate,
    lint,
    literal,
    parse,
    render,
)
from cwa_query.language.literals import MAX_INTEGER_DIGITS

HUGE = "9" * 4301


@pytest.mark.parametrize("text", [f"a = {HUGE}", f"a in (1, -{HUGE})", f"b = 1 and a > {HUGE}"])
def test_an_integer_over_4300_digits_is_a_syntax_error_at_its_position(text: str) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(text)
    assert text[caught.value.pos :].lstrip("-").startswith("9999")
    assert "4,300" in caught.value.description


def test_an_integer_of_4300_digits_still_parses() -> None:
    tree = parse("a = " + "9" * 4300)
    assert isinstance(tree, ast.Compare)
    assert tree.value == ast.Integer(10**4300 - 1)


def test_lint_reports_a_huge_integer_as_a_syntax_finding() -> None:
    [finding] = lint(f"a = {HUGE}")
    assert finding.name == "syntax-error"
    assert finding.column == 5


@pytest.mark.parametrize("text", ["Name = '\ud800'", "Name in ('a', 'x\udfffy')", 'Name like "%\ud83d"'])
def test_a_lone_surrogate_is_a_syntax_error_at_its_position(text: str) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(text)
    assert "\ud800" <= text[caught.value.pos] <= "\udfff"
    [finding] = lint(text)
    assert finding.name == "syntax-error"


def test_a_real_astral_character_is_fine() -> None:
    assert parse("Name = '\U0001f600'") == ast.Compare(ast.Field("Name"), ast.Op.EQ, ast.String("\U0001f600"))


@pytest.mark.parametrize("value", ["\ud800", "ok\udc00", 10**5000, -(10**4300)], ids=["lone", "trail", "big", "neg"])
def test_the_builder_refuses_them_with_a_value_error(value: object) -> None:
    with pytest.raises(UnrepresentableConditionError) as caught:
        F.a == value
    assert isinstance(caught.value, ValueError)
    with pytest.raises(UnrepresentableConditionError):
        literal(value)


@pytest.mark.parametrize("node", [ast.String("\ud800"), ast.Integer(10**5000)], ids=["surrogate", "big"])
@pytest.mark.parametrize("dialect", ["seed", "automate"])
def test_render_and_encode_refuse_a_tree_built_by_hand(node: ast.Literal, dialect: str) -> None:
    tree = ast.Compare(ast.Field("a"), ast.Op.EQ, node)
    with pytest.raises(UnrepresentableConditionError):
        render(tree, dialect)
    with pytest.raises(UnrepresentableConditionError):
        encode(tree, dialect)


def test_evaluate_does_not_need_the_text_of_a_huge_integer() -> None:
    tree = ast.Compare(ast.Field("a"), ast.Op.GT, ast.Integer(10**5000))
    assert evaluate(tree, {"a": 10**5001}) is True


@pytest.mark.parametrize("dialect", ["seed", "automate", "manage"])
@pytest.mark.parametrize("digits", [MAX_INTEGER_DIGITS - 1, MAX_INTEGER_DIGITS])
def test_a_negative_integer_at_the_digit_limit_is_that_integer(dialect: str, digits: int) -> None:
    # `-` plus 4,300 digits is within the limit (the sign is no digit); it once parsed as `false`
    tree = parse("a = -" + "9" * digits, dialect=dialect)
    assert isinstance(tree, ast.Compare)
    assert tree.value == ast.Integer(-int("9" * digits))
