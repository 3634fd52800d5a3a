"""Properties of the executor's pure parts: pagination and query strings."""

from __future__ import annotations

import math
import re
import threading
import urllib.parse
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwa_query import Client, UnrepresentableConditionError, ast, render
from cwa_query.client._pagination import Page, PagePlan, iter_pages_sync
from cwa_query.strategies import conditions

UNRESERVED_OR_ESCAPE = re.compile(r"(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*")


@given(
    total=st.integers(0, 120),
    page_size=st.integers(1, 25),
    limit=st.none() | st.integers(0, 150),
    prefetch=st.integers(1, 6),
    headers=st.booleans(),
)
def test_every_record_once_in_order_and_few_needless_pages(
    total: int, page_size: int, limit: int | None, prefetch: int, headers: bool
) -> None:
    rows = list(range(total))
    fetched: list[int] = []
    lock = threading.Lock()
    pages = max(1, math.ceil(total / page_size))

    def fetch(number: int) -> Callable[[], Page]:
        with lock:
            fetched.append(number)
        chunk = [{"Id": i} for i in rows[(number - 1) * page_size : number * page_size]]
        return lambda: Page(number, chunk, total if headers else None, pages if headers else None)

    plan = PagePlan(page_size=page_size, limit=limit, prefetch=prefetch, paging_headers=headers)
    got = [record["Id"] for page in iter_pages_sync(fetch, plan) for record in page.records]
    assert got == rows[:limit]
    assert len(fetched) == len(set(fetched))  # no page asked for twice
    if limit == 0:  # nothing wanted: nothing asked for
        assert fetched == []
        return
    needed = pages if limit is None else min(pages, max(1, math.ceil(limit / page_size)))
    if headers:  # every page needed; beyond them, only what the first window asked for blindly
        assert set(range(1, needed + 1)) <= set(fetched)
        assert max(fetched) <= max(needed, prefetch)
    else:  # without headers the reader finds the end by a short page: at most a window beyond it
        assert set(range(1, min(needed, total // page_size + 1) + 1)) <= set(fetched)
        assert max(fetched) <= needed + 1 + prefetch


def _sent_condition(client: Client, node: ast.Node) -> str:
    query, _ = client._prepare("Computers", node).parts[0]
    raw = query.url(1).split("?", 1)[1]
    for pair in raw.split("&"):
        name, _, value = pair.partition("=")
        assert UNRESERVED_OR_ESCAPE.fullmatch(value), value  # nothing left for a server to misread
        if name == "condition":
            return urllib.parse.unquote(value, errors="strict")
    raise AssertionError("no condition sent")


@pytest.mark.slow
@given(node=conditions(dialect="seed"))
def test_seed_condition_travels_exactly(node: ast.Node) -> None:
    with Client("127.0.0.1", profile="seed", validate="off", max_query_string=None) as client:
        assert _sent_condition(client, node) == render(node, "seed")


@pytest.mark.slow
@given(node=conditions(dialect="automate"))
def test_automate_condition_travels_exactly(node: ast.Node) -> None:
    with Client("127.0.0.1", profile="automate", validate="off", max_query_string=None) as client:
        try:
            expected = render(node, "automate")
        except UnrepresentableConditionError:
            with pytest.raises(UnrepresentableConditionError):  # refused before any request, as render does
                client._prepare("Computers", node)
        else:
            assert _sent_condition(client, node) == expected
