"""The operations Atrium sends are valid against TI's schema, and their types are current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graphql import build_client_schema, extend_schema, parse, validate

from tests.sandbox.helpers import OPERATIONS
from webapp.gql import codegen
from webapp.gql.operations import OPERATIONS_DIR, all_operations
from webapp.gql.schema import load_schema

SHARED_SCHEMA = Path(__file__).resolve().parents[2].parent / "shared" / "ti-schema"
REFERENCE_OPERATIONS = set(OPERATIONS["query"]) | set(OPERATIONS["mutation"])

OPERATION_FILES = sorted(OPERATIONS_DIR.glob("*.graphql"))


def test_every_reference_operation_has_exactly_one_file_named_after_it():
    assert {p.stem for p in OPERATION_FILES} == REFERENCE_OPERATIONS
    for op in all_operations():
        assert op.root_field == op.name


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.stem)
def test_operation_validates_against_the_vendored_schema(path):
    assert validate(load_schema(), parse(path.read_text())) == []


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="TI's schema snapshot (../shared) absent")
@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.stem)
def test_operation_validates_against_tis_published_schema(path):
    published = extend_schema(
        build_client_schema(json.loads((SHARED_SCHEMA / "schema.json").read_text())),
        parse((SHARED_SCHEMA / "seed-extensions.graphql").read_text()),
    )
    assert validate(published, parse(path.read_text())) == []


def test_generated_types_match_the_operations():
    assert codegen.TARGET.read_text() == codegen.generate(), (
        "webapp/gql/types.py is stale: run `python -m webapp.gql.codegen`"
    )


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="TI's schema snapshot (../shared) absent")
def test_vendored_schema_is_what_refresh_schema_makes_from_tis_snapshot():
    from webapp.gql import refresh_schema

    fresh = refresh_schema.pruned_sdl(refresh_schema.load_full_schema(SHARED_SCHEMA))
    assert fresh == (OPERATIONS_DIR.parent / "schema.graphql").read_text()
