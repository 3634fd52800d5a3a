"""Properties: whatever the condition and paging, the sandbox returns the evaluator's selection."""

from __future__ import annotations

import httpx
from hypothesis import given
from hypothesis import strategies as st

from cwa_query import F, evaluate, render
from cwa_query.language.builder import Condition
from cwa_query.sandbox import FAULT_KINDS, FaultPlan, Sandbox, dataset

SANDBOX = Sandbox(profile="seed", records=150, seed=9)
TRANSPORT = SANDBOX.transport()
COMPUTERS = dataset("seed", 150, 9).collection("Computers")
LOGIN = {"Username": "sandbox", "Password": "sandbox"}


def _token() -> str:
    with httpx.Client(transport=TRANSPORT, base_url=SANDBOX.api_url) as client:
        token: str = client.post("/APICredentials", json=LOGIN).json()["AccessToken"]
        return token


TOKEN = _token()

leaves = st.one_of(
    st.sampled_from(["Online", "Offline", "Unknown", "online"]).map(lambda s: F.Status == s),
    st.integers(0, 6).map(lambda n: F.ClientID == n),
    st.integers(0, 160).map(lambda n: F.ComputerID <= n),
    st.sampled_from([4096, 8192, 16384, 32768]).map(lambda n: F.TotalMemory >= n),
    st.sampled_from(["Server", "Windows 11", "%", "_", "'", "ü"]).map(
        lambda s: F.OS.contains(s) | F.Comment.contains(s)
    ),
    st.sampled_from(["A", "ACME", "MÜN", "O'"]).map(lambda s: F.Name.startswith(s)),
    st.floats(0, 100, allow_nan=False).map(lambda x: F.DiskFreePercent < round(x, 1)),
)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda ab: ab[0] & ab[1]),
        st.tuples(inner, inner).map(lambda ab: ab[0] | ab[1]),
        inner.map(lambda a: ~a),
    ),
    max_leaves=6,
)


@given(condition=conditions, page_size=st.integers(1, 60))
def test_pages_concatenate_to_the_evaluators_selection(condition: Condition, page_size: int) -> None:
    text = render(condition, "seed")
    expected = [c["ComputerID"] for c in COMPUTERS if evaluate(condition, c)]
    seen: list[int] = []
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(transport=TRANSPORT, base_url=SANDBOX.api_url, headers=headers) as client:
        page, pages = 1, 1
        while page <= pages:
            answer = client.get("/Computers", params={"condition": text, "page": page, "pageSize": page_size})
            assert answer.status_code == 200, answer.text
            pages = int(answer.headers["X-Total-Pages"])
            assert answer.headers["X-Total-Count"] == str(len(expected))
            seen.extend(item["ComputerID"] for item in answer.json())
            page += 1
    assert seen == expected


plans = st.dictionaries(st.sampled_from(FAULT_KINDS), st.floats(0, 0.125, allow_nan=False))


@given(plan=plans, seed=st.integers(0, 2**32), n=st.integers(0, 60))
def test_fault_schedule_is_deterministic_and_uses_only_planned_kinds(plan: dict[str, float], seed: int, n: int) -> None:
    fault_plan = FaultPlan.parse(plan)
    schedule = fault_plan.schedule(n, seed=seed)
    assert schedule == fault_plan.schedule(n, seed=seed)
    assert len(schedule) == n
    assert set(schedule) - {None} <= {kind for kind, p in plan.items() if p > 0}
