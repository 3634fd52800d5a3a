"""The `fetch` tool's reach and caps, called directly against the built-in sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cwa_query.mcp_server import _fetch
from cwa_query.mcp_server._fetch import MAX_RECORDS, Reach
from cwa_query.mcp_server._tools import ToolInputError


@pytest.fixture(scope="module")
def reach() -> Iterator[Reach]:
    reach = Reach(sandbox_records=150)
    yield reach
    reach.close()


def test_records_are_capped_and_counted(reach: Reach) -> None:
    structured, text = reach.fetch("Computers", None, ["Id"], MAX_RECORDS)
    assert structured["count"] == len(structured["records"]) == MAX_RECORDS
    assert structured["truncated"] is False
    assert text.startswith(f"{MAX_RECORDS} records from Computers")
    default, _ = reach.fetch("Computers", None, None, None)
    assert default["count"] == _fetch.DEFAULT_LIMIT


def test_the_size_cap_cuts_whole_records_and_says_so(reach: Reach, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fetch, "MAX_RESPONSE_BYTES", 3000)
    structured, text = reach.fetch("Computers", None, None, 50)
    assert structured["truncated"] is True
    assert 0 < structured["count"] < 50
    assert "cut at 3,000 bytes" in text


def test_the_condition_is_read_in_the_profiles_dialect(reach: Reach) -> None:
    structured, _ = reach.fetch(
        "Computers", "ComputerName like '%SRV%' and Client.Id in (1, 2)", ["ComputerName", "Client.Id"], 100
    )
    assert structured["records"]
    for record in structured["records"]:
        assert "SRV" in record["ComputerName"] and record["Client.Id"] in ("1", "2", 1, 2)
    with pytest.raises(ToolInputError, match="has no `startswith`"):
        reach.fetch("Computers", "ComputerName startswith 'SRV'", None, 5)


def test_the_seed_profile_reads_seed_conditions() -> None:
    seed = Reach(profile="seed", sandbox_records=30)
    try:
        structured, _ = seed.fetch("Computers", "not (Status = 'Online')", ["Status"], 100)
    finally:
        seed.close()
    assert structured["records"] and all(r["Status"] != "Online" for r in structured["records"])


def test_an_unknown_profile_is_a_configuration_error() -> None:
    from cwa_query.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="unknown profile"):
        Reach(profile="nope")


def test_where_fetch_goes_is_said_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PASSWORD", "pw-visible-nowhere")
    reach = Reach("https://automate.example.com")
    assert "automate.example.com" in reach.describe() and "pw-visible" not in reach.describe()
    assert reach.scrub("x pw-visible-nowhere y") == "x [secret] y"


def test_the_manage_profile_reads_manage_conditions_and_fields() -> None:
    manage = Reach(profile="manage", sandbox_records=30)
    try:
        structured, _ = manage.fetch("company/companies", 'identifier like "A%"', ["id", "status/name"], 100)
        with pytest.raises(ToolInputError, match="the lint tool, dialect manage"):
            manage.fetch("company/companies", "identifier startswith 'A'", None, 5)
    finally:
        manage.close()
    assert structured["records"]
    assert all(set(record) == {"id", "status/name"} for record in structured["records"])


def test_every_profiles_secrets_are_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTWISE_MANAGE_PRIVATE_KEY", "priv-key-visible-nowhere")
    monkeypatch.setenv("CWA_QUERY_MCP_TOKEN", "token-visible-nowhere")
    text = Reach().scrub("a priv-key-visible-nowhere b token-visible-nowhere")
    assert text == "a [secret] b [secret]"


def test_each_profile_is_named_after_its_dialect() -> None:
    """Reach describes the fetch tool by the profile's name alone (no client import at start-up)."""
    from cwa_query._defaults import PROFILE_NAMES
    from cwa_query.client import get_profile

    for name in PROFILE_NAMES:
        assert Reach(profile=name).dialect == get_profile(name).dialect.name == name
