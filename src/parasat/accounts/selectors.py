"""Reads about people."""

from __future__ import annotations

from django.db.models import QuerySet

from parasat.accounts.models import ApiToken, User


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """``user``'s API tokens, the newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
