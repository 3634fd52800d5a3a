"""Conditions as agents write them for the real Automate server, through `lint`, then to the strict sandbox.

Each mistake is what a writer of another dialect puts down: the seed document's
`startswith`, prefix `not (...)`, quoted dates and field names; OData's `eq`/`ne`/`ge` and
`/` paths; double quotes, `==`, `&&`, misspelled fields. The `lint` tool (dialect automate,
over stdio) gives `fixed`; the automate sandbox, which refuses what the real server refuses,
answers the fixed text with 200 and exactly the records of the condition that was meant.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cwa_query import ApiError, Client
from cwa_query.sandbox import Sandbox

from .conftest import stdio_session

# (what the agent wrote, what it meant, written as the real server reads it)
MISTAKES: list[tuple[str, str]] = [
    ("ComputerName startswith 'ACME'", "ComputerName like 'ACME%'"),
    ("ComputerName endswith '0004'", "ComputerName like '%0004'"),
    ("not (ComputerName like 'ACME%')", "ComputerName not like 'ACME%'"),
    ("not (Status = 'Online')", "Status != 'Online'"),
    ("RemoteAgentLastContact >= '2024-02-07'", "RemoteAgentLastContact >= 2024-02-07"),
    ("Client/Id eq 1", "Client.Id = 1"),
    ("Client/Id eq 2 and Status ne 'Offline'", "Client.Id = 2 and Status != 'Offline'"),
    ("FreeMemory ge 2048", "FreeMemory >= 2048"),
    ('ComputerName = "ACME-WS0004"', "ComputerName = 'ACME-WS0004'"),
    ("Status == 'Online'", "Status = 'Online'"),
    ("Status = 'Online' && Client.Id = 3", "Status = 'Online' and Client.Id = 3"),
    ("Status = 'Offline' || Client.Id = 4", "Status = 'Offline' or Client.Id = 4"),
    ("ComputerNme like '%SRV%'", "ComputerName like '%SRV%'"),
    ("ClientID = 1", "Client.Id = 1"),
    ("Name = 'ACME-WS0004'", "ComputerName = 'ACME-WS0004'"),
    ("LastContact >= '2024-02-07'", "RemoteAgentLastContact >= 2024-02-07"),
    ("not (Name startswith 'ACME') and ClientID == 2", "ComputerName not like 'ACME%' and Client.Id = 2"),
]


@pytest.fixture(scope="module")
def strict_server() -> Iterator[Client]:
    with Sandbox("automate", records=200) as sandbox:
        creds = sandbox.credentials
        with Client(
            sandbox.url,
            username=creds.username,
            password=creds.password,
            client_id=creds.client_id,
            profile="automate",
            validate="off",
        ) as client:
            yield client


def _ids(client: Client, condition: str) -> list[Any]:
    """The ids the server answers `condition` with, sent as written (no linting, no rewriting)."""
    answer = client.get("Computers", params={"condition": condition, "pageSize": 1000})
    return sorted(record["Id"] for record in answer)


@pytest.mark.slow  # a 200-record sandbox and every row linted, fixed and fetched: about 8 s
@pytest.mark.anyio
async def test_lint_fixes_what_agents_write_into_what_the_server_answers(strict_server: Client) -> None:
    fixed: dict[str, str | None] = {}
    async with stdio_session() as session:
        for wrote, _ in MISTAKES:
            result = await session.call_tool(
                "lint", {"condition": wrote, "dialect": "automate", "endpoint": "Computers"}
            )
            assert not result.is_error, result.content
            assert result.structured_content is not None
            fixed[wrote] = result.structured_content["fixed"]
    refused = 0
    for wrote, meant in MISTAKES:
        text = fixed[wrote]
        assert text is not None, wrote
        intended = _ids(strict_server, meant)
        assert intended, f"the sandbox has no record for {meant!r}: pick another example"
        assert _ids(strict_server, text) == intended, (wrote, text)
        try:
            _ids(strict_server, wrote)
        except ApiError:
            refused += 1
    # most of them, as written, the server refuses (400, or 500 for a quoted date)
    assert refused >= len(MISTAKES) - 3
