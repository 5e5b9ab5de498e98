from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitConfig(AppConfig):
    name = "parasat.toolkit"
    verbose_name = _("Integrity toolkit")
