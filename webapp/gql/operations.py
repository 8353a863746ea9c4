"""The operations Atrium sends, loaded from webapp/gql/operations/*.graphql."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphql import OperationDefinitionNode, OperationType, parse

from .types import ROOTS

OPERATIONS_DIR = Path(__file__).with_name("operations")

# Instance-level data: the same for every learner, so it may be cached and shared.
INSTANCE_LEVEL = frozenset(
    {
        "CompanyDetails",
        "CompanyTranslations",
        "Languages",
        "TermsAndConditions",
        "UserCertificateFields",
    }
)


@dataclass(frozen=True)
class Operation:
    name: str
    document: str
    is_mutation: bool
    root_field: str
    result_type: Any

    @property
    def shared(self) -> bool:
        return self.name in INSTANCE_LEVEL


@cache
def operation(name: str) -> Operation:
    """The named operation; KeyError for a name with no .graphql file."""
    path = OPERATIONS_DIR / f"{name}.graphql"
    if name not in ROOTS or not path.exists():
        raise KeyError(f"no operation named {name!r} in {OPERATIONS_DIR}")
    text = path.read_text()
    (definition,) = [d for d in parse(text).definitions if isinstance(d, OperationDefinitionNode)]
    return Operation(
        name=name,
        document=text,
        is_mutation=definition.operation == OperationType.MUTATION,
        root_field=definition.selection_set.selections[0].name.value,
        result_type=ROOTS[name],
    )


def all_operations() -> list[Operation]:
    return [operation(p.stem) for p in sorted(OPERATIONS_DIR.glob("*.graphql"))]
