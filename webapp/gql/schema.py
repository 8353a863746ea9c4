"""The vendored TI schema (schema.graphql), loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, build_schema

SCHEMA_PATH = Path(__file__).with_name("schema.graphql")


def schema_sdl() -> str:
    return SCHEMA_PATH.read_text()


@cache
def load_schema() -> GraphQLSchema:
    """The schema the app validates its operations against (no resolvers attached)."""
    return build_schema(schema_sdl())
