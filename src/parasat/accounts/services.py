"""Writes about people: their language, their API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from parasat.accounts.models import ApiToken, User

# What a person may choose as a token's lifetime, in days; the last is the bound.
TOKEN_LIFETIMES = (7, 30, 90, 180, 365)
MAX_TOKEN_DAYS = TOKEN_LIFETIMES[-1]
MAX_ACTIVE_TOKENS = 20
TOKEN_PREFIX = "psat_"
# A token's last use is written at most this often: every API call would
# otherwise be a write.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
_DIGEST_SALT = "parasat.accounts.ApiToken"


def user_language_set(*, user: User, language: str) -> bool:
    """Remember the language ``user`` chose, so that what is sent to them
    (emails) is written in it. Returns False when it was already theirs."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("Choose one of the site's languages."))
    if user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: ``secret`` is what the program sends. It is in no
    database and is shown to the person once."""

    token: ApiToken
    secret: str


class TokenRefused(Exception):
    """The token sent is unknown, revoked or expired; ``message`` says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _digests(secret: str) -> list[str]:
    """The token's keyed hash under the secret key, then under each older key
    still accepted (``SECRET_KEY_FALLBACKS``), so that rotating the key does not
    lock programs out at once."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return [
        salted_hmac(_DIGEST_SALT, secret, secret=key, algorithm="sha256").hexdigest()
        for key in keys
    ]


@transaction.atomic
def api_token_create(
    *, user: User, name: str, days: int, now: dt.datetime | None = None
) -> IssuedToken:
    """Make a token for ``user`` named ``name`` that expires in ``days`` days
    (1 up to :data:`MAX_TOKEN_DAYS`). A person holds at most
    :data:`MAX_ACTIVE_TOKENS` tokens that still work."""
    now = now or timezone.now()
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, e.g. the program that will use it.")
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = _("The name is too long.")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        errors["days"] = _("A token lasts from 1 to %(days)s days.") % {"days": MAX_TOKEN_DAYS}
    if errors:
        raise ValidationError(errors)
    # Serialise one person's token creations, so that the limit holds.
    User.objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=now).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _(
                "You already have %(count)s tokens that work, the most allowed. "
                "Revoke one you no longer use."
            )
            % {"count": active}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=_digests(secret)[0],
        hint=secret[: len(TOKEN_PREFIX) + 6],
        expires_at=now + dt.timedelta(days=days),
    )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, token: ApiToken, now: dt.datetime | None = None) -> bool:
    """Revoke ``token`` for good. Returns False when it already was."""
    now = now or timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=now)
    if changed:
        token.revoked_at = now
    return bool(changed)


def api_token_authenticate(*, secret: str, now: dt.datetime | None = None) -> ApiToken:
    """The token whose secret is ``secret``, with its person, if it still works;
    notes when it was used. Raises :class:`TokenRefused` otherwise."""
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user").filter(digest__in=_digests(secret)).first()
        if secret.startswith(TOKEN_PREFIX) and len(secret) <= 100
        else None
    )
    if token is None or not token.user.is_active:
        raise TokenRefused(_("This API token is not valid."))
    if token.revoked_at is not None:
        raise TokenRefused(_("This API token was revoked."))
    if token.expires_at <= now:
        raise TokenRefused(_("This API token has expired."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
