"""TI's search query language, as far as the sandbox honours it.

    tags:"Premium Package"   authors:"Jack"   difficulty:Easy   leadership   "data science"

Terms are ANDed. `tags:` matches a tag label exactly (case-insensitive); `authors:` matches
part of an author's name; `kind:` a content kind; any other `field:` a custom field's value;
bare words and quoted phrases match the title, description, tags or authors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TERM = re.compile(r'([A-Za-z][\w-]*):"([^"]*)"|([A-Za-z][\w-]*):(\S+)|"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Term:
    field: str | None  # None: free text
    value: str


def parse_query(text: str | None) -> list[Term]:
    terms = []
    for m in _TERM.finditer(text or ""):
        if m.group(1) is not None:
            terms.append(Term(m.group(1).lower(), m.group(2).casefold()))
        elif m.group(3) is not None:
            terms.append(Term(m.group(3).lower(), m.group(4).casefold()))
        else:
            phrase = m.group(5) if m.group(5) is not None else m.group(6)
            if phrase.strip():
                terms.append(Term(None, phrase.casefold()))
    return terms


def matches(terms: list[Term], item: dict) -> bool:
    """`item` is a shaped Content dict (title, description, tags, authors, kind, customFields)."""
    return all(_matches(term, item) for term in terms)


def relevance(terms: list[Term], item: dict) -> int:
    """How strongly free-text terms hit: a title hit counts more than one elsewhere."""
    title = (item.get("title") or "").casefold()
    return sum(3 if t.value in title else 1 for t in terms if t.field is None)


def _matches(term: Term, item: dict) -> bool:
    tags = [(t.get("label") or "").casefold() for t in item.get("tags") or []]
    authors = [(a or "").casefold() for a in item.get("authors") or []]
    if term.field in ("tags", "tag"):
        return term.value in tags
    if term.field in ("authors", "author"):
        return any(term.value in a for a in authors)
    if term.field == "kind":
        return (item.get("kind") or "").casefold() == term.value
    if term.field is not None:
        fields = {k.casefold(): v for k, v in (item.get("customFields") or {}).items()}
        value = fields.get(term.field)
        values = value if isinstance(value, list) else [value]
        return any(v is not None and str(v).casefold() == term.value for v in values)
    haystack = [
        (item.get("title") or "").casefold(),
        (item.get("description") or "").casefold(),
        *tags,
        *authors,
    ]
    return any(term.value in h for h in haystack)
