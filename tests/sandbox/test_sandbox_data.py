"""The generated data: deterministic from the seed, profile field names, varied values."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from cwa_query.errors import ConfigurationError
from cwa_query.sandbox import COLLECTIONS, dataset
from cwa_query.sandbox._automate import AutomateDataset
from cwa_query.sandbox._curated import CURATORS
from cwa_query.sandbox._data import field_paths, seed_dataset
from cwa_query.sandbox._profiles import json_default
from cwa_query.schema import builtin_schema


def generate(profile: str, records: int, seed: int) -> Any:
    """An uncached dataset."""
    if profile == "automate":
        return AutomateDataset(records, seed)
    return seed_dataset.__wrapped__(records, seed)


@pytest.mark.parametrize("profile", ["seed", "automate"])
def test_same_seed_same_data_and_other_seed_other_data(profile: str) -> None:
    first, again, other = generate(profile, 120, 4), generate(profile, 120, 4), generate(profile, 120, 5)
    assert first is not again
    for name in COLLECTIONS:
        assert first.collection(name) == again.collection(name)
    assert first.collection("Computers") != other.collection("Computers")


def test_datasets_are_cached_per_arguments() -> None:
    assert dataset("seed", 33, 1) is dataset("seed", 33, 1)
    assert dataset("seed", 33, 1) is not dataset("seed", 33, 2)


@pytest.mark.parametrize(
    ("profile", "collection", "fields"),
    [
        (
            "seed",
            "Computers",
            {"ComputerID", "Name", "Status", "ClientID", "OS", "TotalMemory", "LastContact", "DiskFreePercent"},
        ),
        ("seed", "Clients", {"ClientID", "Name"}),
        ("seed", "Alerts", {"AlertID", "Severity", "Status", "ClientID", "ComputerID"}),
        ("seed", "Scripts", {"ScriptID", "Name"}),
        (
            "automate",
            "Computers",
            {
                "Id",
                "ComputerName",
                "Client.Id",
                "Client.Name",
                "Location.Id",
                "Location.Name",
                "OperatingSystemName",
                "RemoteAgentLastContact",
                "OpenPortsTCP",
                "Status",
                "Type",
                "LoggedInUsers.LoggedInUserName",
                "VirusScanner.Name",
                "UserAccounts",
            },
        ),
        ("automate", "Clients", {"Id", "Name", "City", "ExternalId"}),
        ("automate", "Alerts", {"AlertId", "Client.Id", "Computer.Id", "Severity.Id", "Severity.Name", "Message"}),
        ("automate", "Scripts", {"Id", "Name", "Folder.Name", "GUID"}),
    ],
)
def test_field_names_follow_the_profile(profile: str, collection: str, fields: set[str]) -> None:
    data = dataset(profile, 200, 0)
    paths = set(data.fields[collection].values())
    assert fields <= paths
    if profile == "automate":  # and the records hold them
        served = set(field_paths(data.collection(collection)).values())
        assert fields <= served


@pytest.mark.parametrize(("records", "clients", "alerts"), [(1, 3, 1), (200, 4, 100), (1000, 20, 500)])
def test_proportions(records: int, clients: int, alerts: int) -> None:
    data = dataset("seed", records, 0)
    counts = [len(data.collection(name)) for name in COLLECTIONS]
    assert counts == [records, clients, alerts, 25]


def test_values_vary_enough_for_filters_to_select_subsets() -> None:
    computers = dataset("seed", 1000, 0).collection("Computers")
    statuses = {c["Status"] for c in computers}
    online = sum(c["Status"] == "Online" for c in computers)
    assert statuses == {"Online", "Offline", "Unknown"}
    assert 500 < online < 750
    assert len({c["ClientID"] for c in computers}) == 20
    assert len({c["OS"] for c in computers}) >= 5


def test_text_holds_quotes_percent_underscore_backslash_and_non_ascii() -> None:
    data = dataset("automate", 1000, 0)
    text = json.dumps(
        [data.collection("Computers"), data.collection("Clients")], default=json_default("automate"), ensure_ascii=False
    )
    for needle in ("'", '\\"', "%", "_", "\\\\", "ü", "Æ", "Ł"):
        assert needle in text


@pytest.mark.parametrize(("profile", "suffix"), [("seed", "Z"), ("automate", "")])
def test_dates_are_datetimes_served_in_the_profile_format(profile: str, suffix: str) -> None:
    record = dataset(profile, 5, 0).collection("Computers")[0]
    value = record["LastContact" if profile == "seed" else "RemoteAgentLastContact"]
    assert isinstance(value, dt.datetime)
    assert value.tzinfo is None
    served = json.loads(json.dumps(value, default=json_default(profile)))
    assert served == value.isoformat(timespec="seconds") + suffix


def test_ids_are_one_based_and_dense() -> None:
    data = dataset("automate", 50, 0)
    for name in COLLECTIONS:
        key = data.id_field[name]
        assert [int(r[key]) for r in data.collection(name)] == list(range(1, len(data.collection(name)) + 1))


def test_automate_ids_have_the_documents_json_types() -> None:
    data = dataset("automate", 50, 0)
    computer = data.collection("Computers")[0]
    assert isinstance(computer["Id"], str)  # "Id": {"type": "string"} in LabTech.Models.Computer
    assert isinstance(computer["Client"]["Id"], str)
    assert isinstance(computer["Location"]["Id"], int)  # LabTech.Models.Location.Id is int32
    assert isinstance(data.collection("Alerts")[0]["AlertId"], int)


def test_automate_references_point_at_existing_records() -> None:
    data = dataset("automate", 300, 2)
    clients = {c["Id"]: c["Name"] for c in data.collection("Clients")}
    locations = {loc["Id"]: loc for loc in data.collection("Locations")}
    for computer in data.collection("Computers"):
        assert clients[computer["Client"]["Id"]] == computer["Client"]["Name"]
        location = locations[computer["Location"]["Id"]]
        assert location["Client"]["Id"] == computer["Client"]["Id"]  # the location belongs to the client
    computers = {c["Id"]: c for c in data.collection("Computers")}
    for alert in data.collection("Alerts"):
        computer = computers[str(alert["Computer"]["Id"])]
        assert computer["ComputerName"] == alert["Computer"]["Name"]
        assert int(computer["Client"]["Id"]) == alert["Client"]["Id"]


def test_references_point_at_existing_records() -> None:
    data = dataset("seed", 300, 2)
    client_ids = {c["ClientID"] for c in data.collection("Clients")}
    computer_ids = {c["ComputerID"] for c in data.collection("Computers")}
    assert {c["ClientID"] for c in data.collection("Computers")} <= client_ids
    assert {a["ComputerID"] for a in data.collection("Alerts")} <= computer_ids


def test_field_paths_of_empty_lists_and_scalars() -> None:
    assert field_paths([{"Tags": [], "Ports": [1, 2]}]) == {"tags": "Tags", "ports": "Ports"}


@pytest.mark.parametrize(("profile", "records"), [("other", 5), ("seed", 0)])
def test_bad_dataset_arguments(profile: str, records: int) -> None:
    with pytest.raises(ConfigurationError, match=r"profile|records"):
        dataset(profile, records, 0)  # type: ignore[arg-type]


def test_curated_fields_are_fields_of_the_document() -> None:
    schema = builtin_schema("automate")
    for endpoint, (_, keys) in CURATORS.items():
        assert keys <= set(schema.fields(endpoint)), (endpoint, sorted(keys - set(schema.fields(endpoint))))
        record = dataset("automate", 30, 0).collection(endpoint)[0]
        assert list(record) == [path for path in schema.fields(endpoint) if "." not in path]  # the document's order


def test_automate_id_fields_name_records_that_exist_and_agree_with_them() -> None:
    data = dataset("automate", 40, 1)
    computers = {c["Id"]: c for c in data.collection("Computers")}
    for row in data.collection("Computers/Software"):  # a top-level list with ComputerId
        computer = computers[str(row["ComputerId"])]
        assert row["ComputerName"] == computer["ComputerName"]
        assert str(row["ClientId"]) == computer["Client"]["Id"]
    for row in data.children("Computers/{computerId}/Software", ("7",)):  # a sub-collection
        assert (row["ComputerId"], row["ComputerName"]) == (7, computers["7"]["ComputerName"])
    locations = {loc["Id"]: loc for loc in data.collection("Locations")}
    for contact in data.collection("Contacts"):
        assert contact["Client"]["Id"] == locations[contact["Location"]["Id"]]["Client"]["Id"]


def test_sub_collections_do_not_depend_on_which_parent_came_first() -> None:
    template = "Computers/{computerId}/Software"
    one, other = AutomateDataset(20, 0), AutomateDataset(20, 0)
    one.children(template, ("3",))
    other.children(template, ("9",))  # builds the template's maker from another parent's request
    assert one.children(template, ("9",)) == other.children(template, ("9",))
    assert one.children(template, ("3",)) == other.children(template, ("3",))


@pytest.mark.parametrize("profile", ["seed", "automate"])
def test_the_data_serves_the_fields_of_the_profiles_catalogue(profile: str) -> None:
    """One catalogue: what the sandbox serves is what the linter (and a validating client) knows."""
    schema = builtin_schema(profile)
    data = dataset(profile, 60, 0)
    for name in COLLECTIONS:
        served = {path.split(".")[0] for path in field_paths(data.collection(name)).values()}
        assert served == {path.split(".")[0] for path in schema.fields(name)}, name
