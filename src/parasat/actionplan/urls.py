"""/reviews/<slug>/plan/…: one module of views per part of the work."""

from parasat.actionplan.views import monitoring, plan, transfer

app_name = "actionplan"

urlpatterns = [*monitoring.urlpatterns, *transfer.urlpatterns, *plan.urlpatterns]
