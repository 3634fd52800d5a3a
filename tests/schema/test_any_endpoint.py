"""A lookup over all endpoints (no endpoint named) merges only the entries for the path it is
asked, and answers what merging every endpoint answers (a lint without `--endpoint` runs once
per file in a pre-commit hook: merging the 93 endpoints of the automate catalogue cost more
than the rest of the lint)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cwa_query
from cwa_query import lint
from cwa_query.schema import FieldInfo, Schema, load_schema

DATA = Path(cwa_query.__file__).resolve().parent / "data"

# Case-sensitive, with spellings that differ only in case within and across endpoints, types
# that agree or not, value lists to join, and objects whose members are or are not listed.
MIXED = {
    "case_sensitive": True,
    "endpoints": {
        "A": {"fields": {"Name": "string", "name": "integer", "Kind": {"type": "string", "values": ["x"]}}},
        "B": {"fields": {"NAME": "string", "Kind": {"type": "string", "values": ["y", "x"]}, "Blob": "object"}},
        "C": {"fields": {"Name": "string[]", "Blob": "object", "Blob.Size": "integer", "Open": "object"}},
    },
}


def fresh(name: str) -> dict[str, object]:
    if name == "mixed":
        return MIXED
    if name == "mixed-any-case":
        return {**MIXED, "case_sensitive": False}
    data: dict[str, object] = json.loads((DATA / f"{name}_schema.json").read_text(encoding="utf-8"))
    return data


def probes(merged: Schema) -> list[str]:
    """Every merged path in three spellings, paths below objects, and unknown paths."""
    paths = list(merged.fields())
    found = [variant for path in paths for variant in (path, path.lower(), path.upper())]
    found += [f"{path}.Below" for path in paths[:: max(1, len(paths) // 200)]]
    typos = [path[:-1] + "x" for path in paths[:: max(1, len(paths) // 100)] if path]
    return [*found, *typos, "NoSuchField", "Open.Anything", "open.anything", "Blob.Missing", "OPEN.x.y", ""]


@pytest.mark.parametrize(
    ("trusted", "name"),
    [
        # the automate catalogue checked field by field takes seconds: the full suite runs it
        pytest.param(trusted, name, marks=pytest.mark.slow if (trusted, name) == (False, "automate") else ())
        for trusted in (True, False)
        for name in ("automate", "seed", "mixed", "mixed-any-case")
    ],
)
def test_lookups_over_all_endpoints_match_the_full_merge(trusted: bool, name: str) -> None:
    merged = Schema.from_dict(fresh(name), trusted=trusted)
    merged.fields()  # merges every endpoint up front: lookups then read the merged fields
    paths = probes(merged)
    for path in paths[:: max(1, len(paths) // 40)]:
        # a new schema for some paths: the lookup is then the first, before any other
        first = Schema.from_dict(fresh(name), trusted=trusted)
        assert first.lookup(path) == merged.lookup(path), path
        assert first.lookup_any_case(path) == merged.lookup_any_case(path), path
        assert first.suggest(path) == merged.suggest(path), path
    lazy = Schema.from_dict(fresh(name), trusted=trusted)
    for path in probes(merged):  # and all from one schema, as a long lint asks them
        assert lazy.lookup(path) == merged.lookup(path), path
        assert lazy.lookup_any_case(path) == merged.lookup_any_case(path), path
    for path in paths[:: max(1, len(paths) // 300)]:
        assert lazy.suggest(path) == merged.suggest(path), path
    assert lazy._merged is None  # all the answers above came without merging every endpoint


def test_mixed_spellings_merge_as_documented() -> None:
    schema = Schema.from_dict(MIXED)
    assert schema.lookup("Name") == FieldInfo("Name", "any")  # string in A, string[] in C
    assert schema.lookup("name") == FieldInfo("name", "integer")
    assert schema.lookup_any_case("NAME") == FieldInfo("Name", "any")  # the first spelling merged
    assert schema.lookup("Kind") == FieldInfo("Kind", "string", values=("x", "y"))
    assert schema.lookup("Open.Anything") == FieldInfo("Open.Anything", "any")
    assert schema.lookup("Blob.Missing") is None  # Blob lists a member in C
    assert schema.suggest("Nme") == "Name"
    assert schema.suggest("Kin") == "Kind"
    assert schema.suggest("Blb") is None  # an object is never a suggestion
    any_case = Schema.from_dict(fresh("mixed-any-case"))
    assert any_case.lookup("NAME") == FieldInfo("Name", "any")  # A's Name and name, B's NAME, C's Name


@pytest.mark.parametrize(
    ("condition", "codes"),
    [
        ("ComputerName = 'x' and Client.Id = 5 and OperatingSystemName like 'Win%'", []),
        ("ComputerNme = 'x'", ["CWQ102"]),  # an unknown field, with a suggestion
        ("OperatingSystem.Name = 'x'", ["CWQ102"]),  # below no object the catalogue has
    ],
)
def test_a_lint_without_endpoint_parses_no_endpoint_of_the_catalogue(condition: str, codes: list[str]) -> None:
    schema = Schema.from_dict(fresh("automate"), trusted=True)
    assert [finding.code for finding in lint(condition, schema=schema)] == codes
    # the private state that says so: no endpoint parsed, no full merge built
    assert schema._merged is None
    assert len(schema._raw) == len(schema.endpoint_names)


def test_the_builtin_catalogue_reads_as_a_bounded_read_does() -> None:
    from cwa_query._json import loads

    for name in ("automate", "seed", "manage"):
        text = (DATA / f"{name}_schema.json").read_text(encoding="utf-8")
        assert load_schema(dialect=name).to_dict() == Schema.from_dict(loads(text), trusted=True).to_dict()
