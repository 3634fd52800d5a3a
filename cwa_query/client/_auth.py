"""Token authentication for both profiles, as one `httpx.Auth` flow.

[`TokenAuth`][cwa_query.client._auth.TokenAuth] does no I/O itself: its flow is a generator that
yields the requests to send (a login, a refresh, the caller's request) and receives the
responses, the way `httpx.Auth` is meant to be written, so one class serves `Client` and
`AsyncClient`. What it does:

* logs in on first use (`POST APICredentials` for seed, `POST apitoken` for automate) and
  caches the token;
* two-factor: seed sends `TwoFactorCode` with the login; automate posts again with
  `TwoFactorPasscode` when the first answer says `IsTwoFactorRequired`; no code raises
  [`TwoFactorRequiredError`][cwa_query.TwoFactorRequiredError];
* sends `ClientId` on every automate request (the login included);
* renews the token 5 minutes before it expires (at most half its lifetime before, for
  short-lived tokens), through the refresh endpoint when it can, by logging in otherwise;
* on a 401, logs in once and sends the request once more; a second 401 is returned to the
  client, which raises [`AuthenticationError`][cwa_query.AuthenticationError]. Never a loop.

Concurrent requests share one login: the sync and async drivers hold a lock (a thread lock
or an asyncio lock) while a token is being obtained, and a request that waited for the lock
uses the token the other one got.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import httpx

from ..errors import ApiError, AuthenticationError, TwoFactorRequiredError
from ._profiles import Profile, TokenGrant, api_error, get_profile
from ._retry import IDEMPOTENT_EXTENSION

__all__ = ["LOGIN_EXTENSION", "TokenAuth"]

logger = logging.getLogger("cwa_query")

# request.extensions key marking the requests the auth flow makes for itself
LOGIN_EXTENSION = "cwa_query.login"


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


# the flow yields these around the part that obtains a token; the drivers lock there
_ENTER = _Marker("ENTER")
_EXIT = _Marker("EXIT")

_Step = httpx.Request | _Marker
_Steps = Generator[_Step, httpx.Response | None, Any]


class TokenAuth(httpx.Auth):
    """Bearer-token authentication for the `seed` or `automate` profile.

    Args:
        base_url: the API root, e.g. `https://host/cwa/api/v1/` (login paths are relative to it).
        profile: `"seed"`, `"automate"` or a `Profile`.
        username, password: the integrator's or user's credentials.
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
        profile: str | Profile = "seed",
        *,
        username: str,
        password: str,
        two_factor_code: str | None = None,
        client_id: str | None = None,
        refresh_margin: float = 300.0,
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
        self._grant: TokenGrant | None = None
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None
        self.logins = 0  # how many times a token was obtained (login or refresh), for tests and stats

    def __repr__(self) -> str:
        state = "none" if self._grant is None else "cached"
        return f"<TokenAuth profile={self.profile.name!r} username={self.username!r} token={state}>"

    # ------------------------------------------------------------------ token state

    def _usable(self) -> TokenGrant | None:
        grant = self._grant
        if grant is None:
            return None
        if grant.expires_at is None:
            return grant
        margin = self.refresh_margin
        if grant.lifetime is not None:
            margin = min(margin, grant.lifetime / 2)
        return grant if self._clock() < grant.expires_at - margin else None

    def _forget(self, grant: TokenGrant) -> None:
        if self._grant is grant:
            self._grant = None

    def invalidate(self) -> None:
        """Drop the cached token; the next request logs in again."""
        self._grant = None

    # ------------------------------------------------------------------ requests

    def _headers(self, request: httpx.Request) -> None:
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
        self._headers(request)
        return request

    # ------------------------------------------------------------------ the flow

    def _steps(self, request: httpx.Request) -> _Steps:
        self._headers(request)
        grant = yield from self._ensure()
        request.headers["Authorization"] = f"Bearer {grant.access_token}"
        response = yield request
        assert response is not None
        if response.status_code != 401:
            return
        logger.info("%s %s answered 401: logging in again", request.method, request.url.path)
        self._forget(grant)
        grant = yield from self._ensure()
        request.headers["Authorization"] = f"Bearer {grant.access_token}"
        yield request

    def _ensure(self) -> Generator[_Step, httpx.Response | None, TokenGrant]:
        grant = self._usable()
        if grant is not None:
            return grant
        yield _ENTER
        grant = self._usable()  # another request may have renewed it while this one waited
        if grant is None:
            grant = yield from self._renew()
            self._grant = grant
            self.logins += 1
        yield _EXIT
        return grant

    def _renew(self) -> Generator[_Step, httpx.Response | None, TokenGrant]:
        old = self._grant
        if old is not None:
            body = self.profile.refresh_body(old)
            if body is not None:
                response = yield self._own_request(self.profile.refresh_path, body)
                assert response is not None
                if response.is_success:
                    grant = self.profile.grant_from(_json(response), now=self._clock())
                    if grant is not None:
                        return grant
                logger.info("token refresh answered %d: logging in", response.status_code)
        return (yield from self._login())

    def _login(self) -> Generator[_Step, httpx.Response | None, TokenGrant]:
        code = self._two_factor_code
        up_front = code if self.profile.two_factor_up_front else None
        path = self.profile.token_path
        response = yield self._own_request(path, self.profile.login_body(self.username, self._password, up_front))
        assert response is not None
        self._check_login(response, asked_code=up_front is not None)
        body = _json(response)
        if self.profile.two_factor_required(body):
            if code is None:
                raise TwoFactorRequiredError(
                    "the account needs a two-factor code: pass two_factor_code (or set CONNECTWISE_AUTOMATE_2FA)",
                    status=response.status_code,
                    code="TwoFactorRequired",
                    method="POST",
                    path=response.request.url.path,
                )
            if up_front is not None:
                raise AuthenticationError(
                    "the server refused the two-factor code",
                    status=response.status_code,
                    method="POST",
                    path=response.request.url.path,
                )
            response = yield self._own_request(path, self.profile.login_body(self.username, self._password, code))
            assert response is not None
            self._check_login(response, asked_code=True)
            body = _json(response)
        grant = self.profile.grant_from(body, now=self._clock())
        if grant is None:
            raise AuthenticationError(
                "the login answer held no access token",
                status=response.status_code,
                method="POST",
                path=response.request.url.path,
            )
        return grant

    def _check_login(self, response: httpx.Response, *, asked_code: bool) -> None:
        if response.is_success:
            return
        error = api_error(response, method="POST", path=response.request.url.path)
        if response.status_code in (400, 401, 403):
            error = _retyped(error, AuthenticationError, f"login refused: {error.message}")
        if isinstance(error, AuthenticationError) and not asked_code and _mentions_two_factor(error):
            error = _retyped(
                error,
                TwoFactorRequiredError,
                "the account needs a two-factor code: pass two_factor_code (or set CONNECTWISE_AUTOMATE_2FA); "
                f"the server said: {error.message}",
            )
        raise error

    # ------------------------------------------------------------------ drivers

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """The flow without locking (concurrent first requests may each log in)."""
        steps = self._steps(request)
        try:
            item = next(steps)
            while True:
                if isinstance(item, _Marker):
                    item = steps.send(None)
                    continue
                response = yield item
                item = steps.send(response)
        except StopIteration:
            return
        finally:
            steps.close()

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """The flow for `httpx.Client`: one thread at a time obtains a token."""
        steps = self._steps(request)
        held = False
        try:
            item = next(steps)
            while True:
                if item is _ENTER:
                    self._thread_lock.acquire()
                    held = True
                elif item is _EXIT:
                    self._thread_lock.release()
                    held = False
                if isinstance(item, _Marker):
                    item = steps.send(None)
                    continue
                response = yield item
                response.read()
                item = steps.send(response)
        except StopIteration:
            return
        finally:
            if held:
                self._thread_lock.release()
            steps.close()

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The flow for `httpx.AsyncClient`: one task at a time obtains a token."""
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        lock = self._async_lock
        steps = self._steps(request)
        held = False
        try:
            item = next(steps)
            while True:
                if item is _ENTER:
                    await lock.acquire()
                    held = True
                elif item is _EXIT:
                    lock.release()
                    held = False
                if isinstance(item, _Marker):
                    item = steps.send(None)
                    continue
                response = yield item
                await response.aread()
                item = steps.send(response)
        except StopIteration:
            return
        finally:
            if held:
                lock.release()
            steps.close()


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _retyped(error: ApiError, kind: type[ApiError], message: str) -> ApiError:
    """`error` as another kind of `ApiError`, with a new message and everything else kept."""
    return kind(
        message,
        status=error.status,
        code=error.code,
        details=error.details,
        method=error.method,
        path=error.path,
    )


def _mentions_two_factor(error: AuthenticationError) -> bool:
    text = f"{error.code or ''} {error.message}".lower().replace("-", "").replace(" ", "")
    return "twofactor" in text or "2fa" in text
