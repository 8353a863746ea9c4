"""Who may use the admin pages: signed-in users whose CurrentUser.roleKey is `admin`.

The role comes from the CurrentUser the page loads anyway (`load_admin`), or, for an action or
a download with no page to load, from CurrentUser alone (`require_admin`). A view that forgot
to check is refused after the fact (fail closed), and anyone who is not an admin gets the
app's 403 page.
"""

from __future__ import annotations

import logging
from functools import wraps

from flask import abort, g, request, session

from ..auth import learner_token
from ..auth.decorators import to_sign_in
from ..gql import Call, PageData, instance
from ..pages import load_page

log = logging.getLogger("atrium.admin")
ADMIN_ROLE = "admin"


def admin_required(view):
    """Signed in (else to sign-in and back) and, once the view checked it, an admin (else 403)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not session.get("token"):
            return to_sign_in()
        g.admin_checked = False
        response = view(*args, **kwargs)
        if not g.get("admin_checked"):
            log.error("admin view %s answered without checking the role", request.endpoint)
            abort(403)
        return response

    return wrapper


def is_admin(user) -> bool:
    """Whether this CurrentUser may use the admin pages: the one rule for the pages and for
    the header's link to them (a template global, `is_admin(user)`)."""
    return user is not None and (user.role_key or "").strip().lower() == ADMIN_ROLE


def check_admin(user, failure: Exception | None = None):
    """The admin CurrentUser, or abort: 403 for anyone else, the instance's failure if unknown."""
    if user is None:
        if failure is not None:
            raise failure  # the instance is busy or down: we cannot tell who this is
        abort(403)
    if not is_admin(user):
        abort(403)
    g.admin_checked = True
    g.admin_user = user
    return user


def load_admin(*calls: Call) -> PageData:
    """`load_page` for an admin page: the page's calls and the chrome's, the role checked."""
    page = load_page(*calls)
    check_admin(page["CurrentUser"], page.failure)
    return page


def require_admin():
    """For actions and downloads that load no page: CurrentUser alone, the role checked."""
    page = instance().fetch(Call("CurrentUser"), token=learner_token())
    return check_admin(page["CurrentUser"], page.failure)


def fetch_admin(*calls: Call) -> PageData:
    """Some calls and CurrentUser in one request, without the chrome (for non-page answers)."""
    page = instance().fetch(Call("CurrentUser"), *calls, token=learner_token())
    check_admin(page["CurrentUser"], page.failure)
    return page
