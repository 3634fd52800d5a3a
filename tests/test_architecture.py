"""The import graph of cwa_query: no cycles among its modules, no private names of another module.

A custom check over the source's syntax trees rather than a dependency (import-linter,
grimp): it counts imports inside functions (a function-level import that dodges a cycle is
still a cycle), reads the private names a module takes from another, and needs nothing
installed. Imports under `if TYPE_CHECKING:` never run, so they make no cycle (a private
name imported there still counts).

KNOWN_VIOLATIONS lists what is wrong today, exactly: a new violation fails the test, and so
does one that was fixed but is still listed (remove it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cwa_query"

KNOWN_VIOLATIONS: set[str] = set()  # none left


@dataclass
class Module:
    name: str  # dotted, without the leading "cwa_query."
    is_package: bool
    tree: ast.Module
    imports: set[str] = field(default_factory=set)  # modules it imports at run time
    private: set[str] = field(default_factory=set)  # "module.name" of private names it takes


def _modules(root: Path) -> dict[str, Module]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        name = ".".join(["cwa_query", *parts])
        found[name] = Module(name, is_package, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, type_checking: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    """Every node below `node`, with whether it sits under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        inside = type_checking
        if isinstance(child, ast.If) and _type_checking_only(child):
            yield child.test, type_checking
            for item in child.body:
                yield item, True
                yield from _walk(item, True)
            for item in child.orelse:
                yield item, type_checking
                yield from _walk(item, type_checking)
            continue
        yield child, inside
        yield from _walk(child, inside)


def _analyse(modules: dict[str, Module]) -> None:
    for module in modules.values():
        package = module.name if module.is_package else module.name.rpartition(".")[0]
        bound: dict[str, str] = {}  # local name -> a cwa_query module it stands for
        attributes: list[ast.Attribute] = []
        for node, type_checking in _walk(module.tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "cwa_query" or alias.name.startswith("cwa_query."):
                        targets.append(alias.name)
                        if alias.asname:
                            bound[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if not (source == "cwa_query" or source.startswith("cwa_query.")):
                    continue
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    if submodule in modules:
                        targets.append(submodule)
                        bound[alias.asname or alias.name] = submodule
                    else:
                        targets.append(source)
                        if _is_private(alias.name):
                            module.private.add(f"{source}.{alias.name}")
            elif isinstance(node, ast.Attribute):
                attributes.append(node)
            if not type_checking:
                module.imports.update(target for target in targets if target in modules and target != module.name)
        for node in attributes:
            if isinstance(node.value, ast.Name) and node.value.id in bound and _is_private(node.attr):
                module.private.add(f"{bound[node.value.id]}.{node.attr}")


def _cycles(modules: dict[str, Module]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in sorted(modules[name].imports):
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == name:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for name in sorted(modules):
        if name not in index:
            visit(name)
    return components


def _short(name: str) -> str:
    return name.removeprefix("cwa_query.")


def _analysed(root: Path) -> dict[str, Module]:
    modules = _modules(root)
    _analyse(modules)
    return modules


@pytest.fixture(scope="module")
def package() -> dict[str, Module]:
    """cwa_query's modules, read and analysed once for the tests of this module (and let go after)."""
    return _analysed(PACKAGE)


def violations(root: Path = PACKAGE, modules: dict[str, Module] | None = None) -> set[str]:
    modules = _analysed(root) if modules is None else modules
    found = {"cycle: " + " <-> ".join(_short(name) for name in component) for component in _cycles(modules)}
    for module in modules.values():
        for name in module.private:
            owner = name.rpartition(".")[0]
            if owner != module.name:
                found.add(f"private: {_short(module.name)} takes {_short(name)}")
    return found


def test_import_graph_has_only_the_known_violations(package: dict[str, Module]) -> None:
    found = violations(modules=package)
    assert not found - KNOWN_VIOLATIONS, f"new violations: {sorted(found - KNOWN_VIOLATIONS)}"
    assert not KNOWN_VIOLATIONS - found, f"fixed, remove from KNOWN_VIOLATIONS: {sorted(KNOWN_VIOLATIONS - found)}"


# the checker itself, on small packages written for the purpose


def _write(tmp_path: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = tmp_path / "cwa_query" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "cwa_query"


def _check(tmp_path: Path, files: dict[str, str]) -> set[str]:
    return violations(_write(tmp_path, files))


def test_a_function_level_import_closing_a_loop_is_a_cycle(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "a/__init__.py": "",
        "a/_one.py": "from ._two import helper\n",
        "a/_two.py": "def helper():\n    from ..b import thing\n    return thing\n",
        "b.py": "from .a import _one\nthing = 1\n",
    }
    assert _check(tmp_path, files) == {"cycle: a._one <-> a._two <-> b"}


def test_type_checking_imports_make_no_cycle(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\nclass A: ...\n",
        "b.py": "from .a import A\nclass B(A): ...\n",
    }
    assert _check(tmp_path, files) == set()


def test_private_names_of_another_module(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "_core.py": "def _hidden(): ...\ndef shown(): ...\n__all__ = ['shown']\n",
        "user.py": "from . import _core\nfrom ._core import __all__, shown\n\ndef f():\n    return _core._hidden()\n",
        "other.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ._core import _hidden\n",
    }
    assert _check(tmp_path, files) == {
        "private: user takes _core._hidden",
        "private: other takes _core._hidden",
    }


# layers: the tree, its literals and the parsing driver sit below every dialect

FOUNDATION = (
    "cwa_query.errors",
    "cwa_query.language.ast",
    "cwa_query.language.odata_ast",
    "cwa_query.language.literals",
    "cwa_query.language.paths",
    "cwa_query.language._driver",
    "cwa_query.language._lalr",
    "cwa_query.language._diagnose",
)


def _reached(modules: dict[str, Module], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for target in modules[stack.pop()].imports:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def test_the_tree_literals_and_driver_import_no_dialect(package: dict[str, Module]) -> None:
    modules = package
    for name in FOUNDATION:
        above = sorted(target for target in _reached(modules, name) if target.startswith("cwa_query.dialects"))
        assert not above, f"{_short(name)} imports the dialect layer: {above}"


def test_the_layer_check_sees_an_import_through_a_helper(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "language/__init__.py": "",
        "language/ast.py": "from . import _helper\n",
        "language/_helper.py": "def f():\n    from ..dialects import odata\n",
        "dialects/__init__.py": "",
        "dialects/odata.py": "",
    }
    modules = _modules(_write(tmp_path, files))
    _analyse(modules)
    assert "cwa_query.dialects.odata" in _reached(modules, "cwa_query.language.ast")
