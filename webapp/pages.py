"""Every learner page in one upstream request: the page's own calls plus the chrome's.

The chrome (header, navigation, branding, language) needs the learner, the company's branding
for the learner's client, the company's strings and the languages; `load_page()` adds those
calls to the page's and sends them all together. Instance-level ones usually come from cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import g, session
from flask_babel import refresh

from .branding import Theme, theme_from
from .gql import Call, PageData, instance


@dataclass
class Chrome:
    """What the layout shows around every page."""

    theme: Theme = field(default_factory=Theme)
    user: object | None = None
    languages: list = field(default_factory=list)
    failure: Exception | None = None
    missing: list[str] = field(default_factory=list)


def company_details_call() -> Call:
    """The company's branding as the signed-in learner's client has it (or the company's own),
    cached once per client rather than once per learner."""
    user_id = session.get("user_id")
    if not user_id:
        return Call("CompanyDetails")
    client_id = session.get("client_id")
    return Call(
        "CompanyDetails", {"user": user_id}, cache_as={"client": client_id} if client_id else None
    )


def chrome_calls(signed_in: bool) -> list[Call]:
    calls = [
        company_details_call() if signed_in else Call("CompanyDetails"),
        Call("CompanyTranslations", {"namespace": "lms"}),
        Call("Languages"),
    ]
    if signed_in:
        calls.insert(0, Call("CurrentUser"))
    return calls


def load_page(*calls: Call) -> PageData:
    """Fetch the page's calls and the chrome's in one request; set up the chrome for the layout."""
    token = session.get("token")
    page = instance().fetch(*chrome_calls(bool(token)), *calls, token=token)
    use_chrome(page)
    return page


def load_fragment_strings() -> PageData:
    """For an HTMX fragment: the company's strings, from the shared cache (usually no request).

    A fragment has no header to fill, and the learner's language comes from the session
    (set by the last full page), so it need not fetch the learner at all.
    """
    page = instance().fetch(Call("CompanyTranslations", {"namespace": "lms"}))
    _use_company_strings(page)
    return page


def load_chrome() -> None:
    """The chrome alone, for pages with no data of their own (sign-in, errors)."""
    use_chrome(instance().fetch(*chrome_calls(False)))


def use_chrome(page: PageData) -> None:
    user = page["CurrentUser"]
    if user is not None and user.lang != g.get("user_lang"):
        g.user_lang = user.lang
        session["user_lang"] = user.lang  # fragments and redirects speak it without a fetch
        refresh()  # the locale may have been chosen before the learner's language was known
    _use_company_strings(page)
    client = getattr(user, "client", None)  # a client's learners see their client's name
    g.chrome = Chrome(
        theme=theme_from(page["CompanyDetails"], client.name if client else None),
        user=user,
        languages=page.get("Languages", []),
        failure=page.failure,
        missing=[m for m in page.missing if m not in ("CompanyTranslations", "Languages")],
    )


def _use_company_strings(page: PageData) -> None:
    g.company_strings = {
        entry.lang.split("-")[0]: entry.translations
        for entry in page.get("CompanyTranslations", [])
        if isinstance(entry.translations, dict)
    }


def chrome() -> Chrome:
    return g.get("chrome") or Chrome()
