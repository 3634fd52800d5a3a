"""Field catalogues: the built-in ones, user schema files, lookups and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cwa_query import Schema, SchemaError, load_schema
from cwa_query.schema import FieldInfo, builtin_schema

DATA = Path(__file__).parent / "data"


def computer_properties() -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / "computer_properties.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, kind = line.split()
            rows.append((name, kind))
    return rows


def test_fixture_holds_the_whole_computer_model() -> None:
    assert len(computer_properties()) == 77


@pytest.mark.parametrize(("name", "kind"), computer_properties())
def test_automate_catalogue_holds_every_computer_property(name: str, kind: str) -> None:
    fields = load_schema(dialect="automate").fields("Computers")
    assert name in fields
    info = fields[name]
    expected = {"boolean": {"boolean"}, "integer": {"integer"}, "number": {"decimal"}, "object": {"object"}}
    if kind == "string":
        assert info.type in {"string", "datetime", "id"}
    elif kind == "array":
        assert info.array
    else:
        assert info.type in expected[kind]


@pytest.mark.parametrize(
    ("endpoint", "path", "expected"),
    [
        ("Computers", "Id", FieldInfo("Id", "id")),
        ("Computers", "Client.Id", FieldInfo("Client.Id", "id")),
        ("Computers", "client.id", FieldInfo("Client.Id", "id")),
        ("Computers", "Location.Name", FieldInfo("Location.Name", "string")),
        ("Computers", "VirusScanner.Name", FieldInfo("VirusScanner.Name", "string")),
        ("Computers", "LoggedInUsers", FieldInfo("LoggedInUsers", "object", array=True)),
        ("Computers", "LoggedInUsers.LoggedInUserName", FieldInfo("LoggedInUsers.LoggedInUserName", "string")),
        ("Computers", "OpenPortsTCP", FieldInfo("OpenPortsTCP", "integer", array=True)),
        ("Computers", "RemoteAgentLastContact", FieldInfo("RemoteAgentLastContact", "datetime")),
        ("Computers", "TotalMemory", FieldInfo("TotalMemory", "integer")),
        ("Clients", "Id", FieldInfo("Id", "id")),
        ("Scripts", "Id", FieldInfo("Id", "id")),
        ("Computers", "NoSuchField", None),
        ("Computers", "Client.NoSuchField", None),
    ],
)
def test_automate_lookups(endpoint: str, path: str, expected: FieldInfo | None) -> None:
    assert load_schema(dialect="automate").lookup(path, endpoint) == expected


def test_automate_enumerations_are_known_values() -> None:
    info = load_schema(dialect="automate").lookup("Status", "Computers/{computerId}/ScriptHistory")
    assert info is not None
    assert info.values == ("Running", "Completed")


def test_paths_below_the_depth_bound_are_accepted_untyped() -> None:
    schema = load_schema(dialect="automate")
    path = "Monitor.AffectedEntities.RemoteMonitorAffectedClient.Id"
    assert schema.lookup(path, "InternalMonitorResults") == FieldInfo(path, "any")
    assert schema.lookup("Monitor.NoSuchThing.Id", "InternalMonitorResults") is None


@pytest.mark.parametrize(
    ("dialect", "path", "expected"),
    [
        ("seed", "Status", "string"),
        ("seed", "TotalMemory", "integer"),
        ("seed", "LastContact", "datetime"),
        ("seed", "DiskFreePercent", "decimal"),
        ("seed", "Severity", "integer"),
        ("seed", "status", None),  # the seed catalogue is case-sensitive
    ],
)
def test_seed_lookups_over_all_endpoints(dialect: str, path: str, expected: str | None) -> None:
    info = load_schema(dialect=dialect).lookup(path)
    assert (info.type if info else None) == expected


def test_merged_values_are_the_union_of_the_endpoints() -> None:
    info = load_schema(dialect="seed").lookup("Status")
    assert info is not None and info.values is not None
    assert {"Online", "Offline", "Unknown", "New", "Active"} <= set(info.values)


def test_fields_that_disagree_across_endpoints_merge_to_any() -> None:
    schema = load_schema({"endpoints": {"A": {"X": "integer"}, "B": {"X": "string"}, "C": {"X": "integer"}}})
    assert schema.lookup("X") == FieldInfo("X", "any")
    assert schema.lookup("X", "A") == FieldInfo("X", "integer")


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Computers", "Computers"),
        ("computers", "Computers"),
        ("/cwa/api/v1/Computers", "Computers"),
        ("api/v1/computers/", "Computers"),
        ("Computers/Drives", "Computers/Drives"),
    ],
)
def test_endpoint_names(name: str, canonical: str) -> None:
    assert load_schema(dialect="automate").endpoint(name) == canonical


def test_unknown_endpoint_names_the_closest() -> None:
    with pytest.raises(SchemaError, match="did you mean 'Computers'"):
        load_schema(dialect="automate").endpoint("Computrs")


@pytest.mark.parametrize(
    ("path", "endpoint", "dialect", "expected"),
    [
        ("ComputerNme", "Computers", "automate", "ComputerName"),
        ("computername", "Computers", "automate", "ComputerName"),
        ("status", None, "seed", "Status"),
        ("TotalMemroy", "Computers", "seed", "TotalMemory"),
        ("Client.Nmae", "Computers", "automate", "Client.Name"),
        ("Zzzzzz", "Computers", "seed", None),
    ],
)
def test_suggestions(path: str, endpoint: str | None, dialect: str, expected: str | None) -> None:
    assert load_schema(dialect=dialect).suggest(path, endpoint) == expected


def test_user_schema_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    data = {
        "name": "mine",
        "case_sensitive": True,
        "endpoints": {
            "Widgets": {
                "fields": {"Size": "integer", "Tags": "string[]", "Kind": {"type": "string", "values": ["a", "b"]}}
            }
        },
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    schema = load_schema(path)
    assert schema.name == "mine"
    assert schema.lookup("Size", "widgets") == FieldInfo("Size", "integer")
    assert schema.lookup("size", "widgets") is None
    assert schema.lookup("Tags", "Widgets") == FieldInfo("Tags", "string", array=True)
    assert schema.lookup("Kind", "Widgets") == FieldInfo("Kind", "string", values=("a", "b"))
    assert load_schema(str(path)).to_dict()["endpoints"] == load_schema(schema.to_dict()).to_dict()["endpoints"]


def test_flat_endpoint_form_is_accepted() -> None:
    schema = load_schema({"endpoints": {"Widgets": {"Size": "integer", "When": "date-time"}}})
    assert schema.lookup("When", "Widgets") == FieldInfo("When", "datetime")


def test_builtin_catalogues_round_trip() -> None:
    for dialect in ("seed", "automate"):
        schema = builtin_schema(dialect)
        again = Schema.from_dict(schema.to_dict())
        assert again.endpoint_names == schema.endpoint_names
        for endpoint in schema.endpoint_names:
            assert again.fields(endpoint) == schema.fields(endpoint)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "'endpoints' must be a non-empty object"),
        ({"endpoints": {"A": {"X": "strng"}}}, r"endpoints\.A\.fields\.X: unknown type 'strng'"),
        ({"endpoints": {"A": {"X y": "string"}}}, "is not a field path"),
        ({"endpoints": {"A": {"X": {"type": "string", "values": "abc"}}}}, "expected a list"),
        ({"endpoints": {"A": {"X": 5}}}, "expected a type name"),
        ({"endpoints": {"A": []}}, "expected an object of fields"),
        ({"endpoints": {"A": {"fields": []}}}, "expected an object of field path"),
        ({"endpoints": {"A": {"X": "string"}}, "case_sensitive": "yes"}, "must be true or false"),
        ({"endpoints": {"A": {"X": "string"}}, "name": 5}, "'name' must be a string"),
    ],
)
def test_malformed_schemas_are_refused_with_where(data: object, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        load_schema(data)  # type: ignore[arg-type]


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="cannot read schema file"):
        load_schema(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  'endpoints': }", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"not valid JSON: .* at line 2, column 3"):
        load_schema(bad)
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(SchemaError, match="expected a JSON object at the top, not list"):
        load_schema(bad)


def test_load_schema_refuses_other_types() -> None:
    with pytest.raises(TypeError, match="takes a path, a mapping or a Schema"):
        load_schema(42)  # type: ignore[arg-type]
    schema = load_schema()
    assert load_schema(schema) is schema


def test_a_schema_file_nested_too_deep_is_a_schema_error_not_a_recursion_error(tmp_path: Path) -> None:
    # issue 21, red team 10: 100k nested `[` gave a RecursionError traceback from load_schema
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(SchemaError, match="cannot be read: JSON nested deeper than 32 levels"):
        load_schema(deep)
    deep.write_text('{"endpoints": {"A": {"fields": {"x": "integer"}}}, "n": ' + "7" * 4400 + "}", encoding="utf-8")
    with pytest.raises(SchemaError, match="integer of 4400 digits"):
        load_schema(deep)
