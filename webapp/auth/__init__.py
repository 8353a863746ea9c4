"""Sign in and out; every learner page requires a session."""

from .decorators import learner_token, login_required
from .views import blueprint

__all__ = ["blueprint", "learner_token", "login_required"]
