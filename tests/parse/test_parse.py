"""Parsing: table-driven rows of text -> tree, literals, spans, keywords and spacing."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from pathlib import Path

import pytest

from cwa_query import ast, parse
from cwa_query.language.ast import And, Compare, Field, InList, Not, Op, Or
from cwa_query.language.ast import Boolean as B
from cwa_query.language.ast import DateTime as D
from cwa_query.language.ast import Decimal as Dec
from cwa_query.language.ast import Integer as I
from cwa_query.language.ast import String as S

UTC = dt.UTC


def cmp(name: str, op: Op, value: ast.Literal) -> Compare:
    return Compare(Field(name), op, value)


ROWS: list[tuple[str, ast.Node]] = [
    ("Status = 'Online'", cmp("Status", Op.EQ, S("Online"))),
    ("Client.Id=151", cmp("Client.Id", Op.EQ, I(151))),
    ("Client.Id eq 151", cmp("Client.Id", Op.EQ, I(151))),
    ("Client.Id EQ '5'", cmp("Client.Id", Op.EQ, S("5"))),
    ("a != 1", cmp("a", Op.NE, I(1))),
    ("a>1", cmp("a", Op.GT, I(1))),
    ("a<1", cmp("a", Op.LT, I(1))),
    ("a>=1", cmp("a", Op.GE, I(1))),
    ("a<=-1", cmp("a", Op.LE, I(-1))),
    ("a = 0.1", cmp("a", Op.EQ, Dec(decimal.Decimal("0.1")))),
    ("a = -12.50", cmp("a", Op.EQ, Dec(decimal.Decimal("-12.50")))),
    ("Name contains 'DC'", cmp("Name", Op.CONTAINS, S("DC"))),
    ("OpenPortsTCP contains 443", cmp("OpenPortsTCP", Op.CONTAINS, I(443))),
    ("UserAccounts Contains 'x'", cmp("UserAccounts", Op.CONTAINS, S("x"))),
    ("Name not contains 'DC'", cmp("Name", Op.NOT_CONTAINS, S("DC"))),
    ("Name startswith 'ACME'", cmp("Name", Op.STARTSWITH, S("ACME"))),
    ("Name endswith '01'", cmp("Name", Op.ENDSWITH, S("01"))),
    ('Name like "%x%"', cmp("Name", Op.LIKE, S("%x%"))),
    ("Name NOT LIKE 'a_b'", cmp("Name", Op.NOT_LIKE, S("a_b"))),
    ("Status in ('Online','Offline')", InList(Field("Status"), (S("Online"), S("Offline")))),
    ("Id IN (5)", InList(Field("Id"), (I(5),))),
    ("Id not in (1, 2)", InList(Field("Id"), (I(1), I(2)), negated=True)),
    ("IsServer = true", cmp("IsServer", Op.EQ, B(True))),
    ("IsServer = False", cmp("IsServer", Op.EQ, B(False))),
    ("IsServer = TRUE", cmp("IsServer", Op.EQ, B(True))),
    ("d <= 2019-12-18T00:50:19.575Z", cmp("d", Op.LE, D(dt.datetime(2019, 12, 18, 0, 50, 19, 575000, tzinfo=UTC)))),
    ("d <= 2019-12-18T00:50:19", cmp("d", Op.LE, D(dt.datetime(2019, 12, 18, 0, 50, 19)))),
    ("d >= 2024-01-01", cmp("d", Op.GE, D(dt.date(2024, 1, 1)))),
    ("d > 2024-01-01T10:30", cmp("d", Op.GT, D(dt.datetime(2024, 1, 1, 10, 30)))),
    (
        "d > 2024-01-01T02:00:00+02:00",
        cmp("d", Op.GT, D(dt.datetime(2024, 1, 1, 0, 0, tzinfo=UTC))),
    ),
    ("LastContact >= '2024-02-14'", cmp("LastContact", Op.GE, S("2024-02-14"))),
    ("Name = 'O''Brien'", cmp("Name", Op.EQ, S("O'Brien"))),
    ('Name = "say ""hi"""', cmp("Name", Op.EQ, S('say "hi"'))),
    ("Name = ''", cmp("Name", Op.EQ, S(""))),
    ("Name = 'Zoë – ✓'", cmp("Name", Op.EQ, S("Zoë – ✓"))),
    ("Name = 'a and b or not c'", cmp("Name", Op.EQ, S("a and b or not c"))),
    ("Android = 1", cmp("Android", Op.EQ, I(1))),
    ("Notes contains 'x'", cmp("Notes", Op.CONTAINS, S("x"))),
    ("Inventory.Order = 1", cmp("Inventory.Order", Op.EQ, I(1))),
    (
        "a = 1 and b = 2 or c = 3",
        Or((And((cmp("a", Op.EQ, I(1)), cmp("b", Op.EQ, I(2)))), cmp("c", Op.EQ, I(3)))),
    ),
    (
        "a = 1 or b = 2 and c = 3",
        Or((cmp("a", Op.EQ, I(1)), And((cmp("b", Op.EQ, I(2)), cmp("c", Op.EQ, I(3)))))),
    ),
    (
        "(a = 1 or b = 2) and c = 3",
        And((Or((cmp("a", Op.EQ, I(1)), cmp("b", Op.EQ, I(2)))), cmp("c", Op.EQ, I(3)))),
    ),
    (
        "not a = 1 and b = 2",
        And((Not(cmp("a", Op.EQ, I(1))), cmp("b", Op.EQ, I(2)))),
    ),
    ("not (a = 1)", Not(cmp("a", Op.EQ, I(1)))),
    ("not not a = 1", Not(Not(cmp("a", Op.EQ, I(1))))),
    ("((a = 1))", cmp("a", Op.EQ, I(1))),
    (
        "a = 1 and (b = 2 and c = 3)",
        And((cmp("a", Op.EQ, I(1)), cmp("b", Op.EQ, I(2)), cmp("c", Op.EQ, I(3)))),
    ),
    (
        "a = 1 AND b = 2 And c = 3 OR d = 4 Or e = 5",
        Or(
            (
                And((cmp("a", Op.EQ, I(1)), cmp("b", Op.EQ, I(2)), cmp("c", Op.EQ, I(3)))),
                cmp("d", Op.EQ, I(4)),
                cmp("e", Op.EQ, I(5)),
            )
        ),
    ),
]


@pytest.mark.parametrize(("text", "tree"), ROWS, ids=[row[0] for row in ROWS])
def test_parses_to_tree(text: str, tree: ast.Node) -> None:
    assert parse(text) == tree


def test_spacing_and_keyword_case_do_not_matter() -> None:
    assert parse("status='Online'   AND clientid=1") == parse("status = 'Online' and clientid = 1")
    assert parse("a=1\n\tor\r\nb=2") == parse("a = 1 or b = 2")


def test_decimal_is_exact() -> None:
    node = parse("a = 0.1")
    assert isinstance(node, Compare)
    assert isinstance(node.value, Dec)
    assert node.value.value == decimal.Decimal("0.1")
    assert str(node.value.value) == "0.1"


def test_fraction_beyond_microseconds_is_truncated() -> None:
    node = parse("d = 2019-12-18T00:50:19.1234567Z")
    assert isinstance(node, Compare)
    assert node.value == D(dt.datetime(2019, 12, 18, 0, 50, 19, 123456, tzinfo=UTC))


def test_spans_point_into_the_source_and_stay_out_of_equality() -> None:
    text = "Status = 'Online' and\n  Client.Id = 5"
    node = parse(text)
    assert isinstance(node, And)
    first, second = node.items
    assert isinstance(second, Compare)
    assert first.span is not None and second.span is not None
    assert text[first.span.start : first.span.end] == "Status = 'Online'"
    assert text[second.span.start : second.span.end] == "Client.Id = 5"
    assert (second.span.line, second.span.column) == (2, 3)
    assert second.field.span is not None
    assert (second.field.span.line, second.field.span.column) == (2, 3)
    assert second.value.span is not None
    assert text[second.value.span.start : second.value.span.end] == "5"
    assert node.span is not None and (node.span.start, node.span.end) == (0, len(text))
    assert hash(parse("a=1")) == hash(parse("a = 1"))


SEED_EXAMPLES = Path(__file__).with_name("seed_examples.json")


def test_every_condition_of_the_seed_document_parses() -> None:
    examples = json.loads(SEED_EXAMPLES.read_text(encoding="utf-8"))["conditions"]
    assert len(examples) >= 15
    for text in examples:
        node = parse(text)
        assert parse(_render_seed(node)) == node


def _render_seed(node: ast.Node) -> str:
    from cwa_query import render

    return render(node, "seed")


def test_rejects_non_string_input() -> None:
    with pytest.raises(TypeError, match="str"):
        parse(b"a = 1")  # type: ignore[arg-type]
