"""The sandbox is a package of its own: one narrow entry point, and Atrium never asks about it.

Read from the source (no import runs): webapp/sandbox must work with whatever it is handed at
mount time, so it imports nothing else of webapp; the product reaches it only through the entry
point that mounts it; and no product module behaves differently "on the sandbox". Then, from
built apps: what the sandbox differs in arrives as instance-neutral settings (webapp/__init__.py
sets them from what the mount returns), which a TI instance has at their defaults.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from webapp import create_app

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


# -- what crosses the boundary: settings any instance could have -----------------------------


def _instance_app(tmp_path, **env: str):
    settings = {
        "TI_INSTANCE_URL": "https://acme.example.com",
        "TI_API_KEY": "key",
        "SECRET_KEY": "instance-secret",
        "STATE_DB": str(tmp_path / "state.sqlite3"),
        **env,
    }
    return create_app({"ENV": settings, "TESTING": True})


def test_in_front_of_an_instance_nothing_of_the_sandbox_is_mounted_or_offered(tmp_path):
    app = _instance_app(tmp_path)
    assert "sandbox" not in app.extensions and "instance_adapter" not in app.extensions
    assert app.config["INSTANCE_API_URL"] == "https://acme.example.com"
    assert app.config["INSTANCE_CERTIFICATE_PAGES"] is True
    assert not app.config["DEMO_ACCOUNTS"] and not app.config["API_BLUEPRINTS"]
    assert app.config["EMBED_ALLOWED_ORIGINS"] == []
    assert app.test_client().post("/helium?apiKey=key", json={}).status_code == 404


def test_on_the_sandbox_its_differences_arrive_as_settings(app):
    assert app.config["INSTANCE_CERTIFICATE_PAGES"] is False
    assert "learner@acme.test" in [email for email, _pw, _who in app.config["DEMO_ACCOUNTS"]]
    assert app.config["API_BLUEPRINTS"] == {"sandbox"}
    assert "http://127.0.0.1:5001" in app.config["EMBED_ALLOWED_ORIGINS"]


def test_the_embed_demo_portal_is_a_setting_an_instance_may_turn_on(tmp_path):
    app = _instance_app(tmp_path, EMBED_DEMO_PORTAL="true")
    assert "http://127.0.0.1:5001" in app.config["EMBED_ALLOWED_ORIGINS"]
    assert len(app.config["EMBED_SHARED_SECRET"]) >= 16


def test_a_malformed_sandbox_setting_stops_atrium_with_a_clear_message(sandbox_env):
    with pytest.raises(SystemExit, match="SANDBOX_FAULT_RATE must be between 0 and 1"):
        create_app({"ENV": {**sandbox_env, "SANDBOX_FAULT_RATE": "2"}, "TESTING": True})
