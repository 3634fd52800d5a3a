"""Issue 21, red team 1 (pagination that never ends), 8 (slow-drip answers) and 11 (huge pages).

Hostile servers are `httpx.MockTransport`s (items 1 and 11) or a raw socket server (item 8):
each must end in the project's own typed error, after a bounded number of requests.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable

import httpx
import pytest

from cwa_query import Client
from cwa_query.errors import PaginationError

Handler = Callable[[httpx.Request], httpx.Response]


def hostile_client(handler: Handler, profile: str, **options: object) -> tuple[Client, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    lock = threading.Lock()

    def record(request: httpx.Request) -> httpx.Response:
        with lock:
            seen.append(request)
        return handler(request)

    settings: dict[str, object] = {
        "profile": profile,
        "client_id": "cid",
        "transport": httpx.MockTransport(record),
        "rate_limit": None,
        "page_size": 5,
        "validate": "off",
    }
    settings.update(options)
    return Client("http://127.0.0.1:9", **settings), seen  # type: ignore[arg-type]


def page_of(request: httpx.Request) -> int:
    return int(request.url.params["page"])


def rows(ids: range | list[int]) -> list[dict[str, object]]:
    return [{"Id": i, "Name": f"n{i}"} for i in ids]


def test_a_server_that_ignores_page_is_stopped_at_page_2() -> None:
    # the red team's automate server handed page 1 over 2,000 times
    client, seen = hostile_client(lambda request: httpx.Response(200, json=rows(range(1, 6))), "automate")
    with client, pytest.raises(PaginationError, match="page 2 repeats page 1") as caught:
        list(client.iter_records("Computers"))
    assert caught.value.page == 2 and caught.value.path == "/cwa/api/v1/Computers"
    assert len(seen) <= 2 * client._prefetch(5)  # the window in flight, not an endless stream


def test_empty_pages_before_the_announced_end_are_an_error_not_a_billion_requests() -> None:
    # the red team's seed server: X-Total-Pages 10**9 and nothing in any page
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"X-Total-Count": str(5 * 10**9), "X-Total-Pages": str(10**9), "X-Page": str(page_of(request))}
        return httpx.Response(200, json=[], headers=headers)

    client, seen = hostile_client(handler, "seed", rate_limit=None)
    with client, pytest.raises(PaginationError, match="page 2 is empty, but the server announced 1000000000 pages"):
        list(client.iter_records("Computers"))
    assert len(seen) <= 2 * client._prefetch(5)


def test_a_page_larger_than_asked_is_an_error() -> None:
    client, _ = hostile_client(lambda request: httpx.Response(200, json=rows(range(1, 8))), "automate")
    with client, pytest.raises(PaginationError, match="holds 7 records, more than the 5 asked for"):
        list(client.iter_records("Computers"))


def test_overlapping_pages_are_an_error() -> None:
    # one red-team run handed over 150 records with 125 distinct ids
    def handler(request: httpx.Request) -> httpx.Response:
        start = 1 + (page_of(request) - 1) * 4  # each page repeats the last record of the one before
        return httpx.Response(200, json=rows(range(start, start + 5)))

    client, _ = hostile_client(handler, "automate")
    with client, pytest.raises(PaginationError, match="page 2 holds the record with id 5 again"):
        list(client.iter_records("Computers"))


def test_pages_of_records_all_alike_may_repeat() -> None:
    # a projection to one field: `includeFields=Status` pages look the same and are right
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{"Status": "Online"}] * (5 if page_of(request) < 4 else 2))

    client, _ = hostile_client(handler, "automate")
    with client:
        assert len(list(client.iter_records("Computers", include_fields="Status"))) == 17


def test_a_well_behaved_server_is_read_to_the_end() -> None:
    counter = itertools.count()

    def handler(request: httpx.Request) -> httpx.Response:
        next(counter)
        start = 1 + (page_of(request) - 1) * 5
        return httpx.Response(200, json=rows(range(start, min(start + 5, 24))))

    client, _ = hostile_client(handler, "automate")
    with client:
        assert [r["Id"] for r in client.iter_records("Computers")] == list(range(1, 24))
