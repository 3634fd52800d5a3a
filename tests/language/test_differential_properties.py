"""Differential: SQLite running to_sql selects exactly the records that evaluate accepts.

Records and conditions come from cwa_query.strategies, over scalar fields (to_sql's
domain): the seed Computers endpoint, and a catalogue of untyped (`any`) fields where
every kind of value meets every kind of literal (text, numeric text, normal-form
date-time text, numbers, booleans, date-times, None, missing).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cwa_query import ast, load_schema
from cwa_query.language._evaluate import compile_truth
from cwa_query.strategies import conditions, records
from tests.language.evaluate_sql import select

MIXED = load_schema(
    {
        "name": "mixed",
        "endpoints": {
            "Things": {
                "fields": {
                    "a": "any",
                    "B": "any",
                    "c.d": "any",
                    "c.E": "any",
                    "n": "integer",
                    "x": "decimal",
                    "s": "string",
                    "t": "datetime",
                    "f": "boolean",
                    "Id": "id",
                }
            }
        },
    }
)

CASES = {
    "seed-Computers": ({"dialect": "seed", "endpoint": "Computers"}, {"dialect": "seed", "endpoint": "Computers"}),
    "automate-mixed": (
        {"dialect": "automate", "endpoint": "Things", "schema": MIXED},
        {"dialect": "automate", "endpoint": "Things", "schema": MIXED},
    ),
    "seed-mixed": (
        {"dialect": "seed", "endpoint": "Things", "schema": MIXED},
        {"dialect": "automate", "endpoint": "Things", "schema": MIXED},
    ),
}


def _check(tree: ast.Node, batch: list[dict[str, Any]]) -> None:
    three = compile_truth(tree)
    answers = [three(record) for record in batch]
    assert select(tree, batch) == {i for i, answer in enumerate(answers) if answer is True}
    assert select(ast.Not(tree), batch) == {i for i, answer in enumerate(answers) if answer is False}


@pytest.mark.parametrize("case", list(CASES))
def test_sqlite_selects_what_evaluate_accepts(case: str) -> None:
    condition_options, record_options = CASES[case]

    @settings(max_examples=max(settings.default.max_examples // 2, 10))  # 30 in dev, 10 in the quick loop
    @given(
        conditions(max_leaves=6, **condition_options),  # type: ignore[arg-type]
        st.lists(records(**record_options), min_size=1, max_size=8),  # type: ignore[arg-type]
    )
    def check(tree: ast.Node, batch: list[dict[str, Any]]) -> None:
        _check(tree, batch)

    check()


@pytest.mark.slow
@settings(max_examples=max(settings.default.max_examples // 4, 20))
@given(
    st.lists(conditions(max_leaves=1, dialect="automate", endpoint="Things", schema=MIXED), min_size=1, max_size=1),
    st.lists(records(dialect="automate", endpoint="Things", schema=MIXED), min_size=20, max_size=40),
)
def test_single_predicates_over_many_records(trees: list[ast.Node], batch: list[dict[str, Any]]) -> None:
    # one predicate, many values: every kind of value meets the literal in one example
    _check(trees[0], batch)
