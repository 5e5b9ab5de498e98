from django.urls import path

from parasat.toolkit import views

app_name = "toolkit"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("upload/", views.upload, name="upload"),
    path("areas/<str:code>/", views.area, name="area"),
    path("q/<str:identifier>/", views.questionnaire_latest, name="questionnaire_latest"),
    path("q/<str:identifier>/compare/", views.compare, name="compare"),
    path("q/<str:identifier>/v<int:version>/", views.questionnaire, name="questionnaire"),
    path("q/<str:identifier>/v<int:version>/xlsform/", views.download, name="download"),
    path("q/<str:identifier>/v<int:version>/new-version/", views.new_version, name="new_version"),
    path("q/<str:identifier>/v<int:version>/area/", views.file_under, name="file_under"),
]
