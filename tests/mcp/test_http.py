"""`cwa-query mcp --http`: streamable HTTP, loopback by default, a bearer token beyond it."""

from __future__ import annotations

import subprocess
import sys

import httpx
import httpx2
import pytest
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from cwa_query.mcp_server._serve import is_loopback, parse_address

from .conftest import http_server, server_command

TOKEN = "tok-HTTP-SECRET-4411"


@pytest.mark.anyio
async def test_the_sdk_client_talks_to_it_over_http_with_the_token() -> None:
    with http_server("--http", "127.0.0.1:0", env={"CWA_QUERY_MCP_TOKEN": TOKEN}) as (url, process):
        assert url.startswith("http://127.0.0.1:") and url.endswith("/mcp")
        # without the token: 401, and the answer does not echo it
        bare = httpx.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        assert bare.status_code == 401
        wrong = httpx.post(url, json={}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and TOKEN not in wrong.text
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}) as http,
            streamable_http_client(url, http_client=http) as streams,
            ClientSession(*streams) as session,
        ):
            await session.initialize()
            names = {tool.name for tool in (await session.list_tools()).tools}
            assert "lint" in names and "fetch" in names
            built = await session.call_tool("build", {"filter": {"field": "Name", "op": "startswith", "value": "a"}})
            assert built.structured_content == {"condition": "Name like 'a%'", "warnings": []}
            bad = await session.call_tool("explain", {"condition": "a =="})
            assert bad.is_error
            fetched = await session.call_tool("fetch", {"endpoint": "Computers", "limit": 2})
            assert fetched.structured_content is not None and fetched.structured_content["count"] == 2
        process.terminate()
        _, err = process.communicate(timeout=10)
        assert TOKEN not in err


def test_beyond_loopback_without_a_token_it_refuses_to_start() -> None:
    env = {key: value for key, value in __import__("os").environ.items() if key != "CWA_QUERY_MCP_TOKEN"}
    done = subprocess.run(server_command("--http", "0.0.0.0:0"), capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2
    assert "without a bearer token: set CWA_QUERY_MCP_TOKEN" in done.stderr
    assert done.stdout == ""


@pytest.mark.slow  # a server process; `parse_address` itself is tested in process below
def test_a_bad_address_is_a_usage_error() -> None:
    done = subprocess.run(server_command("--http", "localhost:http"), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--http takes HOST:PORT" in done.stderr


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.9.9.9", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.1", False),
        ("example.com", False),
    ],
)
def test_what_counts_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_addresses() -> None:
    assert parse_address("[::1]:80") == ("::1", 80)
    assert parse_address(":9000") == ("127.0.0.1", 9000)
    with pytest.raises(ValueError, match="HOST:PORT"):
        parse_address("host:99999")


def test_the_core_never_imports_the_sdk() -> None:
    """`import cwa_query` and `cwa-query lint` (and fetch's parser) run without the MCP SDK."""
    script = (
        "import sys, cwa_query\n"
        "from cwa_query.cli import main\n"
        "assert main(['lint', '--dialect', 'automate', \"Status = 'Online'\"]) == 0\n"
        "import cwa_query.mcp_server, cwa_query.mcp_server._tools, cwa_query.mcp_server._resources\n"
        "loaded = sorted(m for m in sys.modules if m == 'mcp' or m.startswith(('mcp.', 'pydantic', 'starlette')))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_without_the_sdk_it_says_which_extra_to_install() -> None:
    script = "import sys\nsys.modules['mcp'] = None\nfrom cwa_query.cli import main\nsys.exit(main(['mcp']))\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "pip install 'cwa_query[mcp]'" in done.stderr
