"""The seed <-> automate field-name table: true to both catalogues, used by translate and lint."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from cwa_query import TranslationWarning, lint, load_schema, render, translate
from cwa_query.dialects import get_dialect

SEED = get_dialect("seed")
SCHEMAS = [load_schema(dialect="seed"), load_schema(dialect="automate")]
ROWS = [
    (endpoint, name, path) for endpoint, names in SEED.field_names_by_endpoint.items() for name, path in names.items()
]
NUMBERS = {"integer", "id"}


@pytest.mark.parametrize(("endpoint", "name", "path"), ROWS)
def test_each_row_names_fields_both_catalogues_have_with_the_same_kind(endpoint: str, name: str, path: str) -> None:
    seed_info = SCHEMAS[0].lookup(name, endpoint)
    automate_info = SCHEMAS[1].lookup(path, endpoint)
    assert seed_info is not None and automate_info is not None
    assert seed_info.path == name and automate_info.path == path
    assert (seed_info.type in NUMBERS and automate_info.type in NUMBERS) or seed_info.type == automate_info.type
    assert seed_info.array == automate_info.array


def test_the_docs_table_is_the_dialect_table() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "dialects.md").read_text(encoding="utf-8")
    for endpoint, name, path in ROWS:
        assert f"| {endpoint} | `{name}` | `{path}` |" in page


@pytest.mark.parametrize(
    ("endpoint", "seed_text", "automate_text"),
    [
        (
            "Computers",
            "ClientID = 100 and LastContact >= '2024-02-14' and OS contains 'Server' and Name startswith 'A'",
            "Client.Id = 100 and RemoteAgentLastContact >= 2024-02-14 and OperatingSystemName contains 'Server' "
            "and ComputerName like 'A%'",
        ),
        ("Clients", "ClientID in (1, 2) and Name = 'Acme'", "Id in (1, 2) and Name = 'Acme'"),
        ("Alerts", "AlertID > 5 and ComputerID = 3", "AlertId > 5 and Computer.Id = 3"),
        ("Scripts", "not (FolderID = 2)", "Folder.Id != 2"),
    ],
)
def test_translate_renames_both_ways_with_an_endpoint(endpoint: str, seed_text: str, automate_text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", TranslationWarning)
        there = translate(seed_text, "seed", "automate", schema=SCHEMAS, endpoint=endpoint)
        assert render(there, "automate") == automate_text
        back = translate(automate_text, "automate", "seed", schema=SCHEMAS, endpoint=endpoint)
    assert translate(render(back, "seed"), "seed", "automate", schema=SCHEMAS, endpoint=endpoint) == there


def test_without_an_endpoint_no_field_is_renamed() -> None:
    assert render(translate("ClientID = 1", "seed", "automate"), "automate") == "ClientID = 1"


def test_lint_suggests_the_other_dialects_name_and_never_an_object() -> None:
    found = lint("LastContact < 2024-01-01 and OS = 'x' and ClientID = 1", dialect="automate", endpoint="Computers")
    suggested = [d.message.rsplit("did you mean ", 1)[-1].split(" (", 1)[0] for d in found]
    assert suggested == ["'RemoteAgentLastContact'?", "'OperatingSystemName'?", "'Client.Id'?"]
    [back] = lint("RemoteAgentLastContact < '2024-01-01'", dialect="seed", endpoint="Computers")
    assert back.fix == "LastContact < '2024-01-01'"


def test_suggestions_skip_objects() -> None:
    schema = load_schema({"endpoints": {"T": {"fields": {"Contact": "object", "Contact.Name": "string"}}}})
    assert schema.suggest("Contac", "T") is None
    assert schema.suggest("Contact.Nme", "T") == "Contact.Name"
