"""Each fault kind over a real socket, and the same fault seed giving the same schedule."""

from __future__ import annotations

import socket

import httpx
import pytest

from cwa_query.sandbox import FaultPlan, Sandbox
from tests.sandbox.sandbox_helpers import automate_login, seed_login, socket_client


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("429", 429, "RateLimited"),
        ("500", 500, "InternalServerError"),
        ("502", 502, "BadGateway"),
        ("503", 503, "ServiceUnavailable"),
    ],
)
def test_status_faults_have_profile_error_bodies(kind: str, status: int, code: str) -> None:
    with Sandbox(profile="seed", records=5, faults={kind: 1.0}) as sandbox, socket_client(sandbox) as client:
        seed_login(client, sandbox)  # authentication is never faulted
        answer = client.get("/Computers")
        stats = sandbox.stats()
    error = answer.json()["error"]
    assert (answer.status_code, error["code"], error["details"]) == (status, code, {"fault": kind})
    assert answer.headers.get("Retry-After") == ("1" if kind == "429" else None)
    assert "X-RateLimit-Limit" in answer.headers
    assert stats["faults_injected"] == {kind: 1}


def test_status_fault_in_the_automate_profile() -> None:
    with Sandbox("automate", 5, faults="503=1") as sandbox, socket_client(sandbox) as client:
        automate_login(client, sandbox)
        answer = client.get("/Computers")
    assert (answer.status_code, answer.json()) == (503, {"Message": "Service Unavailable (injected fault)"})


def test_reset_drops_the_connection_without_a_response() -> None:
    with Sandbox(profile="seed", records=5, faults="reset=1") as sandbox:
        with socket_client(sandbox) as client:
            token = seed_login(client, sandbox)
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
                client.get("/Computers")
        host, port = sandbox.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            raw.sendall(
                f"GET /cwa/api/v1/Computers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
            )
            try:
                received = raw.recv(1024)
            except ConnectionResetError:
                received = b""
        stats = sandbox.stats()
    assert received == b""  # not one byte of HTTP
    assert stats["faults_injected"] == {"reset": 2}
    assert "0" not in stats["responses_by_status"]


def test_slow_delays_past_slow_ms() -> None:
    with Sandbox(profile="seed", records=5, faults="slow=1", slow_ms=400) as sandbox, socket_client(sandbox) as client:
        seed_login(client, sandbox)
        with pytest.raises(httpx.ReadTimeout):
            client.get("/Scripts", timeout=httpx.Timeout(5, read=0.4))
        patient = client.get("/Scripts", timeout=5)
    assert patient.status_code == 200


def test_expire_expires_the_presented_token_from_now_on() -> None:
    with Sandbox("automate", 5, faults="expire=1") as sandbox, socket_client(sandbox) as client:
        token = automate_login(client, sandbox)
        first = client.get("/Computers")  # a fresh token serves a request before it can expire
        answer = client.get("/Computers")
        refresh = client.post("/apitoken/refresh", json=token)  # auth calls are not faulted
    assert first.status_code == 200
    assert (answer.status_code, answer.json()) == (401, {"Message": "The access token has expired"})
    assert (refresh.status_code, refresh.json()) == (401, {"Message": "The access token has expired; log in again"})


def test_spurious_401_leaves_the_token_valid() -> None:
    with Sandbox("automate", 5, faults="401=1") as sandbox, socket_client(sandbox) as client:
        token = automate_login(client, sandbox)
        answer = client.get("/Computers")
        refresh = client.post("/apitoken/refresh", json=token)
    assert answer.status_code == 401
    assert "WWW-Authenticate" in answer.headers
    assert refresh.status_code == 200


def statuses(fault_seed: int, n: int = 40) -> list[int]:
    sandbox = Sandbox(profile="seed", records=5, faults="500=0.3,503=0.2,401=0.1", fault_seed=fault_seed)
    with sandbox, socket_client(sandbox) as client:
        seed_login(client, sandbox)
        return [client.get("/Scripts").status_code for _ in range(n)]


def test_same_fault_seed_same_schedule() -> None:
    plan = FaultPlan.parse("500=0.3,503=0.2,401=0.1")
    expected = [{None: 200, "500": 500, "503": 503, "401": 401}[kind] for kind in plan.schedule(40, seed=11)]
    first, second, other = statuses(11), statuses(11), statuses(12)
    assert first == second == expected
    assert other != first
    assert {200, 500, 503, 401} == set(first)
