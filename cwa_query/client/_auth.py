"""Token authentication for both profiles, as one `httpx.Auth`.

[`TokenAuth`][cwa_query.TokenAuth]:

* logs in on first use (`POST APICredentials` for seed, `POST apitoken` for automate) and
  caches the token;
* two-factor: seed sends `TwoFactorCode` with the login; automate posts again with
  `TwoFactorPasscode` when the first answer says `IsTwoFactorRequired`; no code raises
  [`TwoFactorRequiredError`][cwa_query.TwoFactorRequiredError];
* sends `ClientId` on every automate request (the login included);
* renews the token 5 minutes before it expires (at most half its lifetime before, for
  short-lived tokens), through the refresh endpoint when it can, by logging in otherwise;
* answers a 401 by token *generation*: every token obtained is numbered. A request refused
  with token N logs in again only if the cached token is still N (one login, shared by every
  request refused with N; the others wait for it); if a newer token is already there, it is
  resent with that one. So a fetch survives any number of expiries, however many requests
  are in flight, as long as each fresh token serves requests.
* fails fast instead of looping: after `MAX_UNUSED_TOKENS` tokens in a row that no request
  could use (a server that refuses every token it has just issued: a missing permission, a
  wrong `ClientId`), the request raises [`AuthenticationError`][cwa_query.AuthenticationError];
  a login that fails raises at once, and the requests that were waiting for that login raise
  the same error rather than each trying again; one request is resent at most
  `MAX_RESENDS_ON_401` times, then its 401 goes back to the client.

How it is built (as httpx's own authentication classes are): `_obtain` is the one generator
flow that obtains a token (refresh, login, two-factor). It does no I/O: it yields the requests
to send and receives the responses. `sync_auth_flow` and `async_auth_flow` are thin drivers
around it that hold a lock while a token is obtained (a thread lock for `httpx.Client`, an
asyncio lock for `httpx.AsyncClient`), send the caller's request, and decide what a 401 means.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx

from ..errors import ApiError, AuthenticationError, TwoFactorRequiredError
from ._answers import api_error, loads, retyped
from ._profiles import DEFAULT_PROFILE, Profile, TokenGrant, get_profile
from ._retry import IDEMPOTENT_EXTENSION

__all__ = ["DEFAULT_REFRESH_MARGIN", "LOGIN_EXTENSION", "MAX_RESENDS_ON_401", "MAX_UNUSED_TOKENS", "TokenAuth"]

logger = logging.getLogger("cwa_query")

#: request.extensions key marking the requests the auth flow makes for itself
LOGIN_EXTENSION = "cwa_query.login"
#: tokens obtained in a row that no request could use before the flow gives up
MAX_UNUSED_TOKENS = 4
#: times one request is resent with a newer token after a 401
MAX_RESENDS_ON_401 = 10
#: renew a token this many seconds before it expires (at most half its lifetime before)
DEFAULT_REFRESH_MARGIN = 300.0

_CLIENT_ID_HINT = "the automate profile needs a ClientId: pass client_id= or set CONNECTWISE_AUTOMATE_CLIENT_ID"
_TWO_FACTOR_HINT = "the account needs a two-factor code: pass two_factor_code (or set CONNECTWISE_AUTOMATE_2FA)"


@dataclass(frozen=True, slots=True)
class _Token:
    """A grant and its generation: the number of the attempt that obtained it."""

    grant: TokenGrant
    generation: int


_TokenFlow = Generator[httpx.Request, httpx.Response, _Token]


class TokenAuth(httpx.Auth):
    """Bearer-token authentication for the `seed` or `automate` profile (an `httpx.Auth`).

    `Client` and `AsyncClient` build one from their credentials; pass your own as
    `Client(auth=...)`, or use it with a plain `httpx.Client`.

    Args:
        base_url: the API root, e.g. `https://host/cwa/api/v1/` (login paths are relative to it).
        profile: a profile's name (`"seed"`, `"automate"`) or a `Profile`.
        username: the integrator's or user's name.
        password: its password (never logged, never shown in a repr).
        two_factor_code: the user's two-factor code, if the account has two-factor.
        client_id: the integration's `ClientId` (automate; sent on every request).
        refresh_margin: renew this many seconds before expiry (at most half the token's lifetime).
        clock: wall-clock time in POSIX seconds (tokens expire at absolute times).

    >>> auth = TokenAuth("https://h/cwa/api/v1/", "automate", username="api", password="s3cret", client_id="abc")
    >>> auth
    <TokenAuth profile='automate' username='api' token=none>
    """

    requires_response_body = True

    def __init__(
        self,
        base_url: str | httpx.URL,
        profile: str | Profile = DEFAULT_PROFILE,
        *,
        username: str,
        password: str,
        two_factor_code: str | None = None,
        client_id: str | None = None,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.profile = get_profile(profile)
        base = httpx.URL(str(base_url))
        self._base_url = base if base.raw_path.endswith(b"/") else base.copy_with(raw_path=base.raw_path + b"/")
        self.username = username
        self._password = password
        self._two_factor_code = two_factor_code
        self.client_id = client_id
        self.refresh_margin = refresh_margin
        self._clock = clock
        self._token: _Token | None = None
        self._generation = 0  # attempts to obtain a token completed so far (a token carries its attempt's number)
        self._failure: ApiError | None = None  # how attempt number `_generation` failed, if it did
        # The generations of the last tokens obtained, and the newest generation that served a
        # request. A token counts as used once any request got through with it, whenever that
        # answer is read: with many requests in flight, a token's successes can be read after
        # the next token was obtained (a 401 answers faster than a page), and must not make it
        # look unused.
        self._recent: collections.deque[int] = collections.deque(maxlen=MAX_UNUSED_TOKENS)
        self._served = 0
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        state = "none" if self._token is None else "cached"
        return f"<TokenAuth profile={self.profile.name!r} username={self.username!r} token={state}>"

    @property
    def grant(self) -> TokenGrant | None:
        """The cached token (its repr hides the secret), or `None` before the first login."""
        return None if self._token is None else self._token.grant

    def invalidate(self) -> None:
        """Drop the cached token; the next request logs in again."""
        self._token = None

    # ------------------------------------------------------------------ token state

    def _usable(self) -> _Token | None:
        token = self._token
        if token is None or token.grant.expires_at is None:
            return token
        margin = self.refresh_margin
        if token.grant.lifetime is not None:
            margin = min(margin, token.grant.lifetime / 2)
        return token if self._clock() < token.grant.expires_at - margin else None

    def _unused(self) -> int:
        """How many of the last tokens obtained no request got through with (at most `MAX_UNUSED_TOKENS`)."""
        return sum(1 for generation in self._recent if generation > self._served)

    def _fresh(self, refused: _Token | None) -> _Token | None:
        """The cached token if it is usable and newer than the one a 401 refused."""
        token = self._usable()
        if token is None or (refused is not None and token.generation <= refused.generation):
            return None
        return token

    # ------------------------------------------------------------------ requests

    def _add_client_id(self, request: httpx.Request) -> None:
        if self.profile.requires_client_id and self.client_id:
            request.headers["ClientId"] = self.client_id

    def _own_request(self, path: str, body: Any) -> httpx.Request:
        request = httpx.Request(
            "POST",
            self._base_url.join(path),
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            extensions={IDEMPOTENT_EXTENSION: True, LOGIN_EXTENSION: True},
        )
        self._add_client_id(request)
        return request

    def _hint(self, message: str) -> str:
        if self.profile.requires_client_id and not self.client_id:
            return f"{message} ({_CLIENT_ID_HINT})"
        return message

    # ------------------------------------------------------------------ the flow

    def _obtain(self, seen: int, refused: _Token | None, refusal: httpx.Response | None) -> _TokenFlow:
        """A usable token, obtaining one if need be; the caller holds the lock.

        `seen` is the attempt count when the caller found it needed a token (for a 401: the
        refused token's generation), `refused` the token a 401 refused and `refusal` that answer.
        """
        token = self._fresh(refused)
        if token is not None:  # another request obtained one while this one waited
            return token
        if self._generation != seen and self._failure is not None:
            raise retyped(self._failure)  # the login this request waited for failed: so does it
        if self._unused() >= MAX_UNUSED_TOKENS and refusal is not None:
            error = api_error(refusal)
            message = self._hint(
                f"the server refused each of the last {MAX_UNUSED_TOKENS} tokens it issued, right after issuing them "
                f"({error.message}): the account may lack the API permission"
            )
            raise retyped(error, AuthenticationError, message)
        if refused is not None and self._token is refused:
            self._token = None  # a refused token is not refreshed: log in afresh
        try:
            grant = yield from self._renew()
        except ApiError as exc:
            self._generation += 1
            self._failure = exc
            raise
        self._generation += 1
        self._failure = None
        self._token = _Token(grant, self._generation)
        self._recent.append(self._generation)
        return self._token

    def _renew(self) -> Generator[httpx.Request, httpx.Response, TokenGrant]:
        old = self._token
        if old is not None:
            body = self.profile.refresh_body(old.grant)
            if body is not None:
                response = yield self._own_request(self.profile.refresh_path, body)
                if response.is_success:
                    grant = self.profile.grant_from(_json(response), now=self._clock())
                    if grant is not None:
                        return grant
                logger.info("token refresh answered %d: logging in", response.status_code)
        return (yield from self._login())

    def _login(self) -> Generator[httpx.Request, httpx.Response, TokenGrant]:
        code = self._two_factor_code
        up_front = code if self.profile.two_factor_up_front else None
        path = self.profile.token_path
        response = yield self._own_request(path, self.profile.login_body(self.username, self._password, up_front))
        self._check_login(response, asked_code=up_front is not None)
        body = _json(response)
        if self.profile.two_factor_required(body):
            if code is None or up_front is not None:
                if code is None:
                    raise _login_error(TwoFactorRequiredError, _TWO_FACTOR_HINT, response, "TwoFactorRequired")
                raise _login_error(AuthenticationError, "the server refused the two-factor code", response)
            response = yield self._own_request(path, self.profile.login_body(self.username, self._password, code))
            self._check_login(response, asked_code=True)
            body = _json(response)
        grant = self.profile.grant_from(body, now=self._clock())
        if grant is None:
            raise _login_error(AuthenticationError, "the login answer held no access token", response)
        return grant

    def _check_login(self, response: httpx.Response, *, asked_code: bool) -> None:
        if response.is_success:
            return
        error = api_error(response, method="POST", path=response.request.url.path)
        if response.status_code in (400, 401, 403):
            error = retyped(error, AuthenticationError, self._hint(f"login refused: {error.message}"))
        if isinstance(error, AuthenticationError) and not asked_code and _mentions_two_factor(error):
            error = retyped(error, TwoFactorRequiredError, f"{_TWO_FACTOR_HINT}; the server said: {error.message}")
        raise error

    def _authorize(self, request: httpx.Request, token: _Token) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token.grant.access_token}"
        return request

    def _resend(self, request: httpx.Request, response: httpx.Response, token: _Token, resends: int) -> bool:
        """After the answer to `request` sent with `token`: whether to send it again."""
        status = response.status_code
        if status != 401:
            if status < 500 and status != 429:
                self._served = max(self._served, token.generation)  # this token served a request
            return False
        if resends >= MAX_RESENDS_ON_401:
            return False
        logger.info("%s %s answered 401 (token %d): authenticating again", request.method, request.url.path,
                    token.generation)  # fmt: skip
        return True

    # ------------------------------------------------------------------ drivers

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """The flow for `httpx.Client`: one thread at a time obtains a token."""
        self._add_client_id(request)
        refused: _Token | None = None
        refusal: httpx.Response | None = None
        for resends in range(MAX_RESENDS_ON_401 + 1):
            seen = self._generation if refused is None else refused.generation
            token = self._fresh(refused)
            if token is None:
                with self._thread_lock:
                    token = yield from _reading(self._obtain(seen, refused, refusal))
            response = yield self._authorize(request, token)
            response.read()
            if not self._resend(request, response, token, resends):
                return
            refused, refusal = token, response

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The flow for `httpx.AsyncClient`: one task at a time obtains a token."""
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        self._add_client_id(request)
        refused: _Token | None = None
        refusal: httpx.Response | None = None
        for resends in range(MAX_RESENDS_ON_401 + 1):
            seen = self._generation if refused is None else refused.generation
            token = self._fresh(refused)
            if token is None:
                async with self._async_lock:
                    flow = self._obtain(seen, refused, refusal)
                    try:
                        step = next(flow)
                        while True:
                            answer = yield step
                            await answer.aread()
                            step = flow.send(answer)
                    except StopIteration as done:
                        token = done.value
            assert token is not None
            response = yield self._authorize(request, token)
            await response.aread()
            if not self._resend(request, response, token, resends):
                return
            refused, refusal = token, response


def _reading(flow: _TokenFlow) -> _TokenFlow:
    """`flow`, reading each response body before handing it over (sync)."""
    try:
        step = next(flow)
        while True:
            answer = yield step
            answer.read()
            step = flow.send(answer)
    except StopIteration as done:
        token: _Token = done.value
        return token


def _login_error(kind: type[ApiError], message: str, response: httpx.Response, code: str | None = None) -> ApiError:
    """A `kind` error about the login request that `response` answers."""
    return kind(message, status=response.status_code, code=code, method="POST", path=response.request.url.path)


def _json(response: httpx.Response) -> Any:
    try:
        return loads(response.content)
    except ValueError:
        return None


def _mentions_two_factor(error: ApiError) -> bool:
    text = f"{error.code or ''} {error.message}".lower().replace("-", "").replace(" ", "")
    return "twofactor" in text or "2fa" in text
