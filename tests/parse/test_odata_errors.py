"""OData syntax errors: position, expected words, hints for the usual mistakes, limits."""

from __future__ import annotations

import pytest

from cwa_query import ConditionLimitError, ConditionSyntaxError, ParseLimits
from cwa_query.language._odata import parse_expression, parse_filter, parse_filter_option

# (text, column of the fault (1-based), words that must appear in the hint)
HINTS: list[tuple[str, int, str]] = [
    ("Name = 'Milk'", 6, "`Name eq 'Milk'`"),
    ("Name == 'Milk'", 6, "`Name eq 'Milk'`"),
    ("Price >= 5", 7, "'ge' for '>='"),
    ("Price <= 5", 7, "'le' for '<='"),
    ("Price > 5", 7, "'gt' for '>'"),
    ("Price != 5", 7, "'ne' for '!='"),
    ("a eq 1 && b eq 2", 8, "'and' for '&&'"),
    ("a eq 1 || b eq 2", 8, "'or' for '||'"),
    ('Name eq "Milk"', 9, "single quotes: write 'Milk'"),
    ('Name eq "it\'s"', 9, "write 'it''s'"),
    ("Name eq 'O'Neil'", 11, "'O''Neil'"),
    ("Name eq 'abc", 9, "never closed"),
    ("Name like 'x%'", 6, "startswith(Name,'x')"),
    ("Client/Name like '%x%'", 13, "contains(Client/Name,'x')"),
    ("Name contains 'x'", 6, "contains(Name,'x')"),
    ("Client.Name eq 'x'", 7, "`Client/Name`"),  # the caret under the '.' (issue 21)
    ("Client.Address.City eq 'x'", 7, "`Client/Address/City`"),
    ("D gt 2024-01-01T10:00:00", 6, "2024-01-01T10:00:00Z"),
    ("(Name eq 'x'", 13, "column 1 is never closed"),
    ("Name eq 'x')", 12, "closes no '('"),
    ("", 1, "send no $filter"),
    ("Name eq", 8, "cut short"),
    ("contains(Name)", 1, "contains(Name,'text')"),
    ("any(t: t eq 1)", 1, "collection path"),
    ("Tags/all()", 10, "needs a lambda"),
    ("Name in (A, B)", 11, "only primitive literals"),
    ("Name eq 'x' Status eq 'y'", 13, "join conditions with 'and' or 'or'"),
    # malformed typed literals name their kind and its form
    ("D lt duration'P1Y'", 6, "no years or months"),
    ("D lt duration'P1D", 6, "duration'[-]PnDTnHnMn.nS'"),
    ("B eq binary'!!'", 6, "base64url"),
    ("G eq geography'x", 6, "geography'SRID=4326;Point(lon lat)'"),
    # OData 2 and 3 prefixes, dropped in OData 4
    ("Id eq guid'0f8fad5b-d9cb-469f-a165-70867728950e'", 11, "written bare: 0f8fad5b-d9cb-469f-a165-70867728950e"),
    ("D eq datetime'2020-01-01T00:00:00'", 14, "2020-01-01T00:00:00Z or 2020-01-01T00:00:00+hh:mm"),
    ("D eq date'2020-01-01'", 10, "written bare: 2020-01-01"),
    ("D eq time'PT1H'", 10, "duration'PT1H'"),
    ("B eq X'0A'", 7, "binary'...'"),
]


@pytest.mark.parametrize(("text", "column", "hint"), HINTS)
def test_hint(text: str, column: int, hint: str) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse_filter(text)
    error = info.value
    assert error.column == column, str(error)
    assert error.hint is not None and hint in error.hint, str(error)
    assert "^" in str(error)


@pytest.mark.parametrize(("text", "column", "hint"), HINTS)
def test_entry_point_gives_the_same_hint(text: str, column: int, hint: str) -> None:
    """parse(text, dialect="odata") (with its fast reader) explains the fault as the grammar does."""
    import cwa_query

    with pytest.raises(ConditionSyntaxError) as info:
        cwa_query.parse(text, dialect="odata")
    assert info.value.column == column, str(info.value)
    assert info.value.hint is not None and hint in info.value.hint, str(info.value)


def test_expected_is_in_words() -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse_filter("Name eq 'x' and")
    assert info.value.expected == ("an expression",)
    with pytest.raises(ConditionSyntaxError) as info:
        parse_filter("Name 'x'")
    words = info.value.expected
    assert any(word.startswith("an operator (eq") for word in words)
    assert not any("_" in word or word.isupper() for word in words)


def test_keywords_and_names() -> None:
    # Names that start with a keyword stay names; keywords are any case, null is not.
    tree = parse_filter("Android eq 1 AND Notes Eq 'x' or Order eq NULL")
    assert "Field(name='Android')" in repr(tree)
    assert "Field(name='Notes')" in repr(tree)
    assert "Field(name='NULL')" in repr(tree)


def test_filter_must_be_boolean() -> None:
    for text in ("Price add 2", "'text'", "42", "concat(A,B)", "[1,2]", "-Price"):
        with pytest.raises(ConditionSyntaxError, match="must be a Boolean"):
            parse_filter(text)
        parse_expression(text)


def test_filter_option() -> None:
    assert parse_filter_option("$filter=Price lt 5") == parse_filter("Price lt 5")
    assert parse_filter_option("filter=Price lt 5") == parse_filter("Price lt 5")
    with pytest.raises(ConditionSyntaxError) as info:
        parse_filter_option("$filter=Price lt")
    assert info.value.pos == len("$filter=Price lt")


def test_bad_literals_name_the_literal() -> None:
    for text, words in [
        ("D eq 2024-02-30", "invalid date"),
        ("D eq 2024-02-01T25:00:00Z", "invalid date-time"),
        ("T eq 25:00", "invalid time of day"),
        ("D eq duration'P'", "invalid duration"),
    ]:
        with pytest.raises(ConditionSyntaxError, match=words):
            parse_filter(text)


def test_limits() -> None:
    deep = "(" * 50 + "a eq 1" + ")" * 50
    with pytest.raises(ConditionLimitError, match="max_depth"):
        parse_filter(deep, limits=ParseLimits(max_depth=20))
    chain = " add ".join(["1"] * 40) + " eq 1"
    with pytest.raises(ConditionLimitError, match="max_depth"):
        parse_filter(chain, limits=ParseLimits(max_depth=20))
    many = "a in (" + ",".join(["1"] * 30) + ")"
    with pytest.raises(ConditionLimitError, match="max_in_values"):
        parse_filter(many, limits=ParseLimits(max_in_values=10))
    with pytest.raises(ConditionLimitError, match="max_length"):
        parse_filter("a eq 1", limits=ParseLimits(max_length=3))
    # Long and/or chains stay flat: no depth.
    parse_filter(" or ".join(f"Id eq {i}" for i in range(5000)))


def test_not_a_string() -> None:
    with pytest.raises(TypeError):
        parse_filter(b"a eq 1")  # type: ignore[arg-type]
