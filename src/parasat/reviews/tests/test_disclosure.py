"""The confidentiality ladder and audiences: the rules from role and stage to
what may be read, for signed-in people and for work done on behalf of no one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from parasat.accounts.tests.factories import OrganisationFactory, UserFactory
from parasat.reviews.access import check_review_access
from parasat.reviews.disclosure import Audience, Confidentiality, audience_for, levels_from
from parasat.reviews.models import Role
from parasat.reviews.tests.factories import ParticipantFactory

C = Confidentiality


def test_the_ladder_reads_from_a_level_to_the_widest():
    assert levels_from(C.GOVERNMENT) == ["government", "team", "peers", "public"]
    assert levels_from(C.TEAM) == ["team", "peers", "public"]
    assert levels_from(C.PEERS) == ["peers", "public"]
    assert levels_from(C.PUBLIC) == ["public"]


@pytest.mark.parametrize(
    ("role", "clearance"),
    [
        (Role.COORDINATOR, C.GOVERNMENT),
        (Role.ANALYST, C.TEAM),
        (Role.EXPERT, C.TEAM),
        (Role.LOCAL_CONSULTANT, C.TEAM),
        (Role.PEER_REVIEWER, C.PEERS),
        (Role.CIVIL_SOCIETY, C.PUBLIC),
        (Role.BUSINESS, C.PUBLIC),
        (Role.CONTACT_PERSON, None),
    ],
)
def test_each_role_makes_its_audience(review, persona, role, clearance):
    audience = audience_for(check_review_access(persona(role), review))
    assert audience.review_id == review.pk
    assert audience.clearance == clearance
    assert audience.whole_government is (role == Role.COORDINATOR)
    assert audience.in_team is (clearance == C.TEAM)


def test_a_contact_person_owns_the_work_of_their_ministry_only(review):
    user = UserFactory()
    ministry = OrganisationFactory().pk
    ParticipantFactory(review=review, user=user, role=Role.CONTACT_PERSON, organisation_id=ministry)
    audience = audience_for(check_review_access(user, review))
    assert audience.ministries == frozenset({ministry})
    assert audience.owns(ministry)
    assert not audience.owns(ministry + 1000)
    assert not audience.owns(None)
    assert audience.levels == ()


def test_a_visitor_of_a_public_review_reads_as_the_public(review):
    review.is_public = True
    review.save()
    audience = audience_for(check_review_access(AnonymousUser(), review))
    assert audience == Audience.public(review.pk)


def test_a_stage_holds_back_peers_and_the_public_but_not_the_team():
    peers, public, team = Audience.peers(1), Audience.public(1), Audience.team(1)
    assert peers.admitting(peers=False, public=True).clearance is None
    assert peers.admitting(peers=True, public=False).clearance == C.PEERS
    assert public.admitting(peers=True, public=False).clearance is None
    assert public.admitting(peers=False, public=True).clearance == C.PUBLIC
    assert team.admitting(peers=False, public=False) == team
    government = Audience.government(1)
    assert government.admitting(peers=False, public=False) == government


def test_audiences_that_act_for_no_one():
    assert Audience.public(1).levels == ("public",)
    assert Audience.peers(1).reads("public") and not Audience.peers(1).reads("team")
    assert Audience.team(1).reads("peers") and not Audience.team(1).reads("government")
    government = Audience.government(1)
    assert government.reads("government") and government.owns(42)
    assert Audience.nobody(1).levels == ()
    assert not Audience.team(1).owns(42)


def test_level_filter_names_the_levels_read():
    assert Audience.team(1).level_filter("evidence__confidentiality") == Q(
        evidence__confidentiality__in=("team", "peers", "public")
    )
    assert Audience.nobody(1).level_filter() == Q(pk__in=[])
    assert Audience.government(1).level_filter() == Q()
