"""The sandbox's request handling core, free of any I/O.

`SandboxApp.handle_sync()` / `handle_async()` take a `SandboxRequest` and give a
`SandboxResponse` (status, headers, body, plus `reset=True` for "drop the connection");
the socket server (`_server.py`) and the in-process httpx transports only move bytes.

Order of the checks for one request: `/_sandbox/...` is answered at once; the concurrency
limit (every API call); routing (404, 405); the automate profile's `ClientId` header;
authentication endpoints (never rate-limited nor faulted); the rate-limit window; the fault
draw; the bearer token; then the endpoint itself. Latency is added to every API answer.

The concerns live in their own modules: options (`_config`), requests and answers
(`_http`), tokens (`_sessions`), the rate window (`_limits`), faults (`_faults`), routing
(`_routes`), the data endpoints (`_resources`), list parameters and filtering (`_query`),
the automate server's refusals (`_strict`), and the data: the seed profile's (`_data`), the
automate profile's generated from the catalogue (`_automate`, with `_pools` and `_curated`).
"""

from __future__ import annotations

import asyncio
import http
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from ._config import API_PREFIX, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, UNLIMITED, SandboxConfig
from ._faults import FaultInjector
from ._http import QUOTED_CHARS, HttpError, SandboxRequest, SandboxResponse, json_response
from ._limits import RateWindow
from ._query import parse_query
from ._resources import Resources
from ._routes import Router
from ._sessions import INVALID_TOKEN, Sessions
from ._stats import Stats

__all__ = [
    "API_PREFIX",
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "SLOW_MARGIN",
    "UNLIMITED",
    "SandboxApp",
    "SandboxConfig",
    "SandboxRequest",
    "SandboxResponse",
]

logger = logging.getLogger("cwa_query.sandbox")

#: Seconds a `slow` fault adds beyond `slow_ms`, so a client timeout of exactly `slow_ms` trips.
SLOW_MARGIN: Final = 0.05
#: `Retry-After` seconds of a 429 for too many concurrent requests or an injected 429.
RETRY_AFTER: Final = "1"


class SandboxApp:
    """The state and request handling of one sandbox (thread-safe).

    `clock` (monotonic seconds) drives token expiry and the rate-limit window, so tests can
    move time without sleeping.

    >>> app = SandboxApp(SandboxConfig(profile="seed", records=10))
    >>> answer = app.handle_sync(SandboxRequest("GET", "/cwa/api/v1/Computers"))
    >>> answer.status, answer.json()["error"]["code"]
    (401, 'Unauthorized')
    """

    def __init__(self, config: SandboxConfig | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config or SandboxConfig()
        self._clock = clock
        self._lock = threading.Lock()
        self._stats = Stats()
        self.api = self.config.api
        self._faults = FaultInjector(self.config.faults, self.config.fault_seed)
        self._rate = RateWindow(self.config, clock)
        self.sessions = Sessions(self.config, clock, self._count_token)
        self.resources = Resources(self.config)
        self._router = Router(
            [*self.api.login_routes(self.sessions), *self.resources.routes()],
            case_insensitive=self.api.case_insensitive,
            prefix=self.api.api_prefix,
        )

    @property
    def data(self) -> Any:
        """The generated records (a `Dataset`, or the automate profile's lazy `AutomateDataset`)."""
        return self.resources.data

    def _count_token(self) -> None:
        with self._lock:
            self._stats.tokens_issued += 1

    # ----------------------------------------------------------------- entry points

    def handle_sync(self, request: SandboxRequest) -> SandboxResponse:
        """Answer `request`, sleeping (blocking) for latency and slow faults."""
        answer, admitted = self._admit_and_handle(request)
        try:
            if answer.delay > 0:
                time.sleep(answer.delay)
        finally:
            if admitted:
                self._leave()
        return answer

    async def handle_async(self, request: SandboxRequest) -> SandboxResponse:
        """Answer `request`, sleeping (asynchronously) for latency and slow faults.

        A request with a query string (a condition to evaluate, an order to sort by) is
        answered in a worker thread (the loop's default executor), not on the event loop:
        evaluating four 12 kB `or` chains on the loop held every other connection, even
        `/_sandbox/stats`, for 8.4 s. The rest is cheap and answered on the loop.
        """
        if "?" in request.target and not _is_sandbox_path(request.target):
            answer, admitted = await self._off_the_loop(request)
        else:
            answer, admitted = self._admit_and_handle(request)
        try:
            if answer.delay > 0:
                await asyncio.sleep(answer.delay)
        finally:
            if admitted:
                self._leave()
        return answer

    async def _off_the_loop(self, request: SandboxRequest) -> tuple[SandboxResponse, bool]:
        work = asyncio.get_running_loop().run_in_executor(None, self._admit_and_handle, request)
        try:
            return await asyncio.shield(work)
        except asyncio.CancelledError:  # the connection went away; the worker still finishes
            work.add_done_callback(self._leave_when_done)
            raise

    def _leave_when_done(self, work: asyncio.Future[tuple[SandboxResponse, bool]]) -> None:
        if not work.cancelled() and work.exception() is None and work.result()[1]:
            self._leave()

    def error_response(self, status: int, message: str, details: Mapping[str, Any] | None = None) -> SandboxResponse:
        """An error answer in the profile's shape (also used by the socket layer for protocol errors)."""
        return self._error(HttpError(status, message, details))

    # ----------------------------------------------------------------- stats

    def stats(self) -> dict[str, Any]:
        """Counters since start (or the last `reset_stats()`), as `GET /_sandbox/stats` returns them."""
        with self._lock:
            s = self._stats
            return {
                "profile": self.config.profile,
                "records": self.config.records,
                "requests": s.requests,
                "in_flight": s.in_flight,
                "max_concurrent_seen": s.max_concurrent_seen,
                "responses_by_status": {str(k): v for k, v in sorted(s.by_status.items())},
                "responses_429": s.by_status.get(429, 0),
                "faults_injected": dict(sorted(s.faults.items())),
                "concurrency_rejected": s.concurrency_rejected,
                "rate_limited": s.rate_limited,
                "auth_requests": s.auth_requests,
                "tokens_issued": s.tokens_issued,
                "requests_by_route": dict(sorted(s.by_route.items())),
            }

    def reset_stats(self) -> None:
        """Zero every counter (in-flight requests stay counted as in flight)."""
        with self._lock:
            self._stats = Stats(in_flight=self._stats.in_flight)

    # ----------------------------------------------------------------- the pipeline

    def _admit_and_handle(self, request: SandboxRequest) -> tuple[SandboxResponse, bool]:
        path = request.target.split("?", 1)[0]
        if _is_sandbox_path(path):
            return self._sandbox_endpoint(request, path), False
        too_long = self._query_string_too_long(request)
        if too_long is not None:
            answer = self._error(too_long)
            self._finish(request, answer, "<query string too long>")
            return answer, False
        limit = self.config.max_concurrent
        with self._lock:
            stats = self._stats
            stats.requests += 1
            stats.in_flight += 1
            stats.max_concurrent_seen = max(stats.max_concurrent_seen, stats.in_flight)
            rejected = limit is not None and stats.in_flight > limit
            if rejected:
                stats.in_flight -= 1
                stats.concurrency_rejected += 1
        latency = self.config.latency_ms / 1000.0
        if rejected:
            too_many = HttpError(
                429, f"Too many concurrent requests (limit {limit})", {"limit": limit}, [("Retry-After", RETRY_AFTER)]
            )
            answer = self._decorate(self._error(too_many))
            answer.delay = latency
            self._finish(request, answer, "concurrency")
            return answer, False
        try:
            answer, route_name = self._handle(request, path)
        except Exception:  # a bug in the sandbox must not take the connection down silently
            logger.exception("sandbox: internal error on %s %s", request.method, path[:QUOTED_CHARS])
            answer, route_name = self._decorate(self._error(HttpError(500, "Internal sandbox error"))), "error"
        answer.delay += latency
        self._finish(request, answer, route_name)
        return answer, True

    def _query_string_too_long(self, request: SandboxRequest) -> HttpError | None:
        """A 404 for a query string longer than the limit, as IIS's request filtering answers
        (404.15) before the application sees the request: no authentication, no rate window."""
        limit = self.config.query_string_limit
        _, _, query = request.target.partition("?")
        if limit is None or len(query) <= limit:
            return None
        message = (
            f"The query string is too long: {len(query):,} bytes, over the server's limit of {limit:,} "
            "(IIS request filtering, 404.15)"
        )
        return HttpError(404, message, {"limit": limit, "length": len(query)})

    def _leave(self) -> None:
        with self._lock:
            self._stats.in_flight -= 1

    def _finish(self, request: SandboxRequest, answer: SandboxResponse, route_name: str) -> None:
        with self._lock:
            if not answer.reset:
                self._stats.by_status[answer.status] += 1
            self._stats.by_route[f"{request.method} {route_name}"] += 1

    def _handle(self, request: SandboxRequest, path: str) -> tuple[SandboxResponse, str]:
        route_name = "<unmatched>"
        fault: str | None = None
        try:
            self.api.check_request(self.sessions, request)
            route, ids = self._router.route(request, path)
            route_name = route.name
            query = parse_query(request.target)
            if route.auth:
                with self._lock:
                    self._stats.auth_requests += 1
                return self._decorate(route.handler(request, ids, query)), route_name
            rate_headers = self._admit_rate()
            fault = self._faults.next()
            if fault == "expire" and not self.sessions.has_served(request):
                # a token expires after serving a request; one refused at once is the `401` fault
                fault = None
            if fault is not None:
                with self._lock:
                    self._stats.faults[fault] += 1
            answer = self._fault_answer(fault, request)
            if answer is None:
                self.api.authenticate(self.sessions, request)
                answer = route.handler(request, ids, query)
            answer = self._decorate(answer, rate_headers)
        except HttpError as err:
            answer = self._decorate(self._error(err), err.rate_headers)
        if fault == "slow":  # whatever the answer is, it comes late
            answer.delay += self.config.slow_ms / 1000.0 + SLOW_MARGIN
        return answer, route_name

    def _decorate(self, answer: SandboxResponse, rate_headers: list[tuple[str, str]] | None = None) -> SandboxResponse:
        if self.api.rate_headers:
            answer.headers.extend(rate_headers if rate_headers is not None else self._rate.headers(count=False)[0])
        return answer

    # ----------------------------------------------------------------- limits and faults

    def _admit_rate(self) -> list[tuple[str, str]]:
        try:
            return self._rate.admit()
        except HttpError:
            with self._lock:
                self._stats.rate_limited += 1
            raise

    def _fault_answer(self, fault: str | None, request: SandboxRequest) -> SandboxResponse | None:
        if fault is None or fault == "slow":
            return None
        if fault == "reset":
            return SandboxResponse(0, reset=True)
        if fault == "429":
            return self._error(
                HttpError(429, "Too many requests (injected fault)", {"fault": fault}, [("Retry-After", RETRY_AFTER)])
            )
        if fault in ("500", "502", "503"):
            status = int(fault)
            return self._error(
                HttpError(status, f"{http.HTTPStatus(status).phrase} (injected fault)", {"fault": fault})
            )
        if fault == "expire":
            self.sessions.expire(request)
            return self._error(HttpError(401, "The access token has expired", headers=INVALID_TOKEN))
        return self._error(
            HttpError(401, "Authorization has been denied for this request (injected fault)", headers=INVALID_TOKEN)
        )

    # ----------------------------------------------------------------- the sandbox's own endpoints

    def _sandbox_endpoint(self, request: SandboxRequest, path: str) -> SandboxResponse:
        if path == "/_sandbox/stats":
            if request.method == "GET":
                return json_response(200, self.stats())
            if request.method == "DELETE":
                self.reset_stats()
                return json_response(200, self.stats())
            return self._error(
                HttpError(405, "Use GET or DELETE on /_sandbox/stats", headers=[("Allow", "GET, DELETE")])
            )
        return self._error(HttpError(404, f"No such endpoint: {request.method} {path[:QUOTED_CHARS]}"))

    # ----------------------------------------------------------------- errors

    def _error(self, err: HttpError) -> SandboxResponse:
        return json_response(err.status, self.api.error_body(err.status, err.message, err.details), err.headers)


def _is_sandbox_path(target: str) -> bool:
    """Whether `target` is one of the sandbox's own endpoints (`/_sandbox/...`)."""
    path = target.split("?", 1)[0]
    return path.startswith("/_sandbox/") or path == "/_sandbox"
