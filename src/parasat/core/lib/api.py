"""What the JSON API promises every program, whichever app answers: errors in
JSON with a ``detail`` (404 and 405 included, even for paths no app knows),
401 when credentials are missing or no longer valid, ``Cache-Control:
private, no-store`` on what a signed-in caller reads, and an OpenAPI document
that declares all of it. ``parasat/api.py`` builds the API from this and
mounts each app's router."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.schema import NinjaGenerateJsonSchema

from parasat.core.lib.schemas import ErrorOut, ValidationErrorOut

API_PREFIX = "/api/"
_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class CredentialsRefused(AuthenticationError):
    """401 for credentials that were sent and are not valid, saying why."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


class SignedOut:
    """An operation's last auth callback when signed-out callers may use it
    too (reading a public review): it lets a request without credentials
    through as the anonymous user. Credentials that are sent must still be
    valid: an earlier callback answers 401 for a bad token or an ended session."""

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        return AnonymousUser()


def _error_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Sign in, or send an API token in the header Authorization: Bearer <token>."),
        403: _("Your role does not allow this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
        500: _("Something went wrong on the server. Please try again later."),
    }
    return messages.get(status) or HTTPStatus(status).phrase


NUL = "\x00"


def without_nul(value: Any) -> Any:
    """``value`` (parsed JSON) with NUL removed from every string, keys too."""
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    return value


class NulFreeParser(Parser):
    """JSON bodies without NUL characters, as the site's middleware does for
    form posts: PostgreSQL refuses NUL in text and JSON (SQLite stores it),
    and nobody types one. JSON may spell it ``\\u0000``, so it is removed after
    parsing, not from the raw bytes."""

    def parse_body(self, request: HttpRequest) -> Any:
        return without_nul(super().parse_body(request))


class ParasatAPI(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("parser", NulFreeParser())
        super().__init__(**kwargs)
        self.add_exception_handler(PermissionDenied, self._forbidden)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(AuthenticationError, self._unauthorized)

    def mount(self, *routers: str) -> None:
        """Mount each app's router (``"parasat.<app>.api.router"``) at the API's root."""
        for router in routers:
            self.add_router("", router)

    def _forbidden(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return self.create_response(request, {"detail": _error_message(403)}, status=403)

    def _not_found(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return self.create_response(request, {"detail": _error_message(404)}, status=404)

    def _unauthorized(self, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        # Ninja raises the bare error when no callback accepted the request.
        message = str(exc) if isinstance(exc, CredentialsRefused) else _error_message(401)
        response = self.create_response(request, {"detail": message}, status=401)
        challenge = 'Bearer realm="Parasat"'
        if isinstance(exc, CredentialsRefused) and request.headers.get("Authorization"):
            challenge += ', error="invalid_token"'
        response["WWW-Authenticate"] = challenge
        return response

    def create_response(
        self, request: HttpRequest, data: Any, *, status: int | None = None, **kwargs: Any
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, **kwargs)
        # What a signed-in caller reads is chosen for them: no cache may keep it.
        # (A token's person is request.user too: see accounts.apiauth.)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _Document(self, path_prefix)


class _Document(OpenAPISchema):
    """Ninja's OpenAPI document, with what every operation may also answer,
    and the empty security requirement (``{}``) where signed-out callers are
    welcome."""

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        if security is not None and any(isinstance(a, SignedOut) for a in operation.auth_callbacks):
            security.append({})
        return security

    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        result = super().responses(operation)
        errors: dict[int, tuple[str, type]] = {
            401: (
                "Credentials are missing where the operation needs them, or are no longer "
                "valid: an unknown, revoked or expired token, or a session that has ended.",
                ErrorOut,
            )
        }
        if _UNSAFE_METHODS & set(operation.methods):
            errors[403] = (
                "A write with the session but without the CSRF token, or a role that does "
                "not allow it.",
                ErrorOut,
            )
        if "{" in operation.path:
            errors[404] = (
                "Nothing of that name, or nothing the caller may know exists.",
                ErrorOut,
            )
        if _may_refuse_parameters(operation):
            errors[422] = ("A parameter was refused; each one is listed.", ValidationErrorOut)
        for status, (description, model) in sorted(errors.items()):
            result.setdefault(
                status,
                {
                    "description": description,
                    "content": {self.api.renderer.media_type: {"schema": self._ref(model)}},
                },
            )
        return result

    def _ref(self, model: type) -> dict[str, str]:
        schema = model.model_json_schema(  # type: ignore[attr-defined]
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
        )
        self.add_schema_definitions(schema.pop("$defs", {}))
        self.schemas[model.__name__] = schema
        return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _may_refuse_parameters(operation: Operation) -> bool:
    """Whether some parameter of ``operation`` can fail validation: any but a
    plain string in the path or the query (a review's slug) can."""
    for model in operation.models:
        if model.__ninja_param_source__ not in {"path", "query"}:
            return True
        for field in model.model_fields.values():
            if field.annotation is not str or field.metadata:
                return True
    return False


class JsonErrorsMiddleware:
    """Under ``/api/``, an error answered outside the API's operations (a path
    no app knows, a method an operation does not take, a server error) comes
    back in JSON like every other, instead of the site's HTML page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and not response.streaming
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            response.content = json.dumps({"detail": _error_message(response.status_code)})
            response["Content-Type"] = "application/json; charset=utf-8"
        return response
