"""The unknown-field rule loads only the dialects that can add to its finding.

Its message says when another dialect's catalogue knows the field, and its suggestion may
come from another dialect's field names; the registry states both facts for the built-in
dialects (`_BUILTINS`) so that neither needs the other dialects' modules. Three things are
checked here: the stated facts are the classes' (they cannot drift apart silently), the
findings are the same whether the other dialects are loaded or not (and are the ones
pinned below), and a lint of an unknown field imports nothing a lint of a known one does
not, but `difflib` for the suggestion.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

from cwa_query import lint, load_schema
from cwa_query.dialects import (
    Dialect,
    _base,
    _registry,
    all_dialects,
    catalogue_file,
    dialect_names,
    get_dialect,
    renaming_dialects,
)

DIALECTS = ("seed", "automate", "manage", "odata")

# (dialect, endpoint, schema's dialect or None for the built-in one, field) -> the finding's
# (message, fix); from the rule as it was when it loaded every dialect (commit a358f3b).
PINNED: list[tuple[str, str | None, str | None, str, str, str | None]] = [
    (
        "seed",
        None,
        None,
        "Id",
        "unknown field 'Id': not in any endpoint of the seed schema (the automate dialect's catalogue "
        "knows 'Id': if the condition is meant for automate, choose that dialect or profile)",
        None,
    ),
    (
        "seed",
        None,
        None,
        "identifier",
        "unknown field 'identifier': not in any endpoint of the seed schema (the manage dialect's "
        "catalogue knows 'identifier': if the condition is meant for manage, choose that dialect or profile)",
        None,
    ),
    (
        "seed",
        "Computers",
        None,
        "ComputerName",
        "unknown field 'ComputerName': not in the Computers endpoint; did you mean 'Name'? (the automate "
        "dialect's catalogue knows 'ComputerName': if the condition is meant for automate, choose that "
        "dialect or profile)",
        "Name = 'x'",
    ),
    (
        "automate",
        None,
        None,
        "identifier",
        "unknown field 'identifier': not in any endpoint of the automate schema; did you mean "
        "'IdentityField'? (the manage dialect's catalogue knows 'identifier': if the condition is meant "
        "for manage, choose that dialect or profile)",
        "IdentityField = 'x'",
    ),
    (
        "automate",
        "Computers",
        None,
        "LastContact",
        "unknown field 'LastContact': not in the Computers endpoint; did you mean 'RemoteAgentLastContact'? "
        "(the seed dialect's catalogue knows 'LastContact': if the condition is meant for seed, choose "
        "that dialect or profile)",
        "RemoteAgentLastContact = 'x'",
    ),
    (
        "automate",
        "Alerts",
        "automate",
        "ComputerID",
        "unknown field 'ComputerID': not in the Alerts endpoint; did you mean 'Computer.Id'? (the seed "
        "dialect's catalogue knows 'ComputerID': if the condition is meant for seed, choose that dialect "
        "or profile)",
        "Computer.Id = 'x'",
    ),
    (
        "automate",
        "Computers",
        "seed",
        "ComputerName",
        "unknown field 'ComputerName': not in the Computers endpoint",
        None,
    ),
    (
        "manage",
        None,
        None,
        "ComputerName",
        "unknown field 'ComputerName': not in any endpoint of the manage schema; did you mean 'customerName'? "
        "(the automate dialect's catalogue knows 'ComputerName': if the condition is meant for automate, "
        "choose that dialect or profile)",
        'customerName = "x"',
    ),
    (
        "manage",
        None,
        None,
        "OS",
        "unknown field 'OS': not in any endpoint of the manage schema (the seed dialect's catalogue knows "
        "'OS': if the condition is meant for seed, choose that dialect or profile)",
        None,
    ),
    (
        "manage",
        "Alerts",
        "automate",
        "ComputerID",
        "unknown field 'ComputerID': not in the Alerts endpoint; did you mean 'Computer/Id'?",
        'Computer/Id = "x"',
    ),
    (
        "odata",
        "Computers",
        "automate",
        "OS",
        "unknown field 'OS': not in the Computers endpoint; did you mean 'OperatingSystemName'?",
        "OperatingSystemName eq 'x'",
    ),
    ("odata", None, "automate", "OS", "unknown field 'OS': not in any endpoint of the automate schema", None),
]

# The grid linted with and without the other dialects loaded. Endpoints the seed dialect
# renames fields of come last: linting there loads it, and every case before them must see
# only the linted dialect loaded, as a fresh process would. Which of them comes first (the
# one linted before the seed dialect is loaded) turns with the linted dialect.
FIELDS = (
    "Nmae", "ComputerNme", "Name", "OS", "LastContact", "ComputerID", "ClientID", "Severity", "FolderID",
    "Id", "ComputerName", "RemoteAgentLastContact", "identifier", "summary", "closedFlag", "Zzzzqq", "status",
)  # fmt: skip
NOT_RENAMED = (None, "service/tickets", "Contacts")
RENAMED_BY_SEED = ("Computers", "/cwa/api/v1/Scripts/", "alerts")
SCHEMAS = (None, "automate")

GRID_SCRIPT = """
import json, sys
from cwa_query import lint, load_schema
from cwa_query.dialects import all_dialects, get_dialect

dialect, eager, fields, endpoints, schemas = json.loads(sys.argv[1])
if eager:
    all_dialects()
get_dialect(dialect)
def loaded():
    return sorted(m for m in sys.modules if m.startswith("cwa_query.dialects.") and not m.split(".")[2].startswith("_"))
at_start = loaded()
quote = {"manage": '"x"'}.get(dialect, "'x'")
op = "eq" if dialect == "odata" else "="
out = []
for endpoint in endpoints:
    for schema in schemas:
        kwargs = {} if schema is None else {"schema": load_schema(dialect=schema)}
        for field in fields:
            try:
                found = [[d.code, d.message, d.column, d.fix]
                         for d in lint(f"{field} {op} {quote}", dialect=dialect, endpoint=endpoint, **kwargs)]
            except Exception as error:
                found = f"{type(error).__name__}: {error}"
            out.append([endpoint, schema, field, found, loaded()])
print(json.dumps({"at_start": at_start, "cases": out}))
"""


def _grid(dialect: str, *, eager: bool) -> dict[str, Any]:
    turn = DIALECTS.index(dialect) % len(RENAMED_BY_SEED)
    endpoints = NOT_RENAMED + RENAMED_BY_SEED[turn:] + RENAMED_BY_SEED[:turn]
    argument = json.dumps([dialect, eager, FIELDS, endpoints, SCHEMAS])
    result = subprocess.run(
        [sys.executable, "-c", GRID_SCRIPT, argument], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    grid: dict[str, Any] = json.loads(result.stdout)
    return grid


def test_the_stated_facts_are_the_classes() -> None:
    """`_BUILTINS` says, for each built-in dialect, its module, catalogue and renamed endpoints:
    exactly what its class has once loaded."""
    all_dialects()  # import every built-in module
    assert tuple(_registry._BUILTINS) == DIALECTS == dialect_names()[: len(DIALECTS)]
    for name, builtin in _registry._BUILTINS.items():
        dialect = get_dialect(name)
        cls = _base.registered()[name]
        assert type(dialect) is cls and cls.__module__ == builtin.module
        assert dialect.schema_file == builtin.schema_file, name
        assert builtin.renames == {endpoint.lower() for endpoint in cls.field_names_by_endpoint}, name
        # the registry reads the renames from `field_names_by_endpoint`, as the base method does
        assert type(dialect).field_names is Dialect.field_names, name
        assert catalogue_file(name) == (name, builtin.schema_file)
        if builtin.schema_file is not None:
            assert (Path(_base.__file__).parents[1] / "data" / builtin.schema_file).is_file()


def test_the_registry_answers_for_loaded_dialects_too() -> None:
    """A dialect that is loaded (or defined outside the built-ins) is asked, not the table."""
    all_dialects()
    assert [d.name for d in renaming_dialects("Computers")] == ["seed"]
    assert [d.name for d in renaming_dialects("/cwa/api/v1/computers/")] == ["seed"]
    assert renaming_dialects("Contacts") == renaming_dialects(None) == ()

    class Renamer(Dialect):
        name = "renamer-test-dialect"
        schema_file = "seed_schema.json"
        field_names_by_endpoint: ClassVar[Mapping[str, Mapping[str, str]]] = {"Contacts": {"Mail": "Email"}}

    try:
        assert catalogue_file("renamer-test-dialect") == ("renamer-test-dialect", "seed_schema.json")
        assert [d.name for d in renaming_dialects("contacts")] == ["renamer-test-dialect"]
    finally:
        _base._REGISTRY.pop("renamer-test-dialect")
        _registry._INSTANCES.pop("renamer-test-dialect", None)


@pytest.mark.parametrize(("dialect", "endpoint", "schema", "field", "message", "fix"), PINNED)
def test_the_findings_are_the_pinned_ones(
    dialect: str, endpoint: str | None, schema: str | None, field: str, message: str, fix: str | None
) -> None:
    text = f'{field} = "x"' if dialect == "manage" else f"{field} {'eq' if dialect == 'odata' else '='} 'x'"
    kwargs = {} if schema is None else {"schema": load_schema(dialect=schema)}
    found = [(d.code, d.message, d.fix) for d in lint(text, dialect=dialect, endpoint=endpoint, **kwargs)]
    assert found == [("CWQ102", message, fix)]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_findings_do_not_depend_on_which_dialects_are_loaded(dialect: str) -> None:
    lazy, eager = _grid(dialect, eager=False), _grid(dialect, eager=True)
    assert [case[:4] for case in lazy["cases"]] == [case[:4] for case in eager["cases"]]
    # the grid exercises both helpers: another catalogue knows a field, and a rename suggests one
    messages = [m for case in lazy["cases"] if isinstance(case[3], list) for _, m, _, _ in case[3]]
    if dialect != "odata":  # it has no catalogue of its own: no other is asked
        assert any("dialect's catalogue knows" in m for m in messages)
    if dialect != "seed":  # a seed name, suggested as the real server's
        assert any("did you mean 'RemoteAgentLastContact'?" in m for m in messages)
    # and the lazy run was lazy: before the seed dialect's endpoints only the linted dialect (and
    # what its module imports) was loaded; the OData module only when OData is linted
    assert "cwa_query.dialects.odata" not in lazy["at_start"] or dialect == "odata"
    for endpoint, _, _, _, loaded in lazy["cases"]:
        if endpoint not in RENAMED_BY_SEED:
            assert loaded == lazy["at_start"], endpoint
        assert set(loaded) <= set(lazy["at_start"]) | {"cwa_query.dialects.seed"}
    assert set(eager["cases"][0][4]) >= {f"cwa_query.dialects.{name}" for name in DIALECTS}


LINT_SCRIPT = """
import json, sys
from cwa_query.cli import main
status = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"status": status, "modules": sorted(sys.modules)}, out)
"""


def _cli_lint(tmp_path: Path, *args: str) -> tuple[int, set[str], str]:
    record = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", LINT_SCRIPT, str(record), "lint", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert record.exists(), result.stderr
    done = json.loads(record.read_text(encoding="utf-8"))
    return done["status"], set(done["modules"]), result.stdout + result.stderr


def test_an_unknown_field_imports_only_the_suggestions_library(tmp_path: Path) -> None:
    """`cwa-query lint` of an unknown field in the default dialect imports what the lint of a
    known field does, and `difflib` (with `heapq`) for the "did you mean"."""
    status, known, _ = _cli_lint(tmp_path, "ComputerName = 'x'")
    assert status == 0
    status, unknown, out = _cli_lint(tmp_path, "ComputerNme = 'x'")
    assert status == 1 and "unknown field 'ComputerNme'" in out and "did you mean 'ComputerName'?" in out
    assert unknown - known <= {"difflib", "heapq", "_heapq"}
    assert "difflib" in unknown
    dialects = {m for m in unknown if m.startswith("cwa_query.dialects.") and not m.split(".")[2].startswith("_")}
    assert dialects == {"cwa_query.dialects.automate", "cwa_query.dialects.condition"}
    assert not {"hypothesis", "httpx", "mcp", "cwa_query.language._odata"} & unknown


def test_a_dialect_that_can_add_to_the_finding_is_loaded(tmp_path: Path) -> None:
    """The control of the test above: the seed dialect renames fields of Computers, so a lint
    there loads it (the record sees a module imported by the registry), and not the others."""
    status, modules, out = _cli_lint(tmp_path, "--endpoint", "Computers", "LastContact = 'x'")
    assert status == 1 and "did you mean 'RemoteAgentLastContact'?" in out
    assert "the seed dialect's catalogue knows 'LastContact'" in out
    assert "cwa_query.dialects.seed" in modules
    assert not {"cwa_query.dialects.manage", "cwa_query.dialects.odata"} & modules
