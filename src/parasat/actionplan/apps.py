from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlanConfig(AppConfig):
    name = "parasat.actionplan"
    label = "actionplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        # The progress reminders go out on the self-assessment's schedule
        # (``parasat serve`` queues it), which does not know this app.
        from parasat.actionplan.tasks import send_progress_reminders
        from parasat.assessment.tasks import schedule_with_reminders

        schedule_with_reminders(send_progress_reminders)

    def load_example(self, data: dict[str, Any], review: Any) -> None:
        """The loader's hook: the ``[actionplan]`` table of an example file (an
        illustrative plan for the example's recommendations)."""
        # Models cannot be imported when the AppConfig module is.
        from parasat.actionplan.examples import example_load

        example_load(data=data.get("actionplan") or {}, review=review)
