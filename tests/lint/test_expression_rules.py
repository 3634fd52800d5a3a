"""The linter's tree rules reach every path inside an OData expression (issue 18).

An unknown field is found wherever the filter names it (arithmetic, function arguments, a
lambda's collection), with the fix at its span; the paths inside a lambda's predicate name
the items and are left alone; `any`/`all` over a field that is not a list is a type finding.
"""

from __future__ import annotations

import pytest

from cwa_query import fix, lint, load_schema

SCHEMA = load_schema(
    {
        "endpoints": {
            "Computers": {
                "fields": {"Id": "integer", "ComputerName": "string", "Tags": "string[]", "Client.Name": "string"}
            }
        }
    }
)


def _findings(text: str) -> list[tuple[str, str, str | None]]:
    found = lint(text, dialect="odata", endpoint="Computers", schema=SCHEMA)
    return [(f.code, text[f.column - 1 : f.end_column - 1], f.fix) for f in found]


@pytest.mark.parametrize(
    ("text", "where", "fixed"),
    [
        ("Idd add 1 gt 3", "Idd", "Id add 1 gt 3"),
        ("length(ComputerNme) gt 3", "ComputerNme", "length(ComputerName) gt 3"),
        ("Tagz/any(t: t eq 'vip')", "Tagz", "Tags/any(t: t eq 'vip')"),
        ("concat(ComputerName, Clent/Name) eq 'x'", "Clent/Name", "concat(ComputerName, Client/Name) eq 'x'"),
    ],
)
def test_unknown_fields_inside_expressions_are_found_and_fixed(text: str, where: str, fixed: str) -> None:
    assert _findings(text) == [("CWQ102", where, fixed)]
    assert fix(text, dialect="odata", endpoint="Computers", schema=SCHEMA).text == fixed


def test_paths_inside_a_lambda_name_the_items() -> None:
    assert _findings("Tags/any(t: t eq 'vip') and Tags/all(t: length(t) gt 2)") == []


def test_a_lambda_over_a_field_that_is_not_a_list_is_a_type_finding() -> None:
    [(code, where, fixed)] = _findings("ComputerName/any(c: c eq 'x')")
    assert (code, where, fixed) == ("CWQ103", "ComputerName", None)
    [finding] = lint("ComputerName/any(c: c eq 'x')", dialect="odata", endpoint="Computers", schema=SCHEMA)
    assert "not a list (string)" in finding.message


def test_every_unknown_field_is_reported_once_in_source_order() -> None:
    text = "Idd add 1 gt 3 and tolower(ComputerNme) eq 'x' and Id eq 2"
    assert [where for _, where, _ in _findings(text)] == ["Idd", "ComputerNme"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("ComputerName", "ComputerName"),
        ("Id eq 1 or not (Client/Name)", "Client/Name"),
        ("Tags and Id eq 1", "Tags"),
    ],
)
def test_a_bare_path_that_is_not_boolean_is_a_type_finding_without_a_fix(text: str, where: str) -> None:
    # Regression (differential check against a358f3b): OData reads a bare path as `path eq true`,
    # and the implied `true` has no source span; type-mismatch raised a bare AssertionError on
    # it (ValueError after 417a352) instead of reporting over the path.
    assert _findings(text) == [("CWQ103", where, None)]
    assert fix(text, dialect="odata", endpoint="Computers", schema=SCHEMA).text == text


def test_a_bare_object_path_is_reported_over_the_path() -> None:
    schema = load_schema({"endpoints": {"Computers": {"fields": {"Client": "object", "Client.Name": "string"}}}})
    found = lint("Client", dialect="odata", endpoint="Computers", schema=schema)
    assert [(f.code, f.column, f.end_column) for f in found] == [("CWQ103", 1, 7)]
