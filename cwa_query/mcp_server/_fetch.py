"""The `fetch` tool's reach: the built-in sandbox, or one server fixed when the MCP server starts.

Where `fetch` goes is decided by whoever starts `cwa-query mcp`, never by the model: the
sandbox (started in this process on the first fetch), or `--server URL --profile P` with the
credentials in the same `CONNECTWISE_AUTOMATE_*` variables `cwa-query fetch` reads. The
tool's arguments name only an endpoint, a condition, fields and a limit; it only reads
(`GET` of a list endpoint). Every condition is linted before it is sent (the executor's
`validate="error"`), and the answer is cut at `MAX_RECORDS` records and `MAX_RESPONSE_BYTES`
of JSON.

Credentials stay out of everything the tool returns: the clients' errors carry no secret,
and as a second guard every message is scrubbed of the configured secrets' text before it
leaves (`Reach.scrub`).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Any

from .._defaults import DEFAULT_PROFILE, PROFILE_NAMES
from ..errors import ConditionError, ConditionRejectedError, ConfigurationError, CwaQueryError
from ._tools import MAX_CONDITION_CHARS, ToolInputError

if TYPE_CHECKING:
    from ..client import Client, Profile
    from ..sandbox import Sandbox

__all__ = ["DEFAULT_LIMIT", "MAX_RECORDS", "MAX_RESPONSE_BYTES", "SANDBOX_RECORDS", "TOKEN_VARIABLE", "Reach"]

DEFAULT_LIMIT = 20
"""Records a fetch returns when the model names no limit."""
MAX_RECORDS = 100
"""The most records one fetch returns, whatever the limit asked."""
MAX_RESPONSE_BYTES = 200_000
"""The most bytes of JSON records one fetch returns; records past it are left out."""
SANDBOX_RECORDS = 200
"""Computers in the built-in sandbox `fetch` reads by default."""

TOKEN_VARIABLE = "CWA_QUERY_MCP_TOKEN"
"""The environment variable holding the bearer token of the HTTP transport."""

# the variables whose values are secrets: that token, and each profile's credentials
# below its prefix (CONNECTWISE_AUTOMATE_*, CONNECTWISE_MANAGE_*)
_SECRET_SUFFIXES = ("PASSWORD", "PASS", "2FA", "CLIENT_ID", "PUBLIC_KEY", "PRIVATE_KEY")


class Reach:
    """Where `fetch` reads: the sandbox (`server=None`) or one server, with its profile."""

    def __init__(
        self, server: str | None = None, profile: str = DEFAULT_PROFILE, *, sandbox_records: int = SANDBOX_RECORDS
    ):
        if profile not in PROFILE_NAMES:
            raise ConfigurationError(f"unknown profile {profile!r}: choose one of {', '.join(PROFILE_NAMES)}")
        # the client (and httpx) load on the first fetch, not at start-up: a profile is named
        # after its dialect, which is all that describing the tool needs
        self.profile_name = profile
        self.server = server
        self.sandbox_records = sandbox_records
        self._sandbox: Sandbox | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Reach {self.describe()}>"

    def describe(self) -> str:
        """Where fetch goes, in words (no credentials)."""
        if self.server is None:
            return f"the built-in sandbox ({self.profile_name} profile, generated data)"
        return f"{self.server} ({self.profile_name} profile, credentials from the environment)"

    @property
    def dialect(self) -> str:
        """The dialect the condition is written in: the profile's (named after it)."""
        return self.profile_name

    @property
    def profile(self) -> Profile:
        """The client's profile object."""
        from ..client import get_profile

        return get_profile(self.profile_name)

    def close(self) -> None:
        """Stop the sandbox, if one was started."""
        with self._lock:
            if self._sandbox is not None:
                self._sandbox.stop()
                self._sandbox = None

    @contextmanager
    def _client(self) -> Iterator[Client]:
        from ..client import Client, RetryPolicy

        options: dict[str, Any] = {
            "profile": self.profile,
            "retry": RetryPolicy(max_retries=2),
            "timeout": 30.0,
            "validate": "error",
        }
        if self.server is None:
            with self._lock:
                if self._sandbox is None:
                    from ..sandbox import Sandbox

                    self._sandbox = Sandbox(self.profile.name, records=self.sandbox_records).start()
                sandbox = self._sandbox
            # the sandbox's credentials in its profile's kind (a login, or Manage's API keys)
            with Client(sandbox.url, **{**sandbox.client_options(), **options}) as client:
                yield client
            return
        with Client.from_env(server=self.server, **options) as client:
            yield client

    def fetch(
        self, endpoint: str, condition: str | None, fields: list[str] | None, limit: int | None
    ) -> tuple[dict[str, Any], str]:
        """`{records, count, truncated}` of one list request (pages followed up to the limit)."""
        try:
            return self._fetch(endpoint, condition, fields, limit)
        except ConditionRejectedError as exc:
            raise ToolInputError(self.scrub(self._rejected(exc))) from None
        except ConditionError as exc:
            hint = f"\n(the lint tool, dialect {self.dialect}, gives the fix)"
            raise ToolInputError(self.scrub(str(exc)) + hint) from None
        except (CwaQueryError, ValueError) as exc:
            raise ToolInputError(self.scrub(str(exc))) from None

    def _rejected(self, exc: ConditionRejectedError) -> str:
        """The linter's findings, without the executor's advice to send anyway (not the agent's to take)."""
        lines = [f"not sent: the server would refuse this condition for {exc.endpoint}:"]
        for d in exc.findings:
            fix = f" (fix: {d.fix})" if getattr(d, "fix", None) else ""
            lines.append(f"  {d.code} {d.name} at column {d.column}: {d.message}{fix}")
        lines.append(f"(the lint tool, dialect {self.dialect}, gives the text with every fix applied)")
        return "\n".join(lines)

    def _fetch(
        self, endpoint: str, condition: str | None, fields: list[str] | None, limit: int | None
    ) -> tuple[dict[str, Any], str]:
        from ..client._validate import check_fields
        from ..language.paths import get_path

        if limit is not None and not 1 <= limit <= MAX_RECORDS:
            raise ToolInputError(f"limit is 1 to {MAX_RECORDS}")
        wanted = DEFAULT_LIMIT if limit is None else limit
        where = None
        if condition is not None and condition.strip():
            if len(condition) > MAX_CONDITION_CHARS:
                raise ToolInputError(f"the condition is longer than {MAX_CONDITION_CHARS:,} characters")
            # read strictly in the profile's dialect (not the executor's lenient reading of both
            # condition dialects): the agent learns what the server reads, and lint gives the fix
            where = self.profile.dialect.parse(condition)
        names = [name.strip() for name in fields or () if name.strip()]
        if fields is not None and not names:
            raise ToolInputError("fields is empty; leave it out for whole records")
        # as the API names them (`board/id` for Manage) -> dotted paths into a record
        paths = {name: self.profile.dotted(name) for name in names}
        problems = check_fields(list(paths.values()), endpoint, self.profile) if names else []
        if problems:
            raise ToolInputError("; ".join(problems))
        # the fields are picked here, not with includeFields: not every profile's server reads it
        records: list[Any] = []
        size = 2
        truncated = False
        with self._client() as client, closing(client.iter_records(endpoint, where, limit=wanted)) as found:
            for record in found:
                shown = {name: get_path(record, path) for name, path in paths.items()} if names else record
                cost = len(json.dumps(shown, ensure_ascii=False, default=str).encode()) + 1
                if size + cost > MAX_RESPONSE_BYTES:
                    truncated = True
                    break
                size += cost
                records.append(shown)
        structured = {"records": records, "count": len(records), "truncated": truncated}
        head = f"{len(records)} record{'s' if len(records) != 1 else ''} from {endpoint}"
        if truncated:
            head += f" (cut at {MAX_RESPONSE_BYTES:,} bytes; ask for fewer fields or a smaller limit)"
        lines = [head, *(json.dumps(r, ensure_ascii=False, default=str) for r in records[:5])]
        if len(records) > 5:
            lines.append(f"... {len(records) - 5} more in the structured result")
        return structured, "\n".join(lines)

    def scrub(self, text: str) -> str:
        """`text` with the configured secrets' values blotted out (a second guard: the
        clients' messages name no secret)."""
        from ..client import PROFILES

        prefixes = {profile.env_prefix for profile in PROFILES.values()}
        names = [TOKEN_VARIABLE, *(prefix + suffix for prefix in sorted(prefixes) for suffix in _SECRET_SUFFIXES)]
        for name in names:
            value = os.environ.get(name)
            if value and len(value) >= 4 and value in text:
                text = text.replace(value, "[secret]")
        return text
