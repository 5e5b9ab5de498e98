"""/reviews/<slug>/plan/…: one module of views per part of the work."""

from parasat.actionplan.views import monitoring, plan

app_name = "actionplan"

urlpatterns = [*monitoring.urlpatterns, *plan.urlpatterns]
