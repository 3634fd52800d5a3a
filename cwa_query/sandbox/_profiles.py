"""The sandbox's API profiles as objects: each owns the facts of the server it stands in for.

A profile says where its API lives, how its routes match (case or not), which headers it
writes (rate limits, paging), how its error bodies look, how a request is authenticated and
which login endpoints it has, how its date-times are written and which data it serves. The
app, the sessions and the resources ask the profile; nothing outside this module tests a
profile's name.

>>> sandbox_profile("automate").error_body(404, "No such endpoint", None)
{'Message': 'No such endpoint'}
>>> sandbox_profile("seed").api_prefix, sandbox_profile("seed").rate_headers
('/cwa/api/v1', True)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final

from .._defaults import DEFAULT_PROFILE
from .._query_budget import IIS_MAX_QUERY_STRING
from ..errors import ConfigurationError
from ._automate import AutomateDataset, automate_dataset
from ._data import DEFAULT_RECORDS, Dataset, seed_dataset
from ._http import ERROR_CODES, SandboxRequest, SandboxResponse
from ._manage import CODEBASE, COMPANY_NAME, ManageDataset, manage_dataset
from ._routes import Route

if TYPE_CHECKING:
    from ._config import SandboxConfig
    from ._sessions import Sessions

__all__ = ["DEFAULT_PROFILE", "SANDBOX_PROFILES", "SandboxProfile", "dataset", "json_default", "sandbox_profile"]

Record = dict[str, Any]


class SandboxProfile:
    """What one API profile of the sandbox is (the defaults are the seed document's).

    Subclasses set the class attributes and override the methods where their server differs.
    """

    name: ClassVar[str] = ""
    #: where the API's paths start
    api_prefix: ClassVar[str] = "/cwa/api/v1"
    #: route names (and login body keys) match ignoring case
    case_insensitive: ClassVar[bool] = False
    #: `X-RateLimit-*` on every answer
    rate_headers: ClassVar[bool] = True
    #: `X-Total-Count`, `X-Page`, `X-Page-Size`, `X-Total-Pages` on list answers
    paging_headers: ClassVar[bool] = True
    #: list endpoints read the OpenAPI document's `options.*` parameter names too
    option_parameters: ClassVar[bool] = False
    #: what follows a date-time's seconds on the wire (`Z`, or nothing)
    datetime_suffix: ClassVar[str] = "Z"
    #: token lifetime in seconds when none is configured (`None`: the profile has no tokens)
    default_ttl: ClassVar[float | None] = 4 * 3600.0
    #: a `ClientId` header is required on every API call
    requires_client_id: ClassVar[bool] = False
    #: what the records count (for `--records` and the start-up line)
    records_noun: ClassVar[str] = "computers"
    #: list answers carry a `Link` header (`first`, `prev`, `next`, `last`)
    link_paging: ClassVar[bool] = False
    #: the credential options of `SandboxConfig` (and `cwa-query sandbox` flags) this profile reads
    credential_options: ClassVar[tuple[str, ...]] = ("username", "password", "two_factor_code", "token_ttl")
    #: the longest query string answered, in bytes, as IIS's `maxQueryString` (`None`: only the
    #: socket layer's 16 KiB request line bounds it)
    max_query_string: ClassVar[int | None] = None

    def __repr__(self) -> str:
        return f"<SandboxProfile {self.name}>"

    # ------------------------------------------------------------ data

    def make_data(self, records: int, seed: int) -> Dataset | AutomateDataset | ManageDataset:
        """The records this profile serves (cached per arguments)."""
        return seed_dataset(records, seed)

    def json_default(self) -> Callable[[Any], Any]:
        """The `default=` of `json.dumps` that writes this profile's date-times (records hold naive UTC)."""
        suffix = self.datetime_suffix

        def default(value: Any) -> Any:
            if isinstance(value, _dt.datetime):
                return value.isoformat(timespec="seconds") + suffix
            raise TypeError(f"cannot serialise {type(value).__name__}")

        return default

    # ------------------------------------------------------------ answers

    def error_body(self, status: int, message: str, details: Mapping[str, Any] | None) -> Any:
        """The JSON body of an error answer."""
        return {"error": {"code": ERROR_CODES.get(status, "Error"), "message": message, "details": details}}

    # ------------------------------------------------------------ authentication

    def login_routes(self, sessions: Sessions) -> list[Route]:
        """The endpoints that issue tokens (never rate-limited nor faulted)."""
        return [
            Route("/APICredentials", _plain(sessions.seed_login), ("POST",), auth=True),
            Route("/APICredentials/Refresh", _plain(sessions.seed_refresh), ("POST",), auth=True),
        ]

    def check_request(self, sessions: Sessions, request: SandboxRequest) -> None:
        """Checks every request passes before routing (the automate profile's `ClientId`)."""
        if self.requires_client_id:
            sessions.check_client_id(request)

    def authenticate(self, sessions: Sessions, request: SandboxRequest) -> None:
        """Refuse (an `HttpError`) a data request without valid credentials."""
        sessions.authenticate(request)

    def client_credentials(self, config: SandboxConfig, client_id: str) -> dict[str, str | None]:
        """The keyword arguments that give `Client` this sandbox's credentials."""
        return {
            "username": config.username,
            "password": config.password,
            "client_id": client_id,
            "two_factor_code": config.two_factor_code,
        }

    def describe_credentials(self, config: SandboxConfig, client_id: str) -> str:
        """The start-up line that says how to log in (no secret in it)."""
        line = f"log in as {config.username!r} (password as given"
        line += ", two-factor code required)" if config.two_factor_code else ")"
        if self.requires_client_id:
            line += f"; send the header ClientId: {client_id}"
        return line


class _Seed(SandboxProfile):
    name = "seed"


class _Automate(SandboxProfile):
    name = "automate"
    case_insensitive = True
    rate_headers = False
    paging_headers = False
    option_parameters = True
    datetime_suffix = ""
    default_ttl = 3600.0
    requires_client_id = True
    credential_options = ("username", "password", "two_factor_code", "token_ttl", "token_date_offset")
    max_query_string = IIS_MAX_QUERY_STRING

    def make_data(self, records: int, seed: int) -> Dataset | AutomateDataset | ManageDataset:
        return automate_dataset(records, seed)

    def error_body(self, status: int, message: str, details: Mapping[str, Any] | None) -> Any:
        return {"Message": message}

    def login_routes(self, sessions: Sessions) -> list[Route]:
        return [
            Route("/apitoken", _plain(sessions.automate_login), ("POST",), auth=True),
            Route("/apitoken/refresh", _plain(sessions.automate_refresh), ("POST",), auth=True),
        ]


class _Manage(SandboxProfile):
    """ConnectWise Manage: Basic auth from API keys and `clientId`, the API under the codebase,
    `{"code", "message", "errors"}` bodies, `Link` paging, no tokens, no rate headers."""

    name = "manage"
    api_prefix = "/" + CODEBASE + "apis/3.0"
    case_insensitive = True
    rate_headers = False
    paging_headers = False
    link_paging = True
    default_ttl = None
    records_noun = "companies"
    credential_options = ("company", "public_key", "private_key")
    max_query_string = IIS_MAX_QUERY_STRING  # Manage's own limit is not published: IIS's default

    def make_data(self, records: int, seed: int) -> Dataset | AutomateDataset | ManageDataset:
        return manage_dataset(records, seed)

    def error_body(self, status: int, message: str, details: Mapping[str, Any] | None) -> Any:
        details = details or {}
        code = details.get("code")
        if not isinstance(code, str):
            code = _MANAGE_CODES.get(status, "ConnectWiseApi" if status >= 500 else "InvalidObject")
        name = details.get("name")
        if status == 400 and isinstance(name, str):  # an unknown field: Manage's words, Manage's spelling
            code, message = "ApiFindCondition", f"{name.replace('.', '/')} is not a recognized name."
        elif status == 400 and details.get("field") in _CONDITION_PARAMETERS:
            code = "ApiFindCondition"
        return {"code": code, "message": message, "errors": None}

    def login_routes(self, sessions: Sessions) -> list[Route]:
        def company_info(request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
            return sessions.company_info(request, ids[0], CODEBASE, COMPANY_NAME)

        return [Route("login/companyinfo/{company}", company_info, auth=True, absolute=True)]

    def authenticate(self, sessions: Sessions, request: SandboxRequest) -> None:
        sessions.check_api_keys(request)

    def client_credentials(self, config: SandboxConfig, client_id: str) -> dict[str, str | None]:
        return {
            "company": config.company,
            "public_key": config.public_key,
            "private_key": config.private_key,
            "client_id": client_id,
        }

    def describe_credentials(self, config: SandboxConfig, client_id: str) -> str:
        return (
            f"company {config.company!r}, public and private keys as given; send the header clientId: {client_id}; "
            f"codebase {CODEBASE} (GET /login/companyinfo/{config.company})"
        )


#: Manage's error `code` of a status (sources: manage-api-facts.md section 8; the rest assumed)
_MANAGE_CODES: Final = {401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
                        429: "TooManyRequests"}  # fmt: skip
_CONDITION_PARAMETERS: Final = frozenset({"condition", "conditions", "childConditions", "customFieldConditions",
                                          "orderBy"})  # fmt: skip


def _plain(handler: Callable[[SandboxRequest], SandboxResponse]) -> Any:
    """A route handler of `handler`, which reads only the request."""
    return lambda request, ids, query: handler(request)


#: Every profile, by name.
SANDBOX_PROFILES: Final[Mapping[str, SandboxProfile]] = {p.name: p for p in (_Seed(), _Automate(), _Manage())}


def sandbox_profile(profile: str | SandboxProfile) -> SandboxProfile:
    """The profile called `profile` (a `SandboxProfile` is returned as is); a `ConfigurationError` else."""
    if isinstance(profile, SandboxProfile):
        return profile
    found = SANDBOX_PROFILES.get(profile) if isinstance(profile, str) else None
    if found is None:
        names = ", ".join(repr(name) for name in SANDBOX_PROFILES)
        raise ConfigurationError(f"sandbox: unknown profile {profile!r}; expected one of {names}")
    return found


def dataset(
    profile: str | SandboxProfile = DEFAULT_PROFILE, records: int = DEFAULT_RECORDS, seed: int = 0
) -> Dataset | AutomateDataset | ManageDataset:
    """The dataset a sandbox of `profile` serves for (records, seed); equal arguments give the same object.

    >>> len(dataset("seed", 20, seed=1).collection("Computers"))
    20
    """
    chosen = sandbox_profile(profile)
    if isinstance(records, bool) or not isinstance(records, int) or records < 1:
        raise ConfigurationError(f"records must be at least 1, got {records}")
    return chosen.make_data(records, seed)


def json_default(profile: str | SandboxProfile) -> Callable[[Any], Any]:
    """The `default=` for `json.dumps` that writes the profile's date-times.

    Records hold date-times as naive UTC `datetime` objects, so conditions compare them as
    instants; on the wire the seed profile writes `2024-02-14T08:30:00Z`, the automate
    profile `2024-02-14T08:30:00` (no offset, as the real server).

    >>> import datetime, json
    >>> json.dumps({"At": datetime.datetime(2024, 3, 1)}, default=json_default("automate"))
    '{"At": "2024-03-01T00:00:00"}'
    """
    return sandbox_profile(profile).json_default()
