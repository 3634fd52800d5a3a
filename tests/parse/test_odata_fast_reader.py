"""The fast OData reader (`cwa_query/dialects/_odata_fast.py`) reads exactly as the grammar path.

`parse(text, dialect="odata")` takes the simple shape of a filter through the fast reader
and everything else through `grammar/odata.lark` and the reading pass. Every input here
is read twice, the fast reader on and forced off, and must give the same tree (`==`,
which includes the meaning, and every node's span compared explicitly) or the same error
(type, position, message): the bench corpora, the OData ABNF test cases, hand-picked
edge cases and drawn OData text. The fast reader must also take most of the condition
corpus, or it would prove nothing (and speed nothing).
"""

from __future__ import annotations

import json
import urllib.parse
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings

from cwa_query import ParseLimits, UnrepresentableConditionError, ast, parse, render
from cwa_query.dialects._odata_fast import read_simple
from cwa_query.dialects.odata import OData
from cwa_query.language._driver import DEFAULT_LIMITS
from cwa_query.strategies import invalid_odata_filter_strings, odata_condition_strings, odata_filter_strings

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "data"
ABNF = Path(__file__).parent / "data" / "odata_abnf_testcases.json"


def _spans(node: object) -> Iterator[tuple[str, tuple[int, int, int, int] | None]]:
    """Every node of a tree (OData nodes inside an `Expression` too) with its span."""
    if isinstance(node, tuple):
        for item in node:
            yield from _spans(item)
    elif isinstance(node, ast._Node):
        span = getattr(node, "span", None)
        yield type(node).__name__, None if span is None else (span.start, span.end, span.line, span.column)
        for name in node._fields:
            if name != "span":
                yield from _spans(getattr(node, name))


def _read(text: str, *, fast: bool, limits: ParseLimits = DEFAULT_LIMITS) -> tuple[Any, ...]:
    previous = OData.fast_reading
    OData.fast_reading = fast
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # reading warns about nothing, on either path
            tree = parse(text, dialect="odata", limits=limits)
    except Exception as exc:  # any error: it must be the same on both paths
        return ("error", type(exc), getattr(exc, "pos", None), str(exc))
    finally:
        OData.fast_reading = previous
    return ("tree", tree, list(_spans(tree)))


def assert_same(text: str, limits: ParseLimits = DEFAULT_LIMITS) -> None:
    slow = _read(text, fast=False, limits=limits)
    fast = _read(text, fast=True, limits=limits)
    assert fast == slow, text
    if slow[0] == "error":
        assert read_simple(text, limits) is None, text  # errors always come from the grammar path


def condition_corpus_as_odata() -> list[str]:
    """The filters of `bench/parse.py`'s "Condition corpus as OData" section, made as it makes them."""
    lines = (BENCH / "conditions-corpus.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for line in lines:
            if line.strip():
                try:
                    out.append(render(parse(json.loads(line)["cw"]), "odata"))
                except UnrepresentableConditionError:
                    continue
    return out


@pytest.fixture(scope="module")
def conditions() -> list[str]:
    return condition_corpus_as_odata()


def test_the_condition_corpus_reads_the_same(conditions: list[str]) -> None:
    assert len(conditions) > 1_500
    for text in conditions:
        assert_same(text)


def test_the_fast_reader_takes_the_condition_corpus(conditions: list[str]) -> None:
    """It must take nearly all of it (so it cannot be silently falling back), and what it
    takes must hold the kept-as-read `Expression`s as well as the shared nodes."""
    taken = [text for text in conditions if read_simple(text, DEFAULT_LIMITS) is not None]
    assert len(taken) >= 0.95 * len(conditions)
    kinds = {type(node).__name__ for text in taken for node in ast.walk(parse(text, dialect="odata"))}
    assert {"Compare", "InList", "And", "Or", "Not", "Expression"} <= kinds


def test_the_odata_corpus_reads_the_same() -> None:
    lines = (BENCH / "odata-corpus.jsonl").read_text(encoding="utf-8").splitlines()
    filters = [json.loads(line)["filter"] for line in lines if line.strip()]
    assert len(filters) == 1_000
    for text in filters:
        assert_same(text)
    # The corpus says much the condition language cannot: the grammar path reads most of it.
    assert 100 < sum(read_simple(text, DEFAULT_LIMITS) is not None for text in filters) < 900


def test_the_abnf_cases_read_the_same() -> None:
    cases = json.loads(ABNF.read_text(encoding="utf-8"))["cases"]
    for case in cases:
        text = urllib.parse.unquote(case["input"])
        assert_same(text)
        name, _, value = text.partition("=")
        if name in ("$filter", "filter"):
            assert_same(value)


EDGES = [
    # logic: runs in parentheses spliced into a run of the same operator, `not` pushed inward
    "(a eq 1 and b eq 2) and c eq 3",
    "a eq 1 and (b eq 2 and (c eq 3 or d eq 4))",
    "(a eq 1 or b eq 2) or (c eq 3 and d eq 4)",
    "not (a eq 1 or b ne 2) and c",
    "not (A ne null and not (A in ('x',null)))",
    "Id ne null and Id ne 5",
    "not not Flag",
    "not Flag and not (x eq 1)",
    "((((a eq 1))))",
    # comparisons: flipped, null, ordering, paths, literals of every shared kind
    "5 lt Price",
    "null eq Name",
    "Client/Location/Id ge 7",
    "Name gt null",
    "tolower(Name) eq null",
    "tolower(Name) gt 5",
    "When lt 2024-01-31 and At ge 2024-01-31T10:00:00+02:00",
    "Ok eq true or Ok ne false",
    "Price le 1.50 and Big eq 123456789012345678901234567890 and Tiny lt -1e-3",
    # kept as read (no exact shared form)
    "Name eq 'Foo'",
    "tolower(Name) eq 'kiosk' or contains(tolower(Name),'pi')",
    "tolower(Name) eq 'Foo'",
    "'a' eq 'b'",
    "A eq B",
    "Name in ('Foo','bar')",
    "Name in (null)",
    "not Name in ('x','y')",
    "contains(Name,Other)",
    "contains('abc',Name)",
    "not startswith(tolower(Name),'k')",
    "ENDSWITH(Name,'-01') and Contains(tolower(N),'x')",
    "tolower(N) in ('a',1)",
    # shapes the fast reader leaves to the grammar
    "not Name eq 'x'",
    "(Name) eq 'x'",
    "A eq B in (1,2)",
    "A in (1) in (2)",
    "X in ((1))",
    "X in ()",
    "X in (Y)",
    "contains(A,'x') eq true",
    "tolower(N)",
    "true",
    "Price add 1 gt 5",
    "Tags/any(t: t eq 'x')",
    "Client/and eq 1",
    "contains(contains(A,'x'),'y')",
    "tolower(tolower(A)) eq 'x'",
    # errors: the grammar's, at its position
    "",
    " a eq 1",
    "a eq 1 ",
    "a eq",
    "a = 1",
    "a eq 1 and",
    "(a eq 1",
    "a eq 1)",
    "Name eq 'O'Neil'",
    "X in (1,)",
    "contains(A)",
    "tolower(A,B) eq 'x'",
    "When eq 2024-13-01",
    "N eq 1e999999999",
    "5",
    "'text'",
    "a eq 1 b eq 2",
    # spans over several lines
    "a eq 1\nand\n  contains(tolower(Name),'x')",
    "Name\n eq 'Foo' or\nId in (1,\n2)",
]


@pytest.mark.parametrize("text", EDGES)
def test_edge_cases_read_the_same(text: str) -> None:
    assert_same(text)


def test_simple_shapes_are_taken() -> None:
    for text in ["a eq 1", "not (a eq 1 or b ne 2) and c", "Name eq 'Foo'", "tolower(N) in ('a','b',null)"]:
        assert read_simple(text, DEFAULT_LIMITS) is not None, text


@pytest.mark.parametrize(
    "limits",
    [ParseLimits(max_depth=d) for d in (1, 3, 9)]
    + [ParseLimits(max_in_values=n) for n in (2, 3)]
    + [ParseLimits(max_length=10)],
)
def test_limits_are_the_grammar_paths(limits: ParseLimits) -> None:
    for text in [
        "a eq 1",
        "a eq 1 and b eq 2 or c eq 3",
        "not (not (a eq 1 and not (b eq 2)))",
        "((a eq 1 or (b eq 2 and (c eq 3))))",
        "contains(tolower(Name),'x')",
        "Id in (1,2,3)",
        "Id in (1,2,3,4,5)",
    ]:
        assert_same(text, limits)


@settings(max_examples=60)
@given(odata_filter_strings(max_leaves=6))
def test_drawn_odata_filters_read_the_same(text: str) -> None:
    assert_same(text)


@settings(max_examples=60)
@given(odata_condition_strings(max_leaves=6))
@example("A in ('b',null) or not (c eq 1 and d ne 'e')")
def test_drawn_odata_conditions_read_the_same(text: str) -> None:
    assert_same(text)


@settings(max_examples=60)
@given(invalid_odata_filter_strings(max_leaves=4))
def test_drawn_invalid_filters_fail_the_same(text: str) -> None:
    assert_same(text)


@pytest.mark.slow
@settings(max_examples=600)
@given(odata_condition_strings(max_leaves=10))
def test_many_drawn_odata_conditions_read_the_same(text: str) -> None:
    assert_same(text)


@pytest.mark.slow
@settings(max_examples=600)
@given(odata_filter_strings(max_leaves=10))
def test_many_drawn_odata_filters_read_the_same(text: str) -> None:
    assert_same(text)
