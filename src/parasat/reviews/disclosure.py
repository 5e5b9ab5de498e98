"""Who may read what of a review: the confidentiality ladder and audiences.

Everything a review holds beyond its agreement — answers, evidence, findings,
minutes, contributions, report drafts, progress reports — carries one of the
four levels of the ladder: the narrowest readers first. An :class:`Audience`
names the levels it may read and the ministries whose own work it sees whole.
A signed-in person's roles make one (:func:`audience_for`); "the public", "the
peer reviewers", "the analytical team" and "the government" are others, for
work done on behalf of no one (a report built by the task worker, an open-data
file, a public page). Every selector that reads confidential content takes an
audience, so the same rule holds on a page, in an export, in a PDF and in the
API.

The rules from role to clearance (Annex I §IV and §VI of the agreement): the
co-ordinator reads all the government's work; the analytical team reads what
is not marked government only; peer reviewers read what is marked for them or
the public once the content's stage admits peers; civil society and business
read what is public once it is published. Contact persons read their own
ministry's work, whatever its level.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parasat.reviews.access import ReviewAccess
from parasat.reviews.models import Role
from parasat.reviews.permissions import ANALYTICAL_TEAM


class Confidentiality(models.TextChoices):
    """Who beyond the government may read a piece of content, narrowest first."""

    GOVERNMENT = "government", _("Government only")
    TEAM = "team", _("Analytical team")
    PEERS = "peers", _("Peer reviewers")
    PUBLIC = "public", _("Public")


# Rank of each level: a reader cleared for rank r reads what is marked >= r.
CONFIDENTIALITY_RANK = {
    Confidentiality.GOVERNMENT: 0,
    Confidentiality.TEAM: 1,
    Confidentiality.PEERS: 2,
    Confidentiality.PUBLIC: 3,
}

STAKEHOLDERS = frozenset({Role.CIVIL_SOCIETY, Role.BUSINESS})


def levels_from(level: str) -> list[str]:
    """The confidentiality levels a reader cleared for ``level`` may read."""
    rank = CONFIDENTIALITY_RANK[Confidentiality(level)]
    return [c.value for c, r in CONFIDENTIALITY_RANK.items() if r >= rank]


@dataclass(frozen=True, kw_only=True)
class Audience:
    """Those a read is made for, in one review.

    ``clearance`` is the narrowest level the audience reads of work that is not
    its own (None: nothing beyond its own work); ``ministries`` are the
    ministries whose own work it reads whatever its level; ``whole_government``
    reads the work of every ministry (the co-ordinator's side)."""

    review_id: int
    clearance: str | None = None
    ministries: frozenset[int] = field(default_factory=frozenset)
    whole_government: bool = False

    # --- The audiences that act for no one -------------------------------

    @classmethod
    def public(cls, review_id: int) -> Audience:
        """Anyone at all: a signed-out visitor, a published file."""
        return cls(review_id=review_id, clearance=Confidentiality.PUBLIC)

    @classmethod
    def peers(cls, review_id: int) -> Audience:
        """The peer reviewers of the review (and, by the ladder, the public's content)."""
        return cls(review_id=review_id, clearance=Confidentiality.PEERS)

    @classmethod
    def team(cls, review_id: int) -> Audience:
        """The analytical team: everything not marked government only."""
        return cls(review_id=review_id, clearance=Confidentiality.TEAM)

    @classmethod
    def government(cls, review_id: int) -> Audience:
        """The government side as the co-ordinator sees it: everything."""
        return cls(review_id=review_id, clearance=Confidentiality.GOVERNMENT, whole_government=True)

    @classmethod
    def nobody(cls, review_id: int) -> Audience:
        return cls(review_id=review_id)

    # --- What it reads -------------------------------------------------

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels it reads of work that is not its own, widest reach first."""
        return tuple(levels_from(self.clearance)) if self.clearance else ()

    @property
    def in_team(self) -> bool:
        """Reads as the analytical team does (not the government side)."""
        return self.clearance == Confidentiality.TEAM and not self.whole_government

    def reads(self, level: str) -> bool:
        """Content marked ``level`` is readable by this audience (own work aside)."""
        return level in self.levels

    def owns(self, ministry_id: int | None) -> bool:
        """The ministry's work is this audience's own (read whatever its level)."""
        return self.whole_government or (ministry_id is not None and ministry_id in self.ministries)

    def level_filter(self, lookup: str = "confidentiality") -> Q:
        """A filter keeping rows whose ``lookup`` level this audience reads."""
        if self.whole_government:
            return Q()
        if not self.clearance:
            return Q(pk__in=[])
        return Q(**{f"{lookup}__in": self.levels})

    def admitting(self, *, peers: bool, public: bool) -> Audience:
        """This audience as a content's stage admits it: peer reviewers read
        nothing before the stage opens to them (peer review), the public nothing
        before it is published. The government side and the team are not held
        back by the stage."""
        if (self.clearance == Confidentiality.PEERS and not peers) or (
            self.clearance == Confidentiality.PUBLIC and not public
        ):
            return replace(self, clearance=None)
        return self


def clearance_of_roles(roles: frozenset[str], *, is_admin: bool = False) -> str | None:
    """The widest clearance any of ``roles`` gives, before any stage narrows it."""
    if is_admin or Role.COORDINATOR in roles:
        return Confidentiality.GOVERNMENT
    if roles & ANALYTICAL_TEAM:
        return Confidentiality.TEAM
    if Role.PEER_REVIEWER in roles:
        return Confidentiality.PEERS
    if roles & STAKEHOLDERS:
        return Confidentiality.PUBLIC
    return None


def audience_for(access: ReviewAccess) -> Audience:
    """The audience a person's roles in a review make (before a stage narrows it).
    A visitor with no role in a public review reads as the public."""
    if not access.roles and not access.is_admin:
        return Audience.public(access.review.pk)
    clearance = clearance_of_roles(access.roles, is_admin=access.is_admin)
    return Audience(
        review_id=access.review.pk,
        clearance=clearance,
        ministries=access.ministries,
        whole_government=clearance == Confidentiality.GOVERNMENT,
    )
