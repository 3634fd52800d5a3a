"""Tests of your own Automate integration, against the cwa_sandbox fixtures.

This file is shown in docs/sandbox.md, and tests/docs runs it with pytest.
"""

from __future__ import annotations

import httpx
import pytest

from cwa_query import Client


def count_online(base_url: str, username: str, password: str, client_id: str) -> int:
    """The code under test: here, a tiny report over the Computers endpoint."""
    with Client(base_url, username=username, password=password, client_id=client_id) as client:
        return sum(1 for _ in client.iter_records("Computers", "Status = 'Online'", include_fields="Id"))


@pytest.mark.cwa_sandbox(records=50, faults="500=0.2,reset=0.1", fault_seed=1)
def test_report_survives_server_errors(cwa_sandbox):
    creds = cwa_sandbox.credentials
    online = count_online(cwa_sandbox.url, creds.username, creds.password, creds.client_id)
    assert online == 30
    stats = cwa_sandbox.stats()
    assert sum(stats["faults_injected"].values()) > 0  # faults happened, and were retried


def test_stats_over_http(cwa_sandbox_url):
    # the default sandbox: automate profile (as the real server), 100 computers, no faults
    stats = httpx.get(f"{cwa_sandbox_url}/_sandbox/stats").json()
    assert (stats["profile"], stats["records"], stats["requests"]) == ("automate", 100, 0)


def test_two_factor_on_both_profiles(cwa_sandbox_factory):
    for profile in ("seed", "automate"):
        sandbox = cwa_sandbox_factory(profile=profile, records=5, two_factor_code="123456")
        creds = sandbox.credentials
        with Client(
            sandbox.url,
            username=creds.username,
            password=creds.password,
            two_factor_code=creds.two_factor_code,
            client_id=creds.client_id,
            profile=profile,
        ) as client:
            assert len(client.computers()) == 5
