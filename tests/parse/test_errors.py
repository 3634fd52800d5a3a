"""Syntax errors: position, expected words, hints, caret snippet; limits on huge input."""

from __future__ import annotations

import pickle
import re

import pytest

from cwa_query import (
    ConditionError,
    ConditionEvaluationError,
    ConditionLimitError,
    ConditionSyntaxError,
    CwaQueryError,
    ParseLimits,
    parse,
    render,
)
from cwa_query.errors import QueryTooLongError

# (text, column of the fault (1-based), words that must appear in the hint)
HINTS: list[tuple[str, int, str]] = [
    ("Status == 'Online'", 9, "single '='"),
    ("a = 1 && b = 2", 7, "'and'"),
    ("a = 1 & b = 2", 7, "'and'"),
    ("a = 1 || b = 2", 7, "'or'"),
    ("a = 1 | b = 2", 7, "'or'"),
    ("Name = 'abc", 8, "never closed"),
    ('Name = "abc', 8, "never closed"),
    ("a = 1 and Name = 'it''s", 18, "never closed"),
    ("Status = Online", 10, "'Online'"),
    ("a = null", 5, "null"),
    ("a = NULL", 5, "null"),
    ("a in ()", 7, "at least one value"),
    ("a not in ()", 11, "at least one value"),
    ("(a = 1 and (b = 2)", 19, "column 1 is never closed"),
    ("a = 1 and (b = 2", 17, "column 11 is never closed"),
    ("a = 1)", 6, "closes no '('"),
    ("(a = 1))", 8, "closes no '('"),
    ("", 1, "send no condition"),
    ("   ", 4, "send no condition"),
    ("a <> 1", 4, "'!='"),
    ("a = 1 b = 2", 7, "'and' or 'or'"),
    ("and = 1", 1, "keyword"),
    ("a is null", 3, "not an operator"),
    ("a in (1,)", 9, "trailing ','"),
    ("a in (1,", 9, "ends with ','"),
    ("a = 5abc", 5, "quote anything else"),
    ("a ! = 1", 3, "'!='"),
    ("a = 1 and", 10, None),  # type: ignore[list-item]
]


@pytest.mark.parametrize(("text", "column", "hint"), HINTS, ids=[row[0] or "<empty>" for row in HINTS])
def test_error_position_and_hint(text: str, column: int, hint: str | None) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text)
    err = info.value
    assert (err.line, err.column) == (1, column), str(err)
    assert err.pos == column - 1
    if hint is not None:
        assert err.hint is not None and hint in err.hint, err.hint
        assert "hint: " + err.hint in str(err)


def test_error_is_a_value_error_in_one_tree() -> None:
    with pytest.raises(ValueError, match="expected a value") as info:
        parse("a = ")
    assert isinstance(info.value, ConditionSyntaxError)
    assert isinstance(info.value, ConditionError)
    assert isinstance(info.value, CwaQueryError)


def test_str_shows_the_line_with_a_caret_under_the_fault() -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse("Status == 'Online'")
    lines = str(info.value).splitlines()
    assert lines[0] == "unexpected '=' at line 1, column 9; expected a value"
    assert lines[1] == "  Status == 'Online'"
    assert lines[2] == "          ^"
    assert lines[2].index("^") == lines[1].index("== 'O") + 1


def test_caret_on_a_later_line() -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse("a = 1 and\n  b == 2")
    err = info.value
    assert (err.line, err.column) == (2, 6)
    assert err.context().splitlines() == ["    b == 2", "       ^"]


def test_long_lines_are_cut_around_the_fault() -> None:
    text = " and ".join(f"Field{i} = {i}" for i in range(60)) + " and x == 1"
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text)
    snippet, caret = info.value.context().splitlines()
    assert len(snippet) < 100
    assert snippet[caret.index("^")] == "="


EXPECTED_WORDS = [
    ("a", ["an operator (=, !=, <, >, <=, >=, contains, like, in, ...)"]),
    ("a =", ["a value"]),
    ("Name startswith 5", ["a quoted string"]),
    ("a = 1 and", ["a field name", "'not'", "'('"]),
    ("(a = 1", ["')'", "'and'", "'or'"]),
    ("a = 1 b", ["'and'", "'or'", "the end of the condition"]),
    ("a in 1", ["'('"]),
    ("a in (1 2)", ["','", "')'"]),
    ("a not = 1", ["'contains'", "'in'", "'like'"]),
]


@pytest.mark.parametrize(("text", "words"), EXPECTED_WORDS, ids=[row[0] for row in EXPECTED_WORDS])
def test_expected_in_words(text: str, words: list[str]) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text)
    assert sorted(info.value.expected) == sorted(words)


NEAR_MISSES = [
    "a = 'x",
    "a = 1 and and b = 2",
    "= 1",
    "a = 1 or",
    "not",
    "()",
    "a = (1)",
    "a in (1, 2",
    "a like 5",
    "a = 1 a = 2",
    "a = 2024-02-30",
    "a.b. = 1",
    "a = 1.",
    "a = .5",
    "a = 1e5",
    "a = $x",
    "a = @p",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_messages_never_show_grammar_internals(text: str) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text)
    message = str(info.value)
    assert not re.search(r"__ANON|\b[A-Z]+_[A-Z]+\b|\$END|LPAR|RPAR|COMP_OP|FIELD\b", message), message
    for word in info.value.expected:
        assert not re.fullmatch(r"[A-Z_$]+", word), word


def test_errors_pickle() -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse("a == 1")
    clone = pickle.loads(pickle.dumps(info.value))
    assert (clone.pos, clone.hint, clone.expected, str(clone)) == (
        info.value.pos,
        info.value.hint,
        info.value.expected,
        str(info.value),
    )


@pytest.mark.parametrize(
    ("error", "attributes"),
    [
        (
            ConditionLimitError("too deep", text="((a = 1))", pos=1, limit="max_depth", hint="flatten it"),
            ("limit", "hint"),
        ),
        (ConditionEvaluationError("mod 0: the right operand is zero", limit=None), ("limit",)),
        (ConditionEvaluationError("over budget", limit="max_steps"), ("limit",)),
        (QueryTooLongError("the list is under `or`", size=3000, budget=2048), ("reason", "size", "budget")),
    ],
)
def test_errors_with_keyword_arguments_pickle(error: CwaQueryError, attributes: tuple[str, ...]) -> None:
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert str(clone) == str(error)
    assert [getattr(clone, name) for name in attributes] == [getattr(error, name) for name in attributes]


# --------------------------------------------------------------------------- limits


def test_100000_nested_parentheses_are_refused_naming_the_limit() -> None:
    text = "(" * 100_000 + "a = 1" + ")" * 100_000
    with pytest.raises(ConditionLimitError) as info:
        parse(text)
    assert info.value.limit == "max_depth"
    assert "max_depth" in str(info.value)
    assert info.value.column == 201


def test_nesting_parses_up_to_a_raised_limit() -> None:
    text = "(" * 5_000 + "a = 1" + ")" * 5_000
    assert render(parse(text, limits=ParseLimits(max_depth=5_000))) == "a = 1"


def test_20000_chained_not_are_refused_naming_the_limit() -> None:
    with pytest.raises(ConditionLimitError, match="max_depth"):
        parse("not " * 20_000 + "a = 1")


def test_deep_not_within_the_limit_parses_and_renders() -> None:
    node = parse("not " * 200 + "a = 1")
    assert render(node, "automate") == "a = 1"
    assert render(node, "seed").count("not (") == 200


@pytest.mark.slow
def test_50000_and_terms_parse_and_render() -> None:
    text = " and ".join(f"F{i} = {i}" for i in range(50_000))
    node = parse(text)
    assert render(node) == text
    assert render(node, "automate") == text


@pytest.mark.slow
def test_100000_value_in_list_parses_and_renders() -> None:
    text = "Id in (" + ", ".join(str(i) for i in range(100_000)) + ")"
    node = parse(text)
    assert render(node) == text


def test_in_list_limit() -> None:
    with pytest.raises(ConditionLimitError) as info:
        parse("Id in (1, 2, 3, 4)", limits=ParseLimits(max_in_values=3))
    assert info.value.limit == "max_in_values"


def test_length_limit() -> None:
    with pytest.raises(ConditionLimitError) as info:
        parse("a = '" + "x" * 100 + "'", limits=ParseLimits(max_length=50))
    assert info.value.limit == "max_length"
    assert "max_length" in str(info.value)


def test_absurdly_deep_built_trees_are_refused_not_recursed() -> None:
    from cwa_query import F
    from cwa_query.errors import ConditionError

    cond = F.a == 1
    for _ in range(5_000):
        cond = ~cond
    with pytest.raises(ConditionError, match="nests deeper than"):
        render(cond)
    assert repr(cond).startswith("Condition(")


def test_date_times_out_of_range_in_utc_are_syntax_errors() -> None:
    with pytest.raises(ConditionSyntaxError, match="out of range once converted to UTC") as info:
        parse("d > 0001-01-01T00:00+01:00")
    assert info.value.column == 5
    assert render(parse("d > 9999-12-31T23:00-00:30"), "automate") == "d > 9999-12-31T23:30:00Z"


def test_builder_refuses_date_times_out_of_range_in_utc() -> None:
    import datetime as dt

    from cwa_query import F

    with pytest.raises(ValueError, match="out of range"):
        F.d > dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.mark.parametrize(
    ("text", "description", "word", "width"),
    [
        ("a = 1 && b = 2", "unexpected '&&'", "and", 2),
        ("a = 1 & b = 2", "unexpected '&'", "and", 1),
        ("a = 1 || b = 2", "unexpected '||'", "or", 2),
        ("a = 1 | b = 2", "unexpected '|'", "or", 1),
    ],
)
def test_and_or_symbols_are_named_with_the_word_to_write(text: str, description: str, word: str, width: int) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text)
    error = info.value
    assert (error.description, error.expected, error.end_pos - error.pos) == (description, (f"'{word}'",), width)
    assert error.hint is not None and f"with the word '{word}': `a = 1 {word} b = 2`" in error.hint
