"""Code outside `cwa_query/dialects/` asks a dialect object; it never compares a dialect's name.

Every comparison (`==`, `!=`, `in`, `not in`) in the package is found in the syntax tree;
one whose side is a string literal naming a registered dialect (or a tuple/list/set of
them) fails. The API profiles share those names, and no exemption is made for them: what a
profile decides (paths, auth, paging, data shapes) its profile object owns, and nothing tests
its name (`tests/test_no_profile_names.py` says the same of profile names).
"""

from __future__ import annotations

import ast
from pathlib import Path

from cwa_query.dialects import dialect_names

PACKAGE = Path(__file__).resolve().parents[1] / "cwa_query"
NAMES = frozenset(dialect_names())


def _names_in(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} & NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return set().union(*(_names_in(item) for item in node.elts)) if node.elts else set()
    return set()


def dialect_name_tests(root: Path = PACKAGE) -> list[str]:
    """`file:line: source` of every comparison with a dialect name outside `dialects/`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] == "dialects":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            for left, op, right in zip(operands, node.ops, operands[1:], strict=False):
                if not isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
                    continue
                for side in (left, right):
                    if _names_in(side):
                        found.append(f"{relative}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_dialect_name_is_compared_outside_the_dialect_modules() -> None:
    assert dialect_name_tests() == []


def test_the_scan_finds_a_name_test(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text(
        'if dialect == "automate":\n    pass\n'
        'ok = "seed" != target.name\n'
        'listed = kind in ("seed", "other")\n'
        'profile_fact = config.profile == "automate"\n',
        encoding="utf-8",
    )
    assert dialect_name_tests(tmp_path) == [
        "module.py:1: dialect == 'automate'",
        "module.py:3: 'seed' != target.name",
        "module.py:4: kind in ('seed', 'other')",
        "module.py:5: config.profile == 'automate'",
    ]
