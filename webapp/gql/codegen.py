"""Generate typed results (webapp/gql/types.py) from the operations and the vendored schema.

    python -m webapp.gql.codegen          # rewrite types.py
    python -m webapp.gql.codegen --check  # exit 1 if types.py is out of date

Each operation's selection becomes frozen dataclasses: the root field's object type is named
after the operation, nested objects after their path (`UserContentItemsTags`). Attributes are
snake_case; a union becomes one class holding every branch's fields, so templates can ask
`resource.title or resource.name` without caring which branch came back.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    parse,
)

from .schema import load_schema

OPERATIONS_DIR = Path(__file__).with_name("operations")
TARGET = Path(__file__).with_name("types.py")
SCALARS = {
    "String": "str",
    "ID": "str",
    "Int": "int",
    "Float": "float",
    "Boolean": "bool",
    "Date": "datetime",
    "JSON": "Any",
}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


@dataclass
class ClassSpec:
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (attr, annotation, key)


def _annotation(graphql_type, element: str) -> str:
    """The Python annotation for a GraphQL output type whose innermost type is `element`."""
    if isinstance(graphql_type, GraphQLNonNull):
        return _annotation(graphql_type.of_type, element).removesuffix(" | None")
    if isinstance(graphql_type, GraphQLList):
        return f"list[{_annotation(graphql_type.of_type, element)}] | None"
    return f"{element} | None"


def _innermost(graphql_type):
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return graphql_type


def _leaf_name(named) -> str:
    if isinstance(named, GraphQLEnumType):
        return "str"
    assert isinstance(named, GraphQLScalarType)
    return SCALARS.get(named.name, "str")  # URL, Slug, HexColor, UUID...


def _selected_fields(selection_set) -> list[tuple[FieldNode, str | None]]:
    """(field, type condition) pairs; inline fragments contribute their fields."""
    found = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            found.append((selection, None))
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            found.extend((f, condition) for f, _ in _selected_fields(selection.selection_set))
        elif isinstance(selection, FragmentSpreadNode):
            raise ValueError("use inline fragments in operations (codegen reads one file alone)")
    return found


def _class_for(name: str, parent, selection_set, schema, out: list[ClassSpec]) -> None:
    spec = ClassSpec(name)
    seen: set[str] = set()
    for node, condition in _selected_fields(selection_set):
        key = node.alias.value if node.alias else node.name.value
        if key in seen:
            continue
        seen.add(key)
        owner = schema.type_map[condition] if condition else parent
        if node.name.value == "__typename":
            spec.fields.append(("typename", "str | None", key))
            continue
        field_def = owner.fields[node.name.value]
        inner = _innermost(field_def.type)
        if isinstance(inner, GraphQLObjectType | GraphQLUnionType):
            child = name + key[0].upper() + key[1:]
            _class_for(child, inner, node.selection_set, schema, out)
            annotation = _annotation(field_def.type, child)
        else:
            annotation = _annotation(field_def.type, _leaf_name(inner))
        if isinstance(parent, GraphQLUnionType):
            annotation = annotation.removesuffix(" | None") + " | None"  # absent on other branches
        spec.fields.append((snake(key), annotation, key))
    out.append(spec)


def generate() -> str:
    schema = load_schema()
    classes: list[ClassSpec] = []
    roots: list[tuple[str, str]] = []
    for path in sorted(OPERATIONS_DIR.glob("*.graphql")):
        document = parse(path.read_text())
        (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        name = operation.name.value
        root_type = (
            schema.mutation_type if operation.operation.value == "mutation" else schema.query_type
        )
        (node,) = operation.selection_set.selections
        field_def = root_type.fields[node.name.value]
        inner = _innermost(field_def.type)
        if isinstance(inner, GraphQLObjectType | GraphQLUnionType):
            _class_for(name, inner, node.selection_set, schema, classes)
            roots.append((name, _annotation(field_def.type, name)))
        else:
            roots.append((name, _annotation(field_def.type, _leaf_name(inner))))
    lines = [
        '"""Typed results of the operations in webapp/gql/operations.',
        "",
        "Generated by `python -m webapp.gql.codegen`; do not edit by hand.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass, field",
        "from datetime import datetime",
        "from typing import Any",
        "",
    ]
    for spec in classes:
        lines += ["", "", "@dataclass(frozen=True, slots=True)", f"class {spec.name}:"]
        for attr, annotation, key in spec.fields:
            meta = f' = field(metadata={{"key": "{key}"}})' if attr != key else ""
            lines.append(f"    {attr}: {annotation}{meta}")
    lines += [
        "",
        "",
        "# The type each operation's root field decodes to.",
        "ROOTS: dict[str, Any] = {",
    ]
    lines += [f'    "{name}": {annotation},' for name, annotation in roots]
    lines += ["}", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = generate()
    if "--check" in argv:
        if TARGET.read_text() != text:
            print(f"{TARGET} is out of date: run python -m webapp.gql.codegen")
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
