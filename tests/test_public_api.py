"""The top-level package's three lists of its public names agree, and each name is documented.

`cwa_query/__init__.py` keeps `_EXPORTS` (name -> defining module, loaded on first use),
`__all__`, and an `if TYPE_CHECKING:` block of imports (for type checkers and editors) by
hand; these tests keep them in step.
"""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
from pathlib import Path
from typing import Any

import griffe
import pytest

import cwa_query

INIT = Path(cwa_query.__file__)
# public names the package defines or loads itself rather than through _EXPORTS
OWN = {"__version__": "", "ast": ".language"}


def _type_checking_imports() -> dict[str, str]:
    """Name -> the module (relative, as in _EXPORTS) the TYPE_CHECKING block imports it from."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for item in node.body:
                assert isinstance(item, ast.ImportFrom), ast.unparse(item)
                for alias in item.names:
                    assert alias.asname is None, ast.unparse(item)
                    assert alias.name not in found, f"{alias.name} imported twice"
                    found[alias.name] = "." * item.level + (item.module or "")
    return found


def test_all_lists_exactly_the_exported_names() -> None:
    assert len(cwa_query.__all__) == len(set(cwa_query.__all__)), "a name is listed twice in __all__"
    assert set(cwa_query.__all__) == set(cwa_query._EXPORTS) | set(OWN)


def test_type_checking_block_imports_each_name_from_where_exports_loads_it() -> None:
    expected = dict(cwa_query._EXPORTS)
    expected["ast"] = OWN["ast"]
    assert _type_checking_imports() == expected


def test_dir_is_all() -> None:
    assert sorted(dir(cwa_query)) == sorted(cwa_query.__all__)


@pytest.fixture(scope="module")
def api() -> griffe.Module:
    """The package as the API reference reads it (attribute docstrings included)."""
    loader = griffe.GriffeLoader()
    package = loader.load("cwa_query")
    loader.resolve_aliases(implicit=True, external=False)
    assert isinstance(package, griffe.Module)
    return package


def _docstring(name: str, value: Any, api: griffe.Module) -> str | None:
    if inspect.isclass(value) or inspect.isroutine(value) or inspect.ismodule(value):
        return value.__doc__
    # data (constants, type aliases, instances): the docstring written under the assignment
    module = cwa_query._EXPORTS.get(name, "")
    member = api[module.lstrip(".")][name] if module else api[name]
    return member.docstring.value if member.docstring else None


@pytest.mark.parametrize("name", cwa_query.__all__)
def test_every_public_name_resolves_and_has_a_docstring(name: str, api: griffe.Module) -> None:
    value = getattr(cwa_query, name)
    assert (_docstring(name, value, api) or "").strip(), f"cwa_query.{name} has no docstring"


def test_version_is_the_package_metadata_version() -> None:
    assert cwa_query.__version__ == importlib.metadata.version("cwa_query")


def test_the_manage_module_is_an_alias_of_the_clients() -> None:
    """`cwa_query.manage` moved to `cwa_query.client.manage`; the old imports keep working."""
    import cwa_query.manage as alias
    from cwa_query.client import manage

    assert alias.__all__ == manage.__all__
    assert all(getattr(alias, name) is getattr(manage, name) for name in manage.__all__)
