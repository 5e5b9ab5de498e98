"""The only way views reach a review: by slug, for a user, with a permission.

Raises Http404 when the user may not know the review exists, and
PermissionDenied when they take part in it but their role does not allow the
action."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from parasat.accounts.models import User
from parasat.reviews.caching import reviews_version
from parasat.reviews.models import Participant, Review, Role
from parasat.reviews.permissions import PUBLIC_PERMISSIONS, Perm, roles_allow


@dataclass(frozen=True)
class ReviewAccess:
    """A review together with what the current user may do in it."""

    review: Review
    roles: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False
    # The organisations for which the user is a contact person (the ministries
    # whose self-assessment work is theirs).
    ministries: frozenset[int] = field(default_factory=frozenset)

    def can(self, perm: Perm | str) -> bool:
        if self.is_admin:
            return True
        return roles_allow(self.roles, Perm(perm))

    @cached_property
    def perms(self) -> dict[str, bool]:
        """For templates: ``{% if access.perms.review.edit_agreement %}`` reads awkwardly,
        so names are the members' in lower case: ``access.perms.edit_agreement``,
        ``access.perms.view_finance`` ("finance.view" and "review.view" would clash)."""
        return {p.name.lower(): self.can(p) for p in Perm}


def _roles_and_ministries(rows: list[Participant]) -> tuple[frozenset[str], frozenset[int]]:
    roles = frozenset(p.role for p in rows)
    ministries = frozenset(
        p.organisation_id for p in rows if p.role == Role.CONTACT_PERSON and p.organisation_id
    )
    return roles, ministries


def get_review_for_user(
    user: User | AnonymousUser, slug: str, *, perm: Perm = Perm.VIEW
) -> ReviewAccess:
    """The review ``slug`` if ``user`` holds ``perm`` in it.

    The usual case — a participant — is answered from the shared cache, keyed by
    the reviews' version token (see :mod:`parasat.reviews.caching`), or else by one
    query: the user's roles in the review, each row carrying the review."""
    if user.is_authenticated and not user.is_superuser:
        key = f"reviews:access:{reviews_version()}:{user.pk}:{slug}"
        found = cache.get(key)
        if found is None:
            rows = list(
                Participant.objects.filter(review__slug=slug, user=user, active=True)
                .select_related("review")
                .order_by()  # made into sets: the default order would join the users
            )
            found = (rows[0].review, *_roles_and_ministries(rows)) if rows else ()
            cache.set(key, found, 300)
        if found:
            review, roles, ministries = found
            access = ReviewAccess(review, roles, ministries=ministries)
            if not access.can(perm):
                raise PermissionDenied
            return access
    try:
        review = Review.objects.select_related("responsible_body").get(slug=slug)
    except Review.DoesNotExist:
        raise Http404 from None
    return check_review_access(user, review, perm=perm)


def check_review_access(
    user: User | AnonymousUser, review: Review, *, perm: Perm = Perm.VIEW
) -> ReviewAccess:
    if user.is_authenticated and user.is_superuser:
        return ReviewAccess(review, frozenset(), is_admin=True)
    rows = (
        list(Participant.objects.filter(review=review, user=user, active=True).order_by())
        if user.is_authenticated
        else []
    )
    roles, ministries = _roles_and_ministries(rows)
    access = ReviewAccess(review, roles, ministries=ministries)
    if not roles:
        if review.is_public and perm in PUBLIC_PERMISSIONS:
            return access
        raise Http404
    if not access.can(perm):
        raise PermissionDenied
    return access


def reviews_for_user(user: User | AnonymousUser) -> list[Review]:
    """Reviews the user takes part in (every review for a superuser)."""
    if not user.is_authenticated:
        return []
    qs = Review.objects.select_related("responsible_body")
    if not user.is_superuser:
        qs = qs.filter(participants__user=user, participants__active=True).distinct()
    return list(qs)


def reviews_allowing(user: User | AnonymousUser, perm: Perm, *also: Perm | str) -> list[int] | None:
    """The pks of the reviews in which ``user`` holds ``perm`` and each of
    ``also`` (None: every review, for a superuser); one query."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    roles: dict[int, set[str]] = {}
    rows = Participant.objects.filter(user=user, active=True).values_list("review_id", "role")
    for review_id, role in rows:
        roles.setdefault(review_id, set()).add(role)
    wanted = [perm, *(Perm(p) for p in also)]
    return sorted(pk for pk, held in roles.items() if all(roles_allow(held, p) for p in wanted))


def readable_reviews(user: User | AnonymousUser) -> QuerySet[Review]:
    """Reviews ``user`` may read, by slug: the public ones and those they take
    part in (every review for a superuser); a signed-out visitor, the public ones."""
    qs = Review.objects.order_by("slug")
    if not user.is_authenticated:
        return qs.filter(is_public=True)
    if user.is_superuser:
        return qs
    mine = Participant.objects.filter(user=user, active=True).values("review_id")
    return qs.filter(Q(is_public=True) | Q(pk__in=mine))


def user_has_role_anywhere(user: User | AnonymousUser, perm: Perm) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = set(Participant.objects.filter(user=user, active=True).values_list("role", flat=True))
    return roles_allow(roles, perm)
