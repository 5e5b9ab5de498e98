"""/reviews/<slug>/report/…: the team's pages, then the public read edition."""

from parasat.reports.views import read, working

app_name = "reports"

urlpatterns = [*read.urlpatterns, *working.urlpatterns]
