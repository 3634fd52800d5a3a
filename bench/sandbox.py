"""Sandbox start-up and memory: the automate profile's lazy, catalogue-generated data.

    python bench/sandbox.py [--records N]

Each measurement runs in a fresh interpreter and prints, for the seed profile and the
automate profile:

* `start`: seconds from `Sandbox(...)` to the first answered request that needs no data
  (a login): the automate profile makes no record before an endpoint is asked for;
* `first Computers page`: seconds to the first `GET Computers` page (the endpoint's records
  are made then);
* `another endpoint`: seconds for the first page of `Tickets` afterwards (made on its own);
* `peak MiB`: the process's peak resident memory after both, beside a bare interpreter
  that imported cwa_query.

and the automate/seed ratios. Records are made once per (profile, records, seed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
import httpx
from cwa_query.sandbox import Sandbox

def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

baseline = peak_mib()
profile, records = {profile!r}, {records}
started = time.perf_counter()
sandbox = Sandbox(profile, records)
client = httpx.Client(transport=sandbox.transport(), base_url=sandbox.api_url)
if profile == "automate":
    client.headers["ClientId"] = "bench"
    login = client.post("/apitoken", json={{"UserName": "sandbox", "Password": "sandbox"}})
else:
    login = client.post("/APICredentials", json={{"Username": "sandbox", "Password": "sandbox"}})
client.headers["Authorization"] = "Bearer " + login.json()["AccessToken"]
start = time.perf_counter() - started
began = time.perf_counter()
assert client.get("/Computers", params={{"pageSize": 250}}).status_code == 200
first = time.perf_counter() - began
began = time.perf_counter()
other = None
if profile == "automate":
    assert client.get("/Tickets", params={{"pageSize": 250}}).status_code == 200
    other = time.perf_counter() - began
print(json.dumps({{"start": start, "first": first, "other": other, "peak": peak_mib(), "baseline": baseline}}))
"""


def measure(profile: str, records: int) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), profile=profile, records=records)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="*", default=[1000, 20000])
    args = parser.parse_args()
    for records in args.records:
        seed = measure("seed", records)
        automate = measure("automate", records)
        print(f"{records:,} computers")
        for name, row in (("seed", seed), ("automate", automate)):
            other = f", another endpoint {row['other']:.3f} s" if row["other"] is not None else ""
            print(
                f"  {name:8} start {row['start']:.3f} s, first Computers page {row['first']:.3f} s{other}, "
                f"peak {row['peak']:.0f} MiB (bare import {row['baseline']:.0f} MiB)"
            )
        grow = (automate["peak"] - automate["baseline"]) / max(1.0, seed["peak"] - seed["baseline"])
        print(
            f"  automate/seed: start {automate['start'] / seed['start']:.2f}x, "
            f"first page {automate['first'] / max(seed['first'], 1e-9):.2f}x, memory growth {grow:.2f}x"
        )


if __name__ == "__main__":
    main()
