"""Hostile input, every dialect: for drawn and mutated conditions, parse, evaluate, to_sql,
render, translate and lint each return or raise the project's own error (a CwaQueryError),
never a bare ValueError, RecursionError, OverflowError, ... (issue 21, "Show").

How long each takes is measured by bench/hostile.py against a budget, not asserted here.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cwa_query import CwaQueryError, dialect_names, evaluate, lint, parse, render, to_sql, translate
from cwa_query.odata import evaluate_odata, parse_odata
from cwa_query.strategies import condition_strings, odata_filter_strings

# What a red team pastes into a condition (issue 21's reproducers among them).
HOSTILE = [
    "9" * 400,
    "1e999999999",
    "1e-999999999",
    "0." + "0" * 5000 + "1",
    "(" * 60,
    ")" * 10,
    "'",
    '"',
    "\x00",
    "\ud800",
    "\u00a0",
    " ",
    "substringof('a',Name)",
    "matchesPattern(Name,'^(a|a)*$')",
    "Tags/any(t:t/L/any(u:u/L/any(v:v eq 1)))",
    "[2026-02-01]",
    "2024-02-30",
    "duration'P99999999D'",
    "-INF",
    "NaN",
    "a" * 2000,
    "/".join(["a"] * 2000),
    ".".join(["a"] * 2000),
    "Id in (" + ",".join(map(str, range(500))) + ")",
    " and ",
    " not ",
    "==",
    "$it/",
    "@x",
]

RECORDS: list[dict[str, Any]] = [
    {},
    {"Name": "a" * 31 + "!", "Id": 10**30, "Tags": ["a", "b"], "L": [{"L": [1, 2]}]},
    {"Name": None, "Id": "5", "Price": float("nan"), "When": "2024-01-01T00:30:00+01:00", "Client": {"Id": 1}},
]


@st.composite
def mutated(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> str:
    """A drawn condition with a hostile piece put in, a slice cut out, or a slice repeated."""
    text = draw(texts)
    at = draw(st.integers(0, len(text)))
    end = draw(st.integers(at, len(text)))
    how = draw(st.sampled_from(["insert", "replace", "cut", "repeat"]))
    if how == "insert":
        return text[:at] + draw(st.sampled_from(HOSTILE)) + text[at:]
    if how == "replace":
        return text[:at] + draw(st.sampled_from(HOSTILE)) + text[end:]
    if how == "cut":
        return text[:at] + text[end:]
    return text[:at] + text[at:end] * draw(st.integers(2, 50)) + text[end:]


def _texts(dialect: str) -> st.SearchStrategy[str]:
    drawn = odata_filter_strings() if dialect == "odata" else condition_strings(dialect=dialect)
    return st.one_of(drawn, mutated(drawn), st.sampled_from(HOSTILE))


def _own(call: Any, *args: Any, **kwargs: Any) -> Any:
    """The call's result, or None when it raised one of the project's own errors."""
    try:
        return call(*args, **kwargs)
    except CwaQueryError:
        return None


def _every_operation(dialect: str, text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TranslationWarning and ConditionWarning are answers too
        _own(lint, text, dialect=dialect)
        for target in dialect_names():
            if target != dialect:
                _own(translate, text, dialect, target)
        tree = _own(parse, text, dialect=dialect)
        if tree is not None:
            for target in dialect_names():
                _own(render, tree, target)
            _own(to_sql, tree)
            for record in RECORDS:
                _own(evaluate, tree, record)
        if dialect == "odata":
            odata_tree = _own(parse_odata, text)
            if odata_tree is not None:
                for record in RECORDS:
                    _own(evaluate_odata, odata_tree, record)


@pytest.mark.parametrize("dialect", dialect_names())
@pytest.mark.parametrize("text", HOSTILE)
def test_each_hostile_piece_alone(dialect: str, text: str) -> None:
    _every_operation(dialect, text)


@pytest.mark.slow
@pytest.mark.parametrize("dialect", dialect_names())
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_drawn_and_mutated_conditions_end_in_the_projects_errors(dialect: str, data: st.DataObject) -> None:
    _every_operation(dialect, data.draw(_texts(dialect), label="text"))
