"""`Sandbox`: the public face of the sandbox server."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Final

from ..errors import ConfigurationError
from ._app import SandboxApp
from ._config import SandboxConfig
from ._data import DEFAULT_RECORDS
from ._faults import FaultPlan
from ._profiles import DEFAULT_PROFILE
from ._server import AsyncSandboxTransport, SandboxTransport, ThreadRunner, bind, serve_socket

__all__ = ["DEFAULT_CLIENT_ID", "Sandbox", "SandboxCredentials"]

#: The `ClientId` header value `Sandbox.credentials` offers when no `client_id` is configured
#: (the automate profile then accepts any non-empty value).
DEFAULT_CLIENT_ID: Final = "00000000-5a4d-4b0c-8e7a-c0ffee5a4db0"
#: The keyword options `Sandbox` passes on to `SandboxConfig`: all of its fields, so the two never drift.
_OPTIONS: Final = frozenset(f.name for f in dataclasses.fields(SandboxConfig)) - {
    "profile",
    "records",
    "seed",
    "faults",
}


@dataclass(frozen=True)
class SandboxCredentials:
    """What a client needs to log in to a sandbox; the password and code stay out of `repr()`.

    >>> SandboxCredentials("sandbox", "s3cret", "abc", None)
    SandboxCredentials(username='sandbox', client_id='abc', two_factor_code=None)
    """

    username: str
    password: str = field(repr=False)
    client_id: str
    two_factor_code: str | None

    def __repr__(self) -> str:
        code = None if self.two_factor_code is None else "***"
        return f"SandboxCredentials(username={self.username!r}, client_id={self.client_id!r}, two_factor_code={code!r})"


class Sandbox:
    """A stand-in for a ConnectWise Automate server: real HTTP on loopback, or in process.

    Profiles: `"seed"` follows the seed document (`POST /cwa/api/v1/APICredentials`, paging and
    `X-RateLimit-*` headers, `{"error": {...}}` bodies); `"automate"` follows the real server
    (`POST /cwa/api/v1/apitoken`, the `ClientId` header on every call, bare arrays, `orderBy`,
    `includeFields`/`excludeFields`, `{"Message": ...}` bodies); `"manage"` follows the
    ConnectWise Manage REST API (`GET /login/companyinfo/<company>`, the API under
    `/v2025_1/apis/3.0/`, Basic auth from `company`, `public_key` and `private_key` plus a
    `clientId` header, `conditions`/`childConditions`/`customFieldConditions`/`orderBy`/`fields`,
    `Link` paging, `{"code", "message", "errors"}` bodies; see `cwa_query.sandbox._manage_api`).
    The seed profile serves
    `Computers`, `Clients`, `Alerts` and `Scripts` (lists and `/{id}`) and
    `POST /Computers/{id}/Scripts/{scriptId}/Execute`; the automate profile every endpoint
    of the catalogue generated from the OpenAPI document (lists, items, `Computers/{id}/...`,
    one-object answers, `POST Batch/ScriptExecute`, `POST Computers/{id}/CommandExecute`),
    refusing what the real server refuses. `GET /_sandbox/stats` returns counters (also
    `stats()`); `DELETE /_sandbox/stats` zeroes them.

    Options (keyword arguments):

    - `profile`: `"automate"` (default: as the real server) or `"seed"` (as the seed document).
    - `records`, `seed`: how many computers, and the seed of the deterministic data (clients,
      locations, alerts in proportion; 25 scripts).
    - `latency_ms`: added to every API answer.
    - `max_concurrent`: more requests in flight than this get 429 with `Retry-After: 1`.
    - `rate_limit`, `rate_window`: fixed windows of `rate_window` seconds (default 60) with at
      most `rate_limit` requests each (authentication calls not counted); past that, 429
      with `Retry-After` = seconds to the next window.
    - `faults`, `fault_seed`: `"429=p,500=p,502=p,503=p,reset=p,slow=p,expire=p,401=p"` (or a
      mapping): each API request independently, from a generator seeded with
      `fault_seed`, gets at most one fault (`FaultPlan.schedule()` previews them).
      `reset` drops the connection with no answer; `slow` delays the answer by
      `slow_ms` + 50 ms; `expire` expires the presented token from now on (401) once it has served a request; `401`
      is a spurious 401. Authentication calls and `/_sandbox/` are never faulted.
    - `slow_ms`: see `slow` (default 1500).
    - `token_ttl`: token lifetime in seconds (default 4 h for seed, 1 h for automate).
    - `username`, `password`: the one account (default `sandbox` / `sandbox`).
    - `client_id`: the `ClientId` the automate profile requires (default: any non-empty value).
    - `two_factor_code`: when set, logging in needs this code (seed: `TwoFactorCode` in the
      first request; automate: a first answer with `IsTwoFactorRequired: true`, then a
      second request with `TwoFactorPasscode`).
    - `max_body_bytes`: larger request bodies get 413 (default 1 MiB).
    - `max_query_string`: a longer query string (after `?`, as sent) gets 404 "query string too
      long", as IIS's request filtering answers (404.15); default: 2,048 bytes for automate (IIS's
      default), none for seed (whose request line is bounded at 16 KiB, 414 past it).
    - `ignore_unknown_parameters`: ignore a query parameter the endpoint does not read, as
      the real server does (default: answer it with a 400 naming it, so a typo such as
      `conditon=` does not silently return every row).
    - `token_date_offset`: write the automate token's `ExpirationDate` with `+00:00` (the
      real server often sends none; some clients, such as pyconnectwise, need one).
    - `host`, `port`: where `start()` listens (default 127.0.0.1, a free port).
    - `clock`: monotonic seconds for token expiry and rate windows (default
      `time.monotonic`); tests pass their own to move time without sleeping.

    Every option but `host`, `port` and `clock` is a field of `SandboxConfig` (`sandbox.config`).

    Use it as a context manager to serve over a real socket from a background thread:

    >>> import httpx
    >>> with Sandbox(profile="seed", records=30) as sandbox:
    ...     login = {"Username": "sandbox", "Password": "sandbox"}
    ...     token = httpx.post(f"{sandbox.api_url}/APICredentials", json=login).json()["AccessToken"]
    ...     answer = httpx.get(
    ...         f"{sandbox.api_url}/Computers",
    ...         params={"condition": "Status = 'Online'", "pageSize": 5},
    ...         headers={"Authorization": f"Bearer {token}"},
    ...     )
    ...     print(sandbox.url.startswith("http://127.0.0.1:"))
    True
    >>> answer.status_code, len(answer.json()), answer.headers["X-Page-Size"]
    (200, 5, '5')

    Or in process, with no socket at all (`transport()` / `async_transport()`):

    >>> sandbox = Sandbox(profile="automate", records=10)
    >>> with httpx.Client(transport=sandbox.transport(), base_url=sandbox.api_url) as client:
    ...     client.get("/Computers").json()
    {'Message': 'The ClientId header is required'}
    """

    def __init__(
        self,
        profile: str = DEFAULT_PROFILE,
        records: int = DEFAULT_RECORDS,
        seed: int = 0,
        *,
        faults: str | Mapping[str, float] | FaultPlan | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
        **options: Any,
    ) -> None:
        unknown = sorted(set(options) - _OPTIONS)
        if unknown:
            raise ConfigurationError(
                f"sandbox: unknown option {', '.join(map(repr, unknown))}; options: {', '.join(sorted(_OPTIONS))}"
            )
        self.config = SandboxConfig(
            profile=profile, records=records, seed=seed, faults=FaultPlan.parse(faults), **options
        )
        self.app = SandboxApp(self.config, clock=clock)
        self.host = host
        self.port = port
        self._runner: ThreadRunner | None = None
        self._url: str | None = None

    def __repr__(self) -> str:
        state = self._url or "not started"
        return f"<Sandbox profile={self.config.profile!r} records={self.config.records} {state}>"

    # ------------------------------------------------------------ lifecycle

    def _listen(self) -> socket.socket:
        if self._url is not None:
            raise ConfigurationError("this sandbox is already running")
        try:
            sock = bind(self.host, self.port)
        except OSError as exc:
            raise ConfigurationError(f"sandbox: cannot listen on {self.host}:{self.port}: {exc.strerror}") from exc
        host, port = sock.getsockname()[:2]
        self._url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        return sock

    async def serve(self, stop: asyncio.Event, *, ready: Callable[[Sandbox], None] | None = None) -> None:
        """Serve on the running event loop until `stop` is set (what `cwa-query sandbox` does).

        `ready(self)` is called once the socket listens; `url` is valid from then until this returns.
        """
        sock = self._listen()
        try:
            if ready is not None:
                ready(self)
            await serve_socket(self.app, sock, stop)
        finally:
            self._url = None

    def start(self) -> Sandbox:
        """Listen on `host:port` and serve from a background thread; returns `self`."""
        sock = self._listen()
        runner = ThreadRunner(self.app, sock)
        try:
            runner.start()
        except BaseException:
            sock.close()
            self._url = None
            raise
        self._runner = runner
        return self

    def stop(self) -> None:
        """Close every connection and stop serving (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.stop()
        self._url = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Sandbox:
        """`async with Sandbox(...) as sandbox:` serves from a background thread, as `with` does."""
        return self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the socket server is up."""
        return self._runner is not None

    # ------------------------------------------------------------ addresses and credentials

    @property
    def url(self) -> str:
        """The base URL, `http://127.0.0.1:PORT` (only while running)."""
        if self._url is None:
            raise ConfigurationError("the sandbox is not running: use `with Sandbox(...) as sandbox:` or .start()")
        return self._url

    @property
    def api_url(self) -> str:
        """`url` + the profile's API prefix (`/cwa/api/v1`, Manage's `/v2025_1/apis/3.0`) while
        running; `http://sandbox` + the prefix for the in-process transports."""
        return f"{self._url or 'http://sandbox'}{self.config.api.api_prefix}"

    def client_options(self) -> dict[str, str | None]:
        """The keyword arguments that give `Client`/`AsyncClient` this sandbox's profile and credentials.

        >>> Sandbox("manage", 5).client_options()["company"]
        'sandbox'
        """
        c = self.config
        return {"profile": c.profile, **c.api.client_credentials(c, c.client_id or DEFAULT_CLIENT_ID)}

    @property
    def credentials(self) -> SandboxCredentials:
        """Username, password, a `ClientId` header value and the two-factor code (or `None`)."""
        c = self.config
        return SandboxCredentials(c.username, c.password, c.client_id or DEFAULT_CLIENT_ID, c.two_factor_code)

    # ------------------------------------------------------------ in-process use and counters

    def transport(self) -> SandboxTransport:
        """An httpx transport answering in process: `httpx.Client(transport=sandbox.transport())`."""
        return SandboxTransport(self.app)

    def async_transport(self) -> AsyncSandboxTransport:
        """An async httpx transport answering in process: `httpx.AsyncClient(transport=...)`."""
        return AsyncSandboxTransport(self.app)

    def stats(self) -> dict[str, Any]:
        """The counters `GET /_sandbox/stats` returns (requests, responses_by_status, responses_429, ...)."""
        return self.app.stats()

    def reset_stats(self) -> None:
        """Zero the counters."""
        self.app.reset_stats()
