"""/reviews/<slug>/report/…: the team's pages, then the public read edition."""

from parasat.reports.views import read, translating, working

app_name = "reports"

urlpatterns = [*read.urlpatterns, *translating.urlpatterns, *working.urlpatterns]
