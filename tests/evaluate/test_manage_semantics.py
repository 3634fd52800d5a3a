"""The manage dialect's meaning: `null` in the evaluator and SQL, lifting other dialects' trees
into Manage's constructs (or refusing them), and the notes the linter reads."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3

import pytest

from cwa_query import UntranslatableError, ast, evaluate, load_schema, parse, render, to_sql, translate
from cwa_query.dialects import get_dialect
from cwa_query.errors import TranslationWarning

MANAGE = get_dialect("manage")
SCALARS = load_schema(
    {"endpoints": {"T": {"fields": {"a": "integer", "Name": "string", "Client.Id": "id", "D": "datetime"}}}}
)
X = ast.Field("x")

RECORDS = [
    {"x": None, "a": {"b": 1}},
    {"x": 1, "a": {"b": None}},
    {"x": 2, "a": {"b": 2}},
    {"x": math.nan, "a": {"b": 3}},
    {"a": {}},
]


def _sql_answers(tree: ast.Node) -> list[int]:
    db = sqlite3.connect(":memory:")
    db.execute('CREATE TABLE t (n, "x", "a.b")')
    for n, record in enumerate(RECORDS):
        db.execute("INSERT INTO t VALUES (?, ?, ?)", (n, record.get("x"), record["a"].get("b")))
    sql, params = to_sql(tree)
    return [n for (n,) in db.execute(f"SELECT n FROM t WHERE {sql} ORDER BY n", params)]


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        (ast.Compare(X, ast.Op.EQ, ast.Null()), [0, 3, 4]),  # missing, None and NaN are null
        (ast.Compare(X, ast.Op.NE, ast.Null()), [1, 2]),
        (ast.Compare(X, ast.Op.GT, ast.Null()), []),  # unknown
        (ast.Not(ast.Compare(X, ast.Op.GT, ast.Null())), []),  # still unknown
        (ast.InList(X, (ast.Integer(1), ast.Null())), [0, 1, 3, 4]),
        (ast.InList(X, (ast.Integer(1), ast.Null()), True), [2]),
        (ast.InList(X, (ast.Null(),), True), [1, 2]),
        (parse("a/b = null or x = 2", dialect="manage"), [1, 2, 4]),
    ],
)
def test_null_in_the_evaluator_and_in_sql(tree: ast.Node, expected: list[int]) -> None:
    assert [n for n, record in enumerate(RECORDS) if evaluate(tree, record)] == expected
    assert _sql_answers(tree) == expected


def test_null_through_a_list_is_any_element() -> None:
    tree = parse("users/name = null", dialect="manage")
    assert evaluate(tree, {"users": [{"name": "a"}, {"name": None}]})
    assert not evaluate(tree, {"users": [{"name": "a"}]})
    assert not evaluate(tree, {"users": []})


# --------------------------------------------------------------------------- lifting


@pytest.mark.parametrize(
    ("text", "manage"),
    [
        ("not (a < 1 or Name startswith 'SRV')", 'a >= 1 and Name not like "SRV%"'),
        ("Name endswith 'x'", 'Name like "%x"'),
        ("Name not contains 'tmp'", 'Name not like "%tmp%"'),
        ("not (Name contains 'tmp')", 'Name not like "%tmp%"'),
        ("not (a in (1, 2))", "a not in (1, 2)"),
        ("Client.Id eq 5 and D > 2024-01-01T10:00:00+02:00", "Client/Id = 5 and D > [2024-01-01T08:00:00Z]"),
        ("D > 2024-01-01", "D > [2024-01-01T00:00:00Z]"),
        ("Name like 'SRV_%'", 'Name like "SRV_%"'),
        ("Name = 'C:\\x'", 'Name = "C:\\x"'),
        ("Name like '%C:\\\\x%'", 'Name like "%C:\\x%"'),
        ('Name = "it\'s"', 'Name = "it\'s"'),
    ],
)
def test_trees_of_the_condition_language_in_manage(text: str, manage: str) -> None:
    tree = parse(text)
    assert render(translate(tree, None, "manage", schema=SCALARS), "manage") == manage
    assert evaluate(tree, {"Name": "SRV_01", "a": 2}) == evaluate(
        parse(manage, dialect="manage"), {"Name": "SRV_01", "a": 2}
    )


def test_a_rewrite_exact_only_for_single_values_warns_or_refuses() -> None:
    lists = load_schema({"endpoints": {"T": {"fields": {"Ports": "integer[]", "Tags": "string[]"}}}})
    with pytest.warns(TranslationWarning, match="holds one value"):
        assert render(translate("not (Ports < 10)", None, "manage"), "manage") == "Ports >= 10"
    with pytest.raises(UntranslatableError, match="holds one value"):
        translate("not (Ports < 10)", None, "manage", schema=lists)
    with pytest.raises(UntranslatableError, match="is not a list"):
        translate("Tags not contains 'x'", None, "manage", schema=lists)
    assert render(translate("not (a < 1)", None, "manage", schema=SCALARS), "manage") == "a >= 1"


def test_null_in_a_list_is_written_apart() -> None:
    assert render(ast.InList(X, (ast.Integer(1), ast.Null())), "manage") == "x in (1) or x = null"
    assert render(ast.InList(X, (ast.Integer(1), ast.Null()), True), "manage") == "x not in (1) and x != null"
    assert render(ast.InList(X, (ast.Null(),)), "manage") == "x = null"
    tree = ast.And((ast.InList(X, (ast.Integer(1), ast.Null())), ast.Compare(X, ast.Op.NE, ast.Integer(3))))
    assert render(tree, "manage") == "(x in (1) or x = null) and x != 3"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Name startswith 'SRV_'", "'_'"),
        ("Name like 'a\\%'", "literal '%'"),
        ("Name like '%a*'", "literal '*'"),
        ("Name like '[ab]%'", "literal '['"),
        ("Name contains '50%'", "'%'"),
        ("Name not contains 'a*b'", "'*'"),
        ("Null.x = 1", "keyword"),
        ("a = 'x' and b = 'it''s \"q\"'", "both"),
    ],
)
def test_what_manage_cannot_say_is_refused_at_the_construct(text: str, says: str) -> None:
    from cwa_query import UnrepresentableConditionError

    with pytest.raises(UnrepresentableConditionError) as caught:
        render(translate(text, None, "manage", schema=SCALARS), "manage")
    assert says in str(caught.value)


def test_an_untranslatable_construct_names_its_position() -> None:
    with pytest.raises(UntranslatableError) as caught:
        render(parse("a = 1 and Name startswith 'SRV_'"), "manage")
    assert (caught.value.line, caught.value.column, caught.value.target) == (1, 11, "manage")
    assert caught.value.construct == "Name startswith 'SRV_'"


def test_escape_quotes_doubles_the_single_quote() -> None:
    tree = parse("a = 'it''s \"q\"'")
    assert MANAGE.render(tree, escape_quotes=True) == "a = 'it''s \"q\"'"


def test_manage_trees_to_automate_and_back() -> None:
    text = 'status/name = "Open" and company/id in (19, 20) and lastUpdated > [2024-01-01T00:00:00Z]'
    tree = parse(text, dialect="manage")
    automate = render(tree, "automate")
    assert automate == "status.name = 'Open' and company.id in (19, 20) and lastUpdated > 2024-01-01T00:00:00Z"
    assert render(parse(automate, dialect="automate"), "manage") == text


def test_null_has_no_automate_spelling() -> None:
    with pytest.raises(UntranslatableError, match="null"):
        render(parse("a = null", dialect="manage"), "automate")


# --------------------------------------------------------------------------- notes


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("d > [2024-01-01]", "AI-written"),
        ("d > [2024-01-01T00:00:00]", "without a zone"),
        ('n like "a_b"', "'_'"),
        ('n like "[ab]*"', "'['"),
        ('n contains "50%"', "wildcards"),
        ('n = "C:\\x"', "backslash"),
    ],
)
def test_notes_say_what_is_unknown(text: str, says: str) -> None:
    notes = list(MANAGE.notes(parse(text, dialect="manage"), text))
    assert len(notes) == 1
    assert says in notes[0].message


def test_no_notes_on_what_the_sources_show() -> None:
    text = 'status/name = "Open" and lastUpdated > [2024-01-01T00:00:00Z] and name like "*mail*"'
    assert list(MANAGE.notes(parse(text, dialect="manage"), text)) == []


def test_zone_less_date_times_are_evaluated_as_utc() -> None:
    tree = parse("d > [2024-01-01T00:00:00]", dialect="manage")
    assert evaluate(tree, {"d": dt.datetime(2024, 1, 1, 0, 0, 1, tzinfo=dt.UTC)})


# --------------------------------------------------------------------------- the other parameters


def test_custom_field_conditions_match_one_element_of_custom_fields() -> None:
    from cwa_query.client.manage import custom_field, custom_field_predicate

    seats = custom_field_predicate('caption = "Seats" and value >= 5')
    assert seats({"customFields": [{"caption": "Tier", "value": 9}, {"caption": "seats", "value": 7}]})
    # caption and value on different elements do not match
    assert not seats({"customFields": [{"caption": "Seats", "value": 1}, {"caption": "Tier", "value": 9}]})
    assert not seats({"customFields": []})
    assert not seats({"customFields": None})
    assert custom_field_predicate(custom_field("Acronym", "acme"))(
        {"CustomFields": [{"caption": "Acronym", "value": "ACME"}]}
    )


def test_child_conditions_evaluate_each_comparison_over_the_array() -> None:
    tree = parse(
        'communicationItems/value = "a@x" and communicationItems/communicationType = "Email"', dialect="manage"
    )
    record = {
        "communicationItems": [
            {"value": "a@x", "communicationType": "Phone"},
            {"value": "b@x", "communicationType": "Email"},
        ]
    }
    # each comparison holds for some element (not necessarily the same one: the server's pairing is unknown)
    assert evaluate(tree, record)
    assert not evaluate(tree, {"communicationItems": [{"value": "b@x", "communicationType": "Phone"}]})


def test_evaluate_compile_and_to_sql_read_text_in_a_dialect() -> None:
    from cwa_query import compile_predicate
    from cwa_query.language._evaluate import truth

    text = 'status/name = "open" and parentTicketId = null and _info/lastUpdated > [2024-01-01T00:00:00Z]'
    record = {"status": {"name": "Open"}, "_info": {"lastUpdated": "2024-02-01T10:00:00Z"}}
    assert evaluate(text, record, dialect="manage")
    assert compile_predicate(text, dialect="manage")(record)
    assert truth("x = 1", {}, dialect="manage") is None
    assert to_sql("parentTicketId = null", dialect="manage") == ('("parentTicketId" IS NULL)', [])
