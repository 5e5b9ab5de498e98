from django.contrib import admin
from django.urls import include, path

from parasat.accounts import views as account_views
from parasat.api import api
from parasat.core import views as core_views
from parasat.reviews import views as review_views

urlpatterns = [
    path("", review_views.home, name="home"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/", include("parasat.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("reviews/<slug:slug>/finance/", include("parasat.finance.urls")),
    path("reviews/<slug:slug>/assessment/", include("parasat.assessment.urls")),
    path("reviews/<slug:slug>/analysis/", include("parasat.analysis.urls")),
    path("reviews/<slug:slug>/events/", include("parasat.engagement.urls")),
    path("reviews/<slug:slug>/report/", include("parasat.reports.urls")),
    path("reviews/", include("parasat.reviews.urls")),
    path("toolkit/", include("parasat.toolkit.urls")),
    path("jobs/", include("parasat.jobs.urls")),
    path("translations/", review_views.translations, name="translations"),
    path("healthz", core_views.healthz, name="healthz"),
    path("ping", core_views.ping, name="ping"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
