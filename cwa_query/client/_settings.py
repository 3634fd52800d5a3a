"""The client's settings: the server address, the environment, the keyword options.

>>> api_base_url("automate.example.com")
'https://automate.example.com/cwa/api/v1/'
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeAlias, TypedDict

import httpx

from .._defaults import DEFAULT_PROFILE
from ..errors import ConfigurationError
from ..language import ast
from ..language.builder import Condition
from ._limits import RateLimiter
from ._profiles import Profile, get_profile
from ._retry import RetryPolicy

__all__ = [
    "API_ROOT",
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "PREFETCH_RECORDS",
    "VALIDATIONS",
    "ClientOptions",
    "QueryOptions",
    "Validation",
    "Where",
    "api_base_url",
    "settings_from_env",
]

Where: TypeAlias = "str | Condition | ast.Node | None"
"""A condition as the clients take it: condition text (parsed first), a builder
[`Condition`][cwa_query.Condition], a syntax tree node, or `None` for every record."""

#: What a client does with a condition the linter finds errors in, before sending it:
#: `"error"` refuses it (`ConditionRejectedError`), `"warn"` sends it with a `ConditionWarning`,
#: `"off"` does not lint.
Validation: TypeAlias = Literal["error", "warn", "off"]
VALIDATIONS: tuple[Validation, ...] = ("error", "warn", "off")

API_ROOT = "/cwa/api/v1"
DEFAULT_PAGE_SIZE = 250
MAX_PAGE_SIZE = 1000
#: pages fetched ahead hold about this many records at most by default (memory, not speed, is the bound)
PREFETCH_RECORDS = 2500

_ENV_HELP = (
    "set CONNECTWISE_AUTOMATE_SERVER (with CONNECTWISE_AUTOMATE_USERNAME/_PASSWORD for an integrator, "
    "or CONNECTWISE_AUTOMATE_USER/_PASS[/_2FA] for a user)"
)


def api_base_url(server: str, *, allow_insecure: bool = False, root: str = API_ROOT) -> str:
    """The API root for `server`: a host name, or a URL (`root`, `/cwa/api/v1` by default,
    appended unless present).

    Plain `http://` is refused unless the host is loopback or `allow_insecure=True`.

    >>> api_base_url("automate.example.com")
    'https://automate.example.com/cwa/api/v1/'
    >>> api_base_url("http://127.0.0.1:8123")
    'http://127.0.0.1:8123/cwa/api/v1/'
    >>> api_base_url("https://h.example/cwa/api/v1/")
    'https://h.example/cwa/api/v1/'
    >>> api_base_url("http://automate.example.com")
    Traceback (most recent call last):
    ...
    cwa_query.errors.ConfigurationError: refusing plain http:// to 'automate.example.com': credentials and \
tokens would cross the network unencrypted; use https://, or pass allow_insecure=True
    """
    text = server.strip() if isinstance(server, str) else ""
    if not text:
        raise ConfigurationError(f"no server given: pass a host name or URL, or {_ENV_HELP}")
    if "://" not in text:
        text = "https://" + text
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError) as exc:
        raise ConfigurationError(f"not a usable server address: {server!r} ({exc})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"not a usable server address: {server!r} (expected a host name or http(s) URL)")
    if url.userinfo:
        raise ConfigurationError("the server URL must not hold credentials: pass username= and password= instead")
    if url.scheme == "http" and not allow_insecure and not _is_loopback(url.host):
        raise ConfigurationError(
            f"refusing plain http:// to {url.host!r}: credentials and tokens would cross the network "
            "unencrypted; use https://, or pass allow_insecure=True"
        )
    path = url.path.rstrip("/")
    if not path.lower().endswith(root.lower()):
        path += root
    return str(url.copy_with(path=path + "/", query=None, fragment=None))


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def settings_from_env(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The client settings the profile's environment variables give, with `overrides` on top.

    The profile is `overrides["profile"]`, else `CONNECTWISE_AUTOMATE_PROFILE`, else the
    default; its variables are `CONNECTWISE_AUTOMATE_*` (seed, automate) or
    `CONNECTWISE_MANAGE_*` (manage: `SERVER`, `COMPANY`, `PUBLIC_KEY`, `PRIVATE_KEY`,
    `CLIENT_ID`, `CODEBASE`).
    """
    env = os.environ
    profile = get_profile(overrides.get("profile") or env.get("CONNECTWISE_AUTOMATE_PROFILE") or DEFAULT_PROFILE)
    settings = profile.settings_from_env(env)
    settings["profile"] = profile
    settings.update(overrides)
    if not settings.get("server"):
        raise ConfigurationError(f"no server configured: set {profile.env_prefix}SERVER ({profile.credential_help}), "
                                 "or pass server=")  # fmt: skip
    return settings


class ClientOptions(TypedDict, total=False):
    """The keyword options of `Client` and `AsyncClient` (see `Client` for each)."""

    username: str | None
    password: str | None
    two_factor_code: str | None
    client_id: str | None
    company: str | None
    public_key: str | None
    private_key: str | None
    codebase: str | None
    profile: str | Profile
    timeout: float | httpx.Timeout | None
    allow_insecure: bool
    page_size: int
    max_in_flight: int
    prefetch: int | None
    first_window: int | None
    rate_limit: float | str | None
    rate_window: float
    retry: RetryPolicy | None
    refresh_margin: float
    auth: httpx.Auth | None
    limiter: RateLimiter | None
    validate: Validation
    deadline: float | None
    max_response_bytes: int | None
    max_query_string: int | Literal["default"] | None


class QueryOptions(TypedDict, total=False):
    """The keyword options of `iter_records`, `iter_pages`, `get_all` and the list conveniences.

    `page_size` (1..1000, default the client's), `order_by` (`"ComputerName asc"`),
    `include_fields` / `exclude_fields` / `expand` (names, or one comma-separated string),
    `limit` (at most this many records); the manage profile's `child_conditions` and
    `custom_field_conditions` (conditions, as `where`); `progress` (`progress(done, total)` as the
    requests of a query split under the URL budget complete; see `max_query_string`).
    """

    page_size: int | None
    order_by: str | None
    include_fields: str | Sequence[str] | None
    exclude_fields: str | Sequence[str] | None
    expand: str | Sequence[str] | None
    limit: int | None
    child_conditions: Where
    custom_field_conditions: Where
    progress: Callable[[int, int], None] | None
