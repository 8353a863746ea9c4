"""Which fields of the instance's answers the app actually reads, while pages render.

Every generated result class (webapp/gql/types.py) is patched to record its instances being
built and its fields being read; `unread()` then names each field that was fetched but that no
template or code looked at.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from webapp.gql import types as gql_types


class FieldReads:
    def __init__(self):
        self.built: set[str] = set()
        self.read: set[tuple[str, str]] = set()
        self._saved: list[tuple[type, dict]] = []

    def install(self) -> None:
        for cls in vars(gql_types).values():
            if isinstance(cls, type) and dataclasses.is_dataclass(cls):
                self._patch(cls)

    def _patch(self, cls: type) -> None:
        fields = frozenset(f.name for f in dataclasses.fields(cls))
        original_init = cls.__init__
        reads, built, name = self.read, self.built, cls.__name__

        def init(obj, *args, **kwargs):
            built.add(name)
            original_init(obj, *args, **kwargs)

        def getattribute(obj, attr):
            if attr in fields:
                reads.add((name, attr))
            return object.__getattribute__(obj, attr)

        self._saved.append((cls, {"__init__": original_init}))
        cls.__init__ = init
        cls.__getattribute__ = getattribute

    def uninstall(self) -> None:
        for cls, saved in self._saved:
            cls.__init__ = saved["__init__"]
            del cls.__getattribute__
        self._saved.clear()

    def unread(self) -> dict[str, list[str]]:
        """Per result class built during the tour, the fields nothing read."""
        missing = defaultdict(list)
        for cls in vars(gql_types).values():
            if (
                isinstance(cls, type)
                and dataclasses.is_dataclass(cls)
                and cls.__name__ in self.built
            ):
                for f in dataclasses.fields(cls):
                    if (cls.__name__, f.name) not in self.read:
                        missing[cls.__name__].append(f.name)
        return dict(missing)
