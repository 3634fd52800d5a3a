"""hypothesis.extra.lark.from_lark over grammar/odata.lark: everything it generates parses.

from_lark joins terminals with nothing between them and cannot draw the patterns with
look-arounds, so word-like terminals get explicit strategies padded with a space on the
left (and, unless a `(` must follow at once, on the right), and the ignored white space
from_lark draws between terminals is empty. Calls use service function
names: a canonical one (`contains`) also has a fixed number of arguments, which the
grammar leaves to the parser. from_lark is slow (well over a second an example here), so
the test is marked slow.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from cwa_query import ConditionSyntaxError
from cwa_query.language._odata import keyword_kinds, odata_grammar_text, parse_expression

GRAMMAR = Lark(odata_grammar_text(), parser="lalr")


def _padded(strategy: st.SearchStrategy[str], right: bool = True) -> st.SearchStrategy[str]:
    return st.builds(
        lambda left, text: left + text + (" " if right else ""), st.sampled_from([" ", "\t", "\n"]), strategy
    )


def _words(*words: str, right: bool = True) -> st.SearchStrategy[str]:
    return _padded(st.sampled_from(words), right)


NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda n: n.lower() not in {k.lower() for k in keyword_kinds()} and n not in {"null", "INF", "NaN"}
)
KEYWORDS = {
    t.name: _padded(st.sampled_from([t.pattern.value, t.pattern.value.upper(), t.pattern.value.capitalize()]))
    for t in GRAMMAR.terminals
    if t.name in keyword_kinds()
}


EXPLICIT = {
    **KEYWORDS,
    "FIELD": _padded(NAMES),
    "QNAME": _words("Model.Customer", "Edm.String", "Sales.Manager"),
    "FUNC": _words("Model.Available", "Items", "Ns.Fn", right=False),
    "ANY": _words("any", "ANY", right=False),
    "ALL": _words("all", "All", right=False),
    "CAST": _words("cast", right=False),
    "ISOF": _words("isof", right=False),
    "COLLECTION": _words("Collection", right=False),
    "ANNOTATION": _words("@alias", "@Core.Messages", "@Currency#Reporting"),
    "IT": _words("$it"),
    "THIS": _words("$this"),
    "ROOT": _words("$root"),
    "COUNT": _words("$count"),
    "FILTER": _words("$filter"),
    "NULL": _words("null"),
    "SPECIAL_NUMBER": _words("INF", "-INF", "NaN"),
    "STRING": _padded(st.text(max_size=5).map(lambda s: "'" + s.replace("'", "''") + "'")),
    "JSON_STRING": _padded(st.text(max_size=5).map(json.dumps)),
    # Spaces come with the padded terminals above: from_lark also draws the ignored WS
    # between any two terminals, and no space may stand between a function name and `(`.
    "WS": st.just(""),
    "NUMBER": _padded(st.one_of(st.integers().map(str), st.sampled_from(["1.5", "-2e3", "+7", "0.25E-2"]))),
    "DATE": _padded(st.dates(min_value=dt.date(1000, 1, 1)).map(dt.date.isoformat)),
    "DATETIME": _padded(
        st.datetimes(min_value=dt.datetime(1000, 1, 2), max_value=dt.datetime(9998, 1, 1)).map(
            lambda d: d.isoformat() + "Z"
        )
    ),
    "TIME": _padded(st.times().map(dt.time.isoformat)),
    "GUID": _padded(st.uuids().map(str)),
    "DURATION": _words("duration'P1D'", "duration'-PT2H30M'", "DURATION'PT0.5S'"),
    "BINARY": _words("binary'T0RhdGE'", "binary''"),
    "GEO": _words("geography'SRID=0;Point(142.1 64.1)'"),
    "ENUM": _words("Sales.Pattern'Yellow'", "Sales.Pattern'Red,Blue'"),
}


def test_explicit_strategies_cover_every_word_like_terminal() -> None:
    word_like = {t.name for t in GRAMMAR.terminals if t.name not in {
        "LPAR", "RPAR", "LBRACKET", "RBRACKET", "LBRACE", "RBRACE", "COMMA", "COLON", "SLASH", "ASSIGN", "MINUS", "WS"
    }}  # fmt: skip
    assert word_like <= set(EXPLICIT)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(from_lark(GRAMMAR, explicit=EXPLICIT))
def test_everything_the_grammar_generates_parses_many(text: str) -> None:
    # The grammar ignores white space at the ends and takes positional arguments for any
    # function; the parser then refuses, as the ABNF does, white space around the expression
    # and positional arguments of a name that is no canonical function (issue 21).
    try:
        parse_expression(text.strip())
    except ConditionSyntaxError as exc:
        if not exc.description.startswith("unknown function"):
            raise
