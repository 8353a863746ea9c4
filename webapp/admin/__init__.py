"""Admin pages: branding preview, translation coverage, learners (CurrentUser.roleKey admin)."""

from . import branding_views, learner_views, translation_views  # the routes register themselves
from .access import is_admin
from .views import blueprint

# The header's admin link asks the same question the admin pages do.
blueprint.add_app_template_global(is_admin, "is_admin")

__all__ = ["blueprint", "branding_views", "learner_views", "translation_views"]
