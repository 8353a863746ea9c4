"""The few failures a view has to handle, whatever went wrong upstream.

Messages never carry the instance URL (its query string holds the apiKey) or a token.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class InstanceError(Exception):
    """Base of everything the client raises."""


class AuthRequired(InstanceError):
    """No token, or the instance no longer accepts it: the learner must sign in again."""


class RateLimited(InstanceError):
    """The instance's budget is spent; nothing is sent upstream until `retry_after` passes."""

    def __init__(self, retry_after: float):
        super().__init__(f"The learning platform is busy; try again in {retry_after:.0f} s.")
        self.retry_after = retry_after

    @property
    def seconds(self) -> int:
        """Whole seconds to tell a person to wait (at least one)."""
        return max(1, round(self.retry_after))


class UpstreamUnavailable(InstanceError):
    """Timeout, refused connection, 5xx or an answer that is not GraphQL."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ApiError:
    """One GraphQL error as the instance reported it."""

    message: str
    code: str | None
    path: tuple = ()
    details: dict = field(default_factory=dict)  # the rest of `extensions`, e.g. invalidLearners

    @classmethod
    def from_json(cls, entry: dict) -> ApiError:
        if not isinstance(entry, dict):
            return cls(message=str(entry), code=None)
        extensions = entry.get("extensions") if isinstance(entry.get("extensions"), dict) else {}
        return cls(
            message=str(entry.get("message", "")),
            code=extensions.get("code"),
            path=tuple(entry.get("path") or ()),
            details={k: v for k, v in extensions.items() if k != "code"},
        )


class OperationFailed(InstanceError):
    """A mutation (or a query the page cannot do without) came back with errors."""

    def __init__(self, operation: str, errors: list[ApiError]):
        super().__init__(errors[0].message if errors else f"{operation} failed")
        self.operation = operation
        self.errors = errors

    @property
    def code(self) -> str | None:
        return self.errors[0].code if self.errors else None
