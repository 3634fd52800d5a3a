"""Nothing in cwa_query tests an API profile's name: it asks the profile object.

A profile (`cwa_query.client.PROFILES`, `cwa_query.sandbox.SANDBOX_PROFILES`) owns its facts:
its auth flow, paging, error bodies, dialect, parameter names, base path, credentials. Code
elsewhere reads those facts, so adding a profile adds one object, not a branch in every
module. Every comparison (`==`, `!=`, `in`, `not in`, `match` cases) in the package is found
in the syntax tree; one with a string literal naming a profile (or a tuple/list/set of them)
fails, outside the profile modules themselves (and `dialects/`, where the same words name
dialects).
"""

from __future__ import annotations

import ast
from pathlib import Path

from cwa_query._defaults import PROFILE_NAMES
from cwa_query.client import PROFILES
from cwa_query.sandbox import SANDBOX_PROFILES

PACKAGE = Path(__file__).resolve().parents[1] / "cwa_query"
NAMES = frozenset(PROFILE_NAMES)
#: the profile objects: the one place a profile's name may be spelled in a decision
PROFILE_MODULES = frozenset({Path("client/_profiles.py"), Path("sandbox/_profiles.py")})


def _names_in(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} & NAMES
    if isinstance(node, ast.MatchValue):
        return _names_in(node.value)
    if isinstance(node, ast.MatchOr):
        return set().union(*(_names_in(item) for item in node.patterns))
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return set().union(*(_names_in(item) for item in node.elts)) if node.elts else set()
    return set()


def profile_name_tests(root: Path = PACKAGE, exempt: frozenset[Path] = PROFILE_MODULES) -> list[str]:
    """`file:line: source` of every comparison with a profile's name outside the profile modules."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative in exempt or relative.parts[0] == "dialects":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                pairs = zip(operands, node.ops, operands[1:], strict=False)
                if any(
                    isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) and (_names_in(left) or _names_in(right))
                    for left, op, right in pairs
                ):
                    found.append(f"{relative}:{node.lineno}: {ast.unparse(node)}")
            elif isinstance(node, ast.match_case) and _names_in(node.pattern):
                found.append(f"{relative}:{node.pattern.lineno}: case {ast.unparse(node.pattern)}")
    return found


def test_no_profile_name_is_compared_outside_the_profile_objects() -> None:
    assert profile_name_tests() == []


def test_the_profile_registries_name_the_same_profiles() -> None:
    assert tuple(PROFILES) == PROFILE_NAMES
    assert tuple(SANDBOX_PROFILES) == PROFILE_NAMES


def test_the_scan_finds_a_name_test(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text(
        'if config.profile == "automate":\n    pass\n'
        'ok = "seed" != args.profile\n'
        'listed = kind in ("seed", "other")\n'
        'match profile.name:\n    case "automate" | "x":\n        pass\n'
        "fine = profile.rate_headers == True\n",
        encoding="utf-8",
    )
    assert profile_name_tests(tmp_path, frozenset()) == [
        "module.py:1: config.profile == 'automate'",
        "module.py:3: 'seed' != args.profile",
        "module.py:4: kind in ('seed', 'other')",
        "module.py:6: case 'automate' | 'x'",
    ]
