"""The name index beside each built-in catalogue answers what the catalogue answers.

`cwa-query lint` of an unknown field asks the other dialects' catalogues whether they know
it, and suggests a field over every endpoint of its own: a small index written beside each
catalogue (`scripts/gen_catalogue_index.py`) answers both without reading the catalogues'
entries. Checked here: the shipped index is what the generator writes from the catalogue
beside it (it cannot drift), and the index's answers are the catalogue's, for every name of
the catalogue in three spellings, paths below objects, near misses and odd input, and for a
case-sensitive catalogue with spellings that differ only in case.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

import pytest

from cwa_query import lint
from cwa_query import schema as schema_module
from cwa_query.dialects import catalogue_file, dialect_names
from cwa_query.errors import SchemaError
from cwa_query.schema import (
    Schema,
    _AnyEndpoint,
    _find_endpoint,
    _NameIndex,
    builtin_knows,
    builtin_schema,
    catalogue_text,
    index_text,
    names_file,
    paths_file,
    paths_text,
    read_catalogue,
)

CATALOGUES = [name for name in dialect_names() if catalogue_file(name)[1] is not None]

# Case-sensitive, spellings that differ only in case within and across endpoints, objects
# with and without listed members, at several depths.
MIXED = {
    "case_sensitive": True,
    "endpoints": {
        "A": {"fields": {"Name": "string", "name": "integer", "Blob": "object", "Deep.Open": "object"}},
        "B": {"fields": {"NAME": "string", "Blob": "object", "Blob.Size": "integer", "blob.size": "id"}},
        "things/{id}/parts": {"fields": {"Open": "object", "Part.Id": "id", "part.ID": "string"}},
    },
}


def probes(schema: Schema) -> list[str]:
    """Every name of the catalogue in three spellings, paths below each, near misses, odd input."""
    every = list(dict.fromkeys(p for endpoint in schema.endpoint_names for p in schema._paths(endpoint)))
    found = [variant for path in every for variant in (path, path.lower(), path.upper())]
    found += [f"{path}.Below" for path in every] + [f"{path}.a.b" for path in every[::7]]
    found += [path[:-1] for path in every[::5]] + [path + "x" for path in every[::5]]
    return [
        *found,
        "",
        ".",
        "a..b",
        "Name\nNAME",
        "Blob.\n",
        "Open.x\ny",
        "NoSuchField",
        "#",
        "Name NAME",
        " ",
        "Blob.x y",
    ]


def slow(schema: Schema, path: str, endpoint: str | None = None) -> bool:
    """What the catalogue itself answers (no index)."""
    try:
        return schema.lookup(path, endpoint) is not None
    except SchemaError:
        return False


@pytest.mark.parametrize("name", CATALOGUES)
def test_the_shipped_index_is_what_the_generator_writes(name: str) -> None:
    schema_file = catalogue_file(name)[1]
    assert schema_file is not None
    catalogue = read_catalogue(schema_file)
    written = {
        names_file(schema_file): index_text(catalogue, schema_file, catalogue_text(schema_file)),
        paths_file(schema_file): paths_text(catalogue, schema_file),
    }
    for file, text in written.items():
        with open(os.path.join(schema_module._DATA, file), encoding="utf-8") as shipped:
            assert shipped.read() == text, f"{file} is stale: run python scripts/gen_catalogue_index.py"


def _quick_unless(heavy: str, names: list[str]) -> list[object]:
    """`names` as parameters, `heavy` marked slow: each catalogue stays in the quick loop
    through another of these tests, and runs here in the full suite."""
    return [pytest.param(name, marks=pytest.mark.slow) if name == heavy else name for name in names]


@pytest.mark.parametrize("name", _quick_unless("automate", [*CATALOGUES, "mixed"]))
def test_the_index_answers_what_the_catalogue_does(name: str) -> None:
    if name == "mixed":
        catalogue = Schema.from_dict(MIXED, trusted=True)
        index = _NameIndex(index_text(Schema.from_dict(MIXED, trusted=True), "mixed.json"))
    else:
        schema_file = catalogue_file(name)[1]
        assert schema_file is not None
        catalogue = read_catalogue(schema_file)
        index = schema_module._name_index(schema_file)
        assert index is not None
    assert index.endpoints() == catalogue._endpoint_index
    wrong = [path for path in probes(catalogue) if index.knows(path) != slow(catalogue, path)]
    assert wrong == []
    deepest = max(path.count(".") for endpoint in catalogue.endpoint_names for path in catalogue._paths(endpoint))
    merged = _AnyEndpoint(catalogue)  # the catalogue's own candidates: its schema has no index
    for dots in range(deepest + 2):
        assert index.candidates(dots) == merged.candidates(dots), dots


def test_the_mixed_index_has_every_kind_of_name() -> None:
    """The case-sensitive sample exercises each section (else the test above proves little)."""
    index = _NameIndex(index_text(Schema.from_dict(MIXED, trusted=True), "mixed.json"))
    sections = {name: index._names(name) for name in index._sections}
    assert sections["case-sensitive"] == ["yes"]
    assert sections["fields 0"] == ["Name"] and sections["fields 1"] == ["Blob.Size", "Part.Id"]
    assert sections["objects"] == ["Blob"] and sections["leaves"] == ["Deep.Open", "Open"]
    assert sections["spellings"] == ["name", "NAME", "blob.size", "part.ID"]


@pytest.mark.parametrize("name", _quick_unless("manage", CATALOGUES))
def test_builtin_knows_is_lookup_at_every_endpoint(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked before and after the catalogue is loaded, at no endpoint, at each of the
    built-in catalogues' endpoints (the other catalogues' too: most are not in this one),
    and at a concrete path of a templated endpoint."""
    monkeypatch.setattr(schema_module, "_builtin", {})
    schema_file = catalogue_file(name)[1]
    assert schema_file is not None
    catalogue = read_catalogue(schema_file)
    paths = ["Name", "name", "Id", "ComputerName", "LastContact", "identifier", "Client.Name", "Nope", "Os.x"]
    endpoints = [None, "/cwa/api/v1/Computers/", "Computers/7/Software", "company/companies", "nowhere"]
    endpoints += [endpoint for other in CATALOGUES for endpoint in builtin_schema(other).endpoint_names[:40:3]]
    monkeypatch.setattr(schema_module, "_builtin", {})
    for loaded in (False, True):
        if loaded:
            builtin_schema(name)
        for endpoint in endpoints:
            was = name in schema_module._builtin
            answers = [(path, builtin_knows(name, path, endpoint)) for path in paths]
            assert answers == [(path, slow(catalogue, path, endpoint)) for path in paths], (endpoint, loaded)
            # the catalogue is read only for a field of an endpoint it has
            there = endpoint is not None and _find_endpoint(catalogue._endpoint_index, endpoint) is not None
            assert (name in schema_module._builtin) == (was or there), endpoint


def test_an_unknown_field_reads_no_other_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lint of an unknown field of the automate dialect asks the seed and manage indexes,
    not their catalogues, and suggests from its own index; the finding is the full one."""
    monkeypatch.setattr(schema_module, "_builtin", {})
    monkeypatch.setattr(schema_module, "_indexes", {})
    found = [(d.code, d.message, d.fix) for d in lint("identifier = 'x'", dialect="automate")]
    assert found == [
        (
            "CWQ102",
            "unknown field 'identifier': not in any endpoint of the automate schema; did you mean "
            "'IdentityField'? (the manage dialect's catalogue knows 'identifier': if the condition is meant "
            "for manage, choose that dialect or profile)",
            "IdentityField = 'x'",
        )
    ]
    assert set(schema_module._builtin) == {"automate"}
    assert set(schema_module._indexes) == {catalogue_file(name)[1] for name in CATALOGUES}


@pytest.mark.parametrize("name", CATALOGUES)
def test_the_layout_reads_what_the_whole_file_holds(name: str) -> None:
    """Each endpoint's fields (and each object at the top) decoded at the offset the index
    gives are the catalogue's; a loaded catalogue is the same schema either way."""
    schema_file = catalogue_file(name)[1]
    assert schema_file is not None
    text = catalogue_text(schema_file)
    whole = json.loads(text)
    index = schema_module._name_index(schema_file)
    assert index is not None
    data = index.catalogue(text)
    assert data is not None
    assert list(data) == list(whole)
    for key, value in data.items():
        if key == "endpoints":
            assert list(value) == list(whole[key])
            for endpoint, entry in value.items():
                assert dict(entry["fields"]) == whole[key][endpoint].get("fields", whole[key][endpoint]), endpoint
        else:
            assert (dict(value) if isinstance(value, Mapping) else value) == whole[key], key
    lazy, eager = Schema.from_dict(data, trusted=True), read_catalogue(schema_file)
    assert (lazy.name, lazy.case_sensitive, lazy.provenance) == (eager.name, eager.case_sensitive, eager.provenance)
    assert dict(lazy.resources) == dict(eager.resources)
    assert lazy.to_dict() == eager.to_dict()
    # an index of another text (a catalogue edited, the index not written again) is not used
    assert index.catalogue(text + " ") is None


def test_a_lint_at_an_endpoint_decodes_only_that_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_module, "_builtin", {})
    schema = builtin_schema("automate")
    assert [d.code for d in lint("ComputerNme = 'x'", dialect="automate", endpoint="Computers")] == ["CWQ102"]
    decoded = [endpoint for endpoint, fields in schema._raw.items() if fields._value is not None]  # type: ignore[attr-defined]
    assert decoded == [] and list(schema._endpoints) == ["Computers"]  # parsed, its raw entry gone
    assert schema.resources._value is None  # type: ignore[attr-defined]  # not decoded either
    assert len(schema._raw) == len(schema.endpoint_names) - 1


def indexed(name: str) -> Schema:
    """A catalogue read with its name index (the mixed sample: given one)."""
    if name != "mixed":
        schema_file = catalogue_file(name)[1]
        assert schema_file is not None
        return schema_module._load_file(
            os.path.join(schema_module._DATA, schema_file), trusted=True, index=schema_module._name_index(schema_file)
        )
    schema = Schema.from_dict(MIXED, trusted=True)
    plain = Schema.from_dict(MIXED, trusted=True)
    schema._index = _NameIndex(index_text(plain, "mixed.json"), lambda: paths_text(plain, "mixed.json"))
    return schema


def plain(name: str) -> Schema:
    if name == "mixed":
        return Schema.from_dict(MIXED, trusted=True)
    schema_file = catalogue_file(name)[1]
    assert schema_file is not None
    return read_catalogue(schema_file)


@pytest.mark.parametrize(
    ("name", "step"),
    [
        *((name, 1) for name in ("seed", "mixed")),
        ("automate", 9),  # every ninth probe in the quick loop
        pytest.param("manage", 9, marks=pytest.mark.slow),
        *(pytest.param(name, 1, marks=pytest.mark.slow) for name in ("automate", "manage")),
    ],
)
def test_lookups_over_all_endpoints_from_the_index_are_the_catalogues(name: str, step: int) -> None:
    """With its index, a lookup over all endpoints reads the endpoints that have the path
    from the index's lines: the same fields, typed the same, as from every endpoint's entries."""
    fast, slow_ = indexed(name), plain(name)
    assert type(fast._lookups(None)).__name__ == "_IndexedAnyEndpoint"
    assert type(slow_._lookups(None)).__name__ == "_AnyEndpoint"
    paths = probes(slow_)[::step]
    assert [fast.lookup(path) for path in paths] == [slow_.lookup(path) for path in paths]
    assert [fast.lookup_any_case(path) for path in paths] == [slow_.lookup_any_case(path) for path in paths]
    some = paths[:: max(1, len(paths) // 300)]
    assert [fast.suggest(path) for path in some] == [slow_.suggest(path) for path in some]


def test_a_lookup_over_all_endpoints_decodes_the_endpoints_that_have_the_path() -> None:
    schema = indexed("automate")
    assert schema.lookup("ComputerNme") is None
    assert schema.suggest("ComputerNme") == "ComputerName"
    assert all(raw._value is None for raw in schema._raw.values())  # type: ignore[attr-defined]
    info = schema.lookup("computername")
    assert info is not None and info.path == "ComputerName"
    having = [e for e in schema.endpoint_names if "computername" in map(str.lower, plain("automate")._paths(e))]
    decoded = [e for e, raw in schema._raw.items() if raw._value is not None]  # type: ignore[attr-defined]
    assert decoded == having and 0 < len(having) < 10


def test_a_stale_index_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue written again without its index (another size): the catalogue answers."""
    for file in ("seed_schema.json", names_file("seed_schema.json"), paths_file("seed_schema.json")):
        (tmp_path / file).write_bytes((Path(schema_module._DATA) / file).read_bytes())
    data = json.loads((tmp_path / "seed_schema.json").read_text(encoding="utf-8"))
    data["endpoints"]["Computers"]["fields"]["Extraordinary"] = "string"
    (tmp_path / "seed_schema.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(schema_module, "_DATA", str(tmp_path))
    monkeypatch.setattr(schema_module, "_builtin", {})
    monkeypatch.setattr(schema_module, "_indexes", {})
    index = schema_module._name_index("seed_schema.json")
    assert index is not None and not index.knows("Extraordinary")  # the stale index does not know it
    assert builtin_knows("seed", "Extraordinary") and "seed" in schema_module._builtin
    schema = builtin_schema("seed")
    assert schema._index is None
    assert schema.suggest("Extraordinry") == "Extraordinary"
    assert schema.lookup("Extraordinary", "Computers") is not None
