"""An MCP server, so that AI agents write conditions the real server accepts (`cwa-query mcp`).

Tools: `lint`, `translate`, `explain`, `fields`, `build` and `fetch`; one resource per
dialect (`cwa-query://dialects/<name>`). It runs on the official MCP Python SDK, an
optional dependency (`pip install 'cwa_query[mcp]'`): nothing else in cwa_query imports
it. The tools' logic lives in SDK-free modules (`_tools`, `_fetch`, `_resources`); only
`_server` and `_serve` import the SDK, and only when these names are first used.
See the docs page *MCP server*.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._fetch import Reach
    from ._serve import serve_http, serve_stdio
    from ._server import build_server
    from ._tools import ToolInputError

__all__ = ["Reach", "ToolInputError", "build_server", "serve_http", "serve_stdio"]

_EXPORTS = {
    "Reach": "._fetch",
    "ToolInputError": "._tools",
    "build_server": "._server",
    "serve_http": "._serve",
    "serve_stdio": "._serve",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
