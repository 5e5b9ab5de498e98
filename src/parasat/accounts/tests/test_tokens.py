"""API tokens: made, shown once, kept only as a keyed hash, used, revoked, expired."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parasat.accounts import services
from parasat.accounts.models import ApiToken
from parasat.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(username="aigerim")


def test_a_token_is_kept_only_as_a_keyed_hash(person):
    issued = services.api_token_create(user=person, name="  Reporting script ", days=30)
    token = ApiToken.objects.get()
    assert issued.secret.startswith("psat_")
    assert len(issued.secret) > 40
    assert token.name == "Reporting script"
    assert issued.secret not in {token.digest, token.hint, token.name}
    assert token.digest != issued.secret
    assert len(token.digest) == 64
    assert issued.secret.startswith(token.hint)
    assert len(token.hint) == len("psat_") + 6
    assert token.expires_at - token.created_at == pytest.approx(
        dt.timedelta(days=30), abs=dt.timedelta(seconds=5)
    )
    # Two tokens never share their secret.
    other = services.api_token_create(user=person, name="Another", days=7)
    assert other.secret != issued.secret


def test_the_hash_depends_on_the_secret_key(person, settings):
    issued = services.api_token_create(user=person, name="Script", days=30)
    assert services.api_token_authenticate(secret=issued.secret).user == person
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-" * 5
    with pytest.raises(services.TokenRefused):
        services.api_token_authenticate(secret=issued.secret)
    # A key being rotated out still accepts what it signed.
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert services.api_token_authenticate(secret=issued.secret).user == person


@pytest.mark.parametrize(
    ("name", "days", "field"),
    [("", 30, "name"), ("   ", 30, "name"), ("x" * 101, 30, "name"), ("ok", 0, "days")],
)
def test_bad_input_is_refused_and_nothing_is_made(person, name, days, field):
    with pytest.raises(ValidationError) as refused:
        services.api_token_create(user=person, name=name, days=days)
    assert field in refused.value.message_dict
    assert not ApiToken.objects.exists()


def test_the_lifetime_is_bounded(person):
    services.api_token_create(user=person, name="Longest", days=services.MAX_TOKEN_DAYS)
    with pytest.raises(ValidationError, match="from 1 to 365 days"):
        services.api_token_create(user=person, name="Too long", days=366)


def test_a_person_holds_a_bounded_number_of_working_tokens(person):
    for n in range(services.MAX_ACTIVE_TOKENS):
        services.api_token_create(user=person, name=f"t{n}", days=7)
    with pytest.raises(ValidationError, match="Revoke one"):
        services.api_token_create(user=person, name="one more", days=7)
    services.api_token_revoke(token=ApiToken.objects.first())
    services.api_token_create(user=person, name="one more", days=7)
    # Someone else's tokens do not count.
    services.api_token_create(user=UserFactory(), name="theirs", days=7)


def test_authenticate_finds_the_person_and_notes_the_use(person):
    issued = services.api_token_create(user=person, name="Script", days=30)
    now = timezone.now()
    assert services.api_token_authenticate(secret=issued.secret, now=now).user == person
    token = ApiToken.objects.get()
    assert token.last_used_at == now
    # Within the minute the use is not written again (every call would be a write).
    services.api_token_authenticate(secret=issued.secret, now=now + dt.timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == now
    later = now + dt.timedelta(minutes=2)
    services.api_token_authenticate(secret=issued.secret, now=later)
    token.refresh_from_db()
    assert token.last_used_at == later


@pytest.mark.parametrize(
    "secret", ["", "psat_", "psat_nope", "not-ours", "psat_" + "a" * 200, "Bearer psat_x"]
)
def test_unknown_secrets_are_refused(person, secret):
    services.api_token_create(user=person, name="Script", days=30)
    with pytest.raises(services.TokenRefused, match="not valid"):
        services.api_token_authenticate(secret=secret)


def test_revoked_and_expired_tokens_are_refused_and_say_why(person):
    revoked = services.api_token_create(user=person, name="Revoked", days=30)
    assert services.api_token_revoke(token=revoked.token) is True
    assert services.api_token_revoke(token=revoked.token) is False
    with pytest.raises(services.TokenRefused, match="revoked"):
        services.api_token_authenticate(secret=revoked.secret)
    expiring = services.api_token_create(user=person, name="Expiring", days=7)
    soon = timezone.now() + dt.timedelta(days=7, seconds=1)
    with pytest.raises(services.TokenRefused, match="expired"):
        services.api_token_authenticate(secret=expiring.secret, now=soon)


def test_a_deactivated_person_s_tokens_stop_working(person):
    issued = services.api_token_create(user=person, name="Script", days=30)
    person.is_active = False
    person.save()
    with pytest.raises(services.TokenRefused):
        services.api_token_authenticate(secret=issued.secret)
