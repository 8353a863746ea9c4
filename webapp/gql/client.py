"""The one client that speaks to the instance: batching, caching, pacing, deadlines, errors.

A page names every operation it needs as `Call`s and gets them from `fetch()` in one HTTP
request. Instance-level answers come from the shared cache, the learner's own from the learner
cache (a minute fresh); what is missing or out of date goes upstream — if the budget governor
and the circuit breaker let it, within the page's deadline. When they don't, or the instance
fails, the page gets what the caches still hold, dated, rather than nothing. Mutations go through
`mutate()`, one at a time, never retried, and drop what they change from the learner cache.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

from .. import metrics
from ..state import MemoryState
from .breaker import Breaker
from .budget import Governor
from .cache import FRESH, STALE, SharedCache
from .calls import Call, PageData
from .decode import decode
from .errors import (
    ApiError,
    AuthRequired,
    InstanceError,
    OperationFailed,
    RateLimited,
    UpstreamUnavailable,
)
from .learner_cache import Cached, LearnerCache
from .scope import MISSING, current_view, time_left
from .scope import STALE as STALE_VIEW

log = logging.getLogger("atrium.gql")

AUTH_CODES = {"UNAUTHENTICATED"}
MAX_RETRY_AFTER = 300  # seconds: never believe an instance that asks us to wait longer
MIN_ATTEMPT_SECONDS = 0.5  # an attempt with less time than this is not worth starting
REFILL_MARGIN = 0.05  # past the reading's refill, so the next admission finds it refilled


@dataclass
class _Answer:
    """One HTTP exchange: per-entry JSON (when there is any) and the status."""

    status: int
    entries: list[dict] | None
    retry_after: float | None = None
    points: int | None = None


@dataclass
class _Plan:
    """What a fetch must send, and what it could show instead if sending fails."""

    to_send: list[Call] = field(default_factory=list)
    # learner answers past their minute, by result key
    fallback: dict[str, Cached] = field(default_factory=dict)
    shared_stale: list[Call] = field(default_factory=list)

    @property
    def has_fallback(self) -> bool:
        return bool(self.to_send) and all(c.result_key in self.fallback for c in self.to_send)


class InstanceClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        session: requests.Session | None = None,
        connect_timeout: float = 3.05,
        read_timeout: float = 10.0,
        cache: SharedCache | None = None,
        state=None,
        learner_cache: LearnerCache | None = None,
        breaker: Breaker | None = None,
        governor: Governor | None = None,
        clock=time.monotonic,
        sleep=time.sleep,
    ):
        self.endpoint = base_url.rstrip("/") + "/helium"
        self._api_key = api_key
        self.session = session or requests.Session()
        self.timeout = (connect_timeout, read_timeout)
        state = state if state is not None else MemoryState()
        self.cache = cache or SharedCache(state=state)
        self.learner_cache = learner_cache or LearnerCache(state)
        self.breaker = breaker or Breaker(state)
        self.governor = governor or Governor(state)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self.counters: Counter[str] = Counter()
        self._last_remaining: int | None = None
        self._points_per_operation = 10.0  # learned from X-Query-Cost; sizes the governor's ask

    # -- public ---------------------------------------------------------------------------

    def fetch(self, *calls: Call, token: str | None = None) -> PageData:
        """Every call's result from one upstream request (none if the caches hold them all).

        Raises AuthRequired when the instance refuses the token; any other failure comes back
        in `PageData.failure`, with what the caches hold still filled in (and dated).
        """
        page = PageData()
        plan = self._plan(calls, token, page)
        if not plan.to_send:
            self._refresh_in_background(plan.shared_stale)
            return self._finish(page)
        # A request goes out anyway: refresh stale instance-level entries in it for free.
        to_send = plan.to_send + [
            c for c in plan.shared_stale if self.cache.claim_refresh(c.cache_key())
        ]
        try:
            answer = self._send(to_send, token, retry=True, has_fallback=plan.has_fallback)
        except (RateLimited, UpstreamUnavailable) as failure:
            return self._finish(self._do_without(page, plan, failure))
        finally:
            for call in plan.shared_stale:
                self.cache.release_refresh(call.cache_key())
        self._fill(page, to_send, answer, token)
        return self._finish(page)

    def mutate(self, call: Call, token: str | None = None) -> Any:
        """Run one mutation and return its typed result. Never retried.

        Raises AuthRequired, RateLimited, UpstreamUnavailable, or OperationFailed with the
        instance's errors (its message and code) for the view to show.
        """
        if not call.op.is_mutation:
            raise ValueError(f"{call.name} is a query: use fetch()")
        return self.mutate_each([call], token, raise_failure=True)[0]

    def mutate_each(
        self, calls: list[Call], token: str | None = None, *, raise_failure: bool = False
    ) -> list[Any]:
        """Independent mutations in one request, never retried: each one's typed result, or
        the OperationFailed it met. The request as a whole may raise AuthRequired,
        RateLimited or UpstreamUnavailable. Give calls of one operation distinct keys."""
        if any(not call.op.is_mutation for call in calls):
            raise ValueError("mutate_each() takes mutations only")
        if not calls:
            return []
        try:
            answer = self._send(calls, token, retry=False, has_fallback=False)
        finally:
            # Applied, refused or lost: what the learner had cached may be wrong now.
            self._forget_what_changes(calls, token)
        page = PageData()
        self._fill(page, calls, answer, token)
        results = []
        for call in calls:
            errors = page.errors.get(call.result_key)
            if errors and raise_failure:
                raise OperationFailed(call.name, errors)
            results.append(
                OperationFailed(call.name, errors) if errors else page.values.get(call.result_key)
            )
        return results

    def query(self, call: Call, token: str | None = None) -> Any:
        """One query's typed result, raising instead of returning partial data."""
        page = self.fetch(call, token=token)
        if page.failure:
            raise page.failure
        errors = page.errors.get(call.result_key)
        if errors:
            raise OperationFailed(call.name, errors)
        return page.values.get(call.result_key)

    def forget_learner(self, token: str) -> None:
        """Drop everything cached for this sign-in (sign-out)."""
        self.learner_cache.drop(token, None)

    # -- planning -----------------------------------------------------------------------------

    def _plan(self, calls: tuple[Call, ...], token: str | None, page: PageData) -> _Plan:
        """Fill what the caches hold fresh; list what must go upstream and what could stand in."""
        plan = _Plan()
        learner_calls = []
        for call in calls:
            if call.op.is_mutation:
                raise ValueError(f"{call.name} is a mutation: use mutate()")
            if call.op.shared:
                self._plan_shared(call, plan, page)
            elif token:
                learner_calls.append(call)
            else:
                plan.to_send.append(call)
        if learner_calls:
            for call, cached in zip(
                learner_calls, self.learner_cache.look_up(token, learner_calls), strict=True
            ):
                if cached is not None and cached.fresh:
                    self._count_cache("learner", "hit")
                    page.values[call.result_key] = cached.value(call)
                    continue
                self._count_cache("learner", "stale" if cached else "miss")
                plan.to_send.append(call)
                if cached is not None:
                    plan.fallback[call.result_key] = cached
        return plan

    def _plan_shared(self, call: Call, plan: _Plan, page: PageData) -> None:
        value, state = self.cache.lookup(
            call.cache_key(), lambda raw: decode(call.op.result_type, raw)
        )
        if state == FRESH:
            self._count_cache("instance", "hit")
            page.values[call.result_key] = value
        elif state == STALE:
            self._count_cache("instance", "stale")
            page.values[call.result_key] = value
            page.stale.add(call.result_key)
            plan.shared_stale.append(call)
        else:
            self._count_cache("instance", "miss")
            plan.to_send.append(call)

    def _do_without(self, page: PageData, plan: _Plan, failure: InstanceError) -> PageData:
        """Nothing came back: show the dated copies we hold, and say what is still missing."""
        for call in plan.to_send:
            cached = plan.fallback.get(call.result_key)
            if cached is not None:
                page.values[call.result_key] = cached.value(call)
                page.dated[call.result_key] = cached.stored_at
        lacking = [c for c in plan.to_send if c.result_key not in plan.fallback]
        for call in lacking:
            page.values.setdefault(call.result_key, None)
        if lacking:
            page.failure = failure
        else:
            page.held_back = failure  # the page is whole, if dated: no error to show
            self.counters["served_stale"] += 1
        return page

    def _finish(self, page: PageData) -> PageData:
        view = current_view()
        if view is not None:
            if page.missing:
                view.saw(MISSING)
            elif page.dated:
                view.saw(STALE_VIEW, min(page.dated.values()))
        return page

    def _forget_what_changes(self, calls: list[Call], token: str | None) -> None:
        if not token:
            return
        changed: set[str] = set()
        for call in calls:
            fields = call.op.changes
            if fields is None:
                self.learner_cache.drop(token, None)
                return
            changed |= fields
        if changed:
            self.learner_cache.drop(token, frozenset(changed))

    def _count_cache(self, scope: str, result: str) -> None:
        self.counters[f"cache_{scope}_{result}"] += 1
        metrics.cache_lookup(scope, result)

    # -- sending ------------------------------------------------------------------------------

    def _send(
        self, calls: list[Call], token: str | None, *, retry: bool, has_fallback: bool
    ) -> _Answer:
        estimate = round(self._points_per_operation * len(calls))
        verdict = self.governor.admit(estimate, has_fallback)
        if not verdict.allowed and self._worth_waiting(
            verdict.wait + REFILL_MARGIN, retry, has_fallback
        ):
            self._sleep(verdict.wait + REFILL_MARGIN)  # it refills before the page's deadline
            verdict = self.governor.admit(estimate, has_fallback)
        if not verdict.allowed:
            self.counters[f"held_back_{verdict.reason}"] += 1
            raise RateLimited(verdict.wait)
        body: Any = [self._request(c) for c in calls]
        if len(body) == 1:
            body = body[0]  # a lone operation goes out plain, as any GraphQL server expects
        names = ",".join(c.name for c in calls)
        attempts = 2 if retry else 1
        for attempt in range(1, attempts + 1):
            if not self.breaker.allow():
                self.counters["breaker_open"] += 1
                metrics.upstream_request(len(calls), 0, 0.0, "breaker open")
                raise UpstreamUnavailable("the learning platform is not answering; paused")
            started = self._clock()
            try:
                answer = self._post(body, token, len(calls), self._timeouts())
            except UpstreamUnavailable as failure:
                self.breaker.failed()
                self._log(names, started, None, f"unavailable: {failure.reason}", len(calls))
                # Retry only if a second try still fits in the page's deadline.
                if attempt < attempts and time_left() > MIN_ATTEMPT_SECONDS + 0.25:
                    self.counters["retries"] += 1
                    self._sleep(random.uniform(0.05, 0.25))  # jitter: don't stampede
                    continue
                self.counters["unavailable"] += 1
                raise
            self.breaker.succeeded()
            outcome = "ok" if answer.status == 200 else f"http {answer.status}"
            self._log(names, started, answer.points, outcome, len(calls))
            if answer.status == 429:
                retry_after = min(answer.retry_after or 1.0, MAX_RETRY_AFTER)
                self.governor.block(retry_after)  # every process, every machine
                self.counters["rate_limited"] += 1
                if attempt < attempts and self._worth_waiting(retry_after, retry, has_fallback):
                    self._sleep(retry_after)  # a page with nothing to show waits for the refill
                    continue
                raise RateLimited(retry_after)
            if answer.points and len(calls):
                per_operation = answer.points / len(calls)
                self._points_per_operation += 0.2 * (per_operation - self._points_per_operation)
            return answer
        raise AssertionError("unreachable")

    @staticmethod
    def _worth_waiting(wait: float, retry: bool, has_fallback: bool) -> bool:
        """A query for a page with nothing cached waits out a short refusal (the budget's
        refill, a 429's Retry-After) if it still fits in the page's deadline; a page that can
        show dated answers, or a mutation, does not wait."""
        return retry and not has_fallback and wait + MIN_ATTEMPT_SECONDS <= time_left()

    def _timeouts(self) -> tuple[float, float]:
        """Connect and read timeouts that end by the page's deadline."""
        left = max(MIN_ATTEMPT_SECONDS, time_left())
        connect, read = self.timeout
        return (min(connect, left), min(read, left))

    @staticmethod
    def _request(call: Call) -> dict:
        return {"query": call.op.document, "variables": call.variables, "operationName": call.name}

    def _post(
        self, body: Any, token: str | None, expected: int, timeout: tuple[float, float]
    ) -> _Answer:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["authToken"] = token
        self.counters["requests"] += 1
        self.counters["operations"] += expected
        try:
            response = self.session.post(
                self.endpoint,
                params={"apiKey": self._api_key},
                data=json.dumps(body),
                headers=headers,
                timeout=timeout,
                allow_redirects=False,  # never carry the learner's authToken to another host
            )
        except requests.Timeout:
            raise UpstreamUnavailable("the learning platform did not answer in time") from None
        except requests.RequestException:
            # The exception's text holds the URL and so the apiKey: never pass it on.
            raise UpstreamUnavailable("the learning platform could not be reached") from None
        points = self._points_spent(response)
        reading = self.governor.observe(response.headers)
        if reading is not None:
            metrics.budget_left(reading.points_left)
        if response.status_code == 429:
            return _Answer(429, None, _retry_after(response.headers.get("Retry-After")), points)
        if response.status_code >= 500:
            raise UpstreamUnavailable(f"the learning platform answered {response.status_code}")
        try:
            payload = response.json()
        except ValueError:
            raise UpstreamUnavailable("the learning platform sent an unreadable answer") from None
        if _SURROGATE_ESCAPE.search(response.content):
            payload = _without_lone_surrogates(payload)
        entries = payload if isinstance(payload, list) else [payload]
        if response.status_code in (401, 403) and not _mentions_auth(entries):
            raise UpstreamUnavailable("the learning platform refused Atrium's API key")
        if len(entries) != expected or not all(isinstance(e, dict) for e in entries):
            if _mentions_auth(entries):
                raise AuthRequired("The learning platform no longer accepts this sign-in.")
            raise UpstreamUnavailable("the learning platform sent an unexpected answer")
        return _Answer(response.status_code, entries, None, points)

    def _points_spent(self, response: requests.Response) -> int | None:
        """X-Query-Cost when the instance sends it, else the drop in X-RateLimit-Remaining
        since our last answer (which other clients of the same company may inflate)."""
        cost = response.headers.get("X-Query-Cost")
        remaining = response.headers.get("X-RateLimit-Remaining")
        spent = None
        if response.status_code == 429:
            spent = 0
        elif cost and cost.isdigit():
            spent = int(cost)
        elif remaining and remaining.isdigit() and self._last_remaining is not None:
            spent = max(0, self._last_remaining - int(remaining))
        if remaining and remaining.isdigit():
            self._last_remaining = int(remaining)
        if spent:
            self.counters["points"] += spent
        return spent

    def _log(
        self, names: str, started: float, points: int | None, outcome: str, operations: int
    ) -> None:
        elapsed = self._clock() - started
        metrics.upstream_request(operations, points, elapsed, outcome)
        elapsed_ms = elapsed * 1000
        log.info(
            "upstream %s %.0f ms points=%s %s",
            names,
            elapsed_ms,
            "?" if points is None else points,
            outcome,
        )

    # -- reading answers ------------------------------------------------------------------------

    def _fill(self, page: PageData, calls: list[Call], answer: _Answer, token: str | None) -> None:
        auth_failed = False
        learner_answers = []
        for call, entry in zip(calls, answer.entries or [], strict=False):
            errors = [ApiError.from_json(e) for e in entry.get("errors") or []]
            data = entry.get("data") if isinstance(entry.get("data"), dict) else {}
            raw = data.get(call.op.root_field) if data else None
            value = decode(call.op.result_type, raw)
            if errors:
                page.errors[call.result_key] = errors
                auth_failed |= any(e.code in AUTH_CODES for e in errors)
            if call.op.shared:
                if value is not None and not errors:
                    self.cache.store(call.cache_key(), value, raw)
                    page.stale.discard(call.result_key)
                elif page.values.get(call.result_key) is not None:
                    continue  # stale on error: keep the cached copy already on the page
            elif token and not call.op.is_mutation and value is not None and not errors:
                learner_answers.append((call, raw))
            page.values[call.result_key] = value
        if auth_failed:
            raise AuthRequired("The learning platform no longer accepts this sign-in.")
        if learner_answers:
            self.learner_cache.store(token, learner_answers)

    def _refresh_in_background(self, calls: list[Call]) -> None:
        claimed = [c for c in calls if self.cache.claim_refresh(c.cache_key())]
        if not claimed:
            return

        def refresh() -> None:
            try:
                answer = self._send(claimed, None, retry=True, has_fallback=True)
                self._fill(PageData(), claimed, answer, None)
            except InstanceError:
                pass  # stale stays served; the next view tries again
            finally:
                for call in claimed:
                    self.cache.release_refresh(call.cache_key())

        threading.Thread(target=refresh, name="atrium-cache-refresh", daemon=True).start()


def _mentions_auth(entries: list) -> bool:
    return any(
        ApiError.from_json(e).code in AUTH_CODES
        for entry in entries
        if isinstance(entry, dict)
        for e in entry.get("errors") or []
    )


def _retry_after(header: str | None) -> float:
    try:
        return max(1.0, float(header)) if header else 1.0
    except ValueError:
        return 1.0


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # only then is there anything to mend


def _without_lone_surrogates(value):
    """JSON's "\\ud800" escapes decode to lone surrogates, which no UTF-8 page can hold: each
    becomes U+FFFD, so one odd character in a title doesn't fail the page that shows it."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_lone_surrogates(v) for k, v in value.items()}
    return value
