"""Output formats: text, json, github, sarif."""

from __future__ import annotations

import json

from cwa_query import Diagnostic, lint
from cwa_query.linter import list_rules
from cwa_query.linter.formats import FORMATS, format_github, format_json, format_sarif, format_text

BROKEN = "Status == 'Online'"
WARNED = "Status = 'Onlien'"
CLEAN = "Status = 'Online'"


def linted(*conditions: str) -> list[tuple[str, list[Diagnostic]]]:
    return [(c, lint(c, dialect="seed", endpoint="Computers")) for c in conditions]


def test_text_shows_where_what_and_the_fix() -> None:
    out = format_text(linted(CLEAN, BROKEN, WARNED))
    assert out.splitlines() == [
        "#1:1:9: CWQ101 [syntax-error] error: unexpected '='; expected a value (hint: the condition language "
        "compares with a single '=': write `Status = 'Online'`)",
        "  Status == 'Online'",
        "          ^",
        "  fix: Status = 'Online'",
        "#2:1:10: CWQ104 [unknown-value] warning: 'Onlien' is not a known value of Status (Online, Offline, "
        "Unknown); did you mean 'Online'?",
        "  Status = 'Onlien'",
        "           ^^^^^^^^",
        "  fix: Status = 'Online'",
        "1 error, 1 warning in 3 conditions",
    ]


def test_text_is_empty_when_clean() -> None:
    assert format_text(linted(CLEAN)) == ""


def test_text_marks_a_range_that_ends_on_a_later_line() -> None:
    out = format_text(linted("(Status = 'Online'\n"))
    assert "#0:2:1: CWQ101" in out


def test_json_rows() -> None:
    rows = json.loads(format_json(linted(CLEAN, BROKEN, WARNED)))
    assert [row["input"] for row in rows] == [1, 2]
    assert all(
        list(row) == ["input", "code", "name", "message", "severity", "line", "column", "end_line", "end_column", "fix"]
        for row in rows
    )
    assert rows[0] | {"message": ""} == {
        "input": 1,
        "code": "CWQ101",
        "name": "syntax-error",
        "message": "",
        "severity": "error",
        "line": 1,
        "column": 9,
        "end_line": 1,
        "end_column": 10,
        "fix": "Status = 'Online'",
    }
    assert json.loads(format_json(linted(CLEAN))) == []


def test_github_workflow_commands() -> None:
    out = format_github(linted(BROKEN)).splitlines()
    assert out == [
        "::error line=1,col=9,endLine=1,endColumn=10,title=CWQ101 syntax-error::unexpected '='; expected a value "
        "(hint: the condition language compares with a single '=': write `Status = 'Online'`)%0Afix: Status = 'Online'"
    ]
    several = format_github(linted(BROKEN, WARNED)).splitlines()
    assert several[0].split("::")[2].startswith("#0: ")
    assert several[1].startswith("::warning line=1,col=10,endLine=1,endColumn=18,title=CWQ104 unknown-value::#1: ")


def test_github_escaping() -> None:
    odd = Diagnostic("CWQ999", "a,b:c", "50% done,\r\nnext: x", "warning", 1, 2, 3, 4)
    assert format_github([("x", [odd])]) == (
        "::warning line=1,col=2,endLine=3,endColumn=4,title=CWQ999 a%2Cb%3Ac::50%25 done,%0D%0Anext: x"
    )


def test_sarif_structure() -> None:
    log = json.loads(format_sarif(linted(CLEAN, BROKEN, WARNED)))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "cwa-query"
    assert [rule["id"] for rule in rules] == [info.code for info in list_rules()]
    assert all(rule["shortDescription"]["text"] and rule["defaultConfiguration"]["level"] for rule in rules)
    assert [a["contents"]["text"] for a in run["artifacts"]] == [CLEAN, BROKEN, WARNED]
    first, second = run["results"]
    assert (first["ruleId"], first["level"], rules[first["ruleIndex"]]["id"]) == ("CWQ101", "error", "CWQ101")
    assert first["message"]["text"].startswith("unexpected '='")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["index"] == 1
    assert location["region"] == {"startLine": 1, "startColumn": 9, "endLine": 1, "endColumn": 10}
    (replacement,) = first["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacement == {
        "deletedRegion": {"charOffset": 0, "charLength": len(BROKEN)},
        "insertedContent": {"text": "Status = 'Online'"},
    }
    assert (second["ruleId"], second["level"]) == ("CWQ104", "warning")


def test_sarif_without_findings_still_lists_the_rules() -> None:
    log = json.loads(format_sarif(linted(CLEAN)))
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(list_rules())


def test_formats_by_name() -> None:
    assert set(FORMATS) == {"text", "json", "github", "sarif"}
