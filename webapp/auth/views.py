"""Sign in with the instance's Login mutation; sign out with Logout."""

from __future__ import annotations

from contextlib import suppress

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..gql import Call, InstanceError, OperationFailed, RateLimited, instance
from ..pages import load_chrome, load_page
from ..progress.first_views import first_view_lists, sign_in_calls
from ..progress.plan import remember_answers
from ..security import safe_next
from ..throttles import sign_in_attempts
from .decorators import learner_token, start_session
from .forms import LoginForm, LogoutForm

blueprint = Blueprint("auth", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
@sign_in_attempts
def login():
    """Sign in; on success go to `next` (one of our own paths) or the dashboard."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    destination = safe_next(form.next.data, url_for("dashboard.index"))
    if learner_token() and request.method == "GET":
        return redirect(destination)
    error = None
    status = 200
    if form.validate_on_submit():
        error, status = _sign_in(form.email.data.strip(), form.password.data)
        if error is None:
            return redirect(destination, 303)
    elif request.method == "POST":
        status = 422
    load_chrome()
    return render_template(
        "auth/login.html", form=form, error=error, demo_accounts=demo_accounts()
    ), status


def demo_accounts() -> list[tuple[str, str, str]]:
    """The instance's demo accounts (email, password, who), for the sign-in page: only those
    in DEMO_ACCOUNTS (the embedded sandbox's), never a real instance's."""
    accounts = current_app.config.get("DEMO_ACCOUNTS") or ()

    who = {
        "learner@acme.test": _(
            "%(name)s: a learner with two licenses and a credit balance.",
            name="Jamie Rivera",
        ),
        "learner2@acme.test": _(
            "%(name)s: a learner who speaks French, at the client Globex (its own branding).",
            name="Camille Martin",
        ),
        "admin@acme.test": _(
            "%(name)s: an administrator, who also sees the admin pages.", name="Alex Morgan"
        ),
    }
    return [(email, password, who.get(email, what)) for email, password, what in accounts]


def _sign_in(email: str, password: str) -> tuple[str | None, int]:
    client = instance()
    try:
        token = client.mutate(Call("Login", {"email": email, "password": password}))
        # The learner, and what their first pages will show, in one request.
        page = client.fetch(Call("CurrentUser"), *sign_in_calls(), token=token)
        if page.failure:
            raise page.failure
    except OperationFailed as failed:
        if failed.code == "INVALID_CREDENTIALS":
            return _(
                "That email and password don't match an account. Check them and try again."
            ), 401
        return failed.errors[0].message, 403
    except RateLimited as limited:
        return _(
            "The learning platform is busy. Try again in %(seconds)d seconds.",
            seconds=limited.seconds,
        ), 429
    except InstanceError:
        return _("We couldn't reach the learning platform. Try again in a moment."), 503
    user = page["CurrentUser"]
    if user is None:
        return _("We couldn't reach the learning platform. Try again in a moment."), 503
    start_session(token, user)
    # Known from now on, so an action can word its message in the learner's language in its
    # own request, whatever page (or none) came before it (i18n.select_locale).
    session["user_lang"] = user.lang
    remember_answers(page, first_view_lists())
    return None, 200


@blueprint.get("/logout")
def confirm_logout():
    """A link or a typed address can't sign anyone out (that takes a POST with the CSRF
    token): a signed-in learner gets a page with the sign-out button, a visitor goes to sign in."""
    if not learner_token():
        return redirect(url_for("auth.login"), 303)
    load_page()
    return render_template("auth/logout.html", form=LogoutForm())


@blueprint.post("/logout")
def logout():
    """Sign out upstream (the token dies there too) and end the session."""
    form = LogoutForm()
    if not form.validate_on_submit():
        flash(_("Your sign-out request expired. Please try again."), "error")
        return redirect(url_for("dashboard.index"), 303)
    token = learner_token()
    if token:
        # Signed out here regardless; if the instance can't be told, the token expires there.
        with suppress(InstanceError):
            instance().mutate(Call("Logout"), token=token)
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"), 303)
