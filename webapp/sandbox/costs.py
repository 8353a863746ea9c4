"""What an operation costs, counted before it runs, as TI documents it.

Every requested field costs 1 point (fragments expanded; union branches all count, since the
cost is known only up front). Fields whose description in TI's schema says "This query (or
field) has an additional cost of N points" cost N more, wherever they are selected and as often
as they are: two aliases of UserCourseProgress pay its extra twice. An operation over the
per-query ceiling is refused without executing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    get_named_type,
)

_EXTRA = re.compile(r"additional cost of (\d+) points?", re.IGNORECASE)
_META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}

ExtraCosts = dict[tuple[str, str], int]


class _OverCeiling(Exception):
    pass


def extra_costs(schema: GraphQLSchema) -> ExtraCosts:
    """(type name, field name) -> the extra points its description documents."""
    found: ExtraCosts = {}
    for type_name, named in schema.type_map.items():
        fields = getattr(named, "fields", None)
        if type_name.startswith("__") or not isinstance(fields, dict):
            continue
        for field_name, field in fields.items():
            match = _EXTRA.search(field.description or "")
            if match:
                found[type_name, field_name] = int(match.group(1))
    return found


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    ceiling: int,
    extras: ExtraCosts | None = None,
) -> int:
    """Points for one validated operation, or `ceiling + 1` as soon as counting passes it.

    Stopping early keeps a fragment bomb (fragments spreading fragments many times over) from
    costing the server anything but a refusal.
    """
    extras = extra_costs(schema) if extras is None else extras
    counter = [0]

    def add(points: int) -> None:
        counter[0] += points
        if counter[0] > ceiling:
            raise _OverCeiling

    def count(selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None) -> None:
        for field, owner in _fields(schema, selection_set, parent, fragments):
            name = field.name.value
            if name == "__typename":
                continue  # free
            add(1 + (extras.get((owner.name, name), 0) if owner is not None else 0))
            count(field.selection_set, _field_type(owner, name))

    root = schema.get_root_type(operation.operation)
    try:
        count(operation.selection_set, root)
    except _OverCeiling:
        return ceiling + 1
    return counter[0]


def _field_type(owner: GraphQLNamedType | None, name: str) -> GraphQLNamedType | None:
    """The named type a field returns, for counting its own selection (None: unknown)."""
    definition = _META_FIELDS.get(name)
    if definition is None and owner is not None:
        definition = getattr(owner, "fields", {}).get(name)
    return get_named_type(definition.type) if definition is not None else None


def _fields(
    schema: GraphQLSchema,
    selection_set: SelectionSetNode | None,
    parent: GraphQLNamedType | None,
    fragments: dict[str, FragmentDefinitionNode],
) -> Iterator[tuple[FieldNode, GraphQLNamedType | None]]:
    """The fields of a selection set with fragments flattened in, each with the type it is
    selected on (a fragment's type condition, or the enclosing type). A generator, so that
    counting stops at the ceiling before a fragment bomb is ever spelled out."""
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection, parent
        elif isinstance(selection, InlineFragmentNode):
            owner = _condition(schema, selection.type_condition, parent)
            yield from _fields(schema, selection.selection_set, owner, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                owner = _condition(schema, fragment.type_condition, parent)
                yield from _fields(schema, fragment.selection_set, owner, fragments)


def _condition(schema: GraphQLSchema, condition, parent):
    return schema.get_type(condition.name.value) if condition is not None else parent
