"""Concurrency limit, fixed rate-limit windows and latency, over real sockets (and a fake clock)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from cwa_query.errors import ConfigurationError
from cwa_query.sandbox import Sandbox, SandboxApp, SandboxConfig, SandboxRequest
from tests.sandbox.sandbox_helpers import FakeClock, seed_login, socket_client


def parallel_gets(sandbox: Sandbox, token: str, n: int, path: str = "/Scripts") -> list[httpx.Response]:
    """`n` GETs released at the same moment, each on its own connection."""
    barrier = threading.Barrier(n)

    def one(_: int) -> httpx.Response:
        with socket_client(sandbox, headers={"Authorization": f"Bearer {token}"}) as client:
            barrier.wait()
            return client.get(path)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def test_more_requests_in_flight_than_the_limit_get_429_with_retry_after() -> None:
    with (
        Sandbox(profile="seed", records=5, max_concurrent=2, latency_ms=600) as sandbox,
        socket_client(sandbox) as client,
    ):
        token = seed_login(client, sandbox)
        answers = parallel_gets(sandbox, token, 6)
        stats = sandbox.stats()
    refused = [a for a in answers if a.status_code == 429]
    served = [a for a in answers if a.status_code == 200]
    assert len(refused) + len(served) == 6
    assert 1 <= len(served) <= 2 < len(refused)
    assert all(a.headers["Retry-After"] == "1" for a in refused)
    assert all(a.json()["error"]["code"] == "RateLimited" for a in refused)
    assert all(a.headers["X-RateLimit-Limit"] for a in answers)
    assert stats["concurrency_rejected"] == len(refused)
    assert stats["responses_429"] == len(refused)


def test_latency_holds_requests_in_flight_together() -> None:
    with Sandbox(profile="seed", records=5, latency_ms=300) as sandbox, socket_client(sandbox) as client:
        token = seed_login(client, sandbox)
        sandbox.reset_stats()
        answers = parallel_gets(sandbox, token, 5)
        stats = sandbox.stats()
    assert [a.status_code for a in answers] == [200] * 5
    assert stats["max_concurrent_seen"] == 5
    assert stats["in_flight"] == 0


def test_rate_limit_window_over_a_socket() -> None:
    clock = FakeClock()
    with (
        Sandbox(profile="seed", records=5, rate_limit=3, rate_window=1.5, clock=clock) as sandbox,
        socket_client(sandbox) as client,
    ):
        seed_login(client, sandbox)
        answers = [client.get("/Scripts") for _ in range(4)]
        seed_login(client, sandbox)  # authentication is never rate-limited
        clock.advance(float(answers[-1].headers["Retry-After"]))
        later = client.get("/Scripts")
        stats = sandbox.stats()
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    limited = answers[-1]
    assert 1 <= int(limited.headers["Retry-After"]) <= 2
    assert (limited.headers["X-RateLimit-Limit"], limited.headers["X-RateLimit-Remaining"]) == ("3", "0")
    assert limited.json()["error"]["details"] == {"limit": 3, "window": 1.5}
    assert later.status_code == 200
    assert stats["rate_limited"] == 1


def test_fixed_windows_with_a_fake_clock() -> None:
    clock = FakeClock()
    app = SandboxApp(SandboxConfig(profile="seed", records=5, rate_limit=2, rate_window=10), clock=clock)
    login = app.handle_sync(
        SandboxRequest("POST", "/cwa/api/v1/APICredentials", body=b'{"Username":"sandbox","Password":"sandbox"}')
    )
    auth = [("authorization", f"Bearer {login.json()['AccessToken']}")]

    def call() -> tuple[int, dict[str, str]]:
        answer = app.handle_sync(SandboxRequest("GET", "/cwa/api/v1/Scripts", auth))
        return answer.status, dict(answer.headers)

    rows = []
    for at in (0.0, 1.0, 9.5, 10.0, 10.1, 19.9, 25.0):
        clock.now = 1000.0 + at
        status, headers = call()
        rows.append(
            (at, status, headers["X-RateLimit-Remaining"], headers["X-RateLimit-Reset"], headers.get("Retry-After"))
        )
    assert rows == [
        (0.0, 200, "1", "10", None),
        (1.0, 200, "0", "9", None),
        (9.5, 429, "0", "1", "1"),
        (10.0, 200, "1", "10", None),
        (10.1, 200, "0", "10", None),
        (19.9, 429, "0", "1", "1"),
        (25.0, 200, "1", "5", None),
    ]


def test_unlimited_sandbox_still_sends_rate_headers(seed_client: httpx.Client) -> None:
    headers = seed_client.get("/Scripts").headers
    assert headers["X-RateLimit-Limit"] == "1000000000"
    assert int(headers["X-RateLimit-Remaining"]) < 1000000000


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"profile": "other"}, "unknown profile 'other'"),
        ({"records": 0}, "records must be a positive integer"),
        ({"max_concurrent": 0}, "max_concurrent must be a positive integer"),
        ({"rate_limit": -1}, "rate_limit must be a positive integer"),
        ({"rate_window": 0}, "rate_window must be > 0"),
        ({"latency_ms": -5}, "latency_ms must be a finite number >= 0"),
        ({"token_ttl": 0}, "token_ttl must be > 0"),
        ({"faults": "500=2"}, "fault probability for '500' must be a number in [0, 1]"),
        ({"password": ""}, "username and password must not be empty"),
    ],
)
def test_bad_options_are_configuration_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Sandbox(**options)  # type: ignore[arg-type]
