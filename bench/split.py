"""Split benchmark: 5,000 ids in an `in` list, split under the 2,048-byte budget, beside one request without a limit.

Run: `.venv/bin/python bench/split.py` (about 30 s; `--runs 1`: quicker). For each profile, one
`cwa-query sandbox` in its own process (so that it does not compete for our interpreter's
lock) over loopback, 40 ms latency, 20,000 computers, its query-string limit raised so that
it takes the whole condition in one request too, and the same client settings for both
contenders (10 requests in flight at most, page size 250):

* one request: `Client(max_query_string=None)`, the whole condition
  `Status = 'Online' and Id in (...5,000 ids...)` in one query string (about 49 kB), its pages
  fetched as usual;
* split: `Client()` with the profile's budget (2,048 bytes, IIS's): the list cut into pieces
  under it, sent together within the same limits, the records merged back in order.

Both are asked for the records ordered by name (descending), so the merge does its work.
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

from cwa_query import Client, F

LATENCY_MS = executor.LATENCY_MS
CONCURRENCY = executor.CONCURRENCY
RECORDS = executor.RECORDS
PAGE_SIZE = executor.PAGE_SIZE
IDS = list(range(1, 20_001, 4))  # 5,000 ids
NAME = {"seed": "Name", "automate": "ComputerName"}
ID = {"seed": "ComputerID", "automate": "Id"}
TARGET = 1.3


class Sandbox(executor.Sandbox):
    """`cwa-query sandbox` in its own process (as `bench/executor.py` runs it), taking query
    strings of any length, so that one request can carry the whole condition."""

    def __init__(self, profile: str) -> None:
        super().__init__(profile, RECORDS, LATENCY_MS)
        self.command += ["--max-query-string", str(1 << 20)]


def fetch(sandbox: Sandbox, **options: Any) -> tuple[float, list[dict[str, Any]], int]:
    """Seconds, records and requests of one `get_all` (the login before the clock starts)."""
    condition = (F.Status == "Online") & getattr(F, ID[sandbox.profile]).in_(IDS)
    parts: list[int] = []
    with Client(
        sandbox.url,
        username="sandbox",
        password="sandbox",
        client_id=sandbox.client_id,
        profile=sandbox.profile,
        page_size=PAGE_SIZE,
        max_in_flight=CONCURRENCY,
        rate_limit=None,
        validate="off",
        **options,
    ) as client:
        client.get("Computers", {"pageSize": 1})  # log in
        started = time.perf_counter()
        records = client.get_all(
            "Computers", condition, order_by=f"{NAME[sandbox.profile]} desc", progress=lambda d, n: parts.append(n)
        )
        return time.perf_counter() - started, records, (parts[-1] if parts else 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each contender per profile (best taken)")
    args = parser.parse_args()
    print(
        f"sandbox: {RECORDS:,} computers, {LATENCY_MS} ms latency, {CONCURRENCY} in flight at most, "
        f"page size {PAGE_SIZE}; {len(IDS):,} ids\n"
    )
    for profile in ("seed", "automate"):
        with Sandbox(profile) as sandbox:
            whole = [fetch(sandbox, max_query_string=None) for _ in range(args.runs)]
            split = [fetch(sandbox) for _ in range(args.runs)]
        one_time, one_records, _ = min(whole, key=lambda run: run[0])
        split_time, split_records, parts = min(split, key=lambda run: run[0])
        same = "same records, same order" if split_records == one_records else "RECORDS DIFFER"
        ratio = split_time / one_time
        print(f"{profile}: one request   {one_time:6.3f} s  {len(one_records):,} records")
        print(
            f"{profile}: split         {split_time:6.3f} s  {ratio:.2f} x one request (target <= {TARGET}x), "
            f"{parts} requests; {same}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
