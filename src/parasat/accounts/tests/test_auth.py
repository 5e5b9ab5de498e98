import pytest
from django.urls import reverse

from parasat import settings as parasat_settings
from parasat.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(client):
    UserFactory(username="aigerim")
    response = client.post(
        reverse("login"), {"username": "aigerim", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].username == "aigerim"
    client.post(reverse("logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_wrong_password_says_so_without_saying_which(client):
    UserFactory(username="aigerim")
    response = client.post(reverse("login"), {"username": "aigerim", "password": "nope"})
    assert response.status_code == 200
    assert "username or password is wrong" in response.text
    # The username is kept; the cursor waits in the password field.
    assert 'name="username" autocomplete="username" required value="aigerim"' in response.text
    assert 'type="password" autocomplete="current-password" required autofocus' in response.text


def test_repeated_failures_lock_the_account_from_that_address(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="aigerim")
    for _ in range(3):
        client.post(reverse("login"), {"username": "aigerim", "password": "nope"})
    locked = client.post(
        reverse("login"), {"username": "aigerim", "password": "correct horse battery staple"}
    )
    assert locked.status_code == 429
    assert "Too many attempts" in locked.text


def test_password_reset_sends_a_link_by_email(client, mailoutbox):
    UserFactory(username="aigerim", email="aigerim@example.org")
    response = client.post(reverse("password_reset"), {"email": "aigerim@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_passwords_are_hashed_with_argon2_in_real_settings():
    # The test run swaps in a fast hasher; the settings module itself uses Argon2.
    assert parasat_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_password_change_requires_sign_in(client):
    assert client.get(reverse("password_change")).status_code == 302
