"""What an operation costs, counted before it runs, as TI documents it.

Every requested field costs 1 point (fragments expanded; union branches all count, since the
cost is known only up front); a few root fields carry an extra cost on top. An operation over
the per-query ceiling is refused without executing.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

EXTRA_COST = {"UserContentItems": 3, "UserRecentContent": 4}


class _OverCeiling(Exception):
    pass


def operation_cost(
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    ceiling: int,
) -> int:
    """Points for one operation, or `ceiling + 1` as soon as counting passes the ceiling.

    Stopping early keeps a fragment bomb (fragments spreading fragments many times over) from
    costing the server anything but a refusal.
    """
    counter = [0]

    def add(points: int) -> None:
        counter[0] += points
        if counter[0] > ceiling:
            raise _OverCeiling

    try:
        for root in _fields(operation.selection_set, fragments):
            add(EXTRA_COST.get(root.name.value, 0))
        _count(operation.selection_set, fragments, add)
    except _OverCeiling:
        return ceiling + 1
    return counter[0]


def _fields(selection_set: SelectionSetNode | None, fragments) -> list[FieldNode]:
    """The fields of a selection set with fragments flattened in (one level)."""
    found: list[FieldNode] = []
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            found.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            found.extend(_fields(selection.selection_set, fragments))
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                found.extend(_fields(fragment.selection_set, fragments))
    return found


def _count(selection_set: SelectionSetNode | None, fragments, add) -> None:
    for field in _fields(selection_set, fragments):
        if field.name.value != "__typename":
            add(1)
        _count(field.selection_set, fragments, add)
