"""Word lists and small value makers shared by the sandbox's data generators.

Values vary enough that typical filters select a real subset, and some text holds quotes,
`%`, `_`, backslashes and non-ASCII letters.
"""

from __future__ import annotations

import datetime as _dt

__all__ = [
    "COMPUTERS_PER_CLIENT",
    "LOCATIONS_PER_CLIENT",
    "MIN_CLIENTS",
    "CONTACT_SPAN",
    "DAY",
    "MEMORY_SIZES",
    "NON_ASCII_EVERY",
    "ONLINE_SHARE",
    "UNKNOWN_ABOVE",
    "ALERT_MESSAGES",
    "ALERT_SOURCES",
    "ALERT_STATUSES",
    "ANTIVIRUS",
    "CITIES",
    "COMMENTS",
    "COMPANIES",
    "COUNTRIES",
    "EPOCH",
    "OS",
    "PORTS",
    "ROLES",
    "SCRIPT_FOLDERS",
    "SCRIPT_NAMES",
    "SEVERITY_NAMES",
    "SITES",
    "USERS",
    "abbreviation",
    "mac",
    "stamp",
]

#: Seconds in a day.
DAY = 86400
#: Computers last seen up to this many seconds before the epoch.
CONTACT_SPAN = 60 * DAY
#: The share of computers online; above `UNKNOWN_ABOVE` the seed profile says `Unknown`.
ONLINE_SHARE = 0.62
UNKNOWN_ABOVE = 0.92
#: Total memory sizes (MiB), repeated by how common they are.
MEMORY_SIZES = (4096, 8192, 8192, 16384, 16384, 32768, 65536)
#: One client per this many computers (at least `MIN_CLIENTS`), two locations per client.
COMPUTERS_PER_CLIENT = 50
MIN_CLIENTS = 3
LOCATIONS_PER_CLIENT = 2
#: Every this-many-th computer has a non-ASCII name (`MÜNCHEN-...`).
NON_ASCII_EVERY = 97

# Data is anchored to a fixed instant so it never depends on the wall clock.
EPOCH = _dt.datetime(2024, 3, 1, 0, 0, 0)

COMPANIES = (
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
CITIES = ("Tampa", "Berlin", "Zürich", "Kraków", "São Paulo", "Dublin", "Austin", "Malmö", "Québec", "Leeds")
COUNTRIES = ("US", "DE", "CH", "PL", "BR", "IE", "US", "SE", "CA", "GB")
SITES = ("HQ", "Branch", "Warehouse", "Remote", "Lab")
OS = (
    ("Microsoft Windows 10 Pro x64", "10.0.19045", "Workstation"),
    ("Microsoft Windows 11 Pro x64", "10.0.22631", "Workstation"),
    ("Microsoft Windows 11 Enterprise x64", "10.0.22631", "Workstation"),
    ("Microsoft Windows Server 2019 Standard x64", "10.0.17763", "Server"),
    ("Microsoft Windows Server 2022 Datacenter x64", "10.0.20348", "Server"),
    ("Ubuntu 22.04.4 LTS", "22.04", "Server"),
    ("macOS 14.4 Sonoma", "14.4", "Workstation"),
)
ROLES = ("WS", "WS", "WS", "LT", "DC", "SQL", "FS", "APP")
USERS = ("jdoe", "asmith", "m.müller", "o'connor", "admin", "svc_backup", "zoë", "j_ruiz", "administrator")
COMMENTS = (
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
PORTS = (22, 80, 135, 139, 443, 445, 1433, 3389, 5985, 8080)
ANTIVIRUS = ("Windows Defender", "Webroot SecureAnywhere", "SentinelOne", "Sophos Endpoint")
SEVERITY_NAMES = {1: "Information", 2: "Low", 3: "Warning", 4: "High", 5: "Critical"}
ALERT_STATUSES = ("New", "Active", "Acknowledged", "Resolved")
ALERT_SOURCES = ("Monitor", "Agent", "Script", "Patch Manager")
ALERT_MESSAGES = (
    "Disk C: below 10% free",
    "CPU usage over 90% for 15 minutes",
    "Service 'Spooler' stopped",
    'Backup job "Nightly" failed',
    "Antivirus definitions out of date",
    "Reboot pending after updates",
    "Agent offline since last check-in",
    "Temperature sensor: 71 °C",
)
SCRIPT_NAMES = (
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
SCRIPT_FOLDERS = ("Maintenance", "Software", "Security", "Network", "Inventory")


def stamp(seconds_before: int) -> _dt.datetime:
    """The instant `seconds_before` the data's epoch, naive UTC (served as text, see `json_default`)."""
    return EPOCH - _dt.timedelta(seconds=seconds_before)


def mac(bits: int) -> str:
    m = f"{bits:012X}"
    return f"{m[0:2]}-{m[2:4]}-{m[4:6]}-{m[6:8]}-{m[8:10]}-{m[10:12]}"


def abbreviation(name: str) -> str:
    letters = "".join(ch for ch in name.upper() if "A" <= ch <= "Z")
    return (letters[:4] or "CO").ljust(2, "X")
