"""/reviews/<slug>/events/…: one module of views per part of the work."""

from parasat.engagement.views import events

app_name = "engagement"

urlpatterns = [*events.urlpatterns]
