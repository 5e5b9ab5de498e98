"""Calling the JSON API with a personal token or a session: who the caller is,
when credentials are refused (401, never a silent sign-out), CSRF."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from parasat.accounts import services
from parasat.accounts.models import ApiToken
from parasat.accounts.tests.factories import UserFactory
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def token_for(user, **kwargs) -> str:
    return services.api_token_create(user=user, name="Script", days=30, **kwargs).secret


def test_a_token_calls_the_api_as_its_person(client_for, persona, review):
    secret = token_for(persona(Role.ANALYST))
    client = client_for(None)
    listed = client.get("/api/reviews", headers=bearer(secret))
    assert listed.status_code == 200
    assert [r["slug"] for r in listed.json()["items"]] == ["kz-test"]
    people = client.get(f"/api/reviews/{review.slug}/people", headers=bearer(secret))
    assert Role.ANALYST in {p["role"] for p in people.json()["items"]}
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_made_revoked_and_then_refused(client_for, persona, review):
    """The issue's test: a call with a token works; with the token revoked, it is refused."""
    user = persona(Role.COORDINATOR)
    secret = token_for(user)
    client = client_for(None)
    url = f"/api/reviews/{review.slug}/timeline"
    assert client.get(url, headers=bearer(secret)).status_code == 200
    services.api_token_revoke(token=ApiToken.objects.get())
    refused = client.get(url, headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This API token was revoked."}
    assert refused["WWW-Authenticate"] == 'Bearer realm="Parasat", error="invalid_token"'


def test_an_expired_token_is_refused(client_for, persona, review):
    secret = token_for(persona(Role.COORDINATOR))
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused = client_for(None).get(f"/api/reviews/{review.slug}", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This API token has expired."}


@pytest.mark.parametrize(
    "header",
    ["Bearer psat_not-a-token", "Bearer ", "Bearer", "Token psat_x", "psat_x"],
)
def test_a_bad_authorization_header_is_401_even_where_signed_out_callers_may_read(
    client_for, review, header
):
    review.is_public = True
    review.save()
    client = client_for(None)
    assert client.get(f"/api/reviews/{review.slug}").status_code == 200
    refused = client.get(f"/api/reviews/{review.slug}", headers={"Authorization": header})
    assert refused.status_code == 401
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json()["detail"]


def test_basic_credentials_are_left_to_a_proxy_in_front_of_the_site(client_for, persona, review):
    headers = {"Authorization": "Basic YWxhZGRpbjpvcGVuc2VzYW1l"}
    assert (
        client_for(persona(Role.ANALYST)).get("/api/reviews", headers=headers).json()["count"] == 1
    )
    assert client_for(None).get("/api/reviews", headers=headers).status_code == 200


def test_a_token_gives_its_person_s_permissions_not_more(client_for, persona, stranger, review):
    """A stranger's token does not reach a private review; a participant's does."""
    client = client_for(None)
    url = f"/api/reviews/{review.slug}/people"
    assert client.get(url, headers=bearer(token_for(stranger))).status_code == 404
    assert client_for(stranger).get(url).status_code == 404  # as with the session
    assert client.get(url, headers=bearer(token_for(persona(Role.BUSINESS)))).status_code == 200


def test_a_token_wins_over_the_session_it_travels_with(client_for, persona, stranger, review):
    client = client_for(stranger)
    url = f"/api/reviews/{review.slug}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=bearer(token_for(persona(Role.EXPERT)))).status_code == 200


def test_an_ended_session_is_401_not_anonymous(client_for, persona, review):
    review.is_public = True
    review.save()
    client = client_for(persona(Role.ANALYST))
    assert client.get("/api/reviews").status_code == 200
    Session.objects.all().delete()
    cache.clear()  # the cached_db session engine keeps a copy
    refused = client.get(f"/api/reviews/{review.slug}")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Your session has ended. Sign in again."}


def test_a_session_of_a_deleted_person_is_401(client_for, review):
    person = UserFactory(username="leaving")
    client = client_for(person)
    assert client.get("/api/reviews").status_code == 200
    person.delete()
    assert client.get("/api/reviews").status_code == 401


def test_a_signed_out_caller_without_credentials_is_not_401_on_reads(client_for, review):
    assert client_for(None).get("/api/reviews").status_code == 200
    assert client_for(None).get(f"/api/reviews/{review.slug}").status_code == 404


# --- the API's own token operations, and CSRF -----------------------------------


def csrf_client(user) -> tuple[Client, str]:
    """A client that checks CSRF as a browser meets it, signed in, with its CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="parasat.accounts.backends.CachedModelBackend")
    client.get("/accounts/login/")
    return client, client.cookies["csrftoken"].value


def test_my_tokens_are_listed_without_their_secret(client_for):
    person = UserFactory(username="aigerim")
    secret = token_for(person)
    token_for(UserFactory(username="someone-else"))
    data = client_for(person).get("/api/account/tokens").json()
    assert data["count"] == 1
    assert data["items"][0]["name"] == "Script"
    assert data["items"][0]["hint"] == secret[:11]
    assert secret not in str(data)


def test_a_token_revokes_without_csrf(client_for):
    person = UserFactory(username="aigerim")
    secret = token_for(person)
    token = ApiToken.objects.get()
    client = Client(enforce_csrf_checks=True)
    response = client.delete(f"/api/account/tokens/{token.pk}", headers=bearer(secret))
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    # It revoked itself: the next call is refused.
    assert client.get("/api/account/tokens", headers=bearer(secret)).status_code == 401


def test_a_session_write_needs_the_csrf_token(client_for):
    person = UserFactory(username="aigerim")
    token_for(person)
    token = ApiToken.objects.get()
    client, csrf = csrf_client(person)
    url = f"/api/account/tokens/{token.pk}"
    refused = client.delete(url)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.delete(url, headers={"X-CSRFToken": csrf}).status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_writes_require_sign_in(client_for):
    token_for(UserFactory(username="aigerim"))
    token = ApiToken.objects.get()
    response = client_for(None).delete(f"/api/account/tokens/{token.pk}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="Parasat"'
    assert "Authorization: Bearer" in response.json()["detail"]
    assert client_for(None).get("/api/account/tokens").status_code == 401


def test_someone_else_s_token_is_not_found(client_for):
    token_for(UserFactory(username="aigerim"))
    token = ApiToken.objects.get()
    intruder = UserFactory(username="intruder")
    client = Client()
    response = client.delete(f"/api/account/tokens/{token.pk}", headers=bearer(token_for(intruder)))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    for bad in ("0", "abc", str(2**70)):
        assert client_for(intruder).delete(f"/api/account/tokens/{bad}").status_code == 422


def test_refusals_speak_the_caller_s_language(client_for, persona, review):
    secret = token_for(persona(Role.ANALYST))
    services.api_token_revoke(token=ApiToken.objects.get())
    headers = {**bearer(secret), "Accept-Language": "kk"}
    refused = client_for(None).get("/api/reviews", headers=headers)
    assert refused.json() == {"detail": "Бұл API токенінің күші жойылған."}
