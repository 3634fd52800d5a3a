"""Executor benchmark: our client beside an oracle, the seed document's loop, the latency bound and a plain loop.

Run: `.venv/bin/python bench/executor.py` (about 40 s; `--runs 1 --no-memory --no-loops`: quicker). One run
against the sandbox
(`cwa-query sandbox` in its own process, so that it does not compete for our interpreter's
lock) over loopback: 40 ms latency, at most 10 requests in flight, 20,000 computers, page
size 250.

* the physical limit: an oracle client that is told the number of pages in advance and
  fetches them all with the same in-flight cap (10), over the same sandbox, sync (a thread
  pool over one `httpx.Client`) and async (`asyncio.gather` over one `httpx.AsyncClient`),
  parsing every page's JSON and keeping every record, as `get_all` does. Targets, sync and
  async: ours <= 1.10 x the oracle for seed, <= 1.15 x for automate (which must discover the
  last page: with 80 full pages of 250, page 81 must come back empty, a ninth round trip of
  10 requests where the oracle needs eight, so 1.125 x is the floor there), with no 429;
* seed: our `Client.get_all` beside the seed document's own loop (sequential pages with a
  100 ms pause; target ratio <= 0.10) and beside the latency bound ceil(pages / 10) x 40 ms
  (the best any client can do with 10 in flight; target <= 2x);
* automate (no paging headers, so no page count to plan with): our client beside a plain
  sequential loop that stops at the first short page (target <= 0.30);
* the peak memory of a fresh process streaming 50,000 records with `iter_records`, at page
  size 250 and at 1000 (the largest; target < 80 MB): the child's own peak resident set
  (`VmHWM`; `ru_maxrss` would carry the parent's peak over `exec` on Linux).

Logins happen before the clocks start, for every contender alike. It prints figures and
ratios; nothing here asserts (timings belong to benchmarks, not tests).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx

from cwa_query import AsyncClient, Client

LATENCY_MS = 40
CONCURRENCY = 10
RECORDS = 20_000
PAGE_SIZE = 250
MEMORY_RECORDS = 50_000


class Sandbox:
    """`cwa-query sandbox` in its own process, so that it does not share our interpreter's lock."""

    username = password = "sandbox"
    client_id = "bench-client"

    def __init__(self, profile: str, records: int, latency_ms: int) -> None:
        self.profile = profile
        self.command = [
            sys.executable, "-m", "cwa_query", "sandbox", "--quiet", "--profile", profile, "--records", str(records),
            "--latency-ms", str(latency_ms), "--max-concurrent", str(CONCURRENCY),
        ]  # fmt: skip
        self.url = ""

    def __enter__(self) -> Sandbox:
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.process.kill()
            raise RuntimeError(f"the sandbox did not start: {self.url!r}")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    @property
    def api_url(self) -> str:
        return f"{self.url}/cwa/api/v1"

    def stats(self) -> dict[str, Any]:
        answer: dict[str, Any] = httpx.get(f"{self.url}/_sandbox/stats").json()
        return answer


def client_options(sandbox: Sandbox) -> dict[str, Any]:
    return {
        "username": sandbox.username,
        "password": sandbox.password,
        "client_id": sandbox.client_id,
        "profile": sandbox.profile,
        "page_size": PAGE_SIZE,
    }


def login(sandbox: Sandbox, http: httpx.Client) -> dict[str, str]:
    """Headers for the hand-written loops (the seed document's flow, or automate's)."""
    if sandbox.profile == "seed":
        body = {"Username": sandbox.username, "Password": sandbox.password}
        token = http.post(f"{sandbox.api_url}/APICredentials", json=body).json()["AccessToken"]
        return {"Authorization": f"Bearer {token}"}
    headers = {"ClientId": sandbox.client_id}
    body = {"UserName": sandbox.username, "Password": sandbox.password}
    token = http.post(f"{sandbox.api_url}/apitoken", json=body, headers=headers).json()["AccessToken"]
    return {**headers, "Authorization": f"Bearer {token}"}


def seed_document_loop(sandbox: Sandbox) -> tuple[float, int]:
    """`fetchAllComputers` from the seed document: sequential pages, 100 ms pause between."""
    with httpx.Client(timeout=30) as http:
        headers = login(sandbox, http)
        started = time.perf_counter()
        records: list[Any] = []
        page, total_pages = 1, 1
        while page <= total_pages:
            answer = http.get(
                f"{sandbox.api_url}/Computers", params={"page": page, "pageSize": PAGE_SIZE}, headers=headers
            )
            total_pages = int(answer.headers.get("X-Total-Pages") or "1")
            records.extend(answer.json())
            page += 1
            if page <= total_pages:
                time.sleep(0.1)
        return time.perf_counter() - started, len(records)


def plain_sequential_loop(sandbox: Sandbox) -> tuple[float, int]:
    """Sequential pages until the first short one, no pause (automate has no paging headers)."""
    with httpx.Client(timeout=30) as http:
        headers = login(sandbox, http)
        started = time.perf_counter()
        records: list[Any] = []
        page = 1
        while True:
            answer = http.get(
                f"{sandbox.api_url}/Computers", params={"page": page, "pageSize": PAGE_SIZE}, headers=headers
            )
            rows = answer.json()
            records.extend(rows)
            if len(rows) < PAGE_SIZE:
                break
            page += 1
        return time.perf_counter() - started, len(records)


def oracle(sandbox: Sandbox) -> tuple[float, int]:
    """Told the number of pages: every page requested at once, at most `CONCURRENCY` in flight (threads)."""
    from concurrent.futures import ThreadPoolExecutor

    pages = math.ceil(RECORDS / PAGE_SIZE)
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    with httpx.Client(timeout=30, limits=limits) as http:
        headers = login(sandbox, http)

        def page(number: int) -> list[Any]:
            params = {"page": number, "pageSize": PAGE_SIZE}
            answer = http.get(f"{sandbox.api_url}/Computers", params=params, headers=headers)
            rows: list[Any] = answer.json()
            return rows

        page(1)  # warm the connection, as ours logs in and warms before the clock
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            started = time.perf_counter()
            records: list[Any] = []  # kept, as get_all keeps them (the garbage collector's work grows alike)
            for rows in pool.map(page, range(1, pages + 1)):
                records.extend(rows)
            return time.perf_counter() - started, len(records)


def oracle_async(sandbox: Sandbox) -> tuple[float, int]:
    """Told the number of pages: every page requested at once, at most `CONCURRENCY` in flight (asyncio)."""
    import asyncio

    pages = math.ceil(RECORDS / PAGE_SIZE)

    async def run() -> tuple[float, int]:
        limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
        async with httpx.AsyncClient(timeout=30, limits=limits) as http:
            with httpx.Client(timeout=30) as sync_http:
                headers = login(sandbox, sync_http)
            gate = asyncio.Semaphore(CONCURRENCY)

            async def page(number: int) -> list[Any]:
                async with gate:
                    params = {"page": number, "pageSize": PAGE_SIZE}
                    answer = await http.get(f"{sandbox.api_url}/Computers", params=params, headers=headers)
                    rows: list[Any] = answer.json()
                    return rows

            await page(1)
            started = time.perf_counter()
            records = [row for rows in await asyncio.gather(*(page(n) for n in range(1, pages + 1))) for row in rows]
            return time.perf_counter() - started, len(records)

    return asyncio.run(run())


def ours(sandbox: Sandbox) -> tuple[float, int]:
    with Client(sandbox.url, **client_options(sandbox)) as client:
        client.get("Computers", {"page": 1, "pageSize": 1})  # log in before the clock starts
        started = time.perf_counter()
        records = client.get_all("Computers")
        return time.perf_counter() - started, len(records)  # freed after the clock stops, as the oracle's


def ours_async(sandbox: Sandbox) -> tuple[float, int]:
    import asyncio

    async def run() -> tuple[float, int]:
        async with AsyncClient(sandbox.url, **client_options(sandbox)) as client:
            await client.get("Computers", {"page": 1, "pageSize": 1})
            started = time.perf_counter()
            records = await client.get_all("Computers")
            return time.perf_counter() - started, len(records)  # freed after the clock stops, as the oracle's

    return asyncio.run(run())


def best_interleaved(
    runs: int, funcs: list[Callable[[Sandbox], tuple[float, int]]], sandbox: Sandbox
) -> list[tuple[float, int]]:
    """The best (shortest) of `runs` runs of each function, the functions taking turns."""
    results: list[list[tuple[float, int]]] = [[] for _ in funcs]
    for _ in range(runs):
        for index, func in enumerate(funcs):
            results[index].append(func(sandbox))
    return [min(each) for each in results]


_CHILD = """
import json, sys
from cwa_query import Client

def peak_rss_kb():  # VmHWM: this process's own peak (ru_maxrss may carry the parent's over exec)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

url, user, password, client_id, page_size = sys.argv[1:6]
baseline = peak_rss_kb()
count = 0
with Client(url, username=user, password=password, client_id=client_id, profile="automate",
            page_size=int(page_size)) as client:
    for record in client.iter_records("Computers"):
        count += 1
print(json.dumps({"records": count, "peak_kb": peak_rss_kb(), "baseline_kb": baseline}))
"""


def streaming_memory(page_sizes: tuple[int, ...] = (PAGE_SIZE, 1000)) -> list[dict[str, Any]]:
    """Peak RSS of a fresh process streaming every record, per page size."""
    results = []
    with Sandbox("automate", MEMORY_RECORDS, latency_ms=5) as sandbox:
        for page_size in page_sizes:
            argv = [sandbox.url, sandbox.username, sandbox.password, sandbox.client_id, str(page_size)]
            out = subprocess.run([sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, check=True)
            results.append({"page_size": page_size, **json.loads(out.stdout)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each contender per profile (best taken)")
    parser.add_argument("--no-memory", action="store_true", help="skip the streaming memory measurement")
    parser.add_argument("--no-loops", action="store_true", help="skip the seed document's and the plain loops")
    args = parser.parse_args()
    pages = math.ceil(RECORDS / PAGE_SIZE)
    bound = math.ceil(pages / CONCURRENCY) * LATENCY_MS / 1000
    rows: list[tuple[str, str, str, str]] = []
    drawn: dict[str, int] = {}

    def sandbox(profile: str) -> Sandbox:
        return Sandbox(profile, RECORDS, LATENCY_MS)

    print(
        f"sandbox: {RECORDS:,} computers, page size {PAGE_SIZE} ({pages} pages), "
        f"{LATENCY_MS} ms latency, {CONCURRENCY} in flight at most\n"
    )
    targets = {"seed": "<= 1.10x", "automate": "<= 1.15x"}
    for profile in ("seed", "automate"):
        with sandbox(profile) as server:
            ours(server)  # warm the sandbox's caches and the interpreter
            # interleaved, so that a burst of load on the machine falls on every contender alike
            (mine, n1), (mine_async, n2), (best, n3), (best_async, n4) = best_interleaved(
                args.runs, [ours, ours_async, oracle, oracle_async], server
            )
            assert n1 == n2 == n3 == n4 == RECORDS, (n1, n2, n3, n4)
            loop = None
            if not args.no_loops:
                loop, n5 = (seed_document_loop if profile == "seed" else plain_sequential_loop)(server)
                assert n5 == RECORDS, n5
            drawn[profile] = server.stats()["responses_429"]
        rows += [
            (f"{profile}: Client.get_all", f"{mine:.3f} s", f"{mine / best:.3f} x the oracle", targets[profile]),
            (
                f"{profile}: AsyncClient.get_all",
                f"{mine_async:.3f} s",
                f"{mine_async / best_async:.3f} x the async oracle",
                targets[profile],
            ),
            (f"{profile}: oracle (threads)", f"{best:.3f} s", f"told {pages} pages, {CONCURRENCY} in flight", ""),
            (f"{profile}: oracle (asyncio)", f"{best_async:.3f} s", "", ""),
        ]
        if loop is not None and profile == "seed":
            rows += [
                ("", "", f"{mine / loop:.3f} of the seed loop (sync)", "<= 0.10"),
                ("", "", f"{mine / bound:.2f} x the latency bound (sync)", "<= 2x"),
                ("seed document's loop", f"{loop:.3f} s", "sequential, 100 ms pause", ""),
                (f"latency bound ceil({pages}/{CONCURRENCY}) x {LATENCY_MS} ms", f"{bound:.3f} s", "", ""),
            ]
        elif loop is not None:
            rows += [
                ("", "", f"{mine / loop:.3f} of the plain loop (sync)", "<= 0.30"),
                ("automate: plain sequential loop", f"{loop:.3f} s", "", ""),
            ]
    if not args.no_memory:
        for memory in streaming_memory():
            rows.append(
                (
                    f"stream {memory['records']:,} records, page size {memory['page_size']}",
                    f"{memory['peak_kb'] / 1024:.1f} MB",
                    f"peak RSS (imports alone: {memory['baseline_kb'] / 1024:.1f} MB)",
                    "< 80 MB",
                )
            )
    width = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, width, strict=True)).rstrip())
    print(f"\n429s drawn (all contenders): seed {drawn['seed']}, automate {drawn['automate']}")


if __name__ == "__main__":
    main()
