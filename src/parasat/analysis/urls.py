"""/reviews/<slug>/analysis/…: one module of views per part of the work."""

from parasat.analysis.views import editing, pages, workflow

app_name = "analysis"

# The fixed paths (recommendations/, scales/, stage/) come before an area's code.
urlpatterns = [
    *workflow.urlpatterns[:2],
    *pages.urlpatterns,
    *editing.urlpatterns,
    *workflow.urlpatterns[2:],
]
