"""OData semantics of evaluation: null comparisons, case-sensitive text, kinds, lambdas, arithmetic."""

from __future__ import annotations

import datetime as dt
import decimal as _decimal
import math
from typing import Any

import pytest

from cwa_query import ConditionError
from cwa_query.language._evaluate import compile_odata, evaluate_odata, truth_odata
from cwa_query.language._odata import parse_filter

RECORD = {
    "Name": "SRV-01",
    "Price": None,
    "Tags": ["a", "b"],
    "Seen": "2024-01-01T10:00:00Z",
    "When": dt.datetime(2024, 1, 1, 10, tzinfo=dt.UTC),
    "N": 5,
    "Ratio": 0.5,
    "On": True,
    "Style": "Red, Blue",
    "Client": {"Id": 7, "Name": "Acme"},
    "Items": [{"Qty": 1}, {"Qty": 3}],
}

# (filter, its truth on RECORD: True, False or None for null)
ROWS: list[tuple[str, bool | None]] = [
    ("Name eq 'SRV-01'", True),
    ("Name eq 'srv-01'", False),  # case-sensitive
    ("Name ne 'x'", True),
    ("Price eq null", True),
    ("Price ne null", False),
    ("Missing eq null", True),
    ("Missing ne 1", True),  # null ne 1: true
    ("Price gt 5", False),  # ordering with null: false, never null
    ("not (Price gt 5)", True),
    ("contains(Price,'x')", None),  # functions of null: null
    ("not contains(Price,'x')", None),
    ("contains(Price,'x') or true", True),
    ("contains(Price,'x') and false", False),
    ("contains(Name,'SRV')", True),
    ("contains(Name,'srv')", False),
    ("startswith(Name,'SRV')", True),
    ("endswith(Name,'01')", True),
    ("tolower(Name) eq 'srv-01'", True),
    ("toupper('é') eq 'É'", True),
    ("length(Name) eq 6", True),
    ("indexof(Name,'-') eq 3", True),
    ("substring(Name,1,2) eq 'RV'", True),
    ("concat(Name,'!') eq 'SRV-01!'", True),
    ("Name gt 'SRV'", True),
    ("Name lt 'srv'", True),  # by code point: 'S' < 's'
    ("Seen gt 2023-12-31", True),
    ("Seen lt 2024-01-01T10:00:01Z", True),
    ("When eq 2024-01-01T11:00:00+01:00", True),
    ("year(Seen) eq 2024", True),
    ("N add 1 eq 6", True),
    ("N sub 1 eq 4", True),
    ("N mul 2 eq 10", True),
    ("N div 2 eq 2", True),  # integer division
    ("N divby 2 eq 2.5", True),
    ("N mod 3 eq 2", True),
    ("-N eq -5", True),
    ("Ratio eq 0.5", True),
    ("N eq '5'", False),  # kinds that do not compare
    ("N ne '5'", True),
    ("On eq true", True),
    ("On", True),
    ("Name in ('SRV-01', 'x')", True),
    ("Name in ('srv-01')", False),
    ("Price in (null, 1)", True),
    ("Client/Id eq 7", True),
    ("client/id eq 7", True),  # exact case first, then ASCII case
    ("Tags eq 'a'", False),  # no fan-out
    ("Tags/any(t: t eq 'a')", True),
    ("Tags/any(t: t eq 'A')", False),
    ("Tags/all(t: t ne 'c')", True),
    ("Tags/any()", True),
    ("Items/any(i: i/Qty gt 2)", True),
    ("Items/all(i: i/Qty gt 2)", False),
    ("Missing/any(t: t eq 1)", False),
    ("Items/$count eq 2", True),
    ("Style has Sales.Pattern'Red'", True),
    ("Style has Sales.Pattern'Green'", False),
    ("Name/Part eq null", True),
    ("Tags/Part eq null", True),  # a path through a list is null
]


@pytest.mark.parametrize(("text", "expected"), ROWS)
def test_truth(text: str, expected: bool | None) -> None:
    tree = parse_filter(text)
    assert truth_odata(tree, RECORD) is expected
    assert evaluate_odata(tree, RECORD) is (expected is True)


def test_compiled_once() -> None:
    predicate = compile_odata(parse_filter("N gt 3"))
    assert [predicate({"N": n}) for n in (1, 5, None)] == [False, True, False]
    with pytest.raises(TypeError):
        predicate([])  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["Model.Available()", "Price eq @p", "$root/People/$count gt 1"])
def test_service_constructs_refuse_local_evaluation(text: str) -> None:
    with pytest.raises(ConditionError, match="cannot be evaluated locally"):
        compile_odata(parse_filter(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Big eq INF", False), ("Big lt INF", True), ("Big ge INF", False), ("Small gt -INF", True)],
)
def test_integers_past_the_double_range_stay_below_infinity(text: str, expected: bool) -> None:
    # Found merging the evaluators: a number compared with INF was turned into a double
    # first, and 10**400 became INF (so `Big eq INF` was true).
    assert truth_odata(parse_filter(text), {"Big": 10**400, "Small": -(10**400)}) is expected


@pytest.mark.parametrize(
    ("text", "record", "expected"),
    [
        # 98938719.98618696 and 98938719.98618697 are one double: with a Double on one side
        # the decimal literal is promoted to Double (URL Conventions 5.1.1.1), as SQL does.
        ("A in (0.0, 98938719.98618696)", {"A": 98938719.98618697}, True),
        ("A eq 98938719.98618696", {"A": 98938719.98618697}, True),
        ("A gt 98938719.98618696", {"A": 98938719.98618697}, False),
        ("A eq 0.1", {"A": 0.1}, True),
        ("A eq 98938719.98618696", {"A": _decimal.Decimal("98938719.98618697")}, False),  # two decimals: exact
        ("Big lt 1e308", {"Big": 10**400}, False),  # an integer past the double range stays exact
    ],
)
def test_a_double_promotes_the_other_number(text: str, record: dict[str, Any], expected: bool) -> None:
    # Found by the SQL differential (tests/sql): evaluate compared the decimal forms exactly.
    assert truth_odata(parse_filter(text), record) is expected


@pytest.mark.parametrize(
    ("text", "record", "expected"),
    [
        ("X mod 2 eq 0", {"X": math.inf}, False),  # INF mod 2 is NaN (IEEE 754), never equal
        ("X mod 2 ne 0", {"X": -math.inf}, True),
        ("X mod 2.5 eq X", {"X": 1.0}, True),
        ("X mod INF eq 1.5", {"X": 1.5}, True),
        ("X div 2 eq 0", {"X": True}, True),  # a Boolean is the number 1 in arithmetic, as in SQL
        ("X div 2 eq 0", {"X": 1}, True),
    ],
)
def test_remainders_of_infinities_and_quotients_of_booleans(text: str, record: dict[str, Any], expected: bool) -> None:
    # Found by the SQL differential's author: `INF mod 2` raised a bare ValueError (math
    # domain error), and `true div 2` divided as a decimal (0.5) where `1 div 2` gives 0.
    assert truth_odata(parse_filter(text), record) is expected
