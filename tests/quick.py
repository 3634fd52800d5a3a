"""Which cases of a parametrized test the quick loop (`pytest -m "not slow"`) runs.

The quick loop keeps at least one real case of every capability; the heavier variants of
the same case carry `@pytest.mark.slow` and run in the full suite (CI), so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pytest

SLOW = pytest.mark.slow


def quick_in_turn(
    kinds: Sequence[Any], variants: Sequence[Sequence[Any]], *, slow_kinds: Iterable[Any] = ()
) -> list[Any]:
    """Every variant of every kind, as `pytest.param(*variant, kind)` with the id `variant-kind`.

    Each kind keeps one variant in the quick loop, the variants taken in turn (so that each
    variant is in the quick loop too when there are at least as many kinds); the others, and
    every variant of `slow_kinds`, are marked slow.
    """
    slow = set(slow_kinds)
    params = []
    turn = 0
    for kind in kinds:
        quick = None if kind in slow else turn % len(variants)
        turn += kind not in slow
        for index, variant in enumerate(variants):
            values = (*variant, kind)
            params.append(pytest.param(*values, id="-".join(map(str, values)), marks=() if index == quick else SLOW))
    return params
