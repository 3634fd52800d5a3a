"""An in-process stand-in for the API, for the unit tests of the executor's layers.

It speaks just enough of both profiles (login, paging, ClientId) for `httpx.MockTransport`;
the integration tests use the real sandbox (`cwa_query.sandbox`) over sockets instead.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.parse
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

PASSWORD = "pw-Secret-123"


class FakeApi:
    """A callable for `httpx.MockTransport` / `httpx.MockTransport` (sync and async)."""

    def __init__(
        self,
        profile: str = "seed",
        *,
        records: int = 30,
        token_ttl: float = 3600.0,
        two_factor: str | None = None,
        client_id: str | None = None,
        script: Callable[[httpx.Request, int], httpx.Response | Exception | None] | None = None,
        rate_headers: tuple[int, int, int] | None = None,
    ) -> None:
        self.profile = profile
        self.rows = [{"Id": i, "Name": f"PC-{i:04d}"} for i in range(1, records + 1)]
        self.token_ttl = token_ttl
        self.two_factor = two_factor
        self.client_id = client_id
        self.script = script
        self.rate_headers = rate_headers
        self.lock = threading.Lock()
        self.calls: list[httpx.Request] = []
        self.logins = 0
        self.tokens: set[str] = set()
        self.counter = Counter[str]()
        self.conditions: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.calls.append(request)
            n = len(self.calls)
        if self.script is not None:
            outcome = self.script(request, n)
            if isinstance(outcome, Exception):
                raise outcome
            if outcome is not None:
                return outcome
        path = request.url.path.removeprefix("/cwa/api/v1/")
        if self.profile == "automate" and self.client_id and request.headers.get("ClientId") != self.client_id:
            return httpx.Response(401, json={"Message": "ClientId header missing"})
        if path.lower() in ("apicredentials", "apitoken"):
            return self._login(json.loads(request.content))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return self._error(401, "Unauthorized", "token expired or invalid")
        return self._list(request, path)

    def _error(self, status: int, code: str, message: str) -> httpx.Response:
        if self.profile == "seed":
            return httpx.Response(status, json={"error": {"code": code, "message": message, "details": None}})
        return httpx.Response(status, json={"Message": message})

    def _login(self, body: dict[str, Any]) -> httpx.Response:
        user_key = "Username" if self.profile == "seed" else "UserName"
        if body.get(user_key) != "api" or body.get("Password") != PASSWORD:
            return self._error(401, "InvalidCredentials", "bad user name or password")
        code_key = "TwoFactorCode" if self.profile == "seed" else "TwoFactorPasscode"
        if self.two_factor is not None and body.get(code_key) != self.two_factor:
            if self.profile == "seed":
                return self._error(401, "TwoFactorRequired", "two-factor code required")
            if code_key in body:
                return self._error(401, "InvalidPasscode", "wrong passcode")
            return httpx.Response(200, json={"IsTwoFactorRequired": True, "AccessToken": None})
        with self.lock:
            self.logins += 1
            token = f"tok-{self.logins}-SECRET"
            self.tokens.add(token)
        if self.profile == "seed":
            return httpx.Response(
                200, json={"AccessToken": token, "TokenType": "Bearer", "ExpiresIn": self.token_ttl, "UserID": 1}
            )
        expires = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=self.token_ttl)
        return httpx.Response(200, json={"AccessToken": token, "ExpirationDate": expires.isoformat()})

    def _list(self, request: httpx.Request, path: str) -> httpx.Response:
        raw = request.url.query.decode()
        params = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
        with self.lock:
            self.conditions.append(params.get("condition"))
        page = int(params.get("page", 1))
        size = int(params.get("pageSize", 50))
        with self.lock:
            self.counter[f"{path}:{page}"] += 1
        rows = self.rows[(page - 1) * size : page * size]
        headers = {}
        if self.profile == "seed":
            total = len(self.rows)
            headers = {
                "X-Total-Count": str(total),
                "X-Page": str(page),
                "X-Page-Size": str(size),
                "X-Total-Pages": str(-(-total // size)),
            }
        if self.rate_headers is not None:
            limit, remaining, reset = self.rate_headers
            headers |= {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(reset),
            }
        return httpx.Response(200, json=rows, headers=headers)
