"""API-key authentication for the manage profile, as one `httpx.Auth`.

ConnectWise Manage has no login and no token: every request carries
`Authorization: Basic base64("<company>+<public key>:<private key>")` and the integration's
`clientId` header (manage-api-facts.md section 8, confidence H: christaylorcodes'
Connect-CWM, pyconnectwise's manage client, go-connectwise-psa, django-connectwise). A 401
is final (there is nothing to renew): the client raises
[`AuthenticationError`][cwa_query.AuthenticationError] with a hint, and never shows a key.

>>> auth = ApiKeyAuth("acme", "pub", "s3cret", client_id="abc")
>>> auth
<ApiKeyAuth company='acme' client_id='abc'>
>>> import httpx
>>> request = next(auth.auth_flow(httpx.Request("GET", "https://h/")))
>>> request.headers["Authorization"], request.headers["clientId"]
('Basic YWNtZStwdWI6czNjcmV0', 'abc')
"""

from __future__ import annotations

import base64
from collections.abc import Generator

import httpx

from ..errors import ConfigurationError

__all__ = ["ApiKeyAuth"]


class ApiKeyAuth(httpx.Auth):
    """Basic auth from a Manage company id and an API member's key pair, plus `clientId`.

    Args:
        company: the company id you log in to Manage with (`acme`).
        public_key, private_key: the API member's keys (neither is logged nor shown in a repr).
        client_id: the integration's `clientId` (from developer.connectwise.com), sent on every request.
    """

    def __init__(self, company: str, public_key: str, private_key: str, *, client_id: str | None = None) -> None:
        for name, value in (("company", company), ("public_key", public_key), ("private_key", private_key)):
            if not isinstance(value, str) or not value:
                raise ConfigurationError(f"{name} must be a non-empty string")
        if "+" in company or ":" in company:
            raise ConfigurationError("company must not hold '+' or ':' (they separate the parts of the credentials)")
        self.company = company
        self.client_id = client_id
        token = base64.b64encode(f"{company}+{public_key}:{private_key}".encode()).decode("ascii")
        self._header = f"Basic {token}"

    def __repr__(self) -> str:
        return f"<ApiKeyAuth company={self.company!r} client_id={self.client_id!r}>"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        if self.client_id:
            request.headers["clientId"] = self.client_id
        yield request
