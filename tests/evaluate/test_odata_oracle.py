"""`evaluate_odata` against an implementation nobody here wrote: the `odata-query` package turns
a `$filter` into SQLAlchemy, which SQLite runs (issue 21, "Show").

Random filters over random records; each disagreement fails. The oracle's known quirks are
undone one by one, each where it departs from OData 4.01 URL Conventions section 5.1.1:

1. SQL's three-valued comparisons: `Name ne 'x'` is unknown in SQL on a null Name, true in
   OData (5.1.1.1.2); the records here hold no null (null is covered by
   test_odata_evaluate.py and test_odata_spec_semantics.py).
2. SQLite's LIKE ignores ASCII case; OData's contains/startswith/endswith do not (5.1.1.5):
   `PRAGMA case_sensitive_like = ON`.
3. SQLite has no `strpos` and no `concat` (odata-query writes PostgreSQL's): registered with
   PostgreSQL's meaning (1-based position, 0 when absent).
4. odata-query writes `div` as a division by a NUMERIC cast, a fraction on integers; OData's
   integer `div` truncates (5.1.1.2.5): no `div` is drawn (`divby` is not in its grammar).
5. SQLite's lower()/upper() fold ASCII only, Python's all of Unicode; doubles round where
   OData's decimals do not: the text is ASCII letters, the numbers are multiples of 0.5.
6. SQL orders and compares values of different kinds (numbers before text); OData does not
   compare them (5.1.1.1): every drawn comparison has one kind on both sides.
7. odata-query's parser reads a one-value list `Name in ('a')` as a parenthesised value and
   fails (5.1.1.1.11 allows it): lists of two or three values are drawn.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cwa_query.language._evaluate import evaluate_odata
from cwa_query.odata import parse_odata

sa = pytest.importorskip("sqlalchemy")
shorthand = pytest.importorskip("odata_query.sqlalchemy")

ALPHABET = "aAbB"
texts = st.text(ALPHABET, max_size=3)
records = st.lists(
    st.fixed_dictionaries(
        {"Name": texts, "Qty": st.integers(-5, 5), "Price": st.integers(-6, 6).map(lambda n: n / 2)}
    ),
    min_size=1,
    max_size=12,
)


def _quoted(text: str) -> str:
    return "'" + text + "'"


text_literals = texts.map(_quoted)
text_exprs = st.one_of(
    st.just("Name"),
    text_literals,
    st.sampled_from(["tolower(Name)", "toupper(Name)"]),
    st.integers(0, 4).map(lambda n: f"substring(Name,{n})"),
    st.tuples(st.integers(0, 3), st.integers(0, 3)).map(lambda p: f"substring(Name,{p[0]},{p[1]})"),
    text_literals.map(lambda lit: f"concat(Name,{lit})"),
)
number_atoms = st.one_of(
    st.sampled_from(["Qty", "Price", "length(Name)"]),
    st.integers(-4, 4).map(str),
    st.integers(-4, 4).map(lambda n: f"{n / 2}"),
    text_literals.map(lambda lit: f"indexof(Name,{lit})"),
)
number_exprs = st.recursive(
    number_atoms,
    lambda inner: st.tuples(inner, st.sampled_from(["add", "sub", "mul"]), inner).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    ),
    max_leaves=3,
)
COMPARISONS = ["eq", "ne", "gt", "ge", "lt", "le"]
predicates = st.one_of(
    st.tuples(number_exprs, st.sampled_from(COMPARISONS), number_exprs).map(" ".join),
    st.tuples(text_exprs, st.sampled_from(COMPARISONS), text_exprs).map(" ".join),
    st.tuples(st.sampled_from(["contains", "startswith", "endswith"]), text_exprs, text_literals).map(
        lambda t: f"{t[0]}({t[1]},{t[2]})"
    ),
    st.lists(text_literals, min_size=2, max_size=3).map(lambda items: f"Name in ({','.join(items)})"),  # quirk 7
    st.lists(st.integers(-5, 5), min_size=2, max_size=3).map(lambda items: f"Qty in ({','.join(map(str, items))})"),
    st.tuples(st.sampled_from(["Qty", "(Qty add 7)"]), st.integers(1, 3)).map(lambda t: f"{t[0]} mod {t[1]} eq 1"),
)
filters = st.recursive(
    predicates,
    lambda inner: st.one_of(
        inner.map(lambda f: f"not ({f})"),
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
    ),
    max_leaves=4,
)


def _strpos(text: str, part: str) -> int:
    return text.find(part) + 1


@pytest.fixture(scope="module")
def table() -> Any:
    engine = sa.create_engine("sqlite://")

    @sa.event.listens_for(engine, "connect")
    def _undo_quirks(connection: sqlite3.Connection, _: Any) -> None:
        connection.execute("PRAGMA case_sensitive_like = ON")  # quirk 2
        connection.create_function("strpos", 2, _strpos, deterministic=True)  # quirk 3
        connection.create_function("concat", 2, lambda a, b: a + b, deterministic=True)

    metadata = sa.MetaData()
    rows = sa.Table(
        "records",
        metadata,
        sa.Column("Id", sa.Integer, primary_key=True),
        sa.Column("Name", sa.String),
        sa.Column("Qty", sa.Integer),
        sa.Column("Price", sa.Float),
    )
    metadata.create_all(engine)
    with engine.connect() as connection:
        yield rows, connection


def _oracle(table: Any, filter_text: str, rows: list[dict[str, Any]]) -> list[int]:
    records, connection = table
    connection.execute(records.delete())
    connection.execute(records.insert(), [{"Id": i, **row} for i, row in enumerate(rows)])
    query = shorthand.apply_odata_core(sa.select(records.c.Id), filter_text)
    return sorted(row[0] for row in connection.execute(query))


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(filter_text=filters, rows=records)
def test_evaluate_odata_agrees_with_odata_query_on_sqlite(
    table: Any, filter_text: str, rows: list[dict[str, Any]]
) -> None:
    ours = [i for i, row in enumerate(rows) if evaluate_odata(parse_odata(filter_text), row)]
    assert ours == _oracle(table, filter_text, rows), filter_text


def test_the_oracle_runs_with_its_quirks_undone(table: Any) -> None:
    rows = [{"Name": "Ab", "Qty": 3, "Price": 1.5}, {"Name": "ab", "Qty": -3, "Price": -0.5}]
    for text in ["contains(Name,'A')", "indexof(Name,'b') eq 1", "concat(Name,'a') eq 'Aba'", "Qty mod 2 eq -1"]:
        ours = [i for i, row in enumerate(rows) if evaluate_odata(parse_odata(text), row)]
        assert ours == _oracle(table, text, rows), text
