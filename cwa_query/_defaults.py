"""The defaults that several parts of cwa_query share, each in one place.

`DEFAULT_PROFILE` is the API profile the client, `cwa-query fetch`, `cwa-query sandbox`, the
`Sandbox` and its pytest fixture use when none is named; `PROFILE_NAMES` are the profiles.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DEFAULT_PROFILE", "PROFILE_NAMES"]

#: The API profile used when none is named.
DEFAULT_PROFILE: Final = "seed"
#: The API profiles, by name: the client's (`cwa_query.client.PROFILES`) and the sandbox's
#: (`cwa_query.sandbox.SANDBOX_PROFILES`) are these (a test checks), listed here so that the
#: command line can offer them without importing either.
PROFILE_NAMES: Final = ("seed", "automate")
