"""The MCP server: the tools and resources of `_tools`, `_fetch` and `_resources` on the SDK's `MCPServer`.

Each tool returns a `CallToolResult` with a readable text part and the structured result
its output schema describes (a `TypedDict` below). A `ToolInputError` (bad input, in the
toolkit's words) becomes a tool error the model reads; anything else is the SDK's generic
tool error, and the server goes on answering.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resources import FunctionResource, Resource
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field
from typing_extensions import TypedDict  # pydantic reads typing's only from Python 3.12

from .. import __version__
from .._defaults import DEFAULT_DIALECT
from ..dialects import dialect_names, get_dialect
from ._fetch import DEFAULT_LIMIT, MAX_RECORDS, MAX_RESPONSE_BYTES, Reach
from ._resources import dialect_guide, guide_uri
from ._tools import (
    FILTER_SCHEMA,
    MAX_CONDITION_CHARS,
    ToolInputError,
    build_condition,
    explain_condition,
    lint_condition,
    list_fields,
    translate_condition,
)

__all__ = ["build_server"]

_INSTRUCTIONS = """\
Tools for the filter language of the ConnectWise Automate REST API (the `condition` query
parameter), and for OData $filter, ConnectWise Manage `conditions` and the seed document's
dialect. Before sending a condition to an Automate server, run it through `lint` with
dialect `automate` and use `fixed`; write new conditions with `build` instead of joining
strings; look field names up with `fields`. The resources cwa-query://dialects/<name> say
what each dialect writes and what the real server refuses. `fetch` reads records, only
from the server this MCP server was started for ({reach})."""

# ----------------------------------------------------------------------------- output shapes


class Position(TypedDict):
    """Where a finding is: 1-based line and column; the end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class LintFinding(TypedDict):
    """One finding of the linter."""

    code: str
    name: str
    severity: str
    message: str
    position: Position
    fix: str | None


class LintResult(TypedDict):
    """The findings, and the text with every available fix applied (null when an error has no fix)."""

    findings: list[LintFinding]
    fixed: str | None


class TranslateResult(TypedDict):
    """The condition in the target dialect, and what is exact only under an assumption."""

    text: str
    warnings: list[str]


class ExplainResult(TypedDict):
    """The meaning in words and the condition's tree."""

    text: str
    tree: dict[str, Any]


class FieldRow(TypedDict):
    """One field: its path as the dialect writes it, its type, whether it holds a list, known values."""

    path: str
    type: str
    array: bool
    values: list[str] | None


class FieldsResult(TypedDict, total=False):
    """An endpoint's fields (`did_you_mean` when the search matched none; `more` when cut)."""

    endpoint: str
    dialect: str
    fields: list[FieldRow]
    did_you_mean: str
    more: int


class BuildResult(TypedDict):
    """The condition text, quoted for the dialect."""

    condition: str
    warnings: list[str]


class FetchResult(TypedDict):
    """The records (at most the limit), how many, and whether the size cap cut them."""

    records: list[Any]
    count: int
    truncated: bool


# ----------------------------------------------------------------------------- arguments

_DIALECTS = ", ".join(dialect_names())
Condition = Annotated[
    str,
    Field(
        max_length=MAX_CONDITION_CHARS,
        description="the condition text, e.g. Status = 'Online' and Client.Id = 5",
    ),
]
DialectName = Annotated[
    str,
    Field(description=f"a dialect: {_DIALECTS} (automate is the real Automate server)"),
]
Endpoint = Annotated[
    str | None,
    Field(description="the endpoint the condition filters, e.g. Computers, Clients, Computers/{computerId}/Software"),
]


def _result(structured: dict[str, Any], text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured)


def _run(call: Callable[[], tuple[dict[str, Any], str]]) -> CallToolResult:
    try:
        return _result(*call())
    except ToolInputError as exc:
        raise ToolError(str(exc)) from None


# ----------------------------------------------------------------------------- the server


def build_server(reach: Reach | None = None) -> MCPServer[Any]:
    """The MCP server with every tool and one resource per dialect; `fetch` reads `reach`
    (default: the built-in sandbox, automate profile)."""
    reach = reach if reach is not None else Reach()
    read_only = ToolAnnotations(
        read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
    )

    def lint(
        condition: Condition, dialect: DialectName = DEFAULT_DIALECT, endpoint: Endpoint = None
    ) -> Annotated[CallToolResult, LintResult]:
        """Check a condition for a dialect and an endpoint before sending it. Returns findings (code,
        message, position, fix) and `fixed`: the condition with every available fix applied and
        re-checked, or null when an error has no automatic fix (then rewrite it as the messages
        say). Catches what the real Automate server refuses: startswith, a prefix not (...),
        quoted dates, ==, &&, OData's eq and / paths, misspelled or unknown fields."""
        return _run(lambda: lint_condition(condition, dialect, endpoint))

    def translate(
        condition: Condition, source: DialectName, target: DialectName, endpoint: Endpoint = None
    ) -> Annotated[CallToolResult, TranslateResult]:
        """Rewrite a condition from one dialect into another with the same meaning on every
        record (e.g. odata -> automate, seed -> automate). A construct the target cannot say
        is refused with the reason; a rewrite that is exact only under an assumption comes
        with a warning. Give the endpoint so field types and names are known."""
        return _run(lambda: translate_condition(condition, source, target, endpoint))

    def explain(
        condition: Condition, dialect: DialectName = DEFAULT_DIALECT
    ) -> Annotated[CallToolResult, ExplainResult]:
        """Say in plain words what a condition keeps: its fields and their types, its operators,
        how text compares (ASCII case ignored by Automate, exact in OData), what a comparison on
        a list field means and what a missing field does; plus the parsed tree as JSON."""
        return _run(lambda: explain_condition(condition, dialect))

    def fields(
        endpoint: Annotated[str, Field(description="the endpoint, e.g. Computers")],
        dialect: Annotated[str | None, Field(description=f"spell paths as this dialect does ({_DIALECTS})")] = None,
        search: Annotated[
            str | None, Field(max_length=200, description="only fields whose path contains this text")
        ] = None,
    ) -> Annotated[CallToolResult, FieldsResult]:
        """List the fields a condition on an endpoint can test, with types (string, integer,
        decimal, boolean, datetime, id, object; array for lists) and known values, spelled as
        the dialect writes paths (Client.Id; Client/Id for OData and Manage). A search that
        matches nothing suggests the nearest field name."""
        return _run(lambda: list_fields(endpoint, dialect, search))

    def build(
        filter: Annotated[dict[str, Any], Field(description=FILTER_SCHEMA["description"])],
        dialect: DialectName = DEFAULT_DIALECT,
        endpoint: Endpoint = None,
    ) -> Annotated[CallToolResult, BuildResult]:
        """Build a condition from a structured filter, quoted and escaped correctly for the
        dialect, so nothing is joined by hand: {"all": [...]}, {"any": [...]}, {"not": {...}} or
        {"field": "ComputerName", "op": "startswith", "value": "SRV"}. With an endpoint, an
        ISO date on a date-time field is written as a date."""
        return _run(lambda: build_condition(filter, dialect, endpoint))

    def fetch(
        endpoint: Annotated[str, Field(description="a list endpoint, e.g. Computers or Clients")],
        condition: Annotated[
            str | None,
            Field(
                max_length=MAX_CONDITION_CHARS,
                description="a condition in the dialect of the server's profile (automate unless told; lint it first)",
            ),
        ] = None,
        fields: Annotated[
            list[str] | None,
            Field(
                max_length=100, description="only these fields, as the API names them (Client.Id; board/id for Manage)"
            ),
        ] = None,
        limit: Annotated[
            int | None,
            Field(ge=1, le=MAX_RECORDS, description=f"at most this many records (default {DEFAULT_LIMIT})"),
        ] = None,
    ) -> Annotated[CallToolResult, FetchResult]:
        return _run(lambda: reach.fetch(endpoint, condition, fields, limit))

    fetch.__doc__ = (
        f"Read records from {reach.describe()}, read-only; the condition is written in "
        f"{reach.dialect}. The condition is checked before it "
        f"is sent and refused with the linter's words if the server would refuse it. At most "
        f"{MAX_RECORDS} records and {MAX_RESPONSE_BYTES // 1000} kB per call; which server is "
        "fixed when this MCP server starts, never by the arguments."
    )

    tools = [Tool.from_function(fn, annotations=read_only) for fn in (lint, translate, explain, fields, build)]
    tools.append(Tool.from_function(fetch, annotations=read_only.model_copy(update={"open_world_hint": True})))
    _nest_filter_schema(tools[4])
    resources: list[Resource] = [
        FunctionResource(
            uri=guide_uri(get_dialect(name)),
            name=f"dialect-{name}",
            title=f"The {name} dialect",
            description=f"How {name} writes conditions, what the real Automate server refuses, ten examples",
            mime_type="text/markdown",
            fn=functools.partial(dialect_guide, name),
        )
        for name in dialect_names()
    ]
    return MCPServer(
        "cwa-query",
        title="cwa-query",
        version=__version__,
        instructions=_INSTRUCTIONS.format(reach=reach.describe()),
        tools=tools,
        resources=resources,
        log_level="WARNING",
    )


def _nest_filter_schema(tool: Tool) -> None:
    """The `filter` argument's JSON schema is recursive: its definitions go to the root of the
    tool's input schema, where the `$ref`s point."""
    schema = copy.deepcopy(FILTER_SCHEMA)
    defs = schema.pop("$defs")
    tool.parameters.setdefault("$defs", {}).update(defs)
    tool.parameters["properties"]["filter"] = schema | {"title": "Filter"}
