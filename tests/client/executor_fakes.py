"""The sandbox answering in process, for the unit tests of the executor's layers.

Not a second fake API: every answer comes from the real sandbox core (`cwa_query.sandbox`,
through its in-process `SandboxTransport`). This wrapper only records the requests a test
inspects and lets a test script an exact fault for one request (`script`), which the
sandbox's seeded fault plan cannot aim at a given request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx

from cwa_query.sandbox import Sandbox, SandboxTransport

PASSWORD = "pw-Secret-123"
USERNAME = "api"
ID = {"seed": "ComputerID", "automate": "Id"}
NAME = {"seed": "Name", "automate": "ComputerName"}

Script = Callable[[httpx.Request, int], "httpx.Response | Exception | None"]


class SandboxApi:
    """A callable for `httpx.MockTransport` (sync and async): the sandbox, recorded and scriptable."""

    def __init__(
        self,
        profile: str = "seed",
        *,
        records: int = 30,
        token_ttl: float | None = None,
        two_factor: str | None = None,
        client_id: str | None = None,
        script: Script | None = None,
    ) -> None:
        self.profile = profile
        self.sandbox = Sandbox(
            profile,  # type: ignore[arg-type]
            records=records,
            token_ttl=token_ttl,
            two_factor_code=two_factor,
            client_id=client_id,
            username=USERNAME,
            password=PASSWORD,
        )
        self._transport = SandboxTransport(self.sandbox.app)
        self.script = script
        self.lock = threading.Lock()
        self.calls: list[httpx.Request] = []

    @property
    def logins(self) -> int:
        """Tokens the sandbox issued (logins and refreshes)."""
        issued: int = self.sandbox.stats()["tokens_issued"]
        return issued

    def ids(self, rows: list[dict[str, Any]]) -> list[Any]:
        """The ids of `rows`, as integers (the automate profile sends `Id` as a string)."""
        return [int(row[ID[self.profile]]) for row in rows]

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
        response = self._transport.handle_request(request)
        response.read()
        return response
