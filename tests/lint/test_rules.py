"""Every rule: firing cases (where, and the fix) and quiet cases, table-driven."""

from __future__ import annotations

import pytest

from cwa_query import Diagnostic, lint, parse
from cwa_query.linter import list_rules

# (condition, dialect, endpoint) -> [(code, column, end_column, fix)]
Expected = tuple[str, int, int, str | None]
Row = tuple[str, str, str | None, list[Expected]]

SYNTAX: list[Row] = [
    ("Status == 'Online'", "seed", None, [("CWQ101", 9, 10, "Status = 'Online'")]),
    ("Status === 'Online'", "seed", None, [("CWQ101", 9, 10, "Status = 'Online'")]),
    ("ClientID <> 5", "seed", None, [("CWQ101", 11, 12, "ClientID != 5")]),
    (
        "Status = 'Online' && ClientID = 5",
        "seed",
        None,
        [("CWQ101", 19, 21, "Status = 'Online' and ClientID = 5")],
    ),
    (
        "Status = 'Online'||Status = 'Offline'",
        "seed",
        None,
        [("CWQ101", 18, 20, "Status = 'Online' or Status = 'Offline'")],
    ),
    (
        "Status == 'Online' && ClientID == 5",
        "seed",
        None,
        [("CWQ101", 9, 10, "Status = 'Online' and ClientID = 5")],
    ),
    ("Status = Online", "seed", None, [("CWQ101", 10, 16, "Status = 'Online'")]),
    (
        "Name = ACME Corp and ClientID = 1",
        "seed",
        None,
        [("CWQ101", 8, 12, "Name = 'ACME Corp' and ClientID = 1")],
    ),
    ("Status in (Online, Offline)", "seed", None, [("CWQ101", 12, 18, "Status in ('Online', 'Offline')")]),
    ("Status in (Online , Offline )", "seed", None, [("CWQ101", 12, 18, "Status in ('Online' , 'Offline' )")]),
    (
        "Name = ACME   Corp OR ClientID = 1",
        "seed",
        None,
        [("CWQ101", 8, 12, "Name = 'ACME   Corp' OR ClientID = 1")],
    ),
    ("Name = \u2018DC01\u2019", "seed", None, [("CWQ101", 8, 9, "Name = 'DC01'")]),
    ("Name = \u201cDC01\u201d", "seed", None, [("CWQ101", 8, 9, "Name = 'DC01'")]),
    ("Name = `DC01`", "seed", None, [("CWQ101", 8, 9, "Name = 'DC01'")]),
    ("Name = 'O'Brien'", "seed", None, [("CWQ101", 11, 16, "Name = 'O''Brien'")]),
    ("Name = 'O'Brien'", "automate", "Clients", [("CWQ101", 11, 16, 'Name = "O\'Brien"')]),
    ("Status = ", "seed", None, [("CWQ101", 10, 11, None)]),
    ("(Status = 'Online'", "seed", None, [("CWQ101", 19, 20, None)]),
    ("", "seed", None, [("CWQ101", 1, 2, None)]),
    ("Name = null", "seed", None, [("CWQ101", 8, 12, None)]),
    # OData-isms: comparison words and `/` paths
    ("Client/Id = 5", "automate", "Computers", [("CWQ101", 7, 8, "Client.Id = 5")]),
    ("FreeMemory ge 5", "automate", "Computers", [("CWQ101", 12, 14, "FreeMemory >= 5")]),
    ("Status ne 'Online'", "seed", None, [("CWQ101", 8, 10, "Status != 'Online'")]),
    ("Status eq 'Online'", "seed", None, [("CWQ201", 8, 10, "Status = 'Online'")]),
]

UNKNOWN_FIELD: list[Row] = [
    ("ComputerNme = 'DC01'", "automate", "Computers", [("CWQ102", 1, 12, "ComputerName = 'DC01'")]),
    ("status = 'Online'", "seed", None, [("CWQ102", 1, 7, "Status = 'Online'")]),
    ("Status = 'Online' and Zzzzqq = 1", "seed", None, [("CWQ102", 23, 29, None)]),
    ("Client.Nmae = 'ACME'", "automate", "Computers", [("CWQ102", 1, 12, "Client.Name = 'ACME'")]),
    ("computername = 'DC01'", "automate", "Computers", []),
    ("Client.Name = 'ACME' and LoggedInUsers.LoggedInUserName = 'bob'", "automate", "Computers", []),
]

TYPE_MISMATCH: list[Row] = [
    ("TotalMemory = 'lots'", "seed", None, [("CWQ103", 15, 21, None)]),
    ("TotalMemory >= '4096'", "seed", "Computers", [("CWQ103", 16, 22, "TotalMemory >= 4096")]),
    ("TotalMemory >= '4096'", "automate", "Computers", []),
    ("TotalMemory = 1.5", "seed", None, [("CWQ103", 15, 18, None)]),
    ("TotalMemory contains '4'", "automate", "Computers", [("CWQ103", 13, 21, None)]),
    ("IsMaster < true", "automate", "Computers", [("CWQ103", 10, 11, None)]),
    ("IsMaster = 'true'", "automate", "Computers", [("CWQ103", 12, 18, "IsMaster = true")]),
    ("IsMaster = 1", "automate", "Computers", [("CWQ103", 12, 13, None)]),
    ("Name = 5", "seed", "Computers", [("CWQ103", 8, 9, "Name = '5'")]),
    ("OpenPortsTCP contains 443", "automate", "Computers", []),
    ("OpenPortsTCP > 443", "automate", "Computers", [("CWQ103", 14, 15, None)]),
    ("OpenPortsTCP contains 'http'", "automate", "Computers", [("CWQ103", 23, 29, None)]),
    ("Client = 5", "automate", "Computers", [("CWQ103", 8, 9, None)]),
    ("Client.Id = '151' or Client.Id = 151", "automate", "Computers", []),
    ("Client.Id = 'abc'", "automate", "Computers", [("CWQ103", 13, 18, None)]),
    ("DiskFreePercent < 10.5 and DiskFreePercent > 1", "seed", None, []),
    ("LastContact >= 'yesterday'", "seed", None, [("CWQ103", 16, 27, None)]),
    ("LastContact >= '2024-02-14' and LastContact < '2024-02-15T10:00:00Z'", "seed", None, []),
    ("ClientID in (1, 'x')", "seed", None, [("CWQ103", 17, 20, None)]),
    ("RemoteAgentLastContact > true", "automate", "Computers", [("CWQ103", 26, 30, None)]),
]

UNKNOWN_VALUE: list[Row] = [
    ("Status = 'Onlien'", "seed", "Computers", [("CWQ104", 10, 18, "Status = 'Online'")]),
    (
        "Status in ('Online', 'Ofline')",
        "seed",
        "Computers",
        [("CWQ104", 22, 30, "Status in ('Online', 'Offline')")],
    ),
    ("Status = 'Zzzz'", "seed", "Computers", [("CWQ104", 10, 16, None)]),
    ("Status = 'online' or Status != 'OFFLINE'", "seed", "Computers", []),
    ("Status contains 'Onl'", "seed", "Computers", []),
    ("Status = 'Completed'", "automate", "Computers/{computerId}/ScriptHistory", []),
]

UNSUPPORTED: list[Row] = [
    ("Name startswith 'ACME'", "automate", "Clients", [("CWQ201", 6, 16, "Name like 'ACME%'")]),
    ("ComputerName endswith '_01'", "automate", "Computers", [("CWQ201", 14, 22, "ComputerName like '%\\_01'")]),
    ("not (ComputerName = 'x')", "automate", "Computers", [("CWQ201", 1, 4, "ComputerName != 'x'")]),
    ("Name like 'ACME%'", "seed", None, [("CWQ201", 6, 10, "Name startswith 'ACME'")]),
    ("Name like '%01'", "seed", None, [("CWQ201", 6, 10, "Name endswith '01'")]),
    ("Name like '%DC%'", "seed", None, [("CWQ201", 6, 10, "Name contains 'DC'")]),
    ("Name like 'DC01'", "seed", None, [("CWQ201", 6, 10, "Name = 'DC01'")]),
    ("Name like 'A_C%'", "seed", None, [("CWQ201", 6, 10, None)]),
    ("Name not like 'ACME%'", "seed", None, [("CWQ201", 6, 14, "not (Name startswith 'ACME')")]),
    ("Name not like 'DC01'", "seed", None, [("CWQ201", 6, 14, "Name != 'DC01'")]),
    ("Name not contains 'x'", "seed", None, [("CWQ201", 6, 18, "not (Name contains 'x')")]),
    ("ClientID not in (1, 2)", "seed", None, [("CWQ201", 10, 16, "not (ClientID in (1, 2))")]),
    ("Status eq 'Online'", "seed", None, [("CWQ201", 8, 10, "Status = 'Online'")]),
    ('Status = "Online"', "seed", None, [("CWQ201", 10, 18, "Status = 'Online'")]),
    ("LastContact >= 2024-02-14", "seed", None, [("CWQ201", 16, 26, "LastContact >= '2024-02-14'")]),
    ("Name startswith 'ACME' and not (Status = 'Offline')", "seed", None, []),
    ("ComputerName like 'ACME%' and Status not in (\"Offline\") and Id eq 5", "automate", "Computers", []),
]

QUOTED_DATE: list[Row] = [
    ("LastHeartbeat >= '2024-02-14'", "automate", "Computers", [("CWQ202", 18, 30, "LastHeartbeat >= 2024-02-14")]),
    (
        "LastHeartbeat >= '2024-02-14 10:00:00'",
        "automate",
        "Computers",
        [("CWQ202", 18, 39, "LastHeartbeat >= 2024-02-14T10:00:00")],
    ),
    ("LastHeartbeat >= 2024-02-14T10:00:00Z", "automate", "Computers", []),
    ("LastContact >= '2024-02-14'", "seed", None, []),
    ("Comment = '2024-02-14'", "automate", "Computers", []),
]

ROWS = SYNTAX + UNKNOWN_FIELD + TYPE_MISMATCH + UNKNOWN_VALUE + UNSUPPORTED + QUOTED_DATE


def _shape(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int, str | None]]:
    return [(d.code, d.column, d.end_column, d.fix) for d in diagnostics]


@pytest.mark.parametrize(("condition", "dialect", "endpoint", "expected"), ROWS)
def test_rule(condition: str, dialect: str, endpoint: str | None, expected: list[Expected]) -> None:
    assert _shape(lint(condition, dialect=dialect, endpoint=endpoint)) == expected


@pytest.mark.parametrize(("condition", "dialect", "endpoint", "expected"), ROWS)
def test_every_offered_fix_parses_and_is_clean_of_its_rule(
    condition: str, dialect: str, endpoint: str | None, expected: list[Expected]
) -> None:
    for d in lint(condition, dialect=dialect, endpoint=endpoint):
        if d.fix is None:
            continue
        parse(d.fix)
        after = [x.code for x in lint(d.fix, dialect=dialect, endpoint=endpoint)]
        before = [x.code for x in lint(condition, dialect=dialect, endpoint=endpoint)]
        assert after.count(d.code) < before.count(d.code)


def test_seed_booleans_have_no_fix() -> None:
    found = lint("Flag = true", dialect="seed", schema={"endpoints": {"Things": {"Flag": "boolean"}}})
    assert _shape(found) == [("CWQ201", 8, 12, None)]


def test_url_too_long_fires_over_the_budget_only() -> None:
    condition = "Name in (" + ", ".join(f"'computer-{n:04d}'" for n in range(20)) + ")"
    assert lint(condition) == []
    found = lint(condition, url_budget=100)
    assert [(d.code, d.severity, d.column, d.end_column, d.fix) for d in found] == [
        ("CWQ301", "warning", 1, len(condition) + 1, None)
    ]
    assert "over the budget of 100" in found[0].message


def test_positions_on_later_lines() -> None:
    found = lint("Status = 'Online'\n  and TotalMemry > 5", endpoint="Computers")
    assert [(d.code, d.line, d.column, d.end_line, d.end_column) for d in found] == [("CWQ102", 2, 7, 2, 17)]
    assert found[0].fix == "Status = 'Online'\n  and TotalMemory > 5"


def test_select_and_ignore() -> None:
    condition = "status = 'Onlien' and Name like 'x%'"
    assert {d.code for d in lint(condition, dialect="seed")} == {"CWQ102", "CWQ201"}
    assert [d.name for d in lint(condition, dialect="seed", select=["unsupported-in-dialect"])] == [
        "unsupported-in-dialect"
    ]
    assert [d.code for d in lint(condition, dialect="seed", ignore=["CWQ201"])] == ["CWQ102"]
    with pytest.raises(ValueError, match="unknown rule 'nope'"):
        lint(condition, ignore=["nope"])


def test_bad_dialect_and_endpoint() -> None:
    from cwa_query import SchemaError

    with pytest.raises(ValueError, match="unknown dialect"):
        lint("a = 1", dialect="sql")
    with pytest.raises(SchemaError, match="no endpoint 'Computrs'"):
        lint("a = 1", endpoint="Computrs")


def test_user_schema_drives_the_rules() -> None:
    fields = {"Size": "integer", "Colour": {"type": "string", "values": ["red"]}}
    schema = {"endpoints": {"Widgets": {"fields": fields}}}
    found = lint("Size = 'big' and Colour = 'blue' and Weight = 1", schema=schema, endpoint="Widgets")
    assert [d.code for d in found] == ["CWQ103", "CWQ104", "CWQ102"]


# ----------------------------------------------------------------------------- the registry


def test_registry_codes_and_names_are_unique_and_stable() -> None:
    infos = list_rules()
    assert [(i.code, i.name, i.severity) for i in infos] == [
        ("CWQ101", "syntax-error", "error"),
        ("CWQ102", "unknown-field", "error"),
        ("CWQ103", "type-mismatch", "error"),
        ("CWQ104", "unknown-value", "warning"),
        ("CWQ201", "unsupported-in-dialect", "error"),
        ("CWQ202", "quoted-date", "error"),
        ("CWQ203", "unknown-meaning", "warning"),
        ("CWQ204", "parameter-shape", "warning"),
        ("CWQ301", "url-too-long", "warning"),
    ]
    assert all(i.summary and len(i.description) > 40 for i in infos)


@pytest.mark.parametrize("info", list_rules(), ids=lambda info: info.name)
def test_each_rule_example_fires_with_its_fix(info: object) -> None:
    from cwa_query.linter import RuleInfo

    assert isinstance(info, RuleInfo)
    example = info.example
    found = lint(example.condition, dialect=example.dialect, endpoint=example.endpoint, parameter=example.parameter)
    found = [d for d in found if d.code == info.code]
    assert found, f"{info.name}: its example does not fire"
    assert found[0].fix == example.fix


def test_register_refuses_clashes() -> None:
    from cwa_query.linter import Example, Rule, register

    class Clash(Rule):
        code = "CWQ101"
        name = "another-name"
        severity = "error"
        summary = "clash"
        example = Example("a = 1", None)

    with pytest.raises(ValueError, match="clashes with CWQ101 syntax-error"):
        register(Clash)
    Clash.code, Clash.name = "XYZ", "Bad_Name"
    with pytest.raises(ValueError, match="bad rule code or name"):
        register(Clash)


@pytest.mark.slow  # a suggestion over the catalogue per unknown field; test_long_inputs checks the bound quickly
def test_fixes_checked_per_condition_are_bounded() -> None:
    from cwa_query.linter import MAX_CHECKED_FIXES

    condition = " and ".join(f"TotalMemoryX{n} = 1" for n in range(MAX_CHECKED_FIXES + 8))
    found = lint(condition, endpoint="Computers")
    assert [d.code for d in found] == ["CWQ102"] * (MAX_CHECKED_FIXES + 8)
    assert sum(d.fix is not None for d in found) == MAX_CHECKED_FIXES


def test_an_unknown_field_that_another_dialect_knows_says_so() -> None:
    # the seed document's `Name` is the real server's `ComputerName`: a condition typed for the
    # seed API, linted for the real server (the default), says which dialect would accept it
    [finding] = lint("Name = 'x'", endpoint="Computers")
    assert finding.code == "CWQ102"
    assert "the seed dialect's catalogue knows 'Name'" in finding.message
    [finding] = lint("ComputerName = 'x'", dialect="seed", endpoint="Computers")
    assert "the automate dialect's catalogue knows 'ComputerName'" in finding.message
    # no other catalogue knows it, or the schema is the user's own: nothing to add
    assert "catalogue knows" not in lint("Nmae = 'x'", endpoint="Computers")[0].message
    own = {"endpoints": {"Computers": {"Id": "integer"}}}
    assert "catalogue knows" not in lint("Name = 'x'", endpoint="Computers", schema=own)[0].message


def test_url_too_long_measures_what_the_client_measures() -> None:
    # issue 20: the linter's budget speaks of the query string a list request sends, as the client's does
    from cwa_query import encode, parse
    from cwa_query._query_budget import IIS_MAX_QUERY_STRING, query_string_size
    from cwa_query.client._split import split_condition

    condition = "Id in (" + ", ".join(str(n) for n in range(1, 400)) + ")"
    size = query_string_size(encode(condition, "automate"))
    assert [d.code for d in lint(condition, dialect="automate", url_budget=size)] == []
    assert [d.code for d in lint(condition, dialect="automate", url_budget=size - 1)] == ["CWQ301"]
    assert f"is {size:,} bytes" in lint(condition, dialect="automate", url_budget=size - 1)[0].message
    assert split_condition(parse(condition), "automate", budget=size) is None
    assert split_condition(parse(condition), "automate", budget=size - 1) is not None
    assert size > IIS_MAX_QUERY_STRING and [d.code for d in lint(condition, dialect="automate")] == ["CWQ301"]
