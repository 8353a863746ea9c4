"""Admin pages: branding preview, translation coverage, learners (CurrentUser.roleKey admin)."""

from . import branding_views, learner_views, translation_views  # the routes register themselves
from .views import blueprint

__all__ = ["blueprint", "branding_views", "learner_views", "translation_views"]
