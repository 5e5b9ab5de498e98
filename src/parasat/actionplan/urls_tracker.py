"""/tracker/<slug>/…: the public tracker of an adopted plan (signed out)."""

from parasat.actionplan.views.tracker import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
