"""Load records into an in-memory SQLite table by the storage convention and select with to_sql."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from cwa_query import ast, to_sql
from cwa_query.language._sql import quote_identifier, sql_row


def columns_for(node: ast.Node, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every column the rows and the condition name, once each ignoring ASCII case (as SQLite does)."""
    names: dict[str, str] = {}
    for row in rows:
        for name in row:
            names.setdefault(name.lower(), name)
    for item in ast.walk(node):
        if isinstance(item, (ast.Compare, ast.InList)):
            names.setdefault(item.field.name.lower(), item.field.name)
        elif isinstance(item, ast.Expression):  # the paths of an OData expression
            for part in ast.walk_expression(item.expr):
                if isinstance(part, ast.Field):
                    names.setdefault(part.name.lower(), part.name)
    return list(names.values())


def select(node: ast.Node, records: list[Mapping[str, Any]]) -> set[int]:
    """The indices of `records` that `SELECT ... WHERE to_sql(node)` returns."""
    rows = [sql_row(record) for record in records]
    columns = columns_for(node, rows)
    db = sqlite3.connect(":memory:")
    try:
        column_list = ", ".join(["_index"] + [quote_identifier(c) for c in columns])
        db.execute(f"CREATE TABLE t ({column_list})")
        lowered = [c.lower() for c in columns]
        for index, row in enumerate(rows):
            values = {name.lower(): value for name, value in row.items()}
            db.execute(
                f"INSERT INTO t VALUES ({', '.join('?' * (len(columns) + 1))})",
                [index, *(values.get(name) for name in lowered)],
            )
        sql, params = to_sql(node)
        return {index for (index,) in db.execute(f"SELECT _index FROM t WHERE {sql}", params)}
    finally:
        db.close()
