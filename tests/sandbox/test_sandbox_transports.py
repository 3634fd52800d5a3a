"""The in-process httpx transports answer exactly as the socket server does."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from cwa_query.sandbox import Sandbox

LOGIN = {"Username": "sandbox", "Password": "sandbox"}


def test_sync_transport_matches_the_socket_server() -> None:
    sandbox = Sandbox(profile="seed", records=40, seed=2)
    params = {"condition": "Status = 'Online' and ClientID in (1, 2)", "pageSize": 7, "page": 2}
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.api_url) as client:
        token = client.post("/APICredentials", json=LOGIN).json()["AccessToken"]
        local = client.get("/Computers", params=params, headers={"Authorization": f"Bearer {token}"})
    with sandbox, httpx.Client(base_url=sandbox.api_url, trust_env=False) as client:
        remote = client.get("/Computers", params=params, headers={"Authorization": f"Bearer {token}"})
    assert local.status_code == remote.status_code == 200
    assert local.json() == remote.json()
    assert local.headers["X-Total-Count"] == remote.headers["X-Total-Count"]


def test_async_transport() -> None:
    sandbox = Sandbox("automate", 15)

    async def main() -> list[int]:
        headers = {"ClientId": sandbox.credentials.client_id}
        async with httpx.AsyncClient(
            transport=sandbox.async_transport(), base_url=sandbox.api_url, headers=headers
        ) as client:
            login = await client.post("/apitoken", json={"UserName": "sandbox", "Password": "sandbox"})
            client.headers["Authorization"] = f"Bearer {login.json()['AccessToken']}"
            answers = await asyncio.gather(*(client.get(f"/Computers/{i}") for i in (3, 1, 2)))
        return [a.json()["Id"] for a in answers]

    assert asyncio.run(main()) == ["3", "1", "2"]
    assert sandbox.stats()["responses_by_status"] == {"200": 4}


def test_reset_in_process_is_a_remote_protocol_error() -> None:
    sandbox = Sandbox(profile="seed", records=5, faults="reset=1")
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.api_url) as client:
        token = client.post("/APICredentials", json=LOGIN).json()["AccessToken"]
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/Computers", headers={"Authorization": f"Bearer {token}"})


def test_stats_endpoint_and_reset(seed_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=seed_sandbox.url, trust_env=False) as client:
        client.get("/cwa/api/v1/Computers")
        stats = client.get("/_sandbox/stats").json()
        cleared = client.delete("/_sandbox/stats").json()
    keys = {"requests", "responses_by_status", "responses_429", "max_concurrent_seen", "faults_injected"}
    assert keys <= set(stats)
    assert stats["requests"] >= 1
    assert stats["requests_by_route"]["GET /Computers"] >= 1
    assert (cleared["requests"], cleared["responses_by_status"]) == (0, {})


def test_url_only_while_running() -> None:
    sandbox = Sandbox(profile="seed", records=5)
    assert repr(sandbox) == "<Sandbox profile='seed' records=5 not started>"
    with pytest.raises(Exception, match="not running"):
        _ = sandbox.url
    with sandbox:
        assert sandbox.running
        with pytest.raises(Exception, match="already running"):
            sandbox.start()
    assert not sandbox.running
    sandbox.stop()  # idempotent


def test_credentials_repr_hides_secrets() -> None:
    creds = Sandbox(profile="seed", records=5, password="hunter2", two_factor_code="999111").credentials
    assert "hunter2" not in repr(creds)
    assert "999111" not in repr(creds)
    assert (creds.password, creds.two_factor_code) == ("hunter2", "999111")
    assert "hunter2" not in repr(Sandbox(profile="seed", records=5, password="hunter2").config)


def test_stop_closes_connections_with_requests_in_flight() -> None:
    sandbox = Sandbox(profile="seed", records=5, faults="slow=1", slow_ms=30_000).start()
    outcome: list[object] = []

    def call() -> None:
        with httpx.Client(base_url=sandbox.api_url, trust_env=False, timeout=60) as client:
            token = client.post("/APICredentials", json=LOGIN).json()["AccessToken"]
            try:
                outcome.append(client.get("/Scripts", headers={"Authorization": f"Bearer {token}"}))
            except httpx.TransportError as exc:
                outcome.append(exc)

    worker = threading.Thread(target=call)
    worker.start()
    while sandbox.stats()["in_flight"] == 0 and worker.is_alive():
        worker.join(0.01)
    sandbox.stop()
    worker.join(20)
    assert not worker.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], httpx.TransportError)  # the connection closed, no answer
    assert sandbox.stats()["in_flight"] == 0
