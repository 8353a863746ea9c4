"""The one client that speaks to the instance: batching, caching, timeouts, retries, errors.

A page names every operation it needs as `Call`s and gets them from `fetch()` in one HTTP
request; instance-level operations come from a shared cache when it holds them. Mutations go
through `mutate()`, one at a time, never retried.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import requests

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

log = logging.getLogger("atrium.gql")

AUTH_CODES = {"UNAUTHENTICATED"}
MAX_RETRY_AFTER = 300  # seconds: never believe an instance that asks us to wait longer


@dataclass
class _Answer:
    """One HTTP exchange: per-entry JSON (when there is any) and the status."""

    status: int
    entries: list[dict] | None
    retry_after: float | None = None
    points: int | None = None


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
        clock=time.monotonic,
        sleep=time.sleep,
    ):
        self.endpoint = base_url.rstrip("/") + "/helium"
        self._api_key = api_key
        self.session = session or requests.Session()
        self.timeout = (connect_timeout, read_timeout)
        self.cache = cache or SharedCache()
        self._clock = clock
        self._sleep = sleep
        self._blocked_until = 0.0
        self._lock = threading.Lock()
        self.counters: Counter[str] = Counter()
        self._last_remaining: int | None = None

    # -- public ---------------------------------------------------------------------------

    def fetch(self, *calls: Call, token: str | None = None) -> PageData:
        """Every call's result from one upstream request (fewer if the cache holds some).

        Raises AuthRequired when the instance refuses the token; any other failure comes back
        in `PageData.failure`, with cached instance-level values still filled in.
        """
        page = PageData()
        to_send: list[Call] = []
        stale_only: list[Call] = []
        for call in calls:
            if call.op.is_mutation:
                raise ValueError(f"{call.name} is a mutation: use mutate()")
            if call.op.shared:
                value, state = self.cache.lookup(call.cache_key())
                if state == FRESH:
                    self.counters["cache_hits"] += 1
                    page.values[call.result_key] = value
                    continue
                if state == STALE:
                    self.counters["cache_stale"] += 1
                    page.values[call.result_key] = value
                    page.stale.add(call.result_key)
                    stale_only.append(call)
                    continue
                self.counters["cache_misses"] += 1
            to_send.append(call)
        if not to_send:
            self._refresh_in_background(stale_only)
            return page
        # A request goes out anyway: refresh stale entries in it at no extra request.
        to_send += [c for c in stale_only if self.cache.claim_refresh(c.cache_key())]
        try:
            answer = self._send(to_send, token, retry=True)
        except (RateLimited, UpstreamUnavailable) as failure:
            page.failure = failure
            for call in to_send:
                page.values.setdefault(call.result_key, None)
            return page
        finally:
            for call in stale_only:
                self.cache.release_refresh(call.cache_key())
        self._fill(page, to_send, answer)
        return page

    def mutate(self, call: Call, token: str | None = None) -> Any:
        """Run one mutation and return its typed result. Never retried.

        Raises AuthRequired, RateLimited, UpstreamUnavailable, or OperationFailed with the
        instance's errors (its message and code) for the view to show.
        """
        if not call.op.is_mutation:
            raise ValueError(f"{call.name} is a query: use fetch()")
        answer = self._send([call], token, retry=False)
        page = PageData()
        self._fill(page, [call], answer)
        errors = page.errors.get(call.result_key)
        if errors:
            raise OperationFailed(call.name, errors)
        return page.values.get(call.result_key)

    def mutate_each(self, calls: list[Call], token: str | None = None) -> list[Any]:
        """Independent mutations in one request, never retried: each one's typed result, or
        the OperationFailed it met. The request as a whole may raise AuthRequired,
        RateLimited or UpstreamUnavailable. Give calls of one operation distinct keys."""
        if any(not call.op.is_mutation for call in calls):
            raise ValueError("mutate_each() takes mutations only")
        if not calls:
            return []
        answer = self._send(calls, token, retry=False)
        page = PageData()
        self._fill(page, calls, answer)
        return [
            OperationFailed(call.name, page.errors[call.result_key])
            if page.errors.get(call.result_key)
            else page.values.get(call.result_key)
            for call in calls
        ]

    def query(self, call: Call, token: str | None = None) -> Any:
        """One query's typed result, raising instead of returning partial data."""
        page = self.fetch(call, token=token)
        if page.failure:
            raise page.failure
        errors = page.errors.get(call.result_key)
        if errors:
            raise OperationFailed(call.name, errors)
        return page.values.get(call.result_key)

    # -- sending ------------------------------------------------------------------------------

    def _send(self, calls: list[Call], token: str | None, *, retry: bool) -> _Answer:
        with self._lock:
            wait = self._blocked_until - self._clock()
        if wait > 0:
            self.counters["rate_limited_local"] += 1
            raise RateLimited(wait)
        body: Any = [self._request(c) for c in calls]
        if len(body) == 1:
            body = body[0]  # a lone operation goes out plain, as any GraphQL server expects
        names = ",".join(c.name for c in calls)
        attempts = 2 if retry else 1
        for attempt in range(1, attempts + 1):
            started = self._clock()
            try:
                answer = self._post(body, token, len(calls))
            except UpstreamUnavailable as failure:
                self._log(names, started, None, f"unavailable: {failure.reason}")
                if attempt < attempts:
                    self.counters["retries"] += 1
                    self._sleep(
                        random.uniform(0.05, 0.25)
                    )  # jitter: don't stampede a sick instance
                    continue
                self.counters["unavailable"] += 1
                raise
            outcome = "ok" if answer.status == 200 else f"http {answer.status}"
            self._log(names, started, answer.points, outcome)
            if answer.status == 429:
                retry_after = min(answer.retry_after or 1.0, MAX_RETRY_AFTER)
                with self._lock:
                    self._blocked_until = self._clock() + retry_after
                self.counters["rate_limited"] += 1
                raise RateLimited(retry_after)
            return answer
        raise AssertionError("unreachable")

    @staticmethod
    def _request(call: Call) -> dict:
        return {"query": call.op.document, "variables": call.variables, "operationName": call.name}

    def _post(self, body: Any, token: str | None, expected: int) -> _Answer:
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
                timeout=self.timeout,
                allow_redirects=False,  # never carry the learner's authToken to another host
            )
        except requests.Timeout:
            raise UpstreamUnavailable("the learning platform did not answer in time") from None
        except requests.RequestException:
            # The exception's text holds the URL and so the apiKey: never pass it on.
            raise UpstreamUnavailable("the learning platform could not be reached") from None
        points = self._points_spent(response)
        if response.status_code == 429:
            return _Answer(429, None, _retry_after(response.headers.get("Retry-After")), points)
        if response.status_code >= 500:
            raise UpstreamUnavailable(f"the learning platform answered {response.status_code}")
        try:
            payload = response.json()
        except ValueError:
            raise UpstreamUnavailable("the learning platform sent an unreadable answer") from None
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

    def _log(self, names: str, started: float, points: int | None, outcome: str) -> None:
        elapsed_ms = (self._clock() - started) * 1000
        log.info(
            "upstream %s %.0f ms points=%s %s",
            names,
            elapsed_ms,
            "?" if points is None else points,
            outcome,
        )

    # -- reading answers ------------------------------------------------------------------------

    def _fill(self, page: PageData, calls: list[Call], answer: _Answer) -> None:
        auth_failed = False
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
                    self.cache.store(call.cache_key(), value)
                    page.stale.discard(call.result_key)
                elif page.values.get(call.result_key) is not None:
                    continue  # stale on error: keep the cached copy already on the page
            page.values[call.result_key] = value
        if auth_failed:
            raise AuthRequired("The learning platform no longer accepts this sign-in.")

    def _refresh_in_background(self, calls: list[Call]) -> None:
        claimed = [c for c in calls if self.cache.claim_refresh(c.cache_key())]
        if not claimed:
            return

        def refresh() -> None:
            try:
                answer = self._send(claimed, None, retry=True)
                self._fill(PageData(), claimed, answer)
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
