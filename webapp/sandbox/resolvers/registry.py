"""Root resolvers register here by the TI field name they serve.

A resolver is `fn(ctx, **args)` with snake_case argument names. Each mutation field runs in
its own savepoint: an error halfway through undoes that field's writes and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

QUERIES: dict[str, Callable] = {}
MUTATIONS: dict[str, Callable] = {}

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


def query(field_name: str):
    def register(fn):
        @wraps(fn)
        def resolve(_root, info, **args):
            return fn(info.context, **{_snake(k): v for k, v in args.items()})

        QUERIES[field_name] = resolve
        return fn

    return register


def mutation(field_name: str):
    def register(fn):
        @wraps(fn)
        def resolve(_root, info, **args):
            conn = info.context.conn
            conn.execute("SAVEPOINT field")
            try:
                result = fn(info.context, **{_snake(k): v for k, v in args.items()})
            except BaseException:
                conn.execute("ROLLBACK TO field")
                raise
            finally:
                conn.execute("RELEASE field")
            return result

        MUTATIONS[field_name] = resolve
        return fn

    return register
