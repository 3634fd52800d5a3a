"""The rule catalogue: every rule module imported (which registers it), and what they are."""

from __future__ import annotations

import inspect

from . import rules  # noqa: F401 - importing the package registers every rule module
from ._model import Rule, RuleInfo, registered_rules

__all__ = ["list_rules", "registered"]


def registered() -> tuple[Rule, ...]:
    """The registered rules, by code."""
    return registered_rules()


def list_rules() -> list[RuleInfo]:
    """Every rule with its code, name, severity, summary, documentation and example.

    >>> [(info.code, info.name) for info in list_rules()][:2]
    [('CWQ101', 'syntax-error'), ('CWQ102', 'unknown-field')]
    """
    return [
        RuleInfo(
            rule.code,
            rule.name,
            rule.severity,
            rule.summary,
            inspect.cleandoc(type(rule).__doc__ or ""),
            rule.example,
        )
        for rule in registered()
    ]
