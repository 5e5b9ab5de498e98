"""The JSON API (OpenAPI at /api/docs). Signed-in users authenticate with their
session; writes need the CSRF token, as in the browser."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import SessionAuth

from parasat.analysis.api import router as analysis_router
from parasat.assessment.api import router as assessment_router
from parasat.reviews.api import router as reviews_router


class OptionalSession(SessionAuth):
    """Anonymous readers may call the API too: public reviews answer, others 404."""

    def __call__(self, request: HttpRequest):
        return super().__call__(request) or True


api = NinjaAPI(
    title="Parasat API",
    version="1",
    description="Integrity systems reviews: the agreement, the people, the timeline.",
    auth=OptionalSession(),
    urls_namespace="api",
)
api.add_router("", reviews_router)
api.add_router("", assessment_router)
api.add_router("", analysis_router)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Your role does not allow this.")}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
