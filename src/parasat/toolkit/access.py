"""Who may do what in the toolkit. The toolkit is global, not per review: any
signed-in person may read it. Managing it (importing questionnaires, making
new versions, filing them under areas) changes what every review assigns
next, so it is a right of the account itself: staff, or a person given the
permission "Can manage the shared toolkit" (``toolkit.manage_toolkit``)
directly or through a group in the administration. No role in a review
grants it: an analyst of one review must not reshape another's questionnaires."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from parasat.accounts.models import User
from parasat.toolkit import selectors
from parasat.toolkit.models import Questionnaire

MANAGE_TOOLKIT = "toolkit.manage_toolkit"


def can_manage_toolkit(user: User | AnonymousUser) -> bool:
    """Staff, or the account (or one of its groups) holds ``toolkit.manage_toolkit``."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_staff) or user.has_perm(MANAGE_TOOLKIT)


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
