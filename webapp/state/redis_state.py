"""Shared state in Redis: what several processes on several machines share."""

from __future__ import annotations

import redis

PREFIX = "atrium:"


def _ms(ttl: float) -> int:
    return max(1, int(ttl * 1000))


class RedisState:
    def __init__(self, url: str, prefix: str = PREFIX):
        # Short timeouts: a page must answer within its deadline even if Redis stalls.
        self.redis = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=1.0, socket_connect_timeout=1.0
        )
        self.prefix = prefix

    def _k(self, key: str) -> str:
        return self.prefix + key

    def get(self, key: str) -> str | None:
        return self.redis.get(self._k(key))

    def get_many(self, keys: list[str]) -> list[str | None]:
        return self.redis.mget([self._k(k) for k in keys]) if keys else []

    def set(self, key: str, value: str, ttl: float) -> None:
        self.redis.set(self._k(key), value, px=_ms(ttl))

    def add(self, key: str, value: str, ttl: float) -> bool:
        return bool(self.redis.set(self._k(key), value, px=_ms(ttl), nx=True))

    def take(self, key: str) -> str | None:
        return self.redis.getdel(self._k(key))

    def delete(self, *keys: str) -> None:
        if keys:
            self.redis.delete(*(self._k(k) for k in keys))

    def incr(self, key: str, amount: int, ttl: float) -> int:
        pipe = self.redis.pipeline()
        pipe.incrby(self._k(key), amount)
        pipe.pexpire(self._k(key), _ms(ttl), nx=True)
        value, _ = pipe.execute()
        return int(value)

    def expires_in(self, key: str) -> float | None:
        ms = self.redis.pttl(self._k(key))  # -2: absent (every key here has a TTL)
        return ms / 1000 if ms >= 0 else None

    def hash_get(self, key: str, fields: list[str]) -> list[str | None]:
        return self.redis.hmget(self._k(key), fields) if fields else []

    def hash_set(self, key: str, mapping: dict[str, str], ttl: float) -> None:
        if not mapping:
            return
        pipe = self.redis.pipeline()
        pipe.hset(self._k(key), mapping=mapping)
        pipe.pexpire(self._k(key), _ms(ttl))
        pipe.execute()

    def hash_fields(self, key: str) -> list[str]:
        return self.redis.hkeys(self._k(key))

    def hash_delete(self, key: str, fields: list[str]) -> None:
        if fields:
            self.redis.hdel(self._k(key), *fields)

    def ping(self) -> bool:
        try:
            return bool(self.redis.ping())
        except redis.RedisError:
            return False

    def clear(self) -> None:
        keys = list(self.redis.scan_iter(match=self.prefix + "*", count=500))
        for start in range(0, len(keys), 500):
            self.redis.delete(*keys[start : start + 500])
