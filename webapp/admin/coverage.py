"""Translation coverage: what each language lacks against the default, and which of Atrium's
strings the company leaves to Atrium's own catalogs.

Atrium's company keys are the first arguments of `t(...)`/`tn(...)` in the templates and the
Python code (and the learner pages' title keys); they are collected once, at start.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..i18n import base_language
from .learner_import import neutralise

DEFAULT_LANGUAGE = "en"
NAMESPACES = ("lms", "emails")
MISSING = "missing"
EMPTY = "empty"
NOT_OVERRIDDEN = "not overridden"
_KEY_CALL = re.compile(r"""(?<![\w.])tn?\(\s*["']([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)["']""")


@cache
def app_keys(root: str) -> frozenset[str]:
    """Every company key Atrium asks for, from the sources under `root` (the webapp package)."""
    from ..learner_pages import LEARNER_PAGES

    base = Path(root)
    keys = {page.nav_key for page in LEARNER_PAGES}
    sources = [*sorted((base / "templates").rglob("*.html")), *sorted(base.rglob("*.py"))]
    for path in sources:
        if "sandbox" in path.relative_to(base).parts:
            continue  # the embedded instance, not Atrium's pages
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        keys.update(_KEY_CALL.findall(text))
    return frozenset(keys)


def flatten(strings: object, prefix: str = "") -> dict[str, object]:
    """{"a": {"b": "x"}} -> {"a.b": "x"}: instances may nest keys; Atrium looks them up dotted."""
    if not isinstance(strings, dict):
        return {}
    flat: dict[str, object] = {}
    for key, value in strings.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


@dataclass(frozen=True)
class Gap:
    language: str
    namespace: str
    key: str
    status: str
    default_text: str = ""
    app_uses: bool = False


@dataclass
class LanguageCoverage:
    code: str
    label: str
    is_default: bool
    # namespace -> its gaps (None: that namespace could not be loaded)
    gaps: dict[str, list[Gap] | None] = field(default_factory=dict)
    present: dict[str, bool] = field(default_factory=dict)  # has any strings in the namespace
    totals: dict[str, int] = field(default_factory=dict)  # keys in the default language

    def of(self, namespace: str, status: str) -> list[Gap]:
        return [g for g in self.gaps.get(namespace) or [] if g.status == status]

    def translated(self, namespace: str) -> int:
        gaps = self.gaps.get(namespace) or []
        return self.totals.get(namespace, 0) - len([g for g in gaps if g.status != NOT_OVERRIDDEN])


@dataclass
class Coverage:
    languages: list[LanguageCoverage]
    loaded: dict[str, bool]

    def rows(self) -> list[Gap]:
        return [
            gap
            for language in self.languages
            for namespace in NAMESPACES
            for gap in language.gaps.get(namespace) or []
        ]


def _tables(entries) -> dict[str, dict[str, object]]:
    tables: dict[str, dict[str, object]] = {}
    for entry in entries or []:
        if entry is None or not isinstance(entry.lang, str):
            continue
        tables.setdefault(entry.lang, {}).update(flatten(entry.translations))
    return tables


def _lookup(tables: dict[str, dict], code: str) -> dict[str, object] | None:
    if code in tables:
        return tables[code]
    return tables.get(base_language(code))


def measure(languages: list[tuple[str, str]], namespaces: dict, keys: frozenset[str]) -> Coverage:
    """Coverage for `languages` ((code, label) pairs) over `namespaces` (name -> the
    CompanyTranslations entries, or None when they could not be loaded)."""
    tables = {name: _tables(entries) for name, entries in namespaces.items() if entries is not None}
    result = Coverage([], {name: name in tables for name in namespaces})
    for code, label in languages:
        language = LanguageCoverage(code, label, base_language(code) == DEFAULT_LANGUAGE)
        for name in namespaces:
            if name not in tables:
                language.gaps[name] = None
                continue
            default = _lookup(tables[name], DEFAULT_LANGUAGE) or {}
            strings = _lookup(tables[name], code)
            language.present[name] = bool(strings)
            strings = strings or {}
            language.totals[name] = len(default)
            gaps: list[Gap] = []
            for key in sorted(default):
                english = default[key] if isinstance(default[key], str) else ""
                if key not in strings:
                    status = MISSING
                elif _blank(strings[key]):
                    status = EMPTY
                else:
                    continue
                gaps.append(Gap(code, name, key, status, english, name == "lms" and key in keys))
            if name == "lms":
                reported = {g.key for g in gaps}
                gaps += [
                    Gap(code, name, key, NOT_OVERRIDDEN, "", True)
                    for key in sorted(keys)
                    if key not in reported and _blank(strings.get(key))
                ]
            language.gaps[name] = gaps
        result.languages.append(language)
    return result


def coverage_csv(coverage: Coverage) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["language", "namespace", "key", "status"])
    for gap in coverage.rows():
        writer.writerow([neutralise(v) for v in (gap.language, gap.namespace, gap.key, gap.status)])
    return out.getvalue()
