from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "parasat.finance"
    verbose_name = _("Finance")

    def load_example(self, data: dict[str, Any], review: Any) -> None:
        """The loader's hook: take the ``[budget]`` table of an example file."""
        # Models cannot be imported when the AppConfig module is (Django loads
        # app configs before models), hence the import here.
        from parasat.finance.services import budget_load_printed

        if "budget" in data:
            budget_load_printed(review=review, data=data["budget"])
