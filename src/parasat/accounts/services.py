"""Writes about people."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parasat.accounts.models import User


def user_language_set(*, user: User, language: str) -> bool:
    """Remember the language ``user`` chose, so that what is sent to them
    (emails) is written in it. Returns False when it was already theirs."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("Choose one of the site's languages."))
    if user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True
