from django.urls import path

from parasat.reviews import views

app_name = "reviews"

urlpatterns = [
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/correspondence/", views.correspondence, name="correspondence"),
    path("<slug:slug>/amendments/", views.amendments, name="amendments"),
    path("<slug:slug>/signatures/<int:pk>/", views.signature_edit, name="signature_edit"),
    path("<slug:slug>/deliveries/", views.deliveries, name="deliveries"),
    path("<slug:slug>/files/<str:kind>/<int:pk>/", views.attachment, name="attachment"),
]
