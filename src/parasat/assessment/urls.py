"""/reviews/<slug>/assessment/…: one module of views per part of the work."""

from parasat.assessment.views import answering, data, work

app_name = "assessment"

urlpatterns = [*work.urlpatterns, *answering.urlpatterns, *data.urlpatterns]
