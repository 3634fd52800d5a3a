"""No credential reaches an agent or a log: recognisable secrets in the environment, searched for everywhere."""

from __future__ import annotations

import tempfile
from typing import Any

import pytest

from cwa_query.sandbox import Sandbox

from .conftest import stdio_session

pytestmark = pytest.mark.anyio

PASSWORD = "pw-SECRET-7c41e9"
CLIENT_ID = "cid-SECRET-5a0b2d"
TWO_FACTOR = "2fa-SECRET-913377"
TOKEN = "tok-SECRET-88d1f0"
SECRETS = (PASSWORD, CLIENT_ID, TWO_FACTOR, TOKEN)


def _env(url: str, password: str) -> dict[str, str]:
    return {
        "CONNECTWISE_AUTOMATE_USERNAME": "agent-integrator",
        "CONNECTWISE_AUTOMATE_PASSWORD": password,
        "CONNECTWISE_AUTOMATE_CLIENT_ID": CLIENT_ID,
        "CONNECTWISE_AUTOMATE_2FA": TWO_FACTOR,
        "CWA_QUERY_MCP_TOKEN": TOKEN,
        "CONNECTWISE_AUTOMATE_SERVER": url,
    }


async def _everything(session: Any) -> list[str]:
    """Every text the server gives: tool list, resources, each tool's answers and errors."""
    seen = [(await session.list_tools()).model_dump_json()]
    for resource in (await session.list_resources()).resources:
        seen.append((await session.read_resource(str(resource.uri))).model_dump_json())
    calls: list[tuple[str, dict[str, Any]]] = [
        ("fetch", {"endpoint": "Computers", "condition": "Status = 'Online'", "limit": 3}),
        ("fetch", {"endpoint": "Computers", "condition": "Name startswith 'x'"}),
        ("fetch", {"endpoint": "Clients", "fields": ["Id", "Name"], "limit": 2}),
        ("fetch", {"endpoint": "APIToken"}),
        ("fetch", {"endpoint": "Computers", "condition": PASSWORD}),
        ("lint", {"condition": "Status = 'Online'", "endpoint": "Computers"}),
        ("explain", {"condition": "Client.Id = 1"}),
        ("fields", {"endpoint": "Computers", "search": "Password"}),
        ("translate", {"condition": "Client.Id = 1", "source": "automate", "target": "odata"}),
        ("build", {"filter": {"field": "a", "op": "eq", "value": 1}}),
    ]
    for name, arguments in calls:
        result = await session.call_tool(name, arguments)
        text = result.model_dump_json()
        if arguments.get("condition") == PASSWORD:
            # the agent's own argument may be quoted back; nothing the server holds may be
            text = text.replace(PASSWORD, "")
        seen.append(text)
    return seen


# each spawns a sandbox and a server: the quick loop signs in here, and is refused by Manage below
@pytest.mark.parametrize(
    "right_password", [True, pytest.param(False, marks=pytest.mark.slow)], ids=["signed-in", "refused"]
)
async def test_no_secret_in_any_output_resource_error_or_log(right_password: bool) -> None:
    with Sandbox(
        "automate", records=20, username="agent-integrator", password=PASSWORD, client_id=CLIENT_ID
    ) as sandbox:
        password = PASSWORD if right_password else PASSWORD + "-wrong"
        with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
            async with stdio_session(
                "--server", sandbox.url, "--profile", "automate", env=_env(sandbox.url, password), errlog=log
            ) as session:
                seen = await _everything(session)
            log.seek(0)
            seen.append(log.read())
    everything = "\n".join(seen)
    fetched = seen[-11]  # the first fetch's answer
    if right_password:
        assert '"count":3' in fetched.replace(" ", ""), fetched
    else:
        assert "401" in fetched or "authenticat" in fetched.lower(), fetched
    for secret in SECRETS:
        assert secret not in everything
    assert (PASSWORD + "-wrong") not in everything


PUBLIC_KEY = "pub-SECRET-0c9a77"
PRIVATE_KEY = "priv-SECRET-e21d3b"


@pytest.mark.parametrize("right_key", [pytest.param(True, marks=pytest.mark.slow), False], ids=["signed-in", "refused"])
async def test_no_manage_key_in_any_output_or_log(right_key: bool) -> None:
    options = {"company": "acme", "public_key": PUBLIC_KEY, "private_key": PRIVATE_KEY, "client_id": CLIENT_ID}
    with Sandbox("manage", records=10, **options) as sandbox:
        env = {
            "CONNECTWISE_MANAGE_COMPANY": "acme",
            "CONNECTWISE_MANAGE_PUBLIC_KEY": PUBLIC_KEY,
            "CONNECTWISE_MANAGE_PRIVATE_KEY": PRIVATE_KEY if right_key else PRIVATE_KEY + "-wrong",
            "CONNECTWISE_MANAGE_CLIENT_ID": CLIENT_ID,
            "CWA_QUERY_MCP_TOKEN": TOKEN,
        }
        with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
            async with stdio_session("--server", sandbox.url, "--profile", "manage", env=env, errlog=log) as session:
                seen = [(await session.list_tools()).model_dump_json()]
                fetched = await session.call_tool(
                    "fetch", {"endpoint": "company/companies", "condition": 'identifier like "A%"', "limit": 2}
                )
                seen.append(fetched.model_dump_json())
                seen.append(
                    (
                        await session.call_tool("fetch", {"endpoint": "company/companies", "condition": "x ="})
                    ).model_dump_json()
                )
            log.seek(0)
            seen.append(log.read())
    everything = "\n".join(seen)
    assert fetched.is_error is not right_key, seen[1]
    for secret in (PUBLIC_KEY, PRIVATE_KEY, CLIENT_ID, TOKEN):
        assert secret not in everything
