"""Fault specs: parsing, validation, the seeded schedule."""

from __future__ import annotations

import pytest

from cwa_query.errors import ConfigurationError
from cwa_query.sandbox import FAULT_KINDS, FaultPlan


@pytest.mark.parametrize(
    ("spec", "probabilities"),
    [
        ("", {}),
        (None, {}),
        ("500=0.1", {"500": 0.1}),
        (" 429 = 0.2 , RESET=0.05,", {"429": 0.2, "reset": 0.05}),
        ("slow=0,expire=1", {"slow": 0.0, "expire": 1.0}),
        ({"401": 0.5}, {"401": 0.5}),
        ("429=0.1,500=0.1,502=0.1,503=0.1,reset=0.1,slow=0.1,expire=0.1,401=0.1", dict.fromkeys(FAULT_KINDS, 0.1)),
    ],
)
def test_parse(spec: object, probabilities: dict[str, float]) -> None:
    assert FaultPlan.parse(spec).probabilities == probabilities  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("teapot=0.1", "unknown fault kind 'teapot'"),
        ("500", "must look like KIND=PROBABILITY"),
        ("500=lots", "is not a number"),
        ("500=nan", "is not a number"),
        ("500=-0.1", "must be a number in [0, 1]"),
        ("500=1.5", "must be a number in [0, 1]"),
        ("500=0.6,503=0.6", "sum to 1.2"),
        ({"500": "0.1"}, "must be a number in [0, 1]"),
    ],
)
def test_bad_specs(spec: object, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        FaultPlan.parse(spec)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_schedule_is_a_function_of_the_seed() -> None:
    plan = FaultPlan.parse("500=0.2,reset=0.1,slow=0.1")
    assert plan.schedule(100, seed=1) == plan.schedule(100, seed=1)
    assert plan.schedule(100, seed=1) != plan.schedule(100, seed=2)
    assert set(plan.schedule(500, seed=1)) == {None, "500", "reset", "slow"}


def test_probability_one_faults_every_request_and_zero_none() -> None:
    assert FaultPlan.parse("expire=1").schedule(50) == ["expire"] * 50
    assert FaultPlan.parse("expire=0").schedule(50) == [None] * 50
    assert not FaultPlan.parse("expire=0")
    assert FaultPlan.parse("expire=0").describe() == "no faults"
