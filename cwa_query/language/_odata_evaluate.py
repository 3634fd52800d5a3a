"""Kept as an alias module: OData trees are evaluated by the one evaluator,
[`cwa_query.language._evaluate`][cwa_query.language._evaluate]."""

from __future__ import annotations

from ._evaluate import MAX_STEPS, PATTERN_SECONDS, compile_odata, evaluate_odata, truth_odata

__all__ = ["MAX_STEPS", "PATTERN_SECONDS", "compile_odata", "evaluate_odata", "truth_odata"]
