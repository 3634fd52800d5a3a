"""Linting Manage conditions: with the built-in catalogue, with a user's schema file, and the
warnings about what no source shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cwa_query import lint
from cwa_query.schema import Schema

SCHEMA = {
    "name": "my-manage",
    "endpoints": {
        "service/tickets": {
            "fields": {
                "id": "id",
                "status.name": {"type": "string", "values": ["Open", "Closed"]},
                "closedFlag": "boolean",
                "lastUpdated": "datetime",
                "company.id": "id",
            }
        }
    },
}


#: a schema that knows no endpoint: the field rules stay quiet (the tests below are about other rules)
NO_CATALOGUE = Schema({}, name="no catalogue")


def codes(text: str, **options: object) -> list[tuple[str, int]]:
    return [(d.code, d.column) for d in lint(text, dialect="manage", **options)]  # type: ignore[arg-type]


def test_the_builtin_catalogue_knows_manage_fields() -> None:
    # cwa_query/data/manage_schema.json, generated from pyconnectwise's Manage models
    assert codes('whatever/field = "x" and closedFlag = false') == [("CWQ102", 1)]
    assert codes('closedFlag = false and company/identifier = "x"', endpoint="service/tickets") == []
    assert codes('closedFlag = false and compny/identifier = "x"', endpoint="service/tickets") == [("CWQ102", 24)]


def test_syntax_errors_carry_manage_hints() -> None:
    [found] = lint("lastUpdated > 2024-01-01T00:00:00Z", dialect="manage")
    assert (found.code, found.column) == ("CWQ101", 15)
    assert "square brackets" in found.message


def test_prefix_not_and_not_contains_are_reported_with_the_manage_spelling_as_fix() -> None:
    text = 'not (a < 1) and b not contains "x" and not (c = 1 and d = 2)'
    found = lint(text, dialect="manage", schema=NO_CATALOGUE)
    assert [(d.code, d.column) for d in found] == [("CWQ201", 1), ("CWQ201", 19), ("CWQ201", 40)]
    # without a schema, a < 1 and b may be lists: pushing the not in is not sure to keep the meaning
    assert [d.fix for d in found] == [None, None, 'not (a < 1) and b not contains "x" and (c != 1 or d != 2)']
    scalars = {"endpoints": {"T": {"fields": {"a": "integer", "b": "string", "c": "integer", "d": "integer"}}}}
    fixes = [d.fix for d in lint(text, dialect="manage", schema=scalars)]
    assert fixes == [
        'a >= 1 and b not contains "x" and not (c = 1 and d = 2)',
        'not (a < 1) and b not like "%x%" and not (c = 1 and d = 2)',
        'not (a < 1) and b not contains "x" and (c != 1 or d != 2)',
    ]


def test_unknown_meanings_are_warnings() -> None:
    found = lint('lastUpdated > [2024-01-01T00:00:00] and n like "a_b"', dialect="manage", schema=NO_CATALOGUE)
    assert [(d.code, d.severity, d.column) for d in found] == [
        ("CWQ203", "warning", 15),
        ("CWQ203", "warning", 48),
    ]


@pytest.fixture
def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "manage-schema.json"
    path.write_text(json.dumps(SCHEMA), encoding="utf-8")
    return path


def test_a_user_schema_file_drives_the_field_rules(schema_file: Path) -> None:
    found = lint(
        'stauts/name = "Open" and closedFlag = 1 and lastUpdated > "2024-01-01"',
        dialect="manage",
        schema=schema_file,
        endpoint="service/tickets",
    )
    assert [(d.code, d.column) for d in found] == [("CWQ102", 1), ("CWQ103", 39), ("CWQ202", 59)]
    unknown, _, quoted = found
    assert "did you mean 'status/name'?" in unknown.message
    assert unknown.fix == 'status/name = "Open" and closedFlag = 1 and lastUpdated > "2024-01-01"'
    assert quoted.fix == 'stauts/name = "Open" and closedFlag = 1 and lastUpdated > [2024-01-01T00:00:00Z]'


def test_known_values_are_checked(schema_file: Path) -> None:
    [found] = lint('status/name = "Opne"', dialect="manage", schema=schema_file, endpoint="service/tickets")
    assert (found.code, found.fix) == ("CWQ104", 'status/name = "Open"')


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("lastUpdated > 2024-01-01T00:00:00Z", "lastUpdated > [2024-01-01T00:00:00Z]"),
        ("d > 2024-01-01 10:00:00", "d > [2024-01-01T10:00:00]"),
        ("company.id = 5 and b.c.d = 1", "company/id = 5 and b/c/d = 1"),
        ('status eq "Open"', 'status = "Open"'),
        ("name like *mail*", 'name like "*mail*"'),
        ("a == 1 && b = 2", "a = 1 and b = 2"),
    ],
)
def test_syntax_errors_are_repaired_in_manage_spelling(text: str, fix: str) -> None:
    [found] = lint(text, dialect="manage")
    assert (found.code, found.fix) == ("CWQ101", fix)


# --------------------------------------------------------------------------- the other parameters

CONTACTS = {
    "endpoints": {
        "company/contacts": {
            "fields": {
                "firstName": "string",
                "company": "object",
                "company.id": "id",
                "communicationItems": "object[]",
                "communicationItems.value": "string",
                "communicationItems.communicationType": "string",
            }
        }
    }
}


@pytest.mark.parametrize(
    ("text", "parameter", "found"),
    [
        ('communicationItems/value = "x"', "childConditions", []),
        ("value = 1", "childConditions", [("CWQ102", "unknown field 'value'"), ("CWQ204", "start at an array field")]),
        ("company/id = 5", "childConditions", [("CWQ204", "company is not one")]),
        ('communicationItems/value = "x"', "conditions", [("CWQ204", "filter it with childConditions")]),
        ("company/id = 5", "conditions", []),
        ('caption = "Seats" and value >= 5', "customFieldConditions", []),
        ('value >= 5 and caption = "Seats"', "customFieldConditions", []),
        ('caption = "Seats"', "customFieldConditions", [("CWQ204", "caption = ")]),
        ('caption = "Seats" or value = 5', "customFieldConditions", [("CWQ204", "caption = ")]),
    ],
)
def test_each_parameter_has_its_shape(text: str, parameter: str, found: list[tuple[str, str]]) -> None:
    diagnostics = lint(text, dialect="manage", parameter=parameter, schema=CONTACTS, endpoint="company/contacts")
    assert [d.code for d in diagnostics] == [code for code, _ in found]
    for diagnostic, (_, says) in zip(diagnostics, found, strict=True):
        assert says in diagnostic.message


def test_a_parameter_the_dialect_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="its parameters: 'conditions', 'childConditions'"):
        lint("a = 1", dialect="manage", parameter="orderBy")
    with pytest.raises(ValueError, match="its parameters: none"):
        lint("a = 1", dialect="automate", parameter="conditions")


def test_order_by_lint() -> None:
    from cwa_query.client.manage import lint_order_by

    [syntax] = lint_order_by("priority/id ascending")
    assert (syntax.code, syntax.column, syntax.end_column) == ("CWQ101", 13, 22)
    assert lint_order_by("priority/id asc") == []
    schema = {"endpoints": {"service/tickets": {"fields": {"priority.id": "id", "dateEntered": "datetime"}}}}
    [unknown] = lint_order_by("priority/id asc, dateEnterd desc", schema=schema, endpoint="service/tickets")
    assert (unknown.code, unknown.column, unknown.fix) == ("CWQ102", 18, "priority/id asc, dateEntered desc")


def test_null_fits_any_field_with_equality_only() -> None:
    schema = {"endpoints": {"T": {"fields": {"closedFlag": "boolean", "n": "integer", "s": "string"}}}}
    assert lint("closedFlag = null and n != null and s = null", dialect="manage", schema=schema, endpoint="T") == []
    [found] = lint("n > null", dialect="manage", schema=schema, endpoint="T")
    assert (found.code, found.column, found.message) == ("CWQ103", 5, "null is compared only with = and !=, not `>`")
