from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "parasat.engagement"
    verbose_name = _("Engagement")

    def ready(self) -> None:
        # The analysis shows which events discussed a finding through its hook.
        from parasat.analysis import mentions
        from parasat.engagement.mentions import decisions_mentioning
        from parasat.engagement.survey_mentions import survey_results_cited

        mentions.register(decisions_mentioning)
        # ... and which survey results a finding cites.
        mentions.register(survey_results_cited)

    def load_example(self, data: dict[str, Any], review: Any) -> None:
        """The loader's hook: the five events of the agreement, and the
        ``[engagement]`` table of an example file (illustrative dates)."""
        # Models cannot be imported when the AppConfig module is.
        from parasat.engagement.examples import example_load

        example_load(data=data.get("engagement") or {}, review=review)
