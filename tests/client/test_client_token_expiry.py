"""Tokens that expire or are refused while many requests are in flight (issue 13, item 1).

Over real loopback sockets. A fetch must survive any number of expiries as long as each
fresh login succeeds and the server serves requests with it, and must fail fast, with a
typed error and a bounded number of logins, when the server refuses every token it has just
issued or when login itself fails.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest

from cwa_query import AsyncClient, AuthenticationError, Client
from cwa_query.client import MAX_UNUSED_TOKENS, RetryPolicy
from cwa_query.sandbox import Sandbox

RECORDS = 300
PAGE_SIZE = 10  # 30 pages
IN_FLIGHT = 10
FAST = RetryPolicy(max_retries=8, backoff_base=0.005, backoff_cap=0.05, max_wait=30.0)
ID = {"seed": "ComputerID", "automate": "Id"}


def settings(sandbox: Sandbox, **extra: Any) -> dict[str, Any]:
    creds = sandbox.credentials
    return {
        "username": creds.username,
        "password": creds.password,
        "client_id": creds.client_id,
        "profile": sandbox.config.profile,
        "page_size": PAGE_SIZE,
        "max_in_flight": IN_FLIGHT,
        "prefetch": IN_FLIGHT,
        "retry": FAST,
        "timeout": 5.0,
        **extra,
    }


def fetch_ids(sandbox: Sandbox, mode: str, **extra: Any) -> list[int]:
    key = ID[sandbox.config.profile]
    options = settings(sandbox, **extra)
    if mode == "sync":
        with Client(sandbox.url, **options) as client:
            return [int(row[key]) for row in client.iter_records("Computers")]

    async def run() -> list[int]:
        async with AsyncClient(sandbox.url, **options) as client:
            return [int(row[key]) async for row in client.iter_records("Computers")]

    return asyncio.run(run())


def survive_expiries(profile: str, mode: str, runs: int) -> None:
    expiries = 0
    for run in range(runs):
        with Sandbox(profile, records=RECORDS, faults="expire=0.05", fault_seed=run) as sandbox:
            ids = fetch_ids(sandbox, mode)
            stats = sandbox.stats()
        assert ids == list(range(1, RECORDS + 1)), f"run {run}: records lost, doubled or out of order"
        expiries += stats["faults_injected"].get("expire", 0)
        assert stats["tokens_issued"] <= 1 + stats["faults_injected"].get("expire", 0)  # one login per expiry
    assert expiries > runs  # the faults did fire: about 2 per run


@pytest.mark.parametrize("profile", ["seed", "automate"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_expiries_with_ten_in_flight_lose_nothing(profile: str, mode: str) -> None:
    survive_expiries(profile, mode, runs=3)


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["seed", "automate"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_expiries_with_ten_in_flight_fifty_runs_in_a_row(profile: str, mode: str) -> None:
    survive_expiries(profile, mode, runs=50)


@pytest.mark.parametrize("profile", ["seed", "automate"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_server_refusing_every_fresh_token_fails_fast(profile: str, mode: str) -> None:
    # every API request is answered 401 although each token was just issued (a missing
    # permission): a typed error after MAX_UNUSED_TOKENS logins, not a loop
    with Sandbox(profile, records=RECORDS, faults="401=1") as sandbox:
        with pytest.raises(AuthenticationError, match="refused each of the last") as info:
            fetch_ids(sandbox, mode)
        stats = sandbox.stats()
    assert stats["tokens_issued"] == MAX_UNUSED_TOKENS
    assert info.value.status == 401 and info.value.path == "/cwa/api/v1/Computers"


class LoginAfterAllStarted(httpx.HTTPTransport):
    """Holds the login back until every call of the batch has started (then a little longer)."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.calls = calls
        self.started = 0
        self.lock = threading.Lock()
        self.all_started = threading.Event()

    def start(self) -> None:
        with self.lock:
            self.started += 1
            if self.started == self.calls:
                self.all_started.set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("apitoken"):
            self.all_started.wait(timeout=30)
            time.sleep(0.05)  # each call has gone from start() to waiting for the login
        return super().handle_request(request)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_ten_requests_waiting_for_a_login_that_fails_share_its_failure(mode: str) -> None:
    # all ten requests are waiting for the login when it fails: they raise its error instead
    # of each logging in again (async: the ten tasks all start before the loop reads a socket)
    with Sandbox("automate", records=RECORDS, latency_ms=20) as sandbox:
        options = settings(sandbox, password="wrong-password")
        if mode == "sync":
            gate = LoginAfterAllStarted(10)

            def call(number: int) -> Any:
                gate.start()
                return client.computer(number)

            with Client(sandbox.url, transport=gate, **options) as client:
                results = client.batch(call, range(1, 11), return_exceptions=True)
        else:

            async def run() -> list[Any]:
                async with AsyncClient(sandbox.url, **options) as client:
                    return await client.batch(client.computer, range(1, 11), return_exceptions=True)

            results = asyncio.run(run())
        stats = sandbox.stats()
    assert all(isinstance(result, AuthenticationError) for result in results)
    assert all("login refused" in str(result) and "wrong-password" not in str(result) for result in results)
    assert stats["auth_requests"] == 1
    assert stats["requests"] == 1  # no API request went out without a token


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_leaving_out_client_id_on_automate_says_to_pass_it(mode: str) -> None:
    # the hint names the option and the variable; no stray warning (a coroutine never awaited)
    hint = "pass client_id= or set CONNECTWISE_AUTOMATE_CLIENT_ID"
    with Sandbox("automate", records=RECORDS) as sandbox, pytest.raises(AuthenticationError, match=hint):
        fetch_ids(sandbox, mode, client_id=None)
