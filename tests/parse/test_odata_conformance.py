"""Conformance with the official OData ABNF test suite.

`data/odata_abnf_testcases.json` holds every case of the OASIS OData ABNF Test Cases 4.01 whose
rule is `filter`, `boolCommonExpr` or `commonExpr` (see its `source` line). Inputs are
URL text, so each is percent-decoded first (`+` stays `+`, as OData says), then parsed
by the rule's entry point: `filter` with `parse_filter_option`, `boolCommonExpr` with
`parse_filter`, `commonExpr` with `parse_expression`.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cwa_query import ConditionSyntaxError, ast
from cwa_query import parse as cwa_parse
from cwa_query.language._odata import parse_expression, parse_filter, parse_filter_option

_DATA = json.loads((Path(__file__).parent / "data" / "odata_abnf_testcases.json").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = _DATA["cases"]
ENTRY: dict[str, Callable[[str], object]] = {
    "filter": parse_filter_option,
    "boolCommonExpr": parse_filter,
    "commonExpr": parse_expression,
}


def test_the_copied_suite_is_complete() -> None:
    assert "odata-abnf-testcases.yaml" in _DATA["source"]
    assert len(CASES) == 187
    assert sum("fail_at" in case for case in CASES) == 9
    assert {case["rule"] for case in CASES} == set(ENTRY)


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c['rule']}" for i, c in enumerate(CASES)])
def test_agrees_with_the_suite(case: dict[str, Any]) -> None:
    text = urllib.parse.unquote(case["input"])
    parse = ENTRY[case["rule"]]
    if "fail_at" in case:
        with pytest.raises(ConditionSyntaxError) as info:
            parse(text)
        # The error points into the text, and (where the suite names a position)
        # no later than the place the suite says the input stops being valid.
        assert 0 <= info.value.pos <= len(text)
        if case["fail_at"]:
            assert info.value.pos <= case["fail_at"]
    else:
        parse(text)


def _value(case: dict[str, Any]) -> str | None:
    """The `$filter` value a case gives the entry point; None where the case is about the option's name."""
    text = urllib.parse.unquote(case["input"])
    if case["rule"] == "boolCommonExpr":
        return text
    name, _, value = text.partition("=")
    return value if case["rule"] == "filter" and name in ("$filter", "filter") else None


BOOLEAN_CASES = [c for c in CASES if _value(c) is not None]


@pytest.mark.parametrize("case", BOOLEAN_CASES, ids=[f"{i}-{c['rule']}" for i, c in enumerate(BOOLEAN_CASES)])
def test_the_entry_point_agrees_with_the_suite(case: dict[str, Any]) -> None:
    """`cwa_query.parse(text, dialect="odata")` gives the full parser's verdict on every `$filter` case.

    The one tree reads every valid filter (issue 18: the entry point refuses nothing the
    OData parser accepts), and an invalid one is the same typed syntax error, never a
    bare exception from below.
    """
    text = _value(case)
    assert text is not None
    full_pos: int | None = None
    try:
        parse_filter(text)
    except ConditionSyntaxError as full:
        full_pos = full.pos
    if full_pos is None:
        assert isinstance(cwa_parse(text, dialect="odata"), ast.NODE_TYPES)
    else:
        with pytest.raises(ConditionSyntaxError) as info:
            cwa_parse(text, dialect="odata")
        assert info.value.pos == full_pos
