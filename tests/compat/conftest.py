"""A module-scoped automate sandbox for the compatibility tests (127.0.0.1 only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cwa_query.sandbox import Sandbox

RECORDS = 120


@pytest.fixture(scope="module")
def automate_sandbox() -> Iterator[Sandbox]:
    # ExpirationDate with an offset: pyconnectwise compares it with an aware datetime.now(UTC)
    with Sandbox("automate", RECORDS, seed=11, token_date_offset=True) as sandbox:
        yield sandbox
