"""What one learner's queries returned, kept a minute fresh and longer as a fallback.

A learner going dashboard → My learning → dashboard within a minute does not pay twice for the
same query. Entries older than that are not shown by default — they are sent again — but stay
(for `keep_seconds`) so a page can still show them, dated, when the instance is out of budget or
down. The learner's own mutations drop exactly the queries they change (operations.CHANGES).

Entries live in shared state, one hash per learner, keyed by a hash of the learner's token, so
no two sign-ins ever share answers; values are the instance's JSON, decoded again on read.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .calls import Call
from .decode import decode
from .operations import operation


@dataclass(frozen=True)
class Cached:
    text: str  # the instance's JSON for the root field, as stored
    stored_at: float  # wall time
    fresh: bool

    def value(self, call: Call) -> Any:
        """The typed answer; decoded once per process for the same text (a warm page reads
        the same answers view after view)."""
        return _decoded(call.name, self.text)


@lru_cache(maxsize=1_024)
def _decoded(operation_name: str, text: str) -> Any:
    return decode(operation(operation_name).result_type, json.loads(text))


def learner_key(token: str) -> str:
    return "learner:" + hashlib.sha256(token.encode()).hexdigest()[:40]


def _field(call: Call) -> str:
    return f"{call.op.root_field}|{call.name}|{json.dumps(call.variables, sort_keys=True)}"


class LearnerCache:
    def __init__(
        self, state, fresh_seconds: float = 60, keep_seconds: float = 6 * 3600, clock=time.time
    ):
        self.state = state
        self.fresh_seconds = fresh_seconds
        self.keep_seconds = keep_seconds
        self._clock = clock

    @property
    def enabled(self) -> bool:
        return self.keep_seconds > 0

    def look_up(self, token: str, calls: list[Call]) -> list[Cached | None]:
        if not self.enabled or not calls:
            return [None] * len(calls)
        found = self.state.hash_get(learner_key(token), [_field(c) for c in calls])
        now = self._clock()
        results: list[Cached | None] = []
        for text in found:
            entry = _parse(text)
            if entry is None or now - entry[0] > self.keep_seconds:
                results.append(None)
                continue
            stored_at, body = entry
            results.append(Cached(body, stored_at, now - stored_at <= self.fresh_seconds))
        return results

    def store(self, token: str, answers: list[tuple[Call, Any]]) -> None:
        if not self.enabled or not answers:
            return
        now = self._clock()
        self.state.hash_set(
            learner_key(token),
            # "<when>\n<JSON>": the age is read without parsing the answer
            {_field(c): f"{now!r}\n{json.dumps(raw)}" for c, raw in answers},
            ttl=self.keep_seconds,
        )

    def drop(self, token: str, root_fields: frozenset[str] | None) -> None:
        """Forget the learner's answers to these root fields (None: everything)."""
        if not self.enabled:
            return
        key = learner_key(token)
        fields = self.state.hash_fields(key)
        doomed = [f for f in fields if root_fields is None or f.split("|", 1)[0] in root_fields]
        if doomed:
            self.state.hash_delete(key, doomed)


def _parse(text: str | None) -> tuple[float, str] | None:
    if not text:
        return None
    stored_at, _, body = text.partition("\n")
    try:
        return float(stored_at), body
    except ValueError:
        return None
