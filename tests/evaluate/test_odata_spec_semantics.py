"""OData's built-in operations to the letter: each row cites the section of OData 4.01 URL
Conventions (section 5.1.1, "Common Expression Syntax") it checks (issue 21)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from cwa_query import ConditionError, ConditionEvaluationError
from cwa_query.language._evaluate import compile_odata, truth_odata
from cwa_query.language._odata import parse_filter

NAN = float("nan")
RECORD = {
    "Name": "\u00a0a\u2003",
    "P": NAN,
    "One": 1,
    "Half": 0.5,
    "D": "2024-01-01T00:30:00+01:00",
    "DT": dt.datetime(2024, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    "Day": dt.date(2024, 3, 1),
    "DayText": "2024-03-01",
    "T": dt.time(7, 59, 58),
    "TText": "07:59:58",
    "S": "2024-05-01T10:00:00Z",
    "S2": "2024-05-01T08:30:00Z",
    "Tags": ["a", "b", "c"],
    "Addr": {"City": "Oslo", "Zip": "0150"},
    "Addr2": {"City": "Oslo", "Zip": "0150"},
    "Text": "abcdef",
    "Multi": "line1\nline2",
    "Arabic": "\u0663",
}

# (filter, its truth on RECORD, the section it follows)
ROWS: list[tuple[str, bool | None, str]] = [
    # trim removes white space "according to Unicode rules"
    ("trim(Name) eq 'a'", True, "5.1.1.7.4"),
    # "The special value NaN is not equal to anything, even to itself."
    ("NaN eq NaN", False, "5.1.1.1.1"),
    ("NaN ne NaN", True, "5.1.1.1.2"),
    ("P eq P", False, "5.1.1.1.1"),
    ("P ne P", True, "5.1.1.1.2"),
    ("INF eq INF", True, "5.1.1.1.1"),
    ("-INF lt INF", True, "5.1.1.1.5"),
    # Double division by zero: INF, -INF, NaN; divby never fails
    ("One divby 0 eq INF", True, "5.1.1.2.5"),
    ("-1 divby 0 eq -INF", True, "5.1.1.2.5"),
    ("1e0 div 0 eq INF", True, "5.1.1.2.5"),
    ("Half div 0 eq INF", True, "5.1.1.2.5"),
    ("0.0 div 0 eq NaN", False, "5.1.1.2.5"),  # NaN: equal to nothing
    ("0.0 div 0 ne 0.0 div 0", True, "5.1.1.2.5"),
    ("Half div 0.25 eq 2", True, "5.1.1.2.5"),
    ("Half mod 0.3 eq 0.2", True, "5.1.1.2.6"),
    # date parts in the value's own offset (text as well as objects)
    ("year(D) eq 2024", True, "5.1.1.8.2"),
    ("day(D) eq 1", True, "5.1.1.8.2"),
    ("hour(D) eq 0", True, "5.1.1.8.4"),
    ("year(DT) eq 2024", True, "5.1.1.8.2"),
    ("day(Day) eq 1", True, "5.1.1.8.2"),
    # hour/minute/second of a TimeOfDay, object or text
    ("hour(07:59:59) eq 7", True, "5.1.1.8.4"),
    ("minute(T) eq 59", True, "5.1.1.8.7"),
    ("second(T) eq 58", True, "5.1.1.8.10"),
    ("hour(TText) eq 7", True, "5.1.1.8.4"),
    ("second(TText) eq 58", True, "5.1.1.8.10"),
    ("hour(Day) eq null", True, "5.1.1.8.4"),  # no hour on a Date: null, not an AttributeError
    ("year(T) eq null", True, "5.1.1.8.2"),
    # date/time arithmetic
    ("S add duration'PT0S' ne S", False, "5.1.1.2.1"),
    ("S add duration'PT1H' gt S", True, "5.1.1.2.1"),
    ("S add duration'PT1H' eq 2024-05-01T11:00:00Z", True, "5.1.1.2.1"),
    ("S sub duration'P1D' eq 2024-04-30T10:00:00Z", True, "5.1.1.2.2"),
    ("Day add duration'P1D' eq 2024-03-02", True, "5.1.1.2.1"),
    ("DayText add duration'PT23H' eq 2024-03-01", True, "5.1.1.2.1"),  # less than a day: the same day
    ("Day sub duration'PT1H' eq 2024-02-29", True, "5.1.1.2.2"),  # "today minus ... is yesterday"
    ("S sub S2 eq duration'PT1H30M'", True, "5.1.1.2.2"),
    ("Day sub 2024-02-01 eq duration'P29D'", True, "5.1.1.2.2"),
    ("-duration'P1D' lt duration'P0D'", True, "5.1.1.2.3"),
    ("duration'PT1H' add duration'PT30M' eq duration'PT1H30M'", True, "5.1.1.2.1"),
    ("duration'PT1H' mul 2 eq duration'PT2H'", True, "5.1.1.2.4"),
    ("duration'PT1H' div 2 eq duration'PT30M'", True, "5.1.1.2.5"),
    # collections and complex values
    ("Tags eq ['a','b','c']", True, "5.1.1.1.1"),
    ("Tags eq ['a','c','b']", False, "5.1.1.1.1"),
    ("Tags ne ['a','b']", True, "5.1.1.1.2"),
    ("Addr eq Addr2", True, "5.1.1.1.1"),
    ("Addr eq {\"City\":\"Oslo\",\"Zip\":\"0150\"}", True, "5.1.1.1.1"),
    ("Addr ne {\"City\":\"Oslo\"}", True, "5.1.1.1.2"),
    ("contains(Tags,['b','c'])", True, "5.1.1.5.2"),
    ("contains(Tags,['a','c'])", False, "5.1.1.5.2"),
    ("startswith(Tags,['a','b'])", True, "5.1.1.5.6"),
    ("startswith(Tags,['b'])", False, "5.1.1.5.6"),
    ("endswith(Tags,['c'])", True, "5.1.1.5.3"),
    ("indexof(Tags,['b','c']) eq 1", True, "5.1.1.5.4"),
    ("indexof(Tags,['c','b']) eq -1", True, "5.1.1.5.4"),
    ("substring(Tags,1) eq ['b','c']", True, "5.1.1.5.7"),
    ("substring(Tags,0,2) eq ['a','b']", True, "5.1.1.5.7"),
    ("length(Tags) eq 3", True, "5.1.1.5.5"),
    # substring: a negative start counts from the end
    ("substring(Text,-2) eq 'ef'", True, "5.1.1.5.7"),
    ("substring(Text,-2,1) eq 'e'", True, "5.1.1.5.7"),
    ("substring(Text,-99) eq 'abcdef'", True, "5.1.1.5.7"),
    ("substring(Text,99) eq ''", True, "5.1.1.5.7"),
    # matchesPattern: ECMAScript's syntax and semantics
    ("matchesPattern(Text,'^abc')", True, "5.1.1.7.1"),
    ("matchesPattern(Multi,'line1$')", False, "5.1.1.7.1"),  # $ only at the end (no multiline flag)
    ("matchesPattern(Multi,'2$')", True, "5.1.1.7.1"),
    ("matchesPattern('line\n','line$')", False, "5.1.1.7.1"),  # Python's $ would match before the \n
    ("matchesPattern(Arabic,'^\\d$')", False, "5.1.1.7.1"),  # \d is [0-9]
    ("matchesPattern('7','^\\d$')", True, "5.1.1.7.1"),
    ("matchesPattern(Multi,'1.l')", False, "5.1.1.7.1"),  # . stops at line terminators
    ("matchesPattern('a\u00a0b','a\\sb')", True, "5.1.1.7.1"),  # \s is Unicode white space
    ("matchesPattern('é','^\\w$')", False, "5.1.1.7.1"),  # \w is [A-Za-z0-9_]
    ("matchesPattern('x','[^]')", True, "5.1.1.7.1"),
    ("matchesPattern('x','a[]')", False, "5.1.1.7.1"),
    # $it: the instance being filtered, inside lambdas too
    ("$it/Text eq 'abcdef'", True, "5.1.1.14.4"),
    ("Tags/any(t: t eq 'a' and $it/Text eq 'abcdef')", True, "5.1.1.14.4"),
    ("$it/Addr/City eq 'Oslo'", True, "5.1.1.14.4"),
]


@pytest.mark.parametrize(("text", "expected", "section"), ROWS, ids=[f"{row[2]} {row[0]}" for row in ROWS])
def test_spec_row(text: str, expected: bool | None, section: str) -> None:
    assert truth_odata(parse_filter(text), RECORD) is expected, section


# (filter, what the request does: each fails, section 5.1.1.2.5/6, 5.1.1.5.7, 5.1.1.7.1)
FAILING = [
    ("One div 0 eq 1", "5.1.1.2.5: integer div zero"),
    ("One mod 0 eq 1", "5.1.1.2.6: mod zero"),
    ("Half mod 0 eq 1", "5.1.1.2.6: mod zero"),
    ("7 div 0 eq 1", "5.1.1.2.5: integer div zero"),
    ("substring(Text,1,-1) eq ''", "5.1.1.5.7: a negative length is a bad request"),
    ("matchesPattern(Text,'(')", "5.1.1.7.1: the pattern MUST be a regular expression"),
    ("duration'PT1H' div 0 eq duration'PT1H'", "5.1.1.2.5: no Duration divided by zero"),
]


@pytest.mark.parametrize(("text", "why"), FAILING)
def test_the_request_fails(text: str, why: str) -> None:
    with pytest.raises(ConditionEvaluationError) as caught:
        truth_odata(parse_filter(text), RECORD)
    assert caught.value.limit is None, why
    assert isinstance(caught.value, ConditionError)


def test_date_record_parts_do_not_raise_attribute_error() -> None:
    """Section 5.1.1.8.4: hour() takes a DateTimeOffset or a TimeOfDay; a Date is neither."""
    check = compile_odata(parse_filter("hour(Day) eq null and minute(Day) eq null and second(Day) eq null"))
    assert check({"Day": dt.date(2024, 1, 1)}) is True


def test_nan_from_a_record_and_a_literal_differ_from_everything() -> None:
    """Section 5.1.1.1.1: NaN against any number, itself included, is not equal."""
    check = compile_odata(parse_filter("P eq Q"))
    for other in (NAN, 1, 0.0, math.inf):
        assert check({"P": NAN, "Q": other}) is False
