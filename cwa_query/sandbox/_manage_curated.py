"""Curated Manage endpoints: the fields real conditions filter on, with realistic values.

A curator returns the top-level fields it sets for one record (the generic generator fills the
rest from the catalogue): names and identifiers, statuses, boards, priorities and types as
`{"id", "name"}` references, a company's `types` and a contact's `communicationItems` (what
`childConditions` reach), `customFields` (what `customFieldConditions` reach), and the
references that tie records together (`company`, `contact`, `owner`, `ticket`, `member`).
`REFERENCES` names the endpoint a reference field of any record points at.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

from ._words import CITIES, COMMENTS, COMPANIES, USERS, abbreviation, stamp

__all__ = ["CURATORS", "REFERENCES", "Curated", "Curator", "Source", "reference_to"]

Record = dict[str, Any]
Curated = dict[str, Any]


def reference_to(endpoint: str, record: Record) -> Record:
    """The reference object another record holds to `record` of `endpoint`."""
    out: Record = {"id": record["id"]}
    for key in ("identifier", "name"):
        if key in record:
            out[key] = record[key]
    if "name" not in out and "firstName" in record:
        out["name"] = f"{record['firstName']} {record.get('lastName') or ''}".strip()
    out["_info"] = {f"{endpoint.rsplit('/', 1)[-1].rstrip('s')}_href": f"https://sandbox/{endpoint}/{record['id']}"}
    return out


class Source(Protocol):
    """What a curator reads of the dataset being made."""

    def collection(self, endpoint: str) -> list[Record]: ...

    def reference(self, endpoint: str, rng: random.Random, *, company: int | None = None) -> Record: ...


Curator = Callable[[Source, random.Random, int], Curated]

#: Reference fields (in any record) and the endpoint whose records they point at.
REFERENCES: Final[Mapping[str, str]] = {
    **dict.fromkeys(
        ("billToCompany", "parentCompany", "shipToCompany", "subContractCompany", "vendor"), "company/companies"
    ),
    **dict.fromkeys(
        (
            "billingContact",
            "defaultContact",
            "billToContact",
            "shipToContact",
            "technicalContact",
            "subContractContact",
        ),
        "company/contacts",
    ),
    **dict.fromkeys(
        (
            "owner",
            "manager",
            "territoryManager",
            "primarySalesRep",
            "secondarySalesRep",
            "timeApprover",
            "expenseApprover",
            "closedBy",
            "installedBy",
            "member",
            "reportsTo",
        ),
        "system/members",
    ),
    "ticket": "service/tickets",
    "project": "project/projects",
    **dict.fromkeys(("agreement", "parentAgreement"), "finance/agreements"),
    "opportunity": "sales/opportunities",
}

FIRST_NAMES: Final = ("Ana", "Ben", "Chloé", "Dmitri", "Eve", "Farah", "Gus", "Hélène", "Ivan", "Jo")
LAST_NAMES: Final = ("Smith", "O'Neil", "Müller", "Nguyen", "García", "Kowalski", "Ødegaard", "Brown", "Li", "Shah")
COMPANY_STATUSES: Final = ("Active", "Active", "Active", "Inactive", "Not-Approved")
COMPANY_TYPES: Final = ("Client", "Client", "Prospect", "Vendor", "Partner")
BOARDS: Final = ("Service Desk", "Help Desk", "Alerts", "Escalations", "Projects")
TICKET_STATUSES: Final = ("New", "In Progress", "Waiting on Client", "Scheduled", "Resolved", "Closed")
PRIORITIES: Final = ("Priority 1 - Critical", "Priority 2 - High", "Priority 3 - Normal", "Priority 4 - Low")
SUMMARIES: Final = (
    "Printer offline",
    "Email not syncing on phone",
    'VPN says "access denied"',
    "Disk 95% full on FS01",
    "New starter: set up laptop",
    "Outlook crashes at start",
    "Wi-Fi drops in Café area",
    "Password reset for o'connor",
    "Backup job failed",
    "Install Adobe Reader_DC",
)
PROJECT_STATUSES: Final = ("Open", "In Progress", "On Hold", "Closed")
STAGES: Final = ("Prospect", "Qualified", "Proposal", "Negotiation", "Won", "Lost")
CONFIGURATION_TYPES: Final = ("Workstation", "Server", "Firewall", "Switch", "Printer", "Managed Server")
AGREEMENT_TYPES: Final = ("Managed Services", "Block Time", "Break-Fix", "Backup")
PRODUCTS: Final = ("Laptop 14in", "Docking Station", "Firewall Appliance", "M365 Business Premium", "Backup 1TB")


def _named(rng: random.Random, names: tuple[str, ...]) -> Record:
    index = int(rng.random() * len(names))
    return {"id": index + 1, "name": names[index], "_info": {}}


def _custom_fields(rng: random.Random, number: int) -> list[Record]:
    return [
        {"id": 1, "caption": "Acronym", "type": "Text", "entryMethod": "EntryField", "numberOfDecimals": 0,
         "value": abbreviation(COMPANIES[number % len(COMPANIES)]) + str(number)},
        {"id": 2, "caption": "Seats", "type": "Number", "entryMethod": "EntryField", "numberOfDecimals": 0,
         "value": int(rng.random() * 200)},
    ]  # fmt: skip


def _person(number: int) -> tuple[str, str]:
    return FIRST_NAMES[number % len(FIRST_NAMES)], LAST_NAMES[(number * 7 // 3) % len(LAST_NAMES)]


def _members(data: Source, rng: random.Random, number: int) -> Curated:
    first, last = _person(number)
    identifier = f"{first[0]}{last}".lower().replace("'", "") + str(number)
    return {
        "identifier": identifier,
        "firstName": first,
        "lastName": last,
        "defaultEmail": "Office",
        "defaultPhone": "Office",
        "officeEmail": f"{identifier}@sandbox.example",
        "inactiveFlag": number % 9 == 0,
        "title": ("Technician", "Engineer", "Service Manager", "Account Manager")[number % 4],
    }


def _companies(data: Source, rng: random.Random, number: int) -> Curated:
    base = COMPANIES[(number - 1) % len(COMPANIES)]
    kinds = sorted({COMPANY_TYPES[int(rng.random() * len(COMPANY_TYPES))] for _ in range(1 + number % 2)})
    return {
        "identifier": f"{abbreviation(base)}{number}",
        "name": base if number <= len(COMPANIES) else f"{base} {number}",
        "status": _named(rng, COMPANY_STATUSES),
        "types": [{"id": COMPANY_TYPES.index(kind) + 1, "name": kind, "_info": {}} for kind in kinds],
        "city": CITIES[number % len(CITIES)],
        "deletedFlag": False,
        "customFields": _custom_fields(rng, number),
        "territoryManager": data.reference("system/members", rng),
    }


def _company_of(data: Source, rng: random.Random) -> Record:
    return data.reference("company/companies", rng)


def _contacts(data: Source, rng: random.Random, number: int) -> Curated:
    first, last = _person(number * 3 + 1)
    companies = data.collection("company/companies")
    # every company has a contact (the first ones go round), the rest are spread at random
    company = (
        reference_to("company/companies", companies[number - 1]) if number <= len(companies) else _company_of(data, rng)
    )
    email = f"{first[0]}.{last}{number}@example.com".lower().replace("'", "")
    return {
        "firstName": first,
        "lastName": last,
        "company": company,
        "title": ("Office Manager", "CEO", "IT Lead", "Accountant", "")[number % 5],
        "inactiveFlag": number % 11 == 0,
        "communicationItems": [
            {
                "id": 1,
                "type": {"id": 1, "name": "Email", "_info": {}},
                "value": email,
                "defaultFlag": True,
                "communicationType": "Email",
                "extension": None,
            },
            {
                "id": 2,
                "type": {"id": 2, "name": "Direct", "_info": {}},
                "value": f"+1-555-{number:04d}",
                "defaultFlag": True,
                "communicationType": "Phone",
                "extension": None,
            },
        ],
        "customFields": [],
    }


def _company_and_contact(data: Source, rng: random.Random) -> Curated:
    company = _company_of(data, rng)
    return {"company": company, "contact": data.reference("company/contacts", rng, company=company["id"])}


def _tickets(data: Source, rng: random.Random, number: int) -> Curated:
    status = _named(rng, TICKET_STATUSES)
    return {
        **_company_and_contact(data, rng),
        "summary": SUMMARIES[number % len(SUMMARIES)],
        "board": _named(rng, BOARDS),
        "status": status,
        "priority": _named(rng, PRIORITIES),
        "owner": data.reference("system/members", rng),
        "closedFlag": status["name"] == "Closed",
        "initialDescription": COMMENTS[number % len(COMMENTS)],
        "customFields": _custom_fields(rng, number),
    }


def _projects(data: Source, rng: random.Random, number: int) -> Curated:
    start = stamp(int(rng.random() * 300) * 86400)
    return {
        **_company_and_contact(data, rng),
        "name": f"{PRODUCTS[number % len(PRODUCTS)]} roll-out #{number}",
        "status": _named(rng, PROJECT_STATUSES),
        "board": _named(rng, BOARDS),
        "manager": data.reference("system/members", rng),
        "estimatedStart": start,
        "estimatedEnd": stamp(max(0, int(rng.random() * 300) * 86400 - 30 * 86400)),
        "closedFlag": number % 4 == 0,
    }


def _agreements(data: Source, rng: random.Random, number: int) -> Curated:
    kind = _named(rng, AGREEMENT_TYPES)
    return {**_company_and_contact(data, rng), "name": f"{kind['name']} {number}", "type": kind}


def _opportunities(data: Source, rng: random.Random, number: int) -> Curated:
    return {
        **_company_and_contact(data, rng),
        "name": f"{PRODUCTS[number % len(PRODUCTS)]} for {number}",
        "stage": _named(rng, STAGES),
        "primarySalesRep": data.reference("system/members", rng),
    }


def _configurations(data: Source, rng: random.Random, number: int) -> Curated:
    kind = _named(rng, CONFIGURATION_TYPES)
    return {
        **_company_and_contact(data, rng),
        "name": f"{kind['name'].upper().replace(' ', '-')}-{number:03d}",
        "type": kind,
        "status": _named(rng, ("Active", "Inactive")),
        "activeFlag": number % 7 != 0,
    }


def _time_entries(data: Source, rng: random.Random, number: int) -> Curated:
    tickets = data.collection("service/tickets")
    ticket = tickets[int(rng.random() * len(tickets))]
    start = stamp(int(rng.random() * 90 * 86400))
    hours = round(0.25 * (1 + int(rng.random() * 16)), 2)
    return {
        "company": ticket["company"],
        "ticket": {"id": ticket["id"], "summary": ticket["summary"], "_info": {}},
        "chargeToId": ticket["id"],
        "chargeToType": "ServiceTicket",
        "member": data.reference("system/members", rng),
        "timeStart": start,
        "actualHours": hours,
        "notes": USERS[number % len(USERS)] + ": " + ticket["summary"],
    }


def _products(data: Source, rng: random.Random, number: int) -> Curated:
    return {
        "company": _company_of(data, rng),
        "description": PRODUCTS[number % len(PRODUCTS)],
        "quantity": 1 + int(rng.random() * 20),
        "price": round(10 + rng.random() * 990, 2),
        "cost": round(5 + rng.random() * 500, 2),
    }


CURATORS: Final[Mapping[str, Curator]] = {
    "system/members": _members,
    "company/companies": _companies,
    "company/contacts": _contacts,
    "service/tickets": _tickets,
    "project/projects": _projects,
    "finance/agreements": _agreements,
    "sales/opportunities": _opportunities,
    "company/configurations": _configurations,
    "time/entries": _time_entries,
    "procurement/products": _products,
}
