"""The sandbox instance's request handling: from raw body to a TI-shaped answer.

`SandboxInstance.handle()` knows nothing of Flask: the /helium route and the in-process
transport both call it, so the app and any GraphQL client see the same behaviour.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)
from graphql.language import FragmentDefinitionNode, OperationDefinitionNode

from .context import RequestContext, token_digest
from .costs import extra_costs, operation_cost
from .dates import iso
from .errors import INTERNAL, SandboxError, error_entry
from .executable_schema import build_executable_schema, resolve_field, split_undeclared_inputs
from .limits import Faults, RateLimiter, Stats
from .settings import SandboxSettings
from .store import Store

log = logging.getLogger(__name__)

MAX_BATCH = 50
MAX_BODY_BYTES = 1_000_000


@dataclass
class SandboxResponse:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)
    lost: bool = False  # the request ran, but its answer must not reach the client in time

    def body(self) -> bytes:
        return json.dumps(self.payload, separators=(",", ":")).encode()


@dataclass
class _Prepared:
    """One request of a (possibly batched) body, parsed, validated and priced."""

    document: Any = None
    operation: OperationDefinitionNode | None = None
    variables: dict | None = None
    operation_name: str | None = None
    cost: int = 0
    errors: list[dict] | None = None  # set when it must not execute
    over_ceiling: bool = False


class SandboxInstance:
    """A TI-compatible GraphQL instance over SQLite, with TI's costs, limits and errors."""

    def __init__(self, settings: SandboxSettings, schema: GraphQLSchema | None = None):
        self.settings = settings
        self.store = Store(settings.db_path)
        self.schema = schema or build_executable_schema(settings.schema_path)
        self.extra_costs = extra_costs(self.schema)
        self.limiter = RateLimiter(settings.points_per_minute, settings.requests_per_minute)
        self.faults = Faults(latency_ms=settings.latency_ms, fault_rate=settings.fault_rate)
        self.stats = Stats()

    def issue_token(self, email: str) -> str | None:
        """A token for the user with `email`, without a password: the embed demo's handoff
        may name a sandbox learner by email. In-process only; nothing exposes it over HTTP."""
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT id FROM users WHERE email = ? AND disabled = 0", (email.strip(),)
            ).fetchone()
            if row is None:
                return None
            token = secrets.token_urlsafe(32)
            conn.execute(
                "INSERT INTO tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
                (token_digest(token), row["id"], iso(datetime.now(UTC))),
            )
        return token

    # -- the whole request -------------------------------------------------------------

    def handle(self, body: bytes, api_key: str | None, auth_token: str | None) -> SandboxResponse:
        self.faults.delay()
        self.stats.add(http_requests=1)
        if not api_key or not hmac.compare_digest(api_key.encode(), self.settings.api_key.encode()):
            self.stats.add(rejected=1)
            return self._answer(
                401, {"errors": [error_entry("Invalid or missing API key.", "INVALID_API_KEY")]}
            )
        if self.faults.should_fail():
            self.stats.add(faults=1)
            return self._answer(
                503,
                {
                    "errors": [
                        error_entry(
                            "The instance is temporarily unavailable.", "SERVICE_UNAVAILABLE"
                        )
                    ]
                },
            )
        requests, problem = self._decode(body)
        if problem:
            self.stats.add(rejected=1)
            return self._answer(400, {"errors": [problem]})
        batched = isinstance(requests, list)
        prepared = [self._prepare(r) for r in (requests if batched else [requests])]
        points = sum(p.cost for p in prepared if p.errors is None)
        verdict = self.limiter.charge(points)
        if not verdict.allowed:
            self.stats.add(rate_limited=1)
            message = "Rate limit exceeded: the instance's per-minute budget is spent."
            response = self._answer(
                429,
                {
                    "errors": [
                        error_entry(message, "RATE_LIMITED", retryAfter=verdict.reset_seconds)
                    ]
                },
            )
            response.headers["Retry-After"] = str(verdict.reset_seconds)
            return response
        results = [self._run(p, auth_token) for p in prepared]
        self.stats.add(points=points, operations=sum(p.errors is None for p in prepared))
        status = 200
        if not batched and prepared[0].errors is not None:
            status = 400
        response = self._answer(status, results if batched else results[0])
        response.headers["X-Query-Cost"] = str(points)
        if self.faults.loses_answer([_name_and_kind(p) for p in prepared if p.errors is None]):
            self.stats.add(lost_answers=1)
            response.lost = True
        return response

    def _answer(self, status: int, payload: Any) -> SandboxResponse:
        verdict = self.limiter.peek()
        return SandboxResponse(
            status,
            payload,
            {
                "Content-Type": "application/json",
                "X-RateLimit-Limit": str(self.limiter.points_per_minute),
                "X-RateLimit-Remaining": str(verdict.points_remaining),
                "X-RateLimit-Reset": str(verdict.reset_seconds),
                "X-RateLimit-Requests-Limit": str(self.limiter.requests_per_minute),
                "X-RateLimit-Requests-Remaining": str(verdict.requests_remaining),
            },
        )

    # -- decoding and preparing ----------------------------------------------------------

    @staticmethod
    def _decode(body: bytes) -> tuple[Any, dict | None]:
        if len(body) > MAX_BODY_BYTES:
            return None, error_entry("The request body is too large.", "BAD_REQUEST")
        try:
            data = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None, error_entry("The request body is not valid JSON.", "BAD_REQUEST")
        items = data if isinstance(data, list) else [data]
        if isinstance(data, list) and not 0 < len(data) <= MAX_BATCH:
            return None, error_entry(
                f"A batch must hold between 1 and {MAX_BATCH} operations.", "BAD_REQUEST"
            )
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("query"), str):
                return None, error_entry(
                    'Each request must be an object with a "query" string.', "BAD_REQUEST"
                )
            if not isinstance(item.get("variables") or {}, dict):
                return None, error_entry('"variables" must be an object.', "BAD_REQUEST")
            if not isinstance(item.get("operationName") or "", str):
                return None, error_entry('"operationName" must be a string.', "BAD_REQUEST")
        return data, None

    def _prepare(self, request: dict) -> _Prepared:
        prepared = _Prepared(
            variables=request.get("variables") or {}, operation_name=request.get("operationName")
        )
        try:
            prepared.document = parse(request["query"], max_tokens=20_000)
            errors = validate(self.schema, prepared.document)
        except GraphQLError as error:
            prepared.errors = [_with_code(error.formatted, "GRAPHQL_PARSE_FAILED")]
            return prepared
        except RecursionError:
            message = "The query is nested too deeply."
            prepared.errors = [error_entry(message, "GRAPHQL_PARSE_FAILED")]
            return prepared
        if errors:
            prepared.errors = [_with_code(e.formatted, "GRAPHQL_VALIDATION_FAILED") for e in errors]
            return prepared
        prepared.operation = get_operation_ast(prepared.document, prepared.operation_name)
        if prepared.operation is None:
            message = (
                f'Unknown operation named "{prepared.operation_name}".'
                if prepared.operation_name
                else "Must provide operationName when the document holds several operations."
            )
            prepared.errors = [error_entry(message, "BAD_USER_INPUT")]
            return prepared
        fragments = {
            d.name.value: d
            for d in prepared.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        ceiling = self.settings.max_query_cost
        prepared.cost = operation_cost(
            self.schema, prepared.operation, fragments, ceiling, self.extra_costs
        )
        if prepared.cost > ceiling:
            prepared.errors = [
                error_entry(
                    f"Query cost exceeds the maximum of {ceiling} points; it was not executed.",
                    "QUERY_TOO_COSTLY",
                    maxCost=ceiling,
                )
            ]
        return prepared

    # -- execution -------------------------------------------------------------------------

    def _run(self, prepared: _Prepared, auth_token: str | None) -> dict:
        if prepared.errors is not None:
            return {"errors": prepared.errors}
        name = prepared.operation.name.value if prepared.operation.name else "anonymous"
        self.stats.operation(name)
        variables, undeclared = split_undeclared_inputs(
            self.schema, prepared.operation, prepared.variables
        )
        is_mutation = prepared.operation.operation == OperationType.MUTATION
        with self.store.write() if is_mutation else self.store.snapshot() as conn:
            context = RequestContext(conn=conn, token=auth_token, undeclared_inputs=undeclared)
            result = execute(
                self.schema,
                prepared.document,
                context_value=context,
                variable_values=variables,
                operation_name=prepared.operation_name,
                field_resolver=resolve_field,
            )
        return _format(result)


def _name_and_kind(prepared: _Prepared) -> tuple[str, str]:
    operation = prepared.operation
    name = operation.name.value if operation.name else "anonymous"
    return name, operation.operation.value  # "query" or "mutation"


def _with_code(entry: dict, code: str) -> dict:
    entry = dict(entry)
    entry["extensions"] = {"code": code, **(entry.get("extensions") or {})}
    return entry


def _format(result: ExecutionResult) -> dict:
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [_format_error(e) for e in result.errors]
    return payload


def _format_error(error: GraphQLError) -> dict:
    original = error.original_error
    if original is not None and not isinstance(original, GraphQLError):
        # A bug of ours: log it whole, tell the client only that it happened.
        log.error("sandbox resolver failed at %s", error.path, exc_info=original)
        entry = {"message": "Internal server error.", "path": error.path}
        return _with_code(entry, INTERNAL)
    entry = error.formatted
    if isinstance(original, SandboxError):
        return entry
    if error.path is None:  # variable coercion and the like: the client's input
        return _with_code(entry, "BAD_USER_INPUT")
    return _with_code(entry, INTERNAL)
