"""Both backends of shared state keep the same promises (SQLite for one machine, Redis for many)."""

from __future__ import annotations

import threading

import pytest

from webapp.state import MemoryState, SqliteState
from webapp.state.redis_state import RedisState


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "sqlite", "redis"])
def state(request, tmp_path):
    if request.param == "memory":
        return MemoryState()
    if request.param == "sqlite":
        return SqliteState(str(tmp_path / "state.sqlite3"))
    return RedisState(request.getfixturevalue("redis_url"))


def test_a_value_is_read_back_until_deleted(state):
    state.set("a", "one", ttl=60)
    assert state.get("a") == "one"
    assert state.get_many(["a", "missing"]) == ["one", None]
    state.delete("a")
    assert state.get("a") is None


def test_add_succeeds_once(state):
    assert state.add("token", "first", ttl=60) is True
    assert state.add("token", "second", ttl=60) is False
    assert state.get("token") == "first"


def test_take_gives_a_value_to_one_caller_only(state):
    state.set("import", "rows", ttl=60)
    assert state.take("import") == "rows"
    assert state.take("import") is None


def test_incr_counts_from_zero_and_keeps_its_first_expiry(state):
    assert state.incr("n", 1, ttl=60) == 1
    assert state.incr("n", 5, ttl=600) == 6
    assert 0 < state.expires_in("n") <= 60
    assert state.expires_in("never-set") is None


def test_hash_fields_are_written_read_and_dropped(state):
    state.hash_set("h", {"x": "1", "y": "2"}, ttl=60)
    assert state.hash_get("h", ["x", "y", "z"]) == ["1", "2", None]
    assert sorted(state.hash_fields("h")) == ["x", "y"]
    state.hash_delete("h", ["x"])
    assert state.hash_get("h", ["x", "y"]) == [None, "2"]


def test_many_threads_adding_one_key_make_one_winner(state):
    wins = []

    def race() -> None:
        if state.add("once", "me", ttl=60):
            wins.append(1)

    threads = [threading.Thread(target=race) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wins == [1]


def test_sqlite_values_expire(tmp_path):
    clock = Clock()
    state = SqliteState(str(tmp_path / "state.sqlite3"), clock=clock)
    state.set("a", "one", ttl=10)
    state.incr("n", 3, ttl=10)
    state.hash_set("h", {"x": "1"}, ttl=10)
    clock.now += 11
    assert state.get("a") is None
    assert state.add("a", "again", ttl=10) is True
    assert state.incr("n", 1, ttl=10) == 1
    assert state.hash_get("h", ["x"]) == [None]


def test_redis_values_expire(redis_url):
    import time

    state = RedisState(redis_url)
    state.set("a", "one", ttl=0.05)
    time.sleep(0.1)
    assert state.get("a") is None


def test_ping_tells_whether_redis_answers():
    assert RedisState("redis://127.0.0.1:1/0").ping() is False
