"""Fixtures shared by every app: one persona per role in one signed review."""

from __future__ import annotations

import pytest
from django.test import Client

from parasat.accounts.models import User
from parasat.core.testing.factories import ParticipantFactory, UserFactory, signed_review
from parasat.reviews.models import Review, Role


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def review(db) -> Review:
    return signed_review(slug="kz-test")


@pytest.fixture
def persona(review):
    """persona(role) -> a user holding that role in ``review``."""
    made: dict[str, User] = {}

    def make(role: str) -> User:
        if role not in made:
            user = UserFactory(username=f"{role}-user")
            ParticipantFactory(review=review, user=user, role=role)
            made[role] = user
        return made[role]

    return make


@pytest.fixture
def stranger(db) -> User:
    """Signed in, but takes no part in the review."""
    return UserFactory(username="stranger")


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as ``user`` (a fresh one each call)."""

    def make(user: User | None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


ALL_ROLES = [r.value for r in Role]
