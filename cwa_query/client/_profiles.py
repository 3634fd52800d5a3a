"""What differs between the two API profiles, as data.

The `seed` profile follows the seed document (`APICredentials`, `ExpiresIn`, paging and
rate-limit headers, `{"error": {...}}` bodies); the `automate` profile follows the real
server (`apitoken`, `ExpirationDate` without an offset, the `ClientId` header, bare arrays
with no paging headers, `{"Message": ...}` bodies). Everything else in the executor reads
these facts instead of testing the profile's name.

>>> PROFILES["automate"].token_path, PROFILES["seed"].token_path
('apitoken', 'APICredentials')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .._defaults import DEFAULT_PROFILE
from ..dialects import Dialect, get_dialect
from ..errors import ConfigurationError
from ._answers import get_key

__all__ = ["DEFAULT_PROFILE", "PROFILES", "Profile", "ProfileName", "TokenGrant", "get_profile", "parse_expiration"]

ProfileName = Literal["seed", "automate"]


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """A token from a login or refresh answer.

    `expires_at` is a POSIX timestamp (seconds, UTC) or `None` when the answer did not say;
    `lifetime` is the number of seconds the token was granted for, when known.
    """

    access_token: str
    expires_at: float | None
    lifetime: float | None
    refresh_token: str | None = None

    def __repr__(self) -> str:  # never show the token
        return f"TokenGrant(access_token=***, expires_at={self.expires_at!r})"


@dataclass(frozen=True, slots=True)
class Profile:
    """The per-profile facts the executor needs (paths relative to `/cwa/api/v1/`)."""

    name: ProfileName
    dialect: Dialect
    token_path: str
    refresh_path: str
    username_field: str
    two_factor_field: str
    # seed sends the two-factor code with the first login; automate waits to be asked
    two_factor_up_front: bool
    requires_client_id: bool
    paging_headers: bool
    # requests per minute when the user sets nothing and the server has said nothing
    default_rate_per_minute: float | None
    # how a script is run: POST Batch/ScriptExecute (the real server) or POST
    # Computers/{id}/Scripts/{script}/Execute (the seed document)
    batch_scripts: bool = False
    # a token's lifetime: `ExpiresIn` seconds (the seed document) or an `ExpirationDate`
    # (the real server); a refresh sends the refresh token (seed) or the current token
    expires_in_seconds: bool = False
    refresh_with_refresh_token: bool = False
    # the server documents `includeFields` (so `cwa-query fetch --fields` can ask it to cut records)
    include_fields: bool = False

    def script_request(
        self, computer_id: int | str, script_id: int | str, params: Mapping[str, Any] | None
    ) -> tuple[str, Any]:
        """The path and JSON body that run script `script_id` on computer `computer_id`.

        >>> PROFILES["automate"].script_request(12, 7, {"Path": "C:/Temp"})
        ('Batch/ScriptExecute', {'EntityType': 'Computer', 'EntityIds': [12], 'ScriptId': 7, \
'Parameters': [{'Key': 'Path', 'Value': 'C:/Temp'}]})
        >>> PROFILES["seed"].script_request(12, 7, None)
        ('Computers/12/Scripts/7/Execute', {'Parameters': {}})
        """
        if not self.batch_scripts:
            return f"Computers/{computer_id}/Scripts/{script_id}/Execute", {"Parameters": dict(params or {})}
        body = {
            "EntityType": "Computer",
            "EntityIds": [_int32(computer_id, "computer_id")],
            "ScriptId": _int32(script_id, "script_id"),
            "Parameters": [{"Key": str(key), "Value": _text(value)} for key, value in (params or {}).items()],
        }
        return "Batch/ScriptExecute", body

    def login_body(self, username: str, password: str, two_factor_code: str | None) -> dict[str, str]:
        """The JSON body of a login request."""
        body = {self.username_field: username, "Password": password}
        if two_factor_code is not None:
            body[self.two_factor_field] = two_factor_code
        return body

    def refresh_body(self, grant: TokenGrant) -> Any:
        """The JSON body of a refresh request, or `None` if this grant cannot be refreshed."""
        if self.refresh_with_refresh_token:
            return {"RefreshToken": grant.refresh_token} if grant.refresh_token else None
        return grant.access_token  # the real server: the current token as a JSON string

    def two_factor_required(self, body: Any) -> bool:
        """Whether a login answer asks for a two-factor code."""
        return isinstance(body, Mapping) and get_key(body, "IsTwoFactorRequired") is True

    def grant_from(self, body: Any, *, now: float) -> TokenGrant | None:
        """The token in a login or refresh answer, or `None` if it holds none."""
        if not isinstance(body, Mapping):
            return None
        token = get_key(body, "AccessToken")
        if not isinstance(token, str) or not token:
            return None
        expires_at: float | None = None
        if self.expires_in_seconds:
            seconds = get_key(body, "ExpiresIn")
            if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds > 0:
                expires_at = now + float(seconds)
        else:
            expires_at = parse_expiration(get_key(body, "ExpirationDate"))
        refresh = get_key(body, "RefreshToken")
        lifetime = None if expires_at is None else max(0.0, expires_at - now)
        return TokenGrant(token, expires_at, lifetime, refresh if isinstance(refresh, str) and refresh else None)


def _int32(value: int | str, name: str) -> int:
    """An id the document types as int32, from an int or its decimal text (a `ConfigurationError` else)."""
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or not -(2**31) <= number < 2**31:
        raise ConfigurationError(f"{name} must be an integer id, not {value!r}")
    return number


def _text(value: Any) -> str:
    """A script parameter's value as the server takes it: text (`true`/`false` for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def parse_expiration(value: Any) -> float | None:
    """An `ExpirationDate` as a POSIX timestamp; a date-time without an offset is UTC.

    >>> parse_expiration("2024-01-01T00:00:00")
    1704067200.0
    >>> parse_expiration("2024-01-01T01:00:00+01:00")
    1704067200.0
    >>> parse_expiration("soon") is None
    True
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return moment.timestamp()


PROFILES: dict[str, Profile] = {
    "seed": Profile(
        name="seed",
        dialect=get_dialect("seed"),
        token_path="APICredentials",
        refresh_path="APICredentials/Refresh",
        username_field="Username",
        two_factor_field="TwoFactorCode",
        two_factor_up_front=True,
        requires_client_id=False,
        paging_headers=True,
        default_rate_per_minute=60.0,
        expires_in_seconds=True,
        refresh_with_refresh_token=True,
    ),
    "automate": Profile(
        name="automate",
        dialect=get_dialect("automate"),
        token_path="apitoken",
        refresh_path="apitoken/refresh",
        username_field="UserName",
        two_factor_field="TwoFactorPasscode",
        two_factor_up_front=False,
        requires_client_id=True,
        paging_headers=False,
        default_rate_per_minute=None,
        batch_scripts=True,
        include_fields=True,
    ),
}


def get_profile(name: str | Profile) -> Profile:
    """The profile called `name` (one of `PROFILES`); a `Profile` is returned as is."""
    if isinstance(name, Profile):
        return name
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        choices = ", ".join(repr(known) for known in PROFILES)
        raise ConfigurationError(f"unknown profile {name!r}: choose one of {choices}") from None
