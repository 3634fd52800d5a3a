"""Helpers of the MCP server's tests: a `cwa-query mcp` subprocess and the SDK's own client."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest

pytest.importorskip("mcp", reason="the MCP server's tests need the mcp extra")

from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def server_command(*args: str) -> list[str]:
    """`cwa-query mcp ARGS` as this interpreter runs it."""
    return [sys.executable, "-m", "cwa_query", "mcp", *args]


@asynccontextmanager
async def stdio_session(
    *args: str, env: Mapping[str, str] | None = None, errlog: Any = None
) -> AsyncIterator[ClientSession]:
    """A session with `cwa-query mcp ARGS` spawned over stdio, initialised."""
    command = server_command(*args)
    params = StdioServerParameters(command=command[0], args=command[1:], env=dict(env or {}))
    async with (
        stdio_client(params, errlog=errlog if errlog is not None else sys.stderr) as streams,
        ClientSession(*streams) as session,
    ):
        await session.initialize()
        yield session


@contextmanager
def http_server(*args: str, env: Mapping[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`cwa-query mcp --http ... ARGS` running; yields its URL (its first line of output) and the process."""
    process = subprocess.Popen(
        server_command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url:
            process.wait(timeout=10)
            assert process.stderr is not None
            raise AssertionError(f"the server did not start: {process.stderr.read()}")
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
            process.kill()
            process.wait()
