"""Sign in and out; every learner page requires a session."""

from .decorators import login_required
from .views import blueprint

__all__ = ["blueprint", "login_required"]
