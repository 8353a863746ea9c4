"""TI-shaped errors: `{"message": ..., "extensions": {"code": ...}}`.

Resolvers raise these; graphql-core adds `path` and `locations` and keeps `extensions`.
"""

from __future__ import annotations

from graphql import GraphQLError

UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"
BAD_USER_INPUT = "BAD_USER_INPUT"
INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
ALREADY_EXISTS = "ALREADY_EXISTS"
INTERNAL = "INTERNAL_SERVER_ERROR"


class SandboxError(GraphQLError):
    """An error a resolver raises on purpose, with TI's `extensions.code`."""

    def __init__(self, message: str, code: str, **details):
        super().__init__(message, extensions={"code": code, **details})


def unauthenticated(message: str = "You must be signed in to do this.") -> SandboxError:
    return SandboxError(message, UNAUTHENTICATED)


def forbidden(message: str = "You do not have permission to do this.") -> SandboxError:
    return SandboxError(message, FORBIDDEN)


def not_found(what: str, ident: object) -> SandboxError:
    return SandboxError(f"{what} not found: {ident}", NOT_FOUND)


def bad_input(message: str, **details) -> SandboxError:
    return SandboxError(message, BAD_USER_INPUT, **details)


def error_entry(message: str, code: str, **details) -> dict:
    """An error for a response that never reached execution (bad key, bad body, limits)."""
    return {"message": message, "extensions": {"code": code, **details}}
