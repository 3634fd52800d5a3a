"""Manage's filtering parameters, now [`cwa_query.client.manage`][cwa_query.client.manage].

Kept as an alias module: every name here is the one of `cwa_query.client.manage`.

>>> from cwa_query import client, manage
>>> manage.params is client.manage.params
True
"""

from __future__ import annotations

from .client.manage import asc, custom_field, custom_field_predicate, desc, lint_order_by, order_by, params

__all__ = ["asc", "custom_field", "custom_field_predicate", "desc", "lint_order_by", "order_by", "params"]
