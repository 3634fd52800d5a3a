"""Issue 21, red team 1 (pagination that never ends) and 11 (huge pages); 8 (slow-drip answers)
is tests/client/test_client_deadline.py.

Hostile servers are `httpx.MockTransport`s: each must end in the project's own typed error,
after a bounded number of requests.
"""

from __future__ import annotations

import gzip
import itertools
import json
import threading
from collections.abc import Callable

import httpx
import pytest

from cwa_query import Client, ConfigurationError, DecodeError
from cwa_query.errors import PaginationError, ResponseTooLargeError

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


# 8 (slow-drip answers): tests/client/test_client_deadline.py


# --------------------------------------------------------------------------- 11: huge pages


def big_page(records: int) -> bytes:
    return json.dumps([{"Id": i, "Name": "x" * 100} for i in range(1, records + 1)]).encode()


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "chunked"])
def test_a_page_larger_than_max_response_bytes_is_a_typed_error(announced: bool) -> None:
    body = big_page(20_000)  # about 2.5 MB

    def handler(request: httpx.Request) -> httpx.Response:
        if announced:
            return httpx.Response(200, content=body)
        return httpx.Response(200, content=iter([body[i : i + 65536] for i in range(0, len(body), 65536)]))

    client, _ = hostile_client(handler, "automate", max_response_bytes=1_000_000, page_size=1000)
    with client, pytest.raises(ResponseTooLargeError, match="max_response_bytes=1,000,000") as caught:
        list(client.iter_records("Computers"))
    assert caught.value.limit == 1_000_000 and isinstance(caught.value, DecodeError)


def test_the_bound_is_on_the_decoded_answer_not_the_compressed_one() -> None:
    body = gzip.compress(big_page(20_000))  # a few kB on the wire, 2.5 MB decoded
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    client, _ = hostile_client(
        lambda r: httpx.Response(200, content=body, headers=headers), "automate", max_response_bytes=1_000_000
    )
    with client, pytest.raises(ResponseTooLargeError):
        client.get("Computers")


def test_answers_within_the_bound_are_read_and_the_bound_can_be_lifted() -> None:
    body = gzip.compress(big_page(20_000))
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    for bound in (3_000_000, None):
        client, _ = hostile_client(
            lambda r: httpx.Response(200, content=body, headers=headers), "automate", max_response_bytes=bound
        )
        with client:
            assert len(client.get("Computers")) == 20_000


@pytest.mark.parametrize(
    ("options", "says"),
    [({"deadline": 0}, "deadline must be"), ({"max_response_bytes": -1}, "max_response_bytes must be")],
)
def test_bad_bounds_are_configuration_errors(options: dict[str, object], says: str) -> None:
    with pytest.raises(ConfigurationError, match=says):
        Client("http://127.0.0.1:9", **options)  # type: ignore[arg-type]
