"""TI's schema with the sandbox's resolvers attached, and the default field resolver.

Resolvers return plain dicts keyed by GraphQL field names. A value may be a zero-argument
callable, resolved only when a query selects that field (nested lists cost nothing unless
asked for). A non-null field a dict does not carry gets its type's empty value, as TI's
own defaults do (false, 0, "", []).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    build_schema,
    type_from_ast,
)

from .resolvers import MUTATIONS, QUERIES

TOLERATED_INPUT_FIELDS = {"LearnerInput": frozenset(f"ref{i}" for i in range(1, 11))}
_EMPTY_SCALARS = {"Boolean": False, "Int": 0, "Float": 0.0, "String": "", "ID": ""}


def resolve_field(source: Any, info, **_args) -> Any:
    if isinstance(source, Mapping):
        value = source.get(info.field_name, _Missing)
        if value is _Missing:
            return _empty_value(info.return_type)
        return value() if callable(value) else value
    return getattr(source, info.field_name, None)


class _Missing:
    pass


def _empty_value(graphql_type) -> Any:
    if not isinstance(graphql_type, GraphQLNonNull):
        return None
    inner = graphql_type.of_type
    if isinstance(inner, GraphQLList):
        return []
    if isinstance(inner, GraphQLEnumType):
        return next(iter(inner.values.values())).value
    return _EMPTY_SCALARS.get(getattr(inner, "name", ""))


def _resolve_typename(value, _info, _type):
    return value.get("__typename") if isinstance(value, Mapping) else None


@cache
def build_executable_schema(schema_path: str) -> GraphQLSchema:
    """TI's schema (the SDL at `schema_path`, handed over at mount time) with the sandbox's
    resolvers; built once per process: neither changes at run time."""
    schema = build_schema(Path(schema_path).read_text(encoding="utf-8"))
    for name, field in schema.query_type.fields.items():
        field.resolve = QUERIES.get(name)
    for name, field in schema.mutation_type.fields.items():
        field.resolve = MUTATIONS.get(name)
    missing = [
        n
        for n, f in {**schema.query_type.fields, **schema.mutation_type.fields}.items()
        if f.resolve is None
    ]
    if missing:
        raise RuntimeError(f"sandbox resolvers missing for: {', '.join(sorted(missing))}")
    for named in schema.type_map.values():
        if isinstance(named, GraphQLUnionType):
            named.resolve_type = _resolve_typename
    return schema


def split_undeclared_inputs(
    schema: GraphQLSchema, operation: OperationDefinitionNode, variables: dict
) -> tuple[dict, dict[tuple, dict]]:
    """Variables without the input fields TI accepts beyond its schema, and those fields.

    The API reference's own CreateLearners example sends `ref1` in a LearnerInput, which the
    published schema lacks and TI stores anyway (its example response returns it). Those
    documented extras are set aside for the resolver, keyed by their path; anything else
    undeclared stays in and is refused by strict coercion, as TI would.
    """
    undeclared: dict[tuple, dict] = {}
    cleaned = dict(variables)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name in cleaned:
            var_type = type_from_ast(schema, definition.type)
            cleaned[name] = _strip(var_type, cleaned[name], (name,), undeclared)
    return cleaned, undeclared


def _strip(graphql_type, value, path: tuple, undeclared: dict) -> Any:
    if isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    if isinstance(graphql_type, GraphQLList) and isinstance(value, list):
        return [
            _strip(graphql_type.of_type, v, (*path, i), undeclared) for i, v in enumerate(value)
        ]
    if isinstance(graphql_type, GraphQLInputObjectType) and isinstance(value, dict):
        tolerated = TOLERATED_INPUT_FIELDS.get(graphql_type.name, frozenset())
        extra = {k: v for k, v in value.items() if k in tolerated}
        if extra:
            undeclared[path] = extra
        return {
            k: _strip(graphql_type.fields[k].type, v, (*path, k), undeclared)
            if k in graphql_type.fields
            else v
            for k, v in value.items()
            if k not in extra
        }
    return value
