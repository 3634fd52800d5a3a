"""The sandbox's request handling core, free of any I/O.

`SandboxApp.handle_sync()` / `handle_async()` take a `SandboxRequest` and give a
`SandboxResponse` (status, headers, body, plus `reset=True` for "drop the connection");
the socket server (`_server.py`) and the in-process httpx transports only move bytes.

Order of the checks for one request: `/_sandbox/...` is answered at once; the concurrency
limit (every API call); routing (404, 405); the automate profile's `ClientId` header;
authentication endpoints (never rate-limited nor faulted); the rate-limit window; the fault
draw; the bearer token; then the endpoint itself. Latency is added to every API answer.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as _dt
import http
import json
import logging
import math
import re
import secrets
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qsl

from ..errors import ConditionSyntaxError, ConfigurationError, CwaQueryError
from ..language import ast
from ..language._parser import parse
from ._data import Dataset, Profile, dataset, json_default
from ._faults import FaultInjector, FaultPlan

__all__ = ["SandboxApp", "SandboxConfig", "SandboxRequest", "SandboxResponse"]

logger = logging.getLogger("cwa_query.sandbox")

API_PREFIX: Final = "/cwa/api/v1"
MAX_PAGE_SIZE: Final = 1000
DEFAULT_PAGE_SIZE: Final = 50
#: Unlimited rate limits are reported with this `X-RateLimit-Limit` (the seed profile sends the headers always).
UNLIMITED: Final = 1_000_000_000
_DEFAULT_TTL: Final = {"seed": 14400.0, "automate": 3600.0}

_ERROR_CODES: Final = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    414: "UriTooLong",
    415: "UnsupportedMediaType",
    429: "RateLimited",
    431: "RequestHeaderFieldsTooLarge",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
}


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox is configured with; see `Sandbox` for the meaning of each option."""

    profile: Profile = "seed"
    records: int = 1000
    seed: int = 0
    latency_ms: float = 0.0
    max_concurrent: int | None = None
    rate_limit: int | None = None
    rate_window: float = 60.0
    faults: FaultPlan = field(default_factory=FaultPlan)
    fault_seed: int = 0
    slow_ms: float = 1500.0
    token_ttl: float | None = None
    username: str = "sandbox"
    password: str = field(default="sandbox", repr=False)
    client_id: str | None = None
    two_factor_code: str | None = field(default=None, repr=False)
    max_body_bytes: int = 1 << 20

    def __post_init__(self) -> None:
        def bad(message: str) -> ConfigurationError:
            return ConfigurationError(f"sandbox: {message}")

        if self.profile not in ("seed", "automate"):
            raise bad(f"unknown profile {self.profile!r}; expected 'seed' or 'automate'")
        if isinstance(self.records, bool) or not isinstance(self.records, int) or self.records < 1:
            raise bad(f"records must be a positive integer, got {self.records!r}")
        for name in ("latency_ms", "slow_ms", "rate_window"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise bad(f"{name} must be a finite number >= 0, got {value!r}")
        if self.rate_window <= 0:
            raise bad("rate_window must be > 0 seconds")
        for name in ("max_concurrent", "rate_limit"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise bad(f"{name} must be a positive integer or None, got {value!r}")
        if self.token_ttl is not None and (not math.isfinite(self.token_ttl) or self.token_ttl <= 0):
            raise bad(f"token_ttl must be > 0 seconds, got {self.token_ttl!r}")
        if not self.username or not self.password:
            raise bad("username and password must not be empty")

    @property
    def ttl(self) -> float:
        """The token lifetime in seconds (the profile's default unless `token_ttl` is set)."""
        return self.token_ttl if self.token_ttl is not None else _DEFAULT_TTL[self.profile]


@dataclass
class SandboxRequest:
    """One HTTP request as the core sees it. Header names are lower-case."""

    method: str
    target: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The last value of header `name` (case-insensitive), or `None`."""
        name = name.lower()
        value = None
        for key, item in self.headers:
            if key == name:
                value = item
        return value


@dataclass
class SandboxResponse:
    """An answer: status, headers and body, sent after `delay` seconds; `reset` drops the connection."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay: float = 0.0
    reset: bool = False

    @property
    def reason(self) -> str:
        """The standard reason phrase of `status`."""
        try:
            return http.HTTPStatus(self.status).phrase
        except ValueError:
            return ""

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)


class _HttpError(Exception):
    """An error answer raised from deep inside a handler."""

    def __init__(
        self,
        status: int,
        message: str,
        details: Mapping[str, Any] | None = None,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = dict(details or {})
        self.headers = list(headers)
        self.rate_headers: list[tuple[str, str]] | None = None


@dataclass
class _Session:
    username: str
    expires: float  # monotonic
    expires_wall: _dt.datetime  # naive UTC
    refresh_token: str | None = None


@dataclass
class _Route:
    name: str
    methods: tuple[str, ...]
    segments: tuple[str, ...]  # literal segments, or "{}" for an id
    handler: Callable[[SandboxApp, SandboxRequest, list[str], dict[str, list[str]]], SandboxResponse]
    auth: bool = False  # an authentication endpoint (not rate-limited, not faulted, no bearer)


@dataclass
class _Stats:
    requests: int = 0
    in_flight: int = 0
    max_concurrent_seen: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    by_route: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    concurrency_rejected: int = 0
    rate_limited: int = 0
    auth_requests: int = 0
    tokens_issued: int = 0


_INT = re.compile(r"[0-9]{1,18}")


def _integer(name: str, raw: str) -> int:
    text = raw.strip()
    if not _INT.fullmatch(text):
        raise _HttpError(
            400, f"The {name} parameter must be a whole number, got {raw[:50]!r}", {"field": name, "value": raw[:200]}
        )
    return int(text)


def _get_path(record: Any, parts: Sequence[str]) -> Any:
    """The value at a dotted path (the first element's for a list of objects)."""
    value = record
    for part in parts:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (4, 0)
    if isinstance(value, _dt.datetime):
        return (3, value)
    if isinstance(value, bool | int | float):
        return (0, value)
    if isinstance(value, str):
        return (1, value.lower())
    return (2, json.dumps(value, sort_keys=True))


_Tree = dict[str, "_Tree"]


def _path_tree(paths: Iterable[str]) -> _Tree:
    tree: _Tree = {}
    for path in paths:
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
    return tree


def _include(value: Any, tree: _Tree) -> Any:
    if isinstance(value, list):
        return [_include(item, tree) for item in value]
    if not isinstance(value, Mapping):
        return value
    return {key: (_include(item, tree[key]) if tree[key] else item) for key, item in value.items() if key in tree}


def _exclude(value: Any, tree: _Tree) -> Any:
    if isinstance(value, list):
        return [_exclude(item, tree) for item in value]
    if not isinstance(value, Mapping):
        return value
    out = {}
    for key, item in value.items():
        if key in tree:
            if not tree[key]:
                continue
            item = _exclude(item, tree[key])
        out[key] = item
    return out


def _canonical_fields(node: ast.Node, fields: Mapping[str, str]) -> ast.Node:
    """`node` with every field name spelled as the data spells it; unknown names raise."""
    if isinstance(node, ast.Compare | ast.InList):
        canonical = fields.get(node.field.name.lower())
        if canonical is None:
            span = node.field.span
            raise _HttpError(
                400,
                f"Invalid field '{node.field.name}' in the condition",
                {"field": "condition", "name": node.field.name, "column": span.column if span else None},
            )
        if canonical == node.field.name:
            return node
        return dataclasses.replace(node, field=dataclasses.replace(node.field, name=canonical))
    if isinstance(node, ast.And | ast.Or):
        return dataclasses.replace(node, items=tuple(_canonical_fields(item, fields) for item in node.items))
    return dataclasses.replace(node, operand=_canonical_fields(node.operand, fields))


def _compile(node: ast.Node) -> Callable[[Mapping[str, Any]], bool]:
    from ..language import _evaluate  # the project's one evaluator

    compiler = getattr(_evaluate, "compile_predicate", None)
    if compiler is not None:
        predicate: Callable[[Mapping[str, Any]], bool] = compiler(node)
        return predicate
    evaluate = _evaluate.evaluate
    return lambda record: bool(evaluate(node, record))


class SandboxApp:
    """The state and request handling of one sandbox (thread-safe).

    >>> app = SandboxApp(SandboxConfig(records=10))
    >>> answer = app.handle_sync(SandboxRequest("GET", "/cwa/api/v1/Computers"))
    >>> answer.status, answer.json()["error"]["code"]
    (401, 'Unauthorized')
    """

    def __init__(self, config: SandboxConfig | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config or SandboxConfig()
        self.data: Dataset = dataset(self.config.profile, self.config.records, self.config.seed)
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}
        self._refresh_tokens: dict[str, str] = {}  # seed: refresh token -> username
        self._faults = FaultInjector(self.config.faults, self.config.fault_seed)
        self._started = clock()
        self._window_index = -1
        self._window_count = 0
        self._stats = _Stats()
        self._executions = 0
        self._cache: OrderedDict[tuple[Any, ...], list[dict[str, Any]]] = OrderedDict()
        # JSON of each generated record, made once: pages are then joined, not re-encoded.
        self._encoded: dict[int, bytes] = {}
        self._automate = self.config.profile == "automate"
        self._routes = _ROUTES_AUTOMATE if self._automate else _ROUTES_SEED
        self._json_default = json_default(self.config.profile)

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
        """Answer `request`, sleeping (asynchronously) for latency and slow faults."""
        answer, admitted = self._admit_and_handle(request)
        try:
            if answer.delay > 0:
                await asyncio.sleep(answer.delay)
        finally:
            if admitted:
                self._leave()
        return answer

    def error_response(self, status: int, message: str, details: Mapping[str, Any] | None = None) -> SandboxResponse:
        """An error answer in the profile's shape (also used by the socket layer for protocol errors)."""
        return self._error(_HttpError(status, message, details))

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
            self._stats = _Stats(in_flight=self._stats.in_flight)

    # ----------------------------------------------------------------- the pipeline

    def _admit_and_handle(self, request: SandboxRequest) -> tuple[SandboxResponse, bool]:
        path = request.target.split("?", 1)[0]
        if path.startswith("/_sandbox/") or path == "/_sandbox":
            return self._sandbox_endpoint(request, path), False
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
            too_many = _HttpError(
                429, f"Too many concurrent requests (limit {limit})", {"limit": limit}, [("Retry-After", "1")]
            )
            answer = self._decorate(self._error(too_many))
            answer.delay = latency
            self._finish(request, answer, "concurrency")
            return answer, False
        try:
            answer, route_name = self._handle(request, path)
        except Exception:  # a bug in the sandbox must not take the connection down silently
            logger.exception("sandbox: internal error on %s %s", request.method, path[:200])
            answer, route_name = self._decorate(self._error(_HttpError(500, "Internal sandbox error"))), "error"
        answer.delay += latency
        self._finish(request, answer, route_name)
        return answer, True

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
            if self._automate:
                self._check_client_id(request)
            route, ids = self._route(request, path)
            route_name = route.name
            query = self._query(request.target)
            if route.auth:
                with self._lock:
                    self._stats.auth_requests += 1
                return self._decorate(route.handler(self, request, ids, query)), route_name
            rate_headers = self._rate_limit()
            fault = self._faults.next()
            if fault is not None:
                with self._lock:
                    self._stats.faults[fault] += 1
            answer = self._fault_answer(fault, request)
            if answer is None:
                self._authenticate(request)
                answer = route.handler(self, request, ids, query)
            answer = self._decorate(answer, rate_headers)
        except _HttpError as err:
            answer = self._decorate(self._error(err), err.rate_headers)
        if fault == "slow":  # whatever the answer is, it comes late
            answer.delay += self.config.slow_ms / 1000.0 + 0.05
        return answer, route_name

    def _decorate(self, answer: SandboxResponse, rate_headers: list[tuple[str, str]] | None = None) -> SandboxResponse:
        if not self._automate:
            answer.headers.extend(rate_headers if rate_headers is not None else self._rate_headers(count=False))
        return answer

    # ----------------------------------------------------------------- routing and parameters

    def _route(self, request: SandboxRequest, path: str) -> tuple[_Route, list[str]]:
        segments = path.split("/")
        prefix = API_PREFIX.split("/")
        head = segments[: len(prefix)]
        matches_prefix = [s.lower() for s in head] == prefix if self._automate else head == prefix
        if matches_prefix:
            rest = segments[len(prefix) :]
            allowed: list[str] = []
            for route in self._routes:
                if len(route.segments) != len(rest):
                    continue
                ids: list[str] = []
                for want, got in zip(route.segments, rest, strict=True):
                    if want == "{}":
                        ids.append(got)
                    elif (want.lower() != got.lower()) if self._automate else (want != got):
                        break
                else:
                    if request.method in route.methods:
                        return route, ids
                    allowed.extend(route.methods)
            if allowed:
                raise _HttpError(
                    405,
                    f"Method {request.method} is not allowed on {path[:200]}; use {', '.join(allowed)}",
                    {"allowed": allowed},
                    [("Allow", ", ".join(allowed))],
                )
        raise _HttpError(404, f"No such endpoint: {request.method} {path[:200]}", {"path": path[:200]})

    def _query(self, target: str) -> dict[str, list[str]]:
        _, _, query = target.partition("?")
        try:
            pairs = parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=200)
        except UnicodeDecodeError:
            raise _HttpError(400, "The query string is not UTF-8 after percent-decoding (encode '%' as %25)") from None
        except ValueError as exc:
            raise _HttpError(400, f"Malformed query string: {exc}") from None
        out: dict[str, list[str]] = {}
        for key, value in pairs:
            out.setdefault(key.lower(), []).append(value)
        return out

    # ----------------------------------------------------------------- limits and faults

    def _rate_headers(self, *, count: bool) -> list[tuple[str, str]]:
        """The X-RateLimit-* headers (advancing the fixed window, and counting this request when `count`)."""
        return self._rate_window(count=count)[0]

    def _rate_window(self, *, count: bool) -> tuple[list[tuple[str, str]], int]:
        limit = self.config.rate_limit
        window = self.config.rate_window
        with self._lock:
            elapsed = self._clock() - self._started
            index = int(elapsed // window)
            if index != self._window_index:
                self._window_index, self._window_count = index, 0
            if count:
                self._window_count += 1
            used = self._window_count
        reset = max(1, math.ceil((index + 1) * window - elapsed))
        shown = limit if limit is not None else UNLIMITED
        headers = [
            ("X-RateLimit-Limit", str(shown)),
            ("X-RateLimit-Remaining", str(max(0, shown - used))),
            ("X-RateLimit-Reset", str(reset)),
        ]
        return headers, used

    def _rate_limit(self) -> list[tuple[str, str]]:
        """Count this request in the window; raise a 429 past the limit."""
        headers, used = self._rate_window(count=True)
        limit = self.config.rate_limit
        if limit is not None and used > limit:
            with self._lock:
                self._stats.rate_limited += 1
            reset = dict(headers)["X-RateLimit-Reset"]
            err = _HttpError(
                429,
                f"Rate limit exceeded: {limit} requests per {self.config.rate_window:g} s; retry in {reset} s",
                {"limit": limit, "window": self.config.rate_window},
                [("Retry-After", reset)],
            )
            err.rate_headers = headers
            raise err
        return headers

    def _fault_answer(self, fault: str | None, request: SandboxRequest) -> SandboxResponse | None:
        if fault is None or fault == "slow":
            return None
        if fault == "reset":
            return SandboxResponse(0, reset=True)
        if fault == "429":
            return self._error(
                _HttpError(429, "Too many requests (injected fault)", {"fault": fault}, [("Retry-After", "1")])
            )
        if fault in ("500", "502", "503"):
            status = int(fault)
            return self._error(
                _HttpError(status, f"{http.HTTPStatus(status).phrase} (injected fault)", {"fault": fault})
            )
        if fault == "expire":
            token = self._bearer(request)
            with self._lock:
                session = self._sessions.get(token) if token else None
                if session is not None:
                    session.expires = min(session.expires, self._clock())
            return self._unauthorized("The access token has expired")
        return self._unauthorized("Authorization has been denied for this request (injected fault)")

    # ----------------------------------------------------------------- authentication

    def _check_client_id(self, request: SandboxRequest) -> None:
        value = (request.header("clientid") or "").strip()
        if not value:
            raise _HttpError(401, "The ClientId header is required", {"header": "ClientId"})
        if self.config.client_id is not None and value != self.config.client_id:
            raise _HttpError(401, "Unknown ClientId", {"header": "ClientId"})

    @staticmethod
    def _bearer(request: SandboxRequest) -> str | None:
        value = request.header("authorization")
        if not value:
            return None
        scheme, _, token = value.strip().partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    def _unauthorized(self, message: str) -> SandboxResponse:
        return self._error(_HttpError(401, message, headers=[("WWW-Authenticate", 'Bearer error="invalid_token"')]))

    def _authenticate(self, request: SandboxRequest) -> _Session:
        token = self._bearer(request)
        if token is None:
            raise _HttpError(
                401,
                "Missing bearer token: send 'Authorization: Bearer <token>'",
                headers=[("WWW-Authenticate", "Bearer")],
            )
        with self._lock:
            session = self._sessions.get(token)
            expired = session is not None and self._clock() >= session.expires
        if session is None:
            raise _HttpError(
                401, "Invalid access token", headers=[("WWW-Authenticate", 'Bearer error="invalid_token"')]
            )
        if expired:
            raise _HttpError(
                401, "The access token has expired", headers=[("WWW-Authenticate", 'Bearer error="invalid_token"')]
            )
        return session

    def _issue(self, username: str, *, with_refresh: bool) -> tuple[str, _Session]:
        ttl = self.config.ttl
        token = secrets.token_urlsafe(32)
        session = _Session(
            username=username,
            expires=self._clock() + ttl,
            expires_wall=_dt.datetime.now(_dt.UTC).replace(tzinfo=None) + _dt.timedelta(seconds=ttl),
            refresh_token=secrets.token_urlsafe(32) if with_refresh else None,
        )
        with self._lock:
            now = self._clock()
            for old in [key for key, value in self._sessions.items() if value.expires + 2 * ttl < now]:
                del self._sessions[old]
            self._sessions[token] = session
            if session.refresh_token is not None:
                self._refresh_tokens[session.refresh_token] = username
            self._stats.tokens_issued += 1
        return token, session

    def _json_body(self, request: SandboxRequest) -> Any:
        content_type = (request.header("content-type") or "").lower()
        if content_type and "json" not in content_type:
            raise _HttpError(415, f"Send the body as application/json, not {content_type[:80]}")
        if len(request.body) > self.config.max_body_bytes:
            raise _HttpError(413, f"The body is larger than {self.config.max_body_bytes} bytes")
        try:
            return json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError:
            raise _HttpError(400, "The body is not UTF-8") from None
        except json.JSONDecodeError as exc:
            raise _HttpError(
                400, f"The body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from None

    def _credentials(self, request: SandboxRequest, names: Mapping[str, str]) -> dict[str, str | None]:
        """The credential fields of the body; `names` maps our key -> the profile's field name."""
        body = self._json_body(request)
        if not isinstance(body, dict):
            raise _HttpError(400, f"The body must be a JSON object, got {type(body).__name__}")
        lookup = {str(k).lower(): v for k, v in body.items()} if self._automate else body
        out: dict[str, str | None] = {}
        for key, name in names.items():
            value = lookup.get(name.lower() if self._automate else name)
            if value is not None and not isinstance(value, str):
                raise _HttpError(400, f"The {name} field must be a string", {"field": name})
            out[key] = value
        return out

    def _login_ok(self, username: str | None, password: str | None) -> bool:
        return (
            username is not None
            and password is not None
            and secrets.compare_digest(username.encode(), self.config.username.encode())
            and secrets.compare_digest(password.encode(), self.config.password.encode())
        )

    def _seed_login(self, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
        fields = self._credentials(request, {"user": "Username", "password": "Password", "code": "TwoFactorCode"})
        if fields["user"] is None or fields["password"] is None:
            raise _HttpError(400, "Username and Password are required", {"fields": ["Username", "Password"]})
        if not self._login_ok(fields["user"], fields["password"]):
            raise _HttpError(401, "Invalid username or password")
        expected = self.config.two_factor_code
        if expected is not None:
            if not fields["code"]:
                raise _HttpError(
                    401, "Two-factor authentication is required: send TwoFactorCode", {"twoFactorRequired": True}
                )
            if not secrets.compare_digest(fields["code"].encode(), expected.encode()):
                raise _HttpError(401, "Invalid two-factor code", {"twoFactorRequired": True})
        return self._seed_grant(self.config.username)

    def _seed_grant(self, username: str) -> SandboxResponse:
        token, session = self._issue(username, with_refresh=True)
        return _json_response(
            200,
            {
                "AccessToken": token,
                "TokenType": "Bearer",
                "ExpiresIn": max(1, round(self.config.ttl)),
                "RefreshToken": session.refresh_token,
                "UserID": 1,
                "Username": username,
            },
        )

    def _seed_refresh(self, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
        fields = self._credentials(request, {"refresh": "RefreshToken"})
        refresh = fields["refresh"]
        if not refresh:
            raise _HttpError(400, "RefreshToken is required", {"field": "RefreshToken"})
        with self._lock:
            username = self._refresh_tokens.pop(refresh, None)  # one use each: the answer carries a new one
        if username is None:
            raise _HttpError(401, "Invalid or used refresh token")
        return self._seed_grant(username)

    def _automate_grant(self, username: str) -> SandboxResponse:
        token, session = self._issue(username, with_refresh=False)
        stamp = session.expires_wall.isoformat(timespec="milliseconds")
        return _json_response(200, self._automate_token_body(token, stamp, username))

    @staticmethod
    def _automate_token_body(token: str | None, stamp: str | None, username: str) -> dict[str, Any]:
        return {
            "AccessToken": token,
            "TokenType": "Bearer" if token else None,
            "ExpirationDate": stamp,
            "AbsoluteExpirationDate": stamp,
            "UserId": "1",
            "InternalUserName": username,
            "IsTwoFactorRequired": token is None,
            "IsInternalTwoFactorRequired": False,
            "SSOAccessToken": None,
        }

    def _automate_login(self, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
        fields = self._credentials(request, {"user": "UserName", "password": "Password", "code": "TwoFactorPasscode"})
        if fields["user"] is None or fields["password"] is None:
            raise _HttpError(400, "UserName and Password are required")
        if not self._login_ok(fields["user"], fields["password"]):
            raise _HttpError(401, "Invalid username or password")
        expected = self.config.two_factor_code
        if expected is not None:
            if not fields["code"]:
                return _json_response(200, self._automate_token_body(None, None, self.config.username))
            if not secrets.compare_digest(fields["code"].encode(), expected.encode()):
                raise _HttpError(401, "Invalid two-factor passcode")
        return self._automate_grant(self.config.username)

    def _automate_refresh(
        self, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]
    ) -> SandboxResponse:
        body = self._json_body(request)
        if not isinstance(body, str) or not body:
            raise _HttpError(400, "Send the current access token as a JSON string body")
        with self._lock:
            session = self._sessions.get(body)
            live = session is not None and self._clock() < session.expires
        if session is None:
            raise _HttpError(401, "Invalid access token")
        if not live:
            raise _HttpError(401, "The access token has expired; log in again")
        return self._automate_grant(session.username)

    # ----------------------------------------------------------------- resources

    def _list(self, collection: str, query: dict[str, list[str]]) -> SandboxResponse:
        page = _integer("page", query["page"][-1]) if "page" in query else 1
        size = _integer("pageSize", query["pagesize"][-1]) if "pagesize" in query else DEFAULT_PAGE_SIZE
        if page < 1:
            raise _HttpError(400, f"page must be 1 or more, got {page}", {"field": "page", "value": page})
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise _HttpError(
                400, f"pageSize must be between 1 and {MAX_PAGE_SIZE}, got {size}", {"field": "pageSize", "value": size}
            )
        condition = query.get("condition", [""])[-1]
        order = query.get("orderby", [""])[-1]
        ids = ",".join(query.get("ids", []))
        matched = self._matching(collection, condition, order, ids)
        items = matched[(page - 1) * size : page * size]
        projected = self._project(collection, items, query)
        total = len(matched)
        paging = []
        if not self._automate:
            paging = [
                ("X-Total-Count", str(total)),
                ("X-Page", str(page)),
                ("X-Page-Size", str(size)),
                ("X-Total-Pages", str(math.ceil(total / size))),
            ]
        if projected is not items:  # new dicts: encode them as they are
            return _json_response(200, projected, paging, self._json_default)
        body = b"[" + b",".join(self._encode_record(record) for record in items) + b"]"
        return SandboxResponse(200, [("Content-Type", "application/json; charset=utf-8"), *paging], body)

    def _encode_record(self, record: dict[str, Any]) -> bytes:
        # Keyed by identity: generated records live as long as the app's data does.
        blob = self._encoded.get(id(record))
        if blob is None:
            blob = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=self._json_default).encode()
            self._encoded[id(record)] = blob
        return blob

    def _matching(self, collection: str, condition: str, order: str, ids: str) -> list[dict[str, Any]]:
        key = (collection, condition, order, ids)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        records = self.data.collection(collection)
        fields = self.data.fields[collection]
        if condition.strip():
            try:
                node = parse(condition)
            except ConditionSyntaxError as exc:
                first_line = str(exc).splitlines()[0]
                raise _HttpError(
                    400,
                    f"Invalid filter syntax in condition parameter: {first_line}",
                    {
                        "field": "condition",
                        "value": condition[:500],
                        "line": exc.line,
                        "column": exc.column,
                        "expected": list(exc.expected),
                        "hint": exc.hint,
                    },
                ) from None
            predicate = _compile(_canonical_fields(node, fields))
            try:
                records = [record for record in records if predicate(record)]
            except CwaQueryError as exc:
                raise _HttpError(400, f"The condition cannot be evaluated: {exc}", {"field": "condition"}) from None
        if ids.strip():
            wanted = {_integer("ids", part) for part in ids.split(",") if part.strip()}
            id_field = self.data.id_field[collection]
            records = [record for record in records if record[id_field] in wanted]
        if order.strip():
            records = self._ordered(records, order, fields)
        with self._lock:
            self._cache[key] = records
            while len(self._cache) > 64:
                self._cache.popitem(last=False)
        return records

    def _ordered(self, records: list[dict[str, Any]], order: str, fields: Mapping[str, str]) -> list[dict[str, Any]]:
        keys: list[tuple[list[str], bool]] = []
        for raw in order.split(","):
            words = raw.split()
            if not words or len(words) > 2:
                raise _HttpError(400, f"orderBy must look like 'Field asc' or 'Field desc', got {raw.strip()[:80]!r}")
            canonical = fields.get(words[0].lower())
            if canonical is None:
                raise _HttpError(400, f"Invalid field '{words[0][:80]}' in orderBy", {"field": "orderBy"})
            direction = words[1].lower() if len(words) == 2 else "asc"
            if direction not in ("asc", "desc"):
                raise _HttpError(
                    400, f"orderBy direction must be asc or desc, got {words[1][:20]!r}", {"field": "orderBy"}
                )
            keys.append((canonical.split("."), direction == "desc"))
        out = list(records)
        for parts, descending in reversed(keys):
            out.sort(key=lambda record, parts=parts: _sort_key(_get_path(record, parts)), reverse=descending)  # type: ignore[misc]
        return out

    def _project(
        self, collection: str, items: list[dict[str, Any]], query: dict[str, list[str]]
    ) -> list[dict[str, Any]]:
        fields = self.data.fields[collection]
        for name, apply in (("includeFields", _include), ("excludeFields", _exclude)):
            raw = [part.strip() for value in query.get(name.lower(), []) for part in value.split(",") if part.strip()]
            if not raw:
                continue
            paths = []
            for path in raw:
                canonical = fields.get(path.lower())
                if canonical is None:
                    raise _HttpError(400, f"Invalid field '{path[:80]}' in {name}", {"field": name})
                paths.append(canonical)
            tree = _path_tree(paths)
            items = [apply(item, tree) for item in items]
        return items

    def _one(self, collection: str, raw_id: str) -> dict[str, Any]:
        if not _INT.fullmatch(raw_id):
            raise _HttpError(404, f"No {collection[:-1].lower()} with id {raw_id[:40]!r}")
        records = self.data.collection(collection)
        index = int(raw_id) - 1
        id_field = self.data.id_field[collection]
        if not 0 <= index < len(records) or records[index][id_field] != index + 1:
            raise _HttpError(404, f"No {collection[:-1].lower()} with id {raw_id}", {"id": int(raw_id)})
        return records[index]

    def _execute(self, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
        computer = self._one("Computers", ids[0])
        script = self._one("Scripts", ids[1])
        parameters: Any = {}
        if request.body.strip():
            body = self._json_body(request)
            if not isinstance(body, dict):
                raise _HttpError(400, f"The body must be a JSON object, got {type(body).__name__}")
            parameters = body.get("Parameters", {})
            if parameters is None:
                parameters = {}
            if not isinstance(parameters, dict) or any(isinstance(v, dict | list) for v in parameters.values()):
                raise _HttpError(400, "Parameters must be a JSON object of plain values", {"field": "Parameters"})
        with self._lock:
            self._executions += 1
            execution = self._executions
        id_field = self.data.id_field
        names = ("Id", "ComputerId", "ScriptId") if self._automate else ("ExecutionID", "ComputerID", "ScriptID")
        values = (execution, computer[id_field["Computers"]], script[id_field["Scripts"]])
        body_out = {**dict(zip(names, values, strict=True)), "Status": "Queued", "Parameters": parameters}
        return _json_response(200, body_out)

    # ----------------------------------------------------------------- the sandbox's own endpoints

    def _sandbox_endpoint(self, request: SandboxRequest, path: str) -> SandboxResponse:
        if path == "/_sandbox/stats":
            if request.method == "GET":
                return _json_response(200, self.stats())
            if request.method == "DELETE":
                self.reset_stats()
                return _json_response(200, self.stats())
            return self._error(
                _HttpError(405, "Use GET or DELETE on /_sandbox/stats", headers=[("Allow", "GET, DELETE")])
            )
        return self._error(_HttpError(404, f"No such endpoint: {request.method} {path[:200]}"))

    # ----------------------------------------------------------------- errors

    def _error(self, err: _HttpError) -> SandboxResponse:
        if self._automate:
            body: dict[str, Any] = {"Message": err.message}
        else:
            body = {
                "error": {
                    "code": _ERROR_CODES.get(err.status, "Error"),
                    "message": err.message,
                    "details": err.details,
                }
            }
        return _json_response(err.status, body, err.headers)


def _json_response(
    status: int,
    payload: Any,
    headers: Iterable[tuple[str, str]] = (),
    default: Callable[[Any], Any] | None = None,
) -> SandboxResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=default).encode("utf-8")
    return SandboxResponse(status, [("Content-Type", "application/json; charset=utf-8"), *headers], body)


def _lister(
    collection: str,
) -> Callable[[SandboxApp, SandboxRequest, list[str], dict[str, list[str]]], SandboxResponse]:
    def handler(
        app: SandboxApp, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]
    ) -> SandboxResponse:
        return app._list(collection, query)

    return handler


def _getter(
    collection: str,
) -> Callable[[SandboxApp, SandboxRequest, list[str], dict[str, list[str]]], SandboxResponse]:
    def handler(
        app: SandboxApp, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]
    ) -> SandboxResponse:
        record = app._one(collection, ids[0])
        return _json_response(200, app._project(collection, [record], query)[0], default=app._json_default)

    return handler


def _resource_routes() -> list[_Route]:
    routes: list[_Route] = []
    for collection in ("Computers", "Clients", "Alerts", "Scripts"):
        routes.append(_Route(f"/{collection}", ("GET",), (collection,), _lister(collection)))
        routes.append(_Route(f"/{collection}/{{id}}", ("GET",), (collection, "{}"), _getter(collection)))
    routes.append(
        _Route(
            "/Computers/{id}/Scripts/{id}/Execute",
            ("POST",),
            ("Computers", "{}", "Scripts", "{}", "Execute"),
            SandboxApp._execute,
        )
    )
    return routes


_ROUTES_SEED: Final = [
    _Route("/APICredentials", ("POST",), ("APICredentials",), SandboxApp._seed_login, auth=True),
    _Route("/APICredentials/Refresh", ("POST",), ("APICredentials", "Refresh"), SandboxApp._seed_refresh, auth=True),
    *_resource_routes(),
]
_ROUTES_AUTOMATE: Final = [
    _Route("/apitoken", ("POST",), ("apitoken",), SandboxApp._automate_login, auth=True),
    _Route("/apitoken/refresh", ("POST",), ("apitoken", "refresh"), SandboxApp._automate_refresh, auth=True),
    *_resource_routes(),
]
