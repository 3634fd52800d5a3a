"""hypothesis.extra.lark.from_lark over grammar/condition.lark: everything it generates parses.

from_lark is slow (a few examples a second), so this test keeps its example count small.
Keywords, fields and values get explicit strategies, padded with spaces: from the bare
terminal patterns, neighbouring words fuse (`aand`), and DATETIME's pattern allows
impossible dates such as 2024-19-39.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from cwa_query import parse
from cwa_query.dialects.condition import CONDITION
from cwa_query.language._lalr import grammar_text
from cwa_query.strategies import field_paths


def _padded(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda left, text, right: left + text + right, st.sampled_from([" ", "\t", "\n"]), strategy, st.just(" ")
    )


def _spellings(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word, word.upper(), word.capitalize()])


def _keyword_strategies(grammar: Lark) -> dict[str, st.SearchStrategy[str]]:
    keywords = {t.name: t.pattern.value for t in grammar.terminals if t.name in CONDITION.keyword_kinds()}
    return {name: _padded(_spellings(word)) for name, word in keywords.items()}


GRAMMAR = Lark(grammar_text(), parser="lalr")
EXPLICIT = {
    **_keyword_strategies(GRAMMAR),
    "FIELD": _padded(field_paths()),
    "STRING": _padded(
        st.one_of(
            st.text(st.characters(exclude_characters="'\x00"), max_size=6).map(lambda s: f"'{s}'"),
            st.text(max_size=6).map(lambda s: '"' + s.replace('"', '""') + '"'),
        )
    ),
    "NUMBER": _padded(
        st.one_of(
            st.integers().map(str),
            st.decimals(allow_nan=False, allow_infinity=False, places=2).map(lambda d: format(d, "f")),
        )
    ),
    "DATETIME": _padded(
        st.one_of(
            st.dates().map(dt.date.isoformat),
            st.datetimes().map(lambda d: d.isoformat()),
            st.datetimes().map(lambda d: d.isoformat(timespec="milliseconds") + "Z"),
        )
    ),
}


def test_explicit_strategies_cover_every_keyword() -> None:
    assert CONDITION.keyword_kinds() <= set(EXPLICIT)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(from_lark(GRAMMAR, explicit=EXPLICIT))
def test_everything_the_grammar_generates_parses(text: str) -> None:
    parse(text)
