"""The page of a person's API tokens: make one (shown once), see them, revoke."""

import pytest
from django.test import Client
from django.urls import reverse

from parasat.accounts import services
from parasat.accounts.models import ApiToken
from parasat.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/tokens/"


@pytest.fixture
def person():
    return UserFactory(username="aigerim")


def test_the_page_requires_sign_in(client_for):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_for(None).post(URL, {"name": "x", "days": 30}).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_token_is_shown_once_and_then_only_its_beginning(client_for, person):
    client = client_for(person)
    assert "You have no API tokens yet." in client.get(URL).text
    made = client.post(URL, {"name": "Reporting script", "days": "30"})
    assert made.status_code == 200
    token = ApiToken.objects.get()
    assert token.user == person
    secret = made.context["issued"].secret
    assert f'value="{secret}"' in made.text
    assert "it is shown only this once" in made.text
    assert "no-store" in made["Cache-Control"]
    again = client.get(URL)
    assert secret not in again.text
    assert f"{token.hint}…" in again.text
    assert "Reporting script" in again.text
    # The token works.
    api = Client().get("/api/account/tokens", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "days": "30"}, "This field is required."),
        ({"name": "x" * 101, "days": "30"}, "at most 100 characters"),
        ({"name": "ok", "days": "1000"}, "Select a valid choice."),
        ({"name": "ok", "days": "abc"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message(client_for, person, data, message):
    response = client_for(person).post(URL, data)
    assert response.status_code == 400
    assert message in response.text
    assert not ApiToken.objects.exists()


def test_the_service_s_refusal_shows_on_the_form(client_for, person, monkeypatch):
    monkeypatch.setattr(services, "MAX_ACTIVE_TOKENS", 1)
    client = client_for(person)
    client.post(URL, {"name": "first", "days": "7"})
    response = client.post(URL, {"name": "second", "days": "7"})
    assert response.status_code == 400
    assert "Revoke one you no longer use." in response.text
    assert ApiToken.objects.count() == 1


def test_with_htmx_errors_come_back_as_200_so_that_they_are_shown(client_for, person):
    response = client_for(person).post(
        URL, {"name": "", "days": "7"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.text


def test_a_person_revokes_their_token(client_for, person):
    issued = services.api_token_create(user=person, name="Old script", days=30)
    client = client_for(person)
    url = reverse("accounts:api_token_revoke", args=[issued.token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "The token “Old script” was revoked" in response.text
    assert '<span class="badge">revoked</span>' in response.text
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    refused = Client().get(
        "/api/account/tokens", headers={"Authorization": f"Bearer {issued.secret}"}
    )
    assert refused.status_code == 401


def test_nobody_else_revokes_a_token(client_for, person):
    issued = services.api_token_create(user=person, name="Script", days=30)
    url = reverse("accounts:api_token_revoke", args=[issued.token.pk])
    assert client_for(UserFactory(username="other")).post(url).status_code == 404
    assert client_for(None).post(url).status_code == 302  # to sign in
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_others_tokens_are_not_listed(client_for, person):
    services.api_token_create(user=UserFactory(username="other"), name="Theirs", days=30)
    assert "Theirs" not in client_for(person).get(URL).text


def test_the_page_keeps_its_query_count(client_for, person, django_assert_max_num_queries):
    client = client_for(person)
    services.api_token_create(user=person, name="one", days=30)
    client.get(URL)
    for n in range(10):
        services.api_token_create(user=person, name=f"more {n}", days=30)
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert response.text.count("<tr>") == 1 + 11
