from django.urls import path

from parasat.finance import views

app_name = "finance"

# Mounted under /reviews/<slug>/finance/.
urlpatterns = [
    path("", views.finance_home, name="home"),
    path("check/", views.check_fragment, name="check"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/import/", views.entries_import, name="import"),
    path("entries/template.xlsx", views.import_template, name="import_template"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("entries/<int:pk>/document/", views.entry_document, name="entry_document"),
    path("funding/new/", views.funding_new, name="funding_new"),
    path("termination/", views.termination, name="termination"),
    path("report/", views.report_html, name="report"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
]
