"""The tools' logic, called directly (no protocol): each tool's result and its refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cwa_query import evaluate, parse
from cwa_query.dialects import dialect_names
from cwa_query.mcp_server._resources import dialect_guide
from cwa_query.mcp_server._tools import (
    MAX_FILTER_NODES,
    ToolInputError,
    build_condition,
    explain_condition,
    lint_condition,
    list_fields,
    translate_condition,
    tree_json,
)

# ------------------------------------------------------------------------- build


@pytest.mark.parametrize(
    ("spec", "dialect", "endpoint", "expected"),
    [
        ({"field": "Status", "op": "eq", "value": "Online"}, "automate", None, "Status = 'Online'"),
        (
            {"field": "ComputerName", "op": "startswith", "value": "SRV_"},
            "automate",
            None,
            "ComputerName like 'SRV\\_%'",
        ),
        ({"field": "ComputerName", "op": "startswith", "value": "SRV"}, "seed", None, "ComputerName startswith 'SRV'"),
        ({"field": "Client/Id", "op": "in", "value": [1, 2]}, "automate", None, "Client.Id in (1, 2)"),
        ({"field": "Client.Id", "op": "eq", "value": 5}, "manage", None, "Client/Id = 5"),
        ({"field": "Name", "op": "eq", "value": "O'Brien"}, "automate", None, 'Name = "O\'Brien"'),
        ({"field": "Name", "op": "eq", "value": "O'Brien"}, "seed", None, "Name = 'O''Brien'"),
        # a structural value stays a value: nothing the value holds changes the condition's shape
        ({"field": "Name", "op": "eq", "value": "x' or 1=1 or Name='"}, "seed", None, "Name = 'x'' or 1=1 or Name='''"),
        (
            {"field": "RemoteAgentLastContact", "op": "ge", "value": "2024-02-14"},
            "automate",
            "Computers",
            "RemoteAgentLastContact >= 2024-02-14",
        ),
        (
            {
                "all": [
                    {"field": "a", "op": "gt", "value": 1},
                    {"any": [{"field": "b", "op": "le", "value": 2.5}, {"field": "c", "op": "ne", "value": True}]},
                ]
            },
            "automate",
            None,
            "a > 1 and (b <= 2.5 or c != true)",
        ),
        ({"not": {"field": "Name", "op": "like", "value": "T%"}}, "automate", None, "Name not like 'T%'"),
    ],
)
def test_build_writes_the_dialects_text(
    spec: dict[str, Any], dialect: str, endpoint: str | None, expected: str
) -> None:
    structured, text = build_condition(spec, dialect, endpoint)
    assert structured["condition"] == expected
    assert text.startswith(expected)


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("x", "a filter is a JSON object, not text"),
        ({}, "missing field, op, value"),
        ({"all": []}, "filter.all: a non-empty list"),
        ({"field": "a", "op": "==", "value": 1}, "filter.op: '==' is not one of eq"),
        ({"field": "a", "op": "eq", "value": None}, "null has no spelling"),
        ({"field": "a", "op": "in", "value": 1}, "op in takes a non-empty list"),
        ({"field": "a", "op": "eq", "value": 1, "extra": 2}, "unexpected key 'extra'"),
        ({"all": [{"field": "a", "op": "eq", "value": {"x": 1}}]}, "filter.all[0].value: a value is a string"),
        ({"field": "", "op": "eq", "value": 1}, "filter.field: a field path"),
        ({"field": "a", "op": "like", "value": 5}, "op like takes text"),
    ],
)
def test_build_refuses_bad_filters_saying_where(spec: Any, words: str) -> None:
    with pytest.raises(ToolInputError, match=None) as caught:
        build_condition(spec, "automate")
    assert words in str(caught.value)


def test_build_bounds_the_filters_size_and_depth() -> None:
    wide = {"any": [{"field": "a", "op": "eq", "value": i} for i in range(MAX_FILTER_NODES + 1)]}
    with pytest.raises(ToolInputError, match="more than"):
        build_condition(wide, "automate")
    deep: dict[str, Any] = {"field": "a", "op": "eq", "value": 1}
    for _ in range(200):
        deep = {"not": deep}
    with pytest.raises(ToolInputError, match="nests deeper"):
        build_condition(deep, "seed")


def test_build_quotes_a_date_on_a_datetime_field_only_where_the_dialect_does() -> None:
    spec = {"field": "RemoteAgentLastContact", "op": "lt", "value": "2024-02-14T10:00:00Z"}
    assert build_condition(spec, "automate", "Computers")[0]["condition"] == (
        "RemoteAgentLastContact < 2024-02-14T10:00:00Z"
    )
    with pytest.raises(ToolInputError, match="not an ISO-8601 date"):
        build_condition({**spec, "value": "yesterday"}, "automate", "Computers")


# ------------------------------------------------------------------------- lint


def test_lint_gives_findings_with_positions_and_the_fixed_text() -> None:
    structured, text = lint_condition("ComputerNme == 'x'", "automate", "Computers")
    assert structured["fixed"] == "ComputerName = 'x'"
    first = structured["findings"][0]
    assert first["code"] == "CWQ101"
    assert first["position"] == {"line": 1, "column": 14, "end_line": 1, "end_column": 15}
    assert "CWQ101" in text and "ComputerName = 'x'" in text


def test_lint_fixed_is_null_when_an_error_has_no_fix() -> None:
    structured, text = lint_condition("Status = ", "automate", "Computers")
    assert structured["fixed"] is None
    assert structured["findings"][0]["severity"] == "error"
    assert "rewrite" in text


def test_lint_of_a_clean_condition_gives_it_back() -> None:
    assert lint_condition("Status = 'Online'", "automate", "Computers")[0] == {
        "findings": [],
        "fixed": "Status = 'Online'",
    }


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: lint_condition("a = 1", "mysql"), "dialects: seed, automate"),
        (lambda: lint_condition("a = 1", "automate", "Computrs"), "did you mean 'Computers'"),
        (lambda: lint_condition("a = 1" * 5000, "automate"), "the tools read at most"),
    ],
)
def test_lint_refuses_bad_arguments_in_words(call: Any, words: str) -> None:
    with pytest.raises(ToolInputError) as caught:
        call()
    assert words in str(caught.value)


# ------------------------------------------------------------------------- translate


def test_translate_gives_the_target_text_and_warnings() -> None:
    structured, _ = translate_condition("Client/Id eq 5 or Client/Id eq '5'", "odata", "automate", "Computers")
    assert structured == {"text": "Client.Id = 5", "warnings": []}
    structured, text = translate_condition("not (Ports < 10)", "seed", "automate")
    assert structured["text"] == "Ports >= 10"
    assert structured["warnings"] and "exact only if" in structured["warnings"][0]
    assert "warning:" in text


def test_translate_refusals_are_in_words() -> None:
    with pytest.raises(ToolInputError, match="lambda operators"):
        translate_condition("OpenPortsTCP/any(p: p eq 3389)", "odata", "automate", "Computers")


# ------------------------------------------------------------------------- explain


def test_explain_says_fields_operators_text_and_lists() -> None:
    structured, text = explain_condition("OpenPortsTCP contains 3389 and ComputerName like 'SRV%'", "automate")
    assert text == structured["text"]
    assert "OpenPortsTCP: a list of integer" in text
    assert "ComputerName matches the pattern 'SRV%'" in text
    assert "case of ASCII letters" in text
    assert "test membership" in text
    assert structured["tree"]["type"] == "And"
    assert json.loads(json.dumps(structured["tree"])) == structured["tree"]


def test_explain_suggests_a_near_field() -> None:
    _, text = explain_condition("ComputerNme = 'x'", "automate")
    assert "did you mean ComputerName" in text


def test_the_tree_is_serialised_from_the_node_classes_fields() -> None:
    tree = parse("Name in ('a', 'b') and not (x >= 2024-02-14) or y = 0.5")
    data = tree_json(tree)
    assert data["type"] == "Or"
    assert "span" not in json.dumps(data)
    flat = json.dumps(data)
    for piece in ('"type": "InList"', '"type": "Not"', '"2024-02-14"', '"0.5"', '">="'):
        assert piece in flat


# ------------------------------------------------------------------------- fields


def test_fields_spelled_as_the_dialect_writes_paths() -> None:
    structured, _ = list_fields("Computers", "odata", "client.id")
    paths = [row["path"] for row in structured["fields"]]
    assert "Client/Id" in paths
    assert all(row["type"] == "id" for row in structured["fields"])
    automate, _ = list_fields("computers", None, "Client.Id")
    assert "Client.Id" in [row["path"] for row in automate["fields"]]
    assert automate["dialect"] == "automate"


def test_fields_suggest_the_nearest_for_a_near_miss() -> None:
    structured, text = list_fields("Computers", "automate", "ComputerNmae")
    assert structured["did_you_mean"] == "ComputerName"
    assert [row["path"] for row in structured["fields"]] == ["ComputerName"]
    assert "did you mean ComputerName" in text


def test_fields_refuse_an_unknown_endpoint_with_the_nearest() -> None:
    with pytest.raises(ToolInputError, match="did you mean 'Computers'"):
        list_fields("Computer")


# ------------------------------------------------------------------------- resources


@pytest.mark.parametrize("name", dialect_names())
def test_each_dialect_guide_is_generated_from_the_dialect(name: str) -> None:
    guide = dialect_guide(name)
    assert guide.startswith(f"# The `{name}` dialect")
    for section in ("## Operators and constructs", "## Quoting and literals", "## What the real Automate server"):
        assert section in guide
    examples = [line for line in guide.split("## Ten examples")[1].splitlines() if line[:1].isdigit()]
    assert len(examples) == 10


def test_the_automate_guides_examples_are_what_the_real_server_reads() -> None:
    guide = dialect_guide("automate")
    examples = [line for line in guide.split("## Ten examples")[1].splitlines() if line[:1].isdigit()]
    assert len(examples) == 10
    for line in examples:
        text = line.split("`")[1]
        parse(text, dialect="automate")  # the real server's grammar reads each
    assert "ComputerName not like 'TEST%'" in guide


def test_the_odata_guide_says_the_real_server_refuses_its_paths() -> None:
    guide = dialect_guide("odata")
    assert "paths written `Client/Id`" in guide
    assert "the real server refuses this as written" in guide


def test_explain_and_evaluate_agree_on_a_list_field() -> None:
    # the words say "some element"; the evaluator is the meaning
    assert evaluate("Ports >= 10", {"Ports": [5, 20]}) is True
    assert "holds when some element does" in explain_condition("OpenPortsTCP >= 10", "automate")[1]


def test_explain_says_what_odata_means_by_its_words() -> None:
    structured, text = explain_condition("OpenPortsTCP/any(p: p eq 3389) and startswith(ComputerName,'SRV')", "odata")
    assert "case matters" in text
    assert "missing value is false" in text
    assert "p:" not in text.split("Fields:")[1].split("\n")[1]  # the lambda's variable is no field
    assert "- OpenPortsTCP: a list of integer" in text
    assert "Expression" in json.dumps(structured["tree"])


def test_explain_of_manage_spells_its_paths() -> None:
    _, text = explain_condition("board/id = 5 and closedDate = null", "manage")
    assert "board/id equals 5" in text


def test_fields_without_a_dialect_find_the_catalogue_that_knows_the_endpoint() -> None:
    structured, _ = list_fields("service/tickets", None, "board")
    assert structured["dialect"] == "manage"
    assert "board/id" in [row["path"] for row in structured["fields"]]
    with pytest.raises(ToolInputError, match="no endpoint"):
        list_fields("nowhere/at/all")


def test_the_tree_serialiser_reads_any_node_class_generically() -> None:
    import dataclasses

    @dataclasses.dataclass(frozen=True)
    class Pair:
        left: object
        right: object
        span: object = dataclasses.field(default=None, compare=False)

    class Slotted:
        __slots__ = ("kind", "span")
        __match_args__ = ("kind",)

        def __init__(self, kind: str) -> None:
            self.kind = kind
            self.span = (0, 1)

    class Bare:
        __slots__ = ("a", "span")

        def __init__(self) -> None:
            self.a = 1
            self.span = (0, 1)

    assert tree_json(Pair(Slotted("x"), [Bare()], span=(1, 2))) == {
        "type": "Pair",
        "left": {"type": "Slotted", "kind": "x"},
        "right": [{"type": "Bare", "a": 1}],
    }
