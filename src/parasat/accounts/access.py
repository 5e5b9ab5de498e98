"""The only way views reach what belongs to a person."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from parasat.accounts.models import ApiToken, User


def get_api_token_for_user(user: User | AnonymousUser, pk: int) -> ApiToken:
    """``user``'s own API token ``pk``; 404 for anyone else's, as if it did not exist."""
    if not user.is_authenticated:
        raise Http404
    token = ApiToken.objects.filter(pk=pk, user=user).first()
    if token is None:
        raise Http404
    return token
