"""Running the server: stdio, or streamable HTTP behind a bearer token.

Over HTTP the server listens on loopback unless told otherwise; bound anywhere else it
starts only with a token in `CWA_QUERY_MCP_TOKEN`, and then every request must carry
`Authorization: Bearer <token>` (compared in constant time; a request without it gets 401
and the token is never logged or echoed).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ..errors import ConfigurationError
from ._fetch import TOKEN_VARIABLE, Reach
from ._server import build_server

__all__ = ["TOKEN_VARIABLE", "BearerGuard", "is_loopback", "parse_address", "serve_http", "serve_stdio"]

_Scope = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
_Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
_App = Callable[[_Scope, _Receive, _Send], Awaitable[None]]


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (`127.0.0.1`, `::1`, `localhost`)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_address(text: str) -> tuple[str, int]:
    """`HOST:PORT` (`[::1]:8000` for IPv6; a bare `PORT` is loopback) as a host and a port.

    >>> parse_address("8765"), parse_address("0.0.0.0:80"), parse_address("[::1]:9000")
    (('127.0.0.1', 8765), ('0.0.0.0', 80), ('::1', 9000))
    """
    host, sep, port = text.strip().rpartition(":")
    if not sep:
        host, port = "127.0.0.1", text.strip()
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigurationError(f"--http takes HOST:PORT (e.g. 127.0.0.1:8765), not {text!r}")
    return host, int(port)


class BearerGuard:
    """ASGI middleware: HTTP requests without `Authorization: Bearer <token>` get 401."""

    def __init__(self, app: _App, token: str) -> None:
        self._app = app
        self._expected = f"Bearer {token}".encode()

    def __repr__(self) -> str:
        return "<BearerGuard>"

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] == "http":
            given = next((value for key, value in scope.get("headers", ()) if key.lower() == b"authorization"), b"")
            if not hmac.compare_digest(given, self._expected):
                body = b'{"error": "unauthorized: send Authorization: Bearer <the CWA_QUERY_MCP_TOKEN value>"}'
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"www-authenticate", b'Bearer realm="cwa-query"'),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self._app(scope, receive, send)


def serve_stdio(reach: Reach) -> None:
    """Serve over standard input and output until the client closes them."""
    server = build_server(reach)
    try:
        server.run("stdio")
    finally:
        reach.close()


def serve_http(reach: Reach, host: str, port: int, *, ready: Callable[[str], None] | None = None) -> None:
    """Serve streamable HTTP at `http://host:port/mcp` until interrupted.

    Raises [`ConfigurationError`][cwa_query.ConfigurationError] when bound beyond loopback
    without a token. `ready` is called with the URL once the socket listens.
    """
    import anyio
    import uvicorn

    token = os.environ.get(TOKEN_VARIABLE) or None
    if token is None and not is_loopback(host):
        raise ConfigurationError(
            f"refusing to serve on {host}, beyond loopback, without a bearer token: set {TOKEN_VARIABLE} "
            "(clients then send Authorization: Bearer <token>), or bind to 127.0.0.1"
        )
    server = build_server(reach)
    app: _App = server.streamable_http_app(host=host)
    if token is not None:
        app = BearerGuard(app, token)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on")
    runner = uvicorn.Server(config)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(runner.serve)
            while not runner.started:
                if runner.should_exit:
                    return
                await anyio.sleep(0.02)
            if ready is not None:
                bound = runner.servers[0].sockets[0].getsockname() if runner.servers else (host, port)
                shown = f"[{bound[0]}]" if ":" in str(bound[0]) else str(bound[0])
                ready(f"http://{shown}:{bound[1]}/mcp")

    try:
        anyio.run(main)
    finally:
        reach.close()
