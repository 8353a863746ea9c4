"""The sandbox is a package of its own: one narrow entry point, and Atrium never asks about it.

Read from the source (no import runs): webapp/sandbox must work with whatever it is handed at
mount time, so it imports nothing else of webapp; the product reaches it only through the entry
point that mounts it; and no product module behaves differently "on the sandbox" (what the
sandbox differs in arrives as instance-neutral settings, see webapp/__init__.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEBAPP = ROOT / "webapp"
SANDBOX = WEBAPP / "sandbox"

# The one product module that may import the sandbox, and what it may import from it.
ENTRY_POINTS = {"webapp/__init__.py"}
ENTRY_NAMES = {"mount_sandbox", "SandboxInfo"}

# Config and extension keys of the old sandbox mode, and the sandbox blueprint's name: a
# product module naming any of them is branching on (or reaching into) the sandbox.
SANDBOX_MODE_NAMES = {"SANDBOX_MODE", "SANDBOX", "sandbox"}
# Naming the folder is not asking about the mode: the translation-coverage scan skips the
# sandbox's sources, which are not Atrium's pages.
NAMED_AS_A_FOLDER = {"webapp/admin/coverage.py"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """Every import in `path` as (absolute module, names, line), relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((target, names, node.lineno))
            # `from . import sandbox` or `from webapp import sandbox` names a module too
            found += [(f"{target}.{name}", [], node.lineno) for name in names]
    return found


def _sources(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _product_sources() -> list[Path]:
    return [p for p in _sources(WEBAPP) if SANDBOX not in p.parents]


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _is_sandbox(module: str) -> bool:
    return module == "webapp.sandbox" or module.startswith("webapp.sandbox.")


def test_the_sandbox_imports_nothing_of_webapp_outside_itself():
    leaks = [
        f"{_rel(path)}:{line} imports {module}"
        for path in _sources(SANDBOX)
        for module, _names, line in _imports(path)
        if (module == "webapp" or module.startswith("webapp.")) and not _is_sandbox(module)
    ]
    assert leaks == []


def test_the_product_reaches_the_sandbox_only_through_its_entry_point():
    reaches = []
    for path in _product_sources():
        for module, names, line in _imports(path):
            if not _is_sandbox(module):
                continue
            allowed = (
                _rel(path) in ENTRY_POINTS
                and module in ("webapp.sandbox", *(f"webapp.sandbox.{n}" for n in ENTRY_NAMES))
                and set(names) <= ENTRY_NAMES
            )
            if not allowed:
                reaches.append(f"{_rel(path)}:{line} imports {module} {names}")
    assert reaches == []


def test_no_product_module_asks_whether_it_runs_on_the_sandbox():
    asks = []
    for path in _product_sources():
        if _rel(path) in NAMED_AS_A_FOLDER:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = (isinstance(node, ast.Constant) and node.value in SANDBOX_MODE_NAMES) or (
                isinstance(node, ast.Attribute) and node.attr.lower() == "sandbox_mode"
            )
            if named:
                asks.append(f"{_rel(path)}:{node.lineno}")
    assert asks == []


def test_the_scan_sees_the_imports_it_is_about():
    """The scans above would pass on an empty tree: make sure they read real imports."""
    entry = {module for module, _names, _line in _imports(WEBAPP / "__init__.py")}
    assert "webapp.sandbox" in entry
    engine = {module for module, _names, _line in _imports(SANDBOX / "engine.py")}
    assert "webapp.sandbox.store" in engine
