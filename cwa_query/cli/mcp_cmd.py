"""`cwa-query mcp`: serve the toolkit to AI agents over the Model Context Protocol.

```
cwa-query mcp                                   # stdio: what desktop agents launch
cwa-query mcp --http 127.0.0.1:8765             # streamable HTTP at http://127.0.0.1:8765/mcp
cwa-query mcp --server automate.example.com --profile automate   # fetch reads that server
```

Needs the `mcp` extra (`pip install 'cwa_query[mcp]'`). `fetch` reads the built-in sandbox
unless `--server` names a server; its credentials come from the `CONNECTWISE_AUTOMATE_*`
variables, as for `cwa-query fetch`. Over HTTP, a bind beyond loopback needs a bearer token
in `CWA_QUERY_MCP_TOKEN`. Nothing is written to standard output but the protocol (stdio);
with `--http`, the first line of standard output is the URL.
"""

from __future__ import annotations

import argparse
import os

from .._defaults import DEFAULT_PROFILE, PROFILE_NAMES
from ._args import positive_int, usage_error

__all__ = ["register", "run"]

_NO_SDK = "the MCP server needs the MCP Python SDK: pip install 'cwa_query[mcp]'"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `mcp` subcommand."""
    parser = subparsers.add_parser(
        "mcp",
        help="serve lint/translate/explain/fields/build/fetch to AI agents (Model Context Protocol)",
        description=(
            "Serve cwa-query's tools (lint, translate, explain, fields, build, fetch) and one resource per "
            "dialect over the Model Context Protocol: stdio by default, streamable HTTP with --http. fetch "
            "reads the built-in sandbox unless --server names a server (credentials from the "
            "CONNECTWISE_AUTOMATE_* variables, never from the tools' arguments)."
        ),
    )
    parser.add_argument(
        "--http",
        metavar="HOST:PORT",
        help="serve streamable HTTP at http://HOST:PORT/mcp instead of stdio (beyond loopback: "
        "CWA_QUERY_MCP_TOKEN must hold a bearer token)",
    )
    parser.add_argument("--server", metavar="URL", help="the server fetch reads (default: the built-in sandbox)")
    parser.add_argument(
        "--profile",
        choices=PROFILE_NAMES,
        help="the server's API profile (default: CONNECTWISE_AUTOMATE_PROFILE, else automate)",
    )
    parser.add_argument(
        "--sandbox-records", type=positive_int, default=200, metavar="N", help="computers in the sandbox (default 200)"
    )
    parser.set_defaults(run=run, command_name="mcp")


def run(args: argparse.Namespace) -> int:
    """Serve until the client goes away (stdio) or an interrupt (HTTP); 2 for bad options."""
    try:
        import mcp.server.mcpserver  # noqa: F401 - only to say what is missing, before anything starts
    except ImportError:
        return usage_error(args, _NO_SDK)
    from ..errors import ConfigurationError
    from ..mcp_server import Reach, serve_http, serve_stdio

    profile = args.profile or os.environ.get("CONNECTWISE_AUTOMATE_PROFILE") or DEFAULT_PROFILE
    try:
        reach = Reach(args.server, profile, sandbox_records=args.sandbox_records)
        if args.http is None:
            serve_stdio(reach)
            return 0
        from ..mcp_server._serve import parse_address

        host, port = parse_address(args.http)

        def ready(url: str) -> None:
            print(url, flush=True)

        serve_http(reach, host, port, ready=ready)
    except ConfigurationError as exc:
        return usage_error(args, str(exc))
    return 0
