"""/reviews/<slug>/report/…: the team's pages, then the public read edition."""

from parasat.reports.views import read, translating, word, working

app_name = "reports"

urlpatterns = [*read.urlpatterns, *translating.urlpatterns, *word.urlpatterns, *working.urlpatterns]
