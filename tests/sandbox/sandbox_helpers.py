"""Helpers for the sandbox tests: log in, make socket clients (all on 127.0.0.1)."""

from __future__ import annotations

import httpx

from cwa_query.client._bounds import verified_tls
from cwa_query.sandbox import Sandbox

RECORDS = 200


def seed_login(client: httpx.Client, sandbox: Sandbox) -> str:
    """Log in to a seed-profile sandbox; set and return the bearer token."""
    creds = sandbox.credentials
    body = {"Username": creds.username, "Password": creds.password}
    if creds.two_factor_code:
        body["TwoFactorCode"] = creds.two_factor_code
    answer = client.post("/APICredentials", json=body)
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["AccessToken"]
    client.headers["Authorization"] = f"Bearer {token}"
    return token


def automate_login(client: httpx.Client, sandbox: Sandbox) -> str:
    """Log in to an automate-profile sandbox (ClientId header set); set and return the token."""
    creds = sandbox.credentials
    client.headers["ClientId"] = creds.client_id
    answer = client.post("/apitoken", json={"UserName": creds.username, "Password": creds.password})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["AccessToken"]
    client.headers["Authorization"] = f"Bearer {token}"
    return token


def socket_client(sandbox: Sandbox, **options: object) -> httpx.Client:
    """An httpx client on the sandbox's API URL over a real socket (never any proxy).

    Its TLS settings are the clients' shared ones (`verified_tls`): plain http makes no TLS,
    and a context of its own would read the CA bundle again (tens of milliseconds a client)."""
    return httpx.Client(
        base_url=sandbox.api_url,
        trust_env=False,
        timeout=10,
        verify=verified_tls(),
        **options,  # type: ignore[arg-type]
    )


class FakeClock:
    """A monotonic clock that moves only when told: `Sandbox(..., clock=clock)`, then `clock.advance(s)`."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
