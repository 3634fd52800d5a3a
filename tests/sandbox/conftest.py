"""Shared sandboxes and logged-in clients for the sandbox tests (all on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cwa_query.sandbox import Sandbox
from tests.sandbox.sandbox_helpers import RECORDS, automate_login, seed_login, socket_client


@pytest.fixture(scope="module")
def seed_sandbox() -> Iterator[Sandbox]:
    with Sandbox(profile="seed", records=RECORDS, seed=7) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def automate_sandbox() -> Iterator[Sandbox]:
    with Sandbox(profile="automate", records=RECORDS, seed=7) as sandbox:
        yield sandbox


@pytest.fixture
def seed_client(seed_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with socket_client(seed_sandbox) as client:
        seed_login(client, seed_sandbox)
        yield client


@pytest.fixture
def automate_client(automate_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with socket_client(automate_sandbox) as client:
        automate_login(client, automate_sandbox)
        yield client
