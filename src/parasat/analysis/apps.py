from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "parasat.analysis"
    verbose_name = _("Analysis")

    def load_example(self, data: dict[str, Any], review: Any) -> None:
        """The loader's hook: the shipped rating scales, and the ``[analysis]``
        table of an example file (an illustrative analysis of a few areas)."""
        # Models cannot be imported when the AppConfig module is (Django loads
        # app configs before models), hence the import here.
        from parasat.analysis.examples import example_load

        example_load(data=data.get("analysis") or {}, review=review)
