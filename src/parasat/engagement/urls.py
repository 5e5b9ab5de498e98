"""/reviews/<slug>/events/…: one module of views per part of the work."""

from parasat.engagement.views import events, invitations

app_name = "engagement"

urlpatterns = [*events.urlpatterns, *invitations.urlpatterns]
