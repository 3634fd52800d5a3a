"""The session docs/mcp.md shows is what the server answers: each call replayed, each line shown found."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.server.mcpserver.exceptions import ToolError

from cwa_query.mcp_server import Reach, build_server

PAGE = Path(__file__).resolve().parents[2] / "docs" / "mcp.md"


def _session() -> list[tuple[str, dict[str, Any], list[str]]]:
    """(tool, arguments, the answer's logical lines) for each `-->` of the page's session."""
    text = PAGE.read_text(encoding="utf-8").split("## A session", 1)[1]
    block = re.search(r"```text\n(.*?)```", text, re.S)
    assert block is not None
    calls = []
    for chunk in block.group(1).split("\n\n"):
        call, _, answer = chunk.partition("\n<-- ")
        name, _, arguments = call.removeprefix("--> ").partition(" ")
        lines: list[str] = []
        for line in ("    " + answer).splitlines():
            if line.startswith("      "):  # a wrapped line goes on the one before
                lines[-1] += " " + line.strip()
            elif line.strip():
                lines.append(line.strip())
        calls.append((name, json.loads(" ".join(arguments.split())), lines))
    return calls


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("name", "arguments", "lines"), _session(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_documented_session_is_what_the_server_answers(
    name: str, arguments: dict[str, Any], lines: list[str]
) -> None:
    reach = Reach()
    server = build_server(reach)

    async def call() -> str:
        try:
            result = await server.call_tool(name, arguments)
        except ToolError as refused:
            return "error: " + str(refused).removeprefix(f"Error executing tool {name}: ")
        return "\n".join(block.text for block in result.content)  # type: ignore[union-attr]

    try:
        answer = _flat(anyio.run(call))
    finally:
        reach.close()
    for line in lines:
        for piece in _flat(line).split(" ..."):  # `...`: a part left out
            assert piece.strip() in answer, (piece, answer)
