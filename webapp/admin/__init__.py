"""Admin pages: branding preview, translation coverage, learners."""
