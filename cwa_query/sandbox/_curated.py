"""Curated automate endpoints: the fields real conditions filter on, with realistic values.

`Computers` (operating systems, online status, ports, logged-in users, names after their
client), `Clients`, `Locations` (two per client), `Alerts` (on existing computers, with
severities), `Scripts`, `ScriptFolders`, `VirusScannerDefs`. A curator returns the fields it
sets; the generic generator leaves them out and fills the rest.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, Final, Protocol

from ._words import (
    ALERT_MESSAGES,
    ALERT_SOURCES,
    ANTIVIRUS,
    CITIES,
    COMMENTS,
    COMPANIES,
    CONTACT_SPAN,
    COUNTRIES,
    DAY,
    LOCATIONS_PER_CLIENT,
    MEMORY_SIZES,
    NON_ASCII_EVERY,
    ONLINE_SHARE,
    OS,
    PORTS,
    ROLES,
    SCRIPT_FOLDERS,
    SCRIPT_NAMES,
    SEVERITY_NAMES,
    SITES,
    USERS,
    abbreviation,
    mac,
    stamp,
)

__all__ = ["CURATORS", "Curator", "Source"]

Record = dict[str, Any]


class Source(Protocol):
    """What a curator reads of the dataset: counts, and other endpoints' records."""

    def count(self, endpoint: str) -> int:
        """How many records `endpoint` has."""
        ...

    def collection(self, endpoint: str) -> list[Record]:
        """The records of `endpoint`."""
        ...


def _client_name(index: int) -> str:
    base = COMPANIES[index % len(COMPANIES)]
    return base if index < len(COMPANIES) else f"{base} {index // len(COMPANIES) + 1}"


def _site_name(location_id: int, clients: int) -> str:
    return SITES[((location_id - 1) // clients) % len(SITES)]


Curator = Callable[["Source", random.Random, int], Record]


def _curate_clients(data: Source, rng: random.Random, index: int) -> Record:
    name = _client_name(index)
    city = rng.randrange(len(CITIES))
    clients = data.count("Clients")
    locations = [index + 1 + k * clients for k in range(LOCATIONS_PER_CLIENT)]
    return {
        "Name": name,
        "Company": name,
        "City": CITIES[city],
        "Country": COUNTRIES[city],
        "ExternalId": str(1000 + index + 1),
        "Comment": COMMENTS[rng.randrange(len(COMMENTS))],
        "Locations": [{"Id": number, "Name": _site_name(number, clients)} for number in locations],
    }


def _curate_locations(data: Source, rng: random.Random, index: int) -> Record:
    clients = data.count("Clients")
    client = index % clients
    return {
        "LocationId": index + 1,
        "Name": _site_name(index + 1, clients),
        "Client": {"Id": str(client + 1), "Name": _client_name(client)},
        "City": CITIES[(client + index) % len(CITIES)],
    }


def _curate_computers(data: Source, rng: random.Random, index: int) -> Record:
    rand = rng.random
    clients = data.count("Clients")
    location = int(rand() * data.count("Locations"))
    client = location % clients
    prefix = abbreviation(COMPANIES[client % len(COMPANIES)])
    computer_id = index + 1
    os_name, os_version, kind = OS[int(rand() * len(OS))]
    role = "SRV" if kind == "Server" and rand() < 0.5 else ROLES[int(rand() * len(ROLES))]
    name = f"{prefix}-{role}{computer_id:04d}"
    if computer_id % NON_ASCII_EVERY == 0:
        name = f"MÜNCHEN-{role}{computer_id:04d}"
    status = "Online" if rand() < ONLINE_SHARE else "Offline"
    memory = MEMORY_SIZES[int(rand() * len(MEMORY_SIZES))]
    contact = int(rand() * CONTACT_SPAN)
    users = [
        {"LoggedInUserName": USERS[int(rand() * len(USERS))], "ConsoleId": console}
        for console in range(int(rand() * 3) if status == "Online" else 0)
    ]
    antivirus = int(rand() * len(ANTIVIRUS))
    return {
        "Location": {"Id": location + 1, "Name": _site_name(location + 1, clients)},
        "Client": {"Id": str(client + 1), "Name": _client_name(client)},
        "IsMaintenanceModeEnabled": rand() < 0.05,
        "IsVirtualMachine": rand() < 1 / 3,
        "ComputerName": name,
        "OperatingSystemName": os_name,
        "OperatingSystemVersion": os_version,
        "DomainName": f"{prefix.lower()}.local",
        "OpenPortsTCP": sorted({PORTS[int(rand() * len(PORTS))] for _ in range(int(rand() * 5))}),
        "OpenPortsUDP": [53, 123] if kind == "Server" else [],
        "Comment": COMMENTS[int(rand() * len(COMMENTS))],
        "RemoteAgentVersion": f"2023.{1 + int(rand() * 12)}.{int(rand() * 100)}",
        "RemoteAgentLastContact": stamp(contact),
        "LastHeartbeat": stamp(contact + int(rand() * 600)),
        "TotalMemory": memory,
        "FreeMemory": int(memory * rand()),
        "CpuUsage": int(rand() * 101),
        "LocalIPAddress": f"10.{(client + 1) % 256}.{(location + 1) % 256}.{computer_id % 250 + 2}",
        "SystemUptime": int(rand() * 40 * DAY),
        "MACAddress": mac(rng.getrandbits(48)),
        "DateAdded": stamp(DAY * (60 + int(rand() * 900))),
        "LoggedInUsers": users,
        "LastUserName": USERS[int(rand() * len(USERS))],
        "Type": kind,
        "Status": status,
        "VirusScanner": {"Id": str(antivirus + 1), "Name": ANTIVIRUS[antivirus]},
        "FriendlyName": name.lower(),
        "IsRebootNeeded": rand() < 0.2,
        "SerialNumber": f"SN{int(rand() * 10**8):08d}",
        "UserAccounts": sorted({USERS[int(rand() * len(USERS))] for _ in range(1 + int(rand() * 3))}),
    }


def _curate_alerts(data: Source, rng: random.Random, index: int) -> Record:
    rand = rng.random
    computers = data.collection("Computers")
    computer = computers[int(rand() * len(computers))]
    severity = (1, 2, 2, 3, 3, 3, 4, 4, 5)[int(rand() * 9)]
    message = ALERT_MESSAGES[int(rand() * len(ALERT_MESSAGES))]
    return {
        "Client": {"Id": int(computer["Client"]["Id"]), "Name": computer["Client"]["Name"]},
        "Computer": {"Id": int(computer["Id"]), "Name": computer["ComputerName"], "ComputerStatus": computer["Status"]},
        "Location": dict(computer["Location"]),
        "Monitor": {"Id": 100 + int(rand() * 40), "Name": message.split(" ")[0] + " monitor"},
        "AlertDate": stamp(int(rand() * 30 * DAY)),
        "Severity": {"Id": severity, "Name": SEVERITY_NAMES[severity]},
        "Source": ALERT_SOURCES[int(rand() * len(ALERT_SOURCES))],
        "Message": message,
        "FieldName": "",
    }


def _curate_scripts(data: Source, rng: random.Random, index: int) -> Record:
    name = SCRIPT_NAMES[index % len(SCRIPT_NAMES)]
    folder = SCRIPT_FOLDERS[index % len(SCRIPT_FOLDERS)]
    return {
        "Name": name,
        "Folder": {"Id": str(1 + index % len(SCRIPT_FOLDERS)), "Name": folder},
        "FullFolderPath": f"Scripts\\{folder}",
        "Comments": f"{name} ({folder})",
        "IsComputerScript": True,
        "IsOffline": index % 7 == 0,
        "Version": 1 + rng.randrange(9),
        "UpdateDate": stamp(DAY * rng.randrange(700)),
        "UpdatedBy": USERS[index % len(USERS)],
    }


def _curate_named(names: tuple[str, ...]) -> Curator:
    def curate(data: Source, rng: random.Random, index: int) -> Record:
        return {"Name": names[index % len(names)]}

    return curate


def _curated(curator: Curator, *keys: str) -> tuple[Curator, frozenset[str]]:
    return curator, frozenset(keys)


#: The curator of each curated endpoint and the fields it sets (every one a field of the
#: document: a test holds them to the catalogue; the generic maker skips them).
CURATORS: Final[dict[str, tuple[Curator, frozenset[str]]]] = {
    "Clients": _curated(_curate_clients, "Name", "Company", "City", "Country", "ExternalId", "Comment", "Locations"),
    "Locations": _curated(_curate_locations, "LocationId", "Name", "Client", "City"),
    "Computers": _curated(
        _curate_computers,
        "Location",
        "Client",
        "IsMaintenanceModeEnabled",
        "IsVirtualMachine",
        "ComputerName",
        "OperatingSystemName",
        "OperatingSystemVersion",
        "DomainName",
        "OpenPortsTCP",
        "OpenPortsUDP",
        "Comment",
        "RemoteAgentVersion",
        "RemoteAgentLastContact",
        "LastHeartbeat",
        "TotalMemory",
        "FreeMemory",
        "CpuUsage",
        "LocalIPAddress",
        "SystemUptime",
        "MACAddress",
        "DateAdded",
        "LoggedInUsers",
        "LastUserName",
        "Type",
        "Status",
        "VirusScanner",
        "FriendlyName",
        "IsRebootNeeded",
        "SerialNumber",
        "UserAccounts",
    ),
    "Alerts": _curated(
        _curate_alerts,
        "Client",
        "Computer",
        "Location",
        "Monitor",
        "AlertDate",
        "Severity",
        "Source",
        "Message",
        "FieldName",
    ),
    "Scripts": _curated(
        _curate_scripts,
        "Name",
        "Folder",
        "FullFolderPath",
        "Comments",
        "IsComputerScript",
        "IsOffline",
        "Version",
        "UpdateDate",
        "UpdatedBy",
    ),
    "ScriptFolders": _curated(_curate_named(SCRIPT_FOLDERS), "Name"),
    "VirusScannerDefs": _curated(_curate_named(ANTIVIRUS), "Name"),
}
