"""`cwa-query mcp` as an agent meets it: a subprocess over stdio, driven by the SDK's own client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp.client.session import ClientSession

from .conftest import stdio_session

pytestmark = pytest.mark.anyio

TOOLS = {"lint", "translate", "explain", "fields", "build", "fetch"}


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"  # module-wide, so that one server serves the module's tests


@pytest.fixture(scope="module")
async def session() -> AsyncIterator[ClientSession]:
    """One `cwa-query mcp` over stdio for the module's tests: its tools hold no state between calls."""
    async with stdio_session() as running:
        yield running


def _text(result: Any) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", "") == "text")


async def test_lists_tools_with_schemas_and_resources_per_dialect(session: ClientSession) -> None:
    tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description and len(tool.description) > 60
        assert tool.input_schema["type"] == "object"
        assert tool.output_schema is not None, tool.name
        assert tool.annotations is not None and tool.annotations.read_only_hint
    assert tools["lint"].input_schema["required"] == ["condition"]
    assert set(tools["fetch"].input_schema["properties"]) == {"endpoint", "condition", "fields", "limit"}
    assert '"maximum": 100' in json.dumps(tools["fetch"].input_schema["properties"]["limit"])
    ops = tools["build"].input_schema["$defs"]["filter"]["oneOf"][3]["properties"]["op"]["enum"]
    assert "startswith" in ops and "in" in ops
    resources = (await session.list_resources()).resources
    uris = sorted(str(r.uri) for r in resources)
    assert uris == sorted(f"cwa-query://dialects/{n}" for n in ("seed", "automate", "manage", "odata"))
    read = await session.read_resource("cwa-query://dialects/automate")
    text = read.contents[0].text  # type: ignore[union-attr]
    assert "## Ten examples" in text and "ComputerName like 'SRV%'" in text


async def test_each_tool_answers_with_structure_and_text(session: ClientSession) -> None:
    calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        (
            "lint",
            {"condition": "Name startswith 'SRV'", "dialect": "automate", "endpoint": "Computers"},
            {"fixed": "ComputerName like 'SRV%'"},
        ),
        (
            "translate",
            {
                "condition": "Client/Id eq 5 or Client/Id eq '5'",
                "source": "odata",
                "target": "automate",
                "endpoint": "Computers",
            },
            {"text": "Client.Id = 5", "warnings": []},
        ),
        (
            "build",
            {"filter": {"field": "ComputerName", "op": "endswith", "value": "-DC"}},
            {"condition": "ComputerName like '%-DC'", "warnings": []},
        ),
    ]
    for name, arguments, expected in calls:
        result = await session.call_tool(name, arguments)
        assert not result.is_error, _text(result)
        assert result.structured_content is not None
        for key, value in expected.items():
            assert result.structured_content[key] == value, (name, result.structured_content)
        assert _text(result)
    explained = await session.call_tool("explain", {"condition": "OpenPortsTCP contains 3389"})
    assert explained.structured_content is not None
    assert explained.structured_content["tree"]["type"] == "Compare"
    assert "membership" in _text(explained)
    fields = await session.call_tool("fields", {"endpoint": "Computers", "dialect": "odata", "search": "Client/Id"})
    assert fields.structured_content is not None
    assert "Client/Id" in [row["path"] for row in fields.structured_content["fields"]]
    fetched = await session.call_tool(
        "fetch",
        {
            "endpoint": "Computers",
            "condition": "ComputerName like 'ACME%'",
            "fields": ["Id", "ComputerName"],
            "limit": 5,
        },
    )
    assert not fetched.is_error, _text(fetched)
    records = fetched.structured_content["records"]  # type: ignore[index]
    assert fetched.structured_content["count"] == len(records) == 5  # type: ignore[index]
    assert all(set(r) == {"Id", "ComputerName"} and r["ComputerName"].startswith("ACME") for r in records)


MALFORMED: list[tuple[str, Any, str]] = [
    ("lint", {}, "condition"),
    ("lint", {"condition": 5}, "condition"),
    ("lint", {"condition": "a = 1", "endpoint": "Computrs"}, "did you mean 'Computers'"),
    ("lint", {"condition": "a = 1", "dialect": "sql"}, "unknown dialect"),
    ("translate", {"condition": "a = 1", "source": "seed", "target": "nope"}, "unknown dialect"),
    ("translate", {"condition": "OpenPortsTCP/any(p: p eq 1)", "source": "odata", "target": "automate"}, "lambda"),
    ("explain", {"condition": "(((a = 1"}, "expected"),
    ("explain", {"condition": "x" * 30_000}, "20000"),
    ("fields", {"endpoint": "Computrs"}, "did you mean 'Computers'"),
    ("build", {"filter": "Status = 'Online'"}, "dictionary"),
    ("build", {"filter": {"field": "a", "op": "==", "value": 1}}, "is not one of"),
    ("build", {"filter": {"any": [{"not": []}]}}, "filter.any[0].not: a filter is a JSON object"),
    ("fetch", {"endpoint": "Computers", "condition": "Name startswith 'x'"}, "has no `startswith`"),
    ("fetch", {"endpoint": "Computers", "condition": "ComputerNme = 'x'"}, "did you mean 'ComputerName'"),
    ("fetch", {"endpoint": "Computers", "limit": 10_000}, "less than or equal to 100"),
    ("fetch", {"endpoint": "Computers", "fields": ["Nope"]}, "has no field 'Nope'"),
    ("fetch", {"endpoint": "../../etc/passwd"}, "not an API path"),
    ("fetch", {"endpoint": "Computrs"}, "404"),
    ("nonesuch", {}, "Unknown tool"),
]


async def test_malformed_arguments_are_tool_errors_and_the_server_keeps_answering(session: ClientSession) -> None:
    for name, arguments, words in MALFORMED:
        result = await session.call_tool(name, arguments)
        assert result.is_error, (name, arguments)
        assert words.lower() in _text(result).lower(), (name, _text(result))
        # still answering, and correctly
        again = await session.call_tool("build", {"filter": {"field": "a", "op": "eq", "value": 1}})
        assert again.structured_content == {"condition": "a = 1", "warnings": []}


async def test_structured_content_is_json_the_output_schema_describes(session: ClientSession) -> None:
    tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    result = await session.call_tool(
        "lint", {"condition": "ComputerNme == 'x' && Status = 'Online'", "endpoint": "Computers"}
    )
    data = result.structured_content
    assert data is not None
    schema = tools["lint"].output_schema
    assert schema is not None and set(schema["properties"]) == {"findings", "fixed"}
    finding = data["findings"][0]
    assert set(finding) == {"code", "name", "severity", "message", "position", "fix"}
    assert json.loads(json.dumps(data)) == data


@pytest.mark.slow  # a server process of its own (the tests above share one)
def test_garbage_on_the_wire_does_not_stop_the_server() -> None:
    """Lines that are no JSON-RPC (text, bad UTF-8, a list, a bare object) are passed over."""
    import subprocess

    from .conftest import server_command

    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
    }
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "build", "arguments": {"filter": {"field": "a", "op": "eq", "value": 1}}},
    }
    lines = [
        b"garbage, not JSON\n",
        b"\xff\xfe\x00\n",
        b"[1, 2, 3]\n",
        b'{"jsonrpc": "2.0"}\n',
        b'{"jsonrpc": "2.0", "id": 7, "method": "no/such"}\n',
        json.dumps(initialize).encode() + b"\n",
        b'{"jsonrpc": "2.0", "method": "notifications/initialized"}\n',
        json.dumps(call).encode() + b"\n",
    ]
    process = subprocess.Popen(
        server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(b"".join(lines))
    process.stdin.flush()
    by_id: dict[Any, Any] = {}
    try:
        while 2 not in by_id:  # the answers, until the tool call's (stdin stays open till then)
            line = process.stdout.readline()
            assert line, f"the server stopped; answers so far: {by_id}"
            answer = json.loads(line)
            by_id[answer.get("id")] = answer
    finally:
        process.stdin.close()
        returncode = process.wait(timeout=30)
    assert by_id[7]["error"]["code"] == -32601
    assert by_id[1]["result"]["serverInfo"]["name"] == "cwa-query"
    assert by_id[2]["result"]["structuredContent"] == {"condition": "a = 1", "warnings": []}
    assert returncode == 0
