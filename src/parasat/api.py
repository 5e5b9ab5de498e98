"""The JSON API (OpenAPI at /api/docs): each app's router, mounted here. A
program signs in with a personal API token (``Authorization: Bearer …``) or a
browser with its session, whose writes need the CSRF token as in the browser.
What every operation promises (errors, 401, caching, the OpenAPI document) is
:mod:`parasat.core.lib.api`; who may sign in how, :mod:`parasat.accounts.apiauth`."""

from parasat.accounts.apiauth import SIGNED_IN
from parasat.core.lib.api import ParasatAPI

api = ParasatAPI(
    title="Parasat API",
    version="1",
    description="Integrity systems reviews: the agreement, the people, the timeline, "
    "the self-assessment, the analysis, the events and consultations, the report, "
    "the action plan and its monitoring.",
    auth=SIGNED_IN,
    urls_namespace="api",
)
api.mount(
    "parasat.accounts.api.router",
    "parasat.reviews.api.router",
    "parasat.assessment.api.router",
    "parasat.analysis.api.router",
    "parasat.engagement.api.router",
    "parasat.reports.api.router",
    "parasat.actionplan.api.router",
)
