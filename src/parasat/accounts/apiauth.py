"""How a program proves who it is to the JSON API: a personal API token
(``Authorization: Bearer <token>``), or the session of a signed-in browser.
Either way the request then runs as that person, so every access function
applies unchanged. Credentials that are sent and no longer valid answer 401,
never a silent sign-out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from parasat.accounts import services
from parasat.accounts.models import User
from parasat.core.lib.api import CredentialsRefused, SignedOut


class TokenAuth(HttpBearer):
    openapi_description = (
        "A personal API token, made on the page “API tokens” of one's account: "
        "`Authorization: Bearer psat_…`. It acts with exactly its person's permissions "
        "until it expires or is revoked. No CSRF token is needed."
    )

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if header is None:
            return None
        scheme, _space, secret = header.partition(" ")
        if scheme.lower() == "basic":
            return None  # a proxy's password in front of the site, not ours to judge
        if scheme.lower() != self.openapi_scheme or not secret.strip():
            raise CredentialsRefused(_("Send the token as Authorization: Bearer <token>."))
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        try:
            found = services.api_token_authenticate(secret=token)
        except services.TokenRefused as refused:
            raise CredentialsRefused(refused.message) from None
        # The views and the access functions read the person from request.user.
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The session of a signed-in browser. Writes also need the CSRF token "
        "(the header X-CSRFToken with the value of the csrftoken cookie)."
    )

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check waits until we know the cookie signs someone in.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if not key:
            return None
        if request.user.is_authenticated:
            if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
                raise HttpError(403, _("The CSRF token is missing or wrong: reload the page."))
            return request.user  # type: ignore[return-value]
        session = request.session
        # A session that once signed someone in, or that no longer exists
        # (expired, signed out elsewhere, the password changed): the caller
        # believes they are signed in, so say they are not.
        if SESSION_KEY in session or session.session_key is None:
            raise CredentialsRefused(_("Your session has ended. Sign in again."))
        return None


# The API's default: a signed-in person, by token or by session.
SIGNED_IN = [TokenAuth(), SessionAuth()]
# Operations that signed-out callers may use too (what a public review shows).
SIGNED_OUT_TOO = [*SIGNED_IN, SignedOut()]
