"""JSON API of a person's own things: their API tokens. A token is made on
the account page only, never through the API, so that a leaked token cannot
make itself a successor; any of them can be revoked from here."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status

from parasat.accounts import selectors, services
from parasat.accounts.access import get_api_token_for_user
from parasat.accounts.models import ApiToken
from parasat.core.lib.forms import MAX_PK
from parasat.core.lib.schemas import PageOut, PageQuery, page_of

router = Router(tags=["account"])


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenPage(PageOut):
    items: list[TokenOut]


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        hint=token.hint,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@router.get(
    "/account/tokens",
    response=TokenPage,
    summary="My API tokens",
    description="Revoked and expired ones too; never the token itself, which is shown once.",
)
def list_tokens(request: HttpRequest, paging: Query[PageQuery]) -> TokenPage:
    page = page_of(selectors.api_tokens_of(request.user), paging)
    return TokenPage(**page.meta(), items=[_token_out(t) for t in page.items])


@router.delete(
    "/account/tokens/{token_id}",
    response={204: None},
    summary="Revoke one of my API tokens",
    description="For good: programs using it are refused from then on (401).",
)
def revoke_token(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_PK)) -> Status[None]:
    token = get_api_token_for_user(request.user, token_id)
    services.api_token_revoke(token=token)
    return Status(204, None)
