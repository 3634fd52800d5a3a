"""Split benchmark: 5,000 ids in an `in` list, split under the 2,048-byte budget, beside one request without a limit.

Run: `.venv/bin/python bench/split.py` (about a minute; `--runs 1`: quicker; `--profiles manage`:
one profile). For each profile (seed, automate, manage), one `cwa-query sandbox` in its own
process (so that it does not compete for our interpreter's lock) over loopback, 40 ms latency,
20,000 computers (manage: 2,000 companies, whose related data is slower to make), its
query-string limit raised so that it takes the whole condition in one request too, and the
same client settings for both contenders (10 requests in flight at most, page size 250):

* one request: `Client(max_query_string=None)`, the whole condition
  `Status = 'Online' and Id in (...5,000 ids...)` (manage: `deletedFlag = false and id in (...)`
  on `company/companies`) in one query string (about 49 kB), its pages fetched as usual;
* split: `Client()` with the profile's budget (2,048 bytes, IIS's): the list cut into pieces
  under it, sent together within the same limits, the records merged back in order.

Both are asked for the records ordered by name (descending), so the merge does its work; a
second pair asks for the name only (`include_fields`: automate's `includeFields`, manage's
`fields`; seed has none), so the split must ask for the id and the order's field as well and
cut them away again.

Manage pages by `Link` headers, each repeating the query string: one request's answer has a
head of over 100 kB, past what httpcore reads (h11's `max_incomplete_event_size`, 100 KiB;
the real server would refuse the request line long before). The bench raises that bound, for
both contenders, so that the baseline can be read at all.
The sandbox answers `id in (...)` (alone or a conjunct of `and`) from an id index, as a real
server reads its primary key: each piece costs its own records, not a scan of all 20,000
(before it did, the name-only automate pair was 3.2 x; with the index, 0.74 x).
Target: split <= 1.3 x one request. It prints figures and ratios; nothing here asserts
(timings belong to benchmarks, not tests). The records of both are compared: a mismatch
is printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import executor  # bench/executor.py: run as `python bench/split.py`, this folder is on the path
import httpcore._sync.http11

from cwa_query import Client, F
from cwa_query.sandbox import Sandbox as InProcessSandbox

LATENCY_MS = executor.LATENCY_MS
CONCURRENCY = executor.CONCURRENCY
PAGE_SIZE = executor.PAGE_SIZE
IDS = list(range(1, 20_001, 4))  # 5,000 ids
PROFILES = ("seed", "automate", "manage")
RECORDS = {"seed": executor.RECORDS, "automate": executor.RECORDS, "manage": 2_000}
ENDPOINT = {"seed": "Computers", "automate": "Computers", "manage": "company/companies"}
NAME = {"seed": "Name", "automate": "ComputerName", "manage": "name"}
CONDITION: dict[str, object] = {
    "seed": (F.Status == "Online") & F.ComputerID.in_(IDS),
    "automate": (F.Status == "Online") & F.Id.in_(IDS),
    "manage": f"deletedFlag = false and id in ({', '.join(map(str, IDS))})",
}
TARGET = 1.3
# one manage answer's head holds two links of about 50 kB each (see the module's doc)
httpcore._sync.http11.HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE = 1 << 20


class Sandbox(executor.Sandbox):
    """`cwa-query sandbox` in its own process (as `bench/executor.py` runs it), taking query
    strings of any length, so that one request can carry the whole condition."""

    def __init__(self, profile: str) -> None:
        super().__init__(profile, RECORDS[profile], LATENCY_MS)
        self.command += ["--max-query-string", str(1 << 20)]

    def credentials(self) -> dict[str, Any]:
        """The client's credentials: the sandbox's defaults (manage: a company and API keys)."""
        if self.profile == "manage":
            return InProcessSandbox("manage", 1).client_options()
        return {"username": self.username, "password": self.password, "client_id": self.client_id}


def fetch(sandbox: Sandbox, fields: str | None, **options: Any) -> tuple[float, list[dict[str, Any]], int]:
    """Seconds, records and requests of one `get_all` (the login before the clock starts)."""
    profile = sandbox.profile
    parts: list[int] = []
    settings = {**sandbox.credentials(), "profile": profile, **options}
    with Client(
        sandbox.url, page_size=PAGE_SIZE, max_in_flight=CONCURRENCY, rate_limit=None, validate="off", **settings
    ) as client:
        client.get(ENDPOINT[profile], {"pageSize": 1})  # log in (manage: find the codebase)
        started = time.perf_counter()
        records = client.get_all(
            ENDPOINT[profile],
            CONDITION[profile],  # type: ignore[arg-type]
            order_by=f"{NAME[profile]} desc",
            include_fields=fields,
            progress=lambda d, n: parts.append(n),
        )
        return time.perf_counter() - started, records, (parts[-1] if parts else 1)


def compare(sandbox: Sandbox, runs: int, fields: str | None) -> None:
    """One request beside the split, best of `runs` each, and whether they returned the same."""
    label = sandbox.profile if fields is None else f"{sandbox.profile} ({fields} only)"
    whole = [fetch(sandbox, fields, max_query_string=None) for _ in range(runs)]
    split = [fetch(sandbox, fields) for _ in range(runs)]
    one_time, one_records, _ = min(whole, key=lambda run: run[0])
    split_time, split_records, parts = min(split, key=lambda run: run[0])
    same = "same records, same order" if split_records == one_records else "RECORDS DIFFER"
    if fields is not None and any(set(record) != {fields} for record in split_records):
        same += "; FIELDS NOT ASKED FOR HANDED OVER"
    ratio = split_time / one_time
    print(f"{label}: one request   {one_time:6.3f} s  {len(one_records):,} records")
    print(
        f"{label}: split         {split_time:6.3f} s  {ratio:.2f} x one request (target <= {TARGET}x), "
        f"{parts} requests; {same}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each contender per profile (best taken)")
    parser.add_argument("--profiles", nargs="+", choices=PROFILES, default=PROFILES, help="profiles to run")
    args = parser.parse_args()
    print(
        f"sandbox: {RECORDS['automate']:,} computers ({RECORDS['manage']:,} companies for manage), "
        f"{LATENCY_MS} ms latency, {CONCURRENCY} in flight at most, page size {PAGE_SIZE}; {len(IDS):,} ids\n"
    )
    for profile in args.profiles:
        with Sandbox(profile) as sandbox:
            compare(sandbox, args.runs, None)
            if profile != "seed":  # the seed document has no way to ask for fields
                compare(sandbox, args.runs, NAME[profile])
    return 0


if __name__ == "__main__":
    sys.exit(main())
