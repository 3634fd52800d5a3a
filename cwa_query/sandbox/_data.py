"""Deterministic sandbox data: computers, clients, alerts and scripts from a seed.

The `seed` profile uses the seed document's field names (`ComputerID`, `Name`, `Status`,
`ClientID`, `OS`, `TotalMemory`, `LastContact`, `DiskFreePercent`, ...); the `automate`
profile the real server's (`Id`, `ComputerName`, `Client.Id`, `Location.Name`,
`OperatingSystemName`, `RemoteAgentLastContact`, `OpenPortsTCP`, `LoggedInUsers`, ...; names
taken from `LabTech.Models.Computer` and friends in the Automate OpenAPI document,
automate-openapi-v1.json in the project's shared reference folder).

Values vary enough that typical filters select a real subset, and some text holds quotes,
`%`, `_`, backslashes and non-ASCII letters. Datasets are cached per
(profile, records, seed), so repeated sandboxes share one:

>>> data = dataset("seed", 20, seed=1)
>>> len(data.collection("Computers")), data is dataset("seed", 20, seed=1)
(20, True)
>>> sorted(data.collection("Computers")[0])[:4]
['ClientID', 'Comment', 'ComputerID', 'DiskFreePercent']
>>> dataset("automate", 20, seed=1).collection("Computers")[0]["Client"].keys()
dict_keys(['Id', 'Name'])
"""

from __future__ import annotations

import datetime as _dt
import functools
import gc
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import ConfigurationError

__all__ = ["COLLECTIONS", "Dataset", "Profile", "dataset", "field_paths", "json_default"]

Profile = Literal["seed", "automate"]
Record = dict[str, Any]

#: The list endpoints, by their path segment.
COLLECTIONS: tuple[str, ...] = ("Computers", "Clients", "Alerts", "Scripts")

# Data is anchored to a fixed instant so it never depends on the wall clock.
_EPOCH = _dt.datetime(2024, 3, 1, 0, 0, 0)

_COMPANIES = (
    "ACME Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "O'Brien & Sons",
    "100% Uptime Ltd",
    "Café Zürich",
    "Ærø Shipping ApS",
    'The "Quoted" Co',
    "under_score Inc",
    "Łódź Logistics",
    "Ñandú S.A.",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli",
    "Back\\Slash LLC",
    "Soylent",
    "Vandelay Import",
    "Müller GmbH",
    "Tyrell Corp",
)
_CITIES = ("Tampa", "Berlin", "Zürich", "Kraków", "São Paulo", "Dublin", "Austin", "Malmö", "Québec", "Leeds")
_COUNTRIES = ("US", "DE", "CH", "PL", "BR", "IE", "US", "SE", "CA", "GB")
_SITES = ("HQ", "Branch", "Warehouse", "Remote", "Lab")
_OS = (
    ("Microsoft Windows 10 Pro x64", "10.0.19045", "Workstation"),
    ("Microsoft Windows 11 Pro x64", "10.0.22631", "Workstation"),
    ("Microsoft Windows 11 Enterprise x64", "10.0.22631", "Workstation"),
    ("Microsoft Windows Server 2019 Standard x64", "10.0.17763", "Server"),
    ("Microsoft Windows Server 2022 Datacenter x64", "10.0.20348", "Server"),
    ("Ubuntu 22.04.4 LTS", "22.04", "Server"),
    ("macOS 14.4 Sonoma", "14.4", "Workstation"),
)
_ROLES = ("WS", "WS", "WS", "LT", "DC", "SQL", "FS", "APP")
_USERS = ("jdoe", "asmith", "m.müller", "o'connor", "admin", "svc_backup", "zoë", "j_ruiz", "administrator")
_COMMENTS = (
    "",
    "",
    "",
    "Joe's laptop",
    'says "hello" at boot',
    "50% disk used_by logs",
    "front-desk PC — do not reboot",
    "C:\\Temp is full",
    "Naïve café kiosk",
    "100%_match",
)
_PORTS = (22, 80, 135, 139, 443, 445, 1433, 3389, 5985, 8080)
_ANTIVIRUS = ("Windows Defender", "Webroot SecureAnywhere", "SentinelOne", "Sophos Endpoint")
_SEVERITY_NAMES = {1: "Information", 2: "Low", 3: "Warning", 4: "High", 5: "Critical"}
_ALERT_STATUSES = ("New", "Active", "Acknowledged", "Resolved")
_ALERT_SOURCES = ("Monitor", "Agent", "Script", "Patch Manager")
_ALERT_MESSAGES = (
    "Disk C: below 10% free",
    "CPU usage over 90% for 15 minutes",
    "Service 'Spooler' stopped",
    'Backup job "Nightly" failed',
    "Antivirus definitions out of date",
    "Reboot pending after updates",
    "Agent offline since last check-in",
    "Temperature sensor: 71 °C",
)
_SCRIPT_NAMES = (
    "Reboot Computer",
    "Clear Temp Files",
    "Install 7-Zip",
    "Update Agent",
    "Run Disk Cleanup",
    "Collect Event Logs",
    "Restart Print Spooler",
    "Install Windows Updates",
    "Flush DNS Cache",
    "Map Network Drive",
    "Gather Inventory",
    "Check Disk Health",
    'Set Power Plan "High Performance"',
    "Remove Temp_Profiles",
    "Rotate Local Admin Password",
    "Deploy Printer Drivers",
    "Enable BitLocker",
    "Uninstall Adobe Reader",
    "Sync Time (NTP)",
    "Test Backup: 100% Verify",
    "Nettoyage du cache (Café)",
    "Defrag Drive C:",
    "Send Wake-on-LAN",
    "Export Installed Software",
    "Reset Windows Update",
)
_SCRIPT_FOLDERS = ("Maintenance", "Software", "Security", "Network", "Inventory")


def _stamp(seconds_before: int) -> _dt.datetime:
    """The instant `seconds_before` the data's epoch, naive UTC (served as text, see `json_default`)."""
    return _EPOCH - _dt.timedelta(seconds=seconds_before)


def json_default(profile: Profile) -> Callable[[Any], Any]:
    """The `default=` for `json.dumps` that writes the profile's date-times.

    Records hold date-times as naive UTC `datetime` objects, so conditions compare them as
    instants; on the wire the seed profile writes `2024-02-14T08:30:00Z`, the automate
    profile `2024-02-14T08:30:00` (no offset, as the real server).

    >>> import json
    >>> json.dumps({"At": _EPOCH}, default=json_default("automate"))
    '{"At": "2024-03-01T00:00:00"}'
    """
    suffix = "Z" if profile == "seed" else ""

    def default(value: Any) -> Any:
        if isinstance(value, _dt.datetime):
            return value.isoformat(timespec="seconds") + suffix
        raise TypeError(f"cannot serialise {type(value).__name__}")

    return default


def _mac(bits: int) -> str:
    m = f"{bits:012X}"
    return f"{m[0:2]}-{m[2:4]}-{m[4:6]}-{m[6:8]}-{m[8:10]}-{m[10:12]}"


def _abbreviation(name: str) -> str:
    letters = "".join(ch for ch in name.upper() if "A" <= ch <= "Z")
    return (letters[:4] or "CO").ljust(2, "X")


@dataclass(frozen=True)
class _Site:
    client_id: int
    client_name: str
    location_id: int
    location_name: str
    prefix: str


def _clients(profile: Profile, rng: random.Random, count: int) -> tuple[list[Record], list[_Site]]:
    clients: list[Record] = []
    sites: list[_Site] = []
    location_id = 1
    for index in range(count):
        client_id = index + 1
        base = _COMPANIES[index % len(_COMPANIES)]
        name = base if index < len(_COMPANIES) else f"{base} {index // len(_COMPANIES) + 1}"
        city_index = rng.randrange(len(_CITIES))
        if profile == "seed":
            clients.append(
                {
                    "ClientID": client_id,
                    "Name": name,
                    "City": _CITIES[city_index],
                    "Country": _COUNTRIES[city_index],
                    "PhoneNumber": f"+1-555-{rng.randrange(10000):04d}",
                }
            )
        else:
            clients.append(
                {
                    "Id": client_id,
                    "Name": name,
                    "Company": name,
                    "City": _CITIES[city_index],
                    "State": "",
                    "Country": _COUNTRIES[city_index],
                    "ZipCode": f"{rng.randrange(10000, 99999)}",
                    "PhoneNumber": f"+1-555-{rng.randrange(10000):04d}",
                    "ExternalId": str(1000 + client_id),
                    "Comment": _COMMENTS[rng.randrange(len(_COMMENTS))],
                }
            )
        prefix = _abbreviation(base)
        for site in range(1 + rng.randrange(3)):
            sites.append(_Site(client_id, name, location_id, _SITES[site], prefix))
            location_id += 1
    return clients, sites


def _computers(profile: Profile, rng: random.Random, count: int, sites: list[_Site]) -> list[Record]:
    out: list[Record] = []
    rand = rng.random

    def randrange(n: int, stop: int | None = None) -> int:
        return int(rand() * n) if stop is None else n + int(rand() * (stop - n))

    for index in range(count):
        computer_id = index + 1
        site = sites[randrange(len(sites))]
        os_name, os_version, kind = _OS[randrange(len(_OS))]
        role = "SRV" if kind == "Server" and randrange(2) else _ROLES[randrange(len(_ROLES))]
        name = f"{site.prefix}-{role}{computer_id:04d}"
        if computer_id % 97 == 0:
            name = f"MÜNCHEN-{role}{computer_id:04d}"
        roll = rand()
        status = "Online" if roll < 0.62 else "Offline" if roll < 0.92 else "Unknown"
        memory = (4096, 8192, 8192, 16384, 16384, 32768, 65536)[randrange(7)]
        contact = randrange(60 * 86400)
        comment = _COMMENTS[randrange(len(_COMMENTS))]
        if profile == "seed":
            out.append(
                {
                    "ComputerID": computer_id,
                    "Name": name,
                    "Status": status,
                    "ClientID": site.client_id,
                    "LocationID": site.location_id,
                    "OS": os_name,
                    "TotalMemory": memory,
                    "LastContact": _stamp(contact),
                    "DiskFreePercent": round(rand() * 100, 1),
                    "IPAddress": f"10.{site.client_id % 256}.{site.location_id % 256}.{computer_id % 250 + 2}",
                    "Comment": comment,
                }
            )
            continue
        if status == "Unknown":  # the real server knows Online and Offline only
            status = "Offline"
        users = [
            {"LoggedInUserName": _USERS[randrange(len(_USERS))], "ConsoleId": console}
            for console in range(randrange(3) if status == "Online" else 0)
        ]
        ports = sorted({_PORTS[randrange(len(_PORTS))] for _ in range(randrange(5))})
        out.append(
            {
                "Id": computer_id,
                "ComputerName": name,
                "FriendlyName": name.lower(),
                "Client": {"Id": site.client_id, "Name": site.client_name},
                "Location": {"Id": site.location_id, "Name": site.location_name},
                "OperatingSystemName": os_name,
                "OperatingSystemVersion": os_version,
                "DomainName": f"{site.prefix.lower()}.local",
                "Type": kind,
                "Status": status,
                "RemoteAgentLastContact": _stamp(contact),
                "LastHeartbeat": _stamp(contact + randrange(600)),
                "DateAdded": _stamp(86400 * (60 + randrange(900))),
                "RemoteAgentVersion": f"2023.{randrange(1, 13)}.{randrange(100)}",
                "TotalMemory": memory,
                "FreeMemory": int(memory * rand()),
                "CpuUsage": randrange(101),
                "LocalIPAddress": f"10.{site.client_id % 256}.{site.location_id % 256}.{computer_id % 250 + 2}",
                "MACAddress": _mac(rng.getrandbits(48)),
                "SerialNumber": f"SN{randrange(10**8):08d}",
                "OpenPortsTCP": ports,
                "OpenPortsUDP": [53, 123] if kind == "Server" else [],
                "LoggedInUsers": users,
                "LastUserName": _USERS[randrange(len(_USERS))],
                "UserAccounts": sorted({_USERS[randrange(len(_USERS))] for _ in range(1 + randrange(3))}),
                "IsVirtualMachine": randrange(3) == 0,
                "IsRebootNeeded": randrange(5) == 0,
                "IsMaintenanceModeEnabled": randrange(20) == 0,
                "VirusScanner": {"Id": 1 + (idx := randrange(len(_ANTIVIRUS))), "Name": _ANTIVIRUS[idx]},
                "SystemUptime": randrange(40 * 86400),
                "Comment": comment,
            }
        )
    return out


def _alerts(profile: Profile, rng: random.Random, count: int, computers: list[Record]) -> list[Record]:
    out: list[Record] = []
    rand = rng.random

    def randrange(n: int) -> int:
        return int(rand() * n)

    for index in range(count):
        computer = computers[randrange(len(computers))]
        severity = (1, 2, 2, 3, 3, 3, 4, 4, 5)[randrange(9)]
        created = randrange(30 * 86400)
        message = _ALERT_MESSAGES[randrange(len(_ALERT_MESSAGES))]
        if profile == "seed":
            out.append(
                {
                    "AlertID": index + 1,
                    "Severity": severity,
                    "Status": _ALERT_STATUSES[randrange(len(_ALERT_STATUSES))],
                    "ClientID": computer["ClientID"],
                    "ComputerID": computer["ComputerID"],
                    "Message": message,
                    "Source": _ALERT_SOURCES[randrange(len(_ALERT_SOURCES))],
                    "Created": _stamp(created),
                }
            )
        else:
            out.append(
                {
                    "AlertId": index + 1,
                    "Client": dict(computer["Client"]),
                    "Computer": {
                        "Id": computer["Id"],
                        "Name": computer["ComputerName"],
                        "ComputerStatus": computer["Status"],
                    },
                    "Location": dict(computer["Location"]),
                    "Monitor": {"Id": 100 + randrange(40), "Name": message.split(" ")[0] + " monitor"},
                    "AlertDate": _stamp(created),
                    "Severity": {"Id": severity, "Name": _SEVERITY_NAMES[severity]},
                    "Source": _ALERT_SOURCES[randrange(len(_ALERT_SOURCES))],
                    "Message": message,
                    "FieldName": "",
                }
            )
    return out


def _scripts(profile: Profile, rng: random.Random) -> list[Record]:
    out: list[Record] = []
    for index, name in enumerate(_SCRIPT_NAMES):
        folder = _SCRIPT_FOLDERS[index % len(_SCRIPT_FOLDERS)]
        updated = 86400 * rng.randrange(700)
        if profile == "seed":
            out.append({"ScriptID": index + 1, "Name": name, "FolderName": folder, "Description": f"{name} ({folder})"})
        else:
            out.append(
                {
                    "Id": index + 1,
                    "Name": name,
                    "Folder": {"Id": 1 + index % len(_SCRIPT_FOLDERS), "Name": folder},
                    "FullFolderPath": f"Scripts\\{folder}",
                    "Comments": f"{name} ({folder})",
                    "IsComputerScript": True,
                    "IsOffline": index % 7 == 0,
                    "Version": 1 + rng.randrange(9),
                    "GUID": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "UpdateDate": _stamp(updated),
                    "UpdatedBy": _USERS[index % len(_USERS)],
                }
            )
    return out


def _paths(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.setdefault(path.lower(), path)
            _paths(item, path, out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                _paths(item, prefix, out)


def field_paths(records: list[Record], *, sample: int = 500) -> dict[str, str]:
    """Every dotted field path in `records`, lower-cased -> canonical spelling.

    Nested objects and lists of objects contribute `Outer.Inner` paths:

    >>> field_paths([{"Id": 1, "Client": {"Id": 2}, "LoggedInUsers": [{"LoggedInUserName": "x"}]}])
    {'id': 'Id', 'client': 'Client', 'client.id': 'Client.Id', 'loggedinusers': 'LoggedInUsers', \
'loggedinusers.loggedinusername': 'LoggedInUsers.LoggedInUserName'}
    """
    out: dict[str, str] = {}
    for record in records[:sample]:
        _paths(record, "", out)
    return out


@dataclass(frozen=True)
class Dataset:
    """The generated records of one sandbox, per collection, plus their field catalogues."""

    profile: Profile
    records: int
    seed: int
    collections: dict[str, list[Record]]
    fields: dict[str, dict[str, str]]

    def collection(self, name: str) -> list[Record]:
        """The records of `name` (one of `COLLECTIONS`), in id order. Do not mutate them."""
        return self.collections[name]

    @property
    def id_field(self) -> dict[str, str]:
        """The id field of each collection."""
        if self.profile == "seed":
            return {"Computers": "ComputerID", "Clients": "ClientID", "Alerts": "AlertID", "Scripts": "ScriptID"}
        return {"Computers": "Id", "Clients": "Id", "Alerts": "AlertId", "Scripts": "Id"}


@functools.lru_cache(maxsize=8)
def dataset(profile: Profile, records: int = 1000, seed: int = 0) -> Dataset:
    """The dataset for (profile, records, seed); equal arguments give the same object."""
    if profile not in ("seed", "automate"):
        raise ConfigurationError(f"unknown sandbox profile {profile!r}; expected 'seed' or 'automate'")
    if records < 1:
        raise ConfigurationError(f"records must be at least 1, got {records}")
    rng = random.Random(f"cwa-query-sandbox:{profile}:{records}:{seed}")
    # Millions of fresh containers would trigger the cyclic collector over and over (none are cyclic).
    collecting = gc.isenabled()
    gc.disable()
    try:
        clients, sites = _clients(profile, rng, max(3, records // 50))
        computers = _computers(profile, rng, records, sites)
        alerts = _alerts(profile, rng, max(1, records // 2), computers)
        scripts = _scripts(profile, rng)
    finally:
        if collecting:
            gc.enable()
    collections = {"Computers": computers, "Clients": clients, "Alerts": alerts, "Scripts": scripts}
    return Dataset(
        profile=profile,
        records=records,
        seed=seed,
        collections=collections,
        fields={name: field_paths(items) for name, items in collections.items()},
    )
