"""The defaults that several parts of cwa_query share, each in one place.

The default target is the real server: everything a user meets that takes a dialect or an
API profile (the command line, `lint`, `fix`, `render`, `encode`, `load_schema`, the
strategies, `Client`, `cwa-query fetch`, `cwa-query sandbox`, the `Sandbox` and its pytest
fixtures) uses `automate`, the ConnectWise Automate REST API as real servers serve it, when
none is named. `seed` (the seed document's dialect and API, which differ from the real
server in field names, quoting and paging) is one argument away: `dialect="seed"`,
`profile="seed"`, `--dialect seed`, `--profile seed`. Code that needs "the default" reads it
from here; `PROFILE_NAMES` are the profiles.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DEFAULT_DIALECT", "DEFAULT_PROFILE", "PROFILE_NAMES"]

#: The dialect used when none is named: the real server's.
DEFAULT_DIALECT: Final = "automate"
#: The API profile used when none is named (a profile is named after its dialect).
DEFAULT_PROFILE: Final = DEFAULT_DIALECT
#: The API profiles, by name: the client's (`cwa_query.client.PROFILES`) and the sandbox's
#: (`cwa_query.sandbox.SANDBOX_PROFILES`) are these (a test checks), listed here so that the
#: command line can offer them without importing either.
PROFILE_NAMES: Final = ("seed", "automate", "manage")
