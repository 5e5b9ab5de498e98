"""Who may do what in the toolkit. The toolkit is global, not per review: any
signed-in person may read it; staff, and people holding the analyst role in
any review, may import questionnaires and make new versions."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from parasat.accounts.models import User
from parasat.reviews.access import user_has_role_anywhere
from parasat.reviews.permissions import Perm
from parasat.toolkit import selectors
from parasat.toolkit.models import Questionnaire


def can_manage_toolkit(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or user_has_role_anywhere(user, Perm.MANAGE_TOOLKIT)


def check_toolkit_manager(user: User | AnonymousUser) -> None:
    """Raise PermissionDenied unless ``user`` may change the toolkit."""
    if not can_manage_toolkit(user):
        raise PermissionDenied


def get_questionnaire(identifier: str, version: int | None = None) -> Questionnaire:
    """The questionnaire version (the newest one by default), or 404."""
    questionnaire = selectors.questionnaire_by_identifier(identifier, version)
    if questionnaire is None:
        raise Http404
    return questionnaire
