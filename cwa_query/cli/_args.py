"""Argument types shared by the subcommands (argparse `type=` callables)."""

from __future__ import annotations

import argparse
import math

__all__ = ["non_negative_float", "positive_int"]


def positive_int(text: str) -> int:
    """A whole number >= 1, or a usage error that says what was wrong."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def non_negative_float(text: str) -> float:
    """A finite number >= 0, or a usage error that says what was wrong."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value >= 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {text}")
    return value
