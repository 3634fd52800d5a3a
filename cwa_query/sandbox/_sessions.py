"""Logins, tokens and the `ClientId` header: both profiles' authentication endpoints."""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from ._config import SandboxConfig
from ._http import HttpError, SandboxRequest, SandboxResponse, json_response, read_json_body

__all__ = ["EXPIRED_SESSIONS_KEPT", "INVALID_TOKEN", "Session", "Sessions"]

#: Expired sessions are forgotten this many lifetimes after they expire.
EXPIRED_SESSIONS_KEPT: Final = 2
_TOKEN_BYTES: Final = 32
#: The `WWW-Authenticate` header of a 401 for a token that is unknown or has expired.
INVALID_TOKEN: Final = [("WWW-Authenticate", 'Bearer error="invalid_token"')]


@dataclass
class Session:
    """One issued access token's owner and expiry."""

    username: str
    expires: float  # on the app's clock
    expires_wall: _dt.datetime  # naive UTC
    refresh_token: str | None = None
    served: bool = False  # a request got through with this token


class Sessions:
    """The tokens one sandbox has issued, and its authentication endpoints (thread-safe)."""

    def __init__(self, config: SandboxConfig, clock: Callable[[], float], on_issue: Callable[[], None]) -> None:
        self.config = config
        self._clock = clock
        self._on_issue = on_issue
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._refresh_tokens: dict[str, str] = {}  # seed: refresh token -> username

    # ------------------------------------------------------------ checks on every request

    def check_api_keys(self, request: SandboxRequest) -> None:
        """The manage profile's credentials: `Authorization: Basic base64("<company>+<public>:<private>")`
        and a `clientId` header (equal to `client_id` when set), or a 401."""
        value = (request.header("authorization") or "").strip()
        scheme, _, encoded = value.partition(" ")
        if scheme.lower() != "basic" or not encoded.strip():
            raise HttpError(401, "Send 'Authorization: Basic base64(<company>+<public key>:<private key>)'")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise HttpError(401, "The Authorization header is not base64 of UTF-8 text") from None
        user, _, private = decoded.partition(":")
        company, _, public = user.partition("+")
        config = self.config
        expected = f"{config.company.lower()}+{config.public_key}:{config.private_key}".encode()
        given = f"{company.lower()}+{public}:{private}".encode()
        if not secrets.compare_digest(given, expected):
            raise HttpError(401, "UserNotAuthenticated", {"code": "ConnectWiseApi"})
        self.check_client_id(request, "clientId")

    def company_info(self, request: SandboxRequest, company: str, codebase: str, name: str) -> SandboxResponse:
        """`GET /login/companyinfo/<company>`: where the company's API lives (404 for another company)."""
        if company.lower() != self.config.company.lower():
            raise HttpError(404, f"No company {company[:40]!r}", {"code": "NotFound"})
        version = codebase.strip("/").removeprefix("v").replace("_", ".")
        return json_response(
            200,
            {
                "CompanyName": name,
                "Codebase": codebase,
                "VersionCode": f"v{version}",
                "VersionNumber": f"v{version}.0",
                "CompanyID": self.config.company,
                "IsCloud": False,
                "SiteUrl": request.header("host") or "127.0.0.1",
                "AllowAnonymousAccess": False,
            },
        )

    def check_client_id(self, request: SandboxRequest, header: str = "ClientId") -> None:
        """The `ClientId` header (automate; Manage's `clientId`, as `header` spells it in messages):
        required, and equal to `client_id` when set."""
        value = (request.header("clientid") or "").strip()
        if not value:
            raise HttpError(401, f"The {header} header is required", {"header": header})
        if self.config.client_id is not None and value != self.config.client_id:
            raise HttpError(401, f"Unknown {header}", {"header": header})

    @staticmethod
    def bearer(request: SandboxRequest) -> str | None:
        """The bearer token of `request`, or `None`."""
        value = request.header("authorization")
        if not value:
            return None
        scheme, _, token = value.strip().partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    def authenticate(self, request: SandboxRequest) -> Session:
        """The live session of the request's bearer token, or a 401."""
        token = self.bearer(request)
        if token is None:
            raise HttpError(
                401,
                "Missing bearer token: send 'Authorization: Bearer <token>'",
                headers=[("WWW-Authenticate", "Bearer")],
            )
        with self._lock:
            session = self._sessions.get(token)
            expired = session is not None and self._clock() >= session.expires
        if session is None:
            raise HttpError(401, "Invalid access token", headers=INVALID_TOKEN)
        if expired:
            raise HttpError(401, "The access token has expired", headers=INVALID_TOKEN)
        session.served = True
        return session

    def has_served(self, request: SandboxRequest) -> bool:
        """Whether a request got through with the request's bearer token before."""
        token = self.bearer(request)
        with self._lock:
            session = self._sessions.get(token) if token else None
            return session is not None and session.served

    def expire(self, request: SandboxRequest) -> None:
        """Expire the request's token from now on (the `expire` fault)."""
        token = self.bearer(request)
        with self._lock:
            session = self._sessions.get(token) if token else None
            if session is not None:
                session.expires = min(session.expires, self._clock())

    # ------------------------------------------------------------ issuing

    def issue(self, username: str, *, with_refresh: bool) -> tuple[str, Session]:
        """A new token for `username` (and a refresh token for the seed profile)."""
        ttl = self.config.ttl
        token = secrets.token_urlsafe(_TOKEN_BYTES)
        session = Session(
            username=username,
            expires=self._clock() + ttl,
            expires_wall=_dt.datetime.now(_dt.UTC).replace(tzinfo=None) + _dt.timedelta(seconds=ttl),
            refresh_token=secrets.token_urlsafe(_TOKEN_BYTES) if with_refresh else None,
        )
        with self._lock:
            now = self._clock()
            for old in [
                key for key, value in self._sessions.items() if value.expires + EXPIRED_SESSIONS_KEPT * ttl < now
            ]:
                del self._sessions[old]
            self._sessions[token] = session
            if session.refresh_token is not None:
                self._refresh_tokens[session.refresh_token] = username
        self._on_issue()
        return token, session

    # ------------------------------------------------------------ request bodies

    def _credentials(self, request: SandboxRequest, names: Mapping[str, str]) -> dict[str, str | None]:
        """The credential fields of the body; `names` maps our key -> the profile's field name."""
        body = read_json_body(request, self.config.max_body_bytes)
        if not isinstance(body, dict):
            raise HttpError(400, f"The body must be a JSON object, got {type(body).__name__}")
        fold = self.config.api.case_insensitive
        lookup = {str(k).lower(): v for k, v in body.items()} if fold else body
        out: dict[str, str | None] = {}
        for key, name in names.items():
            value = lookup.get(name.lower() if fold else name)
            if value is not None and not isinstance(value, str):
                raise HttpError(400, f"The {name} field must be a string", {"field": name})
            out[key] = value
        return out

    def _login_ok(self, username: str | None, password: str | None) -> bool:
        return (
            username is not None
            and password is not None
            and secrets.compare_digest(username.encode(), self.config.username.encode())
            and secrets.compare_digest(password.encode(), self.config.password.encode())
        )

    # ------------------------------------------------------------ seed endpoints

    def seed_login(self, request: SandboxRequest) -> SandboxResponse:
        """`POST /APICredentials` `{"Username", "Password"[, "TwoFactorCode"]}`."""
        fields = self._credentials(request, {"user": "Username", "password": "Password", "code": "TwoFactorCode"})
        if fields["user"] is None or fields["password"] is None:
            raise HttpError(400, "Username and Password are required", {"fields": ["Username", "Password"]})
        if not self._login_ok(fields["user"], fields["password"]):
            raise HttpError(401, "Invalid username or password")
        expected = self.config.two_factor_code
        if expected is not None:
            if not fields["code"]:
                raise HttpError(
                    401, "Two-factor authentication is required: send TwoFactorCode", {"twoFactorRequired": True}
                )
            if not secrets.compare_digest(fields["code"].encode(), expected.encode()):
                raise HttpError(401, "Invalid two-factor code", {"twoFactorRequired": True})
        return self._seed_grant(self.config.username)

    def _seed_grant(self, username: str) -> SandboxResponse:
        token, session = self.issue(username, with_refresh=True)
        return json_response(
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

    def seed_refresh(self, request: SandboxRequest) -> SandboxResponse:
        """`POST /APICredentials/Refresh` `{"RefreshToken"}` (each refresh token works once)."""
        refresh = self._credentials(request, {"refresh": "RefreshToken"})["refresh"]
        if not refresh:
            raise HttpError(400, "RefreshToken is required", {"field": "RefreshToken"})
        with self._lock:
            username = self._refresh_tokens.pop(refresh, None)
        if username is None:
            raise HttpError(401, "Invalid or used refresh token")
        return self._seed_grant(username)

    # ------------------------------------------------------------ automate endpoints

    def _automate_grant(self, username: str) -> SandboxResponse:
        token, session = self.issue(username, with_refresh=False)
        stamp = session.expires_wall.isoformat(timespec="milliseconds")
        if self.config.token_date_offset:
            stamp += "+00:00"
        return json_response(200, self._automate_token_body(token, stamp, username))

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

    def automate_login(self, request: SandboxRequest) -> SandboxResponse:
        """`POST /apitoken` `{"UserName", "Password"[, "TwoFactorPasscode"]}` (names in any case)."""
        fields = self._credentials(request, {"user": "UserName", "password": "Password", "code": "TwoFactorPasscode"})
        if fields["user"] is None or fields["password"] is None:
            raise HttpError(400, "UserName and Password are required")
        if not self._login_ok(fields["user"], fields["password"]):
            raise HttpError(401, "Invalid username or password")
        expected = self.config.two_factor_code
        if expected is not None:
            if not fields["code"]:
                return json_response(200, self._automate_token_body(None, None, self.config.username))
            if not secrets.compare_digest(fields["code"].encode(), expected.encode()):
                raise HttpError(401, "Invalid two-factor passcode")
        return self._automate_grant(self.config.username)

    def automate_refresh(self, request: SandboxRequest) -> SandboxResponse:
        """`POST /apitoken/refresh` with the current token as a JSON string body."""
        body = read_json_body(request, self.config.max_body_bytes)
        if not isinstance(body, str) or not body:
            raise HttpError(400, "Send the current access token as a JSON string body")
        with self._lock:
            session = self._sessions.get(body)
            live = session is not None and self._clock() < session.expires
        if session is None:
            raise HttpError(401, "Invalid access token")
        if not live:
            raise HttpError(401, "The access token has expired; log in again")
        return self._automate_grant(session.username)
