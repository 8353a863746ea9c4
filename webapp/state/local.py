"""Shared state in one SQLite file: what the processes of one machine share without Redis.

One connection per thread (SQLite connections are not to be shared between threads) and WAL,
so readers never wait for a writer. Expired rows are ignored on read and swept now and then.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time

from ..files import private_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (
    key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS hash (
    key TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (key, field));
"""


class SqliteState:
    def __init__(self, path: str, clock=time.time, prefix: str = ""):
        self.path = path
        self.prefix = prefix
        self._clock = clock
        self._local = threading.local()
        if path != ":memory:":
            private_file(path)  # sessions live here, and they hold learners' TI tokens
        db = self._connection()
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA synchronous = NORMAL")
            self._local.db = db
        return db

    def _db(self) -> _Transaction:
        """A write transaction, taken at once so a read-then-write step stays atomic."""
        return _Transaction(self._connection())

    def _read(self) -> sqlite3.Connection:
        return self._connection()  # one SELECT is atomic on its own

    # -- keys ---------------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        return self.get_many([key])[0]

    def get_many(self, keys: list[str]) -> list[str | None]:
        keys = [self.prefix + k for k in keys]
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        with self._read() as db:
            rows = dict(
                db.execute(
                    f"SELECT key, value FROM kv WHERE key IN ({marks}) AND expires_at > ?",
                    (*keys, self._clock()),
                ).fetchall()
            )
        return [rows.get(key) for key in keys]

    def set(self, key: str, value: str, ttl: float) -> None:
        key = self.prefix + key
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO kv (key, value, expires_at) VALUES (?, ?, ?)",
                (key, value, self._clock() + ttl),
            )
            self._sweep_now_and_then(db)

    def add(self, key: str, value: str, ttl: float) -> bool:
        key = self.prefix + key
        now = self._clock()
        with self._db() as db:
            db.execute("DELETE FROM kv WHERE key = ? AND expires_at <= ?", (key, now))
            cursor = db.execute(
                "INSERT OR IGNORE INTO kv (key, value, expires_at) VALUES (?, ?, ?)",
                (key, value, now + ttl),
            )
            return cursor.rowcount == 1

    def take(self, key: str) -> str | None:
        key = self.prefix + key
        with self._db() as db:
            row = db.execute(
                "DELETE FROM kv WHERE key = ? RETURNING value, expires_at", (key,)
            ).fetchone()
        return row[0] if row and row[1] > self._clock() else None

    def delete(self, *keys: str) -> None:
        keys = tuple(self.prefix + k for k in keys)
        with self._db() as db:
            db.executemany("DELETE FROM kv WHERE key = ?", [(k,) for k in keys])

    def incr(self, key: str, amount: int, ttl: float) -> int:
        key = self.prefix + key
        now = self._clock()
        with self._db() as db:
            db.execute("DELETE FROM kv WHERE key = ? AND expires_at <= ?", (key, now))
            db.execute(
                "INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + ?",
                (key, str(amount), now + ttl, amount),
            )
            (value,) = db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return int(value)

    def expires_in(self, key: str) -> float | None:
        key = self.prefix + key
        with self._read() as db:
            row = db.execute("SELECT expires_at FROM kv WHERE key = ?", (key,)).fetchone()
        left = row[0] - self._clock() if row else 0
        return left if left > 0 else None

    # -- hashes -------------------------------------------------------------------------------

    def hash_get(self, key: str, fields: list[str]) -> list[str | None]:
        key = self.prefix + key
        if not fields:
            return []
        marks = ",".join("?" * len(fields))
        with self._read() as db:
            rows = dict(
                db.execute(
                    f"SELECT field, value FROM hash WHERE key = ? AND field IN ({marks})"
                    " AND expires_at > ?",
                    (key, *fields, self._clock()),
                ).fetchall()
            )
        return [rows.get(field) for field in fields]

    def hash_set(self, key: str, mapping: dict[str, str], ttl: float) -> None:
        key = self.prefix + key
        if not mapping:
            return
        expires_at = self._clock() + ttl
        with self._db() as db:
            db.executemany(
                "INSERT OR REPLACE INTO hash (key, field, value, expires_at) VALUES (?, ?, ?, ?)",
                [(key, field, value, expires_at) for field, value in mapping.items()],
            )
            db.execute("UPDATE hash SET expires_at = ? WHERE key = ?", (expires_at, key))

    def hash_fields(self, key: str) -> list[str]:
        key = self.prefix + key
        with self._read() as db:
            rows = db.execute(
                "SELECT field FROM hash WHERE key = ? AND expires_at > ?", (key, self._clock())
            ).fetchall()
        return [field for (field,) in rows]

    def hash_delete(self, key: str, fields: list[str]) -> None:
        key = self.prefix + key
        with self._db() as db:
            db.executemany(
                "DELETE FROM hash WHERE key = ? AND field = ?", [(key, f) for f in fields]
            )

    # -- housekeeping -------------------------------------------------------------------------

    def ping(self) -> bool:
        try:
            with self._read() as db:
                db.execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def clear(self) -> None:
        with self._db() as db:
            db.execute("DELETE FROM kv")
            db.execute("DELETE FROM hash")

    def _sweep_now_and_then(self, db: sqlite3.Connection) -> None:
        if secrets.randbelow(200) == 0:
            now = self._clock()
            db.execute("DELETE FROM kv WHERE expires_at <= ?", (now,))
            db.execute("DELETE FROM hash WHERE expires_at <= ?", (now,))


class _Transaction:
    """`with`: BEGIN IMMEDIATE ... COMMIT (or ROLLBACK), so each call is atomic."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, *_) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")
