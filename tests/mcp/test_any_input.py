"""The server survives any input: arbitrary JSON arguments to every tool give an answer or a
tool error in words, never a crash (the SDK's `UnexpectedToolError`, which hides the cause)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError

from cwa_query.mcp_server import Reach, build_server

pytestmark = pytest.mark.filterwarnings("ignore::cwa_query.errors.TranslationWarning")

_WORDS = st.sampled_from(
    [
        "Status",
        "Client.Id",
        "Client/Id",
        "ComputerName",
        "=",
        "==",
        "eq",
        "ne",
        "like",
        "startswith",
        "not",
        "(",
        ")",
        "'x'",
        '"y"',
        "'",
        "and",
        "&&",
        "or",
        "in",
        "(1, 2)",
        "2024-02-14",
        "'2024-02-14'",
        "5",
        "-0.5",
        "true",
        "null",
        "any(p: p eq 1)",
        "/",
        "\\",
        "%",
        "\x00",
        "\ud800",
    ]
)
conditions = st.one_of(st.text(max_size=60), st.lists(_WORDS, max_size=12).map(" ".join))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["all", "any", "not", "field", "op", "value", "x"]), inner, max_size=4)
    ),
    max_leaves=12,
)
dialects = st.one_of(st.sampled_from(["seed", "automate", "manage", "odata"]), st.text(max_size=8), scalars)
endpoints = st.one_of(st.none(), st.sampled_from(["Computers", "Clients", "service/tickets", "../x", ""]), scalars)
filters = st.recursive(
    st.fixed_dictionaries(
        {
            "field": st.one_of(st.sampled_from(["Status", "RemoteAgentLastContact", "Client/Id"]), scalars),
            "op": st.one_of(st.sampled_from(["eq", "ne", "lt", "like", "in", "startswith"]), scalars),
            "value": json_values,
        }
    ),
    lambda inner: st.one_of(
        st.fixed_dictionaries({"all": st.lists(inner, max_size=3)}),
        st.fixed_dictionaries({"any": st.lists(inner, max_size=3)}),
        st.fixed_dictionaries({"not": inner}),
    ),
    max_leaves=6,
)


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(value, json_values)


calls = st.one_of(
    st.tuples(
        st.just("lint"),
        st.fixed_dictionaries({"condition": _maybe(conditions)}, optional={"dialect": dialects, "endpoint": endpoints}),
    ),
    st.tuples(
        st.just("translate"),
        st.fixed_dictionaries(
            {"condition": _maybe(conditions), "source": dialects, "target": dialects}, optional={"endpoint": endpoints}
        ),
    ),
    st.tuples(
        st.just("explain"), st.fixed_dictionaries({"condition": _maybe(conditions)}, optional={"dialect": dialects})
    ),
    st.tuples(
        st.just("fields"),
        st.fixed_dictionaries({"endpoint": endpoints}, optional={"dialect": dialects, "search": _maybe(conditions)}),
    ),
    st.tuples(
        st.just("build"),
        st.fixed_dictionaries({"filter": _maybe(filters)}, optional={"dialect": dialects, "endpoint": endpoints}),
    ),
    st.tuples(
        st.just("fetch"),
        st.fixed_dictionaries(
            {"endpoint": endpoints},
            optional={
                "condition": _maybe(conditions),
                "limit": _maybe(st.integers(-5, 200)),
                "fields": _maybe(st.lists(st.text(max_size=10), max_size=3)),
            },
        ),
    ),
    st.tuples(st.text(max_size=10), st.dictionaries(st.text(max_size=5), json_values, max_size=3)),
)


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    reach = Reach(sandbox_records=30)
    yield build_server(reach)
    reach.close()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(call=calls)
def test_any_arguments_give_an_answer_or_a_tool_error_in_words(server: Any, call: tuple[str, dict[str, Any]]) -> None:
    name, arguments = call

    async def run() -> None:
        try:
            result = await server.call_tool(name, arguments)
        except UnexpectedToolError as crash:  # pragma: no cover - what this test exists to catch
            raise AssertionError(f"{name}({arguments!r}) crashed: {crash.__cause__!r}") from crash
        except ToolError as refused:
            words = str(refused)
        else:
            words = "".join(getattr(block, "text", "") for block in result.content)
        assert words.strip()

    anyio.run(run)
