"""What differs between the API profiles, as data.

The `seed` profile follows the seed document (`APICredentials`, `ExpiresIn`, paging and
rate-limit headers, `{"error": {...}}` bodies); the `automate` profile follows the real
server (`apitoken`, `ExpirationDate` without an offset, the `ClientId` header, bare arrays
with no paging headers, `{"Message": ...}` bodies); the `manage` profile follows the
ConnectWise Manage REST API (Basic auth from a company id and an API member's key pair plus
the `clientId` header, the codebase from `/login/companyinfo/<company>`, the API under
`/<codebase>/apis/3.0/`, `conditions` in the Manage dialect, `page`/`pageSize` with a `Link`
header, `{"code", "message", "errors"}` bodies). Everything else in the executor reads these
facts instead of testing the profile's name.

>>> PROFILES["automate"].token_path, PROFILES["seed"].token_path
('apitoken', 'APICredentials')
>>> PROFILES["manage"].api_root("v2025_1/"), PROFILES["manage"].condition_parameter
('/v2025_1/apis/3.0', 'conditions')
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .._defaults import DEFAULT_PROFILE
from .._query_budget import IIS_MAX_QUERY_STRING
from ..dialects import Dialect, get_dialect
from ..errors import ConfigurationError
from ..language import ast
from ..language._parser import parse
from ._answers import get_key

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "Profile",
    "ProfileName",
    "TokenGrant",
    "check_codebase",
    "get_profile",
    "parse_expiration",
]

ProfileName = Literal["seed", "automate", "manage"]


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
    # the login's paths and body fields (`""`: the profile has no login)
    token_path: str = ""
    refresh_path: str = ""
    username_field: str = ""
    two_factor_field: str = ""
    # seed sends the two-factor code with the first login; automate waits to be asked
    two_factor_up_front: bool = False
    requires_client_id: bool = True
    paging_headers: bool = False
    # requests per minute when the user sets nothing and the server has said nothing
    default_rate_per_minute: float | None = None
    # how a script is run: POST Batch/ScriptExecute (the real server) or POST
    # Computers/{id}/Scripts/{script}/Execute (the seed document)
    batch_scripts: bool = False
    # a token's lifetime: `ExpiresIn` seconds (the seed document) or an `ExpirationDate`
    # (the real server); a refresh sends the refresh token (seed) or the current token
    expires_in_seconds: bool = False
    refresh_with_refresh_token: bool = False
    # the server documents its field-list parameter (so `cwa-query fetch --fields` can ask it to cut records)
    include_fields: bool = False
    # where the API lives below the server (`{codebase}` is filled in for Manage)
    api_root_template: str = "/cwa/api/v1"
    # the request that says where the API lives, relative to the server (`{company}` filled in)
    codebase_path: str | None = None
    # Basic auth from company + public key + private key on every request (no login, no token)
    api_keys: bool = False
    client_id_header: str = "ClientId"
    # the query parameters of a list request, by option (`None`: the profile has none)
    condition_parameter: str = "condition"
    fields_parameter: str = "includeFields"
    exclude_fields_parameter: str | None = "excludeFields"
    expand_parameter: str | None = "expand"
    child_conditions_parameter: str | None = None
    custom_field_conditions_parameter: str | None = None
    # paging by the `Link` header (`rel="next"`, `rel="last"`)
    link_paging: bool = False
    # condition text is read in the profile's dialect (else the shared condition language)
    reads_own_dialect: bool = False
    # the API runs scripts on computers (`run_script`)
    scripts: bool = True
    # the environment variables' prefix and the credential options the profile takes
    env_prefix: str = "CONNECTWISE_AUTOMATE_"
    credential_options: tuple[str, ...] = ("username", "password", "two_factor_code")
    credential_help: str = (
        "username/password, or the CONNECTWISE_AUTOMATE_* variables (SERVER, USERNAME/PASSWORD or USER/PASS[/2FA])"
    )
    client_id_help: str = "pass client_id= or set CONNECTWISE_AUTOMATE_CLIENT_ID"

    def dotted(self, name: str) -> str:
        """A field as the API names it (`company/identifier` for Manage) as a dotted path into a record."""
        return name.replace("/", ".") if self.reads_own_dialect else name

    def api_root(self, codebase: str | None = None) -> str:
        """The path of the API below the server (for Manage, `codebase` is needed: else `""`)."""
        if "{codebase}" not in self.api_root_template:
            return self.api_root_template
        if not codebase:
            return ""
        return self.api_root_template.replace("{codebase}", check_codebase(codebase))

    def parse_condition(self, text: str) -> ast.Node:
        """Condition text as this profile reads it (its dialect, or the shared language)."""
        return self.dialect.parse(text) if self.reads_own_dialect else parse(text)

    def settings_from_env(self, env: Mapping[str, str]) -> dict[str, Any]:
        """The server and credentials the profile's environment variables give (unset ones left out)."""

        def pick(*names: str) -> str | None:
            for name in names:
                value = env.get(self.env_prefix + name)
                if value:
                    return value
            return None

        settings: dict[str, Any] = {"server": pick("SERVER"), "client_id": pick("CLIENT_ID")}
        if self.api_keys:
            for option in (*self.credential_options, "codebase"):
                settings[option] = pick(option.upper())
        elif pick("USERNAME"):
            settings["username"] = pick("USERNAME")
            settings["password"] = pick("PASSWORD")
        elif pick("USER"):
            settings["username"] = pick("USER")
            settings["password"] = pick("PASS")
            settings["two_factor_code"] = pick("2FA")
        return {key: value for key, value in settings.items() if value is not None}
    # the longest query string the server takes, in bytes (`None`: no known limit); a list request
    # past it has its top-level `in` list split (IIS refuses past 2,048 bytes with 404.15)
    max_query_string: int | None = IIS_MAX_QUERY_STRING
    # the field that identifies a record (split requests' records are merged and kept once by it)
    id_field: str = "Id"

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
        if not self.scripts:
            raise ConfigurationError(f"the {self.name} profile's API runs no scripts")
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


def check_codebase(codebase: str) -> str:
    """`codebase` (`v2025_1/`, `v2025_1`) as one path segment, or a `ConfigurationError`.

    >>> check_codebase("v2025_1/")
    'v2025_1'
    """
    text = str(codebase).strip().strip("/")
    if not _CODEBASE.fullmatch(text):
        raise ConfigurationError(f"not a codebase: {codebase!r} (expected one path segment, e.g. 'v2025_1/')")
    return text


_CODEBASE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")

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
        batch_scripts=True,
        include_fields=True,
    ),
    "manage": Profile(
        name="manage",
        dialect=get_dialect("manage"),
        include_fields=True,
        api_root_template="/{codebase}/apis/3.0",
        codebase_path="login/companyinfo/{company}",
        api_keys=True,
        client_id_header="clientId",
        condition_parameter="conditions",
        id_field="id",
        fields_parameter="fields",
        exclude_fields_parameter=None,
        expand_parameter=None,
        child_conditions_parameter="childConditions",
        custom_field_conditions_parameter="customFieldConditions",
        link_paging=True,
        reads_own_dialect=True,
        scripts=False,
        env_prefix="CONNECTWISE_MANAGE_",
        credential_options=("company", "public_key", "private_key"),
        credential_help=(
            "company/public_key/private_key, or the CONNECTWISE_MANAGE_* variables "
            "(SERVER, COMPANY, PUBLIC_KEY, PRIVATE_KEY, CLIENT_ID)"
        ),
        client_id_help="pass client_id= or set CONNECTWISE_MANAGE_CLIENT_ID",
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
