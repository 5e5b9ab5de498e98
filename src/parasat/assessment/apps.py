from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "parasat.assessment"
    verbose_name = _("Self-assessment")

    def home_section(self, request: Any, reviews: list[Any]) -> str:
        """The landing page's hook: a contact person's work, due and returned."""
        # Models cannot be imported when the AppConfig module is (Django loads
        # app configs before models), hence the import here.
        from parasat.assessment.views.landing import landing_section

        return landing_section(request, reviews)
