"""/reviews/<slug>/events/… and /reviews/<slug>/consultations/…: one module
of views per part of the work."""

from django.urls import include, path

from parasat.engagement.views import consultations, events, invitations, minutes, surveys

app_name = "engagement"

urlpatterns = [
    path("events/", include([*events.urlpatterns, *invitations.urlpatterns, *minutes.urlpatterns])),
    path("consultations/", include(consultations.urlpatterns)),
    path("surveys/", include(surveys.urlpatterns)),
]
