"""/reviews/<slug>/plan/…: one module of views per part of the work."""

from parasat.actionplan.views import plan

app_name = "actionplan"

urlpatterns = [*plan.urlpatterns]
