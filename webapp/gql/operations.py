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

# What each mutation changes for the learner who sends it: the root fields of the queries whose
# cached answers (gql/learner_cache.py) it makes wrong. None: anything the learner sees.
_CONTENT = frozenset(
    {
        "CurrentUser",  # its course counts, balance and licenses
        "UserContentItems",
        "UserContentGroups",
        "UserRecentContent",
        "UserCourseProgress",
        "UserCourseCompletionProgress",
        "LearningPathBySlug",
        "LearningPathCurrentUserAwardTotals",
    }
)
_ARCHIVE = frozenset({"UserArchives", "UserArchivedContent"})
CHANGES: dict[str, frozenset[str] | None] = {
    "ArchiveUserCourse": _CONTENT | _ARCHIVE,
    "ArchiveUserLearningPath": _CONTENT | _ARCHIVE,
    "ReinstateUserCourse": _CONTENT | _ARCHIVE,
    "ReinstateUserLearningPath": _CONTENT | _ARCHIVE,
    "UnenrollFromWaitlist": frozenset({"UserWaitlist", "CurrentUser", "UserContentGroups"}),
    "RedeemBalance": _CONTENT,
    "RedeemRegistrationAndRedemptionCodes": None,  # new licenses and content: anything
    "SelectCurrentUserActiveLicense": None,  # the license decides what the learner sees
    "CreateCertificateFromUpload": frozenset({"UserCertificates", "CurrentUser"}),
    "Logout": None,
    # Nothing the sender has cached changes:
    "Login": frozenset(),
    "CreateLearner": frozenset(),  # another learner is created, not the admin changed
    "CreateLearners": frozenset(),
    "ValidateRedemptionCode": frozenset(),
    "ValidateRegistrationCode": frozenset(),
}


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

    @property
    def changes(self) -> frozenset[str] | None:
        """For a mutation: the root fields of the sender's queries it makes stale."""
        return CHANGES[self.name]


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
