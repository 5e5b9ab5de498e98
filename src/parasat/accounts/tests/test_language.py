import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from parasat.accounts import services
from parasat.accounts.models import User
from parasat.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def switch(client, language: str):
    return client.post(reverse("set_language"), {"language": language, "next": "/toolkit/"})


def test_switching_language_is_kept_on_the_account(client):
    person = UserFactory(username="aigerim")
    client.force_login(person, backend="parasat.accounts.backends.CachedModelBackend")
    response = switch(client, "kk")
    assert response.status_code == 302 and response["Location"] == "/toolkit/"
    assert response.cookies["django_language"].value == "kk"
    person.refresh_from_db()
    assert person.language == "kk"
    switch(client, "ru")
    person.refresh_from_db()
    assert person.language == "ru"


def test_an_unknown_language_changes_nothing(client):
    person = UserFactory(username="aigerim", language="ru")
    client.force_login(person, backend="parasat.accounts.backends.CachedModelBackend")
    response = switch(client, "xx")
    assert response.status_code == 302 and "django_language" not in response.cookies
    assert User.objects.get(pk=person.pk).language == "ru"
    client.get(reverse("set_language") + "?language=kk")  # only a POST switches
    assert User.objects.get(pk=person.pk).language == "ru"


def test_anonymous_switch_only_sets_the_cookie(client):
    response = switch(client, "kk")
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "kk"
    assert not User.objects.exclude(language="").exists()


def test_the_switch_needs_the_csrf_token(client):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory(), backend="parasat.accounts.backends.CachedModelBackend")
    assert switch(strict, "kk").status_code == 403
    assert not User.objects.exclude(language="").exists()


def test_user_language_set_refuses_other_languages():
    person = UserFactory()
    with pytest.raises(ValidationError):
        services.user_language_set(user=person, language="de")
    assert services.user_language_set(user=person, language="kk")
    assert not services.user_language_set(user=person, language="kk")
    person.refresh_from_db()
    assert person.language == "kk"


def sign_in(client, username: str):
    return client.post(
        reverse("login"),
        {"username": username, "password": "correct horse battery staple", "next": "/toolkit/"},
    )


def test_the_language_chosen_on_the_account_is_applied_at_sign_in(client):
    """Signing in from another browser (no language cookie, an English one)
    brings the person's language with them."""
    UserFactory(username="aigerim", language="kk")
    client.cookies["django_language"] = "en"
    response = sign_in(client, "aigerim")
    assert response.status_code == 302 and response["Location"] == "/toolkit/"
    assert response.cookies["django_language"].value == "kk"
    assert '<html lang="kk">' in client.get(reverse("home")).text


def test_without_a_chosen_language_sign_in_keeps_the_browser_s(client):
    UserFactory(username="aigerim", language="")
    client.cookies["django_language"] = "ru"
    response = sign_in(client, "aigerim")
    assert "django_language" not in response.cookies
    assert '<html lang="ru">' in client.get(reverse("home")).text


def test_a_failed_sign_in_sets_no_language(client):
    UserFactory(username="aigerim", language="kk")
    response = client.post(reverse("login"), {"username": "aigerim", "password": "nope"})
    assert response.status_code == 200 and "django_language" not in response.cookies
