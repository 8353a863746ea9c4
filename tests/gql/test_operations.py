"""The operations Atrium sends are valid against TI's schema, and their types are current."""

from __future__ import annotations

import json

import pytest
from graphql import build_client_schema, extend_schema, parse, validate

from tests.sandbox.helpers import OPERATIONS, SCHEMA_ONLY_OPERATIONS
from webapp.gql import codegen, refresh_schema
from webapp.gql.operations import OPERATIONS_DIR, all_operations
from webapp.gql.schema import load_schema

# TI's published introspection, vendored (MIT) so these checks run in any clone.
TI_SCHEMA = OPERATIONS_DIR.parent / "ti-schema"
REFERENCE_OPERATIONS = set(OPERATIONS["query"]) | set(OPERATIONS["mutation"])

OPERATION_FILES = sorted(OPERATIONS_DIR.glob("*.graphql"))
APP = OPERATIONS_DIR.parents[1]


def test_every_operation_is_named_after_its_root_field():
    """`UserContentItems`, or a page's own selection of it: `UserContentItemsForDashboard`."""
    for op in all_operations():
        assert op.name == op.root_field or op.name.startswith(op.root_field + "For"), op.name
    named = {op.name for op in all_operations() if op.name == op.root_field}
    # The reference's 29 and the schema's progress, path and archive operations, each once.
    schema_only = set(SCHEMA_ONLY_OPERATIONS["query"]) | set(SCHEMA_ONLY_OPERATIONS["mutation"])
    assert named == REFERENCE_OPERATIONS | schema_only


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.stem)
def test_every_operation_file_is_sent_by_the_app(path):
    sources = "\n".join(
        f.read_text()
        for f in APP.rglob("*.py")
        if "sandbox" not in f.parts and f.name != "types.py"
    )
    assert f'"{path.stem}"' in sources, f"nothing sends {path.stem}: remove the file"


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.stem)
def test_operation_validates_against_the_vendored_schema(path):
    assert validate(load_schema(), parse(path.read_text())) == []


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.stem)
def test_operation_validates_against_tis_published_schema(path):
    published = extend_schema(
        build_client_schema(json.loads((TI_SCHEMA / "schema.json").read_text())),
        parse(refresh_schema.extensions_file(TI_SCHEMA).read_text()),
    )
    assert validate(published, parse(path.read_text())) == []


def test_generated_types_match_the_operations():
    assert codegen.TARGET.read_text() == codegen.generate(), (
        "webapp/gql/types.py is stale: run `python -m webapp.gql.codegen`"
    )


def test_vendored_schema_is_what_refresh_schema_makes_from_tis_snapshot():
    from webapp.gql import refresh_schema

    fresh = refresh_schema.pruned_sdl(refresh_schema.load_full_schema(TI_SCHEMA))
    assert fresh == (OPERATIONS_DIR.parent / "schema.graphql").read_text()


def test_tis_snapshot_is_vendored_but_not_packaged():
    """The snapshot is for checks and `make schema`; the app loads schema.graphql only."""
    import tomllib

    assert {p.name for p in TI_SCHEMA.iterdir()} >= {
        "schema.json",
        "seed-extensions.graphqls",
        "LICENSE.md",
        "README.md",
    }
    assert "MIT" in (TI_SCHEMA / "LICENSE.md").read_text()
    pyproject = tomllib.loads((APP.parent / "pyproject.toml").read_text())
    packaged = {
        path
        for pattern in pyproject["tool"]["setuptools"]["package-data"]["webapp"]
        for path in APP.glob(pattern)
    }
    assert not {path for path in packaged if TI_SCHEMA in path.parents}
